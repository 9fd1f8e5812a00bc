"""Citizen login and profile through the API (docs/api.md "Citizen side": /auth/wechat-login, /me,
/me/phone), in demo mode and against the loopback fake WeChat server."""
import logging

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.infrastructure.wechat import DemoWeChat, WeChat
from backend.models import Citizen
from tests.conftest import make_test_app
from tests.fake_wechat import CODE_TO_SESSION, PHONE_NUMBER, FakeWeChat
from tests.helpers import assert_error, bearer

LOGIN, ME, PHONE = "/api/v1/auth/wechat-login", "/api/v1/me", "/api/v1/me/phone"
ID_NUMBER = "11010519491231002X"          # valid GB 11643 checksum, born 1949-12-31
ID_NUMBER_2 = "370304199003071231"        # valid, born 1990-03-07


@pytest.fixture
def login(client):
    def login(code="wx-code-1"):
        response = client.post(LOGIN, json={"code": code})
        assert response.status_code == 200, response.get_data(as_text=True)
        return bearer(response.get_json()["token"])
    return login


def make_live_app(app, clock, fake):
    """A second app on the same database, with credentials, talking to the fake server."""
    return make_test_app(app.config["DATABASE_URL"], CLOCK=clock, WECHAT_APPID=fake.appid,
                         WECHAT_SECRET=fake.secret, WECHAT_API_BASE_URL=fake.url)


def dispose(live_app):
    live_app.extensions["banban.wechat"].close()
    with live_app.app_context():
        db.engine.dispose()


@pytest.fixture
def live(app, clock, fake_wechat):
    live_app = make_live_app(app, clock, fake_wechat)
    assert isinstance(live_app.extensions["banban.wechat"], WeChat)
    yield live_app.test_client()
    dispose(live_app)


@pytest.fixture
def live_login(live, fake_wechat):
    def login(code="live-code-1", openid="openid-live-1"):
        fake_wechat.register_login(code, openid, "session-key-secret-1")
        response = live.post(LOGIN, json={"code": code})
        assert response.status_code == 200, response.get_data(as_text=True)
        return bearer(response.get_json()["token"])
    return login


def citizen_rows(session):
    session.rollback()  # see what other connections committed
    return session.execute(sa.text("SELECT * FROM citizen")).mappings().all()


# Demo mode ----------------------------------------------------------------------------------

def test_demo_login_answers_a_token_and_an_empty_citizen(client, app):
    assert isinstance(app.extensions["banban.wechat"], DemoWeChat)
    response = client.post(LOGIN, json={"code": "any-code"})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"token", "expires_in", "citizen"}
    assert body["token"] and isinstance(body["token"], str)
    assert body["expires_in"] == 7 * 24 * 3600
    assert body["citizen"] == {"name": None, "id_number": None, "phone": None}
    me = client.get(ME, headers=bearer(body["token"]))
    assert me.status_code == 200
    assert me.get_json() == {"name": None, "id_number": None, "phone": None}


def test_demo_login_same_code_same_citizen_other_code_other_citizen(client, session, login):
    first = login("code-a")
    assert client.patch(ME, json={"name": "张三"}, headers=first).status_code == 200
    again = login("code-a")
    assert client.get(ME, headers=again).get_json()["name"] == "张三"
    other = login("code-b")
    assert client.get(ME, headers=other).get_json()["name"] is None
    assert len(citizen_rows(session)) == 2


@pytest.mark.parametrize("body", [{}, {"code": ""}, {"code": None}, {"code": 42}])
def test_login_without_a_code_is_invalid_input(client, session, body):
    error = assert_error(client.post(LOGIN, json=body), 422, "invalid_input")
    assert "code" in str(error["details"])
    assert citizen_rows(session) == []


def test_demo_phone(client, login):
    headers = login()
    response = client.post(PHONE, json={"code": "13800138000"}, headers=headers)
    assert response.status_code == 200
    assert response.get_json() == {"name": None, "id_number": None, "phone": "138****8000"}
    assert client.get(ME, headers=headers).get_json()["phone"] == "138****8000"


@pytest.mark.parametrize("code", ["12345", "23800138000", "1380013800a"])
def test_demo_phone_refuses_what_is_not_a_phone(client, session, login, code):
    headers = login()
    error = assert_error(client.post(PHONE, json={"code": code}, headers=headers),
                         422, "invalid_input")
    assert "phone" in error["details"]
    assert [row["phone_encrypted"] for row in citizen_rows(session)] == [None]


def test_phone_needs_a_citizen_token(client):
    assert_error(client.post(PHONE, json={"code": "13800138000"}), 401, "unauthorized")


# Live mode (credentials set, fake WeChat) ---------------------------------------------------

def test_live_login_exchanges_the_code_with_wechat(live, fake_wechat, session):
    fake_wechat.register_login("wx-real-code", "openid-42", "the-session-key-xyz",
                               unionid="union-42")
    response = live.post(LOGIN, json={"code": "wx-real-code"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"token", "expires_in", "citizen"}
    assert body["expires_in"] == 7 * 24 * 3600
    assert body["citizen"] == {"name": None, "id_number": None, "phone": None}
    text = response.get_data(as_text=True)
    assert "the-session-key-xyz" not in text and "session_key" not in text
    [call] = fake_wechat.calls(CODE_TO_SESSION)
    assert call.query["js_code"] == "wx-real-code"
    assert call.query["appid"] == fake_wechat.appid
    assert call.query["grant_type"] == "authorization_code"
    [row] = citizen_rows(session)
    assert (row["openid"], row["unionid"]) == ("openid-42", "union-42")
    assert live.get(ME, headers=bearer(body["token"])).status_code == 200


def test_live_login_same_openid_same_citizen(live, fake_wechat, session):
    for code in ("code-1", "code-2"):
        fake_wechat.register_login(code, "openid-same", "sk")
        assert live.post(LOGIN, json={"code": code}).status_code == 200
    assert len(citizen_rows(session)) == 1


@pytest.mark.parametrize("code", ["unknown-code", "demo"])
def test_live_login_with_a_code_wechat_does_not_know(live, fake_wechat, session, code):
    # A demo-style arbitrary code is refused once credentials are set.
    error = assert_error(live.post(LOGIN, json={"code": code}), 401, "unauthorized")
    assert "微信" in error["message"]
    assert [c.query["js_code"] for c in fake_wechat.calls(CODE_TO_SESSION)] == [code]
    assert citizen_rows(session) == []


def test_live_login_code_used_twice(live, fake_wechat):
    fake_wechat.register_login("once", "openid-once", "sk")
    assert live.post(LOGIN, json={"code": "once"}).status_code == 200
    assert_error(live.post(LOGIN, json={"code": "once"}), 401, "unauthorized")


def test_live_login_with_wechat_unreachable_is_503(app, clock, session):
    fake = FakeWeChat()
    live_app = make_live_app(app, clock, fake)
    fake.close()
    try:
        response = live_app.test_client().post(LOGIN, json={"code": "wx-real-code"})
        error = assert_error(response, 503, "wechat_unavailable")
        assert fake.url not in error["message"] and fake.secret not in response.get_data(as_text=True)
    finally:
        dispose(live_app)
    assert citizen_rows(session) == []


def test_live_login_with_wechat_failing_is_503(live, fake_wechat, session):
    fake_wechat.queue_error(CODE_TO_SESSION, -1)
    fake_wechat.register_login("wx-real-code", "openid-42", "sk")
    assert_error(live.post(LOGIN, json={"code": "wx-real-code"}), 503, "wechat_unavailable")
    assert citizen_rows(session) == []


def test_live_phone(live, live_login, fake_wechat, session):
    headers = live_login()
    fake_wechat.register_phone("phone-code-1", "13800138000")
    response = live.post(PHONE, json={"code": "phone-code-1"}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"name": None, "id_number": None, "phone": "138****8000"}
    [call] = fake_wechat.calls(PHONE_NUMBER)
    assert call.json == {"code": "phone-code-1"}
    assert call.query["access_token"]
    assert live.get(ME, headers=headers).get_json()["phone"] == "138****8000"


def test_live_phone_with_a_bad_code_stores_nothing(live, live_login, fake_wechat, session):
    headers = live_login()
    error = assert_error(live.post(PHONE, json={"code": "13800138000"}, headers=headers),
                         401, "unauthorized")
    assert "手机号" in error["message"]
    assert [c.json for c in fake_wechat.calls(PHONE_NUMBER)] == [{"code": "13800138000"}]
    assert [row["phone_encrypted"] for row in citizen_rows(session)] == [None]
    assert live.get(ME, headers=headers).get_json()["phone"] is None


def test_live_phone_with_wechat_failing_is_503(live, live_login, fake_wechat, session):
    headers = live_login()
    fake_wechat.register_phone("phone-code-1", "13800138000")
    fake_wechat.queue_error(PHONE_NUMBER, 45009)
    assert_error(live.post(PHONE, json={"code": "phone-code-1"}, headers=headers),
                 503, "wechat_unavailable")
    assert [row["phone_encrypted"] for row in citizen_rows(session)] == [None]


# GET /me: tokens --------------------------------------------------------------------------

def test_me_without_a_token(client):
    assert_error(client.get(ME), 401, "unauthorized")
    assert_error(client.get(ME, headers={"Authorization": "Bearer "}), 401, "unauthorized")
    assert_error(client.get(ME, headers={"Authorization": "Basic abc"}), 401, "unauthorized")


def test_me_refuses_a_staff_token(client, app):
    from backend.infrastructure.tokens import issue_token
    token, _ = issue_token("staff", 1, "v")
    assert_error(client.get(ME, headers=bearer(token)), 401, "unauthorized")


def test_me_refuses_a_tampered_token(client, login):
    token = login()["Authorization"].removeprefix("Bearer ")
    head, _, signature = token.rpartition(".")
    tampered = f"{head}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    assert_error(client.get(ME, headers=bearer(tampered)), 401, "unauthorized")
    assert_error(client.get(ME, headers=bearer(token + "x")), 401, "unauthorized")
    assert_error(client.get(ME, headers=bearer("not-a-token")), 401, "unauthorized")


def test_me_refuses_a_token_signed_with_another_key(client, app, login):
    headers = login()
    app.config["SECRET_KEY"] = "another-secret"
    assert_error(client.get(ME, headers=headers), 401, "unauthorized")


def test_me_refuses_an_expired_token(client, clock, login):
    headers = login()
    clock.advance(seconds=7 * 24 * 3600)
    assert client.get(ME, headers=headers).status_code == 200
    clock.advance(seconds=1)
    error = assert_error(client.get(ME, headers=headers), 401, "unauthorized")
    assert "过期" in error["message"]


# PATCH /me ----------------------------------------------------------------------------------

def test_patch_name_and_id_number(client, login):
    headers = login()
    response = client.patch(ME, json={"name": "张三", "id_number": ID_NUMBER}, headers=headers)
    assert response.status_code == 200
    assert response.get_json() == {"name": "张三", "id_number": "110***********002X", "phone": None}
    assert client.get(ME, headers=headers).get_json()["id_number"] == "110***********002X"
    # Fields left out are kept.
    response = client.patch(ME, json={"name": "李四"}, headers=headers)
    assert response.get_json() == {"name": "李四", "id_number": "110***********002X", "phone": None}
    response = client.patch(ME, json={"id_number": ID_NUMBER_2}, headers=headers)
    assert response.get_json() == {"name": "李四", "id_number": "370***********1231", "phone": None}


def test_patch_name_length(client, session, login):
    headers = login()
    assert client.patch(ME, json={"name": "名" * 50}, headers=headers).get_json()["name"] == "名" * 50
    error = assert_error(client.patch(ME, json={"name": "名" * 51}, headers=headers),
                         422, "invalid_input")
    assert "name" in str(error["details"])
    assert client.get(ME, headers=headers).get_json()["name"] == "名" * 50


def test_lowercase_x_is_accepted_and_normalised(client, session, login):
    headers = login()
    response = client.patch(ME, json={"id_number": ID_NUMBER.lower()}, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["id_number"] == "110***********002X"
    from backend.services.citizens import id_number_of
    session.rollback()
    assert id_number_of(session.scalar(sa.select(Citizen))) == ID_NUMBER


@pytest.mark.parametrize("bad", [
    "110105194912310021",   # wrong check digit
    "11010519491231002",    # 17 characters
    "11010519491331002X",   # month 13 (and so a bad checksum too)
    "abcdefghijklmnopqr",
])
def test_bad_id_number_is_refused_and_nothing_stored(client, session, login, bad):
    headers = login()
    client.patch(ME, json={"id_number": ID_NUMBER}, headers=headers)
    error = assert_error(client.patch(ME, json={"name": "王五", "id_number": bad}, headers=headers),
                         422, "invalid_input")
    assert "id_number" in str(error["details"])
    assert client.get(ME, headers=headers).get_json() == {
        "name": None, "id_number": "110***********002X", "phone": None}


def test_id_number_born_in_the_future_is_refused(client, session, login):
    headers = login()
    # A valid checksum, born 2026-12-01: the day after the clock's today (2026-11-30).
    error = assert_error(client.patch(ME, json={"id_number": "110105202612010014"},
                                      headers=headers), 422, "invalid_input")
    assert "id_number" in error["details"]
    assert [row["id_number_encrypted"] for row in citizen_rows(session)] == [None]
    # Born today is fine.
    response = client.patch(ME, json={"id_number": "11010520261130001X"}, headers=headers)
    assert response.status_code == 200


def test_empty_id_number_clears_it(client, session, login):
    headers = login()
    client.patch(ME, json={"id_number": ID_NUMBER}, headers=headers)
    response = client.patch(ME, json={"id_number": ""}, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["id_number"] is None
    assert [row["id_number_encrypted"] for row in citizen_rows(session)] == [None]


def test_patch_me_needs_a_citizen_token(client):
    assert_error(client.patch(ME, json={"name": "张三"}), 401, "unauthorized")


def test_post_me_is_patch_me_for_wx_request(client, login):
    """wx.request has no PATCH: POST /me does the same, with the same checks."""
    headers = login()
    response = client.post(ME, json={"name": "张三", "id_number": ID_NUMBER}, headers=headers)
    assert response.get_json() == {"name": "张三", "id_number": "110***********002X", "phone": None}
    assert client.post(ME, json={"name": "李四"}, headers=headers).get_json()["id_number"] == (
        "110***********002X")
    assert_error(client.post(ME, json={"id_number": "110105194912310021"}, headers=headers),
                 422, "invalid_input")
    assert_error(client.post(ME, json={}, headers=headers), 422, "invalid_input")
    assert_error(client.post(ME, json={"name": "张三"}), 401, "unauthorized")
    assert client.get(ME, headers=headers).get_json()["name"] == "李四"


# Personal data at rest and in logs ------------------------------------------------------------

def assert_not_in_rows(rows, *secrets):
    for row in rows:
        for column, value in row.items():
            if isinstance(value, memoryview):
                value = value.tobytes()
            for secret in secrets:
                if isinstance(value, bytes):
                    assert secret.encode() not in value, column
                    assert secret.lower().encode() not in value, column
                elif isinstance(value, str):
                    assert secret not in value and secret.lower() not in value, column


def test_id_number_and_phone_are_encrypted_at_rest(client, session, login):
    headers = login()
    client.patch(ME, json={"name": "张三", "id_number": ID_NUMBER}, headers=headers)
    client.post(PHONE, json={"code": "13800138000"}, headers=headers)
    rows = citizen_rows(session)
    assert len(rows) == 1
    assert rows[0]["phone_encrypted"] is not None and rows[0]["id_number_encrypted"] is not None
    assert_not_in_rows(rows, ID_NUMBER, "13800138000", "19491231")


def test_id_number_and_phone_never_reach_the_logs(client, caplog, login):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")  # SQLAlchemy pins its own level
    headers = login()
    client.patch(ME, json={"id_number": ID_NUMBER}, headers=headers)
    client.patch(ME, json={"id_number": "110105194912310021"}, headers=headers)  # refused
    client.post(PHONE, json={"code": "13800138000"}, headers=headers)
    client.post(PHONE, json={"code": "13800138"}, headers=headers)                # refused
    client.get(ME, headers=headers)
    assert caplog.records  # the DEBUG capture is live (SQL statements at least)
    for record in caplog.records:
        message = record.getMessage() + (record.exc_text or "")
        for secret in (ID_NUMBER, "110105194912310021", "13800138000", "13800138"):
            assert secret not in message, (record.name, message)


def test_live_phone_never_reaches_the_logs_or_the_table(live, live_login, fake_wechat,
                                                         session, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")
    headers = live_login()
    fake_wechat.register_phone("phone-code-1", "13912345678")
    assert live.post(PHONE, json={"code": "phone-code-1"}, headers=headers).status_code == 200
    assert live.get(ME, headers=headers).get_json()["phone"] == "139****5678"
    assert any(r.name.startswith("urllib3") for r in caplog.records)
    for record in caplog.records:
        assert "13912345678" not in record.getMessage() + (record.exc_text or ""), record.name
    assert_not_in_rows(citizen_rows(session), "13912345678")
