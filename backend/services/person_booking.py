"""Bookings staff make in a person's name (a phone caller, a walk-in at the window), under the
rules a citizen books by (docs/domain.md "Appointments"): the same booking window and closing
time, the same seat claim, and the per-person limits counted by ID number, over the bookings
staff made for that number and those the citizen accounts holding it made online.

The citizen's own booking path (`booking.book`, the hot path) counts, in the statements it
already runs, its account's own bookings and those made in its ID number's name."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..errors import Forbidden, InvalidInput
from ..infrastructure.personal_data import (
    clean_id_number, clean_phone, decrypt, encrypt, id_number_key,
)
from ..infrastructure.slot_listings import slots_changed
from ..models import (
    ACTIVE_BOOKING, Booking, Citizen, Place, Relative, ServiceItem, Slot, Staff,
)
from . import scope
from .relatives import confirmed_relative
from .booking import (
    _CLAIM_SEAT, HALL_POOLS, ONLINE_POOLS, SLOT_ROW, BookingBlocked, BookingLimit, BookingRules,
    DuplicateBooking, SlotFull, _check_bookable, cancel, claim_seat, earliest_open_start,
    floor_booking, new_booking_code, seat_terms,
)
from . import special_groups


@dataclass
class Person:
    """Whom staff book for: name and ID number required, phone optional."""
    name: str
    id_number: str
    phone: str | None = None


def person_bookings(key: str):
    """SQL condition: the bookings of the person holding this ID number (its blind index), made
    in their name (by staff, or by a relative's account) or online by an account holding that
    number for itself (not those such an account made for someone else)."""
    accounts = select(Citizen.id).where(Citizen.id_number_key == key)
    return or_(Booking.person_id_number_key == key,
               and_(Booking.citizen_id.in_(accounts), Booking.person_id_number_key.is_(None)))


def _lock_person(session: Session, key: str) -> None:
    """One person's bookings are made one at a time: on PostgreSQL a transaction lock on the
    person's key, and the rows of the accounts holding the number (which the online path
    locks). SQLite needs neither: the seat claim before took its one write lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
        session.execute(select(Citizen.id).where(Citizen.id_number_key == key).with_for_update())


def _check_not_blocked(session: Session, key: str, now: datetime, rules: BookingRules) -> None:
    """Blocked as an account holding the number is; or, for a person without one, after
    `no_show_limit` no-shows within the lookback, for `no_show_block_days` from the last."""
    blocked_until = session.scalar(select(func.max(Citizen.blocked_until)).where(
        Citizen.id_number_key == key))
    since = now - timedelta(days=rules.no_show_lookback_days)
    count, last = session.execute(select(func.count(Booking.id), func.max(Booking.no_show_at))
                                  .where(person_bookings(key), Booking.status == "no_show",
                                         Booking.no_show_at >= since)).one()
    if count >= rules.no_show_limit and last is not None:
        until = last + timedelta(days=rules.no_show_block_days)
        blocked_until = max(blocked_until or until, until)
    if blocked_until is not None and blocked_until > now:
        day = blocked_until.astimezone(now.tzinfo).strftime("%Y-%m-%d")
        raise BookingBlocked(f"此人因多次预约未到，{day}前暂时无法预约",
                             {"blocked_until": blocked_until.isoformat()})


def book_for_person(session: Session, staff: Staff, person: Person, slot_id: int,
                    item_code: str, help_type: str | None, note: str | None, now: datetime,
                    rules: BookingRules) -> Booking:
    """Book a seat in the person's name at one of the staff member's places."""
    if staff.role not in scope.CASE_WORKERS:
        raise Forbidden("督查人员不能代为预约")
    name = (person.name or "").strip()
    if not name:
        raise InvalidInput("请填写预约人姓名", {"person": {"name": ["必填"]}})
    if not (person.id_number or "").strip():
        raise InvalidInput("请填写预约人身份证号码", {"person": {"id_number": ["必填"]}})
    number = clean_id_number(person.id_number, now.date())
    phone = clean_phone(person.phone) if person.phone else None
    slot = session.scalar(select(Slot).where(Slot.id == slot_id,
                                             scope.in_own_places(staff, Slot.place_id)))
    return _book_in_name(session, slot, slot_id, item_code, help_type, note, now, rules,
                         name=name, id_number_encrypted=encrypt(number),
                         phone_encrypted=encrypt(phone), key=id_number_key(number),
                         citizen_id=None, booked_by=staff, relative=None)


def book_for_relative(session: Session, citizen_id: int, relative_id: int, slot_id: int,
                      item_code: str, help_type: str | None, note: str | None, now: datetime,
                      rules: BookingRules) -> Booking:
    """亲友代办: a citizen books for a confirmed relative; the booking is the relative's (counted
    by the relative's ID number) and the acting account follows it (and hears of it)."""
    relative = confirmed_relative(session, citizen_id, relative_id)
    blocked = session.scalar(select(Citizen.blocked_until).where(Citizen.id == citizen_id))
    if blocked is not None and blocked > now:
        raise BookingBlocked(f"因多次预约未到，{blocked.astimezone(now.tzinfo):%Y-%m-%d}前暂时无法预约",
                             {"blocked_until": blocked.isoformat()})
    slot = session.scalar(select(Slot).where(Slot.id == slot_id))
    return _book_in_name(session, slot, slot_id, item_code, help_type, note, now, rules,
                         name=relative.name, id_number_encrypted=relative.id_number_encrypted,
                         phone_encrypted=relative.phone_encrypted, key=relative.id_number_key,
                         citizen_id=citizen_id, booked_by=None, relative=relative)


def _book_in_name(session: Session, slot: Slot | None, slot_id: int, item_code: str,
                  help_type: str | None, note: str | None, now: datetime, rules: BookingRules,
                  *, name: str, id_number_encrypted: bytes, phone_encrypted: bytes | None,
                  key: str, citizen_id: int | None, booked_by: Staff | None,
                  relative: Relative | None) -> Booking:
    _check_bookable(slot, slot_id, now, rules)
    item = session.scalar(select(ServiceItem).where(ServiceItem.code == item_code)
                          .options(selectinload(ServiceItem.places)))
    if item is None:
        raise InvalidInput("未找到该事项", {"item": [f"未知的事项编码 {item_code}"]})
    if slot.place not in item.places:
        raise InvalidInput("该场所不办理此事项", {"item": [f"{slot.place.name}不办理{item.name}"]})
    if help_type is not None and help_type not in item.help_types:
        raise InvalidInput("该事项不提供此服务方式", {"help_type": [f"可选：{item.help_types}"]})

    # The seat first (the transaction's first write: SQLite's lock from here on), then the
    # person's rules; a refusal rolls the claim back with the rest. Staff at the hall draw on
    # the walk-in seats first; a relative's account books online.
    claim = claim_seat(
        session, _CLAIM_SEAT, HALL_POOLS if booked_by is not None else ONLINE_POOLS,
        {"slot_id": slot.id, **seat_terms(now, rules)},
        lambda: special_groups.is_special(session, decrypt(id_number_encrypted), key, now.date(),
                                          rules.special_group_age))
    if claim is None:
        raise SlotFull()
    slots_changed(session, slot.place.code)
    _lock_person(session, key)
    _check_not_blocked(session, key, now, rules)
    held = select(func.count(Booking.id)).join(Slot, Slot.id == Booking.slot_id).where(
        person_bookings(key))
    if session.scalar(held.where(Booking.slot_id == slot.id,
                                 Booking.status.in_(ACTIVE_BOOKING))):
        raise DuplicateBooking("此人已预约该时段，请勿重复预约")
    upcoming = session.scalar(held.where(Booking.status == "booked", Slot.date >= now.date()))
    if upcoming >= rules.max_active:
        raise BookingLimit(f"此人（按身份证号码计）已有{upcoming}个有效预约，"
                           f"每人最多同时持有{rules.max_active}个")
    booking = Booking(code=new_booking_code(), citizen_id=citizen_id, slot=slot, place=slot.place,
                      item=item, help_type=help_type, note=note, status="booked",
                      created_at=now, booked_by=booked_by, relative=relative, person_name=name,
                      person_phone_encrypted=phone_encrypted,
                      person_id_number_encrypted=id_number_encrypted, person_id_number_key=key,
                      seat=claim[1])
    session.add(booking)
    try:
        session.flush()
    except IntegrityError:
        # The partial unique index: the same person booked on this slot meanwhile.
        raise DuplicateBooking("此人已预约该时段，请勿重复预约")
    session.refresh(slot, ["booked", "reserved_booked", "walk_in_booked"])
    return booking


def cancel_for_person(session: Session, staff: Staff, code: str, now: datetime,
                      rules: BookingRules) -> Booking:
    """A booking at the staff member's places cancelled at its holder's request (a phone call,
    the window), on the holder's terms: until `cancel_minutes` before the slot."""
    booking = floor_booking(session, staff, code, "取消预约")
    return cancel(session, booking, now, rules, f"应预约人要求，由工作人员{staff.name}取消")


@dataclass(frozen=True)
class BookableSlot:
    id: int
    date: date
    start_time: object
    end_time: object
    kind: str
    capacity: int
    # What staff may book for anyone: the walk-in seats, the open ones and the released
    # reserved ones; beside it the reserved seats still kept for special groups, and of
    # `remaining` the walk-in ones.
    remaining: int
    reserved_remaining: int
    walk_in_remaining: int


def bookable_slots(session: Session, staff: Staff, place: Place, day: date, now: datetime,
                   rules: BookingRules) -> list[BookableSlot]:
    """A day's slots at one of the staff member's places still open for booking, with the
    seats left: what the window books from."""
    open_from = earliest_open_start(now, rules)
    if day > now.date() + timedelta(days=rules.window_days) or day < open_from.date():
        return []
    walk_in = Slot.walk_in - Slot.walk_in_booked
    rows = session.execute(
        select(*SLOT_ROW, walk_in.label("walk_in_remaining"))
        .where(Slot.place_id == place.id, Slot.date == day, Slot.active.is_(True),
               scope.in_own_places(staff, Slot.place_id))
        .order_by(Slot.start_time), seat_terms(now, rules)).all()
    return [BookableSlot(row.id, row.date, row.start_time, row.end_time, row.kind, row.capacity,
                         row.remaining + row.walk_in_remaining, row.reserved_remaining,
                         row.walk_in_remaining)
            for row in rows if day > open_from.date() or row.start_time >= open_from.time()]
