"""A database that is down, or a pooled connection that died, answers 503 service_unavailable,
never a 500; the next request after a lost connection connects afresh. Other database errors
stay faults of ours."""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from backend.extensions import db
from tests.conftest import make_test_app
from tests.helpers import assert_error


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://postgres@127.0.0.1:1/nowhere",   # nothing listens on port 1
    "sqlite:////nonexistent-directory/banban.db",           # a file that cannot be opened
])
def test_an_unreachable_database_answers_503(url, caplog):
    app = make_test_app(url)
    response = app.test_client().get("/api/v1/places")
    assert_error(response, 503, "service_unavailable")
    assert "database unavailable on GET /api/v1/places" in caplog.text


def test_a_database_without_our_tables_is_a_fault_not_an_outage(tmp_path, caplog):
    # Say, migrations not applied: a 500 with the traceback in the log, not a 503 to retry.
    app = make_test_app(f"sqlite:///{tmp_path / 'empty.db'}")
    # A plain client: the document promises no 500, so the contract check would refuse it.
    response = FlaskClient(app).get("/api/v1/places")
    assert_error(response, 500, "internal_error")
    assert "no such table" in caplog.text and "database unavailable" not in caplog.text


def test_a_pooled_connection_that_died_fails_one_request_then_the_pool_recovers():
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("needs the PostgreSQL of TEST_DATABASE_URL: SQLite has no server to lose")
    app = make_test_app(url)
    client = app.test_client()
    assert client.get("/api/v1/places").status_code == 200
    with app.app_context():
        # The one connection the pool holds now, as PostgreSQL knows it.
        with db.engine.connect() as conn:
            pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()
    killer = sa.create_engine(url)
    with killer.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    killer.dispose()
    try:
        assert_error(client.get("/api/v1/places"), 503, "service_unavailable")
        assert client.get("/api/v1/places").status_code == 200
    finally:
        with app.app_context():
            db.engine.dispose()


def test_the_pool_holds_database_pool_size_connections(monkeypatch):
    monkeypatch.setenv("DATABASE_POOL_SIZE", "24")
    app = make_test_app("postgresql+psycopg://postgres@127.0.0.1:1/nowhere",
                        SQLALCHEMY_ENGINE_OPTIONS={"pool_timeout": 5})
    with app.app_context():
        assert db.engine.pool.size() == 24
        assert app.config["SQLALCHEMY_ENGINE_OPTIONS"] == {
            "pool_size": 24, "max_overflow": 24, "pool_recycle": 3600, "pool_timeout": 5}


def test_sqlite_keeps_sqlalchemys_own_pools_even_in_memory():
    app = make_test_app("sqlite://")
    with app.app_context():
        assert db.session.execute(sa.text("SELECT 1")).scalar() == 1
