"""Special groups (特殊群体, the 绿色通道): who may book the seats a schedule keeps for them
(`reserved`) before those are released to everyone, and who goes first at the queue.

A person belongs by their ID number, whichever account or window acts for them: people aged
SPECIAL_GROUP_AGE or more on the day (the number's birth date says so), and people staff
confirmed after seeing a document (a disability certificate, a veteran's card, ...): who, when,
at which place, which kind of document. A confirmation serves every account and every booking
in that number's name until staff end it."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session
from stdnum.cn import ric

from ..errors import InvalidInput, NotFound
from ..infrastructure.personal_data import clean_id_number, decrypt, encrypt, id_number_key
from ..models import SPECIAL_GROUP_KINDS, Citizen, Place, SpecialGroupConfirmation, Staff
from . import scope


def age_on(id_number: str, day: date) -> int:
    """Full years on `day` of the person an 18-digit resident ID number names."""
    born = ric.get_birth_date(id_number)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def confirmed(key: str):
    """SQL condition: a confirmation in force for the ID number with this blind index."""
    return exists().where(SpecialGroupConfirmation.id_number_key == key,
                          SpecialGroupConfirmation.ended_at.is_(None))


def is_special(session: Session, id_number: str | None, key: str | None, day: date,
               min_age: int) -> bool:
    """Whether the person holding this ID number (clear, and its blind index) is in a special
    group on `day`. No number: no one can tell, so not."""
    if id_number and age_on(id_number, day) >= min_age:
        return True
    return bool(key) and bool(session.scalar(select(confirmed(key))))


def citizen_is_special(session: Session, citizen_id: int, day: date, min_age: int) -> bool:
    """The same for the ID number a citizen's account holds (its profile)."""
    row = session.execute(select(Citizen.id_number_encrypted, Citizen.id_number_key)
                          .where(Citizen.id == citizen_id)).one_or_none()
    if row is None:
        return False
    return is_special(session, decrypt(row.id_number_encrypted), row.id_number_key, day, min_age)


def confirm(session: Session, staff: Staff, place: Place, name: str, id_number: str, kind: str,
            document: str, now: datetime) -> SpecialGroupConfirmation:
    """Staff at one of their places confirm a person's special group after seeing the document.
    A second confirmation of the same kind for the same number while one is in force is the
    first one (nothing new is written)."""
    scope.require_role(staff, scope.CASE_WORKERS, "督查人员不能确认特殊群体身份")
    if not scope.works_at(staff, place):
        raise NotFound("未找到该服务场所", {"place": place.code})
    problems: dict[str, list[str]] = {}
    name, document = (name or "").strip(), (document or "").strip()
    if not name:
        problems["name"] = ["必填"]
    elif len(name) > 50:
        problems["name"] = ["最多50个字"]
    if kind not in SPECIAL_GROUP_KINDS:
        problems["kind"] = [f"可选：{', '.join(SPECIAL_GROUP_KINDS)}"]
    if not document:
        problems["document"] = ["请填写所查验证件的种类，如残疾人证"]
    elif len(document) > 50:
        problems["document"] = ["最多50个字"]
    if problems:
        raise InvalidInput("特殊群体确认信息不完整", problems)
    number = clean_id_number(id_number or "", now.date())
    key = id_number_key(number)
    current = session.scalar(select(SpecialGroupConfirmation).where(
        SpecialGroupConfirmation.id_number_key == key, SpecialGroupConfirmation.kind == kind,
        SpecialGroupConfirmation.ended_at.is_(None)))
    if current is not None:
        return current
    confirmation = SpecialGroupConfirmation(
        name=name, id_number_encrypted=encrypt(number), id_number_key=key, kind=kind,
        document=document, place=place, confirmed_by=staff, confirmed_at=now)
    session.add(confirmation)
    session.flush()
    return confirmation


def in_force(session: Session, key: str) -> list[SpecialGroupConfirmation]:
    """The confirmations in force for the ID number with this blind index, newest first."""
    return list(session.scalars(select(SpecialGroupConfirmation).where(
        SpecialGroupConfirmation.id_number_key == key, SpecialGroupConfirmation.ended_at.is_(None))
        .order_by(SpecialGroupConfirmation.confirmed_at.desc(), SpecialGroupConfirmation.id)))


def end(session: Session, staff: Staff, confirmation_id: int, now: datetime
        ) -> SpecialGroupConfirmation:
    """End a confirmation (the document expired, it was recorded in error): staff of the place
    that recorded it, or its managers above."""
    confirmation = session.get(SpecialGroupConfirmation, confirmation_id)
    if confirmation is None or not scope.works_at(staff, confirmation.place):
        raise NotFound("未找到该特殊群体确认", {"confirmation": confirmation_id})
    scope.require_role(staff, scope.CASE_WORKERS, "督查人员不能解除特殊群体确认")
    if confirmation.ended_at is None:
        confirmation.ended_at, confirmation.ended_by = now, staff
    return confirmation


def holder_is_special(session: Session, booking, day: date, min_age: int) -> bool:
    """The same for whom a booking is: the person it names (staff or a relative booked it in
    their name), else the account that made it."""
    if booking.person_id_number_key is not None:
        return is_special(session, decrypt(booking.person_id_number_encrypted),
                          booking.person_id_number_key, day, min_age)
    return citizen_is_special(session, booking.citizen_id, day, min_age)
