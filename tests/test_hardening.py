"""Issue 21's findings (the second security pass), each as a regression test: what a sign-in
costs whoever the name, limits that fit a hall, the WeChat login's limit, and the headers on
every answer. (The spreadsheet's text cells: tests/test_reports.py; the registry form's scope:
tests/test_admin_work.py; the subscription quota's cap: tests/test_notifications.py.)"""
from __future__ import annotations

import pytest

from backend.extensions import db
from backend.services import staff as staff_service
from backend.services.catalog import import_catalog
from backend.services.scope import SYSTEM
from backend.services.staff import authenticate, create_staff, deactivate_staff
from tests.helpers import assert_error

PASSWORD = "Lk8#pz-Qm2vT-wq"


@pytest.fixture
def agents(session, example_catalog, clock):
    """agent1 active, agent2 deactivated (same password)."""
    import_catalog(session, SYSTEM, example_catalog)
    made = {username: create_staff(session, SYSTEM, username=username, password=PASSWORD,
                                   role="agent", name="李帮办", place_codes=["BS-HALL"],
                                   department_code="RSJ", now=clock.now())
            for username in ("agent1", "agent2")}
    deactivate_staff(session, SYSTEM, made["agent2"])
    session.commit()
    return made


# 5. A sign-in costs one password hash whoever the name ----------------------------------------

@pytest.fixture
def hashes(monkeypatch):
    """Counts the password checks a sign-in makes (each a full scrypt/pbkdf2 hash)."""
    calls = []
    real = staff_service.check_password_hash

    def counted(stored, password):
        calls.append(stored)
        return real(stored, password)
    monkeypatch.setattr(staff_service, "check_password_hash", counted)
    return calls


@pytest.mark.parametrize("username, password, signed_in", [
    ("agent1", PASSWORD, True),          # active, right password
    ("agent1", "wrong-password-1", False),
    ("agent2", PASSWORD, False),         # deactivated, right password
    ("agent2", "wrong-password-1", False),
    ("nobody", PASSWORD, False),         # unknown
])
def test_every_sign_in_costs_one_password_hash(session, agents, clock, hashes, username,
                                               password, signed_in):
    staff = authenticate(session, username, password, clock.now())
    assert (staff is not None) == signed_in
    assert len(hashes) == 1


def test_a_deactivated_account_is_refused_as_a_wrong_password_is(client, agents, hashes):
    answers = [client.post("/api/v1/staff/login", json={"username": name, "password": PASSWORD})
               for name in ("agent2", "nobody")]
    for answer in answers:
        assert_error(answer, 401, "unauthorized")
    assert answers[0].get_json() == answers[1].get_json()
    assert len(hashes) == 2


# 7. Headers on every answer, and a CSP on the API's docs page ---------------------------------

EVERY_ANSWER = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def assert_every_answer_headers(response, what: str) -> None:
    for name, value in EVERY_ANSWER.items():
        assert response.headers.get(name) == value, (what, response.status_code, name)
    assert len(response.headers.getlist("X-Content-Type-Options")) == 1, what


@pytest.fixture
def listed(session, example_catalog, clock):
    from backend.services.slots import generate_slots
    import_catalog(session, SYSTEM, example_catalog)
    generate_slots(session, clock.now(), 14)
    session.commit()


@pytest.mark.parametrize("method, path, status", [
    ("get", "/api/v1/places", 200),
    ("get", "/api/v1/places/BS-HALL/slots", 200),           # computed, then kept
    ("get", "/api/v1/places/BS-HALL/slots", 200),           # from the cache, before Flask
    ("get", "/api/v1/openapi.json", 200),
    ("get", "/api/v1/docs", 200),
    ("get", "/api/v1/docs/static/swagger-ui.css", 200),
    ("get", "/api/v1/me", 401),
    ("post", "/api/v1/places", 405),
    ("get", "/api/v1/no-such-route", 404),
    ("post", "/api/v1/auth/wechat-login", 422),             # no body
    ("get", "/admin/login", 200),
    ("get", "/admin/", 302),
    ("get", "/admin/banban-static/inline_handlers.js", 200),
    ("get", "/admin/no-such-page/", 404),
    ("get", "/no-such-page", 404),
])
def test_every_answer_carries_nosniff_and_a_referrer_policy(client, listed, method, path,
                                                            status):
    response = getattr(client, method)(path)
    if path.endswith("/slots"):  # the second one is served from the cache the first filled
        response.close()
        response = client.get(path)
    assert response.status_code == status
    assert_every_answer_headers(response, path)
    response.close()


def test_server_errors_carry_them_too(database_url, clock):
    from tests.conftest import make_test_app
    app = make_test_app(database_url, PROPAGATE_EXCEPTIONS=False)

    def fail():
        raise RuntimeError("a fault of ours")
    app.add_url_rule("/api/v1/fail-for-test", "api_fail", fail)
    app.add_url_rule("/fail-for-test", "page_fail", fail)
    with app.app_context():
        client = app.test_client()
        for path in ("/api/v1/fail-for-test", "/fail-for-test"):
            response = client.get(path)
            assert response.status_code == 500
            assert_every_answer_headers(response, path)
        db.session.remove()
        db.engine.dispose()


def test_the_api_docs_page_has_a_policy_that_lets_only_our_own_files_run(client):
    response = client.get("/api/v1/docs")
    policy = dict(part.strip().split(" ", 1) for part in
                  response.headers["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["connect-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    html = response.get_data(as_text=True)
    # No inline script for that policy to refuse: every script is a file of ours.
    import re
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
    assert scripts and all(not body.strip() for body in scripts)
    assert all(re.search(r'src="/api/v1/docs/', tag)
               for tag in re.findall(r"<script\b[^>]*>", html))
