"""Staff accounts (district admins) and the agent registry (登记备案), through the same
services as the account commands: each is called with the signed-in staff member, and what it
refuses is flashed."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import select

from backend.clock import get_clock, today
from backend.errors import InvalidInput
from backend.extensions import db
from backend.models import ROLES, AgentRegistration, Department, Place, Staff
from backend.services import scope
from backend.services.training import Training
from backend.services.staff import (
    activate_staff, change_role, create_staff, deactivate_staff, register_agent, set_password,
    sign_in_locked_until, unlock_sign_in, unregister_agent,
)

from .auth import current_staff
from .base import (
    ReadOnlyView, ScopedModelView, minute, places_run_by_current_staff, run_service,
)
from .forms import FORM_EXPIRED, PostForm, parse_date

REGISTRY = "登记备案"
SYSTEM_MENU = "系统管理"
TO_REASSIGN = "其未办结的办件见“待重新指派”"




def _created_at(view, context, staff: Staff, name: str) -> str:
    return minute(staff.created_at)


def _sign_in_locked_until(view, context, staff: Staff, name: str) -> str:
    """The lock on the staff member's username after wrong passwords, while it lasts."""
    return minute(sign_in_locked_until(db.session, staff.username, get_clock().now()))


class StaffAccountView(ReadOnlyView):
    """工作人员: accounts created, stopped, restarted, given a new password, unlocked, given
    another role, each through a page below that calls the service (none through Flask-Admin's
    own forms)."""
    roles = scope.DISTRICT_ADMINS
    details_template = "banban_admin/staff_details.html"
    list_template = "banban_admin/staff_list.html"
    # Listed column by column: the password hash is never among them.
    column_list = ["username", "name", "role", "department", "places", "active", "created_at"]
    column_details_list = ["username", "name", "role", "department", "places", "phone", "active",
                           "created_at", "sign_in_locked_until"]
    column_labels = {"sign_in_locked_until": "登录锁定至"}
    column_choices = {"role": list(ROLES.items())}
    column_formatters = {"created_at": _created_at, "sign_in_locked_until": _sign_in_locked_until}
    column_searchable_list = ["username", "name"]
    column_filters = ["role", "active"]
    column_sortable_list = ["username", "name", "role", "created_at"]
    column_default_sort = "username"

    @staticmethod
    def role_labels() -> dict[str, str]:
        return ROLES

    @staticmethod
    def departments() -> list[Department]:
        return db.session.scalars(select(Department).order_by(Department.code)).all()

    @expose("/create/", methods=("GET", "POST"))
    def create(self):
        form = PostForm()
        if form.validate_on_submit():
            values = request.form

            def work(session):
                return create_staff(
                    session, current_staff(), username=(values.get("username") or "").strip(),
                    password=values.get("password") or "", role=values.get("role") or "",
                    name=(values.get("name") or "").strip() or None,
                    place_codes=values.getlist("places"),
                    department_code=values.get("department") or None, now=get_clock().now(),
                    training=_training(values))
            created = run_service(work)
            if created:
                flash(f"已创建账号 {created.username}", "success")
                return redirect(url_for(".details_view", id=created.id))
        return self.render("banban_admin/staff_create.html", form=form, roles=ROLES,
                           places=db.session.scalars(select(Place).order_by(Place.code)).all(),
                           departments=self.departments(),
                           values=request.form)

    @expose("/account/<step>/", methods=("POST",))
    def account(self, step: str):
        name = step
        staff = self.get_one(request.args.get("id"))
        if staff is None or name not in ("deactivate", "activate", "password", "unlock", "role"):
            abort(404)
        if PostForm().validate_on_submit():
            staff_id, values = staff.id, request.form

            def work(session):
                actor, target = current_staff(), session.get(Staff, staff_id)
                if name == "deactivate":
                    return deactivate_staff(session, actor, target)
                if name == "activate":
                    return activate_staff(session, actor, target)
                if name == "unlock":
                    return unlock_sign_in(session, actor, target.username)
                if name == "role":
                    return change_role(session, actor, target, values.get("role") or "",
                                       department_code=values.get("department") or None,
                                       on=today())
                return set_password(session, actor, target, values.get("password") or "")
            done = {"deactivate": "账号已停用，其全部登录已失效", "activate": "账号已启用",
                    "password": "密码已重置，其全部登录已失效", "unlock": "登录锁定已解除"}.get(name)
            result = run_service(work, done)
            if name == "role" and result:
                self._flash_role_change(result)
        else:
            flash(FORM_EXPIRED, "error")
        return redirect(url_for(".details_view", id=staff.id))

    @staticmethod
    def _flash_role_change(change) -> None:
        if not change.changed:
            flash(f"角色未变，仍为{ROLES[change.previous]}", "info")
            return
        message = (f"角色已由{ROLES[change.previous]}改为{change.staff.role_label}，"
                   "其全部登录已失效")
        if change.ended:
            message += f"；其 {len(change.ended)} 项登记备案已注销，{TO_REASSIGN}"
        if change.registered:
            message += f"；已在 {len(change.registered)} 个站所登记备案"
        flash(message, "success")


def _state(view, context, registration: AgentRegistration, name: str) -> str:
    return "有效" if registration.current else f"已于 {registration.ended_on} 注销"


def _training(values) -> Training | None:
    """The training record typed into the new account's form, if any field of it is."""
    fields = ("training_course", "trained_on", "training_hours", "training_provider",
              "certificate")
    if not any((values.get(name) or "").strip() for name in fields):
        return None
    trained_on = parse_date(values.get("trained_on"), name="trained_on")
    if trained_on is None:
        raise InvalidInput("培训记录有误", {"trained_on": ["请填写培训日期"]})
    return Training(values.get("training_course") or "", trained_on,
                    values.get("training_hours") or "", values.get("training_provider") or "",
                    (values.get("certificate") or "").strip() or None)


class RegistrationView(ScopedModelView):
    """登记备案: agents registered at stations, current and ended (the history stays)."""
    roles = scope.OVERSEERS
    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = True
    list_template = "banban_admin/registration_list.html"
    column_list = ["staff", "place", "station", "registered_on", "state"]
    column_details_list = column_list
    column_labels = {"state": "状态"}
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
            username = request.form.get("agent") or ""
            department = request.form.get("department") or None
            change = run_service(lambda s: register_agent(s, current_staff(), username, codes,
                                                          department, today()))
            if change:
                flash(f"{username} 的登记备案已提交区政务服务管理办审批，批准后生效"
                      if change.proposed else f"{username} 已登记备案", "success")
                return redirect(url_for(".index_view"))
        agents = db.session.scalars(select(Staff).where(
            Staff.role.in_(scope.AGENTS), Staff.active.is_(True),
            scope.registrable_staff(current_staff())).order_by(Staff.name)).all()
        departments = db.session.scalars(select(Department).order_by(Department.code)).all()
        return self.render("banban_admin/registration_add.html", form=form, places=places,
                           agents=agents, departments=departments)

    @expose("/end/", methods=("POST",))
    def end(self):
        registration = self.get_one(request.args.get("id"))
        if registration is None:
            abort(404)
        if PostForm().validate_on_submit():
            username = registration.staff.username
            place = registration.place.code
            department = registration.station.department.code if registration.station else None
            if run_service(lambda s: unregister_agent(s, current_staff(), username, [place],
                                                      department, today()),
                           f"{username} 在该站所的登记备案已注销；{TO_REASSIGN}"):
                return redirect(url_for("admin_reassign.index"))
        return redirect(url_for(".index_view"))


def add_views(admin) -> None:
    admin.add_view(RegistrationView(AgentRegistration, name="登记备案", category=REGISTRY,
                                    endpoint="admin_registration", url="registration"))
    admin.add_view(StaffAccountView(Staff, name="工作人员", category=SYSTEM_MENU,
                                    endpoint="admin_staff", url="staff"))
