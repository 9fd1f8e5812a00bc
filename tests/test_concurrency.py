"""Never overbook: many threads at once on one slot, on SQLite and PostgreSQL."""
from collections import Counter
from datetime import date, time

import pytest
from sqlalchemy import func, select

from backend.models import Booking, Slot
from backend.services.catalog import import_catalog
from backend.services.slots import generate_slots
from backend.services.scope import SYSTEM
from tests.helpers import run_together

THREADS = 30
CAPACITY = 4  # the example catalogue's


@pytest.fixture(autouse=True)
def no_pace_limit(app):
    """One citizen's thirty simultaneous taps test the database here, not the pace limit."""
    app.config["BOOKING_RATE_LIMIT"] = "1000 per minute"


@pytest.fixture
def hall(session, example_catalog, clock):
    import_catalog(session, SYSTEM, example_catalog)
    generate_slots(session, clock.now(), 14)
    session.commit()


def slot_at(session, day, start="09:00") -> Slot:
    slot = session.scalar(select(Slot).where(
        Slot.date == date.fromisoformat(day), Slot.start_time == time.fromisoformat(start)))
    slot.key = slot.id  # plain int for the threads: ORM attributes load only in the test's context
    return slot


@pytest.fixture
def tokens(client):
    def make(n, prefix="c"):
        return [{"Authorization": "Bearer " + client.post(
            "/api/v1/auth/wechat-login", json={"code": f"{prefix}{i}"}).get_json()["token"]}
            for i in range(n)]
    return make


def active_on(session, slot):
    return session.scalar(select(func.count(Booking.id)).where(
        Booking.slot_id == slot.id, Booking.status == "booked"))


def statuses(responses):
    return Counter(r.status_code for r in responses)


def test_thirty_citizens_one_slot(app, client, session, hall, tokens):
    slot = slot_at(session, "2026-12-01")
    headers = tokens(THREADS)
    responses = run_together([
        lambda h=h: client.post("/api/v1/bookings", json={"slot": slot.key, "item": "SB-001"},
                                headers=h) for h in headers])
    assert statuses(responses) == {201: CAPACITY, 409: THREADS - CAPACITY}
    assert {r.get_json()["error"]["code"] for r in responses if r.status_code == 409} == {"slot_full"}
    session.expire_all()
    assert slot.booked == active_on(session, slot) == CAPACITY


def test_one_citizen_thirty_taps(client, session, hall, tokens):
    slot = slot_at(session, "2026-12-01")
    [headers] = tokens(1)
    responses = run_together([
        lambda: client.post("/api/v1/bookings", json={"slot": slot.key, "item": "SB-001"},
                            headers=headers)] * THREADS)
    assert statuses(responses) == {201: 1, 409: THREADS - 1}
    session.expire_all()
    assert slot.booked == active_on(session, slot) == 1


def test_one_citizen_thirty_slots_at_once_stays_within_the_limit(client, session, hall, tokens):
    # Thirty different slots: only the citizen's lock keeps the limit of 3 active bookings.
    slots = session.scalars(select(Slot.id).where(Slot.date >= date(2026, 12, 1))
                            .order_by(Slot.date, Slot.start_time).limit(THREADS)).all()
    assert len(slots) == THREADS
    [headers] = tokens(1)
    responses = run_together([
        lambda s=s: client.post("/api/v1/bookings", json={"slot": s, "item": "SB-001"},
                                headers=headers) for s in slots])
    assert statuses(responses) == {201: 3, 422: THREADS - 3}
    assert {r.get_json()["error"]["code"] for r in responses if r.status_code == 422} == {
        "booking_limit"}
    assert session.scalar(select(func.count(Booking.id)).where(Booking.status == "booked")) == 3
    assert session.scalar(select(func.sum(Slot.booked))) == 3


def test_one_citizen_thirty_retries_with_one_idempotency_key(client, session, hall, tokens):
    slot = slot_at(session, "2026-12-01")
    [headers] = tokens(1)
    headers = {**headers, "Idempotency-Key": "same-tap"}
    responses = run_together([
        lambda: client.post("/api/v1/bookings", json={"slot": slot.key, "item": "SB-001"},
                            headers=headers)] * THREADS)
    assert statuses(responses) == {201: THREADS}
    assert len({r.get_json()["code"] for r in responses}) == 1
    session.expire_all()
    assert slot.booked == active_on(session, slot) == 1


def test_thirty_reschedules_into_one_slot(client, session, hall, tokens):
    target = slot_at(session, "2026-12-03")
    headers = tokens(THREADS)
    days = ["2026-12-01", "2026-12-02", "2026-12-04", "2026-12-07", "2026-12-08"]
    starts = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
    codes = []
    for i, h in enumerate(headers):
        source = slot_at(session, days[i % 5], starts[i // 5])
        codes.append(client.post("/api/v1/bookings", json={"slot": source.key, "item": "SB-001"},
                                 headers=h).get_json()["code"])
    responses = run_together([
        lambda h=h, c=c: client.post(f"/api/v1/bookings/{c}/reschedule",
                                     json={"slot": target.key}, headers=h)
        for h, c in zip(headers, codes)])
    assert statuses(responses) == {200: CAPACITY, 409: THREADS - CAPACITY}
    session.expire_all()
    assert target.booked == active_on(session, target) == CAPACITY
    # Every seat counter equals its active bookings: nothing leaked, nothing freed twice.
    for slot in session.scalars(select(Slot)):
        assert slot.booked == active_on(session, slot)


def test_one_booking_moved_thirty_ways_at_once_holds_one_seat(client, session, hall, tokens):
    [headers] = tokens(1)
    source = slot_at(session, "2026-12-01")
    code = client.post("/api/v1/bookings", json={"slot": source.key, "item": "SB-001"},
                       headers=headers).get_json()["code"]
    targets = session.scalars(select(Slot.id).where(Slot.date >= date(2026, 12, 2))
                              .order_by(Slot.date, Slot.start_time).limit(THREADS)).all()
    responses = run_together([
        lambda t=t: client.post(f"/api/v1/bookings/{code}/reschedule", json={"slot": t},
                                headers=headers) for t in targets])
    # Moves one after another are each fine; a move that read the booking where another had
    # just taken it away is refused. Either way the booking holds exactly one seat.
    assert set(statuses(responses)) <= {200, 409} and statuses(responses)[200] >= 1
    assert {r.get_json()["error"]["code"] for r in responses if r.status_code == 409} <= {
        "invalid_state"}
    session.expire_all()
    assert session.scalar(select(func.sum(Slot.booked))) == 1
    assert session.scalar(select(Booking.slot_id).where(Booking.code == code)) in targets
    for slot in session.scalars(select(Slot)):
        assert slot.booked == active_on(session, slot)


def test_cancels_racing_bookings(client, session, hall, tokens):
    slot = slot_at(session, "2026-12-01")
    holders = tokens(CAPACITY, "holder")
    codes = [client.post("/api/v1/bookings", json={"slot": slot.key, "item": "SB-001"},
                         headers=h).get_json()["code"] for h in holders]
    newcomers = tokens(THREADS - CAPACITY, "new")
    calls = [lambda h=h, c=c: client.post(f"/api/v1/bookings/{c}/cancel", headers=h)
             for h, c in zip(holders, codes)]
    calls += [lambda h=h: client.post("/api/v1/bookings", json={"slot": slot.key, "item": "SB-001"},
                                      headers=h) for h in newcomers]
    responses = run_together(calls)
    assert all(r.status_code < 500 for r in responses)
    assert all(r.status_code == 200 for r in responses[:CAPACITY])
    session.expire_all()
    booked = active_on(session, slot)
    assert slot.booked == booked <= CAPACITY
    assert booked == statuses(responses[CAPACITY:])[201]


def test_the_database_refuses_an_overbooked_counter(session, hall):
    slot = slot_at(session, "2026-12-01")
    slot.booked = slot.capacity + 1
    with pytest.raises(Exception) as caught:
        session.flush()
    assert "booked_within_capacity" in str(caught.value) or "CHECK" in str(caught.value)
    session.rollback()


def test_case_numbers_stay_unique_under_concurrent_creation(client, session, hall, tokens):
    headers = tokens(THREADS)
    body = {"item": "SB-001", "place": "BS-HALL", "help_type": "assist",
            "applicant": {"name": "张三"}, "materials": ["SFZ"]}
    responses = run_together([lambda h=h: client.post("/api/v1/cases", json=body, headers=h)
                              for h in headers])
    assert statuses(responses) == {201: THREADS}
    numbers = sorted(r.get_json()["number"] for r in responses)
    assert numbers == [f"BS-20261130-{i:04d}" for i in range(1, THREADS + 1)]


def test_crossing_reschedules_never_deadlock(client, session, hall, tokens):
    """Citizens on slot X move to Y while those on Y move to X, for several pairs at once."""
    days = ["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08"]
    headers = tokens(4 * len(days))
    calls = []
    for n, day in enumerate(days):
        x, y = slot_at(session, day, "09:00"), slot_at(session, day, "09:30")
        for k, (source, target) in enumerate([(x, y), (x, y), (y, x), (y, x)]):
            h = headers[4 * n + k]
            code = client.post("/api/v1/bookings", json={"slot": source.key, "item": "SB-001"},
                               headers=h).get_json()["code"]
            calls.append(lambda h=h, c=code, t=target.key: client.post(
                f"/api/v1/bookings/{c}/reschedule", json={"slot": t}, headers=h))
    responses = run_together(calls)
    assert statuses(responses) == {200: len(calls)}
    session.expire_all()
    for slot in session.scalars(select(Slot)):
        assert slot.booked == active_on(session, slot)
