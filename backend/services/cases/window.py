"""The window as a front door (policy 二(二)2: windows take 帮办 and 代办 applications
themselves): an agent takes a case for a walk-in applicant, who may have no account, checks the
materials on the spot and, for 代办, records the paper agreement and the handover in the same
step. The case is the same case as one applied for online; only its `channel` differs.

Whoever later signs in with the same name and ID number sees the cases taken for them: the match
is by the ID number's blind index (`personal_data.id_number_key`), never by decrypting rows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session
from stdnum.cn import ric

from ...errors import Forbidden, InvalidInput
from ...infrastructure.audit import record
from ...infrastructure.personal_data import clean_id_number, id_number_key, mask_id_number
from ...models import Booking, Case, Citizen, Place, Relative, Slot, Staff
from .. import scope, special_groups
from ..person_booking import person_bookings
from ..relatives import pending_naming
from ..staff import registered_at
from .intake import Applicant, announce_assignment, check_materials, default_agent, new_case
from .lifecycle import apply, permit
from .proxy import handover, sign_agreement


@dataclass
class WindowIntake:
    """What the window records besides the applicant: the materials the agent has seen and, for
    代办, the handover (receipt lines: material, copies, original) and the paper agreement."""
    item: str
    place: str
    help_type: str
    materials_seen: list[str]
    special_group: str | None = None
    handover: list[dict] | None = None
    paper_agreement: bool = False
    note: str | None = None


def may_take_at(session: Session, staff: Staff, place: Place) -> bool:
    """An agent takes cases where they are registered (village points included); a manager at
    their places; a district admin anywhere."""
    if staff.role in scope.AGENTS:
        return bool(session.scalar(select(registered_at(staff.id, place.id))))
    return scope.works_at(staff, place)


def take_at_window(session: Session, staff: Staff, applicant: Applicant, intake: WindowIntake,
                   now: datetime, number_prefix: str) -> Case:
    """A case taken at the window for a walk-in applicant (name and ID number required), in one
    step: created, the materials checked on the spot (all required ones seen: accepted, with its
    due date; else the one-time notice of those missing), and for 代办 the paper agreement and
    the handover recorded. An agent keeps the case they took; a manager's goes to the default
    agent of the lead department's station."""
    permit("intake", staff)
    if not (applicant.name and applicant.name.strip()):
        raise InvalidInput("请填写申请人姓名", {"applicant": {"name": ["必填"]}})
    if not (applicant.id_number and applicant.id_number.strip()):
        raise InvalidInput("请填写申请人身份证号码", {"applicant": {"id_number": ["必填"]}})
    # The name is matched exactly against a citizen's profile (stored stripped) later on.
    applicant.name = applicant.name.strip()
    if intake.help_type != "proxy" and (intake.handover or intake.paper_agreement):
        raise InvalidInput("材料交接和委托协议只用于代办", {"help_type": ["帮办无需交接材料或签订协议"]})
    case = new_case(session, item_code=intake.item, place_code=intake.place,
                    help_type=intake.help_type, applicant=applicant,
                    material_codes=intake.materials_seen, special_group=intake.special_group,
                    now=now, number_prefix=number_prefix, citizen=None, booking=None,
                    channel="window")
    if not may_take_at(session, staff, case.place):
        raise Forbidden(f"您未在{case.place.name}登记备案，不能在此受理", {"place": [case.place.code]})
    case.agent = (staff if staff.role in scope.AGENTS
                  else default_agent(session, case.place, case.item.department_id))
    session.add(case)
    apply(session, case, "intake", staff, now,
          f"{case.place.name}窗口受理，经办人：{staff.name}" + (f"。{intake.note}" if intake.note else ""))
    session.flush()
    if case.agent is not None and case.agent.id != staff.id:
        announce_assignment(session, case, now)

    missing = [cm.material for cm in case.materials if cm.material.required and not cm.declared]
    if intake.paper_agreement:
        sign_agreement(session, case, staff, now)
    check_materials(session, case, [(m.code, None) for m in missing], staff, now)
    if intake.handover:
        if missing:
            raise InvalidInput("材料不全，不能交接；请先一次性告知需补正的材料",
                               {"materials": [f"缺少：{m.name}" for m in missing]})
        handover(session, case, staff, intake.handover, True, now)
    return case


# Who sees a window case ---------------------------------------------------------------------

def applicant_match(citizen: Citizen):
    """SQL condition: a case taken for this citizen at a window, or applied for them by a
    relative's account (亲友代办), by the same name and ID number (none for a citizen who has not
    given both)."""
    if not citizen.id_number_key or not citizen.name:
        return false()
    return and_(or_(and_(Case.citizen_id.is_(None), Case.channel == "window"),
                    Case.relative_id.is_not(None)),
                Case.applicant_id_number_key == citizen.id_number_key,
                Case.applicant_name == citizen.name)


def citizen_cases(citizen: Citizen):
    """SQL condition: the cases a citizen sees: their own, and those taken for them at a window
    or applied for them by a relative's account."""
    return or_(Case.citizen_id == citizen.id, applicant_match(citizen))


def is_applicant(case: Case, citizen: Citizen) -> bool:
    """`citizen_cases` for one loaded case."""
    if case.citizen_id == citizen.id:
        return True
    if case.citizen_id is not None and case.relative_id is None:
        return False
    return (citizen.id_number_key is not None
            and bool(citizen.name) and case.applicant_id_number_key == citizen.id_number_key
            and case.applicant_name == citizen.name)


# The person at the window, as the agent types ------------------------------------------------

@dataclass
class PersonHistory:
    """An ID number checked as typed, and the person's earlier cases and bookings at the staff
    member's places (newest first, at most `LIMIT` each)."""
    id_number: str
    birth_date: object
    cases: list[Case]
    bookings: list[Booking]
    # 亲友代办 requests naming this person, waiting: the window may confirm them.
    authorisations: list[Relative]
    # Whether they are one of a special group today (by age or a confirmation in force), and
    # the confirmations in force.
    special_group: bool = False
    special_groups: list = ()

    LIMIT = 20


def person_history(session: Session, staff: Staff, id_number: str, now: datetime,
                   min_age: int) -> PersonHistory:
    """The checksum (GB 11643) of an ID number typed at the window and what this person already
    has at the staff member's places (cases applied for online or taken at a window, bookings
    made online or in their name), and the 亲友代办 requests naming them that wait. A window sees
    the cases of its places, not only its own: that is how it avoids taking the same application
    twice."""
    if staff.role in scope.READ_ONLY_ROLES:
        raise Forbidden("督查人员不能受理")
    number = clean_id_number(id_number or "", now.date())
    key = id_number_key(number)
    # Who looked whom up is kept, as for any read of personal data beyond one's own cases.
    record(session, "person", mask_id_number(number), {"looked_up": [None, True]}, action="read")
    accounts = select(Citizen.id).where(Citizen.id_number_key == key)
    found = list(session.scalars(
        select(Case).where(or_(Case.applicant_id_number_key == key,
                               and_(Case.citizen_id.in_(accounts), Case.relative_id.is_(None))),
                           scope.in_own_places(staff, Case.place_id))
        .order_by(Case.created_at.desc(), Case.id.desc()).limit(PersonHistory.LIMIT)))
    bookings = list(session.scalars(
        select(Booking).join(Slot, Slot.id == Booking.slot_id)
        .where(person_bookings(key), scope.in_own_places(staff, Booking.place_id))
        .order_by(Slot.date.desc(), Slot.start_time.desc(), Booking.id.desc())
        .limit(PersonHistory.LIMIT)))
    special = special_groups.is_special(session, number, key, now.date(), min_age)
    confirmations = special_groups.in_force(session, key)
    return PersonHistory(number, ric.get_birth_date(number), found, bookings,
                         pending_naming(session, key), special, confirmations)
