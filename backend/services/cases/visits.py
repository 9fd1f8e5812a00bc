"""上门代办: a 代办 applicant who finds it hard to come (policy 二(二)1) asks for a home visit
with the application; the place manager schedules it (date, time, agent) or declines it with a
reason; the agent records the visit, the materials received at home being the handover and the
paper agreement signed there if not yet. The applicant hears of each step."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import InvalidInput, InvalidState
from ...infrastructure.personal_data import encrypt
from ...models import Case, HomeVisit, Staff
from .. import scope
from .intake import check_materials
from .lifecycle import apply, assign, notify_progress, permit
from .proxy import handover, sign_agreement

ADDRESS_MAX = 200
PREFERRED_DATES_MAX = 5


@dataclass
class VisitRequest:
    address: str
    reason: str | None = None
    preferred_dates: list[date] | None = None


def request_visit(case: Case, request: VisitRequest, now: datetime) -> HomeVisit:
    """The visit a new 代办 case asks for (create_case calls this)."""
    if case.help_type != "proxy":
        raise InvalidInput("上门代办只适用于代办", {"home_visit": ["帮办请到窗口办理"]})
    address = (request.address or "").strip()
    if not address or len(address) > ADDRESS_MAX:
        raise InvalidInput("请填写上门地址（最多200字）", {"home_visit": {"address": ["必填"]}})
    days = sorted(set(request.preferred_dates or []))
    if len(days) > PREFERRED_DATES_MAX or any(day < now.date() for day in days):
        raise InvalidInput("希望上门的日期最多5个，且不早于今天",
                           {"home_visit": {"preferred_dates": ["日期有误"]}})
    case.visit = HomeVisit(status="requested", address_encrypted=encrypt(address),
                           reason=(request.reason or "").strip() or None,
                           preferred_dates=",".join(d.isoformat() for d in days) or None,
                           requested_at=now)
    return case.visit


def _visit(case: Case, *statuses: str) -> HomeVisit:
    visit = case.visit
    if visit is None:
        raise InvalidState("该办件没有申请上门代办")
    if visit.status not in statuses:
        raise InvalidState(f"上门代办{visit.status_label}，不能这样做", {"visit": visit.status})
    return visit


def schedule_visit(session: Session, case: Case, manager: Staff, day: date, start: time,
                   username: str, now: datetime) -> Case:
    """The place manager sets the date, time and agent (who then works the case)."""
    permit("visit_schedule", manager)
    visit = _visit(case, "requested", "scheduled")
    if day < now.date():
        raise InvalidInput("上门日期不能早于今天", {"date": [day.isoformat()]})
    if case.agent is None or case.agent.username != username:
        assign(session, case, manager, username, now)  # refuses an agent not registered here
    apply(session, case, "visit_schedule", manager, now,
          f"{day:%Y-%m-%d} {start:%H:%M} 由{case.agent.name}上门")
    visit.status, visit.date, visit.start = "scheduled", day, start
    visit.agent, visit.scheduled_by_id = case.agent, manager.id
    notify_progress(session, case, now, f"已安排上门代办：{day:%Y-%m-%d} {start:%H:%M}，"
                                        f"帮办代办员{case.agent.name}")
    return case


def decline_visit(session: Session, case: Case, manager: Staff, reason: str,
                  now: datetime) -> Case:
    permit("visit_decline", manager)
    visit = _visit(case, "requested", "scheduled")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写不安排上门的理由", {"reason": ["必填"]})
    apply(session, case, "visit_decline", manager, now, reason)
    visit.status, visit.note = "declined", reason
    notify_progress(session, case, now, f"不安排上门代办：{reason}")
    return case


def record_visit(session: Session, case: Case, staff: Staff, lines: list[dict],
                 paper_agreement: bool, now: datetime, note: str | None = None) -> Case:
    """The agent has been: the materials received at home are checked (every required one:
    accepted, if not yet) and are the handover; the paper agreement may be signed there."""
    permit("visit_record", staff)
    visit = _visit(case, "scheduled")
    received = {line["material"] for line in lines}
    missing = [cm.material.name for cm in case.materials
               if cm.material.required and cm.material.code not in received]
    if case.status == "submitted" and missing:
        raise InvalidInput("必需材料不全，不能受理交接；请先一次性告知",
                           {"materials": [f"缺少：{name}" for name in missing]})
    apply(session, case, "visit_record", staff, now, note or "已上门收取材料")
    visit.status, visit.done_at, visit.note = "done", now, note
    if case.status == "submitted":
        check_materials(session, case, [], staff, now)
    if paper_agreement and case.agreement_signed_at is None:
        sign_agreement(session, case, staff, now)
    handover(session, case, staff, lines, True, now, "上门收取")
    return case


def visits_of_day(session: Session, staff: Staff, day: date) -> list[HomeVisit]:
    """The visits scheduled for a day that this staff member may see (an agent: their own), by
    time: an agent's round."""
    return list(session.scalars(
        select(HomeVisit).join(Case, Case.id == HomeVisit.case_id)
        .where(HomeVisit.date == day, HomeVisit.status.in_(("scheduled", "done")),
               scope.cases(staff))
        .order_by(HomeVisit.start, HomeVisit.id)))
