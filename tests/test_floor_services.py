"""Who may change the floor and the catalogue, asked of the services themselves
(docs/architecture.md "Services take the actor and refuse", habit 9).

Every service that changes the rota, a place's schedule, stations, items, the catalogue file, the
calendar notice or announcements is called directly by every kind of actor: an agent of the
hall, the hall's manager, the town's manager, a district admin, an inspector and the system (the
commands and jobs). A refusal raises the domain error of the table and writes nothing (every row
of every table, flushed or not, is the same after); a permitted call does its work.

Then the one operation a change the slots follow goes through (`slots.change_and_regenerate`)
and its preview (`uow.preview`): the preview reports the bookings the change would cancel and
leaves everything as it was; the operation itself cancels them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Callable

import pytest
from sqlalchemy import func, select

from backend import uow
from backend.errors import DomainError, Forbidden, NotFound
from backend.models import (
    Announcement, Booking, CalendarOverride, Department, Notification, Place, RotaEntry,
    ScheduleRule, ServiceItem, Slot, Staff, Station,
)
from backend.services import catalog
from backend.services.announcements import (
    AnnouncementInput, create_announcement, end_announcement, update_announcement,
)
from backend.services.calendar import import_calendar
from backend.services.scope import SYSTEM
from backend.services.slots import ROTA_CANCEL_REASON, change_and_regenerate, generate_slots
from tests.helpers import every_row

D = date.fromisoformat
TODAY = D("2026-11-30")  # the clock's Monday; 12-05 and 12-12 are Saturdays
WINDOW = 14
CATALOG = {
    "places": [{"code": "HALL", "name": "区政务服务中心", "level": "district"},
               {"code": "TOWN", "name": "城东街道便民服务中心", "level": "town", "parent": "HALL"}],
    "departments": [{"code": "RSJ", "name": "区人社局"}, {"code": "MZJ", "name": "区民政局"}],
    "stations": [{"place": "HALL", "department": "RSJ"}, {"place": "TOWN", "department": "RSJ"},
                 {"place": "HALL", "department": "MZJ"}],  # MZJ at the hall: no one depends on it
    "items": [{"code": "SB-001", "name": "城乡居民基本养老保险参保登记", "department": "RSJ",
               "category": "社会保险", "commitment_days": 5, "help_types": ["assist"],
               "places": ["HALL", "TOWN"]}],
    "schedules": [{"place": place, "kind": kind, "weekdays": weekdays, "start": start,
                   "end": end, "slot_minutes": 60, "capacity": 2}
                  for place in ("HALL", "TOWN")
                  for kind, weekdays, start, end in (("regular", [1, 2, 3, 4, 5], "09:00", "11:00"),
                                                     ("weekend", [6], "09:00", "11:00"))],
}
# actor label → (username, role, places); "system" is scope.SYSTEM
STAFF = {
    "agent": ("agent-hall", "agent", ("HALL",)),
    "own manager": ("manager-hall", "place_manager", ("HALL",)),
    "other manager": ("manager-town", "place_manager", ("TOWN",)),
    "district admin": ("admin", "district_admin", ()),
    "inspector": ("inspector", "inspector", ()),
}
ACTORS = [*STAFF, "system"]
OK = "ok"
# Expected outcomes by actor.
RUNS_THE_HALL = {"agent": Forbidden, "own manager": OK, "other manager": Forbidden,
                 "district admin": OK, "inspector": Forbidden, "system": OK}
THE_DISTRICT = {"agent": Forbidden, "own manager": Forbidden, "other manager": Forbidden,
                "district admin": OK, "inspector": Forbidden, "system": OK}


@pytest.fixture
def world(session, clock, make_staff):
    """The hall and the town, their schedules and slots, everyone's account, an agent on duty at
    the hall on Saturday 12-05, and an announcement of the hall."""
    catalog.import_catalog(session, SYSTEM, CATALOG, today=TODAY)
    session.commit()
    for username, role, places in STAFF.values():
        make_staff(username, role=role, places=places,
                   department="RSJ" if role == "agent" else None)
    catalog.import_catalog(session, SYSTEM, {"rota": [
        {"place": "HALL", "date": "2026-12-05", "agent": "agent-hall"}]}, today=TODAY)
    generate_slots(session, clock.now(), WINDOW)
    admin = actor_named(session, "district admin")
    create_announcement(session, admin, AnnouncementInput(
        "元旦安排", "元旦期间暂停办理", "HALL", D("2026-12-01"), D("2027-01-03")),
        clock.now(), TODAY)
    session.commit()
    return session


def actor_named(session, label: str):
    if label == "system":
        return SYSTEM
    return session.scalar(select(Staff).where(Staff.username == STAFF[label][0]))


def place(session, code: str) -> Place:
    return session.scalar(select(Place).where(Place.code == code))


def snapshot(session) -> dict:
    """Every row of every table as this session sees it (its pending writes flushed first)."""
    session.flush()
    return every_row(session)


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


# The services, each called on the hall (or the district's catalogue), and what it did ----------

@dataclass(frozen=True)
class Call:
    run: Callable  # (session, actor, now) → anything
    done: Callable  # (session) → bool: the work is there
    table: dict


def _rota_entry(session) -> RotaEntry:
    return session.scalar(select(RotaEntry).where(RotaEntry.date == D("2026-12-05")))


def _hall_station(session, department: str) -> Station:
    return session.scalar(select(Station).join(Place).join(Department).where(
        Place.code == "HALL", Department.code == department))


def _announcement(session) -> Announcement:
    return session.scalar(select(Announcement))


NEW_ITEM = {"code": "NEW-001", "name": "新事项", "department": "RSJ", "category": "测试",
            "commitment_days": 3, "help_types": ["assist"], "places": ["HALL"]}
NOTICE_2027 = {"year": 2027, "title": "国务院办公厅关于2027年部分节假日安排的通知",
               "holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}],
               "workdays": []}
HALL_NOTICE = AnnouncementInput("春节安排", "春节期间暂停办理", "HALL", D("2026-12-01"),
                                D("2026-12-31"))
DISTRICT_NOTICE = AnnouncementInput("春节安排", "全区春节期间暂停办理", None, D("2026-12-01"),
                                    D("2026-12-31"))

CALLS = {
    "add_rota_entry": Call(
        lambda s, actor, now: catalog.add_rota_entry(
            s, actor, place(s, "HALL"), D("2026-12-12"), "agent-hall", TODAY),
        lambda s: count(s, RotaEntry, RotaEntry.date == D("2026-12-12")) == 1,
        RUNS_THE_HALL),
    "remove_rota_entry": Call(
        lambda s, actor, now: catalog.remove_rota_entry(s, actor, _rota_entry(s), TODAY),
        lambda s: _rota_entry(s) is None,
        RUNS_THE_HALL),
    "replace_schedules": Call(
        lambda s, actor, now: catalog.replace_schedules(s, actor, place(s, "HALL"), []),
        lambda s: count(s, ScheduleRule, ScheduleRule.place.has(code="HALL")) == 0,
        RUNS_THE_HALL),
    "add_station": Call(
        lambda s, actor, now: catalog.add_station(s, actor, "TOWN", "MZJ"),
        lambda s: count(s, Station) == 4,
        THE_DISTRICT),
    "delete_station": Call(
        lambda s, actor, now: catalog.delete_station(s, actor, _hall_station(s, "MZJ")),
        lambda s: _hall_station(s, "MZJ") is None,
        THE_DISTRICT),
    "create_item": Call(
        lambda s, actor, now: catalog.create_item(s, actor, dict(NEW_ITEM)),
        lambda s: count(s, ServiceItem, ServiceItem.code == "NEW-001") == 1,
        THE_DISTRICT),
    "update_item": Call(
        lambda s, actor, now: catalog.update_item(
            s, actor, s.scalar(select(ServiceItem)),
            {**CATALOG["items"][0], "name": "城乡居民养老保险参保登记"}),
        lambda s: s.scalar(select(ServiceItem.name)) == "城乡居民养老保险参保登记",
        THE_DISTRICT),
    "import_catalog": Call(
        lambda s, actor, now: catalog.import_catalog(
            s, actor, {"departments": [{"code": "SCJ", "name": "区市场监管局"}]}, today=TODAY),
        lambda s: count(s, Department, Department.code == "SCJ") == 1,
        THE_DISTRICT),
    "import_calendar": Call(
        lambda s, actor, now: import_calendar(s, actor, NOTICE_2027, now),
        lambda s: count(s, CalendarOverride) == 3,
        THE_DISTRICT),
    "change_and_regenerate (the hall)": Call(
        lambda s, actor, now: change_and_regenerate(
            s, actor, lambda s: catalog.replace_schedules(s, actor, place(s, "HALL"), []),
            now, WINDOW, {place(s, "HALL").id}),
        lambda s: count(s, Slot, Slot.place.has(code="HALL"), Slot.date > TODAY,
                        Slot.active.is_(True)) == 0,
        RUNS_THE_HALL),
    "change_and_regenerate (every place)": Call(
        lambda s, actor, now: change_and_regenerate(
            s, actor, lambda s: import_calendar(s, actor, NOTICE_2027, now), now, WINDOW),
        lambda s: count(s, CalendarOverride) == 3,
        THE_DISTRICT),
    # Announcements are published by staff (the author is recorded): no system actor.
    "create_announcement (a place)": Call(
        lambda s, actor, now: create_announcement(s, actor, HALL_NOTICE, now, TODAY),
        lambda s: count(s, Announcement) == 2,
        {**RUNS_THE_HALL, "system": None}),
    "create_announcement (district-wide)": Call(
        lambda s, actor, now: create_announcement(s, actor, DISTRICT_NOTICE, now, TODAY),
        lambda s: count(s, Announcement, Announcement.place_id.is_(None)) == 1,
        {**THE_DISTRICT, "system": None}),
    "update_announcement": Call(
        lambda s, actor, now: update_announcement(s, actor, _announcement(s).id, HALL_NOTICE,
                                                  TODAY),
        lambda s: _announcement(s).title == "春节安排",
        # The town's manager does not see the hall's announcement at all.
        {**RUNS_THE_HALL, "other manager": NotFound, "system": None}),
    "end_announcement": Call(
        lambda s, actor, now: end_announcement(s, actor, _announcement(s).id, now),
        lambda s: _announcement(s).ended_at is not None,
        {**RUNS_THE_HALL, "other manager": NotFound, "system": None}),
}

CASES = [(name, actor) for name, call in CALLS.items() for actor in ACTORS
         if call.table[actor] is not None]


@pytest.mark.parametrize(("name", "who"), CASES, ids=[f"{n}-{a}" for n, a in CASES])
def test_each_service_decides_who_may_change_the_floor(world, clock, name, who):
    session, call = world, CALLS[name]
    actor = actor_named(session, who)
    expected = call.table[who]
    if expected is OK:
        call.run(session, actor, clock.now())
        session.flush()
        assert call.done(session), (name, who)
        return
    before = snapshot(session)
    with pytest.raises(DomainError) as refused:
        call.run(session, actor, clock.now())
    assert type(refused.value) is expected, (name, who, refused.value)
    assert refused.value.code == expected.code and refused.value.message
    assert snapshot(session) == before, (name, who)
    assert not call.done(session)


def test_the_refusal_names_the_place_one_does_not_run(world):
    town_manager = actor_named(world, "other manager")
    with pytest.raises(Forbidden) as refused:
        catalog.add_rota_entry(world, town_manager, place(world, "HALL"), D("2026-12-12"),
                               "agent-hall", TODAY)
    assert "区政务服务中心" in refused.value.message
    assert refused.value.details == {"place": ["HALL"]}


# The one operation a change the slots follow goes through, and its preview ----------------------

@pytest.fixture
def booked_saturday(world, make_booking):
    """A citizen booked on the hall's Saturday 12-05 (staffed by the rota), and one in the town
    on Tuesday."""
    def slot(code: str, day: str) -> Slot:
        return world.scalar(select(Slot).where(Slot.place.has(code=code), Slot.date == D(day),
                                               Slot.start_time == time(9)))
    return make_booking(slot("HALL", "2026-12-05")), make_booking(slot("TOWN", "2026-12-01"))


def _take_the_agent_off(actor, now):
    def operation(session):
        return change_and_regenerate(
            session, actor,
            lambda s: catalog.remove_rota_entry(s, actor, _rota_entry(s), TODAY),
            now, WINDOW, {place(session, "HALL").id})
    return operation


def test_the_preview_reports_the_cancellations_and_changes_nothing(world, clock, booked_saturday):
    manager = actor_named(world, "own manager")
    before = snapshot(world)

    preview = uow.preview(_take_the_agent_off(manager, clock.now()))

    assert (preview.slots.withdrawn, preview.slots.bookings_cancelled) == (2, 1)
    assert preview.change is None  # remove_rota_entry returns nothing
    assert snapshot(world) == before
    assert count(world, Notification) == 0  # not even a message queued


def test_the_operation_makes_the_change_and_the_hall_cancels_what_no_longer_fits(
        world, clock, booked_saturday):
    in_hall, in_town = booked_saturday
    manager = actor_named(world, "own manager")

    with uow.unit_of_work() as session:
        done = _take_the_agent_off(manager, clock.now())(session)

    assert (done.slots.withdrawn, done.slots.bookings_cancelled) == (2, 1)
    world.expire_all()
    assert _rota_entry(world) is None
    cancelled = world.get(Booking, in_hall.id)
    assert (cancelled.status, cancelled.cancelled_by) == ("cancelled", "hall")
    assert cancelled.cancel_reason == ROTA_CANCEL_REASON
    assert world.get(Booking, in_town.id).status == "booked"  # the town is left alone
    assert count(world, Slot, Slot.place.has(code="HALL"), Slot.date == D("2026-12-05"),
                 Slot.active.is_(True)) == 0


def test_a_refused_preview_raises_as_the_change_would_and_changes_nothing(
        world, clock, booked_saturday):
    before = snapshot(world)
    with pytest.raises(Forbidden):
        uow.preview(_take_the_agent_off(actor_named(world, "other manager"), clock.now()))
    assert snapshot(world) == before


def test_a_preview_of_a_change_that_cancels_nothing_says_so(world, clock):
    manager = actor_named(world, "own manager")
    before = snapshot(world)
    preview = uow.preview(lambda session: change_and_regenerate(
        session, manager, lambda s: catalog.add_rota_entry(
            s, manager, place(s, "HALL"), D("2026-12-12"), "agent-hall", TODAY),
        clock.now(), WINDOW, {place(session, "HALL").id}))
    assert preview.slots.bookings_cancelled == 0 and preview.slots.created == 2
    assert isinstance(preview.change, RotaEntry)
    assert snapshot(world) == before
