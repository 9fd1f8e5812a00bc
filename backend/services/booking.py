"""Booking rules (docs/domain.md "Appointments"). Capacity is claimed with one conditional UPDATE in
the same transaction as the booking row; the CHECK constraint and the partial unique index on
bookings are the database's backstops. Every statement here that changes a slot's seats tells
the slot listing's cache (`slots_changed`), which refreshes the place's listings on commit."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Callable, Mapping, NamedTuple, NoReturn

from sqlalchemy import (
    Boolean, Connection, and_, bindparam, case, exists, func, insert, or_, select, update,
)
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, selectinload

from ..infrastructure.audit import record
from ..infrastructure.slot_listings import slots_changed
from ..errors import (
    DomainError, Forbidden, InvalidInput, InvalidState, NotFound, Unauthorized,
)
from ..models import (
    ACTIVE_BOOKING, BOOKING_STATUSES, HELP_TYPE_FLAGS, HELP_TYPES, SLOT_KINDS, Booking,
    Citizen, Place, ServiceItem, Slot, Staff, help_types_of, item_place,
)
from . import notifications, scope, special_groups
from .queue import tickets as queue_tickets
from .paging import paginate

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
    reserved_release_hours: int = 24
    special_group_age: int = 60

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
            reserved_release_hours=config["RESERVED_RELEASE_HOURS"],
            special_group_age=config["SPECIAL_GROUP_AGE"],
        )


def slot_start(slot: Slot, tz: tzinfo) -> datetime:
    return datetime.combine(slot.date, slot.start_time, tz)


def slot_end(slot: Slot, tz: tzinfo) -> datetime:
    return datetime.combine(slot.date, slot.end_time, tz)


def new_booking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# The booking path's statements, built once with bound parameters (SQLAlchemy caches their
# compiled form). Every booking runs them, so they are Core statements on the tables that return
# only the columns used, with no ORM state to load or flush. A booking that passes is two
# statements: the claim, which checks everything about the slot, the item and the citizen and
# locks the citizen, then the insert, which checks the citizen's bookings. Only a refusal reads
# more, to say why.
#
# One citizen's bookings are made one at a time, so that the bookings the insert counts are all
# committed ones: on PostgreSQL the claim locks the citizen's row and the insert, a later
# statement, reads a fresh snapshot once the lock is held. SQLite has no row locks and needs
# none: the claim is the transaction's first write, so what follows runs under the database's
# one write lock.
_slot_t, _booking_t, _citizen_t = Slot.__table__, Booking.__table__, Citizen.__table__
_place_t, _item_t = Place.__table__, ServiceItem.__table__

def starts_from(open_date, open_time):
    """Slots starting on `open_date` at `open_time` or later: the ones still open for booking
    when those come from `earliest_open_start` (values or bound parameters)."""
    return or_(_slot_t.c.date > open_date,
               and_(_slot_t.c.date == open_date, _slot_t.c.start_time >= open_time))


# The seat pools (models.SEAT_POOLS, docs/domain.md "Seats kept offline"). A slot's reserved
# seats are released to everyone once it starts within RESERVED_RELEASE_HOURS (bound parameters
# `release_date`, `release_time`: `seat_terms`); `special` says the seats are counted for
# someone in a special group.
_c = _slot_t.c
_OPEN_FREE = (_c.capacity - _c.reserved - _c.walk_in) - (_c.booked - _c.reserved_booked
                                                         - _c.walk_in_booked)
_RESERVED_FREE = _c.reserved - _c.reserved_booked
_RELEASED = or_(_c.date < bindparam("release_date"),
                and_(_c.date == bindparam("release_date"),
                     _c.start_time <= bindparam("release_time")))
_SPECIAL = bindparam("special", type_=Boolean)

# A slot as the API shows it, in the listing and in a booking's answer: `remaining` is what the
# reader may book online (never the walk-in seats), `reserved_remaining` the seats still kept
# for special groups.
SLOT_ROW = (_c.id, _c.date, _c.start_time, _c.end_time, _c.kind, _c.capacity,
            (_OPEN_FREE + case((or_(_SPECIAL, _RELEASED), _RESERVED_FREE), else_=0))
            .label("remaining"),
            case((_RELEASED, 0), else_=_RESERVED_FREE).label("reserved_remaining"))

# Each pool's seat: one conditional UPDATE, taken only if the slot is open and the pool has
# room (reserved: for a special group, or released); no row back: it has not.
_POOLS = {
    "open": (_c.booked - _c.reserved_booked - _c.walk_in_booked
             < _c.capacity - _c.reserved - _c.walk_in, {}),
    "reserved": (and_(_c.reserved_booked < _c.reserved, or_(_SPECIAL, _RELEASED)),
                 {"reserved_booked": _c.reserved_booked + 1}),
    "walk_in": (_c.walk_in_booked < _c.walk_in, {"walk_in_booked": _c.walk_in_booked + 1}),
}
_CLAIM_SEAT = {pool: update(_slot_t)
               .where(_c.id == bindparam("slot_id"), _c.active.is_(True), room)
               .values(booked=_c.booked + 1, **counts).returning(*SLOT_ROW)
               for pool, (room, counts) in _POOLS.items()}
# The pools a booking may draw on, in order. Online, the open seats and then (for a special
# group, or once released) the reserved ones: the hot path asks nothing about the person while
# open seats last. Staff at the hall, who know whom they book for: a special group's reserved
# seats first, then the walk-in seats, then the open ones.
ONLINE_POOLS = ("open", "reserved")
HALL_POOLS = ("reserved", "walk_in", "open")


def seat_terms(now: datetime, rules: BookingRules, special: bool = False) -> dict:
    """The bound parameters of `SLOT_ROW` and of the seat claims."""
    release = now + timedelta(hours=rules.reserved_release_hours)
    return {"release_date": release.date(), "release_time": release.time(),
            "special": special}


def _claim_for_booking(help_type: str | None, pool: str):
    """A seat of `pool` for a new booking, also only if the slot is still open for booking and
    in the window, the place offers the item (with this help type) and the citizen exists and
    is not blocked; it locks the citizen. Returns the slot, its place and the item."""
    item_here = exists().where(
        item_place.c.place_id == _slot_t.c.place_id, item_place.c.item_id == _item_t.c.id,
        _item_t.c.code == bindparam("item_code"),
        *([_item_t.c[HELP_TYPE_FLAGS[help_type]].is_(True)] if help_type else []))
    citizen_free = exists(
        select(_citizen_t.c.id)
        .where(_citizen_t.c.id == bindparam("citizen_id"),
               or_(_citizen_t.c.blocked_until.is_(None),
                   _citizen_t.c.blocked_until <= bindparam("now")))
        .with_for_update())
    item = select(_item_t).where(_item_t.c.code == bindparam("item_code"))
    place = select(_place_t).where(_place_t.c.id == _slot_t.c.place_id)
    return (_CLAIM_SEAT[pool]
            .where(starts_from(bindparam("open_date"), bindparam("open_time")),
                   _slot_t.c.date <= bindparam("last_date"), item_here, citizen_free)
            .returning(
                _slot_t.c.place_id,
                place.with_only_columns(_place_t.c.code).scalar_subquery().label("place_code"),
                place.with_only_columns(_place_t.c.name).scalar_subquery().label("place_name"),
                item.with_only_columns(_item_t.c.id).scalar_subquery().label("item_id"),
                item.with_only_columns(_item_t.c.code).scalar_subquery().label("item_code"),
                item.with_only_columns(_item_t.c.name).scalar_subquery().label("item_name")))


_CLAIM_FOR_BOOKING = {help_type: {pool: _claim_for_booking(help_type, pool)
                                  for pool in ONLINE_POOLS}
                      for help_type in (None, *HELP_TYPES)}

# The citizen's own bookings (aliases: no correlation with the statement around them): those the
# account made for itself, and those made in its ID number's name (by staff, or by a relative's
# account), which are the person's whoever booked them (person_booking). Those the account made
# for a relative are the relative's.
_mine, _mine_slot = _booking_t.alias("mine"), _slot_t.alias("mine_slot")
_MY_KEY = (select(_citizen_t.c.id_number_key).where(_citizen_t.c.id == bindparam("citizen_id"))
           .scalar_subquery())
_IS_MINE = or_(and_(_mine.c.citizen_id == bindparam("citizen_id"),
                    _mine.c.person_id_number_key.is_(None)),
               _mine.c.person_id_number_key == _MY_KEY)
_UPCOMING = (select(func.count(_mine.c.id))
             .select_from(_mine.join(_mine_slot, _mine_slot.c.id == _mine.c.slot_id))
             .where(_IS_MINE, _mine.c.status == "booked",
                    _mine_slot.c.date >= bindparam("today")))
_ON_SLOT = (select(func.count(_mine.c.id))
            .where(_IS_MINE,
                   _mine.c.slot_id == bindparam("slot_id"),
                   # Not IN (...): SQLAlchemy rewrites an IN list's SQL on every execution.
                   or_(*(_mine.c.status == status for status in ACTIVE_BOOKING))))
_HOLDINGS = select(_UPCOMING.scalar_subquery(), _ON_SLOT.scalar_subquery())

# The booking row, written only if the citizen holds no active booking on the slot and stays
# within the limit; no row back: one of those failed.
_BOOKING_COLUMNS = ("code", "citizen_id", "slot_id", "place_id", "item_id", "help_type", "note",
                    "status", "created_at", "seat")
_INSERT_BOOKING = (
    insert(_booking_t)
    .from_select(_BOOKING_COLUMNS,
                 select(*(bindparam(name, type_=_booking_t.c[name].type)
                          for name in _BOOKING_COLUMNS))
                 .where(_ON_SLOT.scalar_subquery() == 0,
                        _UPCOMING.scalar_subquery() < bindparam("limit")))
    .returning(_booking_t.c.id))

# Why a booking was refused: everything the checks need, in one row; no row: no such citizen;
# nulls: no such slot or item.
_BOOKING_CONTEXT = (
    select(_citizen_t.c.blocked_until, _slot_t.c.id, _slot_t.c.date, _slot_t.c.start_time,
           _slot_t.c.capacity, _slot_t.c.booked, _slot_t.c.active,
           _RESERVED_FREE.label("reserved_free"), _RELEASED.label("released"),
           _place_t.c.name.label("place_name"), _item_t.c.id.label("item_id"),
           _item_t.c.name.label("item_name"), _item_t.c.offers_assist, _item_t.c.offers_proxy,
           exists().where(item_place.c.item_id == _item_t.c.id,
                          item_place.c.place_id == _slot_t.c.place_id).label("offered"))
    .select_from(
        _citizen_t
        .outerjoin(_slot_t.join(_place_t, _place_t.c.id == _slot_t.c.place_id),
                   _slot_t.c.id == bindparam("slot_id"))
        .outerjoin(_item_t, _item_t.c.code == bindparam("item_code")))
    .where(_citizen_t.c.id == bindparam("citizen_id")))

# The code of the slot's place: the listing's cache is kept by place code.
_PLACE_CODE = (select(_place_t.c.code).where(_place_t.c.id == _slot_t.c.place_id)
               .scalar_subquery().label("place_code"))
# A booking moved to another slot, only from where and as it was read.
_MOVE = (update(_booking_t)
         .where(_booking_t.c.id == bindparam("booking_id"),
                _booking_t.c.slot_id == bindparam("old_slot_id"), _booking_t.c.status == "booked")
         .values(slot_id=bindparam("new_slot_id")))
# A seat given back to its pool.
_RELEASE = {pool: update(_slot_t).where(_c.id == bindparam("slot_id"), _c.booked > 0,
                                        *([_c[f"{pool}_booked"] > 0] if counts else []))
            .values(booked=_c.booked - 1,
                    **({f"{pool}_booked": _c[f"{pool}_booked"] - 1} if counts else {}))
            .returning(_PLACE_CODE)
            for pool, (_, counts) in _POOLS.items()}
# A seat for a moved booking; no row back: the slot is closed or the pool full.
_CLAIM_MOVED = {pool: claim.returning(_PLACE_CODE) for pool, claim in _CLAIM_SEAT.items()}


def claim_seat(session: Session, statements: Mapping[str, Any], pools: tuple[str, ...],
               params: dict, special: Callable[[], bool]) -> tuple[Row, str] | None:
    """A seat of the first of `pools` that has one for this person, by `statements[pool]` (a
    seat claim, with `params`): the claimed row and its pool, or None. Whether the person is in a
    special group (`special()`, which may read the database) is asked only when the reserved
    pool's turn comes."""
    conn = session.connection()
    for pool in pools:
        if pool == "reserved" and not params["special"]:
            params = {**params, "special": special()}
        row = conn.execute(statements[pool], params).one_or_none()
        if row is not None:
            return row, pool
    return None


def earliest_open_start(now: datetime, rules: BookingRules) -> datetime:
    """Booking closes `close_minutes` before a slot starts: the earliest start still open."""
    return now + timedelta(minutes=rules.close_minutes)


def _check_bookable(slot: Any, slot_id: int, now: datetime, rules: BookingRules) -> None:
    """`slot`: a Slot or a row with its columns (`id` None: no such slot)."""
    if slot is None or slot.id is None or not slot.active:
        raise NotFound("未找到该时段", {"slot": slot_id})
    if slot_start(slot, now.tzinfo) < earliest_open_start(now, rules):
        raise TooLate(f"该时段已截止预约（开始前{rules.close_minutes}分钟截止）")
    if slot.date > now.date() + timedelta(days=rules.window_days):
        raise OutsideBookingWindow(f"只能预约{rules.window_days}天内的时段")


def _bookable_slot(session: Session, slot_id: int, now: datetime, rules: BookingRules) -> Slot:
    slot = session.get(Slot, slot_id)
    _check_bookable(slot, slot_id, now, rules)
    return slot


def _release(session: Session, slot_id: int, pool: str) -> None:
    place_code = session.connection().execute(_RELEASE[pool], {"slot_id": slot_id}).scalar()
    if place_code is not None:
        slots_changed(session, place_code)


class Ref(NamedTuple):
    code: str
    name: str


@dataclass(frozen=True)
class NewBooking:
    """A booking as `book` wrote it, with its slot (the claim's row, a `SLOT_ROW` and more),
    place and item: what the answer shows. Load the `Booking` by id to change it."""
    id: int
    code: str
    citizen_id: int
    slot: Row
    place: Ref
    item: Ref
    help_type: str | None
    note: str | None
    created_at: datetime
    status: str = "booked"
    cancelled_at: datetime | None = None
    cancelled_by: str | None = None
    cancel_reason: str | None = None
    checked_in_at: datetime | None = None
    for_person: Any = None  # the citizen's own booking: made for nobody else
    seat: str = "open"
    ticket: Any = None  # a new booking is not checked in yet

    @property
    def status_label(self) -> str:
        return BOOKING_STATUSES[self.status]


def book(session: Session, citizen_id: int, slot_id: int, item_code: str,
         help_type: str | None, note: str | None, now: datetime,
         rules: BookingRules) -> NewBooking:
    """Book a seat for the citizen."""
    # Core statements on the session's connection: nothing of the ORM's to flush or load.
    conn = session.connection()
    open_from = earliest_open_start(now, rules)
    # The slot's row is locked from the claim to the commit: claim, insert, done.
    params = {"slot_id": slot_id, "citizen_id": citizen_id, "item_code": item_code, "now": now,
              "open_date": open_from.date(), "open_time": open_from.time(),
              "last_date": now.date() + timedelta(days=rules.window_days),
              **seat_terms(now, rules)}
    claims, seat = _CLAIM_FOR_BOOKING[help_type], "open"
    claimed = conn.execute(claims[seat], params).one_or_none()
    if claimed is None:
        # No open seat taken: what the refusal reads anyway says whether reserved seats are
        # left, and only then is the citizen asked about (ONLINE_POOLS' second pool).
        ctx = _refusal_context(conn, citizen_id, slot_id, item_code, now, rules)
        special = False
        if ctx is not None and (ctx.reserved_free or 0) > 0:
            special = special_groups.citizen_is_special(session, citizen_id, now.date(),
                                                        rules.special_group_age)
            if special or ctx.released:
                seat = "reserved"
                claimed = conn.execute(claims[seat], {**params, "special": special}
                                       ).one_or_none()
        if claimed is None:
            _refuse_with(ctx, slot_id, item_code, help_type, now, rules, special)
    slots_changed(session, claimed.place_code)
    code = new_booking_code()
    try:
        booking_id = conn.execute(_INSERT_BOOKING, {
            "code": code, "citizen_id": citizen_id, "slot_id": slot_id,
            "place_id": claimed.place_id, "item_id": claimed.item_id, "help_type": help_type,
            "note": note, "status": "booked", "created_at": now, "seat": seat,
            "today": now.date(), "limit": rules.max_active}).scalar()
    except IntegrityError:
        # The partial unique index is the backstop (a code clash is 1 in 10^12); the unit of
        # work rolls the claim back with the rest.
        raise DuplicateBooking()
    if booking_id is None:
        upcoming, on_slot = conn.execute(_HOLDINGS, {
            "citizen_id": citizen_id, "slot_id": slot_id, "today": now.date()}).one()
        if on_slot:
            raise DuplicateBooking()
        raise BookingLimit(f"每人最多同时持有{rules.max_active}个有效预约")
    return NewBooking(id=booking_id, code=code, citizen_id=citizen_id, slot=claimed,
                      place=Ref(claimed.place_code, claimed.place_name),
                      item=Ref(claimed.item_code, claimed.item_name),
                      help_type=help_type, note=note, created_at=now, seat=seat)


def _refusal_context(conn: Connection, citizen_id: int, slot_id: int, item_code: str,
                     now: datetime, rules: BookingRules) -> Row | None:
    return conn.execute(_BOOKING_CONTEXT, {"citizen_id": citizen_id, "slot_id": slot_id,
                                           "item_code": item_code,
                                           **seat_terms(now, rules)}).one_or_none()


def _refuse(conn: Connection, citizen_id: int, slot_id: int, item_code: str,
            help_type: str | None, now: datetime, rules: BookingRules) -> NoReturn:
    """The claim took no seat: say why. It decided on the same conditions; these check them
    one by one, in the order a citizen should hear them."""
    _refuse_with(_refusal_context(conn, citizen_id, slot_id, item_code, now, rules), slot_id,
                 item_code, help_type, now, rules)


def _refuse_with(ctx: Row | None, slot_id: int, item_code: str, help_type: str | None,
                 now: datetime, rules: BookingRules, special: bool = False) -> NoReturn:
    if ctx is None:
        raise Unauthorized("登录凭证无效，请重新登录")
    if ctx.blocked_until and ctx.blocked_until > now:
        until = ctx.blocked_until.astimezone(now.tzinfo).strftime("%Y-%m-%d")
        raise BookingBlocked(f"因多次预约未到，{until}前暂时无法预约",
                             {"blocked_until": ctx.blocked_until.isoformat()})
    _check_bookable(ctx, slot_id, now, rules)
    if ctx.item_id is None:
        raise InvalidInput("未找到该事项", {"item": [f"未知的事项编码 {item_code}"]})
    if not ctx.offered:
        raise InvalidInput("该场所不办理此事项",
                           {"item": [f"{ctx.place_name}不办理{ctx.item_name}"]})
    offered_help = help_types_of(ctx)
    if help_type is not None and help_type not in offered_help:
        raise InvalidInput("该事项不提供此服务方式", {"help_type": [f"可选：{offered_help}"]})
    if ctx.reserved_free > 0 and not ctx.released and not special:
        raise SlotFull(f"该时段余下号源为老年人、残疾人等特殊群体保留，开始前"
                       f"{rules.reserved_release_hours}小时起向所有人开放",
                       {"reserved_remaining": ctx.reserved_free})
    raise SlotFull()


def get_own_booking(session: Session, citizen: Citizen, code: str) -> Booking:
    booking = session.scalar(select(Booking).where(Booking.code == code.upper()))
    if booking is None or booking.citizen_id != citizen.id:
        raise NotFound("未找到该预约", {"booking": code})
    return booking


def list_bookings(session: Session, citizen: Citizen, page: int = 1, per_page: int = 20
                  ) -> tuple[list[Booking], int]:
    """The citizen's bookings, newest first: one page, and how many there are in all. Those the
    account made (for itself or for a relative), and those made in its name and ID number by
    staff or by a relative's account."""
    mine = Booking.citizen_id == citizen.id
    if citizen.id_number_key and citizen.name:
        mine = or_(mine, and_(Booking.person_id_number_key == citizen.id_number_key,
                              Booking.person_name == citizen.name))
    query = select(Booking).where(mine)
    return paginate(session, query.order_by(Booking.created_at.desc(), Booking.id.desc()),
                    page, per_page)


def _lock_booking(session: Session, booking: Booking) -> None:
    session.execute(select(Booking.id).where(Booking.id == booking.id).with_for_update())
    session.refresh(booking)


def cancel(session: Session, booking: Booking, now: datetime, rules: BookingRules,
           reason: str | None = None) -> Booking:
    """The booking's holder cancels it (themselves, or through staff: `reason` says so)."""
    _lock_booking(session, booking)
    if booking.status != "booked":
        raise InvalidState("该预约当前不能取消", {"status": booking.status})
    if slot_start(booking.slot, now.tzinfo) - timedelta(minutes=rules.cancel_minutes) < now:
        raise TooLate(f"开始前{rules.cancel_minutes}分钟内不能取消预约")
    _set_cancelled(session, booking, "citizen", reason, now)
    return booking


def cancel_by_hall(session: Session, booking: Booking, reason: str, now: datetime) -> Booking:
    _set_cancelled(session, booking, "hall", reason, now)
    notifications.queue_hall_cancellation(session, booking, reason, now)
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
    record(session, "booking", booking.code, {
        "status": ["booked", "cancelled"], "cancelled_at": [None, now], "cancelled_by": [None, by],
        "cancel_reason": [None, reason]}, place_id=booking.place_id)
    _release(session, booking.slot_id, booking.seat)
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
    conn = session.connection()
    old_slot_id = booking.slot_id
    # The move is the first write, and only from where and as the booking was read: of two moves
    # of one booking only one passes (on PostgreSQL the booking's row is locked already; SQLite
    # has no row locks, and this takes its write lock). The partial unique index refuses a slot
    # the citizen already holds. Moving never changes how many bookings the citizen holds.
    try:
        moved = conn.execute(_MOVE, {"booking_id": booking.id, "old_slot_id": old_slot_id,
                                     "new_slot_id": new_slot.id}).rowcount
    except IntegrityError:
        raise DuplicateBooking("您已预约该时段")
    if moved != 1:
        raise InvalidState("该预约当前不能改约")
    old_seat, seat = booking.seat, None
    # Then the two slot rows, in id order, so that two reschedules crossing each other's slots
    # wait for one another instead of deadlocking; a failed claim rolls everything back. The new
    # seat comes from the pools its holder may use, as a new booking's would.
    for slot_id in sorted((old_slot_id, new_slot.id)):
        if slot_id == old_slot_id:
            _release(session, old_slot_id, old_seat)
        else:
            claim = claim_seat(
                session, _CLAIM_MOVED,
                HALL_POOLS if booking.booked_by_id is not None else ONLINE_POOLS,
                {"slot_id": new_slot.id, **seat_terms(now, rules)},
                lambda: special_groups.holder_is_special(session, booking, now.date(),
                                                         rules.special_group_age))
            if claim is None:
                raise SlotFull()
            claimed, seat = claim
            slots_changed(session, claimed.place_code)
    changes = {"slot_id": [old_slot_id, new_slot.id]}
    if seat != old_seat:
        conn.execute(update(_booking_t).where(_booking_t.c.id == booking.id).values(seat=seat))
        changes["seat"] = [old_seat, seat]
    record(session, "booking", booking.code, changes, place_id=booking.place_id)
    session.expire(booking)
    session.expire(new_slot, ["booked", "reserved_booked", "walk_in_booked"])
    return booking


@dataclass(frozen=True)
class FloorFilter:
    day: date
    place: str | None = None
    kind: str | None = None
    status: str | None = None
    page: int = 1
    per_page: int = 20


def list_floor_bookings(session: Session, staff: Staff, filters: FloorFilter
                        ) -> tuple[list[Booking], int]:
    """The bookings of a day at the places the staff member may see, by slot start: the list
    the floor checks in from."""
    query = select(Booking).join(Slot, Slot.id == Booking.slot_id).where(
        Slot.date == filters.day, scope.bookings(staff))
    if filters.place:
        place_id = session.scalar(select(Place.id).where(Place.code == filters.place))
        if place_id is None:
            raise InvalidInput("未知的服务场所", {"place": [f"未知的场所编码 {filters.place}"]})
        query = query.where(Booking.place_id == place_id)
    if filters.kind:
        query = query.where(Slot.kind == filters.kind)
    if filters.status:
        query = query.where(Booking.status == filters.status)
    query = query.options(selectinload(Booking.citizen), contains_eager(Booking.slot),
                          selectinload(Booking.item), selectinload(Booking.place))
    return paginate(session, query.order_by(Slot.start_time, Booking.place_id,
                                            Booking.created_at, Booking.id),
                    filters.page, filters.per_page)


def check_in(session: Session, staff: Staff, code: str, now: datetime,
             rules: BookingRules) -> Booking:
    booking = session.scalar(select(Booking).where(Booking.code == code.strip().upper(),
                                                   scope.bookings(staff)))
    if booking is None:
        raise NotFound("未找到该预约", {"booking": code})
    if staff.role in scope.READ_ONLY_ROLES:
        raise Forbidden("督查人员不能办理签到")
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
    # Checked in, the booking takes its place in the hall's queue (if the place has one for
    # its item), ahead of walk-ins once its slot has begun.
    queue_tickets.from_booking(session, booking, staff, now, rules.special_group_age)
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
        if _set_no_show(session, booking, now):
            marked.append(booking)
    _block_repeated_no_shows(session, _holders(session, marked), now, rules)
    session.flush()
    return marked


def _holders(session: Session, bookings: list[Booking]) -> set[Citizen]:
    """The accounts whose no-shows these are: a citizen's own booking's account, and for a
    booking made in a person's name (by staff, or by a relative's account) the accounts holding
    that person's ID number, if any (a person without one is held to the limit when booked for
    again: person_booking)."""
    holders = {b.citizen for b in bookings
               if b.person_id_number_key is None and b.citizen is not None}
    keys = {b.person_id_number_key for b in bookings if b.person_id_number_key is not None}
    if keys:
        holders.update(session.scalars(select(Citizen).where(Citizen.id_number_key.in_(keys))))
    return holders


def _set_no_show(session: Session, booking: Booking, now: datetime) -> bool:
    # Conditional on the status: of two hands marking one booking, one does.
    changed = session.execute(
        update(Booking).where(Booking.id == booking.id, Booking.status == "booked")
        .values(status="no_show", no_show_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if changed:
        record(session, "booking", booking.code, {"status": ["booked", "no_show"],
                                                  "no_show_at": [None, now]},
               place_id=booking.place_id)
        session.expire(booking)
    return bool(changed)


def _block_repeated_no_shows(session: Session, citizens, now: datetime,
                             rules: BookingRules) -> None:
    """A citizen reaching the no-show limit within the lookback cannot book for a while."""
    since = now - timedelta(days=rules.no_show_lookback_days)
    for citizen in citizens:
        # The citizen's no-shows: its own bookings', and those of bookings made in its name.
        mine = and_(Booking.citizen_id == citizen.id, Booking.person_id_number_key.is_(None))
        if citizen.id_number_key:
            mine = or_(mine, Booking.person_id_number_key == citizen.id_number_key)
        count = session.scalar(select(func.count(Booking.id)).where(
            mine, Booking.status == "no_show", Booking.no_show_at >= since))
        if count >= rules.no_show_limit:
            citizen.blocked_until = now + timedelta(days=rules.no_show_block_days)


def floor_booking(session: Session, staff: Staff, code: str, acting: str) -> Booking:
    """A booking at the staff member's places, by code, for the floor to act on."""
    booking = session.scalar(select(Booking).where(Booking.code == code.strip().upper(),
                                                   scope.bookings(staff)))
    if booking is None:
        raise NotFound("未找到该预约", {"booking": code})
    if staff.role in scope.READ_ONLY_ROLES:
        raise Forbidden(f"督查人员不能{acting}")
    return booking


def mark_no_show(session: Session, staff: Staff, code: str, now: datetime,
                 rules: BookingRules) -> Booking:
    """The floor marks one booking a no-show, on the terms of `mark_no_shows`: once its check-in
    time is over (`no_show_after_minutes` after the slot ends) and it is still not checked in."""
    booking = floor_booking(session, staff, code, "标记未到")
    _lock_booking(session, booking)
    if booking.status != "booked":
        raise InvalidState(f"该预约{booking.status_label}，不能标记未到", {"status": booking.status})
    closes = slot_end(booking.slot, now.tzinfo) + timedelta(minutes=rules.no_show_after_minutes)
    if now < closes:
        raise InvalidState(f"签到截止（时段结束后{rules.no_show_after_minutes}分钟）之前不能标记未到",
                           {"closes_at": closes.isoformat()})
    if not _set_no_show(session, booking, now):  # taken by another hand meanwhile
        raise InvalidState("该预约当前不能标记未到")
    _block_repeated_no_shows(session, _holders(session, [booking]), now, rules)
    session.flush()
    return booking


@dataclass(frozen=True)
class FloorSession:
    """One session (a place's slots of one kind) of a day: what the floor plans with."""
    place_code: str
    place_name: str
    kind: str
    first_start: Any
    last_end: Any
    slots: int
    capacity: int
    booked: int
    checked_in: int

    @property
    def kind_label(self) -> str:
        return SLOT_KINDS[self.kind]


def floor_sessions(session: Session, staff: Staff, day: date, place: str | None = None
                   ) -> list[FloorSession]:
    """The day's sessions (regular, extended, weekend, holiday) at the places the staff member
    may see: booked / capacity / checked in, counted in SQL."""
    checked_in = (select(func.count(Booking.id)).where(Booking.slot_id == Slot.id,
                                                       Booking.status == "checked_in")
                  .correlate(Slot).scalar_subquery())
    query = (select(Place.code, Place.name, Slot.kind, func.min(Slot.start_time),
                    func.max(Slot.end_time), func.count(Slot.id), func.sum(Slot.capacity),
                    func.sum(Slot.booked), func.sum(checked_in))
             .join(Place, Place.id == Slot.place_id)
             .where(Slot.date == day, Slot.active.is_(True), scope.in_own_places(staff, Slot.place_id))
             .group_by(Place.code, Place.name, Slot.kind).order_by(Place.code, func.min(Slot.start_time)))
    if place:
        query = query.where(Place.code == place)
    return [FloorSession(*row) for row in session.execute(query)]
