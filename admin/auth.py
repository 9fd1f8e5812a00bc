"""Staff sign-in for the admin portal: Flask-Login over `Staff`, the login form, safe `next`."""
from __future__ import annotations

import hmac
from urllib.parse import urlsplit, urlunsplit

from flask import current_app, session
from flask_login import AnonymousUserMixin, LoginManager, UserMixin, current_user, login_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from backend.clock import get_clock
from backend.extensions import db
from backend.models import Staff

ADMIN_PREFIX = "/admin"
LOGIN_FAILED = "用户名或密码错误"

login_manager = LoginManager()
login_manager.login_view = "admin.login"
login_manager.login_message = "请先登录"
login_manager.login_message_category = "info"


class StaffUser(UserMixin):
    """The signed-in staff member as Flask-Login sees them; the model itself stays plain."""

    def __init__(self, staff: Staff):
        self.staff = staff

    @property
    def is_active(self) -> bool:
        return self.staff.active

    def get_id(self) -> str:
        # The session stamp ends every session at sign-out, deactivation or a new password.
        return f"{self.staff.id}.{self.staff.session_stamp}"


class Anonymous(AnonymousUserMixin):
    staff = None


login_manager.anonymous_user = Anonymous


SIGNED_IN_AT = "banban_signed_in_at"
LAST_SEEN_AT = "banban_last_seen_at"


def start_session(staff: Staff) -> None:
    """Sign in: a fresh session (nothing set before it carries over), dated by our clock."""
    session.clear()
    login_user(StaffUser(staff))
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = int(get_clock().now().timestamp())


def _seconds_since(key: str, now: int) -> int:
    value = session.get(key)
    return now - (value if isinstance(value, int) else 0)


@login_manager.user_loader
def _load_user(user_id: str) -> StaffUser | None:
    staff_id, _, stamp = user_id.partition(".")
    if not staff_id.isdigit():
        return None
    # A staff session lasts as long as a staff API token (a working day), from sign-in, and
    # ends sooner when left idle (ADMIN_IDLE_MINUTES).
    now = int(get_clock().now().timestamp())
    if not 0 <= _seconds_since(SIGNED_IN_AT, now) <= current_app.config["STAFF_TOKEN_MAX_AGE_SECONDS"]:
        return None
    if not 0 <= _seconds_since(LAST_SEEN_AT, now) <= current_app.config["ADMIN_IDLE_MINUTES"] * 60:
        return None
    # With their places, in the same statement: every page's scope asks for them.
    staff = db.session.get(Staff, int(staff_id), options=[joinedload(Staff.places)],
                           populate_existing=True)
    if staff is None or not staff.active or not hmac.compare_digest(stamp, staff.session_stamp):
        return None
    # Activity is noted to the minute (the idle limit is counted in minutes): the session cookie
    # is signed and sent again once a minute, not on every page.
    if _seconds_since(LAST_SEEN_AT, now) >= 60:
        session[LAST_SEEN_AT] = now
    return StaffUser(staff)


def current_staff() -> Staff | None:
    return current_user.staff if current_user.is_authenticated else None


def safe_next(target: str | None) -> str:
    """`target` if it is a local path under /admin, else the admin home page.

    Anything with a scheme or host (`https://evil.example/`, `//evil.example`), a backslash
    (which browsers read as a slash) or a control character is refused."""
    home = ADMIN_PREFIX + "/"
    if not target or "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7f for c in target):
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return home
    if not (parts.path == ADMIN_PREFIX or parts.path.startswith(home)):
        return home
    return urlunsplit(("", "", parts.path, parts.query, ""))


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=50, message="用户名过长")])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=200, message="密码过长")])

