"""Oversight pages: the dashboard (the admin's home), the inspection report with its XLSX file,
the registry's compliance gaps, the lists of reviews, escalations, the outbox, each staff
member's inbox and the audit log, and announcements. Each page calls one service in
backend/services and shapes its answer; charts come from admin.charts."""
from __future__ import annotations

from flask import current_app

from backend.clock import today
from backend.extensions import db
from backend.models import CASE_STATUSES, Staff
from backend.services.dashboard import Dashboard, dashboard

from .charts import bar_chart

CASE_STATUS_CHART_LABELS = {**CASE_STATUSES, "submitted": "待审查", "materials_incomplete": "待补正"}


def dashboard_page(staff: Staff) -> dict:
    """The home page's context: the figures for this staff member, and their charts."""
    figures = dashboard(db.session, staff, today(),
                        calendar_horizon_days=current_app.config["CALENDAR_HORIZON_DAYS"])
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


def add_views(admin) -> None:
    """Register the oversight pages (more are added below as they come)."""
