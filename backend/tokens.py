"""Signed, expiring bearer tokens: one kind for citizens, another for staff."""
from __future__ import annotations

from typing import Literal

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from .clock import get_clock
from .errors import Unauthorized

Audience = Literal["citizen", "staff"]


class _ClockSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(get_clock().now().timestamp())


def _serializer(audience: Audience) -> URLSafeTimedSerializer:
    cache = current_app.extensions.setdefault("banban.tokens", {})
    key = (audience, current_app.config["SECRET_KEY"])
    if key not in cache:
        # The salt separates the two kinds: a citizen token never verifies as a staff token.
        cache[key] = URLSafeTimedSerializer(key[1], salt=f"banban-{audience}-token",
                                            signer=_ClockSigner)
    return cache[key]


def issue_token(audience: Audience, subject: int, version: str = "") -> tuple[str, int]:
    max_age = current_app.config["TOKEN_MAX_AGE_SECONDS"]
    return _serializer(audience).dumps({"sub": subject, "v": version}), max_age


def read_token(audience: Audience, token: str) -> tuple[int, str]:
    try:
        data = _serializer(audience).loads(token, max_age=current_app.config["TOKEN_MAX_AGE_SECONDS"])
    except SignatureExpired:
        raise Unauthorized("登录已过期，请重新登录")
    except BadSignature:
        raise Unauthorized("登录凭证无效，请重新登录")
    return int(data["sub"]), str(data.get("v", ""))
