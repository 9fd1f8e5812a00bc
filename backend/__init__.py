"""帮办代办 backend: the app factory. `flask --app backend ...` finds `create_app` here."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .clock import SystemClock
from . import jsonio
from .config import ConfigError, load_config, wechat_configured
from .domain.message_templates import load_templates
from .extensions import db, migrate
from .infrastructure import ratelimit, slot_listings
from .infrastructure.wechat import wechat_for

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(app.instance_path, config))
    jsonio.init_app(app)
    app.extensions["banban.clock"] = app.config.get("CLOCK") or SystemClock(app.config["TIMEZONE"])
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    # The WeChat adapter, or in demo mode (no WeChat variable set) the DemoWeChat with the same
    # methods: demo login, the phone code as the number, messages written to the log.
    app.extensions["banban.wechat"] = wechat_for(app.config)
    app.extensions["banban.templates"] = load_templates(
        app.config.get("WECHAT_TEMPLATES"), demo=not wechat_configured(app.config))

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    _check_data_key(app)

    hops = int(app.config["PROXY_FIX_HOPS"])
    if hops:
        # The client's address and scheme as the trusted proxies (nginx) in front say them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    # Headers every answer carries: API, admin, docs, files, errors and 404s, here, and the slot
    # listing's answers from its cache, which are served before Flask, from the same list
    # (miniprogram_api/slot_listing.py). A browser never guesses a type other than the one we
    # say, and no address of ours (an admin search, a case number) goes to another site.
    app.extensions["banban.every_answer_headers"] = every = [
        ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin")]
    if app.config["SERVED_OVER_HTTPS"]:
        every.append(("Strict-Transport-Security",
                      f"max-age={int(app.config['HSTS_MAX_AGE_SECONDS'])}"))

    lowered = [(name.lower(), name, value) for name, value in every]

    @app.after_request
    def every_answer_headers(response):
        # One pass over the answer's few headers, then the missing ones added: a third of what a
        # setdefault per header costs (each absent name is a KeyError raised and caught).
        headers = response.headers
        present = {name.lower() for name, _ in headers}
        for key, name, value in lowered:
            if key not in present:
                headers.add(name, value)
        return response
    ratelimit.init_app(app)
    slot_listings.init_app(app)

    from .entrypoints import cli  # noqa: F401  (registers the commands)
    from .infrastructure import audit  # noqa: F401  (audit registers its session hook on import)
    cli.register_commands(app)

    # The only place that knows both front ends: they import backend, never the reverse.
    import admin
    import miniprogram_api
    miniprogram_api.init_app(app)
    admin.init_app(app)
    return app


def _check_data_key(app: Flask) -> None:
    """Refuse a DATA_KEY that cannot read the personal data already stored. A database not
    reachable or not migrated yet has nothing to check (its requests will say so)."""
    from .infrastructure.personal_data import undecryptable_column
    with app.app_context():
        try:
            column = undecryptable_column(db.session)
        except sa.exc.SQLAlchemyError as exc:
            log.info("DATA_KEY not checked against stored data: %s", exc.__class__.__name__)
            column = None
        finally:
            db.session.remove()
            db.engine.dispose()  # the app's requests open their own connections
    if column is not None:
        raise ConfigError("DATA_KEY", f"无法解密已存储的个人信息（{column}），请确认密钥与数据一致",
                          f"cannot decrypt the personal data already stored ({column})")
