"""Staff accounts (district admins) and the agent registry (登记备案), through the same
services as the account commands."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_wtf import FlaskForm
from sqlalchemy import select

from backend.clock import get_clock, today
from backend.errors import Forbidden
from backend.extensions import db
from backend.models import ROLES, AgentRegistration, Department, Place, Staff
from backend.services import scope
from backend.services.staff import (
    activate_staff, create_staff, deactivate_staff, register_agent, set_password, unlock_sign_in,
    unregister_agent,
)

from .auth import current_staff
from .base import ScopedModelView, places_run_by_current_staff, run_service
from .catalog import SYSTEM, StaffView

REGISTRY = "登记备案"


class PostForm(FlaskForm):
    """Only the CSRF token; the fields are read from the posted form."""


class StaffAccountView(StaffView):
    """工作人员: accounts created, stopped, restarted, given a new password, unlocked."""
    details_template = "banban_admin/staff_details.html"
    list_template = "banban_admin/staff_list.html"

    @expose("/create/", methods=("GET", "POST"))
    def create(self):
        form = PostForm()
        if form.validate_on_submit():
            values = request.form

            def work(session):
                return create_staff(
                    session, username=(values.get("username") or "").strip(),
                    password=values.get("password") or "", role=values.get("role") or "",
                    name=(values.get("name") or "").strip() or None,
                    place_codes=values.getlist("places"),
                    department_code=values.get("department") or None, now=get_clock().now())
            created = run_service(work)
            if created:
                flash(f"已创建账号 {created.username}", "success")
                return redirect(url_for(".details_view", id=created.id))
        return self.render("banban_admin/staff_create.html", form=form, roles=ROLES,
                           places=db.session.scalars(select(Place).order_by(Place.code)).all(),
                           departments=db.session.scalars(select(Department)
                                                          .order_by(Department.code)).all(),
                           values=request.form)

    @expose("/account/<step>/", methods=("POST",))
    def account(self, step: str):
        name = step
        staff = self.get_one(request.args.get("id"))
        if staff is None or name not in ("deactivate", "activate", "password", "unlock"):
            abort(404)
        if PostForm().validate_on_submit():
            staff_id, password = staff.id, request.form.get("password") or ""

            def work(session):
                target = session.get(Staff, staff_id)
                if name == "deactivate":
                    if target.id == current_staff().id:
                        raise Forbidden("不能停用自己的账号")
                    return deactivate_staff(session, target)
                if name == "activate":
                    return activate_staff(session, target)
                if name == "unlock":
                    return unlock_sign_in(session, target.username)
                return set_password(session, target, password)
            done = {"deactivate": "账号已停用，其全部登录已失效", "activate": "账号已启用",
                    "password": "密码已重置，其全部登录已失效", "unlock": "登录锁定已解除"}[name]
            run_service(work, done)
        else:
            flash("页面已过期，请刷新页面后重试", "error")
        return redirect(url_for(".details_view", id=staff.id))


def _state(view, context, registration: AgentRegistration, name: str) -> str:
    return "有效" if registration.current else f"已于 {registration.ended_on} 注销"


class RegistrationView(ScopedModelView):
    """登记备案: agents registered at stations, current and ended (the history stays)."""
    roles = scope.OVERSEERS
    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = True
    list_template = "banban_admin/registration_list.html"
    column_list = ["staff", "station", "registered_on", "state"]
    column_details_list = column_list
    column_labels = {"staff": "帮办代办员", "station": "部门站所", "registered_on": "登记日期",
                     "state": "状态", "staff.name": "帮办代办员"}
    column_formatters = {"state": _state}
    column_filters = ["staff.name", "registered_on", "ended_on"]
    column_default_sort = [("registered_on", True), ("id", True)]

    def acting(self) -> bool:
        return current_staff().role in scope.PLACE_RUNNERS

    @expose("/register/", methods=("GET", "POST"))
    def register(self):
        places = places_run_by_current_staff()
        form = PostForm()
        if form.validate_on_submit():
            codes = request.form.getlist("places")
            allowed = {p.code for p in places}
            if not codes or not set(codes) <= allowed:
                flash("请选择您管理的场所", "error")
            else:
                username, department = request.form.get("agent") or "", request.form.get(
                    "department") or ""
                if run_service(lambda s: register_agent(s, username, codes, department, today()),
                               f"{username} 已登记备案"):
                    return redirect(url_for(".index_view"))
        agents = db.session.scalars(select(Staff).where(Staff.role.in_(scope.AGENTS),
                                                        Staff.active.is_(True))
                                    .order_by(Staff.name)).all()
        departments = db.session.scalars(select(Department).order_by(Department.code)).all()
        return self.render("banban_admin/registration_add.html", form=form, places=places,
                           agents=agents, departments=departments)

    @expose("/end/", methods=("POST",))
    def end(self):
        staff = current_staff()
        registration = self.get_one(request.args.get("id"))
        if registration is None:
            abort(404)
        if not scope.may_manage(staff, registration.station.place):
            abort(403)
        if PostForm().validate_on_submit():
            username = registration.staff.username
            place, department = registration.station.place.code, registration.station.department.code
            if run_service(lambda s: unregister_agent(s, username, [place], department, today()),
                           f"{username} 在该站所的登记备案已注销；其未办结的办件见“待重新指派”"):
                return redirect(url_for("admin_reassign.index"))
        return redirect(url_for(".index_view"))


def add_views(admin) -> None:
    admin.add_view(RegistrationView(AgentRegistration, name="登记备案", category=REGISTRY,
                                    endpoint="admin_registration", url="registration"))
    admin.add_view(StaffAccountView(Staff, name="工作人员", category=SYSTEM,
                                    endpoint="admin_staff", url="staff"))
