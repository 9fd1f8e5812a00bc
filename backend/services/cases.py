"""The case lifecycle (DESIGN.md "The case lifecycle"). Every status change goes through
`apply`, which checks the one transition table and writes a CaseEvent in the same transaction."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Union

from sqlalchemy import and_, func, not_, or_, select, true
from sqlalchemy.orm import Session, selectinload
from stdnum.cn import uscc as uscc_number
from stdnum.exceptions import ValidationError as NumberInvalid

from ..agreement import AGREEMENT_VERSION
from ..errors import Forbidden, InvalidInput, InvalidState, NotFound
from ..extensions import upsert_insert
from ..models import (
    CLOSED, FINISHED, Booking, Case, CaseEvent, CaseMaterial, CaseSequence,
    Citizen, DepartmentTask, Escalation, Material, MissingMaterialNotice, NoticeLine, Place, Receipt,
    ReceiptLine, Review, ServiceItem, Staff,
)
from ..personal_data import clean_id_number, clean_phone, encrypt
from .calendar import load_calendar
from .staff import registered_at

SYSTEM = "system"
Actor = Union[Staff, Citizen, str]  # a staff member, the applicant, or SYSTEM
STAFF_WORKERS = frozenset({"agent", "place_manager", "district_admin"})
MANAGERS = frozenset({"place_manager", "district_admin"})
OPEN = ("submitted", "materials_incomplete", "accepted", "handed_over", "in_progress")
BOTH = frozenset({"assist", "proxy"})
PROXY = frozenset({"proxy"})
ASSIST = frozenset({"assist"})
FOLLOWUP_WORKING_DAYS = 15
AMBER_SHARE = 0.8


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str | None, ...]
    target: str | None  # None: the status stays; the event still goes into the history
    actors: frozenset[str]  # staff roles, "citizen" or "system"
    label: str
    help_types: frozenset[str] = BOTH


# The one table of everything that can happen to a case.
TRANSITIONS = {t.action: t for t in (
    Transition("submit", (None,), "submitted", frozenset({"citizen"}), "提交申请"),
    Transition("notify_missing", ("submitted",), "materials_incomplete", STAFF_WORKERS,
               "材料不全，一次性告知需补正的材料"),
    Transition("supplement", ("materials_incomplete",), "submitted", frozenset({"citizen"}),
               "申请人已补正材料"),
    Transition("accept", ("submitted",), "accepted", STAFF_WORKERS, "材料齐全，已受理"),
    Transition("reject", ("submitted", "materials_incomplete"), "rejected", STAFF_WORKERS,
               "不予受理"),
    Transition("handover", ("accepted",), "handed_over", STAFF_WORKERS, "材料交接完成", PROXY),
    Transition("start_work", ("handed_over",), "in_progress", frozenset({SYSTEM}),
               "委托协议已签订、材料已交接，代办员开始办理", PROXY),
    Transition("start", ("accepted",), "in_progress", STAFF_WORKERS, "帮办员开始陪同办理", ASSIST),
    Transition("progress", ("in_progress",), None, STAFF_WORKERS, "办理进展"),
    Transition("complete", ("in_progress",), "completed", STAFF_WORKERS, "已办结"),
    Transition("return", ("completed",), "returned", STAFF_WORKERS, "原件已退还", PROXY),
    Transition("withdraw", OPEN, "withdrawn", frozenset({"citizen"}), "申请人撤回申请"),
    Transition("assign", OPEN, None, MANAGERS, "指派帮办代办员"),
    Transition("agreement", ("submitted", "materials_incomplete", "accepted", "handed_over"), None,
               frozenset({"citizen"}) | STAFF_WORKERS, "签订委托代办协议", PROXY),
    Transition("escalate", OPEN, None, STAFF_WORKERS, "上报难点堵点"),
    Transition("resolve_escalation", OPEN + CLOSED, None, MANAGERS, "难点堵点已协调解决"),
    Transition("review", FINISHED, None, frozenset({"citizen"}), "申请人评价"),
    Transition("close_followup", FINISHED, None, MANAGERS, "差评回访整改完成"),
)}
ACTION_LABELS = {action: t.label for action, t in TRANSITIONS.items()}


def actor_kind(actor: Actor) -> str:
    if isinstance(actor, Staff):
        return actor.role
    return "citizen" if isinstance(actor, Citizen) else SYSTEM


def permit(action: str, actor: Actor) -> Transition:
    """Refuse an actor the table does not name for this action, before looking at anything else
    (so that a refusal says nothing about the case or the request)."""
    transition = TRANSITIONS[action]
    if actor_kind(actor) not in transition.actors:
        raise Forbidden("您无权进行此操作", {"action": action})
    return transition


def apply(session: Session, case: Case, action: str, actor: Actor, now: datetime,
          note: str | None = None) -> CaseEvent:
    """Move the case by `action` if the table allows it, and record the event."""
    transition = permit(action, actor)
    if case.status not in transition.sources or case.help_type not in transition.help_types:
        raise InvalidState(f"办件当前状态为“{case.status_label if case.status else '新建'}”，"
                           f"不能{transition.label}",
                           {"status": case.status, "action": action})
    event = CaseEvent(action=action, from_status=case.status,
                      to_status=transition.target or case.status, at=now, note=note,
                      staff=actor if isinstance(actor, Staff) else None,
                      by_citizen=isinstance(actor, Citizen))
    case.status = event.to_status
    case.events.append(event)
    return event


# Access ------------------------------------------------------------------------------------

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


# Deadlines ---------------------------------------------------------------------------------

def deadline_state(case: Case, today: date) -> str:
    if case.due_date is None or case.status in CLOSED:
        return "normal"
    if today > case.due_date:
        return "red"
    return "amber" if today >= case.amber_on else "normal"


def deadline_condition(state: str, today: date):
    running = and_(Case.due_date.is_not(None), Case.status.not_in(CLOSED))
    red = and_(running, Case.due_date < today)
    amber = and_(running, Case.amber_on <= today, Case.due_date >= today)
    return {"red": red, "amber": amber, "normal": not_(or_(red, amber))}[state]


# Creation ----------------------------------------------------------------------------------

def next_case_number(session: Session, prefix: str, today: date) -> str:
    """`PREFIX-YYYYMMDD-NNNN`; one atomic upsert, so concurrent creations never share a number."""
    statement = upsert_insert(session, CaseSequence).values(day=today, last=1)
    statement = statement.on_conflict_do_update(
        index_elements=[CaseSequence.day], set_={"last": CaseSequence.last + 1},
    ).returning(CaseSequence.last)
    sequence = session.execute(statement).scalar_one()
    return f"{prefix}-{today:%Y%m%d}-{sequence:04d}"


@dataclass
class Applicant:
    name: str
    phone: str | None = None
    id_number: str | None = None
    enterprise_name: str | None = None
    uscc: str | None = None


def _clean_uscc(value: str) -> str:
    try:
        return uscc_number.validate(value.strip().upper())
    except NumberInvalid:
        raise InvalidInput("统一社会信用代码有误", {"applicant": {"uscc": ["校验未通过"]}})


def _materials_by_code(item: ServiceItem, codes: Iterable[str], field_name: str
                       ) -> list[Material]:
    by_code = {m.code: m for m in item.materials}
    unknown = [c for c in codes if c not in by_code]
    if unknown:
        raise InvalidInput("材料不属于该事项", {field_name: [f"未知的材料编码 {c}" for c in unknown]})
    return [by_code[c] for c in codes]


def default_agent(session: Session, place: Place, department_id: int) -> Staff | None:
    """The registered agent of the lead department's station here with the fewest open cases."""
    open_cases = (select(Case.agent_id, func.count(Case.id).label("n"))
                  .where(Case.status.in_(OPEN)).group_by(Case.agent_id).subquery())
    return session.scalar(
        select(Staff).outerjoin(open_cases, open_cases.c.agent_id == Staff.id)
        .where(registered_at(Staff.id, place.id, department_id), Staff.active.is_(True),
               Staff.role == "agent")
        .order_by(func.coalesce(open_cases.c.n, 0), Staff.username).limit(1))


def create_case(session: Session, citizen: Citizen, *, item_code: str, place_code: str,
                help_type: str, applicant: Applicant, material_codes: list[str],
                booking_code: str | None, special_group: str | None, now: datetime,
                number_prefix: str) -> Case:
    item = session.scalar(select(ServiceItem).where(ServiceItem.code == item_code).options(
        selectinload(ServiceItem.materials), selectinload(ServiceItem.places)))
    if item is None:
        raise InvalidInput("未找到该事项", {"item": [f"未知的事项编码 {item_code}"]})
    place = session.scalar(select(Place).where(Place.code == place_code))
    if place is None:
        raise InvalidInput("未找到该服务场所", {"place": [f"未知的场所编码 {place_code}"]})
    if place not in item.places:
        raise InvalidInput("该场所不办理此事项", {"place": [f"{place.name}不办理{item.name}"]})
    if help_type not in item.help_types:
        raise InvalidInput("该事项不提供此服务方式", {"help_type": [f"可选：{item.help_types}"]})
    declared = set(_materials_by_code(item, material_codes, "materials"))
    booking = None
    if booking_code:
        booking = session.scalar(select(Booking).where(Booking.code == booking_code.upper()))
        if booking is None or booking.citizen_id != citizen.id:
            raise InvalidInput("未找到该预约", {"booking": [f"未知的预约码 {booking_code}"]})
    if applicant.enterprise_name and not applicant.uscc:
        raise InvalidInput("企业申请人需填写统一社会信用代码", {"applicant": {"uscc": ["必填"]}})

    case = Case(
        number=next_case_number(session, number_prefix, now.date()), citizen=citizen, item=item,
        place=place, lead_department_id=item.department_id, booking=booking, help_type=help_type,
        applicant_name=applicant.name,
        applicant_phone_encrypted=encrypt(clean_phone(applicant.phone)) if applicant.phone else None,
        applicant_id_number_encrypted=(encrypt(clean_id_number(applicant.id_number, now.date()))
                                       if applicant.id_number else None),
        enterprise_name=applicant.enterprise_name,
        uscc=_clean_uscc(applicant.uscc) if applicant.uscc else None,
        special_group=special_group, created_at=now, status=None,
        agent=default_agent(session, place, item.department_id),
    )
    case.materials = [CaseMaterial(material=m, declared=m in declared) for m in item.materials]
    session.add(case)
    apply(session, case, "submit", citizen, now)
    session.flush()
    return case


# Material check and the one-time notice ---------------------------------------------------

def check_materials(session: Session, case: Case, missing: list[tuple[str, str | None]],
                    staff: Staff, now: datetime, note: str | None = None) -> Case:
    """An empty `missing` accepts the case and sets its due date; otherwise one notice lists
    every missing material and how to obtain it."""
    if not missing:
        return _accept(session, case, staff, now, note)
    codes = [code for code, _ in missing]
    if len(set(codes)) != len(codes):
        raise InvalidInput("材料重复", {"missing": ["同一材料只需列一次"]})
    materials = _materials_by_code(case.item, codes, "missing")
    named_before = {line.material_id for n in case.notices for line in n.lines}
    notice = MissingMaterialNotice(
        staff=staff, created_at=now, note=note,
        violates_one_time_rule=bool(case.notices) and any(m.id not in named_before
                                                          for m in materials),
        lines=[NoticeLine(material=m, note=line_note)
               for m, (_, line_note) in zip(materials, missing)])
    case.notices.append(notice)
    missing_ids = {m.id for m in materials}
    for case_material in case.materials:
        if case_material.material_id in missing_ids:
            case_material.declared = False
    apply(session, case, "notify_missing", staff, now,
          "需补正：" + "、".join(m.name for m in materials) + (f"。{note}" if note else ""))
    return case


def _accept(session: Session, case: Case, staff: Staff, now: datetime, note: str | None) -> Case:
    calendar = load_calendar(session)
    days = case.item.commitment_days
    due_date = calendar.add_working_days(now.date(), days)
    apply(session, case, "accept", staff, now,
          f"承诺时限{days}个工作日，承诺办结日期：{due_date:%Y-%m-%d}" + (f"。{note}" if note else ""))
    case.accepted_on, case.due_date = now.date(), due_date
    case.amber_on = calendar.add_working_days(now.date(), max(1, math.ceil(days * AMBER_SHARE)))
    for case_material in case.materials:
        if case_material.material.required:
            case_material.declared = True
    departments = case.item.departments_involved
    if departments:
        case.tasks = [DepartmentTask(department=d, done=False)
                      for d in [case.lead_department, *departments]]
    return case


def supplement(session: Session, case: Case, citizen: Citizen, codes: list[str],
               now: datetime) -> Case:
    if not codes:
        raise InvalidInput("请至少补充一项材料", {"materials": ["不能为空"]})
    supplied = {m.id for m in _materials_by_code(case.item, codes, "materials")}
    for case_material in case.materials:
        if case_material.material_id in supplied:
            case_material.declared = True
    names = "、".join(cm.material.name for cm in case.materials if cm.material_id in supplied)
    apply(session, case, "supplement", citizen, now, f"已补正：{names}")
    return case


def reject(session: Session, case: Case, staff: Staff, reason: str, now: datetime) -> Case:
    if not reason or not reason.strip():
        raise InvalidInput("请填写不予受理的理由", {"reason": ["必填"]})
    apply(session, case, "reject", staff, now, reason)
    case.reject_reason, case.finished_at = reason, now
    return case


# 代办: handover, agreement, return ---------------------------------------------------------

def _receipt_lines(case: Case, lines: list[dict]) -> list[ReceiptLine]:
    if not lines:
        raise InvalidInput("请逐项登记交接的材料", {"materials": ["不能为空"]})
    codes = [line["material"] for line in lines]
    if len(set(codes)) != len(codes):
        raise InvalidInput("材料重复", {"materials": ["同一材料只需登记一次"]})
    materials = _materials_by_code(case.item, codes, "materials")
    return [ReceiptLine(material=m, copies=line["copies"], original=line["original"])
            for m, line in zip(materials, lines)]


def handover(session: Session, case: Case, staff: Staff, lines: list[dict],
             citizen_confirmed: bool, now: datetime, note: str | None = None) -> Case:
    if not citizen_confirmed:
        raise InvalidInput("材料交接须经申请人当面确认", {"citizen_confirmed": ["应为 true"]})
    receipt_lines = _receipt_lines(case, lines)
    apply(session, case, "handover", staff, now, note)
    case.receipts.append(Receipt(kind="handover", staff=staff, at=now, citizen_confirmed=True,
                                 note=note, lines=receipt_lines))
    received = {line.material.id: line for line in receipt_lines}
    for case_material in case.materials:
        line = received.get(case_material.material_id)
        if line is not None:
            case_material.received_copies = line.copies
            case_material.received_original = line.original
            case_material.received_at = now
    _start_work_if_ready(session, case, now)
    return case


def sign_agreement(session: Session, case: Case, actor: Citizen | Staff, now: datetime) -> Case:
    """The applicant accepts the agreement in the mini-program, or staff record a paper one."""
    if case.agreement_signed_at is not None:
        raise InvalidState("委托代办协议已签订", {"signed_at": case.agreement_signed_at.isoformat()})
    online = isinstance(actor, Citizen)
    apply(session, case, "agreement", actor, now,
          f"协议版本 {AGREEMENT_VERSION}，" + ("申请人在小程序中确认" if online else "纸质协议已签字"))
    case.agreement_version, case.agreement_signed_at = AGREEMENT_VERSION, now
    case.agreement_method = "online" if online else "paper"
    case.agreement_openid = actor.openid if online else None
    case.agreement_recorded_by_id = None if online else actor.id
    _start_work_if_ready(session, case, now)
    return case


def _start_work_if_ready(session: Session, case: Case, now: datetime) -> None:
    if case.status == "handed_over" and case.agreement_signed_at is not None:
        apply(session, case, "start_work", SYSTEM, now)


def return_materials(session: Session, case: Case, staff: Staff, lines: list[dict],
                     now: datetime, note: str | None = None) -> Case:
    receipt_lines = _receipt_lines(case, lines)
    returned = {line.material.id for line in receipt_lines}
    originals = [cm for cm in case.materials if cm.received_at and cm.received_original]
    not_returned = [cm.material for cm in originals if cm.material_id not in returned]
    if not_returned:
        raise InvalidInput("交接的原件须全部退还",
                           {"materials": [f"未退还：{m.name}（{m.code}）" for m in not_returned]})
    apply(session, case, "return", staff, now, note)
    case.receipts.append(Receipt(kind="return", staff=staff, at=now, citizen_confirmed=True,
                                 note=note, lines=receipt_lines))
    for case_material in case.materials:
        if case_material.material_id in returned:
            case_material.returned_at = now
    return case


# Work --------------------------------------------------------------------------------------

def start(session: Session, case: Case, staff: Staff, now: datetime) -> Case:
    apply(session, case, "start", staff, now)
    return case


def progress(session: Session, case: Case, staff: Staff, note: str | None,
             task_code: str | None, done: bool | None, now: datetime) -> Case:
    if not (note and note.strip()) and task_code is None:
        raise InvalidInput("请填写进展说明", {"note": ["必填"]})
    label = note
    if task_code is not None:
        task = next((t for t in case.tasks if t.department.code == task_code), None)
        if task is None:
            raise InvalidInput("该办件没有此部门的任务", {"task": [f"未知的部门任务 {task_code}"]})
        if done is not None:
            task.done, task.done_at = done, (now if done else None)
        if note:
            task.note = note
        state = "（已完成）" if task.done else ""
        label = f"{task.department.name}{state}" + (f"：{note}" if note else "")
    apply(session, case, "progress", staff, now, label)
    return case


def complete(session: Session, case: Case, staff: Staff, note: str | None, now: datetime) -> Case:
    open_tasks = [t.department.name for t in case.tasks if not t.done]
    if open_tasks and case.status == "in_progress":
        raise InvalidState("还有部门任务未完成，不能办结", {"open_tasks": open_tasks})
    apply(session, case, "complete", staff, now, note)
    case.finished_at = now
    return case


def withdraw(session: Session, case: Case, citizen: Citizen, now: datetime,
             note: str | None = None) -> Case:
    apply(session, case, "withdraw", citizen, now, note)
    case.finished_at = now
    return case


def assign(session: Session, case: Case, manager: Staff, username: str, now: datetime) -> Case:
    permit("assign", manager)
    agent = session.scalar(select(Staff).where(Staff.username == username))
    registered = agent is not None and session.scalar(
        select(registered_at(agent.id, case.place_id)))
    if not registered or not agent.active or agent.role != "agent":
        raise InvalidInput("该人员不是本场所登记备案的帮办代办员",
                           {"agent": [f"{username} 未在{case.place.name}登记备案"]})
    apply(session, case, "assign", manager, now, f"由 {agent.name} 负责")
    case.agent = agent
    return case


# Reviews and escalations --------------------------------------------------------------------

def review(session: Session, case: Case, citizen: Citizen, score: int, comment: str | None,
           now: datetime) -> Review:
    if case.review is not None:
        raise InvalidState("该办件已评价过", {"case": case.number})
    apply(session, case, "review", citizen, now, f"{score}分" + (f"：{comment}" if comment else ""))
    followup_due = (load_calendar(session).add_working_days(now.date(), FOLLOWUP_WORKING_DAYS)
                    if score <= 2 else None)
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
    return result


def escalate(session: Session, case: Case, staff: Staff, note: str, now: datetime) -> Escalation:
    if not note or not note.strip():
        raise InvalidInput("请说明遇到的难点堵点", {"note": ["必填"]})
    apply(session, case, "escalate", staff, now, note)
    escalation = Escalation(case=case, raised_by=staff, raised_at=now, note=note)
    session.add(escalation)
    session.flush()
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


def staff_escalation(session: Session, staff: Staff, escalation_id: int) -> Escalation:
    escalation = session.get(Escalation, escalation_id)
    if escalation is None or not can_see(staff, escalation.case):
        raise NotFound("未找到该问题", {"escalation": escalation_id})
    if staff.role not in MANAGERS:
        raise Forbidden("只有场所管理员可以协调解决难点堵点")
    return escalation


# Lists ---------------------------------------------------------------------------------------

@dataclass
class CaseFilter:
    status: str | None = None
    deadline_state: str | None = None
    place: str | None = None
    page: int = 1
    per_page: int = 20


def list_staff_cases(session: Session, staff: Staff, filters: CaseFilter, today: date
                     ) -> tuple[list[Case], int]:
    query = select(Case).where(visible_cases(staff))
    if filters.status:
        query = query.where(Case.status == filters.status)
    if filters.deadline_state:
        query = query.where(deadline_condition(filters.deadline_state, today))
    if filters.place:
        place = session.scalar(select(Place).where(Place.code == filters.place))
        if place is None:
            raise InvalidInput("未知的服务场所", {"place": [f"未知的场所编码 {filters.place}"]})
        query = query.where(Case.place_id == place.id)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(Case.due_date.is_(None), Case.due_date, Case.id)
                           .limit(filters.per_page).offset((filters.page - 1) * filters.per_page))
    return list(rows), total


def cases_to_reassign(session: Session, staff: Staff | None = None) -> list[Case]:
    """Open cases whose agent can no longer work them there: the agent's registration at the
    case's place has ended, or the account is deactivated. They stay with that agent until a
    manager assigns another; `staff` narrows the list to the cases that person may see."""
    query = (select(Case).join(Staff, Staff.id == Case.agent_id)
             .where(Case.status.in_(OPEN),
                    or_(not_(registered_at(Staff.id, Case.place_id)), Staff.active.is_(False))))
    if staff is not None:
        query = query.where(visible_cases(staff))
    return list(session.scalars(query.order_by(Case.due_date.is_(None), Case.due_date, Case.id)))


def list_citizen_cases(session: Session, citizen: Citizen) -> list[Case]:
    return list(session.scalars(select(Case).where(Case.citizen_id == citizen.id)
                                .order_by(Case.created_at.desc(), Case.id.desc())))


def list_escalations(session: Session, staff: Staff, open_only: bool) -> list[Escalation]:
    query = select(Escalation).join(Case).where(visible_cases(staff))
    if open_only:
        query = query.where(Escalation.resolved_at.is_(None))
    return list(session.scalars(query.order_by(Escalation.raised_at)))
