"""Which API routes are limited, and whom each limit counts (settings in backend.config).

Citizens are counted per citizen, never per address: a mini-program's users reach us through
mobile carriers' shared addresses. Every request of a signed-in citizen counts against
CITIZEN_RATE_LIMIT; creating and moving bookings also against BOOKING_RATE_LIMIT (one count
for the three), creating cases against CASE_CREATE_RATE_LIMIT. `citizen_required` counts them
all in one call per request. Staff sign-in is counted per client address, failed attempts only,
together with the admin's sign-in form (backend.infrastructure.ratelimit.count_failed_sign_in).
The WeChat login, made before anyone is signed in, is counted per client address
(WECHAT_LOGIN_RATE_LIMIT, generous for a carrier's shared address): each one is a call to
WeChat."""
from __future__ import annotations

from flask import Flask, request
from flask_limiter.util import get_remote_address

from backend.infrastructure import ratelimit

EVERY_REQUEST = ("CITIZEN_RATE_LIMIT", "citizen")
BOOKING_ENDPOINTS = ("bookings.create_booking", "bookings.cancel_booking",
                     "bookings.reschedule_booking")
CASE_CREATE_ENDPOINTS = ("cases.create_case",)
# The limits a citizen request counts against, by endpoint; any other: EVERY_REQUEST only.
CITIZEN_LIMITS = {
    **{e: (EVERY_REQUEST, ("BOOKING_RATE_LIMIT", "citizen-bookings")) for e in BOOKING_ENDPOINTS},
    **{e: (EVERY_REQUEST, ("CASE_CREATE_RATE_LIMIT", "citizen-cases"))
       for e in CASE_CREATE_ENDPOINTS},
}
ONLY_EVERY_REQUEST = (EVERY_REQUEST,)
WECHAT_LOGIN = (("WECHAT_LOGIN_RATE_LIMIT", "wechat-login"),)


def count_citizen_request(citizen_id: int) -> None:
    """Count this request against the signed-in citizen's limits (429 when over one)."""
    ratelimit.count(CITIZEN_LIMITS.get(request.endpoint, ONLY_EVERY_REQUEST),
                    f"citizen:{citizen_id}")


def count_wechat_login() -> None:
    """Count this WeChat login against its client address (429 when over), before WeChat is
    asked."""
    ratelimit.count(WECHAT_LOGIN, f"address:{get_remote_address()}")


def init_app(app: Flask) -> None:
    missing = [e for e in CITIZEN_LIMITS if e not in app.view_functions]
    if missing:  # a renamed view would silently lose its limit
        raise RuntimeError(f"rate limits name unknown endpoints: {missing}")
