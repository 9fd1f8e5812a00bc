"""Serve the product on loopback for the client kit's Node tests: a fresh SQLite database in a
temporary folder, migrated, with the Boshan demo seeded, at a fixed time (Monday 2026-11-30 09:00
in Boshan) so that the flows are the same on every run.

Prints one JSON line, {"url", "staff": {username: password}}, once the server listens on a free
port; stops when its standard input closes (the test that started it went away)."""
from __future__ import annotations

import json
import sys
import tempfile
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

import flask_migrate  # noqa: E402
from cryptography.fernet import Fernet  # noqa: E402

from backend import create_app  # noqa: E402
from backend.clock import FixedClock  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.services.demo import seed_demo  # noqa: E402
from backend.services.slots import generate_slots  # noqa: E402

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def demo_app(folder: Path):
    app = create_app({
        "DATABASE_URL": f"sqlite:///{folder / 'demo.db'}", "CLOCK": FixedClock(NOW),
        "SECRET_KEY": Fernet.generate_key().decode(), "DATA_KEY": Fernet.generate_key().decode(),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # a throwaway database: fast hashes
    })
    with app.app_context():
        flask_migrate.upgrade()
        result = seed_demo(db.session, NOW, rota_days=21)
        generate_slots(db.session, NOW, app.config["BOOKING_WINDOW_DAYS"])  # as `seed-demo` does
        db.session.commit()
        db.engine.dispose()
    return app, {username: password for username, _, password in result.passwords}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="banban-client-test-") as folder:
        app, passwords = demo_app(Path(folder))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        print(json.dumps({"url": f"http://127.0.0.1:{server.server_port}",
                          "staff": passwords}), flush=True)
        threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
        server.serve_forever()


if __name__ == "__main__":
    main()
