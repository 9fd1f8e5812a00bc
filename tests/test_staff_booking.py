"""Bookings staff make in a person's name (docs/api.md "Bookings made by staff"): the citizen's
rules, the per-person limits counted by ID number across staff-made and online bookings, the
code to read out or print, and no overbooking under concurrency."""
from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from backend.models import AuditLog, Booking, Citizen, Notification, Place, Slot, Staff
from backend.services.booking import BookingRules, mark_no_shows
from backend.services.notifications import queue_booking_confirmations
from backend.services.scope import SYSTEM
from backend.services.slots import generate_slots
from backend.services.staff import set_password
from tests.conftest import TZ
from tests.helpers import assert_error, bearer, every_row, run_together
from tests.test_window import id_number

PASSWORD = "Hq7#vLm2pX9w-Tz"
BOOK = "/api/v1/staff/bookings"
CALLER = {"name": "李桂兰", "id_number": id_number("19520801", "226"), "phone": "13905330002"}


@pytest.fixture(autouse=True)
def no_pace_limit(app):
    app.config["BOOKING_RATE_LIMIT"] = "1000 per minute"


@pytest.fixture
def login(client, session, demo, clock):
    for username in ("agent1", "agent3", "manager", "inspector"):
        set_password(session, SYSTEM, session.scalar(select(Staff).where(
            Staff.username == username)), PASSWORD)
    generate_slots(session, clock.now(), 14)
    session.commit()

    def sign_in(username: str) -> dict:
        answer = client.post("/api/v1/staff/login", json={"username": username,
                                                           "password": PASSWORD})
        assert answer.status_code == 200
        return bearer(answer.get_json()["token"])
    return sign_in


def slot_id(session, day: str = "2026-12-01", start: str = "09:00", place: str = "BS-HALL") -> int:
    return session.scalar(select(Slot.id).join(Place, Place.id == Slot.place_id).where(
        Place.code == place, Slot.date == date.fromisoformat(day),
        Slot.start_time == time.fromisoformat(start)))


def body(slot: int, person: dict = CALLER, **more) -> dict:
    return {"slot": slot, "item": "SB-001", "person": dict(person), **more}


def citizen_with(client, code: str, person: dict) -> dict:
    headers = bearer(client.post("/api/v1/auth/wechat-login",
                                 json={"code": code}).get_json()["token"])
    client.patch("/api/v1/me", json={"name": person["name"], "id_number": person["id_number"]},
                 headers=headers)
    return headers


def test_staff_book_a_seat_in_a_callers_name_and_get_the_code(client, session, login):
    slot = slot_id(session)
    answer = client.post(BOOK, json=body(slot, help_type="assist", note="电话预约"),
                         headers=login("agent1"))
    assert answer.status_code == 201, answer.get_data(as_text=True)
    booking = answer.get_json()
    assert len(booking["code"]) == 8 and booking["status"] == "booked"
    assert booking["citizen"] == {"name": "李桂兰", "phone": "139****0002"}
    assert booking["booked_by"]["username"] == "agent1"
    # The demo's morning slots keep one seat for special groups and one for the hall: the
    # caller, 74, takes the reserved one; four open seats are left online.
    assert booking["slot"]["id"] == slot and booking["slot"]["remaining"] == 4
    assert booking["slot"]["reserved_remaining"] == 0
    stored = session.scalar(select(Booking).where(Booking.code == booking["code"]))
    assert stored.seat == "reserved"
    assert stored.citizen_id is None and session.get(Slot, slot).booked == 1
    created = session.scalar(select(AuditLog).where(AuditLog.entity == "booking"))
    assert created.staff_id == stored.booked_by_id
    assert json.loads(created.changes)["person_id_number_key"][1] == "***"
    # No account: no message is queued, and the floor's list names the person.
    queue_booking_confirmations(session, datetime(2026, 11, 30, 9, 1, tzinfo=TZ))
    session.commit()
    assert session.scalar(select(func.count(Notification.id))) == 0
    floor = client.get("/api/v1/staff/bookings?date=2026-12-01", headers=login("agent1"))
    assert [b["citizen"]["name"] for b in floor.get_json()["items"]] == ["李桂兰"]


def test_the_limit_counts_the_person_by_id_number_across_accounts_and_staff(client, session,
                                                                            login):
    agent = login("agent1")
    # Two accounts hold the caller's ID number; each booked once online.
    for start, code in (("09:00", "daughter-phone"), ("10:00", "own-phone")):
        headers = citizen_with(client, code, CALLER)
        answer = client.post("/api/v1/bookings", headers=headers,
                             json={"slot": slot_id(session, start=start),
                                   "item": "SB-001"})
        assert answer.status_code == 201
    # The same slot as one of them: already held by the person.
    assert_error(client.post(BOOK, json=body(slot_id(session)), headers=agent), 409,
                 "duplicate_booking")
    assert client.post(BOOK, json=body(slot_id(session, start="11:00")),
                       headers=agent).status_code == 201
    refused = assert_error(client.post(BOOK, json=body(slot_id(session, start="13:30")),
                                       headers=agent), 422, "booking_limit")
    assert "按身份证号码" in refused["message"]
    # Another person is not counted.
    other = dict(CALLER, id_number=id_number("19520801", "337"))
    assert client.post(BOOK, json=body(slot_id(session, start="13:30"), other),
                       headers=agent).status_code == 201


def test_no_shows_block_the_person_and_a_blocked_account_blocks_its_number(client, session,
                                                                          login, clock):
    agent = login("agent1")
    for start in ("09:00", "09:30", "10:00"):
        assert client.post(BOOK, json=body(slot_id(session, start=start)),
                           headers=agent).status_code == 201
    clock.at = datetime(2026, 12, 1, 18, 0, tzinfo=TZ)
    assert len(mark_no_shows(session, clock.now(), BookingRules())) == 3
    session.commit()
    agent = login("agent1")
    refused = assert_error(client.post(BOOK, json=body(slot_id(session, "2026-12-02")),
                                       headers=agent), 403, "booking_blocked")
    assert "2026-12-31" in refused["message"]  # 30 days from the last no-show
    # A person whose account is blocked is blocked at the window too.
    other = dict(CALLER, id_number=id_number("19520801", "337"))
    citizen_with(client, "blocked", other)
    citizen = session.scalar(select(Citizen).where(Citizen.id_number_key.is_not(None)))
    citizen.blocked_until = clock.now() + timedelta(days=3)
    session.commit()
    assert_error(client.post(BOOK, json=body(slot_id(session, "2026-12-02"), other),
                             headers=agent), 403, "booking_blocked")


@pytest.mark.parametrize("case, status, code", [
    ("too_late", 409, "too_late"),
    ("outside_window", 422, "outside_booking_window"),
    ("other_place", 404, "not_found"),
    ("bad_id", 422, "invalid_input"),
    ("no_id", 422, "invalid_input"),
    ("item_not_here", 422, "invalid_input"),
    ("inspector", 403, "forbidden"),
])
def test_the_citizens_rules_apply_and_a_refusal_writes_nothing(client, session, login, clock,
                                                               case, status, code):
    clock.at = datetime(2026, 11, 30, 8, 40, tzinfo=TZ)
    slot, person, item, who = slot_id(session), dict(CALLER), "SB-001", "agent1"
    if case == "too_late":
        slot = slot_id(session, "2026-11-30", "09:00")  # starts in 20 minutes
    elif case == "outside_window":
        generate_slots(session, clock.now() + timedelta(days=22), 1)  # a Tuesday, 22 days on
        session.commit()
        slot = slot_id(session, "2026-12-22")
    elif case == "other_place":
        slot = slot_id(session, place="BS-CD")
    elif case == "bad_id":
        person["id_number"] = person["id_number"][:-1] + ("0" if person["id_number"][-1] != "0"
                                                           else "1")
    elif case == "no_id":
        person["id_number"] = " "
    elif case == "item_not_here":
        item = "NOPE"
    elif case == "inspector":
        who = "inspector"
    headers = login(who)
    session.commit()
    before = every_row(session)
    assert_error(client.post(BOOK, json={**body(slot, person), "item": item}, headers=headers),
                 status, code)
    session.rollback()
    assert every_row(session) == before


def test_a_full_slot_is_full_for_staff_too(client, session, login):
    slot = slot_id(session, start="12:00")  # an extended session: 2 seats
    agent = login("agent1")
    for sequence in ("401", "402"):
        assert client.post(BOOK, json=body(slot, dict(CALLER, id_number=id_number(
            sequence=sequence))), headers=agent).status_code == 201
    assert_error(client.post(BOOK, json=body(slot), headers=agent), 409, "slot_full")


def test_a_staff_booking_is_checked_in_and_marked_like_any_other(client, session, login, clock):
    agent = login("agent1")
    code = client.post(BOOK, json=body(slot_id(session, "2026-11-30", "10:00")),
                       headers=agent).get_json()["code"]
    checked = client.post(f"/api/v1/staff/bookings/{code}/check-in", headers=agent)
    assert checked.status_code == 200 and checked.get_json()["status"] == "checked_in"


def test_the_window_sees_the_persons_bookings_as_it_types(client, session, login):
    agent = login("agent1")
    code = client.post(BOOK, json=body(slot_id(session)), headers=agent).get_json()["code"]
    online = client.post("/api/v1/bookings", headers=citizen_with(client, "own", CALLER),
                         json={"slot": slot_id(session, start="10:00"),
                               "item": "SB-001"}).get_json()["code"]
    found = client.post("/api/v1/staff/people/lookup", json={"id_number": CALLER["id_number"]},
                        headers=agent).get_json()
    assert [(b["code"], b["booked_by"] and b["booked_by"]["username"])
            for b in found["bookings"]] == [(online, None), (code, "agent1")]


def test_concurrent_staff_bookings_never_overbook_nor_double_a_person(app, session, login):
    """Six windows book the hall's 2-seat extended slot at once for six people, then for one
    person six slots at once: exactly 2 seats taken, and the person holds at most 3."""
    slot = slot_id(session, start="12:00")
    headers = login("agent1")
    people = [dict(CALLER, id_number=id_number(sequence=f"5{n:02d}")) for n in range(6)]

    def post(json):
        return lambda: app.test_client().post(BOOK, json=json, headers=headers)
    answers = run_together([post(body(slot, person)) for person in people])
    assert Counter(a.status_code for a in answers) == {201: 2, 409: 4}
    session.expire_all()
    assert session.get(Slot, slot).booked == 2 == session.scalar(
        select(func.count(Booking.id)).where(Booking.slot_id == slot))

    starts = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
    answers = run_together([post(body(slot_id(session, "2026-12-02", start))) for start in starts])
    assert Counter(a.status_code for a in answers)[201] == 3
    session.expire_all()
    assert session.scalar(select(func.count(Booking.id)).where(
        Booking.person_id_number_key.is_not(None), Booking.person_name == CALLER["name"],
        Booking.slot.has(Slot.date == date(2026, 12, 2)))) == 3
    assert session.scalar(select(func.sum(Slot.booked)).where(
        Slot.date == date(2026, 12, 2))) == 3


# The admin page ------------------------------------------------------------------------------

@pytest.fixture
def admin_as(client, login):
    def sign_in(username: str):
        client.post("/admin/logout")
        assert client.post("/admin/login", data={"username": username,
                                                 "password": PASSWORD}).status_code == 302
        return client
    return sign_in


def test_the_admin_books_for_a_caller_and_shows_the_slip(admin_as, session):
    client = admin_as("agent1")
    page = client.get("/admin/staff-booking/?place=BS-HALL&date=2026-12-01")
    assert page.status_code == 200 and 'name="slot"' in page.get_data(as_text=True)
    slot = slot_id(session)
    answer = client.post("/admin/staff-booking/?place=BS-HALL&date=2026-12-01", data={
        "slot": str(slot), "item": "SB-001", "help_type": "assist", **CALLER})
    assert answer.status_code == 302 and "/admin/staff-booking/slip/" in answer.headers["Location"]
    booking = session.scalar(select(Booking))
    slip = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert booking.code in slip and "李桂兰" in slip and "139****0002" in slip
    assert "打印凭条" in slip
    day = client.get("/admin/bookings/?date=2026-12-01").get_data(as_text=True)
    assert "李桂兰" in day and "代为预约" in day
    # Refused in Chinese, what was typed kept, nothing written.
    session.commit()
    before = every_row(session)
    again = client.post("/admin/staff-booking/?place=BS-HALL&date=2026-12-01", data={
        "slot": str(slot), "item": "SB-001", **CALLER})
    assert again.status_code == 200 and "此人已预约该时段" in again.get_data(as_text=True)
    assert CALLER["name"] in again.get_data(as_text=True)
    session.rollback()
    assert every_row(session) == before
    # Another place's slip is not found; an inspector may not open the page.
    assert admin_as("agent3").get(answer.headers["Location"]).status_code == 404
    assert admin_as("inspector").get("/admin/staff-booking/").status_code == 403


def test_staff_cancel_at_the_holders_request_on_the_holders_terms(client, session, login, clock):
    agent = login("agent1")
    code = client.post(BOOK, json=body(slot_id(session)), headers=agent).get_json()["code"]
    assert_error(client.post(f"{BOOK}/{code}/cancel", headers=login("agent3")), 404, "not_found")
    assert_error(client.post(f"{BOOK}/{code}/cancel", headers=login("inspector")), 403,
                 "forbidden")
    cancelled = client.post(f"{BOOK}/{code}/cancel", headers=agent)
    assert cancelled.status_code == 200, cancelled.get_data(as_text=True)
    answer = cancelled.get_json()
    assert answer["status"] == "cancelled" and "李帮办" in answer["cancel_reason"]
    assert session.get(Slot, slot_id(session)).booked == 0
    # Within the hour before the slot, as for a citizen: too late.
    late = client.post(BOOK, json=body(slot_id(session, "2026-11-30", "10:00")),
                       headers=agent).get_json()["code"]
    clock.at = datetime(2026, 11, 30, 9, 30, tzinfo=TZ)
    assert_error(client.post(f"{BOOK}/{late}/cancel", headers=agent), 409, "too_late")
