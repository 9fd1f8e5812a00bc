"""Fixtures. Every test that touches the database runs on SQLite and, when TEST_DATABASE_URL
is set, on PostgreSQL too; if that database does not answer, those tests fail."""
from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import flask_migrate
import pytest
import sqlalchemy as sa

from backend import create_app
from backend.clock import FixedClock
from backend.extensions import db
from tests.openapi import ContractClient

# The loopback fake WeChat server and its `fake_wechat` fixture.
pytest_plugins = ["tests.fake_wechat"]

TZ = ZoneInfo("Asia/Shanghai")
DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
# Under pytest-xdist (`make test` runs two workers), each worker has a PostgreSQL database and a
# Redis database of its own: `gw0` keeps the ones configured, `gwN` gets `<name>_gwN` and the
# Redis database N below the configured one.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
WORKER_NUMBER = int(WORKER.removeprefix("gw") or 0)
if WORKER_NUMBER and os.environ.get("TEST_REDIS_URL"):
    _redis = sa.engine.make_url(os.environ["TEST_REDIS_URL"])
    os.environ["TEST_REDIS_URL"] = _redis.set(
        database=str(int(_redis.database or 0) - WORKER_NUMBER)).render_as_string(False)
DATA_KEY = "nZ0fQxHoZ3Jr9ySIAoLzK6bwZ7G6mVGc2nE5l3Q2b1A="
EXAMPLE_CATALOG = {
    "places": [{"code": "BS-HALL", "name": "博山区政务服务中心", "level": "district",
                "parent": None, "address": "博山区中心路1号", "phone": "0533-4100000"}],
    "departments": [{"code": "RSJ", "name": "区人力资源和社会保障局"}],
    "stations": [{"place": "BS-HALL", "department": "RSJ"}],
    "items": [{"code": "SB-001", "name": "城乡居民基本养老保险参保登记", "department": "RSJ",
               "category": "社会保险", "commitment_days": 5, "fee": None,
               "help_types": ["assist", "proxy"], "places": ["BS-HALL"],
               "departments_involved": [],
               "materials": [{"code": "SFZ", "name": "居民身份证", "copies": 1,
                              "original": True, "required": True,
                              "how_to_obtain": "户籍所在地派出所"}]}],
    "schedules": [{"place": "BS-HALL", "kind": "regular", "weekdays": [1, 2, 3, 4, 5],
                   "start": "09:00", "end": "12:00", "slot_minutes": 30, "capacity": 4}],
    "rota": [],
}


def _drop_everything(engine: sa.Engine) -> None:
    metadata = sa.MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)


def _worker_database(url: str) -> str:
    """The configured PostgreSQL database for the first worker; for another, a database of its
    own on the same server, made when missing (an unreachable server fails here)."""
    if not WORKER_NUMBER:
        return url
    configured = sa.engine.make_url(url)
    mine = configured.set(database=f"{configured.database}_{WORKER}")
    server = sa.create_engine(configured, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                           {"name": mine.database}):
            conn.execute(sa.text(f'CREATE DATABASE "{mine.database}"'))
    server.dispose()
    return mine.render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request, tmp_path_factory) -> str:
    """An empty database, brought to the newest schema by the migrations."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
    else:
        url = _worker_database(os.environ["TEST_DATABASE_URL"])
    engine = sa.create_engine(url)
    # No skip: an unreachable database set in TEST_DATABASE_URL is a failure.
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
        if request.param == "postgresql":
            # A test database needs no durability: its commits need not wait for the disk
            # (about a quarter of the PostgreSQL run's time). New connections take it.
            conn.execute(sa.text(f'ALTER DATABASE "{engine.url.database}" '
                                 "SET synchronous_commit TO off"))
            conn.commit()
    _drop_everything(engine)
    engine.dispose()
    app = make_test_app(url)
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    return url


_SHARED_CLOCK = FixedClock(datetime(2026, 11, 30, 9, 0, tzinfo=TZ))


@pytest.fixture
def clock() -> FixedClock:
    """Monday 2026-11-30, 09:00 in Boshan, reset for every test; the apps read this clock."""
    _SHARED_CLOCK.at = datetime(2026, 11, 30, 9, 0, tzinfo=TZ)
    return _SHARED_CLOCK


def make_test_app(database_url: str, **overrides):
    app = create_app({
        "DATABASE_URL": database_url, "TESTING": True, "CLOCK": _SHARED_CLOCK,
        "SECRET_KEY": "test-secret", "DATA_KEY": DATA_KEY,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast hashes in tests only
        "WTF_CSRF_ENABLED": False, **overrides,
    })
    app.test_client_class = ContractClient  # every API answer is checked against the document
    return app


_APPS: dict[str, object] = {}


@pytest.fixture
def app(database_url, clock):
    """One app per database for the whole run (building one takes a third of a second); each
    test gets its own app context, the configuration as it was, and empty tables after."""
    app = _APPS.get(database_url)
    if app is None:
        app = _APPS[database_url] = make_test_app(database_url)
    config, extensions = dict(app.config), dict(app.extensions)
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        app.extensions["banban.limiter"].reset()  # counts per client start again
        app.extensions["banban.slot_listings"].clear()  # the next test's clock reads the same
    app.config.clear()
    app.config.update(config)
    app.extensions.clear()
    app.extensions.update(extensions)


def _empty_tables() -> None:
    tables = [t for t in db.metadata.sorted_tables]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(table.delete())


@pytest.fixture
def session(app):
    return db.session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def cli(runner):
    """Run one command: `cli("catalog-import", path)`, `cli("create-user", ..., input="pw\\n")`."""
    def run(*args: str, input: str | None = None):
        return runner.invoke(args=list(args), input=input)
    return run


@pytest.fixture
def example_catalog() -> dict:
    return json.loads(json.dumps(EXAMPLE_CATALOG))


@pytest.fixture
def demo(app, clock):
    """The Boshan demo, as `seed-demo` makes it."""
    from backend.services.demo import seed_demo
    result = seed_demo(db.session, clock.now(), rota_days=21)
    db.session.commit()
    return result


@pytest.fixture
def write_json(tmp_path):
    def write(data, name="file.json") -> str:
        path = Path(tmp_path) / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return str(path)
    return write


@pytest.fixture
def make_citizen(session, clock):
    from backend.services.citizens import citizen_for_openid
    counter = iter(range(1, 10**6))

    def make(openid=None):
        citizen = citizen_for_openid(session, openid or f"openid-{next(counter)}", None, clock.now())
        session.commit()
        return citizen
    return make


@pytest.fixture
def make_staff(session, clock):
    """A committed staff account: `make_staff("agent9", role="agent", places=("BS-HALL",),
    department="RSJ")` (see tests/factories.py; password `factories.STAFF_PASSWORD`)."""
    from tests.factories import new_staff

    def make(username: str, role: str = "agent", places=("BS-HALL",),
             department: str | None = "RSJ", **kw):
        staff = new_staff(session, clock.now(), username, role, places, department, **kw)
        session.commit()
        return staff
    return make


@pytest.fixture
def make_case(session, clock, make_citizen):
    """A committed case moved through the services to a status: `make_case("in_progress",
    "assist", agent="agent1")` (see tests/factories.py)."""
    from tests.factories import new_case

    def make(status: str = "submitted", help_type: str = "proxy", *, citizen=None, **kw):
        case = new_case(session, clock.now(), citizen or make_citizen(), status, help_type, **kw)
        session.commit()
        return case
    return make


@pytest.fixture
def make_booking(session, clock, make_citizen):
    """Book `slot` for a (new) citizen through the booking service, as the API does."""
    from backend.models import Booking
    from backend.services.booking import BookingRules, book

    def make(slot, citizen=None, item="SB-001", **kw):
        written = book(session, (citizen or make_citizen()).id, slot.id, item,
                       kw.get("help_type"), kw.get("note"), clock.now(), BookingRules())
        session.commit()
        return session.get(Booking, written.id)
    return make
