"""Who may see and act on which case (404 for a case out of sight, 403 for an action one's role
may not take)."""
from __future__ import annotations

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from ...errors import Forbidden, NotFound
from ...models import Case, Citizen, Escalation, Staff
from .lifecycle import MANAGERS


def can_see(staff: Staff, case: Case) -> bool:
    if staff.role in ("district_admin", "inspector"):
        return True
    if staff.role == "place_manager":
        return case.place_id in staff.place_ids
    return case.agent_id == staff.id


def visible_cases(staff: Staff):
    """The SQL condition for the cases a staff member may see."""
    if staff.role in ("district_admin", "inspector"):
        return true()
    if staff.role == "place_manager":
        return Case.place_id.in_(staff.place_ids or {-1})
    return Case.agent_id == staff.id


def staff_case(session: Session, staff: Staff, number: str, *, acting: bool = True) -> Case:
    """The case by number if this staff member may see it (404 otherwise, so that numbers of
    other places are not confirmed); when acting, inspectors are refused with 403."""
    case = session.scalar(select(Case).where(Case.number == number))
    if case is None or not can_see(staff, case):
        raise NotFound("未找到该办件", {"case": number})
    if acting and staff.role == "inspector":
        raise Forbidden("督查人员只能查看，不能办理")
    return case


def citizen_case(session: Session, citizen: Citizen, number: str) -> Case:
    case = session.scalar(select(Case).where(Case.number == number))
    if case is None or case.citizen_id != citizen.id:
        raise NotFound("未找到该办件", {"case": number})
    return case


def staff_escalation(session: Session, staff: Staff, escalation_id: int) -> Escalation:
    escalation = session.get(Escalation, escalation_id)
    if escalation is None or not can_see(staff, escalation.case):
        raise NotFound("未找到该问题", {"escalation": escalation_id})
    if staff.role not in MANAGERS:
        raise Forbidden("只有场所管理员可以协调解决难点堵点")
    return escalation
