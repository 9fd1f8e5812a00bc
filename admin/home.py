"""The admin home page and staff sign-in / sign-out, all under /admin."""
from __future__ import annotations

from flask import flash, redirect, request, session, url_for
from flask_admin import AdminIndexView, expose
from flask_login import logout_user

from backend.clock import get_clock
from backend.errors import RateLimited
from backend.extensions import db
from backend.infrastructure.ratelimit import count_failed_sign_in
from backend.services.staff import authenticate, end_sessions
from backend.uow import unit_of_work

from .auth import (
    LOGIN_FAILED, LoginForm, current_staff, login_manager, safe_next,
    start_session,
)
from .base import CachedChrome, minute
from .forms import FORM_EXPIRED, PostForm
from .oversight import dashboard_page


class HomeView(CachedChrome, AdminIndexView):
    """Open to everyone so that the login page can live here; each page checks for itself."""

    def __init__(self) -> None:
        super().__init__(name="首页", url="/admin", template="banban_admin/index.html")

    @expose("/")
    def index(self):
        staff = current_staff()
        if staff is None:
            return login_manager.unauthorized()
        return self.render(self._template, staff=staff, when=minute, **dashboard_page(staff))

    @expose("/login", methods=("GET", "POST"))
    def login(self):
        target = safe_next(request.args.get("next"))
        if current_staff() is not None:
            return redirect(target)
        form = LoginForm()
        error, status, headers = None, 200, {}
        if form.validate_on_submit():
            try:
                staff = authenticate(db.session, form.username.data, form.password.data,
                                     get_clock().now())
                if staff is None:
                    error = LOGIN_FAILED
                    count_failed_sign_in()  # the address's failures, with the API's
            except RateLimited as exc:  # the name is locked, or the address failed too often
                staff, error, status = None, exc.message, 429
                headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else {}
            if staff is not None:
                start_session(staff)
                if staff.role == "agent" and not request.args.get("next"):
                    # An agent's day starts with its own cases (我的办件).
                    target = url_for("admin_my_case.index_view")
                return redirect(target)
        elif form.is_submitted() and form.errors.get("csrf_token"):
            error = FORM_EXPIRED
        return self.render("banban_admin/login.html", form=form, error=error), status, headers

    @expose("/logout", methods=("GET", "POST"))
    def logout(self):
        if current_staff() is None:
            return redirect(url_for(".login"))
        form = PostForm()
        # Only a POST carrying the page's CSRF token signs out; a bare GET asks to confirm.
        if form.validate_on_submit():
            # Every session and token of this person ends, not only this cookie.
            with unit_of_work() as db_session:
                end_sessions(db_session, current_staff())
            logout_user()
            session.clear()
            flash("您已退出登录", "info")
            return redirect(url_for(".login"))
        return self.render("banban_admin/logout.html", form=form)
