"""Booking rules (DESIGN.md "Appointments"). Capacity is claimed with one conditional UPDATE in
the same transaction as the booking row; the CHECK constraint and the partial unique index on
bookings are the database's backstops."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, Mapping

from sqlalchemy import bindparam, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..errors import DomainError, Forbidden, InvalidInput, InvalidState, NotFound
from ..models import ACTIVE_BOOKING, Booking, Citizen, ServiceItem, Slot, Staff, item_place

# Read aloud without ambiguity: no 0/O, no 1/I.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8


class SlotFull(DomainError):
    code, status, message = "slot_full", 409, "该时段已约满，请选择其他时段"


class DuplicateBooking(DomainError):
    code, status, message = "duplicate_booking", 409, "您已预约该时段，请勿重复预约"


class TooLate(DomainError):
    code, status, message = "too_late", 409, "已超过可操作的时间"


class OutsideBookingWindow(DomainError):
    code, status, message = "outside_booking_window", 422, "只能预约可预约期内的时段"


class BookingLimit(DomainError):
    code, status, message = "booking_limit", 422, "您的有效预约已达上限，请先办理或取消已有预约"


class BookingBlocked(DomainError):
    code, status, message = "booking_blocked", 403, "因多次预约未到，暂时无法预约"


@dataclass(frozen=True)
class BookingRules:
    window_days: int = 14
    close_minutes: int = 30
    cancel_minutes: int = 60
    max_active: int = 3
    no_show_limit: int = 3
    no_show_lookback_days: int = 90
    no_show_block_days: int = 30
    check_in_early_minutes: int = 60
    no_show_after_minutes: int = 30

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> BookingRules:
        return cls(
            window_days=config["BOOKING_WINDOW_DAYS"], close_minutes=config["BOOKING_CLOSE_MINUTES"],
            cancel_minutes=config["CANCEL_DEADLINE_MINUTES"],
            max_active=config["MAX_ACTIVE_BOOKINGS"], no_show_limit=config["NO_SHOW_LIMIT"],
            no_show_lookback_days=config["NO_SHOW_LOOKBACK_DAYS"],
            no_show_block_days=config["NO_SHOW_BLOCK_DAYS"],
            check_in_early_minutes=config["CHECK_IN_EARLY_MINUTES"],
            no_show_after_minutes=config["NO_SHOW_AFTER_MINUTES"],
        )


def slot_start(slot: Slot, tz: tzinfo) -> datetime:
    return datetime.combine(slot.date, slot.start_time, tz)


def slot_end(slot: Slot, tz: tzinfo) -> datetime:
    return datetime.combine(slot.date, slot.end_time, tz)


def new_booking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# The booking path's statements, built once with bound parameters: every booking runs them, so
# they are not rebuilt per request, and the writes and counts are Core statements on the tables
# (no ORM state to load or flush for them). SQLAlchemy caches their compiled form.
_slot_t, _booking_t, _citizen_t = Slot.__table__, Booking.__table__, Citizen.__table__

_SLOT_WITH_PLACE = (select(Slot).where(Slot.id == bindparam("slot_id"))
                    .options(joinedload(Slot.place)))
_ITEM_AT_PLACE = select(ServiceItem, exists().where(
    item_place.c.item_id == ServiceItem.id, item_place.c.place_id == bindparam("place_id"))
).where(ServiceItem.code == bindparam("item_code"))
_CLAIM = (update(_slot_t)
          .where(_slot_t.c.id == bindparam("slot_id"), _slot_t.c.active.is_(True),
                 _slot_t.c.booked < _slot_t.c.capacity)
          .values(booked=_slot_t.c.booked + 1).returning(_slot_t.c.booked))
_LOCK_CITIZEN = (update(_citizen_t).where(_citizen_t.c.id == bindparam("citizen_id"))
                 .values(id=_citizen_t.c.id))
_HOLDINGS = (
    select(func.count(_booking_t.c.id).filter(_booking_t.c.status == "booked",
                                              _slot_t.c.date >= bindparam("today")),
           func.count(_booking_t.c.id).filter(_booking_t.c.status.in_(ACTIVE_BOOKING),
                                              _booking_t.c.slot_id == bindparam("slot_id")))
    .select_from(_booking_t.join(_slot_t, _slot_t.c.id == _booking_t.c.slot_id))
    .where(_booking_t.c.citizen_id == bindparam("citizen_id")))
_INSERT_BOOKING = insert(Booking).returning(Booking)


def _bookable_slot(session: Session, slot_id: int, now: datetime, rules: BookingRules) -> Slot:
    slot = session.scalar(_SLOT_WITH_PLACE, {"slot_id": slot_id})
    if slot is None or not slot.active:
        raise NotFound("未找到该时段", {"slot": slot_id})
    start = slot_start(slot, now.tzinfo)
    if start - timedelta(minutes=rules.close_minutes) < now:
        raise TooLate(f"该时段已截止预约（开始前{rules.close_minutes}分钟截止）")
    if slot.date > now.date() + timedelta(days=rules.window_days):
        raise OutsideBookingWindow(f"只能预约{rules.window_days}天内的时段")
    return slot


def _claim(session: Session, slot: Slot) -> None:
    """The seat itself: one conditional UPDATE; no row means the slot is full."""
    booked = session.execute(_CLAIM, {"slot_id": slot.id}).scalar()
    if booked is None:
        raise SlotFull()
    set_committed_value(slot, "booked", booked)


def _release(session: Session, slot_id: int) -> None:
    session.execute(update(Slot).where(Slot.id == slot_id, Slot.booked > 0)
                    .values(booked=Slot.booked - 1).execution_options(synchronize_session=False))


def _lock_citizen(session: Session, citizen: Citizen) -> None:
    """Serialise one citizen's booking changes. A no-op write: on PostgreSQL it locks the
    citizen's row, on SQLite it takes the database's write lock; either way the checks that
    follow see every booking committed before."""
    session.execute(_LOCK_CITIZEN, {"citizen_id": citizen.id})


def _holdings(session: Session, citizen: Citizen, slot: Slot, now: datetime) -> tuple[int, int]:
    """(active bookings from today on, active bookings on this slot), in one query."""
    upcoming, on_slot = session.execute(
        _HOLDINGS, {"citizen_id": citizen.id, "slot_id": slot.id, "today": now.date()}).one()
    return upcoming, on_slot


def book(session: Session, citizen: Citizen, slot_id: int, item_code: str, help_type: str | None,
         note: str | None, now: datetime, rules: BookingRules) -> Booking:
    if citizen.blocked_until and citizen.blocked_until > now:
        until = citizen.blocked_until.astimezone(now.tzinfo).strftime("%Y-%m-%d")
        raise BookingBlocked(f"因多次预约未到，{until}前暂时无法预约",
                             {"blocked_until": citizen.blocked_until.isoformat()})
    slot = _bookable_slot(session, slot_id, now, rules)
    row = session.execute(_ITEM_AT_PLACE, {"place_id": slot.place_id,
                                           "item_code": item_code}).one_or_none()
    if row is None:
        raise InvalidInput("未找到该事项", {"item": [f"未知的事项编码 {item_code}"]})
    item, offered_here = row
    if not offered_here:
        raise InvalidInput("该场所不办理此事项", {"item": [f"{slot.place.name}不办理{item.name}"]})
    if help_type is not None and help_type not in item.help_types:
        raise InvalidInput("该事项不提供此服务方式", {"help_type": [f"可选：{item.help_types}"]})
    if slot.booked >= slot.capacity:
        raise SlotFull()  # as last read; the claim below is what decides

    _lock_citizen(session, citizen)
    upcoming, on_slot = _holdings(session, citizen, slot, now)
    if on_slot:
        raise DuplicateBooking()
    if upcoming >= rules.max_active:
        raise BookingLimit(f"每人最多同时持有{rules.max_active}个有效预约")
    # The slot's row is locked from here to the commit: claim last, insert, done.
    _claim(session, slot)
    try:
        # An ORM INSERT ... RETURNING: the row comes back as a persistent Booking without a
        # unit-of-work flush.
        booking = session.scalars(_INSERT_BOOKING, [{
            "code": new_booking_code(), "citizen_id": citizen.id, "slot_id": slot.id,
            "place_id": slot.place_id, "item_id": item.id, "help_type": help_type,
            "note": note, "status": "booked", "created_at": now}]).one()
    except IntegrityError:
        # The partial unique index is the backstop (a code clash is 1 in 10^12).
        session.rollback()
        raise DuplicateBooking()
    for name, value in (("citizen", citizen), ("slot", slot), ("place", slot.place),
                        ("item", item)):
        set_committed_value(booking, name, value)
    return booking


def get_own_booking(session: Session, citizen: Citizen, code: str) -> Booking:
    booking = session.scalar(select(Booking).where(Booking.code == code.upper()))
    if booking is None or booking.citizen_id != citizen.id:
        raise NotFound("未找到该预约", {"booking": code})
    return booking


def list_bookings(session: Session, citizen: Citizen) -> list[Booking]:
    return list(session.scalars(select(Booking).where(Booking.citizen_id == citizen.id)
                                .order_by(Booking.created_at.desc(), Booking.id.desc())))


def _lock_booking(session: Session, booking: Booking) -> None:
    session.execute(select(Booking.id).where(Booking.id == booking.id).with_for_update())
    session.refresh(booking)


def cancel(session: Session, booking: Booking, now: datetime, rules: BookingRules) -> Booking:
    _lock_booking(session, booking)
    if booking.status != "booked":
        raise InvalidState("该预约当前不能取消", {"status": booking.status})
    if slot_start(booking.slot, now.tzinfo) - timedelta(minutes=rules.cancel_minutes) < now:
        raise TooLate(f"开始前{rules.cancel_minutes}分钟内不能取消预约")
    _set_cancelled(session, booking, "citizen", None, now)
    return booking


def cancel_by_hall(session: Session, booking: Booking, reason: str, now: datetime) -> Booking:
    _set_cancelled(session, booking, "hall", reason, now)
    return booking


def _set_cancelled(session: Session, booking: Booking, by: str, reason: str | None,
                   now: datetime) -> None:
    # Conditional on the status, so that two cancels racing release the seat once.
    changed = session.execute(
        update(Booking).where(Booking.id == booking.id, Booking.status == "booked")
        .values(status="cancelled", cancelled_at=now, cancelled_by=by, cancel_reason=reason)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise InvalidState("该预约当前不能取消")
    _release(session, booking.slot_id)
    session.expire(booking)


def reschedule(session: Session, booking: Booking, new_slot_id: int, now: datetime,
               rules: BookingRules) -> Booking:
    """Move a booking; the old seat is freed only if the new one is taken (one transaction)."""
    _lock_booking(session, booking)
    if booking.status != "booked":
        raise InvalidState("该预约当前不能改约", {"status": booking.status})
    if slot_start(booking.slot, now.tzinfo) - timedelta(minutes=rules.cancel_minutes) < now:
        raise TooLate(f"开始前{rules.cancel_minutes}分钟内不能改约")
    if new_slot_id == booking.slot_id:
        raise InvalidInput("新时段与原时段相同", {"slot": ["请选择其他时段"]})
    new_slot = _bookable_slot(session, new_slot_id, now, rules)
    if new_slot.place_id != booking.place_id:
        raise InvalidInput("只能改约到同一场所的时段", {"slot": ["场所不同"]})
    if _holdings(session, booking.citizen, new_slot, now)[1]:
        raise DuplicateBooking("您已预约该时段")
    old_slot_id = booking.slot_id
    # Touch the two slot rows in id order, so that two reschedules crossing each other's slots
    # wait for one another instead of deadlocking; a failed claim rolls the release back.
    for slot_id in sorted((old_slot_id, new_slot.id)):
        if slot_id == new_slot.id:
            _claim(session, new_slot)
        else:
            _release(session, old_slot_id)
    booking.slot = new_slot
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise DuplicateBooking("您已预约该时段")
    return booking


def staff_can_serve(staff: Staff, place_id: int) -> bool:
    if staff.role == "district_admin":
        return True
    return staff.role in ("agent", "place_manager") and place_id in staff.place_ids


def check_in(session: Session, staff: Staff, code: str, now: datetime,
             rules: BookingRules) -> Booking:
    booking = session.scalar(select(Booking).where(Booking.code == code.strip().upper()))
    if booking is None or not staff_can_serve(staff, booking.place_id):
        if booking is not None and staff.role == "inspector":
            raise Forbidden("督查人员不能办理签到")
        raise NotFound("未找到该预约", {"booking": code})
    _lock_booking(session, booking)
    if booking.status != "booked":
        raise InvalidState(f"该预约{booking.status_label}，不能签到", {"status": booking.status})
    start = slot_start(booking.slot, now.tzinfo)
    # From `check_in_early_minutes` before the start, but never before the slot's own day.
    opens = max(start - timedelta(minutes=rules.check_in_early_minutes),
                datetime.combine(booking.slot.date, datetime.min.time(), now.tzinfo))
    closes = slot_end(booking.slot, now.tzinfo) + timedelta(minutes=rules.no_show_after_minutes)
    if not opens <= now < closes:
        raise InvalidState(
            f"只能在预约当天、开始前{rules.check_in_early_minutes}分钟起至结束后"
            f"{rules.no_show_after_minutes}分钟内签到",
            {"opens_at": opens.isoformat(), "closes_at": closes.isoformat()})
    booking.status, booking.checked_in_at, booking.checked_in_by = "checked_in", now, staff
    session.flush()
    return booking


def mark_no_shows(session: Session, now: datetime, rules: BookingRules) -> list[Booking]:
    """Bookings not checked in by `no_show_after_minutes` after their slot ends become no-shows;
    a citizen reaching the limit within the lookback is blocked. Safe to run twice."""
    cutoff = now - timedelta(minutes=rules.no_show_after_minutes)
    candidates = session.scalars(select(Booking).join(Slot).where(
        Booking.status == "booked", Slot.date <= cutoff.date())).all()
    marked = []
    for booking in candidates:
        if slot_end(booking.slot, now.tzinfo) > cutoff:
            continue
        changed = session.execute(
            update(Booking).where(Booking.id == booking.id, Booking.status == "booked")
            .values(status="no_show", no_show_at=now)
            .execution_options(synchronize_session=False)).rowcount
        if changed:
            session.expire(booking)
            marked.append(booking)
    since = now - timedelta(days=rules.no_show_lookback_days)
    for citizen in {b.citizen for b in marked}:
        count = session.scalar(select(func.count(Booking.id)).where(
            Booking.citizen_id == citizen.id, Booking.status == "no_show",
            Booking.no_show_at >= since))
        if count >= rules.no_show_limit:
            citizen.blocked_until = now + timedelta(days=rules.no_show_block_days)
    session.flush()
    return marked
