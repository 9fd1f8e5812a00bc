"""backend.infrastructure.wechat against a fake WeChat server over real HTTP: what it sends,
what it makes of each answer, and how it behaves when WeChat is slow, down or keeps refusing the token."""
from __future__ import annotations

import logging
import os
import socket
import time

import pytest
import redis

from backend.config import DEFAULTS
from backend.errors import DomainError
from backend.infrastructure.wechat import (
    LoginSession, SendResult, WeChat, WeChatCodeInvalid, WeChatError, WeChatUnavailable,
    fit_template_value,
)
from tests.fake_wechat import (CODE_TO_SESSION, PHONE_NUMBER, STABLE_TOKEN, SUBSCRIBE_SEND,
                               TOKEN)

REDIS_URL = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"


@pytest.fixture
def make_wechat(fake_wechat):
    made: list[WeChat] = []

    def make(**kw) -> WeChat:
        kw.setdefault("base_url", fake_wechat.url)
        wechat = WeChat(kw.pop("appid", fake_wechat.appid), kw.pop("secret", fake_wechat.secret),
                        **kw)
        made.append(wechat)
        return wechat

    yield make
    for wechat in made:
        wechat.close()


@pytest.fixture
def wechat(make_wechat) -> WeChat:
    return make_wechat()


@pytest.fixture
def logs(caplog):
    """Everything our module and wechatpy log, down to DEBUG."""
    caplog.set_level(logging.DEBUG, logger="backend.infrastructure.wechat")
    caplog.set_level(logging.DEBUG, logger="wechatpy")
    return caplog


class RedisKeys:
    """The Redis test database, and the keys a test creates there: deleted afterwards, and only
    those."""

    def __init__(self):
        self.client = redis.Redis.from_url(REDIS_URL)
        self.keys: list[str] = []

    def track(self, key: str) -> str:
        self.keys.append(key)
        return key


@pytest.fixture
def redis_keys():
    store = RedisKeys()
    yield store
    if store.keys:
        store.client.delete(*store.keys)
    store.client.close()


def token_key(appid: str) -> str:
    return f"wechatpy:{appid}_access_token"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- login ------------------------------------------------------------------------------------

def test_login_uses_the_stable_token_and_returns_the_session(fake_wechat, wechat, logs):
    fake_wechat.register_login("login-code-1", "o-openid-1", "SESSION-KEY-SECRET", "u-union-1")

    session = wechat.code_to_session("login-code-1")

    assert session == LoginSession("o-openid-1", "SESSION-KEY-SECRET", "u-union-1")
    assert [(r.method, r.path) for r in fake_wechat.requests] == [
        ("POST", STABLE_TOKEN), ("GET", CODE_TO_SESSION)]
    assert fake_wechat.calls(STABLE_TOKEN)[0].json == {
        "grant_type": "client_credential", "appid": fake_wechat.appid,
        "secret": fake_wechat.secret, "force_refresh": False}
    login = fake_wechat.calls(CODE_TO_SESSION)[0]
    token = login.query.pop("access_token")
    assert token in fake_wechat.valid_tokens
    assert login.query == {"appid": fake_wechat.appid, "secret": fake_wechat.secret,
                           "js_code": "login-code-1", "grant_type": "authorization_code"}
    assert "SESSION-KEY-SECRET" not in repr(session)
    for secret in ("SESSION-KEY-SECRET", "login-code-1", token, fake_wechat.secret):
        assert secret not in logs.text


def test_login_without_unionid(fake_wechat, wechat):
    fake_wechat.register_login("login-code-2", "o-openid-2", "sk-2")
    assert wechat.code_to_session("login-code-2") == LoginSession("o-openid-2", "sk-2", None)


def test_the_token_is_fetched_once_and_reused(fake_wechat, wechat):
    fake_wechat.register_login("c1", "o1", "sk1")
    fake_wechat.register_login("c2", "o2", "sk2")
    wechat.code_to_session("c1")
    wechat.code_to_session("c2")
    assert len(fake_wechat.calls(STABLE_TOKEN)) == 1
    assert fake_wechat.calls(TOKEN) == []


@pytest.mark.parametrize("use_twice", [False, True], ids=["unknown code 40029", "used code 40163"])
def test_a_bad_login_code_is_refused(fake_wechat, wechat, logs, use_twice):
    if use_twice:
        fake_wechat.register_login("login-code-x", "o-openid", "sk")
        wechat.code_to_session("login-code-x")
    errcode = 40163 if use_twice else 40029

    with pytest.raises(WeChatCodeInvalid) as excinfo:
        wechat.code_to_session("login-code-x")

    error = excinfo.value
    assert isinstance(error, WeChatError) and isinstance(error, DomainError)
    assert (error.status, error.code, error.message, error.errcode) == (
        401, "unauthorized", "微信登录凭证无效或已过期，请重新登录", errcode)
    assert f"errcode={errcode}" in logs.text
    assert "login-code-x" not in logs.text


def test_an_empty_login_code_is_refused_without_asking_wechat(fake_wechat, wechat):
    with pytest.raises(WeChatCodeInvalid):
        wechat.code_to_session("")
    assert fake_wechat.requests == []


# -- phone number -----------------------------------------------------------------------------

def test_phone_number(fake_wechat, wechat, logs):
    fake_wechat.register_phone("phone-code-1", "13800138000")

    assert wechat.phone_number("phone-code-1") == "13800138000"

    call = fake_wechat.calls(PHONE_NUMBER)[0]
    assert call.method == "POST" and call.json == {"code": "phone-code-1"}
    assert call.query["access_token"] in fake_wechat.valid_tokens
    for secret in ("13800138000", "phone-code-1", call.query["access_token"]):
        assert secret not in logs.text


def test_a_bad_phone_code_is_refused(fake_wechat, wechat, logs):
    with pytest.raises(WeChatCodeInvalid) as excinfo:
        wechat.phone_number("phone-code-unknown")
    assert excinfo.value.status == 401 and excinfo.value.code == "unauthorized"
    assert "手机号" in excinfo.value.message
    assert excinfo.value.errcode == 40029
    assert "errcode=40029" in logs.text and "phone-code-unknown" not in logs.text


# -- subscribe messages -----------------------------------------------------------------------

LONG_THING = "博山区政务服务中心城乡居民基本养老保险参保登记业务"   # 24 characters


def test_subscribe_message_body(fake_wechat, wechat):
    result = wechat.send_subscribe_message(
        "o-openid-1", "TEMPLATE-BOOKING",
        {"thing1": LONG_THING, "time2": "2026-12-01 09:30", "thing3": "请携带\n身份证\r\n原件",
         "phrase4": "预约成功"},
        page="pages/booking/detail?id=7")

    assert result == SendResult(ok=True, errcode=0, errmsg="ok", outcome="sent")
    [call] = fake_wechat.calls(SUBSCRIBE_SEND)
    assert call.method == "POST"
    assert call.query["access_token"] in fake_wechat.valid_tokens
    assert call.json == {
        "touser": "o-openid-1",
        "template_id": "TEMPLATE-BOOKING",
        "page": "pages/booking/detail?id=7",
        "data": {"thing1": {"value": "博山区政务服务中心城乡居民基本养老保险…"},
                 "time2": {"value": "2026-12-01 09:30"},
                 "thing3": {"value": "请携带 身份证 原件"},
                 "phrase4": {"value": "预约成功"}},
        "miniprogram_state": "formal",
        "lang": "zh_CN",
    }
    assert len(call.json["data"]["thing1"]["value"]) == 20


def test_subscribe_message_state_and_no_page(fake_wechat, wechat):
    result = wechat.send_subscribe_message("o-openid-1", "T", {"thing1": "办件已受理"},
                                           state="trial")
    assert result.outcome == "sent"
    body = fake_wechat.calls(SUBSCRIBE_SEND)[0].json
    assert "page" not in body
    assert body["miniprogram_state"] == "trial" and body["lang"] == "zh_CN"


@pytest.mark.parametrize("key, value, expected", [
    ("thing1", "一" * 20, "一" * 20),
    ("thing1", "一" * 21, "一" * 19 + "…"),
    ("name2", "欧阳" * 6, "欧阳" * 5),
    ("phrase3", "材料不齐全请补正", "材料不齐全"),
    ("character_string4", "A1" * 20, "A1" * 16),
    ("number5", "9" * 40, "9" * 32),
    ("phone_number6", "0533-4100000 转 8001 分机", "0533-4100000 转 80"),
    ("letter7", "x" * 33, "x" * 32),
    ("symbol8", "%%%%%%", "%%%%%"),
    ("car_number9", "鲁C·12345 新能源", "鲁C·12345"),
    ("time10", "2026-12-01 09:30", "2026-12-01 09:30"),
    ("amount11", "1" * 50, "1" * 50),                  # types without a length rule: untouched
    ("thing12", "  第一行\n\n第二行\t\x00\x07结束  ", "第一行 第二行 结束"),
    ("thing13", 42, "42"),
])
def test_values_are_fitted_to_their_field_type(key, value, expected):
    assert fit_template_value(key, value) == expected


@pytest.mark.parametrize("errcode, outcome", [
    (0, "sent"),
    (43101, "refused"),
    (45009, "retry"),
    (-1, "retry"),
    (47003, "failed"),
    (40037, "failed"),
    (40003, "failed"),
    (41030, "failed"),
    (48001, "failed"),
])
def test_send_outcomes(fake_wechat, wechat, logs, errcode, outcome):
    if errcode:
        fake_wechat.queue_error(SUBSCRIBE_SEND, errcode)

    result = wechat.send_subscribe_message("o-openid-1", "T", {"thing1": "办件已受理"})

    assert (result.ok, result.errcode, result.outcome) == (errcode == 0, errcode, outcome)
    assert len(fake_wechat.calls(SUBSCRIBE_SEND)) == 1       # only token errors are retried here
    if errcode:
        assert f"errcode={errcode}" in logs.text


def test_http_5xx_is_worth_a_retry(fake_wechat, wechat):
    fake_wechat.queue_http_status(SUBSCRIBE_SEND, 502, "<html>502 Bad Gateway</html>")
    result = wechat.send_subscribe_message("o-openid-1", "T", {"thing1": "x"})
    assert (result.ok, result.outcome, result.errmsg) == (False, "retry", "HTTP 502")


def test_a_non_json_answer_is_unavailable(fake_wechat, wechat):
    fake_wechat.queue_http_status(CODE_TO_SESSION, 200, "<html>captive portal</html>")
    with pytest.raises(WeChatUnavailable):
        wechat.code_to_session("login-code")


# -- access token -----------------------------------------------------------------------------

def test_an_expired_token_is_refreshed_once_and_the_call_succeeds(fake_wechat, wechat):
    assert wechat.send_subscribe_message("o1", "T", {"thing1": "a"}).outcome == "sent"
    fake_wechat.expire_tokens()

    result = wechat.send_subscribe_message("o1", "T", {"thing1": "b"})

    assert result.outcome == "sent"
    token_calls = fake_wechat.calls(STABLE_TOKEN)
    assert [c.json["force_refresh"] for c in token_calls] == [False, False]
    sends = fake_wechat.calls(SUBSCRIBE_SEND)
    assert len(sends) == 3
    assert sends[1].query["access_token"] == sends[0].query["access_token"]    # answered 40001
    assert sends[2].query["access_token"] in fake_wechat.valid_tokens


@pytest.mark.parametrize("errcode", [40001, 40014, 42001])
def test_each_token_error_triggers_one_refresh(fake_wechat, wechat, errcode):
    fake_wechat.register_phone("phone-code", "13900000000")
    fake_wechat.queue_error(PHONE_NUMBER, errcode)

    assert wechat.phone_number("phone-code") == "13900000000"
    assert len(fake_wechat.calls(PHONE_NUMBER)) == 2
    assert len(fake_wechat.calls(STABLE_TOKEN)) == 2


@pytest.mark.parametrize("token_retries", [0, 1, 2, 3])
def test_a_token_error_forever_ends_after_the_bounded_retries_on_send(
        fake_wechat, make_wechat, token_retries):
    wechat = make_wechat(token_retries=token_retries)
    fake_wechat.queue_error(SUBSCRIBE_SEND, 40001, times=None)

    result = wechat.send_subscribe_message("o1", "T", {"thing1": "a"})

    assert (result.ok, result.errcode, result.outcome) == (False, 40001, "retry")
    assert len(fake_wechat.calls(SUBSCRIBE_SEND)) == 1 + token_retries
    # The first fetch, then one refresh per retry: a plain one first, forced ones after it.
    assert [c.json["force_refresh"] for c in fake_wechat.calls(STABLE_TOKEN)] == (
        [False] + [False, True, True][:token_retries])


def test_a_token_error_forever_ends_after_the_bounded_retries_on_login(fake_wechat, wechat):
    fake_wechat.queue_error(CODE_TO_SESSION, 40001, times=None)

    with pytest.raises(WeChatUnavailable) as excinfo:
        wechat.code_to_session("login-code")

    error = excinfo.value
    assert (error.status, error.code, error.message, error.errcode) == (
        503, "wechat_unavailable", "微信服务暂时不可用，请稍后再试", 40001)
    assert len(fake_wechat.calls(CODE_TO_SESSION)) == 3
    assert len(fake_wechat.calls(STABLE_TOKEN)) == 3


@pytest.mark.parametrize("errcode", [40013, 40125, 45009, -1])
def test_a_token_endpoint_error_makes_wechat_unavailable(fake_wechat, wechat, logs, errcode):
    fake_wechat.queue_error(STABLE_TOKEN, errcode, times=None)

    with pytest.raises(WeChatUnavailable) as excinfo:
        wechat.phone_number("phone-code")
    assert excinfo.value.errcode == errcode
    assert f"errcode={errcode}" in logs.text
    assert fake_wechat.calls(PHONE_NUMBER) == []

    result = wechat.send_subscribe_message("o1", "T", {"thing1": "a"})
    assert (result.errcode, result.outcome) == (errcode, "retry")


def test_wrong_credentials_are_refused_by_the_token_endpoint(fake_wechat, make_wechat):
    wechat = make_wechat(secret="not-the-secret")
    with pytest.raises(WeChatUnavailable) as excinfo:
        wechat.code_to_session("login-code")
    assert excinfo.value.errcode == 40125


# -- slow or missing WeChat -------------------------------------------------------------------

@pytest.mark.parametrize("slow_path", [STABLE_TOKEN, CODE_TO_SESSION])
def test_a_slow_wechat_times_out_quickly(fake_wechat, make_wechat, slow_path):
    wechat = make_wechat(timeout=0.2)
    fake_wechat.register_login("login-code", "o1", "sk")
    fake_wechat.set_delay(2.0, path=slow_path)

    started = time.monotonic()
    with pytest.raises(WeChatUnavailable):
        wechat.code_to_session("login-code")
    assert time.monotonic() - started < 1.0


def test_a_slow_send_is_worth_a_retry(fake_wechat, make_wechat):
    wechat = make_wechat(timeout=0.2)
    wechat.send_subscribe_message("o1", "T", {"thing1": "a"})       # token fetched in time
    fake_wechat.set_delay(2.0)

    started = time.monotonic()
    result = wechat.send_subscribe_message("o1", "T", {"thing1": "b"})
    assert (result.ok, result.outcome) == (False, "retry")
    assert result.errmsg.startswith("timeout")
    assert time.monotonic() - started < 1.0


def test_a_server_that_is_down_makes_wechat_unavailable(logs):
    secret = "the-app-secret-value"
    with WeChat("wx0000000000000001", secret, base_url=f"http://127.0.0.1:{closed_port()}",
                timeout=1.0) as wechat:
        with pytest.raises(WeChatUnavailable) as excinfo:
            wechat.code_to_session("login-code-down")
        result = wechat.send_subscribe_message("o1", "T", {"thing1": "a"})

    # No requests error (whose text holds the URL, secret and code included) rides along.
    assert excinfo.value.__cause__ is None and excinfo.value.__suppress_context__
    assert (result.ok, result.errcode, result.outcome) == (False, -1, "retry")
    assert "errcode=-1" in logs.text
    assert secret not in logs.text and "login-code-down" not in logs.text


def test_a_token_store_that_is_down_makes_wechat_unavailable(fake_wechat, make_wechat):
    wechat = make_wechat(redis_url=f"redis://127.0.0.1:{closed_port()}/15", timeout=1.0)

    with pytest.raises(WeChatUnavailable):
        wechat.code_to_session("login-code")
    result = wechat.send_subscribe_message("o1", "T", {"thing1": "a"})
    assert (result.ok, result.outcome) == (False, "retry")
    assert fake_wechat.requests == []


# -- a token shared through Redis -------------------------------------------------------------

def test_instances_sharing_redis_fetch_the_token_once(fake_wechat, make_wechat, redis_keys):
    key = redis_keys.track(token_key(fake_wechat.appid))
    first = make_wechat(redis_url=REDIS_URL)
    second = make_wechat(redis_url=REDIS_URL)

    assert first.send_subscribe_message("o1", "T", {"thing1": "a"}).outcome == "sent"
    assert second.send_subscribe_message("o1", "T", {"thing1": "b"}).outcome == "sent"

    assert len(fake_wechat.calls(STABLE_TOKEN)) == 1
    sends = fake_wechat.calls(SUBSCRIBE_SEND)
    assert sends[0].query["access_token"] == sends[1].query["access_token"]
    ttl = redis_keys.client.ttl(key)
    assert 7100 < ttl <= 7200                         # wechatpy's expiry: the token's lifetime

    # A refresh by one instance serves the other.
    fake_wechat.expire_tokens()
    assert second.send_subscribe_message("o1", "T", {"thing1": "c"}).outcome == "sent"
    assert first.send_subscribe_message("o1", "T", {"thing1": "d"}).outcome == "sent"
    assert len(fake_wechat.calls(STABLE_TOKEN)) == 2
    sends = fake_wechat.calls(SUBSCRIBE_SEND)
    assert len(sends) == 5 and sends[3].query["access_token"] == sends[4].query["access_token"]


# -- configuration ----------------------------------------------------------------------------

@pytest.mark.parametrize("credentials", [
    {}, {"WECHAT_APPID": "wx0000000000000001"}, {"WECHAT_SECRET": "secret"},
    {"WECHAT_APPID": "", "WECHAT_SECRET": ""},
])
def test_from_config_without_credentials_is_demo_mode(credentials):
    assert WeChat.from_config({**DEFAULTS, **credentials}) is None


def test_from_config_uses_the_configured_base_url_and_redis(fake_wechat, redis_keys):
    key = redis_keys.track(token_key(fake_wechat.appid))
    fake_wechat.register_login("login-code", "o-openid", "sk")
    config = {**DEFAULTS, "WECHAT_APPID": fake_wechat.appid, "WECHAT_SECRET": fake_wechat.secret,
              "WECHAT_API_BASE_URL": fake_wechat.url, "REDIS_URL": REDIS_URL}

    with WeChat.from_config(config) as wechat:
        assert wechat.code_to_session("login-code").openid == "o-openid"

    assert [r.path for r in fake_wechat.requests] == [STABLE_TOKEN, CODE_TO_SESSION]
    assert redis_keys.client.exists(key)
