"""Slots: generated ahead from schedule rules, the statutory calendar and the rota."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.schedules import ROTA_KINDS, serves
from ..errors import InvalidInput, NotFound
from ..models import Booking, Place, RotaEntry, ScheduleRule, Slot
from .booking import (
    SLOT_ROW, BookingRules, cancel_by_hall, earliest_open_start, seat_terms, slot_start,
    starts_from,
)
from . import scope
from .calendar import load_calendar

# Why the hall withdrew a booked slot, as the citizen reads it on the booking.
HALL_CANCEL_REASON = "服务时段调整，该时段不再开放"
ROTA_CANCEL_REASON = "值班安排调整，当日该时段无工作人员值班，不再开放"


@dataclass
class GenerationResult:
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    bookings_cancelled: int = 0

    def summary(self) -> str:
        return (f"新增时段 {self.created}，更新 {self.updated}，撤下 {self.withdrawn}，"
                f"因调整取消预约 {self.bookings_cancelled}")


def _periods(rule: ScheduleRule):
    start = datetime.combine(date.min, rule.start_time)
    end = datetime.combine(date.min, rule.end_time)
    step = timedelta(minutes=rule.slot_minutes)
    while start + step <= end:
        yield start.time(), (start + step).time()
        start += step


SlotKey = tuple[int, date, time]  # (place, date, start)


def wanted_slots(session: Session, first: date, last: date, place_ids: set[int] | None = None
                 ) -> tuple[dict[SlotKey, dict], set[SlotKey]]:
    """The slots the rules, calendar and rota call for, by key; and the keys of the off-hours
    slots the rules call for but no one on the rota staffs."""
    calendar = load_calendar(session)
    rules_query = select(ScheduleRule)
    rota_query = select(RotaEntry.place_id, RotaEntry.date).where(
        RotaEntry.date.between(first, last))
    if place_ids is not None:
        rules_query = rules_query.where(ScheduleRule.place_id.in_(place_ids))
        rota_query = rota_query.where(RotaEntry.place_id.in_(place_ids))
    rules_by_place: dict[int, list[ScheduleRule]] = defaultdict(list)
    for rule in session.scalars(rules_query):
        rules_by_place[rule.place_id].append(rule)
    on_duty = {(place_id, day) for place_id, day in session.execute(rota_query)}

    wanted, unstaffed = {}, set()
    for offset in range((last - first).days + 1):
        day = calendar.day(first + timedelta(days=offset))
        for place_id, rules in rules_by_place.items():
            for rule in rules:
                if not serves(rule, day):
                    continue
                staffed = rule.kind not in ROTA_KINDS or (place_id, day.date) in on_duty
                for start, end in _periods(rule):
                    if staffed:
                        wanted[(place_id, day.date, start)] = dict(
                            end_time=end, kind=rule.kind, capacity=rule.capacity,
                            reserved=rule.reserved, walk_in=rule.walk_in)
                    else:
                        unstaffed.add((place_id, day.date, start))
    return wanted, unstaffed - wanted.keys()


def generate_slots(session: Session, now: datetime, days: int,
                   place_ids: set[int] | None = None) -> GenerationResult:
    """Make the slots of the window [today, today + days] match the rules. Idempotent.

    A slot is never shrunk below what is booked; a booked slot that has not started and no
    longer fits is withdrawn, and its bookings are cancelled by the hall with a recorded reason."""
    today = now.date()
    last = today + timedelta(days=days)
    wanted, unstaffed = wanted_slots(session, today, last, place_ids)
    query = select(Slot).where(Slot.date.between(today, last))
    if place_ids is not None:
        query = query.where(Slot.place_id.in_(place_ids))
    existing = {(s.place_id, s.date, s.start_time): s for s in session.scalars(query)}
    result = GenerationResult()

    for key, values in wanted.items():
        slot = existing.get(key)
        if slot is None:
            session.add(Slot(place_id=key[0], date=key[1], start_time=key[2], booked=0,
                             active=True, **values))
            result.created += 1
            continue
        # No pool shrinks below what it has booked.
        reserved = max(values["reserved"], slot.reserved_booked)
        walk_in = max(values["walk_in"], slot.walk_in_booked)
        open_booked = slot.booked - slot.reserved_booked - slot.walk_in_booked
        capacity = max(values["capacity"], reserved + walk_in + open_booked)
        current = (slot.end_time, slot.kind, slot.capacity, slot.reserved, slot.walk_in,
                   slot.active)
        if current != (values["end_time"], values["kind"], capacity, reserved, walk_in, True):
            (slot.end_time, slot.kind, slot.capacity, slot.reserved, slot.walk_in,
             slot.active) = (values["end_time"], values["kind"], capacity, reserved, walk_in,
                             True)
            result.updated += 1

    withdrawn = {s.id: key for key, s in existing.items()
                 if key not in wanted and s.active and slot_start(s, now.tzinfo) > now}
    if withdrawn:
        bookings = session.scalars(select(Booking).where(
            Booking.slot_id.in_(withdrawn), Booking.status == "booked").order_by(Booking.id))
        for booking in bookings:
            reason = (ROTA_CANCEL_REASON if withdrawn[booking.slot_id] in unstaffed
                      else HALL_CANCEL_REASON)
            cancel_by_hall(session, booking, reason, now)
            result.bookings_cancelled += 1
        for key in withdrawn.values():
            existing[key].active = False
            result.withdrawn += 1
    session.flush()
    return result


def list_slots(session: Session, place_code: str, first: date | None, last: date | None,
               now: datetime, rules: BookingRules, max_days: int, special: bool = False) -> list:
    """The slots of a place from `first` to `last` (by default today to the end of the booking
    window) still open for booking (see `earliest_open_start`), as `SLOT_ROW`s, from one indexed
    query: the page every citizen opens. `special`: the seats are counted for a reader in a
    special group (the reserved seats are theirs to book)."""
    first = first or now.date()
    last = last or now.date() + timedelta(days=rules.window_days)
    open_from = earliest_open_start(now, rules)
    if last < first:
        raise InvalidInput("结束日期不能早于开始日期", {"to": ["早于 from"]})
    if (last - first).days > max_days:
        raise InvalidInput(f"一次最多查询{max_days + 1}天", {"to": ["日期范围过长"]})
    rows = session.execute(
        select(*SLOT_ROW).join(Place, Place.id == Slot.place_id)
        .where(Place.code == place_code, Slot.date.between(first, last), Slot.active.is_(True),
               starts_from(open_from.date(), open_from.time()))
        .order_by(Slot.date, Slot.start_time), seat_terms(now, rules, special)).all()
    if not rows and session.scalar(select(Place.id).where(Place.code == place_code)) is None:
        raise NotFound("未找到该服务场所", {"place": place_code})
    return rows


T = TypeVar("T")


@dataclass
class Regenerated(Generic[T]):
    """What a change that the slots follow did: the change's own result, and the slots'."""
    change: T
    slots: GenerationResult


def change_and_regenerate(session: Session, actor: scope.Actor, change: Callable[[Session], T],
                          now: datetime, days: int, place_ids: set[int] | None = None
                          ) -> Regenerated[T]:
    """One operation for every change the slots follow (a catalogue file, a place's schedule,
    the rota, the calendar): `change(session)` (a service call that checks its own actor), then
    the slots of `place_ids` (None: every place) regenerated for the window, which withdraws the
    booked slots that no longer fit and has the hall cancel their bookings.

    The actor must run every place regenerated: a place's runners for theirs, the district or
    the system for all. The catalogue import, the command line and the admin call this alike;
    its preview is the same call in `uow.preview`, which rolls everything back."""
    if place_ids is None:
        scope.require_role(actor, scope.DISTRICT_ADMINS, "只有区政务服务管理办可以调整全区的预约时段")
    else:
        for place in session.scalars(select(Place).where(Place.id.in_(place_ids))):
            scope.require_manages(actor, place)
    outcome = change(session)
    return Regenerated(outcome, generate_slots(session, now, days, place_ids))
