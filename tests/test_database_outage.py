"""A database that is down, or a pooled connection that died, answers 503 service_unavailable,
never a 500; the next request after a lost connection connects afresh."""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

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
