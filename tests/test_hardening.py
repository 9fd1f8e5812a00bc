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
from tests.factories import trained

PASSWORD = "Lk8#pz-Qm2vT-wq"


@pytest.fixture
def agents(session, example_catalog, clock):
    """agent1 active, agent2 deactivated (same password)."""
    import_catalog(session, SYSTEM, example_catalog)
    made = {username: create_staff(session, SYSTEM, username=username, password=PASSWORD,
                                   role="agent", name="李帮办", place_codes=["BS-HALL"],
                                   department_code="RSJ", now=clock.now(), training=trained(clock.now()))
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


# 2. The WeChat login, counted per client address -----------------------------------------------

def wechat_login(client, code: str, address: str = "10.20.0.1"):
    return client.post("/api/v1/auth/wechat-login", json={"code": code},
                       environ_base={"REMOTE_ADDR": address})


def test_wechat_logins_are_limited_per_client_address(app, client):
    """Each login is a call to WeChat (and, in demo mode, a new citizen): a script on one address
    stops at WECHAT_LOGIN_RATE_LIMIT, in the one error shape with when to come back."""
    app.config["WECHAT_LOGIN_RATE_LIMIT"] = "5 per minute"
    for n in range(5):
        assert wechat_login(client, f"flood-{n}").status_code == 200
    refused = wechat_login(client, "flood-5")
    assert_error(refused, 429, "rate_limited")
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    # WeChat was not asked: no citizen was made for the refused code.
    from backend.models import Citizen
    from sqlalchemy import func, select
    assert db.session.scalar(select(func.count()).select_from(Citizen)) == 5
    # Another address (another carrier's, another hall's) is not held up.
    assert wechat_login(client, "flood-6", address="10.20.0.2").status_code == 200


def test_the_wechat_login_limit_is_generous():
    """Carriers put many people behind one address: two logins a second, 1,200 an hour (a
    citizen's token lasts a week, so each signs in about once a week)."""
    from backend.config import DEFAULTS
    assert DEFAULTS["WECHAT_LOGIN_RATE_LIMIT"] == "120 per minute;1200 per hour"


def test_a_signed_in_citizen_is_not_counted_by_address(app, client):
    app.config["WECHAT_LOGIN_RATE_LIMIT"] = "2 per minute"
    headers = {"Authorization": "Bearer " + wechat_login(client, "c1").get_json()["token"]}
    wechat_login(client, "c2")
    for _ in range(5):  # the same address, signed in: only the citizen's own limits count
        assert client.get("/api/v1/me", headers=headers,
                          environ_base={"REMOTE_ADDR": "10.20.0.1"}).status_code == 200


# 4. Sign-in limits that fit a hall -------------------------------------------------------------

HALL_ADDRESS = "10.30.0.1"


def staff_login(client, username: str, password: str, address: str = HALL_ADDRESS):
    return client.post("/api/v1/staff/login", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def admin_login(app, username: str, password: str, address: str = HALL_ADDRESS):
    """A browser of its own, in a request of its own (`g` holds no signed-in user)."""
    with app.app_context():
        return app.test_client().post("/admin/login", data={"username": username,
                                                            "password": password},
                                      environ_base={"REMOTE_ADDR": address})


def test_a_right_password_gets_through_an_address_with_many_failures(app, client, agents):
    """One colleague's typos (or a script's guesses) from the hall's address lock nobody else
    out: the address counts failures only, and a right password for a name that is not locked
    signs in whatever the address's count."""
    app.config["STAFF_LOGIN_ADDRESS_RATE_LIMIT"] = "10 per 15 minutes"
    for n in range(10):  # ten names, one wrong password each: no name near its own lock
        assert_error(staff_login(client, f"typo{n}", "wrong-password-1"), 401, "unauthorized")
    over = staff_login(client, "typo10", "wrong-password-1")
    assert_error(over, 429, "rate_limited")
    assert 0 < int(over.headers["Retry-After"]) <= 15 * 60 + 1
    assert "登录失败次数过多" in over.get_json()["error"]["message"]

    assert staff_login(client, "agent1", PASSWORD).status_code == 200
    assert admin_login(app, "agent1", PASSWORD).status_code == 302
    # A wrong one from there is still refused by the address, in the admin's form too.
    form = admin_login(app, "agent1", "wrong-password-1")
    assert form.status_code == 429 and "登录失败次数过多" in form.get_data(as_text=True)
    assert int(form.headers["Retry-After"]) > 0


def test_guesses_past_the_address_limit_still_count_against_the_name(app, client, agents):
    app.config["STAFF_LOGIN_ADDRESS_RATE_LIMIT"] = "1 per 15 minutes"
    for _ in range(5):  # the address is over after the first; the name locks at the fifth
        staff_login(client, "agent1", "wrong-password-1")
    locked = staff_login(client, "agent1", PASSWORD, address="10.30.0.2")
    assert_error(locked, 429, "rate_limited")
    assert "locked_until" in locked.get_json()["error"]["details"]


def test_refusals_of_a_locked_name_are_not_counted_against_the_address(app, client, agents):
    """Attempts at a locked name check no password: they guess nothing and count nothing."""
    app.config["STAFF_LOGIN_ADDRESS_RATE_LIMIT"] = "6 per 15 minutes"
    for _ in range(5):
        staff_login(client, "agent1", "wrong-password-1")
    for _ in range(10):
        assert "locked_until" in staff_login(client, "agent1", PASSWORD).get_json()["error"][
            "details"]
    assert_error(staff_login(client, "someone", "wrong-password-1"), 401, "unauthorized")


def test_the_address_limit_fits_a_hall_of_fifty(app, client, session, agents, clock):
    """STAFF_LOGIN_ADDRESS_RATE_LIMIT is 250 per 15 minutes: fifty staff behind one address, each
    typing wrong until their own name locks (5), make 250 failures, all answered as wrong
    passwords; only a client trying more names than a hall has goes past it."""
    assert app.config["STAFF_LOGIN_ADDRESS_RATE_LIMIT"] == "250 per 15 minutes"
    for n in range(50):
        for _ in range(5):
            assert_error(staff_login(client, f"hall{n:02d}", "wrong-password-1"),
                         401, "unauthorized")
    assert_error(staff_login(client, "a-script", "wrong-password-1"), 429, "rate_limited")
    assert staff_login(client, "agent1", PASSWORD).status_code == 200


def test_behind_a_proxy_the_app_port_is_bound_to_loopback_only():
    """PROXY_FIX_HOPS trusts X-Forwarded-For: a client reaching the application's port directly
    could name any address and escape every limit per address. The server's settings bind
    loopback (or a unix socket), and a bind anyone could reach is refused with proxies."""
    import os
    from pathlib import Path
    from types import SimpleNamespace
    from backend.config import ConfigError, check_server
    root = Path(__file__).resolve().parent.parent
    settings: dict = {}
    exec(compile((root / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), settings)
    assert settings["bind"] == ["127.0.0.1:8000"]
    deploy = (root / "README.md").read_text().split("## 部署 (Deploy)")[1]
    command = deploy.split("```sh")[1].split("```")[0]
    assert "--bind" not in command and "PROXY_FIX_HOPS=1" in command

    url = "postgresql+psycopg://banban@db/banban"
    for bind in (["127.0.0.1:8000"], ["[::1]:8000"], ["localhost:8000"],
                 ["unix:/run/banban/gunicorn.sock"]):
        check_server(url, 4, bind, proxy_hops=1)
    for bind in (["0.0.0.0:8000"], [":8000"], ["10.0.0.5:8000"], ["127.0.0.1:8000", "[::]:8000"]):
        with pytest.raises(ConfigError) as refused:
            check_server(url, 4, bind, proxy_hops=1)
        assert refused.value.variable == "PROXY_FIX_HOPS"
        check_server(url, 4, bind, proxy_hops=0)  # no proxy trusted: nothing to forge

    # gunicorn's own start-up hook reads the hops from the environment.
    saved = os.environ.get("PROXY_FIX_HOPS")
    try:
        os.environ.update(PROXY_FIX_HOPS="1", DATABASE_URL=url)
        with pytest.raises(ConfigError):
            settings["on_starting"](SimpleNamespace(cfg=SimpleNamespace(
                workers=4, bind=["0.0.0.0:8000"])))
        settings["on_starting"](SimpleNamespace(cfg=SimpleNamespace(
            workers=4, bind=["127.0.0.1:8000"])))
    finally:
        os.environ.pop("DATABASE_URL", None)
        if saved is None:
            os.environ.pop("PROXY_FIX_HOPS", None)
        else:
            os.environ["PROXY_FIX_HOPS"] = saved
