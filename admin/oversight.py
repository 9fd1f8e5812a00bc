"""Oversight pages: the dashboard (the admin's home), the inspection report with its XLSX file,
the registry's compliance gaps, the lists of reviews, escalations, the outbox, each staff
member's inbox and the audit log, and announcements. Each page calls one service in
backend/services and shapes its answer; charts come from admin.charts."""
from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import current_app, make_response, request
from flask_admin import expose

from backend.clock import get_clock, today
from backend.errors import InvalidInput
from backend.extensions import db
from backend.models import CASE_STATUSES, Staff
from backend.models.case import REVIEW_LEVELS
from backend.services import scope
from backend.services.compliance import compliance_gaps
from backend.services.dashboard import Dashboard, dashboard
from backend.services.projects import ProjectReport, project_figures
from backend.services.report_export import report_xlsx
from backend.services.queue.report import QUEUE_COLUMNS, QUEUE_UNITS
from backend.services.reports import (
    DECIMAL_COLUMNS, INSUFFICIENT_SAMPLE, PERCENT_COLUMNS, REPORT_COLUMNS, REPORT_GROUPS,
    UNIT_KINDS, InspectionReport, ReportSection, inspection_report,
)

from .auth import current_staff
from .base import ScopedPage, flash_refusal
from .charts import bar_chart
from .forms import parse_dates

OVERSIGHT = "检查与监督"

CASE_STATUS_CHART_LABELS = {**CASE_STATUSES, "submitted": "待审查", "materials_incomplete": "待补正"}


def dashboard_page(staff: Staff) -> dict:
    """The home page's context: the figures for this staff member, and their charts."""
    figures = dashboard(db.session, staff, today(),
                        calendar_horizon_days=current_app.config["CALENDAR_HORIZON_DAYS"],
                        originals_return_days=current_app.config["ORIGINALS_RETURN_DAYS"],
                        now=get_clock().now())
    return {"board": figures, "charts": dashboard_charts(figures)}


def dashboard_charts(board: Dashboard) -> dict[str, str | None]:
    sessions = board.sessions
    labels = [f"{s.place_name} {s.kind_label}" for s in sessions]
    loads = board.agent_loads[:20]
    return {
        "sessions": bar_chart(
            "今日预约（按场所和时段类型）", labels,
            {"可约": [s.capacity for s in sessions], "已约": [s.booked for s in sessions],
             "已签到": [s.checked_in for s in sessions], "未到": [s.no_show for s in sessions]},
            horizontal=True, height=max(260, 80 + 70 * len(sessions))),
        "cases": bar_chart(
            "办件状态分布", [CASE_STATUS_CHART_LABELS[s] for s in board.cases_by_status],
            {"办件数": list(board.cases_by_status.values())}),
        "loads": bar_chart(
            "帮办代办员在办件量", [a.name for a in loads],
            {"正常": [a.open_cases - a.amber - a.red for a in loads],
             "即将超期": [a.amber for a in loads], "已超期": [a.red for a in loads]},
            horizontal=True, stacked=True, height=max(240, 80 + 36 * len(loads))),
    }




# --- the inspection report (定期检查) -------------------------------------------------------------

def _period(args) -> tuple[date, date]:
    """The period asked for: this month so far by default."""
    period = parse_dates({"start": args.get("start"), "end": args.get("end")},
                         {"start": today().replace(day=1), "end": today()}, "报告期有误")
    return period["start"], period["end"]


def _report(staff: Staff, start: date, end: date) -> InspectionReport:
    return inspection_report(db.session, staff, start, end, today=today(),
                             min_cases=current_app.config["REPORT_MIN_CASES"],
                             timezone=current_app.config["TIMEZONE"])


def _projects(staff: Staff) -> ProjectReport:
    return project_figures(db.session, staff, today(), current_app.config["TIMEZONE"])


def report_cell(header: str, value) -> str:
    if value is None:
        return "—"
    if header in PERCENT_COLUMNS:
        return f"{value:.1%}"
    if header in DECIMAL_COLUMNS:
        return f"{value:.2f}"
    return str(value)


def report_charts(report: InspectionReport, section: ReportSection) -> dict[str, str | None]:
    units = section.ranked + section.insufficient
    names = [u.name for u in units]
    return {
        "on_time": bar_chart(f"{section.label}按时办结率", names,
                             {"按时办结率": [u.on_time_rate for u in units]},
                             horizontal=True, percent=True, height=max(240, 80 + 32 * len(units))),
        "cases": bar_chart(f"{section.label}办件量", names,
                           {"帮办": [u.assist_cases for u in units],
                            "代办": [u.proxy_cases for u in units]},
                           horizontal=True, stacked=True, height=max(240, 80 + 32 * len(units))),
        "satisfaction": bar_chart(
            "好差评分布（" + report.scope_label + "）",
            [f"{score}分（{label}）" for score, label in REVIEW_LEVELS.items()],
            {"评价数": [report.total.reviews_by_score[s] for s in REVIEW_LEVELS]}),
    }


class ReportView(ScopedPage):
    """定期检查报告: the figures and rankings for a period, with definitions, and the XLSX."""
    roles = scope.OVERSEERS

    @expose("/")
    def index(self):
        staff = current_staff()
        kind = request.args.get("kind") or "place"
        if kind not in UNIT_KINDS:
            kind = "place"
        try:
            start, end = _period(request.args)
            report = _report(staff, start, end)
        except InvalidInput as exc:
            flash_refusal(exc)
            start, end = today().replace(day=1), today()
            report = _report(staff, start, end)
        section = next(s for s in report.sections if s.kind == kind)
        return self.render("banban_admin/report.html", report=report, section=section, kind=kind,
                           kinds=UNIT_KINDS, columns=[h for h, _ in REPORT_COLUMNS],
                           groups=[(group, len(figures)) for group, figures in REPORT_GROUPS],
                           row=lambda u: [report_cell(h, v(u)) for h, v in REPORT_COLUMNS],
                           insufficient=INSUFFICIENT_SAMPLE,
                           charts=report_charts(report, section),
                           queue_units=QUEUE_UNITS, queue_columns=[h for h, _ in QUEUE_COLUMNS],
                           queue_row=lambda q: [v(q) for _, v in QUEUE_COLUMNS],
                           projects=_projects(staff))

    @expose("/xlsx")
    def xlsx(self):
        start, end = _period(request.args)
        content, name = report_xlsx(_report(current_staff(), start, end),
                                    _projects(current_staff()))
        response = make_response(content)
        response.headers["Content-Type"] = XLSX_TYPE
        response.headers["Content-Disposition"] = content_disposition(name)
        return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def content_disposition(name: str) -> str:
    """An attachment named in Chinese: an ASCII fallback and the RFC 5987 UTF-8 name."""
    return f"attachment; filename=\"report.xlsx\"; filename*=UTF-8''{quote(name)}"


class ComplianceView(ScopedPage):
    """登记备案缺口: stations without a registered agent, self-service areas without a helper on
    duty, agents never on their place's rota (backend.services.compliance)."""
    roles = scope.OVERSEERS

    @expose("/")
    def index(self):
        gaps = compliance_gaps(db.session, current_staff(), today(),
                               current_app.config["BOOKING_WINDOW_DAYS"])
        return self.render("banban_admin/compliance.html", gaps=gaps)


def add_views(admin) -> None:
    admin.add_view(ReportView(name="定期检查报告", category=OVERSIGHT, endpoint="admin_report",
                              url="report"))
    admin.add_view(ComplianceView(name="登记备案缺口", category=OVERSIGHT,
                                  endpoint="admin_compliance", url="compliance"))
