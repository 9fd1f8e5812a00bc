"""Finding the case or escalation a caller names, within what they may see (`scope.cases`): one
out of sight is answered 404, so that numbers of other places are not confirmed; an action one's
role may not take is 403."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import Forbidden, NotFound
from ...models import Case, Citizen, Escalation, Staff
from .. import scope
from .window import is_applicant


def staff_case(session: Session, staff: Staff, number: str, *, acting: bool = True) -> Case:
    """The case by number if this staff member may see it; when acting, read-only roles are
    refused with 403."""
    case = session.scalar(select(Case).where(Case.number == number, scope.cases(staff)))
    if case is None:
        raise NotFound("未找到该办件", {"case": number})
    if acting and staff.role in scope.READ_ONLY_ROLES:
        raise Forbidden("督查人员只能查看，不能办理")
    if acting and staff.role in scope.AGENTS and case.agent_id != staff.id:
        raise Forbidden("该办件已转办，您是申请人的联系人，办理由接收场所指派的帮办代办员负责")
    return case


def citizen_case(session: Session, citizen: Citizen, number: str) -> Case:
    case = session.scalar(select(Case).where(Case.number == number))
    if case is None or not is_applicant(case, citizen):
        raise NotFound("未找到该办件", {"case": number})
    return case


def staff_escalation(session: Session, staff: Staff, escalation_id: int) -> Escalation:
    escalation = session.scalar(select(Escalation).where(Escalation.id == escalation_id,
                                                         scope.escalations(staff)))
    if escalation is None:
        raise NotFound("未找到该问题", {"escalation": escalation_id})
    if staff.role not in scope.PLACE_RUNNERS:
        raise Forbidden("只有场所管理员可以协调解决难点堵点")
    return escalation
