"""Issue 10's findings, each as a regression test: sessions that end, revocable accounts,
limits per client, start-up refusals, page numbers, file modes, and what citizens read."""
from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from backend import create_app
from backend.config import ConfigError, check_server, load_config
from backend.extensions import db
from backend.infrastructure.wechat import DemoWeChat
from backend.models import AuditLog, Staff
from backend.services.catalog import import_catalog
from backend.services.citizens import set_phone
from backend.services.slots import generate_slots
from backend.services.staff import create_staff
from backend.services.scope import SYSTEM
from tests.conftest import DATA_KEY, make_test_app
from tests.helpers import assert_error, bearer
from tests.factories import trained

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Lk8#pz-Qm2vT-wq"
NEW_PASSWORD = "Yb3!river-Kettle-88"
REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.fixture
def catalog(session, example_catalog, clock):
    import_catalog(session, SYSTEM, example_catalog)
    generate_slots(session, clock.now(), 14)
    session.commit()


@pytest.fixture
def agent(session, catalog, clock) -> Staff:
    staff = create_staff(session, SYSTEM, username="agent1", password=PASSWORD, role="agent",
                         name="李帮办", place_codes=["BS-HALL"], department_code="RSJ",
                         now=clock.now(), training=trained(clock.now()))
    session.commit()  # registered at the RSJ station of BS-HALL as it is created
    return staff


def closed(app) -> None:
    """Close the connections of an app a test made (its pool would outlive the test)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def api_login(client, username="agent1", password=PASSWORD, address="10.0.0.1"):
    return client.post("/api/v1/staff/login", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def api_token(client, **kw) -> dict:
    response = api_login(client, **kw)
    assert response.status_code == 200, response.get_data(as_text=True)
    return bearer(response.get_json()["token"])


def admin_cookie(app, username="agent1", password=PASSWORD):
    """A signed-in admin client and a copy of its session cookie."""
    browser = app.test_client()
    assert browser.post("/admin/login", data={"username": username, "password": password}
                        ).status_code == 302
    return browser, browser.get_cookie("session").value


def opens_admin(app, cookie: str) -> bool:
    """Does a stolen copy of this session cookie still open an admin page?"""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    with app.app_context():  # its own `g`, as a request has outside tests (no cached user)
        return thief.get("/admin/place/").status_code == 200


def api_works(client, headers) -> bool:
    response = client.get("/api/v1/staff/cases", headers=headers)
    if response.status_code == 401:
        return False
    assert response.status_code == 200, response.get_data(as_text=True)
    return True


# 1. Sessions that end ------------------------------------------------------------------------

def test_admin_logout_ends_a_copied_session_cookie_and_every_token(app, client, agent):
    browser, cookie = admin_cookie(app)
    token = api_token(client)
    assert opens_admin(app, cookie)
    assert browser.post("/admin/logout").status_code == 302
    assert not opens_admin(app, cookie)
    assert not api_works(client, token)


def test_api_logout_revokes_the_token_and_the_admin_session(app, client, agent):
    _, cookie = admin_cookie(app)
    token, other_device = api_token(client), api_token(client)
    assert client.post("/api/v1/staff/logout", headers=token).status_code == 204
    assert_error(client.get("/api/v1/staff/cases", headers=token), 401, "unauthorized")
    assert not api_works(client, other_device)
    assert not opens_admin(app, cookie)
    assert_error(client.post("/api/v1/staff/logout", headers=token), 401, "unauthorized")
    assert api_works(client, api_token(client))  # signing in again works


def test_a_role_change_ends_sessions(app, client, session, agent):
    _, cookie = admin_cookie(app)
    token = api_token(client)
    agent.role = "inspector"
    session.commit()
    assert not api_works(client, token)
    assert not opens_admin(app, cookie)


def test_staff_tokens_last_a_working_day_citizen_tokens_longer(app, client, clock, agent):
    staff = api_login(client).get_json()
    assert staff["expires_in"] == 9 * 3600
    citizen = client.post("/api/v1/auth/wechat-login", json={"code": "c1"}).get_json()
    assert citizen["expires_in"] == 7 * 24 * 3600
    _, cookie = admin_cookie(app)
    clock.at += timedelta(hours=9, seconds=1)
    assert not api_works(client, bearer(staff["token"]))
    assert not opens_admin(app, cookie)
    assert client.get("/api/v1/me", headers=bearer(citizen["token"])).status_code == 200
    clock.at += timedelta(days=7)
    assert_error(client.get("/api/v1/me", headers=bearer(citizen["token"])), 401, "unauthorized")


def test_token_lifetimes_are_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("STAFF_TOKEN_MAX_AGE_SECONDS", "3600")
    monkeypatch.setenv("CITIZEN_TOKEN_MAX_AGE_SECONDS", "86400")
    config = load_config(str(tmp_path), {"SECRET_KEY": "k", "DATA_KEY": DATA_KEY})
    assert (config["STAFF_TOKEN_MAX_AGE_SECONDS"], config["CITIZEN_TOKEN_MAX_AGE_SECONDS"]) == (
        3600, 86400)
    monkeypatch.setenv("STAFF_TOKEN_MAX_AGE_SECONDS", "a day")
    with pytest.raises(ConfigError, match="STAFF_TOKEN_MAX_AGE_SECONDS"):
        load_config(str(tmp_path), {})


# 4. The account's lifecycle on the command line ----------------------------------------------

def cli(runner, *args, stdin=None):
    return runner.invoke(args=list(args), input=stdin)


def audited(session, username) -> list[dict]:
    session.commit()  # a fresh look: the command committed in its own session
    rows = session.scalars(sa.select(AuditLog).where(
        AuditLog.entity_key == username, AuditLog.staff_id.is_(None))).all()
    return [json.loads(row.changes) for row in rows]


def test_deactivate_user_ends_everything_at_once(app, client, runner, session, agent):
    _, cookie = admin_cookie(app)
    token = api_token(client)
    result = cli(runner, "deactivate-user", "agent1")
    assert result.exit_code == 0 and "已停用" in result.output
    assert not api_works(client, token)
    assert not opens_admin(app, cookie)
    assert_error(api_login(client), 401, "unauthorized")
    assert {"active": [True, False]}.items() <= audited(session, "agent1")[0].items()
    assert "已是停用状态" in cli(runner, "deactivate-user", "agent1").output

    result = cli(runner, "activate-user", "agent1")
    assert result.exit_code == 0 and "已启用" in result.output
    assert not api_works(client, token)  # the old sessions stay ended
    assert api_works(client, api_token(client))
    assert any(c.get("active") == [False, True] for c in audited(session, "agent1"))


def test_set_password_takes_stdin_checks_strength_and_ends_sessions(app, client, runner, session,
                                                                    agent):
    _, cookie = admin_cookie(app)
    token = api_token(client)
    weak = cli(runner, "set-password", "agent1", stdin="agent1agent1\n")
    assert weak.exit_code == 1 and "密码" in weak.output
    assert api_works(client, token)

    result = cli(runner, "set-password", "agent1", stdin=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert not api_works(client, token)
    assert not opens_admin(app, cookie)
    assert_error(api_login(client), 401, "unauthorized")
    assert api_works(client, api_token(client, password=NEW_PASSWORD))
    assert any(c.get("password_hash") == ["***", "***"] for c in audited(session, "agent1")), \
        audited(session, "agent1")


def test_unlock_user_lifts_the_lock(app, client, runner, session, agent):
    for _ in range(5):
        api_login(client, password="wrong-password-1", address="10.0.0.9")
    assert_error(api_login(client), 429, "rate_limited")
    result = cli(runner, "unlock-user", "agent1")
    assert result.exit_code == 0 and "已解除" in result.output
    assert api_login(client).status_code == 200
    assert audited(session, "agent1")  # the lock's removal, by the command line
    assert "未被锁定" in cli(runner, "unlock-user", "agent1").output


@pytest.mark.parametrize("command", ["deactivate-user", "activate-user", "set-password",
                                     "unlock-user"])
def test_account_commands_refuse_an_unknown_user(runner, agent, command):
    result = cli(runner, command, "nobody", stdin=NEW_PASSWORD + "\n")
    assert result.exit_code == 1 and "nobody" in result.output


# 5. Limits per client ------------------------------------------------------------------------

@pytest.fixture(params=["memory"] + (["redis"] if REDIS_URL else []))
def limited_app(request, database_url, clock):
    """The app with its limits in the process, and in Redis when TEST_REDIS_URL is set (a
    Redis that does not answer then fails the test)."""
    overrides = {"REDIS_URL": REDIS_URL} if request.param == "redis" else {}
    app = make_test_app(database_url, **overrides)
    with app.app_context():
        limiter = app.extensions["banban.limiter"]
        limiter.reset()
        if request.param == "redis":
            assert limiter.storage.check(), "Redis of TEST_REDIS_URL does not answer"
        yield app
        limiter.reset()
        db.session.remove()
        from tests.conftest import _empty_tables
        _empty_tables()
    closed(app)


@pytest.fixture
def limited(limited_app, example_catalog, clock):
    import_catalog(db.session, SYSTEM, example_catalog)
    generate_slots(db.session, clock.now(), 14)
    for username in ("agent1", "agent2"):
        create_staff(db.session, SYSTEM, username=username, password=PASSWORD, role="agent",
                     name="李帮办", place_codes=["BS-HALL"], department_code="RSJ",
                     now=clock.now(), training=trained(clock.now()))
    db.session.commit()
    return limited_app.test_client()


def test_one_address_failing_across_usernames_is_told_to_wait(limited_app, limited):
    """Failures per address, API and admin together, counted in the limiter's storage (in the
    process, and in Redis); a right password still signs in (tests/test_hardening.py)."""
    limited_app.config["STAFF_LOGIN_ADDRESS_RATE_LIMIT"] = "10 per 15 minutes"
    client = limited
    for i in range(10):  # ten names, one wrong password each: no name gets near its own lock
        assert_error(api_login(client, f"user{i}", "Summer2026!", address="10.0.0.66"),
                     401, "unauthorized")
    refused = api_login(client, "user10", "Summer2026!", address="10.0.0.66")
    assert_error(refused, 429, "rate_limited")
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60 + 1
    # The admin's sign-in form shares the count, and says so in Chinese.
    form = client.post("/admin/login", data={"username": "agent2", "password": "x"},
                       environ_base={"REMOTE_ADDR": "10.0.0.66"})
    assert form.status_code == 429 and "登录失败次数过多" in form.get_data(as_text=True)
    assert int(form.headers["Retry-After"]) > 0
    assert api_login(client, "agent1", PASSWORD, address="10.0.0.66").status_code == 200
    # Another address of the hall is not held up.
    assert_error(api_login(client, "user11", "Summer2026!", address="10.0.0.67"),
                 401, "unauthorized")


def test_successful_sign_ins_do_not_count(limited_app, limited):
    limited_app.config["STAFF_LOGIN_ADDRESS_RATE_LIMIT"] = "1 per 15 minutes"
    for _ in range(15):
        assert api_login(limited, "agent1", PASSWORD, address="10.0.0.5").status_code == 200
    assert_error(api_login(limited, "user1", "Summer2026!", address="10.0.0.5"),
                 401, "unauthorized")


def citizen_headers(client, code):
    token = client.post("/api/v1/auth/wechat-login", json={"code": code},
                        environ_base={"REMOTE_ADDR": "10.9.9.9"}).get_json()["token"]
    return bearer(token)


def test_bookings_are_limited_per_citizen_not_per_address(limited_app, limited):
    limited_app.config["BOOKING_RATE_LIMIT"] = "4 per minute"
    client = limited
    slots = client.get("/api/v1/places/BS-HALL/slots").get_json()["items"]
    first, second = citizen_headers(client, "c1"), citizen_headers(client, "c2")
    same_address = {"REMOTE_ADDR": "10.9.9.9"}  # a carrier's shared address
    answers = [client.post(f"/api/v1/bookings/{code}/cancel", headers=first,
                           environ_base=same_address) for code in ("A", "B", "C", "D")]
    assert [a.status_code for a in answers] == [404] * 4
    refused = client.post("/api/v1/bookings", json={"slot": slots[0]["id"], "item": "SB-001"},
                          headers=first, environ_base=same_address)
    assert_error(refused, 429, "rate_limited")
    assert int(refused.headers["Retry-After"]) > 0
    assert client.post("/api/v1/bookings", json={"slot": slots[0]["id"], "item": "SB-001"},
                       headers=second, environ_base=same_address).status_code == 201
    assert client.get("/api/v1/bookings", headers=first).status_code == 200  # reading goes on


def test_cases_are_created_at_a_human_pace(limited_app, limited):
    client = limited
    headers = citizen_headers(client, "c1")
    body = {"item": "SB-001", "place": "BS-HALL", "help_type": "assist",
            "applicant": {"name": "王芳"}}
    answers = [client.post("/api/v1/cases", json=body, headers=headers) for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [201] * 3
    assert_error(answers[3], 429, "rate_limited")


def test_every_citizen_request_counts_against_the_citizen(limited_app, limited):
    limited_app.config["CITIZEN_RATE_LIMIT"] = "3 per minute"
    client = limited
    headers = citizen_headers(client, "c1")
    assert [client.get("/api/v1/me", headers=headers).status_code for _ in range(3)] == [200] * 3
    assert_error(client.get("/api/v1/cases", headers=headers), 429, "rate_limited")
    assert client.get("/api/v1/me", headers=citizen_headers(client, "c2")).status_code == 200
    assert client.get("/api/v1/places").status_code == 200  # public pages are not citizen's


def test_a_request_counts_all_its_limits_in_one_call_to_the_storage(limited_app, limited,
                                                                      monkeypatch):
    counters = limited_app.extensions["banban.limits"]
    calls = []
    increment = counters.increment
    monkeypatch.setattr(counters, "increment", lambda wanted: calls.append(
        [(str(item), ids[-1]) for item, ids in wanted]) or increment(wanted))
    client = limited
    slots = client.get("/api/v1/places/BS-HALL/slots").get_json()["items"]
    assert calls == []  # the public listing counts nothing
    headers = citizen_headers(client, "c1")
    assert client.post("/api/v1/bookings", json={"slot": slots[0]["id"], "item": "SB-001"},
                       headers=headers).status_code == 201
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert calls == [
        # The login, by address (each a call to WeChat), in one call too.
        [("120 per 1 minute", "wechat-login"), ("1200 per 1 hour", "wechat-login")],
        [("120 per 1 minute", "citizen"), ("10 per 1 minute", "citizen-bookings"),
         ("60 per 1 day", "citizen-bookings")],
        [("120 per 1 minute", "citizen")],
    ]
    # Flask-Limiter's own hooks around every request are off: they had no limits of ours to
    # apply, deduct or report.
    hooks = [*limited_app.before_request_funcs.get(None, []),
             *limited_app.after_request_funcs.get(None, []),
             *limited_app.teardown_request_funcs.get(None, [])]
    assert hooks and not [h for h in hooks if "Limiter" in repr(h)]


def test_the_longest_wait_of_the_limits_broken_is_the_one_told(limited_app, limited):
    limited_app.config["BOOKING_RATE_LIMIT"] = "1 per minute;1 per day"
    client = limited
    headers = citizen_headers(client, "c1")
    assert_error(client.post("/api/v1/bookings/A/cancel", headers=headers), 404, "not_found")
    refused = client.post("/api/v1/bookings/A/cancel", headers=headers)
    assert_error(refused, 429, "rate_limited")
    assert 3600 < int(refused.headers["Retry-After"]) <= 24 * 3600


def test_limits_switched_off_count_nothing(limited_app, limited):
    limited_app.config["CITIZEN_RATE_LIMIT"] = "1 per minute"
    limited_app.extensions["banban.limiter"].enabled = False
    try:
        headers = citizen_headers(limited, "c1")
        assert [limited.get("/api/v1/me", headers=headers).status_code
                for _ in range(3)] == [200] * 3
    finally:
        limited_app.extensions["banban.limiter"].enabled = True


@pytest.mark.skipif(not REDIS_URL, reason="needs TEST_REDIS_URL")
def test_redis_counting_survives_a_lost_script_and_a_lost_connection(database_url, clock, caplog):
    """The counts go on one connection of the process's own: Redis forgetting the script (a
    restart, SCRIPT FLUSH) costs nothing but a reload; a connection Redis closed lets one request
    through uncounted (logged), and the next connects again and counts."""
    import redis
    app = make_test_app(database_url, REDIS_URL=REDIS_URL, CITIZEN_RATE_LIMIT="3 per minute")
    with app.app_context():
        app.extensions["banban.limiter"].reset()
        client = app.test_client()
        headers = citizen_headers(client, "c1")
        me = lambda: client.get("/api/v1/me", headers=headers).status_code  # noqa: E731
        assert me() == 200
        admin = redis.Redis.from_url(REDIS_URL)
        admin.script_flush()
        assert me() == 200  # the script loaded again, the count went on: 2
        connection = app.extensions["banban.limits"].redis.connection
        connection.send_command("CLIENT", "ID")
        admin.client_kill_filter(_id=connection.read_response())
        assert me() == 200  # not counted: the connection was gone
        assert "rate limit storage unavailable" in caplog.text
        assert [me(), me()] == [200, 429]  # 3, then over
        app.extensions["banban.limiter"].reset()
        db.session.remove()
        from tests.conftest import _empty_tables
        _empty_tables()
    closed(app)


def test_a_limit_store_that_does_not_answer_refuses_no_one(database_url, clock, caplog):
    app = make_test_app(database_url, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",
                        CITIZEN_RATE_LIMIT="1 per minute")
    with app.app_context():
        client = app.test_client()
        headers = citizen_headers(client, "c1")
        assert [client.get("/api/v1/me", headers=headers).status_code
                for _ in range(2)] == [200] * 2
        assert "rate limit storage unavailable" in caplog.text
        db.session.remove()
        from tests.conftest import _empty_tables
        _empty_tables()
    closed(app)


class FakeTime:
    """time.time and time.monotonic, moved on by the test."""

    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def time(self) -> float:
        return self.now

    monotonic = time


@pytest.fixture
def swept(monkeypatch):
    """The in-process storage on a fake clock, its sweeps recorded instead of run on timers."""
    import limits.storage.memory as memory_module
    from backend.infrastructure import ratelimit
    fake, timers = FakeTime(), []

    class Timer:
        def __init__(self, interval, function):
            timers.append(function)

        def start(self):
            pass

        def is_alive(self):
            return False
    monkeypatch.setattr(memory_module, "time", fake)
    monkeypatch.setattr(ratelimit, "time", fake)
    monkeypatch.setattr(memory_module.threading, "Timer", Timer)
    storage = ratelimit.SweptMemoryStorage()
    timers.clear()  # the one the library starts with the storage
    return SimpleNamespace(storage=storage, clock=fake, timers=timers)


def test_in_process_counters_end_with_their_window(swept):
    storage = swept.storage
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    swept.clock.now += 59
    assert storage.incr("k", 60) == 4
    swept.clock.now += 2  # the window has ended, swept or not
    assert storage.incr("k", 60) == 1


def test_in_process_counters_are_swept_once_a_second_not_on_every_change(swept):
    storage = swept.storage
    for i in range(500):
        storage.incr(f"citizen:{i}", 60)
    assert len(swept.timers) == 1  # the library would start a sweep after each 10 ms
    swept.clock.now += 61
    storage.incr("late", 60)
    assert len(swept.timers) == 2
    swept.timers[-1]()  # the sweep gives the ended counters' memory back
    assert set(storage.storage) == {"late"}


@pytest.mark.parametrize("redis", [False] + ([True] if REDIS_URL else []))
def test_counters_live_in_redis_when_there_is_one_else_in_the_process(database_url, redis):
    from limits.storage import RedisStorage
    from backend.infrastructure.ratelimit import SweptMemoryStorage
    app = make_test_app(database_url, **({"REDIS_URL": REDIS_URL} if redis else {}))
    storage = app.extensions["banban.limiter"].storage
    assert isinstance(storage, RedisStorage if redis else SweptMemoryStorage)
    closed(app)


def test_behind_a_trusted_proxy_the_client_address_counts(database_url, clock):
    app = make_test_app(database_url, PROXY_FIX_HOPS=1, STAFF_LOGIN_ADDRESS_RATE_LIMIT="2 per hour")
    with app.app_context():
        client = app.test_client()
        for _ in range(2):
            client.post("/api/v1/staff/login", json={"username": "x1y", "password": "p"},
                        headers={"X-Forwarded-For": "203.0.113.5"})
        assert client.post("/api/v1/staff/login", json={"username": "x1y", "password": "p"},
                           headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 429
        assert client.post("/api/v1/staff/login", json={"username": "x1y", "password": "p"},
                           headers={"X-Forwarded-For": "203.0.113.6"}).status_code == 401
        app.extensions["banban.limiter"].reset()
        db.session.remove()
        from tests.conftest import _empty_tables
        _empty_tables()
    closed(app)


# 2. Cookies, transport, CSP -----------------------------------------------------------------

def test_secure_cookie_and_hsts_when_configured(monkeypatch, database_url, agent, clock):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    app = make_test_app(database_url)
    cookie = app.test_client().post("/admin/login", data={
        "username": "agent1", "password": PASSWORD}).headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert "Strict-Transport-Security" not in app.test_client().get("/api/v1/places").headers
    closed(app)

    monkeypatch.delenv("SESSION_COOKIE_SECURE")
    monkeypatch.setenv("SERVED_OVER_HTTPS", "1")
    monkeypatch.setenv("PRODUCTION", "0")
    app = make_test_app(database_url, WECHAT_APPID="wx1", WECHAT_SECRET="s")
    response = app.test_client().post("/admin/login", data={
        "username": "agent1", "password": PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]
    assert re.fullmatch(r"max-age=\d{7,}", response.headers["Strict-Transport-Security"])
    closed(app)


def test_without_settings_cookies_are_not_secure(app, client, agent):
    cookie = client.post("/admin/login", data={"username": "agent1", "password": PASSWORD})
    assert "Secure" not in cookie.headers["Set-Cookie"]


def test_admin_pages_carry_a_csp_their_scripts_satisfy(client, agent):
    client.post("/admin/login", data={"username": "agent1", "password": PASSWORD})
    for url in ("/admin/", "/admin/place/", "/admin/logout", "/admin/login"):
        if url == "/admin/login":
            client = client.application.test_client()  # signed out, in a request of its own
            with client.application.app_context():
                response = client.get(url)
        else:
            response = client.get(url)
        policy = response.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in policy and "frame-ancestors 'none'" in policy
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        scripts = re.findall(r"<script\b[^>]*>", response.get_data(as_text=True))
        assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts), url
    # Our own templates hold no inline script or handler at all; a page outside the portal
    # (the public call screen, which Flask-Admin's base does not frame) loads its script from
    # our own static files by `src`.
    for template in (ROOT / "admin" / "templates").rglob("*.html"):
        text = template.read_text()
        tags = re.findall(r"<script\b[^>]*>", text)
        assert all(re.fullmatch(r"<script src=\"\{\{ url_for\('banban_admin\.static', "
                                r"filename='[a-z_]+\.js'\) \}\}\" defer>", tag)
                   for tag in tags), template
        assert not re.search(r"<script\b[^>]*>\s*[^<\s]", text), template
        assert not re.search(r"\son[a-z]+=", text), template


# 3. Refusing to start half-configured --------------------------------------------------------

@pytest.mark.parametrize("env, variable", [
    ({"WECHAT_APPID": "wx123"}, "WECHAT_SECRET"),
    ({"WECHAT_SECRET": "s3cret"}, "WECHAT_APPID"),
    ({"WECHAT_TEMPLATES": '{"booking_confirmed": "t1"}'}, "WECHAT_APPID"),
    ({"WECHAT_API_BASE_URL": "http://127.0.0.1:9/"}, "WECHAT_APPID"),
    ({"DATA_KEY": "not-a-key"}, "DATA_KEY"),
    ({"PRODUCTION": "true", "DATA_KEY": DATA_KEY, "WECHAT_APPID": "wx1", "WECHAT_SECRET": "s"},
     "SECRET_KEY"),
    ({"PRODUCTION": "true", "SECRET_KEY": "k", "WECHAT_APPID": "wx1", "WECHAT_SECRET": "s"},
     "DATA_KEY"),
    ({"SERVED_OVER_HTTPS": "true", "SECRET_KEY": "k", "DATA_KEY": DATA_KEY}, "WECHAT_APPID"),
    ({"PRODUCTION": "maybe"}, "PRODUCTION"),
    ({"WECHAT_TEMPLATES": "{not json"}, "WECHAT_TEMPLATES"),
], ids=["appid-only", "secret-only", "templates-only", "base-url-only", "bad-data-key",
        "production-generated-secret-key", "production-generated-data-key",
        "https-without-wechat", "bad-boolean", "bad-json"])
def test_start_up_refuses_a_half_configuration(monkeypatch, tmp_path, env, variable):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as refused:
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "TESTING": True})
    assert refused.value.variable == variable
    message = str(refused.value)
    assert f"配置错误（{variable}）" in message and f"Configuration error ({variable})" in message


def test_the_demo_login_answers_only_with_no_wechat_variable(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    monkeypatch.setenv("WECHAT_APPID", "wx123")  # the probe's finding: secret forgotten
    with pytest.raises(ConfigError):
        create_app({"DATABASE_URL": url, "TESTING": True})
    monkeypatch.delenv("WECHAT_APPID")
    demo = create_app({"DATABASE_URL": url, "TESTING": True}).extensions["banban.wechat"]
    assert isinstance(demo, DemoWeChat)


def test_the_openapi_says_when_the_demo_login_answers(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/auth/wechat-login", "/me/phone"):
        text = json.dumps(paths[path]["post"], ensure_ascii=False)
        assert "演示模式" in text and "未设置任何微信变量" in text


def test_a_data_key_that_cannot_read_the_stored_data_is_refused(app, database_url, session,
                                                                 make_citizen):
    citizen = make_citizen()
    set_phone(citizen, "13800138000")
    session.commit()
    with pytest.raises(ConfigError, match="citizen.phone_encrypted") as refused:
        make_test_app(database_url, DATA_KEY=Fernet.generate_key().decode())
    assert refused.value.variable == "DATA_KEY"
    closed(make_test_app(database_url))  # the right key starts


def test_sqlite_with_several_workers_is_refused():
    for url in (None, "sqlite:////srv/banban.db"):
        with pytest.raises(ConfigError, match="DATABASE_URL"):
            check_server(url, workers=4)
        check_server(url, workers=1)
    check_server("postgresql+psycopg://banban@db/banban", workers=4)


def test_gunicorn_runs_the_server_check(monkeypatch):
    namespace: dict = {}
    exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    server = SimpleNamespace(cfg=SimpleNamespace(workers=4, bind=namespace["bind"]))
    with pytest.raises(ConfigError):
        namespace["on_starting"](server)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://banban@db/banban")
    namespace["on_starting"](server)


# 6. Page numbers -----------------------------------------------------------------------------

@pytest.mark.parametrize("page", ["9223372036854775807", "100000", "-1", "-9223372036854775809"])
def test_an_admin_page_number_out_of_range_is_no_server_error(client, agent, page):
    client.post("/admin/login", data={"username": "agent1", "password": PASSWORD})
    response = client.get(f"/admin/place/?page={page}&sort=1")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/place/?sort=1")
    assert "页码超出范围" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/admin/place/?page=99999").status_code == 200  # in range: an empty page


def test_an_api_page_number_out_of_range_is_invalid_input(client):
    assert_error(client.get("/api/v1/places?page=9223372036854775807"), 422, "invalid_input")


# 7. Files holding secrets or personal data ----------------------------------------------------

def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_instance_files_are_readable_by_their_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        instance = tmp_path / "instance"
        config = load_config(str(instance))
        app_db = sa.create_engine(config["DATABASE_URL"])
        with app_db.begin() as conn:
            conn.execute(sa.text("CREATE TABLE t (x INTEGER)"))
        app_db.dispose()
    finally:
        os.umask(old)
    assert mode(instance) == 0o700
    for name in ("secret_key", "data_key", "banban.db"):
        assert mode(instance / name) == 0o600, name


def test_the_demo_passwords_file_is_readable_by_its_owner_only(tmp_path):
    # The Makefile's own recipe, with a stand-in for `flask seed-demo`.
    subprocess.run(["make", "-s", "-C", str(tmp_path), "-f", str(ROOT / "Makefile"),
                    "instance/.demo-seeded", "FLASK=echo 密码"], check=True,
                   capture_output=True, env={**os.environ, "MAKEFLAGS": ""})
    assert mode(tmp_path / "instance" / "demo-accounts.txt") == 0o600


# 8 and 9. What citizens read; bodies as declared ---------------------------------------------

def test_citizens_never_read_an_agent_username(client, agent):
    headers = citizen_headers(client, "c1")
    body = {"item": "SB-001", "place": "BS-HALL", "help_type": "assist",
            "applicant": {"name": "王芳"}}
    number = client.post("/api/v1/cases", json=body, headers=headers).get_json()["number"]
    for answer in (client.get(f"/api/v1/cases/{number}", headers=headers).get_json(),
                   client.get("/api/v1/cases", headers=headers).get_json()["items"][0]):
        assert answer["agent"] == {"name": "李帮办", "phone": None}
    staff = client.get(f"/api/v1/staff/cases/{number}", headers=api_token(client)).get_json()
    assert staff["agent"]["username"] == "agent1"


def test_bodies_are_required_exactly_where_the_document_says(client, agent):
    spec = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "requestBody" not in spec["/cases/{number}/withdraw"]["post"]
    assert spec["/staff/cases/{number}/complete"]["post"]["requestBody"]["required"] is False
    assert spec["/me"]["patch"]["requestBody"]["required"] is True

    headers = citizen_headers(client, "c1")
    assert_error(client.patch("/api/v1/me", headers=headers), 422, "invalid_input")
    assert_error(client.patch("/api/v1/me", json={}, headers=headers), 422, "invalid_input")
    assert client.patch("/api/v1/me", json={"name": "王芳"}, headers=headers).status_code == 200
    assert_error(client.post("/api/v1/cases/BS-20261130-0001/review", headers=headers),
                 422, "invalid_input")

    body = {"item": "SB-001", "place": "BS-HALL", "help_type": "assist",
            "applicant": {"name": "王芳"}}
    number = client.post("/api/v1/cases", json=body, headers=headers).get_json()["number"]
    withdrawn = client.post(f"/api/v1/cases/{number}/withdraw", headers=headers)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"


def test_api_requests_open_no_cookie_session(app, client):
    from flask import session
    from flask.sessions import NullSession
    with app.test_request_context("/api/v1/places"):
        app.preprocess_request()
        assert isinstance(session._get_current_object(), NullSession)
    with app.test_request_context("/admin/login"):
        assert not isinstance(session._get_current_object(), NullSession)
    assert "Set-Cookie" not in client.get("/api/v1/places").headers


def test_a_hall_guide_signs_in_everywhere_but_works_no_case(app, client, session, catalog, clock,
                                                           make_case):
    """引导员: an account of its places, like an agent's, that sees no case anywhere (the API's
    list, a case by number, the admin's case pages) and answers no online question."""
    create_staff(session, SYSTEM, username="guide1", password=PASSWORD, role="guide",
                 name="孙引导", place_codes=["BS-HALL"], now=clock.now())
    session.commit()
    create_staff(session, SYSTEM, username="agent1", password=PASSWORD, role="agent",
                 name="李帮办", place_codes=["BS-HALL"], department_code="RSJ",
                 now=clock.now(), training=trained(clock.now()))
    session.commit()
    case = make_case("submitted")
    token = bearer(client.post("/api/v1/staff/login", json={
        "username": "guide1", "password": PASSWORD}).get_json()["token"])
    assert client.get("/api/v1/staff/cases", headers=token).get_json()["total"] == 0
    assert_error(client.get(f"/api/v1/staff/cases/{case.number}", headers=token), 404,
                 "not_found")
    assert client.get("/api/v1/staff/consultations", headers=token).get_json()["total"] == 0
    browser = app.test_client()
    assert browser.post("/admin/login", data={"username": "guide1",
                                              "password": PASSWORD}).status_code == 302
    assert browser.get("/admin/floor-log/").status_code == 200
    for page in ("/admin/case/", "/admin/window/", "/admin/visits/", "/admin/originals/",
                 "/admin/consultations/", "/admin/report/"):
        assert browser.get(page).status_code == 403, page
