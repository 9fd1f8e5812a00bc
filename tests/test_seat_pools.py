"""Seats kept offline (docs/domain.md "Seats kept offline"): a schedule's reserved seats, bookable
online only by special groups (by age from the ID number, or confirmed by staff) until they are
released to everyone RESERVED_RELEASE_HOURS before the slot; walk-in seats, never online, used by
staff at the hall; each pool claimed by its own conditional UPDATE and never overbooked, on
SQLite and PostgreSQL."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from backend.errors import InvalidInput
from backend.models import Booking, ScheduleRule, Slot, SpecialGroupConfirmation
from backend.services.catalog import import_catalog
from backend.services.scope import SYSTEM
from backend.services.slots import generate_slots
from backend.services.special_groups import age_on
from tests.conftest import TZ
from tests.factories import STAFF_PASSWORD
from tests.helpers import assert_error, bearer, run_together
from tests.test_window import id_number

# Six seats a slot: three open, two kept for special groups, one for the hall.
POOLS = {"capacity": 6, "reserved": 2, "walk_in": 1}
DAY = "2026-12-03"  # the clock reads Monday 2026-11-30 09:00: two days ahead, not released yet
ELDERS = [id_number("1950%02d01" % (m + 1), "42%d" % m) for m in range(9)]
YOUNG = [id_number("1990%02d15" % (m + 1), "23%d" % m) for m in range(9)]


@pytest.fixture(autouse=True)
def no_pace_limit(app):
    app.config["BOOKING_RATE_LIMIT"] = "1000 per minute"


@pytest.fixture
def hall(session, example_catalog, clock, make_staff):
    example_catalog["schedules"][0].update(POOLS)
    import_catalog(session, SYSTEM, example_catalog)
    generate_slots(session, clock.now(), 14)
    session.commit()
    make_staff("agent9")


def slot_at(session, day: str = DAY, start: str = "09:00") -> Slot:
    return session.scalar(select(Slot).where(Slot.date == date.fromisoformat(day),
                                             Slot.start_time == time.fromisoformat(start)))


def citizen(client, code: str, number: str | None = None, name: str = "张三") -> dict:
    """A signed-in citizen; with an ID number in the profile, signed in again afterwards (the
    token says whether they were in a special group as they signed in)."""
    login = lambda: bearer(client.post("/api/v1/auth/wechat-login",  # noqa: E731
                                       json={"code": code}).get_json()["token"])
    headers = login()
    if number is None:
        return headers
    assert client.post("/api/v1/me", json={"name": name, "id_number": number},
                       headers=headers).status_code == 200
    return login()


def staff(client) -> dict:
    answer = client.post("/api/v1/staff/login", json={"username": "agent9",
                                                      "password": STAFF_PASSWORD})
    return bearer(answer.get_json()["token"])


def book(client, headers, slot_id: int):
    return client.post("/api/v1/bookings", json={"slot": slot_id, "item": "SB-001"},
                       headers=headers)


def staff_book(client, headers, slot_id: int, number: str, name: str = "李四"):
    return client.post("/api/v1/staff/bookings", headers=headers, json={
        "slot": slot_id, "item": "SB-001", "person": {"name": name, "id_number": number}})


def listed(client, slot_id: int, headers=None) -> dict:
    answer = client.get(f"/api/v1/places/BS-HALL/slots?from={DAY}&to={DAY}", headers=headers)
    return next(s for s in answer.get_json()["items"] if s["id"] == slot_id)


def seats(session, slot: Slot) -> tuple[int, int, int]:
    session.expire_all()
    return slot.booked, slot.reserved_booked, slot.walk_in_booked


# The schedule -----------------------------------------------------------------------------------

def test_a_schedule_keeps_its_pools_and_refuses_more_than_its_capacity(session, hall,
                                                                       example_catalog):
    rule = session.scalar(select(ScheduleRule))
    assert (rule.capacity, rule.reserved, rule.walk_in) == (6, 2, 1)
    slot = slot_at(session)
    assert (slot.capacity, slot.reserved, slot.walk_in) == (6, 2, 1)
    example_catalog["schedules"][0].update(capacity=3, reserved=2, walk_in=2)
    with pytest.raises(InvalidInput) as refused:
        import_catalog(session, SYSTEM, example_catalog)
    assert "不能超过每段容量" in str(refused.value.details)
    session.rollback()


def test_a_changed_schedule_never_shrinks_a_pool_below_its_bookings(client, session, hall,
                                                                     example_catalog, clock):
    slot = slot_at(session)
    for i in range(3):
        assert book(client, citizen(client, f"o{i}"), slot.id).status_code == 201
    assert book(client, citizen(client, "elder", ELDERS[0]), slot.id).status_code == 201
    example_catalog["schedules"][0].update(capacity=4, reserved=0, walk_in=0)
    import_catalog(session, SYSTEM, example_catalog)
    generate_slots(session, clock.now(), 14)
    session.commit()
    session.expire_all()
    # The reserved booking keeps its seat: one reserved, three open, four in all.
    assert (slot.capacity, slot.reserved, slot.walk_in, slot.booked) == (4, 1, 0, 4)
    assert slot_at(session, "2026-12-04").reserved == 0


# Online ------------------------------------------------------------------------------------------

def test_online_the_open_seats_first_then_the_reserved_ones_for_special_groups_only(
        client, session, hall):
    slot = slot_at(session)
    shown = listed(client, slot.id)
    assert (shown["remaining"], shown["reserved_remaining"]) == (3, 2)
    for i in range(3):
        assert book(client, citizen(client, f"o{i}"), slot.id).status_code == 201
    young = citizen(client, "young", YOUNG[0])
    answer = book(client, young, slot.id)
    assert_error(answer, 409, "slot_full")
    assert "特殊群体保留" in answer.get_json()["error"]["message"]
    elder = citizen(client, "elder", ELDERS[0], "王秀英")
    # The listing counts the reserved seats as the elder's, and only as theirs.
    assert (listed(client, slot.id)["remaining"], listed(client, slot.id, young)["remaining"],
            listed(client, slot.id, elder)["remaining"]) == (0, 0, 2)
    assert listed(client, slot.id)["reserved_remaining"] == 2
    assert book(client, elder, slot.id).status_code == 201
    assert book(client, citizen(client, "elder2", ELDERS[1]), slot.id).status_code == 201
    # The walk-in seat is never online, whoever asks.
    assert_error(book(client, citizen(client, "elder3", ELDERS[2]), slot.id), 409, "slot_full")
    assert seats(session, slot) == (5, 2, 0)
    assert Counter(session.scalars(select(Booking.seat))) == {"open": 3, "reserved": 2}


def test_reserved_seats_are_everyones_once_released(client, session, hall, clock):
    slot = slot_at(session)
    for i in range(3):
        assert book(client, citizen(client, f"o{i}"), slot.id).status_code == 201
    clock.at = datetime(2026, 12, 2, 9, 0, tzinfo=TZ)  # 24 hours before: released
    shown = listed(client, slot.id)
    assert (shown["remaining"], shown["reserved_remaining"]) == (2, 0)
    assert book(client, citizen(client, "o3"), slot.id).status_code == 201
    assert seats(session, slot) == (4, 1, 0)


def test_a_cancelled_seat_goes_back_to_its_pool(client, session, hall):
    slot = slot_at(session)
    for i in range(3):
        assert book(client, citizen(client, f"o{i}"), slot.id).status_code == 201
    elder = citizen(client, "elder", ELDERS[0])
    code = book(client, elder, slot.id).get_json()["code"]
    assert seats(session, slot) == (4, 1, 0)
    assert client.post(f"/api/v1/bookings/{code}/cancel", headers=elder).status_code == 200
    assert seats(session, slot) == (3, 0, 0)
    # ... and is not an open seat for an ordinary citizen.
    assert_error(book(client, citizen(client, "o3"), slot.id), 409, "slot_full")


def test_a_moved_booking_takes_the_pool_its_holder_may_use(client, session, hall):
    full, other = slot_at(session), slot_at(session, start="09:30")
    for i in range(3):
        assert book(client, citizen(client, f"o{i}"), full.id).status_code == 201
    elder = citizen(client, "elder", ELDERS[0])
    code = book(client, elder, other.id).get_json()["code"]
    assert client.post(f"/api/v1/bookings/{code}/reschedule", json={"slot": full.id},
                       headers=elder).status_code == 200
    assert seats(session, full) == (4, 1, 0) and seats(session, other) == (0, 0, 0)
    assert session.scalar(select(Booking.seat).where(Booking.code == code)) == "reserved"


def test_age_counts_on_the_day():
    number = id_number("19661201", "555")
    assert age_on(number, date(2026, 11, 30)) == 59
    assert age_on(number, date(2026, 12, 1)) == 60


# Staff -------------------------------------------------------------------------------------------

def test_staff_confirm_a_special_group_by_id_number_and_may_end_it(client, session, hall):
    slot = slot_at(session)
    for i in range(3):
        assert book(client, citizen(client, f"o{i}"), slot.id).status_code == 201
    agent = staff(client)
    confirmed = client.post("/api/v1/staff/special-groups", headers=agent, json={
        "place": "BS-HALL", "name": "赵六", "id_number": YOUNG[1], "kind": "disability",
        "document": "残疾人证"})
    assert confirmed.status_code == 201
    answer = confirmed.get_json()
    assert (answer["kind"], answer["document"], answer["confirmed_by"]["username"]) == (
        "disability", "残疾人证", "agent9")
    assert answer["id_number"] != YOUNG[1] and answer["id_number"].endswith(YOUNG[1][-4:])
    # The same again is the same confirmation.
    again = client.post("/api/v1/staff/special-groups", headers=agent, json={
        "place": "BS-HALL", "name": "赵六", "id_number": YOUNG[1], "kind": "disability",
        "document": "残疾人证"})
    assert again.get_json()["id"] == answer["id"]
    disabled = citizen(client, "disabled", YOUNG[1], "赵六")
    assert book(client, disabled, slot.id).status_code == 201
    # The window sees it when it looks the person up.
    history = client.post("/api/v1/staff/people/lookup", headers=agent,
                          json={"id_number": YOUNG[1]}).get_json()
    assert history["special_group"] and history["special_groups"][0]["kind"] == "disability"
    ended = client.post(f"/api/v1/staff/special-groups/{answer['id']}/end", headers=agent)
    assert ended.status_code == 200 and ended.get_json()["ended_at"]
    other = citizen(client, "disabled2", YOUNG[1], "赵六")  # the same person's other account
    assert_error(book(client, other, slot.id), 409, "slot_full")
    assert not client.post("/api/v1/staff/people/lookup", headers=agent,
                           json={"id_number": YOUNG[1]}).get_json()["special_group"]


def test_a_confirmation_is_refused_without_its_document_and_outside_ones_places(
        client, session, hall, make_staff, example_catalog):
    agent = staff(client)
    answer = client.post("/api/v1/staff/special-groups", headers=agent, json={
        "place": "BS-HALL", "name": "赵六", "id_number": YOUNG[1], "kind": "disability",
        "document": " "})
    assert_error(answer, 422, "invalid_input")
    assert_error(client.post("/api/v1/staff/special-groups", headers=agent, json={
        "place": "NOPE", "name": "赵六", "id_number": YOUNG[1], "kind": "disability",
        "document": "残疾人证"}), 404, "not_found")
    assert session.scalar(select(func.count(SpecialGroupConfirmation.id))) == 0


def test_staff_take_the_walk_in_seat_first_and_never_more_than_there_is(client, session, hall):
    slot = slot_at(session)
    agent = staff(client)
    first = staff_book(client, agent, slot.id, YOUNG[0])
    assert first.status_code == 201
    assert seats(session, slot) == (1, 0, 1)
    for number in YOUNG[1:4]:
        assert staff_book(client, agent, slot.id, number).status_code == 201
    # Walk-in and open seats gone: a young caller meets the reserved seats, an elder takes one.
    assert_error(staff_book(client, agent, slot.id, YOUNG[4]), 409, "slot_full")
    assert staff_book(client, agent, slot.id, ELDERS[0], "王秀英").status_code == 201
    assert seats(session, slot) == (5, 1, 1)
    code = first.get_json()["code"]
    assert client.post(f"/api/v1/staff/bookings/{code}/cancel", headers=agent).status_code == 200
    assert seats(session, slot) == (4, 1, 0)


# Under concurrency --------------------------------------------------------------------------------

def test_a_hot_slot_splits_exactly_between_its_pools(client, session, hall):
    """Ordinary citizens, elders and staff at once: every seat taken once, each pool exactly."""
    slot = slot_at(session)
    slot_id = slot.id  # a plain int for the threads
    ordinary = [citizen(client, f"o{i}") for i in range(12)]
    elders = [citizen(client, f"e{i}", number) for i, number in enumerate(ELDERS[:6])]
    agent = staff(client)
    calls = [lambda h=h: book(client, h, slot_id) for h in ordinary + elders]
    calls += [lambda n=n: staff_book(client, agent, slot_id, n) for n in YOUNG[:4]]
    responses = run_together(calls)
    assert all(r.status_code in (201, 409) for r in responses), Counter(
        r.status_code for r in responses)
    assert sum(r.status_code == 201 for r in responses) == 6
    assert seats(session, slot) == (6, 2, 1)
    holders = session.execute(select(Booking.seat, Booking.person_id_number_key.is_(None),
                                     Booking.citizen_id)
                              .where(Booking.slot_id == slot.id)).all()
    assert Counter(seat for seat, _, _ in holders) == {"open": 3, "reserved": 2, "walk_in": 1}
    # The reserved seats went to elders only (their own accounts), the walk-in one to staff.
    elder_ids = set(session.scalars(select(Booking.citizen_id).where(
        Booking.seat == "reserved")))
    assert len(elder_ids) == 2
    assert all(not own for seat, own, _ in holders if seat == "walk_in")
