"""Limits per client, with Flask-Limiter: one limiter per app (counters in Redis when
REDIS_URL is set, else in the process), limits read from the settings on each request.

Who is counted is each front end's choice: staff sign-in failures and WeChat logins by client
address (ProxyFix makes the address the client's behind nginx), signed-in citizens by citizen,
never by address (carriers put thousands behind one).

One way in, `count`: every counter a request touches is incremented in one call to the
limiter's storage (one round trip to Redis, a Lua script like the `limits` library's own for one
counter), not one decorator evaluation and one round trip per counter. A staff sign-in is counted
only once it has failed (`count_failed_sign_in`), so that a right password is never held up by
other people's failures from the same address."""
from __future__ import annotations

import functools
import logging
import math
import os
import threading
import time
from typing import Sequence

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, RedisStorage
from redis.exceptions import NoScriptError

from backend.errors import RateLimited

log = logging.getLogger(__name__)

STAFF_SIGN_IN_LIMIT, STAFF_SIGN_IN_SCOPE = "STAFF_LOGIN_ADDRESS_RATE_LIMIT", "staff-sign-in"

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
    # Flask-Limiter checks every request before its view for default, application and decorated
    # limits, and after it deducts conditional limits and writes headers for the limit applied.
    # We have none of those (every count goes through `count`): its hooks would only cost each
    # request its machinery. (A limiter switched off by RATELIMIT_ENABLED registers none.)
    for hooks in (app.before_request_funcs, app.after_request_funcs,
                  app.teardown_request_funcs):
        hooks[None] = [f for f in hooks.get(None, []) if not _is_limiters(f, limiter)]
    app.extensions["banban.limiter"] = limiter
    app.extensions["banban.limits"] = Counters(limiter)
    return limiter


def _is_limiters(hook, limiter: Limiter) -> bool:
    """A request hook Flask-Limiter registered: a method of the limiter, or one bound to it."""
    return getattr(hook, "__self__", None) is limiter or (
        isinstance(hook, functools.partial) and limiter in hook.args)


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
        self.redis = None

    def increment(self, counters: Sequence[tuple[RateLimitItem, tuple[str, ...]]]) -> list[int]:
        """Add one to each counter (a limit item and its identifiers, keyed as Flask-Limiter
        keys its own), in one call to the storage; their new values."""
        storage = self.limiter.storage
        if storage is not self.storage:  # first use (the limiter makes its storage when enabled)
            self.storage = storage
            self.redis = (RedisIncrements(storage) if type(storage) is RedisStorage else None)
        if self.redis is not None:
            return self.redis.run([storage.prefixed_key(item.key_for(*ids))
                                   for item, ids in counters],
                                  [item.get_expiry() for item, _ in counters])
        return [storage.incr(item.key_for(*ids), item.get_expiry()) for item, ids in counters]


class RedisIncrements:
    """INCREMENT_ALL on a Redis connection of this process's own, taken from the limits storage's
    pool: one command written and one reply read per request.

    redis-py's general path for a command (take a connection from the pool, retries, its
    observability hooks, give the connection back) costs more CPU than the round trip itself,
    on every citizen request. Here the process keeps one connection (a lock for threads; made
    again after a fork or a failure) and sends EVALSHA on it, loading the script once more if
    Redis lost it (a restart). A failure drops the connection and is raised: `count` lets the
    request through and logs it, and the next request connects again."""

    def __init__(self, storage: RedisStorage):
        self.pool = storage.get_connection().connection_pool
        self.sha = None
        self.connection = None
        self.pid = None
        self.lock = threading.Lock()

    def run(self, keys: list[str], expiries: list[int]) -> list[int]:
        with self.lock:
            if self.connection is None or self.pid != os.getpid():
                self.connection, self.pid = self.pool.make_connection(), os.getpid()
            connection = self.connection
            try:
                if self.sha is None:
                    self.sha = self._call(connection, "SCRIPT", "LOAD", INCREMENT_ALL)
                try:
                    return self._call(connection, "EVALSHA", self.sha, len(keys), *keys,
                                      *expiries)
                except NoScriptError:
                    self.sha = self._call(connection, "SCRIPT", "LOAD", INCREMENT_ALL)
                    return self._call(connection, "EVALSHA", self.sha, len(keys), *keys,
                                      *expiries)
            except Exception:
                self.connection = None
                connection.disconnect()
                raise

    @staticmethod
    def _call(connection, *command):
        connection.send_command(*command)
        return connection.read_response()


def count(limits: Sequence[tuple[str, str]], who: str, message: str | None = None) -> None:
    """Count this request against each limit named (the setting that says it, the scope of its
    counter) for `who`; refuse it (429, with when to come back, and `message` if given) if any
    is now over.

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
        raise RateLimited(message, retry_after=max(1, math.ceil(reset_at - time.time())))


def count_failed_sign_in() -> None:
    """Count a failed staff sign-in (a password checked and wrong, or no such active account)
    against its client address, API and admin together; refuse it (429) once the address is
    over STAFF_LOGIN_ADDRESS_RATE_LIMIT. Only failures are counted, and only after the password
    was checked, so a right password for a name that is not locked always signs in: a hall's
    staff share one address, and one person's typos must not lock the others out. Guessing is
    bounded by the lock on each name (backend.services.staff.authenticate), which counts these
    attempts too."""
    address = get_remote_address()
    try:
        count(((STAFF_SIGN_IN_LIMIT, STAFF_SIGN_IN_SCOPE),), f"address:{address}",
              "该网络地址登录失败次数过多，请核对用户名和密码后再试")
    except RateLimited:
        log.warning("failed staff sign-ins from %s over %s", address,
                    current_app.config[STAFF_SIGN_IN_LIMIT])
        raise
