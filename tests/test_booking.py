"""Booking through the API: every rule and error code of docs/api.md's citizen booking side."""
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from backend.models import Booking, Citizen, Slot
from backend.services.booking import CODE_ALPHABET, BookingRules, mark_no_shows
from backend.services.catalog import import_catalog
from backend.services.slots import generate_slots
from backend.services.scope import SYSTEM
from miniprogram_api.schemas import BookingSchema

D = date.fromisoformat


@pytest.fixture
def hall(session, example_catalog, clock):
    example_catalog["items"].append(dict(example_catalog["items"][0], code="SB-002",
                                         name="仅代办的事项", help_types=["proxy"]))
    import_catalog(session, SYSTEM, example_catalog)
    generate_slots(session, clock.now(), 14)
    session.commit()


def slot_at(session, day, start="09:00") -> Slot:
    return session.scalar(select(Slot).where(
        Slot.date == D(day), Slot.start_time == time.fromisoformat(start)))


@pytest.fixture
def login(client):
    def login(code="wx-code-1"):
        answer = client.post("/api/v1/auth/wechat-login", json={"code": code}).get_json()
        return {"Authorization": f"Bearer {answer['token']}"}
    return login


@pytest.fixture
def book(client, login):
    def book(slot, headers=None, **body):
        body = {"slot": slot.id, "item": "SB-001", **body}
        return client.post("/api/v1/bookings", json=body, headers=headers or login())
    return book


def error_code(response):
    return response.get_json()["error"]["code"]


def test_book_list_and_slot_remaining(client, session, hall, book, login):
    headers = login()
    slot = slot_at(session, "2026-12-01")
    response = book(slot, headers, help_type="assist", note="带老人来办")
    assert response.status_code == 201
    booking = response.get_json()
    assert booking["status"] == "booked"
    assert booking["slot"]["id"] == slot.id and booking["slot"]["start"] == "09:00"
    assert booking["item"] == {"code": "SB-001", "name": "城乡居民基本养老保险参保登记"}
    assert booking["place"]["code"] == "BS-HALL"
    assert booking["help_type"] == "assist"
    assert len(booking["code"]) == 8 and set(booking["code"]) <= set(CODE_ALPHABET)
    mine = client.get("/api/v1/bookings", headers=headers).get_json()
    assert [b["code"] for b in mine["items"]] == [booking["code"]]
    slots = client.get("/api/v1/places/BS-HALL/slots?from=2026-12-01&to=2026-12-01").get_json()
    assert slots["items"][0]["remaining"] == 3
    # The booking's answer when made is the one it has in the list afterwards.
    assert mine["items"] == [booking]
    # Every field the schema declares, by the name the answer uses (`for`, a Python keyword).
    assert set(booking) == {field.data_key or name for name, field in BookingSchema().fields.items()}


def test_the_fast_booking_dump_equals_the_schema_dump(app, session, hall, make_booking, clock):
    from backend.services.booking import book
    from miniprogram_api.views.bookings import dump_booking
    make_booking(slot_at(session, "2026-12-01"))
    citizen = Citizen(openid="o-fast", created_at=clock.now())
    session.add(citizen)
    session.commit()
    written = book(session, citizen.id, slot_at(session, "2026-12-01").id, "SB-001", "assist",
                   "备注", clock.now(), BookingRules())
    session.commit()
    assert written.slot.remaining == 2
    assert dump_booking(written) == BookingSchema().dump(written)
    assert dump_booking(written) == BookingSchema().dump(session.get(Booking, written.id))


def test_booking_codes_are_unique_and_unpredictable(session, hall, book, login):
    codes = [book(slot_at(session, "2026-12-01"), login(f"c{i}")).get_json()["code"]
             for i in range(4)]
    assert len(set(codes)) == 4
    assert not any(set(c) & set("01OI") for c in codes)


def test_slot_full(session, hall, book, login):
    slot = slot_at(session, "2026-12-01")
    for i in range(4):
        assert book(slot, login(f"c{i}")).status_code == 201
    response = book(slot, login("late"))
    assert (response.status_code, error_code(response)) == (409, "slot_full")


def test_duplicate_booking(session, hall, book, login):
    headers, slot = login(), slot_at(session, "2026-12-01")
    book(slot, headers)
    response = book(slot, headers)
    assert (response.status_code, error_code(response)) == (409, "duplicate_booking")


def test_at_most_three_active_bookings(session, hall, book, login):
    headers = login()
    for day in ("2026-12-01", "2026-12-02", "2026-12-03"):
        assert book(slot_at(session, day), headers).status_code == 201
    response = book(slot_at(session, "2026-12-04"), headers)
    assert (response.status_code, error_code(response)) == (422, "booking_limit")
    assert session.get(Slot, slot_at(session, "2026-12-04").id).booked == 0


def test_booking_window_and_closing_time(session, hall, book, clock):
    generate_slots(session, clock.now() + timedelta(days=7), 14)
    session.commit()
    response = book(slot_at(session, "2026-12-15"))
    assert (response.status_code, error_code(response)) == (422, "outside_booking_window")
    clock.at = clock.at.replace(hour=9, minute=31)
    response = book(slot_at(session, "2026-11-30", "10:00"))
    assert (response.status_code, error_code(response)) == (409, "too_late")
    assert book(slot_at(session, "2026-11-30", "10:30")).status_code == 201


@pytest.mark.parametrize("body, field", [
    ({"slot": "abc"}, "slot"), ({"item": "NOPE"}, "item"), ({"help_type": "delivery"}, "help_type"),
    ({"help_type": "assist", "item": "SB-002"}, "help_type"), ({"note": "长" * 501}, "note"),
])
def test_bad_booking_input(client, session, hall, login, body, field):
    body = {"slot": slot_at(session, "2026-12-01").id, "item": "SB-001", **body}
    response = client.post("/api/v1/bookings", json=body, headers=login())
    assert response.status_code == 422
    assert error_code(response) == "invalid_input"
    assert field in str(response.get_json()["error"]["details"])
    assert session.scalar(select(Booking.id)) is None


def test_unknown_slot_is_not_found(client, hall, login):
    response = client.post("/api/v1/bookings", json={"slot": 999999, "item": "SB-001"},
                           headers=login())
    assert (response.status_code, error_code(response)) == (404, "not_found")


def test_login_required(client, hall):
    assert client.get("/api/v1/bookings").status_code == 401
    response = client.get("/api/v1/bookings", headers={"Authorization": "Bearer forged"})
    assert (response.status_code, error_code(response)) == (401, "unauthorized")


def test_cancel_and_its_deadline(client, session, hall, book, login, clock):
    headers = login()
    code = book(slot_at(session, "2026-12-01"), headers).get_json()["code"]
    response = client.post(f"/api/v1/bookings/{code}/cancel", headers=headers)
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    assert response.get_json()["cancelled_by"] == "citizen"
    assert slot_at(session, "2026-12-01").booked == 0
    again = client.post(f"/api/v1/bookings/{code}/cancel", headers=headers)
    assert (again.status_code, error_code(again)) == (409, "invalid_state")

    late = book(slot_at(session, "2026-11-30", "11:00"), headers).get_json()["code"]
    clock.at = clock.at.replace(hour=10, minute=1)
    response = client.post(f"/api/v1/bookings/{late}/cancel", headers=headers)
    assert (response.status_code, error_code(response)) == (409, "too_late")


def test_cannot_touch_someone_elses_booking(client, session, hall, book, login):
    code = book(slot_at(session, "2026-12-01"), login("owner")).get_json()["code"]
    other = login("other")
    assert client.post(f"/api/v1/bookings/{code}/cancel", headers=other).status_code == 404
    response = client.post(f"/api/v1/bookings/{code}/reschedule", headers=other,
                           json={"slot": slot_at(session, "2026-12-02").id})
    assert response.status_code == 404
    assert session.scalar(select(Booking.status)) == "booked"


@pytest.mark.parametrize("field", ["list", "narrowed"])
def test_the_fast_dumper_refuses_fields_it_cannot_follow(field):
    from backend import fields as f
    from miniprogram_api.schemas import RefSchema, fast_dumper
    made = {"list": lambda: f.List(f.Nested(RefSchema)),
            "narrowed": lambda: f.Nested(RefSchema, only=("code",))}[field]()
    with pytest.raises(TypeError):
        fast_dumper(type("Odd", (f.Schema,), {"ref": made}))


def test_reschedule_moves_the_seat(client, session, hall, book, login):
    headers = login()
    old, new = slot_at(session, "2026-12-01"), slot_at(session, "2026-12-02")
    code = book(old, headers).get_json()["code"]
    response = client.post(f"/api/v1/bookings/{code}/reschedule", json={"slot": new.id},
                           headers=headers)
    assert response.status_code == 200
    assert response.get_json()["slot"]["id"] == new.id
    session.expire_all()
    assert (old.booked, new.booked) == (0, 1)


def test_reschedule_to_a_full_slot_keeps_the_old_one(client, session, hall, book, login):
    headers = login()
    old, full = slot_at(session, "2026-12-01"), slot_at(session, "2026-12-02")
    code = book(old, headers).get_json()["code"]
    for i in range(4):
        book(full, login(f"c{i}"))
    response = client.post(f"/api/v1/bookings/{code}/reschedule", json={"slot": full.id},
                           headers=headers)
    assert (response.status_code, error_code(response)) == (409, "slot_full")
    session.expire_all()
    assert (old.booked, full.booked) == (1, 4)
    assert session.scalar(select(Booking).where(Booking.code == code)).slot_id == old.id


def test_reschedule_onto_a_slot_i_hold_is_a_duplicate(client, session, hall, book, login):
    headers = login()
    first, second = slot_at(session, "2026-12-01"), slot_at(session, "2026-12-02")
    code = book(first, headers).get_json()["code"]
    book(second, headers)
    response = client.post(f"/api/v1/bookings/{code}/reschedule", json={"slot": second.id},
                           headers=headers)
    assert (response.status_code, error_code(response)) == (409, "duplicate_booking")
    session.expire_all()
    assert (first.booked, second.booked) == (1, 1)


def test_a_citizen_at_the_limit_can_still_reschedule(client, session, hall, book, login):
    # Moving a booking never adds one: holding the most bookings allowed is no obstacle.
    headers = login()
    codes = [book(slot_at(session, day), headers).get_json()["code"]
             for day in ("2026-12-01", "2026-12-02", "2026-12-03")]
    target = slot_at(session, "2026-12-04")
    response = client.post(f"/api/v1/bookings/{codes[0]}/reschedule", json={"slot": target.id},
                           headers=headers)
    assert response.status_code == 200 and response.get_json()["slot"]["id"] == target.id
    assert response.get_json()["slot"]["remaining"] == 3


def test_idempotency_key_returns_the_first_answer(client, session, hall, login):
    headers = {**login(), "Idempotency-Key": "tap-1"}
    body = {"slot": slot_at(session, "2026-12-01").id, "item": "SB-001"}
    first = client.post("/api/v1/bookings", json=body, headers=headers)
    second = client.post("/api/v1/bookings", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert len(session.scalars(select(Booking)).all()) == 1
    assert slot_at(session, "2026-12-01").booked == 1


def test_no_shows_block_booking(client, session, hall, book, login, clock):
    headers = login()
    for day in ("2026-12-01", "2026-12-02", "2026-12-03"):
        book(slot_at(session, day), headers)
    clock.at = clock.at.replace(month=12, day=3, hour=9, minute=59)
    assert len(mark_no_shows(session, clock.now(), BookingRules())) == 2
    clock.at = clock.at.replace(month=12, day=4, hour=8)
    assert len(mark_no_shows(session, clock.now(), BookingRules())) == 1
    assert mark_no_shows(session, clock.now(), BookingRules()) == []
    session.commit()
    citizen = session.scalar(select(Citizen))
    assert citizen.blocked_until == clock.now() + timedelta(days=30)
    response = book(slot_at(session, "2026-12-07"), headers)
    assert (response.status_code, error_code(response)) == (403, "booking_blocked")
    clock.advance(days=31)
    generate_slots(session, clock.now(), 14)
    session.commit()
    assert book(slot_at(session, "2027-01-05"), login()).status_code == 201  # token expired: log in again


@pytest.mark.parametrize("slot", [0, -1, 2**31, 10**30])
def test_slot_ids_out_of_range_are_invalid_input_not_a_crash(client, hall, login, slot):
    response = client.post("/api/v1/bookings", json={"slot": slot, "item": "SB-001"},
                           headers=login())
    assert (response.status_code, error_code(response)) == (422, "invalid_input")
