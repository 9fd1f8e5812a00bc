"""帮办代办 backend: the app factory. `flask --app backend ...` finds `create_app` here."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

from .clock import SystemClock
from .config import load_config
from .extensions import db, migrate
from .wechat import WeChat

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(app.instance_path, config))
    app.json.ensure_ascii = False
    app.extensions["banban.clock"] = app.config.get("CLOCK") or SystemClock(app.config["TIMEZONE"])
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    # None in demo mode (no credentials): the demo login and console notifications are used.
    app.extensions["banban.wechat"] = WeChat.from_config(app.config)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))

    from . import audit, cli  # noqa: F401  (audit registers its session hook on import)
    cli.register_commands(app)

    # The only place that knows both front ends: they import backend, never the reverse.
    import admin
    import miniprogram_api
    miniprogram_api.init_app(app)
    admin.init_app(app)
    return app
