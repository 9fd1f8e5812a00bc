"""Limits per client, with Flask-Limiter: one limiter per app (counters in Redis when
REDIS_URL is set, else in the process), limits read from the settings on each request.

Who is counted is each front end's choice: staff sign-in by client address (a staff member
signs in from the hall's network; ProxyFix makes the address the client's behind nginx),
citizens by citizen, never by address (carriers put thousands behind one).

Two ways in. Staff sign-in uses Flask-Limiter's route decorator (`limit_staff_sign_in`): it counts
failed attempts only, after the answer, which is what its `deduct_when` does. The
citizen path, every request of the mini-program, calls `count` once per request instead: every
counter the request touches is incremented in one call to the limiter's storage (one round trip
to Redis, a Lua script like the `limits` library's own for one counter), not one decorator
evaluation and one round trip per counter."""
from __future__ import annotations

import functools
import logging
import math
import time
from typing import Callable, Sequence

from flask import Flask, current_app, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, RedisStorage

from backend.errors import RateLimited

log = logging.getLogger(__name__)

STAFF_SIGN_IN_SCOPE = "staff-sign-in"

# The `limits` library's fixed-window increment (incrby, and the window's expiry when the
# counter is new), for several counters at once: KEYS are the counters, ARGV their expiries.
INCREMENT_ALL = """
local counts = {}
for i, key in ipairs(KEYS) do
    local count = redis.call("incrby", key, 1)
    if count == 1 then
        redis.call("expire", key, ARGV[i])
    end
    counts[i] = count
end
return counts
"""

IN_PROCESS_STORAGE_URI = "memory-swept://"


class SweptMemoryStorage(MemoryStorage):
    """The `limits` library's in-process counters, their expired ones swept once a second.

    The library sweeps every counter for expired ones 100 times a second while counters change,
    each time on a thread started anew: CPU that grows with the citizens counted (a day's
    booking counter lives a day) and competes with the requests for the interpreter. A counter
    read after its window has ended is reset on the spot (`get`), so the sweep only gives memory
    back, and once a second is plenty. (The hook is the library's private method, at the pinned
    version; tests/test_access.py checks both what it keeps and what it saves.)"""

    STORAGE_SCHEME = ["memory-swept"]
    SWEEP_SECONDS = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        self.next_sweep = 0.0
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now >= self.next_sweep:
            self.next_sweep = now + self.SWEEP_SECONDS
            super()._MemoryStorage__schedule_expiry()


def init_app(app: Flask) -> Limiter:
    limiter = Limiter(get_remote_address, app=app, strategy="fixed-window",
                      storage_uri=app.config["RATELIMIT_STORAGE_URI"] or IN_PROCESS_STORAGE_URI,
                      key_prefix=app.config["RATELIMIT_KEY_PREFIX"])
    # Flask-Limiter checks every request before its view for default and application limits;
    # we have none (the decorated routes check themselves, the citizen path calls `count`), so
    # that check would only cost every request its machinery. (A limiter switched off by
    # RATELIMIT_ENABLED registers no hooks at all.)
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:
        hooks.remove(limiter._check_request_limit)
    app.extensions["banban.limiter"] = limiter
    app.extensions["banban.limits"] = Counters(limiter)
    return limiter


@functools.lru_cache(maxsize=64)
def parse(setting: str) -> tuple[RateLimitItem, ...]:
    """A limit setting ("10 per minute;60 per day") as the `limits` library's items, parsed
    once per distinct setting."""
    return tuple(parse_many(setting))


class Counters:
    """The limiter's counters, incremented several at a time."""

    def __init__(self, limiter: Limiter):
        self.limiter = limiter
        self.storage = None
        self.increment_script = None

    def increment(self, counters: Sequence[tuple[RateLimitItem, tuple[str, ...]]]) -> list[int]:
        """Add one to each counter (a limit item and its identifiers, keyed as Flask-Limiter
        keys its own), in one call to the storage; their new values."""
        storage = self.limiter.storage
        if storage is not self.storage:  # first use (the limiter makes its storage when enabled)
            self.storage, self.increment_script = storage, (
                storage.get_connection().register_script(INCREMENT_ALL)
                if isinstance(storage, RedisStorage) else None)
        if self.increment_script is not None:
            return self.increment_script(
                keys=[storage.prefixed_key(item.key_for(*ids)) for item, ids in counters],
                args=[item.get_expiry() for item, _ in counters])
        return [storage.incr(item.key_for(*ids), item.get_expiry()) for item, ids in counters]


def count(limits: Sequence[tuple[str, str]], who: str) -> None:
    """Count this request against each limit named (the setting that says it, the scope of its
    counter) for `who`; refuse it (429, with when to come back) if any is now over.

    The counters are the limiter's (Flask-Limiter's storage, key prefix and switch): what
    `limiter.reset()` clears and RATELIMIT_ENABLED turns off. If the storage does not answer,
    the request goes through and the failure is logged: a Redis restart must not lock every
    citizen out."""
    counters = current_app.extensions["banban.limits"]
    limiter = counters.limiter
    if not limiter.enabled:
        return
    config = current_app.config
    prefix = config["RATELIMIT_KEY_PREFIX"]
    wanted = [(item, (prefix, who, scope)) for setting_name, scope in limits
              for item in parse(config[setting_name])]
    try:
        values = counters.increment(wanted)
    except Exception:  # noqa: BLE001 - any storage failure: count nothing, refuse nothing
        log.warning("rate limit storage unavailable: request not counted", exc_info=True)
        return
    over = [(item, ids) for (item, ids), value in zip(wanted, values) if value > item.amount]
    if over:
        item, ids = max(over, key=lambda o: o[0].get_expiry())  # the longest wait decides
        try:
            reset_at = limiter.limiter.get_window_stats(item, *ids).reset_time
        except Exception:  # noqa: BLE001 - the count said no; only the wait is unknown
            reset_at = time.time() + item.get_expiry()
        raise RateLimited(retry_after=max(1, math.ceil(reset_at - time.time())))


def get_limiter() -> Limiter:
    return current_app.extensions["banban.limiter"]


def setting(name: str) -> Callable[[], str]:
    """A limit read from the configuration when the request is counted."""
    return lambda: current_app.config[name]


def retry_after() -> int:
    """Whole seconds until the limit this request broke lets it through again."""
    current = get_limiter().current_limit
    if current is None:
        return 60
    return max(1, math.ceil(current.reset_at - time.time()))


def note_failed_sign_in() -> None:
    """Count this request against its address's failed staff sign-ins."""
    g.staff_sign_in_failed = True


def sign_in_failed(response) -> bool:
    return bool(g.get("staff_sign_in_failed"))


def limit_staff_sign_in(app: Flask, endpoint: str, on_breach: Callable | None = None) -> None:
    """Failed staff sign-ins per client address, whatever the username, one count for the API
    and the admin: one client can neither try a password across many names nor lock many."""
    decorator = app.extensions["banban.limiter"].shared_limit(
        setting("STAFF_LOGIN_ADDRESS_RATE_LIMIT"), scope=STAFF_SIGN_IN_SCOPE,
        key_func=get_remote_address, deduct_when=sign_in_failed, methods=["POST"],
        on_breach=on_breach)
    app.view_functions[endpoint] = decorator(app.view_functions[endpoint])
