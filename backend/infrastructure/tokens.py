"""Signed, expiring bearer tokens: one kind for citizens, another for staff."""
from __future__ import annotations

from functools import lru_cache
from typing import Literal

from flask import Flask, current_app
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

from ..clock import get_clock
from ..errors import Unauthorized

Audience = Literal["citizen", "staff"]
# A citizen token's version when its holder was in a special group as they signed in: the slot
# listing counts the reserved seats as theirs (a display only: booking decides on the facts).
SPECIAL_GROUP = "special"


class _ClockSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(get_clock().now().timestamp())


def _serializer(audience: Audience, app: Flask | None = None) -> URLSafeTimedSerializer:
    app = app or current_app
    cache = app.extensions.setdefault("banban.tokens", {})
    key = (audience, app.config["SECRET_KEY"])
    if key not in cache:
        # The salt separates the two kinds: a citizen token never verifies as a staff token.
        cache[key] = URLSafeTimedSerializer(key[1], salt=f"banban-{audience}-token",
                                            signer=_ClockSigner)
    return cache[key]


def max_age(audience: Audience) -> int:
    """Seconds a token lives: staff for a working day, citizens longer (settings)."""
    return int(current_app.config[f"{audience.upper()}_TOKEN_MAX_AGE_SECONDS"])


def issue_token(audience: Audience, subject: int, version: str = "") -> tuple[str, int]:
    return _serializer(audience).dumps({"sub": subject, "v": version}), max_age(audience)


def read_token(audience: Audience, token: str) -> tuple[int, str]:
    try:
        subject, version, issued = _verified(_serializer(audience), token)
    except BadSignature:
        raise Unauthorized("登录凭证无效，请重新登录")
    age = int(get_clock().now().timestamp()) - issued
    if not 0 <= age <= max_age(audience):
        raise Unauthorized("登录已过期，请重新登录")
    return subject, version


def token_version(app: Flask, audience: Audience, token: str) -> str | None:
    """The version a token carries if its signature holds (its age unchecked: for hints that
    decide no right), else None; needs no app context."""
    try:
        return _verified(_serializer(audience, app), token)[1]
    except BadSignature:
        return None


@lru_cache(maxsize=4096)
def _verified(serializer: URLSafeTimedSerializer, token: str) -> tuple[int, str, int]:
    """A token's signature checked once: its subject, version and issue time, which alone
    decide its age. Kept for the busiest tokens (a signature never turns bad; failures are not
    kept), keyed by the serializer, so by audience and secret."""
    data, issued = serializer.loads(token, return_timestamp=True)
    return int(data["sub"]), str(data.get("v", "")), int(issued.timestamp())
