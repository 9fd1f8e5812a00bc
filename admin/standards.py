"""定期检查 against the working standards: the standards of a period, the inspection (each unit
pass or fail, and why), inspection visits and 通报 with their PDF and XLSX. Pages shape input and
call backend.services.standards, which decides who may do what and what is valid."""
from __future__ import annotations

import io

from flask import abort, current_app, make_response, redirect, request, send_file, url_for
from flask_admin import expose
from sqlalchemy import select

from backend.clock import get_clock, today
from backend.errors import InvalidInput
from backend.extensions import db
from backend.models import (
    BULLETIN_KINDS, Bulletin, Department, InspectionVisit, Place, Staff, WorkingStandard,
)
from backend.services import scope
from backend.services.reports import UNIT_KINDS
from backend.services.standards import (
    Thresholds, bulletin_file_name, bulletin_pdf, bulletin_xlsx, inspect, publish_bulletin,
    record_visit, set_standard,
)

from .auth import current_staff
from .base import ScopedModelView, ScopedPage, flash_refusal, run_service
from .forms import PostForm, parse_date, parse_dates
from .oversight import XLSX_TYPE, content_disposition

OVERSIGHT = "检查与监督"


def _number(form, name: str, label: str, kind=float):
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = kind(raw)
    except ValueError:
        raise InvalidInput("工作标准有误", {name: [f"{label}应为数字"]})
    return value


def _period(args) -> tuple:
    period = parse_dates({"start": args.get("start"), "end": args.get("end")},
                         {"start": today().replace(day=1), "end": today()}, "报告期有误")
    return period["start"], period["end"]


class StandardView(ScopedModelView):
    """工作标准: a period's thresholds; the district office sets them."""
    roles = scope.OVERSEERS
    can_create = can_edit = can_delete = False
    list_template = "banban_admin/standard_list.html"
    column_list = ["period_start", "period_end", "min_on_time_rate", "min_satisfaction",
                   "max_notice_violations", "max_registry_gaps", "max_deemed_acceptances",
                   "min_consultations_answered_in_day", "created_by"]
    column_default_sort = [("period_start", True), ("id", True)]

    def sets(self) -> bool:
        staff = current_staff()
        return staff is not None and staff.role in scope.DISTRICT_ADMINS

    @expose("/set/", methods=("GET", "POST"))
    def set(self):
        staff = current_staff()
        if not self.sets():
            abort(403)
        form = PostForm()
        if form.validate_on_submit():
            values = request.form

            def work(session):
                thresholds = Thresholds(
                    min_on_time_rate=_percent(values, "min_on_time_rate", "按时办结率"),
                    min_satisfaction=_number(values, "min_satisfaction", "满意度平均分"),
                    max_notice_violations=_number(values, "max_notice_violations",
                                                  "一次性告知违规次数", int),
                    max_registry_gaps=_number(values, "max_registry_gaps", "登记备案缺口", int),
                    max_deemed_acceptances=_number(values, "max_deemed_acceptances",
                                                   "逾期视为受理", int),
                    min_consultations_answered_in_day=_percent(
                        values, "min_consultations_answered_in_day", "咨询当日答复率"))
                return set_standard(session, staff, parse_date(values.get("start"), name="start"),
                                    parse_date(values.get("end"), name="end"), thresholds,
                                    get_clock().now())
            if run_service(work, "工作标准已设定"):
                return redirect(url_for(".index_view"))
        return self.render("banban_admin/standard_form.html", form=form, values=request.form)


def _percent(form, name: str, label: str) -> float | None:
    """A rate typed as a percentage (90 for 90 %)."""
    value = _number(form, name, label)
    return None if value is None else value / 100


class InspectionView(ScopedPage):
    """对标检查: the period's report, each unit marked pass or fail against the standards."""
    roles = scope.OVERSEERS

    @expose("/")
    def index(self):
        staff = current_staff()
        try:
            start, end = _period(request.args)
        except InvalidInput as exc:
            flash_refusal(exc)
            start, end = today().replace(day=1), today()
        inspection = inspect(db.session, staff, start, end, today=today(),
                             min_cases=current_app.config["REPORT_MIN_CASES"],
                             timezone=current_app.config["TIMEZONE"])
        return self.render("banban_admin/inspection.html", inspection=inspection,
                           kinds=UNIT_KINDS, start=start, end=end,
                           publishes=staff.role in scope.DISTRICT_ADMINS)


class VisitView(ScopedModelView):
    """检查记录: inspection visits (date, unit, inspectors, findings, follow-up due)."""
    roles = scope.OVERSEERS
    can_create = can_edit = can_delete = False
    can_view_details = True
    list_template = "banban_admin/inspection_visit_list.html"
    column_list = ["visited_on", "place", "department", "findings", "followup_due", "recorded_by"]
    column_details_list = column_list + ["inspectors"]
    column_default_sort = [("visited_on", True), ("id", True)]

    def records(self) -> bool:
        staff = current_staff()
        return staff is not None and staff.role in scope.DISTRICT_WIDE_ROLES

    @expose("/record/", methods=("GET", "POST"))
    def record(self):
        staff = current_staff()
        if not self.records():
            abort(403)
        form = PostForm()
        if form.validate_on_submit():
            values = request.form

            def work(session):
                return record_visit(
                    session, staff, visited_on=parse_date(values.get("visited_on"),
                                                          name="visited_on"),
                    place_code=values.get("place") or "",
                    department_code=values.get("department") or None,
                    inspectors=values.getlist("inspectors"), findings=values.get("findings") or "",
                    followup_due=parse_date(values.get("followup_due"), name="followup_due"),
                    now=get_clock().now(), today=today())
            if run_service(work, "检查记录已保存"):
                return redirect(url_for(".index_view"))
        places = db.session.scalars(select(Place).order_by(Place.code)).all()
        departments = db.session.scalars(select(Department).order_by(Department.code)).all()
        inspectors = db.session.scalars(select(Staff).where(
            Staff.active.is_(True), Staff.role.in_(scope.DISTRICT_WIDE_ROLES))
            .order_by(Staff.username)).all()
        return self.render("banban_admin/inspection_visit_form.html", form=form,
                           values=request.form, places=places, departments=departments,
                           inspectors=inspectors, today=today().isoformat())


class BulletinView(ScopedModelView):
    """通报: published to every staff member; the district office publishes them from the
    inspection; each one as PDF and XLSX."""
    roles = scope.STAFF_ROLES
    can_create = can_edit = can_delete = False
    can_view_details = True
    list_template = "banban_admin/bulletin_list.html"
    details_template = "banban_admin/bulletin_details.html"
    column_list = ["number", "kind", "title", "period_start", "period_end", "published_at"]
    column_formatters = {"kind": lambda v, c, r, n: r.kind_label}
    column_default_sort = [("published_at", True), ("id", True)]

    @expose("/publish/", methods=("POST",))
    def publish(self):
        staff = current_staff()
        if staff.role not in scope.DISTRICT_ADMINS:
            abort(403)
        if PostForm().validate_on_submit():
            values = request.form
            units = [tuple(v.split(":", 1)) for v in values.getlist("units") if ":" in v]

            def work(session):
                start, end = _period(values)
                return publish_bulletin(
                    session, staff, kind=values.get("kind") or "", start=start, end=end,
                    units=units, title=values.get("title") or "", body=values.get("body"),
                    now=get_clock().now(), today=today(),
                    min_cases=current_app.config["REPORT_MIN_CASES"],
                    timezone=current_app.config["TIMEZONE"])
            bulletin = run_service(work, "通报已发布")
            if bulletin:
                return redirect(url_for(".details_view", id=bulletin.id))
        return redirect(url_for("admin_inspection.index", start=request.form.get("start"),
                                end=request.form.get("end")))

    def _bulletin(self) -> Bulletin:
        bulletin = self.get_one(request.args.get("id"))
        if bulletin is None:
            abort(404)
        return bulletin

    @expose("/pdf")
    def pdf(self):
        bulletin = self._bulletin()
        data = bulletin_pdf(bulletin, get_clock().now().tzinfo, current_app.config["PDF_FONT_PATH"])
        return send_file(io.BytesIO(data), mimetype="application/pdf", max_age=0,
                         download_name=bulletin_file_name(bulletin, "pdf"))

    @expose("/xlsx")
    def xlsx(self):
        bulletin = self._bulletin()
        response = make_response(bulletin_xlsx(bulletin))
        response.headers["Content-Type"] = XLSX_TYPE
        response.headers["Content-Disposition"] = content_disposition(
            bulletin_file_name(bulletin, "xlsx"))
        return response


def add_views(admin) -> None:
    admin.add_view(StandardView(WorkingStandard, name="工作标准", category=OVERSIGHT,
                                endpoint="admin_standard", url="standard"))
    admin.add_view(InspectionView(name="对标检查", category=OVERSIGHT,
                                  endpoint="admin_inspection", url="inspection"))
    admin.add_view(VisitView(InspectionVisit, name="检查记录", category=OVERSIGHT,
                             endpoint="admin_inspection_visit", url="inspection-visit"))
    admin.add_view(BulletinView(Bulletin, name="通报", category=OVERSIGHT,
                                endpoint="admin_bulletin", url="bulletin"))


__all__ = ["add_views", "BULLETIN_KINDS"]
