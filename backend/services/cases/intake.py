"""A case from application to acceptance: creation, the material check and the one-time
notice (一次性告知), supplements and rejection."""
from __future__ import annotations

import math
from dataclasses import dataclass
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from stdnum.cn import uscc as uscc_number
from stdnum.exceptions import ValidationError as NumberInvalid

from ...errors import InvalidInput, InvalidState
from ...extensions import upsert_insert
from ...models import (
    OPEN,
    Booking,
    Case,
    CaseMaterial,
    CaseSequence,
    Citizen,
    DepartmentTask,
    Material,
    MissingMaterialNotice,
    NoticeLine,
    Place,
    ServiceItem,
    Staff,
)
from ...infrastructure.personal_data import (
    clean_id_number, clean_phone, decrypt, encrypt, id_number_key,
)
from .. import notifications
from ...domain.statutory_calendar import StatutoryCalendar
from ..calendar import load_calendar
from ..relatives import confirmed_relative
from ..staff import registered_at
from .documents import issue
from .lifecycle import SYSTEM, apply, notify_progress, permit

if TYPE_CHECKING:
    from .visits import VisitRequest

# A case turns amber at this share of its committed working days.
AMBER_SHARE = 0.8
# 行政许可法 §32: a case not checked within this many working days of receipt is accepted by
# law from the day it was received; its place's managers are warned on the day before.
ACCEPTANCE_WORKING_DAYS = 5
ACCEPTANCE_WARNING_DAY = 4


def acceptance_deadline(calendar: StatutoryCalendar, case: Case) -> date:
    """The last day the case may be checked (one-time notice or acceptance): the 5th statutory
    working day after its day of receipt."""
    return calendar.add_working_days(case.received_on, ACCEPTANCE_WORKING_DAYS)


def overdue_for_acceptance(calendar: StatutoryCalendar, case: Case, today: date) -> bool:
    """Not checked by its §32 deadline: accepted by law, from its day of receipt."""
    return case.status == "submitted" and today > acceptance_deadline(calendar, case)


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


def materials_by_code(item: ServiceItem, codes: Iterable[str], field_name: str
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
                number_prefix: str, for_relative: int | None = None,
                home_visit: VisitRequest | None = None) -> Case:
    """A citizen applies in the mini-program (channel `online`), for themselves or, with
    `for_relative`, for a confirmed relative, who is then the applicant (name and ID number)."""
    relative = None
    if for_relative is not None:
        relative = confirmed_relative(session, citizen.id, for_relative)
        applicant = Applicant(name=relative.name, phone=applicant.phone,
                              id_number=decrypt(relative.id_number_encrypted),
                              enterprise_name=applicant.enterprise_name, uscc=applicant.uscc)
    booking = None
    if booking_code:
        booking = session.scalar(select(Booking).where(Booking.code == booking_code.upper()))
        if booking is None or booking.citizen_id != citizen.id:
            raise InvalidInput("未找到该预约", {"booking": [f"未知的预约码 {booking_code}"]})
    case = new_case(session, item_code=item_code, place_code=place_code, help_type=help_type,
                    applicant=applicant, material_codes=material_codes,
                    special_group=special_group, now=now, number_prefix=number_prefix,
                    citizen=citizen, booking=booking, channel="online")
    case.relative = relative
    if home_visit is not None:
        from .visits import request_visit  # visits builds on this module
        request_visit(case, home_visit, now)
    case.agent = default_agent(session, case.place, case.item.department_id)
    session.add(case)
    apply(session, case, "submit", citizen, now)
    session.flush()
    announce_assignment(session, case, now)
    return case


def new_case(session: Session, *, item_code: str, place_code: str, help_type: str,
             applicant: Applicant, material_codes: list[str], special_group: str | None,
             now: datetime, number_prefix: str, citizen: Citizen | None,
             booking: Booking | None, channel: str) -> Case:
    """A case as either channel builds it, checked and numbered, its status not yet set (the
    caller applies its first transition) and its agent not yet chosen."""
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
    declared = set(materials_by_code(item, material_codes, "materials"))
    if applicant.enterprise_name and not applicant.uscc:
        raise InvalidInput("企业申请人需填写统一社会信用代码", {"applicant": {"uscc": ["必填"]}})
    id_number = clean_id_number(applicant.id_number, now.date()) if applicant.id_number else None
    case = Case(
        number=next_case_number(session, number_prefix, now.date()), citizen=citizen, item=item,
        place=place, lead_department_id=item.department_id, booking=booking, help_type=help_type,
        channel=channel, applicant_name=applicant.name,
        applicant_phone_encrypted=encrypt(clean_phone(applicant.phone)) if applicant.phone else None,
        applicant_id_number_encrypted=encrypt(id_number),
        applicant_id_number_key=id_number_key(id_number),
        enterprise_name=applicant.enterprise_name,
        uscc=_clean_uscc(applicant.uscc) if applicant.uscc else None,
        special_group=special_group, created_at=now, received_on=now.date(), status=None,
    )
    case.materials = [CaseMaterial(material=m, declared=m in declared) for m in item.materials]
    return case


def announce_assignment(session: Session, case: Case, now: datetime) -> None:
    """The agent a new case went to hears of it."""
    if case.agent is not None:
        notifications.queue_staff_message(session, case, "case_assigned", [case.agent.id], now,
                                          subject=notifications.case_step(case))


# Material check and the one-time notice ---------------------------------------------------

def check_materials(session: Session, case: Case, missing: list[tuple[str, str | None]],
                    staff: Staff, now: datetime, note: str | None = None) -> Case:
    """An empty `missing` accepts the case and sets its due date; otherwise one notice lists
    every missing material and how to obtain it. A case past its §32 deadline was accepted by
    law from its day of receipt: checking it accepts it so, and a notice is refused."""
    calendar = load_calendar(session)
    if overdue_for_acceptance(calendar, case, now.date()):
        if missing:
            deadline = acceptance_deadline(calendar, case)
            raise InvalidState(
                f"收件后5个工作日内（{deadline:%Y-%m-%d}前）未一次性告知，依法自收件之日起视为受理，"
                f"不能再要求补正", {"received_on": case.received_on.isoformat(),
                                    "deadline": deadline.isoformat()})
        permit("accept", staff)
        return deem_accepted(session, case, now, calendar)
    if not missing:
        return _accept(session, case, staff, now, note, calendar)
    codes = [code for code, _ in missing]
    if len(set(codes)) != len(codes):
        raise InvalidInput("材料重复", {"missing": ["同一材料只需列一次"]})
    materials = materials_by_code(case.item, codes, "missing")
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
    notifications.queue_case_message(session, case, "materials_incomplete", now,
                                     subject=notifications.case_step(case),
                                     materials="、".join(m.name for m in materials))
    issue(session, case, "notice", now, ref=notice, staff=staff)
    return case


def deem_accepted(session: Session, case: Case, now: datetime,
                  calendar: StatutoryCalendar | None = None) -> Case:
    """行政许可法 §32: the case was not checked within 5 working days of receipt, so it is
    accepted from the day it was received, its deadline counted from then (the system's move,
    whoever comes upon it first: the daily job or a late check)."""
    return _accept(session, case, SYSTEM, now, None, calendar, deemed=True)


def _accept(session: Session, case: Case, actor, now: datetime, note: str | None,
            calendar: StatutoryCalendar | None = None, *, deemed: bool = False) -> Case:
    calendar = calendar or load_calendar(session)
    days = case.item.commitment_days
    start = case.received_on if deemed else now.date()
    due_date = calendar.add_working_days(start, days)
    text = f"承诺时限{days}个工作日，承诺办结日期：{due_date:%Y-%m-%d}"
    if deemed:
        text = (f"收件（{start:%Y-%m-%d}）后5个工作日内未审查，依法自收件之日起视为受理；" + text)
    apply(session, case, "deem_accept" if deemed else "accept", actor, now,
          text + (f"。{note}" if note else ""))
    case.accepted_on, case.due_date, case.deemed_accepted = start, due_date, deemed
    case.amber_on = calendar.add_working_days(start, max(1, math.ceil(days * AMBER_SHARE)))
    for case_material in case.materials:
        if case_material.material.required:
            case_material.declared = True
    departments = case.item.departments_involved
    if departments:
        case.tasks = [DepartmentTask(department=d, done=False)
                      for d in [case.lead_department, *departments]]
    notifications.queue_case_message(session, case, "case_accepted", now,
                                     due_date=due_date.isoformat())
    issue(session, case, "acceptance", now, staff=actor)
    return case


def supplement(session: Session, case: Case, citizen: Citizen, codes: list[str],
               now: datetime) -> Case:
    if not codes:
        raise InvalidInput("请至少补充一项材料", {"materials": ["不能为空"]})
    supplied = {m.id for m in materials_by_code(case.item, codes, "materials")}
    for case_material in case.materials:
        if case_material.material_id in supplied:
            case_material.declared = True
    names = "、".join(cm.material.name for cm in case.materials if cm.material_id in supplied)
    apply(session, case, "supplement", citizen, now, f"已补正：{names}")
    # §32: the day the supplement arrives is the new day of receipt.
    case.received_on = now.date()
    return case


def overdue_acceptances(session: Session, calendar: StatutoryCalendar, today: date,
                        chunk: int = 500) -> Iterator[list[Case]]:
    """The cases still waiting for their check whose §32 deadline has passed, in chunks (by
    id). The candidates are read by a bound on the day of receipt (no case received within the
    last 5 calendar days can be late), the deadline then checked on the calendar."""
    last_id = 0
    while True:
        found = list(session.scalars(
            select(Case).where(Case.status == "submitted",
                               Case.received_on < today - timedelta(days=ACCEPTANCE_WORKING_DAYS),
                               Case.id > last_id).order_by(Case.id).limit(chunk)))
        if not found:
            return
        last_id = found[-1].id
        yield [case for case in found if overdue_for_acceptance(calendar, case, today)]


def deem_overdue_acceptances(session: Session, now: datetime) -> int:
    """Accept by law every case not checked within 5 working days of receipt (the daily job);
    returns how many."""
    calendar = load_calendar(session)
    done = 0
    for found in overdue_acceptances(session, calendar, now.date()):
        for case in found:
            deem_accepted(session, case, now, calendar)
            done += 1
        session.flush()
    return done


def acceptances_due(session: Session, calendar: StatutoryCalendar, today: date
                    ) -> list[tuple[Case, date]]:
    """The cases still waiting for their check whose 4th working day after receipt has come:
    tomorrow (or sooner) the law accepts them. Each with its deadline."""
    found = session.scalars(select(Case).where(
        Case.status == "submitted",
        Case.received_on < today - timedelta(days=ACCEPTANCE_WARNING_DAY - 1)).order_by(Case.id))
    return [(case, acceptance_deadline(calendar, case)) for case in found
            if calendar.add_working_days(case.received_on, ACCEPTANCE_WARNING_DAY) <= today
            and not overdue_for_acceptance(calendar, case, today)]


def reject(session: Session, case: Case, staff: Staff, reason: str, now: datetime) -> Case:
    if not reason or not reason.strip():
        raise InvalidInput("请填写不予受理的理由", {"reason": ["必填"]})
    apply(session, case, "reject", staff, now, reason)
    case.reject_reason, case.finished_at = reason, now
    notify_progress(session, case, now, f"不予受理：{reason}")
    return case
