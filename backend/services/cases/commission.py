"""The 代办 commission (委托) as the provincial standards run it (DB14/T 2233-2020,
DB3205/T 1077-2023): 委托书 → 中止 / 终止 / 续办 → 办结单.

- The 委托书 is made when the agreement is signed (online or on paper): its scope (the item and
  the tasks agreed) and a validity (`COMMISSION_VALIDITY_DAYS` calendar days from signing).
- 中止: staff suspend it (the applicant is away, …) and resume it — a suspension of cause
  `applicant` (cases/clock.py), so the legal clock stops with it.
- 终止: the applicant (`POST /cases/{number}/terminate`) or the hall (with a reason) ends it
  before completion: status `terminated`; the originals the hall holds are then owed back.
- 续办: a lapsed commission (its validity passed while the case is still open) is renewed with
  a new validity.
- The originals are owed back after completion, termination, withdrawal or rejection, and a
  return is possible from each of those states (`proxy.return_materials`)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from ...errors import InvalidInput, InvalidState
from ...models import ENDED, FINISHED, Case, Citizen, Staff
from ..calendar import load_calendar
from .clock import open_suspension, suspended_working_days
from .documents import issue
from .lifecycle import apply, notify_progress

COMMISSION_VALIDITY_DAYS = 90
RENEWAL_MAX_DAYS = 366
TASKS = "代为递交申请材料、跟踪审批进度、领取办理结果，并交还全部原件"
COMMISSION_STATUSES = {"active": "有效", "suspended": "中止", "lapsed": "已过有效期，待续办",
                       "terminated": "已终止", "completed": "已办结", "ended": "已结束"}


def commission_scope(case: Case) -> str:
    return f"{case.item.name}（{case.item.code}）：{TASKS}"


def open_commission(case: Case, now: datetime) -> None:
    """The 委托书 of a 代办 case whose agreement was just signed."""
    if case.help_type != "proxy":
        return
    case.commission_scope = case.commission_scope or commission_scope(case)
    case.commission_valid_until = now.date() + timedelta(days=COMMISSION_VALIDITY_DAYS)


def commission_status(case: Case, today: date) -> str | None:
    """active, suspended (中止), lapsed (validity passed, to renew), terminated, completed or
    ended (withdrawn or rejected); None for 帮办, or before a commission was signed."""
    if case.help_type != "proxy":
        return None
    if case.status == "terminated":
        return "terminated"
    if case.agreement_signed_at is None:
        return None
    if case.status in FINISHED:
        return "completed"
    if case.status in ENDED:
        return "ended"
    suspension = open_suspension(case)
    if suspension is not None and suspension.cause == "applicant":
        return "suspended"
    if case.commission_valid_until is not None and case.commission_valid_until < today:
        return "lapsed"
    return "active"


def terminate(session: Session, case: Case, actor: Citizen | Staff, reason: str | None,
              now: datetime) -> Case:
    """终止: the applicant or the hall ends the commission before completion. A suspension under
    way ends with it; the originals the hall holds are owed back from now."""
    reason = (reason or "").strip() or None
    by_citizen = isinstance(actor, Citizen)
    if not by_citizen and not reason:
        raise InvalidInput("请填写终止委托的理由", {"reason": ["必填"]})
    who = "申请人" if by_citizen else "大厅"
    apply(session, case, "terminate", actor, now,
          f"{who}终止委托" + (f"：{reason}" if reason else ""))
    case.finished_at = now
    case.terminated_by = "citizen" if by_citizen else "hall"
    case.termination_reason = reason
    suspension = open_suspension(case)
    if suspension is not None:
        suspension.ended_on, suspension.ended_at = now.date(), now
        suspension.ended_by = None if by_citizen else actor
        suspension.working_days = suspended_working_days(load_calendar(session),
                                                          suspension.started_on, now.date())
        case.suspended_since = None
    held = [cm for cm in case.materials if cm.received_at and cm.received_original
            and cm.returned_at is None]
    issue(session, case, "termination", now, staff=None if by_citizen else actor)
    notify_progress(session, case, now, f"代办委托已由{who}终止" + (
        "，请到大厅领回原件" if held else ""))
    return case


def renew(session: Session, case: Case, staff: Staff, valid_until: date | None,
          note: str | None, now: datetime) -> Case:
    """续办: a lapsed commission is renewed with a new validity."""
    today = now.date()
    if case.commission_valid_until is None or case.commission_valid_until >= today:
        raise InvalidState("委托仍在有效期内，无需续办",
                           {"valid_until": case.commission_valid_until.isoformat()
                            if case.commission_valid_until else None})
    if valid_until is None or not today < valid_until <= today + timedelta(days=RENEWAL_MAX_DAYS):
        raise InvalidInput("新的有效期应在今天之后一年之内",
                           {"valid_until": [valid_until.isoformat() if valid_until else "必填"]})
    text = f"续办：委托有效期延至{valid_until:%Y-%m-%d}" + (f"。{note.strip()}" if note and note.strip() else "")
    event = apply(session, case, "renew", staff, now, text)
    case.commission_valid_until = valid_until
    issue(session, case, "commission", now, ref=event, staff=staff)
    notify_progress(session, case, now, text)
    return case
