"""The one way the product reaches WeChat: login, the verified phone number, subscribe messages.

It wraps wechatpy 1.8.18's `WeChatClient` and changes three things about it:
- every request (token, sns, wxa, cgi-bin) goes to the configured base URL, with a timeout;
- the access token comes from `cgi-bin/stable_token`, which hands every process the same token
  instead of each refresh invalidating the others' (wechatpy only knows `cgi-bin/token`);
- a token error is refreshed and retried a bounded number of times (wechatpy's own retry is
  unbounded and ends in a RecursionError when WeChat keeps answering 40001).

Login and phone calls raise `WeChatError`s (domain errors with a Chinese message); sending a
subscribe message never raises for WeChat or network trouble and returns a `SendResult` instead,
for the outbox to record. Nothing of requests, redis or wechatpy leaks out of this module.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import redis
import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.memorystorage import MemoryStorage
from wechatpy.session.redisstorage import RedisStorage

from ..errors import DomainError

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.weixin.qq.com"
# wechatpy writes this origin into its URLs; our HTTP session swaps it for the configured base.
WECHAT_ORIGIN = "https://api.weixin.qq.com"

TOKEN_ERRORS = frozenset({40001, 40014, 42001})   # invalid credential / token, token expired
BAD_CODE_ERRORS = frozenset({40029, 40163})       # invalid code, code already used
REFUSED = 43101                                   # user refused, or no subscription quota left
SYSTEM_BUSY = -1                                  # WeChat's "system busy"; we reuse it for our
                                                  # own network and HTTP failures
RATE_LIMITED = 45009
TRANSIENT_ERRORS = TOKEN_ERRORS | {SYSTEM_BUSY, RATE_LIMITED}

MINIPROGRAM_STATES = ("formal", "trial", "developer")

# Subscribe-message value limits by field type (the key without its digits: thing1 -> thing).
FIELD_LIMITS = {
    "thing": 20,
    "name": 10,
    "phrase": 5,
    "character_string": 32,
    "number": 32,
    "phone_number": 17,
    "letter": 32,
    "symbol": 5,
    "car_number": 8,
}
ELLIPSIS = "…"
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")

Outcome = Literal["sent", "refused", "retry", "failed"]


class WeChatError(DomainError):
    code, status, message = "wechat_unavailable", 503, "微信服务暂时不可用，请稍后再试"

    def __init__(self, message: str | None = None, errcode: int | None = None):
        super().__init__(message)
        self.errcode = errcode


class WeChatUnavailable(WeChatError):
    code, status, message = "wechat_unavailable", 503, "微信服务暂时不可用，请稍后再试"


class WeChatCodeInvalid(WeChatError):
    code, status, message = "unauthorized", 401, "微信登录凭证无效或已过期，请重新登录"


PHONE_CODE_INVALID = "手机号授权凭证无效或已过期，请重新授权获取手机号"


@dataclass(frozen=True)
class LoginSession:
    openid: str
    # Stays on the server: never sent to the mini-program, never logged, not even in a repr.
    session_key: str = field(repr=False)
    unionid: str | None = None


@dataclass(frozen=True)
class SendResult:
    ok: bool
    errcode: int
    errmsg: str
    outcome: Outcome


class DemoWeChat:
    """The adapter of demo mode, chosen at start-up when no WeChat variable is set (see
    `config.wechat_configured`): the same methods as `WeChat`, answered on the laptop. Any login
    code is a stable demo user, a phone code is the phone number itself, and a subscribe message
    is written to the log instead of being sent."""

    demo = True

    def code_to_session(self, code: str) -> LoginSession:
        if not code:
            raise WeChatCodeInvalid()
        return LoginSession(openid=demo_openid(code), session_key="demo")

    def phone_number(self, code: str) -> str:
        if not code:
            raise WeChatCodeInvalid(PHONE_CODE_INVALID)
        return code

    def send_subscribe_message(self, openid: str, template_id: str, data: Mapping[str, Any],
                               page: str | None = None, state: str = "formal") -> SendResult:
        logger.info("[演示模式] 订阅消息 → %s 模板 %s 页面 %s 内容 %s", openid, template_id,
                    page or "-", json.dumps(dict(data), ensure_ascii=False))
        return SendResult(ok=True, errcode=0, errmsg="demo: logged", outcome="sent")

    def close(self) -> None:
        pass

    def __enter__(self) -> DemoWeChat:
        return self

    def __exit__(self, *exc_info) -> None:
        pass


def demo_openid(code: str) -> str:
    """Demo mode only: a stable pseudo-openid for a login code."""
    return "demo-" + hashlib.sha256(code.encode()).hexdigest()[:24]


def wechat_for(config: Mapping[str, Any]) -> WeChat | DemoWeChat:
    """The adapter the app uses: the real one as soon as any WeChat variable is set (start-up has
    refused a half-set configuration by then), the demo one otherwise."""
    from ..config import wechat_configured
    if not wechat_configured(dict(config)):
        return DemoWeChat()
    wechat = WeChat.from_config(config)
    if wechat is None:   # only reachable when the start-up checks were bypassed
        raise RuntimeError("WeChat variables set without WECHAT_APPID and WECHAT_SECRET")
    return wechat


class _Failed(Exception):
    """A call that did not succeed, reduced to WeChat's terms: an errcode, a message that is
    safe to log, and whether trying again later may help."""

    def __init__(self, errcode: int, errmsg: str, transient: bool):
        super().__init__(errcode, errmsg)
        self.errcode, self.errmsg, self.transient = errcode, errmsg, transient


class _TokenFetchFailed(Exception):
    def __init__(self, errcode: int, errmsg: str):
        super().__init__(errcode, errmsg)
        self.errcode, self.errmsg = errcode, errmsg


class _WeChatHTTP(requests.Session):
    """The client's HTTP session: the single place where URLs are pointed at the configured
    base and every request, wechatpy's and ours alike, gets a timeout."""

    def __init__(self, base_url: str, timeout: float, pool_size: int = 16):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        # Connections kept to WeChat: the dispatcher sends from several threads at once.
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=pool_size)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def request(self, method, url, *args, **kwargs):
        if url.startswith(WECHAT_ORIGIN + "/"):
            url = self.base_url + url[len(WECHAT_ORIGIN):]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().request(method, url, *args, **kwargs)


class _StableTokenClient(WeChatClient):
    def __init__(self, appid: str, secret: str, base_url: str, timeout: float, session,
                 pool_size: int = 16):
        super().__init__(appid, secret, session=session, timeout=timeout, auto_retry=False)
        self._http.close()
        self._http = _WeChatHTTP(base_url, timeout, pool_size)

    def fetch_access_token(self, force_refresh: bool = False) -> dict:
        # Called by wechatpy's `access_token` property when the cached token is missing or
        # about to expire, and by WeChat._call after a token error.
        logger.info("Fetching the stable access token (force_refresh=%s)", force_refresh)
        res = self._http.post(f"{WECHAT_ORIGIN}/cgi-bin/stable_token", json={
            "grant_type": "client_credential", "appid": self.appid, "secret": self.secret,
            "force_refresh": force_refresh,
        })
        res.raise_for_status()
        try:
            result = res.json()
        except ValueError:
            raise _TokenFetchFailed(SYSTEM_BUSY, "unreadable token answer") from None
        if not isinstance(result, dict):
            raise _TokenFetchFailed(SYSTEM_BUSY, "unreadable token answer")
        errcode = _int(result.get("errcode", 0))
        if errcode:
            raise _TokenFetchFailed(errcode, str(result.get("errmsg", "")))
        token = result.get("access_token")
        if not token:
            raise _TokenFetchFailed(SYSTEM_BUSY, "token answer without access_token")
        expires_in = _int(result.get("expires_in", 7200)) or 7200
        # The same expiry wechatpy keeps: the storage TTL, and expires_at for this process.
        self.session.set(self.access_token_key, token, expires_in)
        self.expires_at = int(time.time()) + expires_in
        return result


class WeChat:
    demo = False

    def __init__(self, appid: str, secret: str, base_url: str = DEFAULT_BASE_URL,
                 timeout: float = 5.0, redis_url: str | None = None, token_retries: int = 2,
                 pool_size: int = 16):
        if token_retries < 0:
            raise ValueError("token_retries must be 0 or more")
        self.appid = appid
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.token_retries = token_retries
        self._redis: redis.Redis | None = None
        if redis_url:
            # Shared by every process, so one fetch serves them all.
            self._redis = redis.Redis.from_url(redis_url, socket_timeout=timeout,
                                               socket_connect_timeout=timeout)
            storage = RedisStorage(self._redis)
        else:
            storage = MemoryStorage()
        self._client = _StableTokenClient(appid, secret, self.base_url, timeout, storage,
                                          pool_size)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> WeChat | None:
        """The configured WeChat, or None in demo mode (no appid and secret)."""
        appid, secret = config.get("WECHAT_APPID"), config.get("WECHAT_SECRET")
        if not (appid and secret):
            if appid or secret:
                logger.warning("WECHAT_APPID and WECHAT_SECRET must both be set; "
                               "running without WeChat")
            return None
        return cls(appid, secret,
                   base_url=config.get("WECHAT_API_BASE_URL") or DEFAULT_BASE_URL,
                   redis_url=config.get("REDIS_URL") or None,
                   pool_size=max(16, int(config.get("NOTIFY_CONCURRENCY") or 0)))

    def close(self) -> None:
        self._client._http.close()
        if self._redis is not None:
            self._redis.close()

    def __enter__(self) -> WeChat:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- login and phone ------------------------------------------------------------------

    def code_to_session(self, code: str) -> LoginSession:
        """Exchange a `wx.login` code for the user's openid and session key."""
        if not code:
            raise WeChatCodeInvalid()
        result = self._for_user("code_to_session", lambda: self._client.wxa.code_to_session(code),
                                WeChatCodeInvalid.message)
        openid, session_key = result.get("openid"), result.get("session_key")
        if not openid or not session_key:
            logger.warning("WeChat code_to_session answered without openid or session_key")
            raise WeChatUnavailable(errcode=SYSTEM_BUSY)
        return LoginSession(openid=openid, session_key=session_key,
                            unionid=result.get("unionid") or None)

    def phone_number(self, code: str) -> str:
        """The verified phone number (without country code) behind a phone-button code."""
        if not code:
            raise WeChatCodeInvalid(PHONE_CODE_INVALID)
        result = self._for_user(
            "phone_number",
            lambda: self._client.post(f"{WECHAT_ORIGIN}/wxa/business/getuserphonenumber",
                                      data={"code": code}),
            PHONE_CODE_INVALID)
        phone_info = result.get("phone_info")
        phone = phone_info.get("purePhoneNumber") if isinstance(phone_info, dict) else None
        if not phone:
            logger.warning("WeChat phone_number answered without phone_info.purePhoneNumber")
            raise WeChatUnavailable(errcode=SYSTEM_BUSY)
        return str(phone)

    def _for_user(self, operation: str, request: Callable[[], Any], bad_code_message: str) -> dict:
        try:
            return self._call(operation, request)
        except _Failed as failure:
            # `from None`: a requests error's text carries the URL, with secret, code and token.
            if failure.errcode in BAD_CODE_ERRORS:
                raise WeChatCodeInvalid(bad_code_message, errcode=failure.errcode) from None
            raise WeChatUnavailable(errcode=failure.errcode) from None

    # -- subscribe messages ---------------------------------------------------------------

    def send_subscribe_message(self, openid: str, template_id: str, data: Mapping[str, Any],
                               page: str | None = None, state: str = "formal") -> SendResult:
        """Send one subscribe message. Never raises for WeChat or network trouble: the result
        says whether it was sent, refused (do not retry), worth retrying later, or failed."""
        if state not in MINIPROGRAM_STATES:
            raise ValueError(f"miniprogram_state must be one of {MINIPROGRAM_STATES}")
        body: dict[str, Any] = {"touser": openid, "template_id": template_id}
        if page:
            body["page"] = page
        body["data"] = {key: {"value": fit_template_value(key, value)}
                        for key, value in data.items()}
        body["miniprogram_state"] = state
        body["lang"] = "zh_CN"
        try:
            result = self._call(
                "send_subscribe_message",
                lambda: self._client.post(f"{WECHAT_ORIGIN}/cgi-bin/message/subscribe/send",
                                          data=body))
        except _Failed as failure:
            if failure.errcode == REFUSED:
                outcome: Outcome = "refused"
            elif failure.transient:
                outcome = "retry"
            else:
                outcome = "failed"
            return SendResult(ok=False, errcode=failure.errcode, errmsg=failure.errmsg,
                              outcome=outcome)
        return SendResult(ok=True, errcode=0, errmsg=str(result.get("errmsg", "ok")),
                          outcome="sent")

    # -- the shared request path ----------------------------------------------------------

    def _call(self, operation: str, request: Callable[[], Any]) -> dict:
        """Run a wechatpy request; on a token error refresh the token and try again, at most
        `token_retries` times. The first refresh is a plain one (another process may simply
        have rotated the stable token); later ones force a new token."""
        refreshes = 0
        try:
            while True:
                try:
                    result = request()
                except WeChatClientException as exc:
                    if exc.errcode in TOKEN_ERRORS and refreshes < self.token_retries:
                        logger.info("WeChat %s: errcode=%s, refreshing the access token",
                                    operation, exc.errcode)
                        self._client.fetch_access_token(force_refresh=refreshes > 0)
                        refreshes += 1
                        continue
                    raise
                if not isinstance(result, dict):
                    raise _Failed(SYSTEM_BUSY, "unreadable answer", transient=True)
                return result
        except (_Failed, _TokenFetchFailed, WeChatClientException, requests.RequestException,
                redis.RedisError) as exc:
            failure = _as_failure(exc)
        level = logging.INFO if failure.errcode in BAD_CODE_ERRORS | {REFUSED} else logging.WARNING
        logger.log(level, "WeChat %s failed: errcode=%s errmsg=%s", operation, failure.errcode,
                   failure.errmsg)
        raise failure


def _as_failure(exc: Exception) -> _Failed:
    # Messages are built from codes and class names only: the text of a requests error holds the
    # full URL, query string included (appid, secret, js_code, access_token).
    if isinstance(exc, _Failed):
        return exc
    if isinstance(exc, _TokenFetchFailed):
        return _Failed(exc.errcode, f"access token: {exc.errmsg}", transient=True)
    if isinstance(exc, WeChatClientException):
        if exc.errcode is None:   # wechatpy's wrapping of an HTTP error status
            return _http_failure(exc.response)
        errcode = _int(exc.errcode)
        return _Failed(errcode, str(exc.errmsg), transient=errcode in TRANSIENT_ERRORS)
    if isinstance(exc, requests.HTTPError):
        return _http_failure(exc.response)
    if isinstance(exc, requests.Timeout):
        return _Failed(SYSTEM_BUSY, f"timeout ({type(exc).__name__})", transient=True)
    if isinstance(exc, requests.RequestException):
        return _Failed(SYSTEM_BUSY, f"network error ({type(exc).__name__})", transient=True)
    return _Failed(SYSTEM_BUSY, f"token store error ({type(exc).__name__})", transient=True)


def _http_failure(response: requests.Response | None) -> _Failed:
    status = response.status_code if response is not None else None
    transient = status is None or status >= 500 or status == 429
    return _Failed(SYSTEM_BUSY, f"HTTP {status}", transient=transient)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return SYSTEM_BUSY


def fit_template_value(key: str, value: Any) -> str:
    """A subscribe-message value WeChat will accept: one line, no control characters, within
    the limit of its field type (WeChat refuses a longer value with 47003)."""
    text = _LINE_BREAKS.sub(" ", str(value))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()
    field_type = key.rstrip("0123456789")
    limit = FIELD_LIMITS.get(field_type)
    if limit is None or len(text) <= limit:
        return text
    if field_type == "thing":
        # Free text: show that it was cut. Other types allow only digits, letters or Chinese.
        return text[:limit - 1] + ELLIPSIS
    return text[:limit]
