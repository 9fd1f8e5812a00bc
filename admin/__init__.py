"""The admin portal for hall staff, at /admin, in Chinese (Flask-Admin)."""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import Blueprint, Flask, current_app, g, request
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import Babel
from flask_wtf.csrf import generate_csrf

from backend.clock import today
from backend.extensions import db
from backend.infrastructure.audit import act_as
from backend.services.calendar import CalendarWarning, calendar_warnings_for, warnings_for_role

from . import (
    cases, catalog, consultation, floor, meetings, oversight, oversight_lists, people, projects,
    queue, screen, standards, window,
)
from .auth import ADMIN_PREFIX, login_manager, signed_in
from .base import navigation
from .reads import finish_reads
from .home import HomeView

ADMIN_NAME = "帮办代办管理后台"

babel = Babel()
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
# Holds our templates and scripts only; Flask-Admin's own come with its views.
templates = Blueprint("banban_admin", __name__, template_folder="templates",
                      static_folder="static", static_url_path=ADMIN_PREFIX + "/banban-static")


def init_app(app: Flask) -> None:
    # The portal is Chinese only: Flask-Admin's strings come from its zh_Hans_CN catalogue,
    # chosen by BABEL_DEFAULT_LOCALE, and the few its compiled catalogue lacks from ours
    # (admin/translations).
    babel.init_app(app)
    login_manager.init_app(app)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    if not app.config.get("SESSION_COOKIE_SAMESITE"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.register_blueprint(templates)
    screen.init_app(app)

    # A new Admin per app: the factory runs many times in tests.
    admin = Admin(app, name=ADMIN_NAME, url=ADMIN_PREFIX, index_view=HomeView(),
                  csp_nonce_generator=csp_nonce, translations_path=str(TRANSLATIONS),
                  theme=Bootstrap4Theme(base_template="banban_admin/base.html",
                                        swatch=app.config.get("FLASK_ADMIN_SWATCH", "default")))
    for module in (cases, window, queue, floor, consultation, people, catalog, oversight,
                   oversight_lists, meetings, standards, projects):
        module.add_views(admin)

    @app.context_processor
    def admin_helpers() -> dict:
        # Callables, so that only the admin's base template pays for them.
        return {"admin_calendar_warnings": _calendar_warnings, "admin_csrf_token": generate_csrf}

    @app.before_request
    def audit_as_the_signed_in_staff():
        # Whatever an admin view changes is written to the audit log under this staff member.
        if _is_admin_path():
            staff = signed_in()
            if staff is not None:
                act_as(db.session, staff.id)

    app.teardown_request(finish_reads)
    app.jinja_env.globals["admin_navigation"] = navigation

    @app.after_request
    def no_framing(response):
        if _is_admin_path():
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY.format(
                nonce=csp_nonce()))
        return response


# Scripts and styles come from our own origin; the few inline scripts Flask-Admin writes carry
# this request's nonce. Nothing may frame the portal, nor a form post elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'")


def csp_nonce() -> str:
    """This request's script nonce (Flask-Admin writes it on each script tag it renders)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _is_admin_path() -> bool:
    return request.path == ADMIN_PREFIX or request.path.startswith(ADMIN_PREFIX + "/")


def _calendar_warnings() -> list[CalendarWarning]:
    staff = signed_in()
    if staff is None:
        return []
    horizon = current_app.config["CALENDAR_HORIZON_DAYS"]
    if staff.notice_years is None:
        return calendar_warnings_for(db.session, staff, today(), horizon)
    # The notice years came with the signed-in staff member (admin.auth.SIGNED_IN).
    return warnings_for_role(staff.role, staff.notice_years, today(), horizon)
