"""The floor's list, `GET /staff/bookings?date=&place=&kind=` (docs/api.md "Staff side"): the
bookings of a day at the places the staff member may see, by slot start, with what the counter needs
to find and check in whoever arrives, and nothing of another place's."""
from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa

from backend.models import Slot
from backend.services.citizens import set_phone, update_profile
from backend.services.slots import generate_slots
from backend.services.staff import create_staff
from backend.services.scope import SYSTEM
from tests.helpers import assert_error, bearer

URL = "/api/v1/staff/bookings"
TUESDAY = "2026-12-01"
CD_MANAGER_PASSWORD = "Cheng-dong-harbour-58"


@pytest.fixture
def floor(demo, session, clock, make_citizen, make_booking):
    """The demo with its slots, a manager of BS-CD, and bookings: on Tuesday at BS-HALL 09:30
    (老李, with a phone), 09:00 and 12:00 (extended), at BS-CD 09:00; on Wednesday at BS-HALL."""
    generate_slots(session, clock.now(), 14)
    create_staff(session, SYSTEM, username="cdmanager", password=CD_MANAGER_PASSWORD,
                 role="place_manager", name="陈经理", place_codes=["BS-CD"], now=clock.now())
    session.commit()
    li = make_citizen()
    update_profile(li, "李老汉", None, clock.now())
    set_phone(li, "13912345678")
    session.commit()

    def slot(place, day, start):
        return session.scalar(sa.select(Slot).where(
            Slot.place.has(code=place), Slot.date == date.fromisoformat(day),
            Slot.start_time == time.fromisoformat(start)))
    return {
        "hall_0930": make_booking(slot("BS-HALL", TUESDAY, "09:30"), li, item="JS-001",
                                  help_type="assist").code,
        "hall_0900": make_booking(slot("BS-HALL", TUESDAY, "09:00"), item="JS-001").code,
        "hall_1200": make_booking(slot("BS-HALL", TUESDAY, "12:00"), item="JS-001",
                                  help_type="proxy").code,
        "cd_0900": make_booking(slot("BS-CD", TUESDAY, "09:00"), item="JS-001").code,
        "hall_wed": make_booking(slot("BS-HALL", "2026-12-02", "09:00"), item="JS-001").code,
    }


@pytest.fixture
def login(client, demo):
    passwords = {username: password for username, _, password in demo.passwords}
    passwords["cdmanager"] = CD_MANAGER_PASSWORD

    def login(username):
        answer = client.post("/api/v1/staff/login",
                             json={"username": username, "password": passwords[username]})
        assert answer.status_code == 200, answer.get_json()
        return bearer(answer.get_json()["token"])
    return login


def codes(client, headers, query=f"date={TUESDAY}"):
    answer = client.get(f"{URL}?{query}", headers=headers)
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["total"] == len(body["items"])
    return [b["code"] for b in body["items"]]


def test_the_list_shows_what_the_counter_needs(client, floor, login):
    answer = client.get(f"{URL}?date={TUESDAY}&place=BS-HALL", headers=login("agent1"))

    assert answer.status_code == 200
    first, second = answer.get_json()["items"][:2]
    assert (first["code"], second["code"]) == (floor["hall_0900"], floor["hall_0930"])
    assert second["slot"]["date"] == TUESDAY
    assert (second["slot"]["start"], second["slot"]["end"]) == ("09:30", "10:00")
    assert second["item"]["code"] == "JS-001" and second["item"]["name"]
    assert second["place"] == {"code": "BS-HALL", "name": "博山区政务服务中心"}
    assert (second["help_type"], second["status"], second["status_label"]) == (
        "assist", "booked", "已预约")
    assert second["citizen"] == {"name": "李老汉", "phone": "139****5678"}
    assert first["citizen"] == {"name": None, "phone": None}
    assert "13912345678" not in answer.get_data(as_text=True)


@pytest.mark.parametrize("username, expected", [
    ("agent1", ["hall_0900", "hall_0930", "hall_1200"]),       # BS-HALL, all its bookings
    ("manager", ["hall_0900", "hall_0930", "hall_1200"]),      # BS-HALL's manager
    ("agent3", ["cd_0900"]),                                   # BS-CD only
    ("cdmanager", ["cd_0900"]),
    ("admin", ["hall_0900", "cd_0900", "hall_0930", "hall_1200"]),  # every place, by start
    ("inspector", ["hall_0900", "cd_0900", "hall_0930", "hall_1200"]),
])
def test_each_role_sees_the_bookings_of_its_places(client, floor, login, username, expected):
    assert codes(client, login(username)) == [floor[key] for key in expected]


@pytest.mark.parametrize("username", ["agent3", "cdmanager"])
def test_another_places_staff_see_nothing_of_it(client, floor, login, username):
    headers = login(username)
    assert codes(client, headers, f"date={TUESDAY}&place=BS-HALL") == []
    assert codes(client, headers, "date=2026-12-02") == []  # only BS-HALL has bookings then


def test_the_day_defaults_to_today(client, floor, login, clock):
    assert codes(client, login("agent1"), "") == []  # nothing booked on Monday
    clock.advance(days=1)
    assert codes(client, login("agent1"), "") == [
        floor["hall_0900"], floor["hall_0930"], floor["hall_1200"]]


def test_filters_by_kind_and_status(client, floor, login):
    headers = login("manager")
    assert codes(client, headers, f"date={TUESDAY}&kind=extended") == [floor["hall_1200"]]
    assert codes(client, headers, f"date={TUESDAY}&kind=regular&status=booked") == [
        floor["hall_0900"], floor["hall_0930"]]
    assert codes(client, headers, f"date={TUESDAY}&status=checked_in") == []


def test_pages(client, floor, login):
    answer = client.get(f"{URL}?date={TUESDAY}&per_page=2&page=2", headers=login("admin"))
    body = answer.get_json()
    assert body["total"] == 4
    assert [b["code"] for b in body["items"]] == [floor["hall_0930"], floor["hall_1200"]]


def test_a_checked_in_booking_says_who_checked_it_in(client, floor, login, clock):
    clock.advance(days=1, minutes=-10)  # Tuesday 08:50
    headers = login("agent1")
    assert client.post(f"{URL}/{floor['hall_0900']}/check-in", headers=headers).status_code == 200
    first = client.get(URL, headers=headers).get_json()["items"][0]
    assert first["status"] == "checked_in"
    assert first["checked_in_by"]["username"] == "agent1"


@pytest.mark.parametrize("query, field", [
    ("date=2026-13-01", "date"), ("kind=night", "kind"), ("status=gone", "status"),
    ("place=NOPE", "place"), ("per_page=101", "per_page"), ("page=0", "page"),
])
def test_bad_queries_are_refused(client, floor, login, query, field):
    error = assert_error(client.get(f"{URL}?{query}", headers=login("agent1")), 422,
                         "invalid_input")
    assert field in str(error["details"])


def test_staff_only(client, floor):
    assert_error(client.get(URL), 401, "unauthorized")
    citizen = client.post("/api/v1/auth/wechat-login", json={"code": "someone"}).get_json()
    assert_error(client.get(URL, headers=bearer(citizen["token"])), 401, "unauthorized")


def test_the_list_is_in_the_served_document(client):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"]["/staff/bookings"]["get"]
    assert (operation["operationId"], operation["security"]) == (
        "listStaffBookings", [{"staffAuth": []}])
    names = {p["name"] for p in operation["parameters"]}
    assert {"date", "place", "kind", "status", "page", "per_page"} <= names
