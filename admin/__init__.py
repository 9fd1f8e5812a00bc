"""The admin portal for hall staff, at /admin, in Chinese (Flask-Admin)."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, request
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import Babel
from flask_wtf.csrf import generate_csrf

from backend.audit import act_as
from backend.clock import today
from backend.extensions import db
from backend.services.calendar import calendar_warnings

from .auth import ADMIN_PREFIX, current_staff, login_manager
from .catalog import add_views
from .home import HomeView

ADMIN_NAME = "帮办代办管理后台"

babel = Babel()
# Holds our templates only; Flask-Admin's own come with its views.
templates = Blueprint("banban_admin", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    # The portal is Chinese only: Flask-Admin's strings come from its zh_Hans_CN catalogue,
    # chosen by BABEL_DEFAULT_LOCALE.
    babel.init_app(app)
    login_manager.init_app(app)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    if not app.config.get("SESSION_COOKIE_SAMESITE"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.register_blueprint(templates)

    # A new Admin per app: the factory runs many times in tests.
    admin = Admin(app, name=ADMIN_NAME, url=ADMIN_PREFIX, index_view=HomeView(),
                  theme=Bootstrap4Theme(base_template="banban_admin/base.html",
                                        swatch=app.config.get("FLASK_ADMIN_SWATCH", "default")))
    add_views(admin)

    @app.context_processor
    def admin_helpers() -> dict:
        # Callables, so that only the admin's base template pays for them.
        return {"admin_calendar_warnings": _calendar_warnings, "admin_csrf_token": generate_csrf}

    @app.before_request
    def audit_as_the_signed_in_staff():
        # Whatever an admin view changes is written to the audit log under this staff member.
        if _is_admin_path():
            staff = current_staff()
            if staff is not None:
                act_as(db.session, staff.id)

    @app.after_request
    def no_framing(response):
        if _is_admin_path():
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response


def _is_admin_path() -> bool:
    return request.path == ADMIN_PREFIX or request.path.startswith(ADMIN_PREFIX + "/")


def _calendar_warnings() -> list[str]:
    return calendar_warnings(db.session, today(), current_app.config["CALENDAR_HORIZON_DAYS"])
