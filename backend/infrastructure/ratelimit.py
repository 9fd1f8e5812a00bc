"""Limits per client, with Flask-Limiter: one limiter per app (counters in Redis when
REDIS_URL is set, else in the process), limits read from the settings on each request.

Who is counted is each front end's choice: staff sign-in by client address (a staff member
signs in from the hall's network; ProxyFix makes the address the client's behind nginx),
citizens by citizen, never by address (carriers put thousands behind one)."""
from __future__ import annotations

import math
import time
from typing import Callable, Iterable

from flask import Flask, current_app, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

STAFF_SIGN_IN_SCOPE = "staff-sign-in"


def init_app(app: Flask) -> Limiter:
    limiter = Limiter(get_remote_address, app=app, strategy="fixed-window",
                      storage_uri=app.config["RATELIMIT_STORAGE_URI"],
                      key_prefix=app.config["RATELIMIT_KEY_PREFIX"])
    app.extensions["banban.limiter"] = limiter
    return limiter


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


def limit_endpoints(app: Flask, endpoints: Iterable[str], setting_name: str, *,
                    key_func: Callable[[], str], scope: str | None = None,
                    deduct_when: Callable | None = None, methods: list[str] | None = None,
                    on_breach: Callable | None = None) -> None:
    """Put the limit named by `setting_name` on these endpoints: each its own counter, or one
    shared counter when `scope` is given."""
    limiter = app.extensions["banban.limiter"]
    if scope:
        decorator = limiter.shared_limit(setting(setting_name), scope=scope, key_func=key_func,
                                         deduct_when=deduct_when, methods=methods,
                                         on_breach=on_breach)
    else:
        decorator = limiter.limit(setting(setting_name), key_func=key_func,
                                  deduct_when=deduct_when, methods=methods, on_breach=on_breach)
    for endpoint in endpoints:
        app.view_functions[endpoint] = decorator(app.view_functions[endpoint])


def note_failed_sign_in() -> None:
    """Count this request against its address's failed staff sign-ins."""
    g.staff_sign_in_failed = True


def sign_in_failed(response) -> bool:
    return bool(g.get("staff_sign_in_failed"))


def limit_staff_sign_in(app: Flask, endpoint: str, on_breach: Callable | None = None) -> None:
    """Failed staff sign-ins per client address, whatever the username, one count for the API
    and the admin: one client can neither try a password across many names nor lock many."""
    limit_endpoints(app, [endpoint], "STAFF_LOGIN_ADDRESS_RATE_LIMIT",
                    key_func=get_remote_address, scope=STAFF_SIGN_IN_SCOPE,
                    deduct_when=sign_in_failed, methods=["POST"], on_breach=on_breach)
