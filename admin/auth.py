"""Staff sign-in for the admin portal: Flask-Login over `Staff`, the login form, safe `next`."""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from flask import current_app, session
from flask_login import AnonymousUserMixin, LoginManager, UserMixin, current_user, login_user
from flask_wtf import FlaskForm
from sqlalchemy import String, bindparam, cast, func, select
from sqlalchemy.orm import joinedload
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from backend.clock import get_clock
from backend.extensions import db
from backend.models import ROLES, CalendarNotice, Staff, staff_place

from .reads import read

ADMIN_PREFIX = "/admin"
LOGIN_FAILED = "用户名或密码错误"

login_manager = LoginManager()
login_manager.login_view = "admin.login"
login_manager.login_message = "请先登录"
login_manager.login_message_category = "info"


@dataclass(frozen=True)
class SignedIn:
    """The signed-in staff member as every admin page needs them: who they are, their role and
    their places (all that `backend.services.scope` asks of a staff member) and the stamp their
    session carries. Read in one statement outside the session (`_load_user`); the `Staff` row
    itself is loaded only by a page that asks for it (`current_staff`)."""
    id: int
    username: str
    name: str
    role: str
    active: bool
    place_ids: frozenset[int]
    session_stamp: str
    # Not the staff member's, but read with them for the frame of every page they open: the
    # years whose holiday notice is in, which the calendar banner asks for (admin.init_app);
    # None when not read (a session just started from a `Staff`).
    notice_years: frozenset[int] | None = None

    @property
    def role_label(self) -> str:
        return ROLES[self.role]

    @classmethod
    def of(cls, staff: Staff) -> "SignedIn":
        return cls(staff.id, staff.username, staff.name, staff.role, staff.active,
                   frozenset(staff.place_ids), staff.session_stamp)


# The staff member with their places, one row per place, and the notice years as one text
# ("2026,2027"): portable (no arrays on SQLite), and one round trip for all a page's frame reads.
SIGNED_IN = (select(Staff.id, Staff.username, Staff.name, Staff.role, Staff.active,
                    Staff.password_hash, Staff.session_version, staff_place.c.place_id,
                    select(func.aggregate_strings(cast(CalendarNotice.year, String), ","))
                    .scalar_subquery().label("notice_years"))
             .outerjoin(staff_place, staff_place.c.staff_id == Staff.id)
             .where(Staff.id == bindparam("staff_id")))


class StaffUser(UserMixin):
    """The signed-in staff member as Flask-Login sees them; the model itself stays plain."""

    def __init__(self, staff: Staff | None = None, signed_in: SignedIn | None = None):
        self.signed_in = signed_in if signed_in is not None else SignedIn.of(staff)
        self._staff = staff

    @property
    def staff(self) -> Staff | None:
        """The `Staff` row, with its places, loaded into the request's session at first use."""
        if self._staff is None:
            # populate_existing: a session kept across requests (the tests' app context) holds
            # the row as it was.
            self._staff = db.session.get(Staff, self.signed_in.id,
                                         options=[joinedload(Staff.places)], populate_existing=True)
        return self._staff

    @property
    def is_active(self) -> bool:
        return self.signed_in.active

    def get_id(self) -> str:
        # The session stamp ends every session at sign-out, deactivation or a new password.
        return f"{self.signed_in.id}.{self.signed_in.session_stamp}"


class Anonymous(AnonymousUserMixin):
    staff = None
    signed_in = None


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
    # With their places, in one statement outside the session (admin.reads): a page that only
    # reads never begins the session's transaction.
    rows = read(SIGNED_IN, {"staff_id": int(staff_id)})
    if not rows:
        return None
    row = rows[0]
    if not row.active or not hmac.compare_digest(stamp, Staff.stamp(
            row.password_hash, row.role, row.active, row.session_version)):
        return None
    signed = SignedIn(row.id, row.username, row.name, row.role, row.active,
                      frozenset(r.place_id for r in rows if r.place_id is not None), stamp,
                      frozenset(int(y) for y in (row.notice_years or "").split(",") if y))
    # Activity is noted to the minute (the idle limit is counted in minutes): the session cookie
    # is signed and sent again once a minute, not on every page.
    if _seconds_since(LAST_SEEN_AT, now) >= 60:
        session[LAST_SEEN_AT] = now
    return StaffUser(signed_in=signed)


def current_staff() -> Staff | None:
    """The signed-in staff member's `Staff` row (loaded at first use), for a page that hands it
    to a service or reads its relations; `signed_in` is enough for who, which role and where."""
    return current_user.staff if current_user.is_authenticated else None


def signed_in() -> SignedIn | None:
    """Who is signed in, their role and places, as read for this request (no query)."""
    return current_user.signed_in if current_user.is_authenticated else None


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

