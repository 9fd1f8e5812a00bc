"""Slot generation from schedule rules, the statutory calendar and the rota."""
from datetime import date, time

import pytest
from sqlalchemy import func, select

from backend.models import Slot
from backend.services.catalog import import_catalog
from backend.services.slots import HALL_CANCEL_REASON, generate_slots
from backend.services.staff import create_staff
from backend.services.scope import SYSTEM
from tests.factories import trained

D = date.fromisoformat


@pytest.fixture
def hall(session, example_catalog, clock):
    """BS-HALL with regular, extended, weekend and holiday rules, and an agent for the rota."""
    example_catalog["schedules"] += [
        {"place": "BS-HALL", "kind": "extended", "weekdays": [1, 2, 3, 4, 5],
         "start": "12:00", "end": "13:00", "slot_minutes": 30, "capacity": 2},
        {"place": "BS-HALL", "kind": "weekend", "weekdays": [6],
         "start": "09:00", "end": "11:00", "slot_minutes": 60, "capacity": 3},
        {"place": "BS-HALL", "kind": "holiday", "start": "09:00", "end": "10:00",
         "slot_minutes": 60, "capacity": 2},
    ]
    import_catalog(session, SYSTEM, example_catalog)
    create_staff(session, SYSTEM, username="agent1", password="correct horse battery staple",
                 role="agent", name="李帮办", place_codes=["BS-HALL"], department_code="RSJ",
                 now=clock.now(), training=trained(clock.now()))
    session.commit()
    return example_catalog


def on_duty(session, *days):
    import_catalog(session, SYSTEM, {"rota": [{"place": "BS-HALL", "date": d, "agent": "agent1"}
                                      for d in days]})


def slots_on(session, day):
    return session.scalars(select(Slot).where(Slot.date == D(day), Slot.active.is_(True))
                           .order_by(Slot.start_time)).all()


def test_regular_slots_on_working_days_only(session, hall, clock):
    generate_slots(session, clock.now(), 14)
    monday = slots_on(session, "2026-11-30")
    assert [(s.start_time, s.end_time, s.kind, s.capacity) for s in monday] == [
        (time(9, 0), time(9, 30), "regular", 4), (time(9, 30), time(10, 0), "regular", 4),
        (time(10, 0), time(10, 30), "regular", 4), (time(10, 30), time(11, 0), "regular", 4),
        (time(11, 0), time(11, 30), "regular", 4), (time(11, 30), time(12, 0), "regular", 4)]
    # No one on the rota: no extended, weekend or holiday slots.
    assert slots_on(session, "2026-12-05") == []
    assert session.scalar(select(func.max(Slot.date))) == D("2026-12-14")


def test_x_sessions_need_someone_on_duty(session, hall, clock):
    on_duty(session, "2026-11-30", "2026-12-05")
    generate_slots(session, clock.now(), 14)
    assert [s.kind for s in slots_on(session, "2026-11-30")][-2:] == ["extended", "extended"]
    assert [s.kind for s in slots_on(session, "2026-12-01")] == ["regular"] * 6
    assert [(s.start_time, s.kind) for s in slots_on(session, "2026-12-05")] == [
        (time(9, 0), "weekend"), (time(10, 0), "weekend")]


def test_spring_festival_make_up_saturday_and_holidays(session, hall, clock):
    clock.at = clock.at.replace(year=2026, month=2, day=10)
    on_duty(session, "2026-02-14", "2026-02-16", "2026-02-21")
    generate_slots(session, clock.now(), 14)
    # 2-14 is a make-up Saturday: workday rules, not the weekend rule.
    assert {s.kind for s in slots_on(session, "2026-02-14")} == {"regular", "extended"}
    # 2-16 is in the holiday: holiday sessions only, with someone on duty.
    assert [s.kind for s in slots_on(session, "2026-02-16")] == ["holiday"]
    # 2-21 is a Saturday inside the holiday period: holiday, not weekend.
    assert [s.kind for s in slots_on(session, "2026-02-21")] == ["holiday"]
    assert slots_on(session, "2026-02-17") == []  # nobody on duty


def test_generation_is_idempotent(session, hall, clock):
    on_duty(session, "2026-12-05")
    first = generate_slots(session, clock.now(), 14)
    second = generate_slots(session, clock.now(), 14)
    assert first.created > 0
    assert (second.created, second.updated, second.withdrawn) == (0, 0, 0)


def test_a_change_never_shrinks_below_booked_and_cancels_what_no_longer_fits(
        session, hall, clock, make_booking):
    on_duty(session, "2026-12-05")
    generate_slots(session, clock.now(), 14)
    saturday = slots_on(session, "2026-12-05")[0]
    monday = slots_on(session, "2026-12-07")[0]
    weekend_booking = make_booking(saturday)
    for _ in range(3):
        make_booking(monday)
    hall["schedules"] = [dict(hall["schedules"][0], capacity=2)]  # drops extended/weekend/holiday
    import_catalog(session, SYSTEM, hall)
    result = generate_slots(session, clock.now(), 14)
    session.commit()
    session.refresh(monday)
    assert (monday.capacity, monday.booked) == (3, 3)
    assert slots_on(session, "2026-12-08")[0].capacity == 2
    session.refresh(weekend_booking)
    assert weekend_booking.status == "cancelled"
    assert weekend_booking.cancelled_by == "hall"
    assert weekend_booking.cancel_reason == HALL_CANCEL_REASON
    assert result.bookings_cancelled == 1
    assert slots_on(session, "2026-12-05") == []


def test_the_window_extends_day_by_day(session, hall, clock):
    generate_slots(session, clock.now(), 14)
    clock.advance(days=1)
    result = generate_slots(session, clock.now(), 14)
    assert result.created == 6  # one more working day (2026-12-15)
    assert session.scalar(select(func.max(Slot.date))) == D("2026-12-15")


def test_slots_api_answers_a_date_range(client, session, hall, clock):
    generate_slots(session, clock.now(), 14)
    session.commit()
    answer = client.get("/api/v1/places/BS-HALL/slots?from=2026-12-01&to=2026-12-02").get_json()
    assert answer["total"] == 12
    first = answer["items"][0]
    assert {k: first[k] for k in ("date", "start", "end", "kind", "capacity", "remaining")} == {
        "date": "2026-12-01", "start": "09:00", "end": "09:30", "kind": "regular",
        "capacity": 4, "remaining": 4}
    # By default from now to the end of the booking window, and only slots still open: at 09:00
    # the 09:00 slot has closed (30 minutes before its start), 09:30 is open until 09:00.
    default = client.get("/api/v1/places/BS-HALL/slots").get_json()
    assert (default["items"][0]["date"], default["items"][0]["start"]) == ("2026-11-30", "09:30")
    assert default["items"][-1]["date"] == "2026-12-14"
    clock.at = clock.at.replace(hour=9, minute=1)
    later = client.get("/api/v1/places/BS-HALL/slots?from=2026-11-30&to=2026-11-30").get_json()
    assert [s["start"] for s in later["items"]] == ["10:00", "10:30", "11:00", "11:30"]
    clock.at = clock.at.replace(hour=23, minute=45)
    night = client.get("/api/v1/places/BS-HALL/slots?from=2026-11-30&to=2026-12-01").get_json()
    assert (night["items"][0]["date"], night["items"][0]["start"]) == ("2026-12-01", "09:00")


@pytest.mark.parametrize("query, status", [
    ("from=2026-12-05&to=2026-12-01", 422),
    ("from=2026-12-01&to=2027-03-01", 422),
    ("from=yesterday", 422),
])
def test_slots_api_refuses_bad_ranges(client, hall, query, status):
    response = client.get(f"/api/v1/places/BS-HALL/slots?{query}")
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == "invalid_input"


def test_slots_api_unknown_place(client, hall):
    response = client.get("/api/v1/places/NOPE/slots")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_the_fast_slot_dump_equals_the_schema_dump(app, session, hall, clock):
    from backend.services.booking import BookingRules
    from backend.services.slots import list_slots
    from miniprogram_api.schemas import SlotSchema
    from miniprogram_api.views.bookings import dump_slot
    on_duty(session, "2026-12-05")
    generate_slots(session, clock.now(), 14)
    rows = list_slots(session, "BS-HALL", D("2026-11-30"), D("2026-12-14"), clock.now(),
                      BookingRules(close_minutes=0), 31)
    assert len(rows) > 50
    assert [dump_slot(row) for row in rows] == SlotSchema(many=True).dump(rows)
