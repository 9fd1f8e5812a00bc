"""Which API routes are limited, and whom each limit counts (settings in backend.config).

Citizens are counted per citizen, never per address: a mini-program's users reach us through
mobile carriers' shared addresses. Staff sign-in is counted per client address, failed
attempts only, together with the admin's sign-in form."""
from __future__ import annotations

from flask import Flask

from backend.infrastructure.ratelimit import limit_endpoints, limit_staff_sign_in

from .auth import citizen_key

# Creating and moving bookings share one count; cases have their own.
BOOKING_ENDPOINTS = ("bookings.create_booking", "bookings.cancel_booking",
                     "bookings.reschedule_booking")
CASE_CREATE_ENDPOINTS = ("cases.create_case",)


def init_app(app: Flask) -> None:
    citizen_routes = [endpoint for endpoint, view in app.view_functions.items()
                      if getattr(view, "signed_in_as", None) == "citizen"]
    limit_endpoints(app, BOOKING_ENDPOINTS, "BOOKING_RATE_LIMIT", key_func=citizen_key,
                    scope="citizen-bookings")
    limit_endpoints(app, CASE_CREATE_ENDPOINTS, "CASE_CREATE_RATE_LIMIT", key_func=citizen_key)
    limit_endpoints(app, citizen_routes, "CITIZEN_RATE_LIMIT", key_func=citizen_key,
                    scope="citizen")
    limit_staff_sign_in(app, "staff.staff_login")
