"""A fake WeChat API server on loopback, answering the way api.weixin.qq.com does: JSON bodies
with errcode/errmsg, HTTP 200 even for errors. It records every request, and a test can script
its answers (queued errors, expired tokens, slow answers, HTTP failures).

Use the `fake_wechat` fixture (registered for every test by conftest.py), or
`FakeWeChat()` as a context manager, and point `WeChat(base_url=fake.url)` at it.
"""
from __future__ import annotations

import json
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

TOKEN = "/cgi-bin/token"
STABLE_TOKEN = "/cgi-bin/stable_token"
CODE_TO_SESSION = "/sns/jscode2session"
PHONE_NUMBER = "/wxa/business/getuserphonenumber"
SUBSCRIBE_SEND = "/cgi-bin/message/subscribe/send"

TOKEN_LIFETIME = 7200

# WeChat's own wording; real answers append " rid: ..." (a request id), and so do we.
ERRMSGS = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40003: "invalid openid",
    40013: "invalid appid",
    40014: "invalid access_token",
    40029: "invalid code",
    40037: "invalid template_id",
    40125: "invalid appsecret",
    40163: "code been used",
    41001: "access_token missing",
    41008: "missing code",
    41030: "invalid page",
    42001: "access_token expired",
    43002: "require POST method",
    43101: "user refuse to accept the msg",
    45009: "reach max api daily quota limit",
    47001: "data format error",
    47003: "argument invalid!",
}

# The server side of the subscribe-message rules: values longer than this are refused (47003).
FIELD_LIMITS = {"thing": 20, "name": 10, "phrase": 5, "character_string": 32, "number": 32,
                "phone_number": 17, "letter": 32, "symbol": 5, "car_number": 8}


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    json: Any


@dataclass
class _Scripted:
    remaining: int | None          # None: until cleared
    status: int = 200
    payload: Any = None            # a dict answered as JSON, or str answered as text/html


class FakeWeChat:
    def __init__(self, appid: str | None = None, secret: str | None = None):
        # A fresh appid per fake: Redis token keys ("wechatpy:{appid}_access_token") never clash.
        self.appid = appid or "wx" + secrets.token_hex(8)
        self.secret = secret or secrets.token_hex(16)
        self._lock = threading.Lock()
        self._requests: list[Recorded] = []
        self._logins: dict[str, dict[str, str]] = {}
        self._phones: dict[str, tuple[str, str]] = {}
        self._used_codes: set[str] = set()
        self._tokens: dict[str, float] = {}       # token -> monotonic expiry
        self._stable_token: str | None = None
        self._scripts: dict[str, deque[_Scripted]] = {}
        self._delays: dict[str | None, float] = {}
        self._closing = threading.Event()
        self._msgid = 1000
        # Subscribe messages answered 0: what WeChat would have delivered.
        self._delivered: list[Any] = []
        # After this many deliveries, sends are held until released, then answered 503 (a
        # request whose sender died before the answer: never delivered).
        self._hold_after: int | None = None
        self._held = 0
        self._release = threading.Event()

        handler = type("Handler", (_Handler,), {"fake": self})
        self.server = _Server(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True,
                                        name="fake-wechat")
        self._thread.start()

    # -- scripting ---------------------------------------------------------------------------

    def register_login(self, code: str, openid: str, session_key: str,
                       unionid: str | None = None) -> None:
        with self._lock:
            self._logins[code] = {"openid": openid, "session_key": session_key,
                                  **({"unionid": unionid} if unionid else {})}

    def register_phone(self, code: str, pure_phone: str, country_code: str = "86") -> None:
        with self._lock:
            self._phones[code] = (pure_phone, country_code)

    def queue_error(self, path: str, errcode: int, errmsg: str | None = None,
                    times: int | None = 1) -> None:
        """The next `times` calls to `path` answer this errcode (times=None: every call), with
        `errmsg` as given, or else WeChat's wording for the code."""
        payload = {"errcode": errcode, "errmsg": errmsg} if errmsg else _error(errcode)
        self._script(path, _Scripted(times, 200, payload))

    def queue_http_status(self, path: str, status: int, body: str = "<html>error</html>",
                          times: int | None = 1) -> None:
        """The next calls to `path` answer this HTTP status with a non-JSON body."""
        self._script(path, _Scripted(times, status, body))

    def clear_queue(self) -> None:
        with self._lock:
            self._scripts.clear()

    def expire_tokens(self) -> None:
        """Every token issued so far now answers 40001."""
        with self._lock:
            self._tokens.clear()
            self._stable_token = None

    def set_delay(self, seconds: float, path: str | None = None) -> None:
        """Answer slowly: calls to `path` (or all calls) wait this long before answering."""
        with self._lock:
            self._delays[path] = seconds

    def hold_sends_after(self, delivered: int) -> None:
        """Deliver this many subscribe messages, then hold every later send unanswered until
        `release_held()` (answered 503 then, not delivered)."""
        with self._lock:
            self._hold_after = delivered

    def release_held(self) -> None:
        self._release.set()

    @property
    def held(self) -> int:
        with self._lock:
            return self._held

    @property
    def delivered(self) -> list[Any]:
        with self._lock:
            return list(self._delivered)

    def _script(self, path: str, scripted: _Scripted) -> None:
        with self._lock:
            self._scripts.setdefault(path, deque()).append(scripted)

    # -- what was received -------------------------------------------------------------------

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._requests)

    def calls(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    @property
    def valid_tokens(self) -> set[str]:
        with self._lock:
            now = time.monotonic()
            return {t for t, expiry in self._tokens.items() if expiry > now}

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        self._closing.set()          # wakes any handler sleeping in a delay
        self._release.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeWeChat:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- the server side ---------------------------------------------------------------------

    def _handle(self, method: str, raw_path: str, raw_body: bytes) -> tuple[int, Any]:
        parts = urlsplit(raw_path)
        path = parts.path
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        body: Any = None
        body_ok = True
        if raw_body:
            try:
                body = json.loads(raw_body.decode("utf-8"))
            except ValueError:
                body, body_ok = raw_body.decode("utf-8", "replace"), False
        with self._lock:
            self._requests.append(Recorded(method, path, query, body))
            delay = self._delays.get(path, self._delays.get(None, 0))
        if delay:
            self._closing.wait(delay)
        if path == SUBSCRIBE_SEND:
            with self._lock:
                hold = (self._hold_after is not None
                        and len(self._delivered) >= self._hold_after)
                self._held += hold
            if hold:
                self._release.wait(30)
                return 503, "<html>held</html>"
        with self._lock:
            scripted = self._next_scripted(path)
            if scripted is not None:
                return scripted.status, scripted.payload
            if not body_ok:
                return 200, _error(47001)
            route = ROUTES.get(path)
            if route is None:
                return 404, "<html>404 Not Found</html>"
            wanted_method, answer = route
            if method != wanted_method:
                return 200, _error(43002 if wanted_method == "POST" else 43001)
            return 200, answer(self, query, body)

    def _next_scripted(self, path: str) -> _Scripted | None:
        queue = self._scripts.get(path)
        if not queue:
            return None
        scripted = queue[0]
        if scripted.remaining is not None:
            scripted.remaining -= 1
            if scripted.remaining <= 0:
                queue.popleft()
        return scripted

    def _issue_token(self) -> str:
        token = "fake-token-" + secrets.token_hex(12)
        self._tokens[token] = time.monotonic() + TOKEN_LIFETIME
        return token

    def _token_error(self, query: dict[str, str]) -> dict | None:
        token = query.get("access_token")
        if not token:
            return _error(41001)
        if self._tokens.get(token, 0) <= time.monotonic():
            return _error(40001)
        return None

    def _credential_error(self, appid: Any, secret: Any) -> dict | None:
        if appid != self.appid:
            return _error(40013)
        if secret != self.secret:
            return _error(40125)
        return None

    # Each answer runs under self._lock.

    def _answer_token(self, query: dict[str, str], body: Any) -> dict:
        if query.get("grant_type") != "client_credential":
            return _error(40002)
        error = self._credential_error(query.get("appid"), query.get("secret"))
        if error:
            return error
        return {"access_token": self._issue_token(), "expires_in": TOKEN_LIFETIME}

    def _answer_stable_token(self, query: dict[str, str], body: Any) -> dict:
        if not isinstance(body, dict):
            return _error(47001)
        if body.get("grant_type") != "client_credential":
            return _error(40002)
        error = self._credential_error(body.get("appid"), body.get("secret"))
        if error:
            return error
        now = time.monotonic()
        current = self._stable_token
        if body.get("force_refresh") is True or not current or self._tokens.get(current, 0) <= now:
            if current:
                self._tokens.pop(current, None)   # a forced refresh invalidates the old token
            current = self._stable_token = self._issue_token()
        # Repeated plain calls get the same token, with the time it has left.
        return {"access_token": current, "expires_in": int(self._tokens[current] - now)}

    def _answer_code_to_session(self, query: dict[str, str], body: Any) -> dict:
        if query.get("grant_type") != "authorization_code":
            return _error(40002)
        error = self._credential_error(query.get("appid"), query.get("secret"))
        if error:
            return error
        code = query.get("js_code")
        if not code:
            return _error(41008)
        if code in self._used_codes:
            return _error(40163)
        login = self._logins.pop(code, None)
        if login is None:
            return _error(40029)
        self._used_codes.add(code)
        # WeChat's success answer to this call carries no errcode at all.
        return dict(login)

    def _answer_phone_number(self, query: dict[str, str], body: Any) -> dict:
        error = self._token_error(query)
        if error:
            return error
        if not isinstance(body, dict) or not body.get("code"):
            return _error(47001)
        phone = self._phones.pop(body["code"], None)
        if phone is None:
            return _error(40029)
        pure, country = phone
        return {"errcode": 0, "errmsg": "ok", "phone_info": {
            "phoneNumber": pure if country == "86" else f"+{country} {pure}",
            "purePhoneNumber": pure, "countryCode": country,
            "watermark": {"timestamp": int(time.time()), "appid": self.appid}}}

    def _answer_subscribe_send(self, query: dict[str, str], body: Any) -> dict:
        error = self._token_error(query)
        if error:
            return error
        if not isinstance(body, dict):
            return _error(47001)
        if not body.get("touser"):
            return _error(40003)
        if not body.get("template_id"):
            return _error(40037)
        if body.get("miniprogram_state", "formal") not in ("formal", "trial", "developer"):
            return _error(47003, "argument invalid! miniprogram_state invalid")
        data = body.get("data")
        if not isinstance(data, dict) or not data:
            return _error(47003, "argument invalid! data invalid")
        for key, entry in data.items():
            value = entry.get("value") if isinstance(entry, dict) else None
            limit = FIELD_LIMITS.get(key.rstrip("0123456789"))
            if (not isinstance(value, str) or any(ord(ch) < 32 for ch in value)
                    or (limit is not None and len(value) > limit)):
                return _error(47003, f"argument invalid! data.{key}.value invalid")
        self._msgid += 1
        self._delivered.append(body)
        return {"errcode": 0, "errmsg": "ok", "msgid": self._msgid}


ROUTES = {
    TOKEN: ("GET", FakeWeChat._answer_token),
    STABLE_TOKEN: ("POST", FakeWeChat._answer_stable_token),
    CODE_TO_SESSION: ("GET", FakeWeChat._answer_code_to_session),
    PHONE_NUMBER: ("POST", FakeWeChat._answer_phone_number),
    SUBSCRIBE_SEND: ("POST", FakeWeChat._answer_subscribe_send),
}


def _with_rid(errmsg: str) -> str:
    return f"{errmsg} rid: {secrets.token_hex(4)}-{secrets.token_hex(4)}-{secrets.token_hex(4)}"


def _error(errcode: int, errmsg: str | None = None) -> dict:
    return {"errcode": errcode, "errmsg": _with_rid(errmsg or ERRMSGS.get(errcode, "error"))}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gave up (a timeout test) leaves a broken pipe behind: not a failure.
        pass


class _Handler(BaseHTTPRequestHandler):
    fake: FakeWeChat

    def do_GET(self):
        self._respond("GET")

    def do_POST(self):
        self._respond("POST")

    def _respond(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        status, payload = self.fake._handle(method, self.path, raw_body)
        if isinstance(payload, str):
            content, content_type = payload.encode("utf-8"), "text/html; charset=utf-8"
        else:
            content = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            content_type = "application/json; encoding=utf-8"   # sic, as WeChat sends it
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def fake_wechat():
    fake = FakeWeChat()
    yield fake
    fake.close()
