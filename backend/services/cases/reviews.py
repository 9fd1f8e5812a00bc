"""好差评 reviews and their follow-up, and escalations (难点堵点)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ...errors import InvalidInput, InvalidState
from ...models import Case, Citizen, Escalation, Review, Staff
from ..calendar import load_calendar
from .. import notifications
from .lifecycle import apply, permit

# A bad review is followed up (回访整改) within this many working days.
FOLLOWUP_WORKING_DAYS = 15


def review(session: Session, case: Case, citizen: Citizen, score: int, comment: str | None,
           now: datetime) -> Review:
    if case.review is not None:
        raise InvalidState("该办件已评价过", {"case": case.number})
    apply(session, case, "review", citizen, now, f"{score}分" + (f"：{comment}" if comment else ""))
    followup_due = (load_calendar(session).add_working_days(now.date(), FOLLOWUP_WORKING_DAYS)
                    if Review.is_bad(score) else None)
    result = Review(case=case, score=score, comment=comment, created_at=now,
                    followup_due=followup_due)
    session.add(result)
    session.flush()
    return result


def close_followup(session: Session, case: Case, manager: Staff, callback: str, fix: str,
                   now: datetime) -> Review:
    permit("close_followup", manager)
    result = case.review
    if result is None or not result.needs_followup:
        raise InvalidState("该办件没有需要整改的差评")
    if result.followup_closed_at is not None:
        raise InvalidState("该差评已整改完毕")
    apply(session, case, "close_followup", manager, now, f"回访：{callback}；整改：{fix}")
    result.followup_callback, result.followup_fix = callback, fix
    result.followup_closed_at, result.followup_by = now, manager
    notifications.queue_case_message(session, case, "review_followup", now,
                                     result=f"整改：{fix}", note=callback)
    return result


def escalate(session: Session, case: Case, staff: Staff, note: str, now: datetime) -> Escalation:
    if not note or not note.strip():
        raise InvalidInput("请说明遇到的难点堵点", {"note": ["必填"]})
    apply(session, case, "escalate", staff, now, note)
    escalation = Escalation(case=case, raised_by=staff, raised_at=now, note=note)
    session.add(escalation)
    session.flush()
    managers = (notifications.place_managers(session, case.place_id)
                + notifications.district_admins(session))
    notifications.queue_staff_message(session, case, "case_escalated", managers, now,
                                      subject=f"escalation:{escalation.id}", note=note,
                                      raised_by=staff.name)
    return escalation


def resolve_escalation(session: Session, escalation: Escalation, manager: Staff, note: str,
                       now: datetime) -> Escalation:
    if not note or not note.strip():
        raise InvalidInput("请填写协调解决的情况", {"note": ["必填"]})
    if escalation.resolved_at is not None:
        raise InvalidState("该问题已解决")
    apply(session, escalation.case, "resolve_escalation", manager, now, note)
    escalation.resolved_at, escalation.resolved_by, escalation.resolution = now, manager, note
    return escalation
