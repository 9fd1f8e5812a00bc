"""The staff side of the API: login, tokens, and check-in by booking code (docs/api.md "Staff side";
docs/domain.md "Appointments")."""
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from backend.models import Booking, LoginThrottle, Slot
from backend.services.booking import BookingRules, cancel, mark_no_shows
from backend.services.catalog import import_catalog
from backend.services.slots import generate_slots
from backend.services.scope import SYSTEM
from tests.conftest import TZ
from tests.helpers import assert_error, bearer, run_together

LOGIN = "/api/v1/staff/login"
PASSWORD = "Lantern-harbour-47-quartz"
HALL = {"code": "BS-HALL", "name": "博山区政务服务中心"}
TOWN = {"code": "BS-CHENGXI", "name": "城西街道便民服务中心"}


def at(day, hh_mm):
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(hh_mm), TZ)


@pytest.fixture
def catalog(session, example_catalog, clock):
    example_catalog["places"].append(dict(TOWN, level="town", parent="BS-HALL",
                                          address=None, phone=None))
    example_catalog["stations"].append({"place": "BS-CHENGXI", "department": "RSJ"})
    example_catalog["items"][0]["places"].append("BS-CHENGXI")
    example_catalog["schedules"].append(dict(example_catalog["schedules"][0], place="BS-CHENGXI"))
    import_catalog(session, SYSTEM, example_catalog)
    generate_slots(session, clock.now(), 14)
    session.commit()


@pytest.fixture(autouse=True)
def long_sessions(app):
    """These tests move the clock across days on one sign-in, and try many passwords from one
    address to test the lock by username (the per-address limit has tests of its own)."""
    app.config["STAFF_TOKEN_MAX_AGE_SECONDS"] = 3 * 24 * 3600
    app.config["STAFF_LOGIN_ADDRESS_RATE_LIMIT"] = "1000 per minute"


@pytest.fixture
def make_staff(make_staff, catalog):
    """conftest's factory, once the catalogue is in."""
    return make_staff


@pytest.fixture
def staff_login(client):
    def login(username, password=PASSWORD):
        response = client.post(LOGIN, json={"username": username, "password": password})
        assert response.status_code == 200, response.get_data(as_text=True)
        return bearer(response.get_json()["token"])
    return login


@pytest.fixture
def agent(make_staff, staff_login):
    make_staff("agent1", name="张三")
    return staff_login("agent1")


def slot_at(session, day, start="09:00", place="BS-HALL") -> Slot:
    return session.scalar(select(Slot).join(Slot.place).where(
        Slot.date == date.fromisoformat(day), Slot.start_time == time.fromisoformat(start),
        Slot.place.has(code=place)))


@pytest.fixture
def booking(session, catalog, make_booking):
    """Booked on Monday 2026-11-30 09:00 for Tuesday 2026-12-01 09:00-09:30 at BS-HALL."""
    return make_booking(slot_at(session, "2026-12-01"))


def check_in(client, code, headers):
    return client.post(f"/api/v1/staff/bookings/{code}/check-in", headers=headers)


def status_of(session, booking):
    session.rollback()
    return session.scalar(select(Booking.status).where(Booking.id == booking.id))


# Login ----------------------------------------------------------------------------------------

def test_staff_login(client, make_staff):
    make_staff("agent1", name="张三")
    response = client.post(LOGIN, json={"username": "agent1", "password": PASSWORD})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"token", "expires_in", "staff"}
    assert body["token"] and body["expires_in"] == 3 * 24 * 3600  # the setting (long_sessions)
    assert body["staff"] == {
        "username": "agent1", "name": "张三", "role": "agent", "role_label": "帮办代办员",
        "places": [HALL], "department": {"code": "RSJ", "name": "区人力资源和社会保障局"}}
    assert "password" not in response.get_data(as_text=True)


def wrong_password(client, username="agent1"):
    return client.post(LOGIN, json={"username": username, "password": "Not-the-password-9"})


def right_password(client, username="agent1"):
    return client.post(LOGIN, json={"username": username, "password": PASSWORD})


def throttle(session, username="agent1"):
    session.rollback()
    return session.get(LoginThrottle, username)


def test_five_wrong_passwords_lock_the_name_for_fifteen_minutes(client, session, clock,
                                                                make_staff, caplog):
    make_staff("agent1")
    for _ in range(4):
        assert_error(wrong_password(client), 401, "unauthorized")
    assert throttle(session).failures == 4
    assert_error(wrong_password(client), 401, "unauthorized")  # the fifth locks the name
    assert throttle(session).locked_until == clock.now() + timedelta(minutes=15)
    assert "staff sign-in as 'agent1' locked until" in caplog.text
    # Locked: even the right password is refused, and the answer says until when.
    error = assert_error(right_password(client), 429, "rate_limited")
    assert "09:15" in error["message"]
    assert error["details"] == {"locked_until": "2026-11-30T09:15:00+08:00"}
    clock.at += timedelta(minutes=14, seconds=59)
    assert_error(wrong_password(client), 429, "rate_limited")
    assert_error(right_password(client), 429, "rate_limited")
    clock.at += timedelta(seconds=1)
    assert right_password(client).status_code == 200
    assert throttle(session) is None


def test_a_successful_sign_in_starts_the_count_again(client, session, make_staff):
    make_staff("agent1")
    for _ in range(4):
        assert_error(wrong_password(client), 401, "unauthorized")
    assert right_password(client).status_code == 200
    for _ in range(4):
        assert_error(wrong_password(client), 401, "unauthorized")
    assert right_password(client).status_code == 200


def test_wrong_passwords_far_apart_do_not_add_up(client, clock, make_staff):
    make_staff("agent1")
    for _ in range(6):
        assert_error(wrong_password(client), 401, "unauthorized")
        clock.at += timedelta(minutes=16)
    assert right_password(client).status_code == 200


def test_a_lock_says_nothing_about_who_exists(client, make_staff):
    make_staff("agent1")
    make_staff("agent2")
    for username in ("agent1", "nobody"):
        for _ in range(5):
            assert_error(wrong_password(client, username), 401, "unauthorized")
        assert_error(wrong_password(client, username), 429, "rate_limited")
        assert_error(right_password(client, username), 429, "rate_limited")
    assert right_password(client, "agent2").status_code == 200


def test_wrong_passwords_at_the_same_moment_get_five_guesses(client, session, make_staff):
    make_staff("agent1")
    responses = run_together([lambda: wrong_password(client)] * 20)
    assert Counter(r.status_code for r in responses) == {401: 5, 429: 15}
    assert throttle(session).locked_until is not None
    assert_error(right_password(client), 429, "rate_limited")


def test_staff_login_answers_every_role(client, make_staff):
    make_staff("admin1", role="district_admin", places=(), department=None)
    make_staff("manager1", role="place_manager", places=("BS-HALL", "BS-CHENGXI"), department=None)
    admin = client.post(LOGIN, json={"username": "admin1", "password": PASSWORD}).get_json()
    assert admin["staff"] == {"username": "admin1", "name": "admin1", "role": "district_admin",
                              "role_label": "区政务服务管理办", "places": [], "department": None}
    manager = client.post(LOGIN, json={"username": "manager1", "password": PASSWORD}).get_json()
    assert manager["staff"]["places"] == [TOWN, HALL]  # ordered by code
    assert manager["staff"]["role_label"] == "场所管理员"


def test_wrong_password_and_unknown_user_get_the_same_answer(client, make_staff):
    make_staff("agent1")
    wrong = assert_error(client.post(LOGIN, json={"username": "agent1", "password": "nope-nope"}),
                         401, "unauthorized")
    unknown = assert_error(client.post(LOGIN, json={"username": "nobody", "password": PASSWORD}),
                           401, "unauthorized")
    assert wrong == unknown
    assert wrong["message"] == "用户名或密码错误"


@pytest.mark.parametrize("body", [{}, {"username": "agent1"}, {"password": PASSWORD},
                                  {"username": "", "password": PASSWORD},
                                  {"username": "agent1", "password": ""},
                                  {"username": 1, "password": PASSWORD}])
def test_staff_login_bad_input(client, make_staff, body):
    make_staff("agent1")
    error = assert_error(client.post(LOGIN, json=body), 422, "invalid_input")
    assert error["details"]


def test_staff_token_is_not_a_citizen_token(client, agent):
    assert_error(client.get("/api/v1/me", headers=agent), 401, "unauthorized")
    assert_error(client.get("/api/v1/bookings", headers=agent), 401, "unauthorized")


def test_citizen_token_is_not_a_staff_token(client, session, clock, booking):
    token = client.post("/api/v1/auth/wechat-login", json={"code": "c"}).get_json()["token"]
    clock.at = at("2026-12-01", "08:30")
    assert_error(check_in(client, booking.code, bearer(token)), 401, "unauthorized")
    assert_error(check_in(client, booking.code, {}), 401, "unauthorized")
    assert status_of(session, booking) == "booked"


def test_inactive_staff_cannot_log_in_and_old_tokens_stop(client, session, clock, make_staff,
                                                            staff_login, booking):
    staff = make_staff("agent1")
    headers = staff_login("agent1")
    clock.at = at("2026-12-01", "08:30")
    staff.active = False
    session.commit()
    error = assert_error(client.post(LOGIN, json={"username": "agent1", "password": PASSWORD}),
                         401, "unauthorized")
    assert error["message"] == "用户名或密码错误"
    assert_error(check_in(client, booking.code, headers), 401, "unauthorized")
    assert status_of(session, booking) == "booked"


def test_password_change_ends_old_tokens(client, session, clock, make_staff, staff_login,
                                         booking):
    staff = make_staff("agent1")
    old = staff_login("agent1")
    staff.password_hash = generate_password_hash("Another-long-passphrase-93", "pbkdf2:sha256:1000")
    session.commit()
    clock.at = at("2026-12-01", "08:30")
    assert_error(check_in(client, booking.code, old), 401, "unauthorized")
    assert_error(client.post(LOGIN, json={"username": "agent1", "password": PASSWORD}),
                 401, "unauthorized")
    new = staff_login("agent1", "Another-long-passphrase-93")
    assert check_in(client, booking.code, new).status_code == 200


def test_staff_token_expires(client, clock, agent, booking):
    # The token was issued at the clock's start, 2026-11-30 09:00.
    clock.advance(days=7, seconds=1)
    error = assert_error(check_in(client, booking.code, agent), 401, "unauthorized")
    assert "过期" in error["message"]


# Check-in -------------------------------------------------------------------------------------

@pytest.mark.parametrize("now", ["08:00", "08:59", "09:00", "09:30", "09:59"])
def test_check_in_window(client, session, clock, agent, booking, now):
    clock.at = at("2026-12-01", now)
    response = check_in(client, booking.code, agent)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == booking.code
    assert body["status"] == "checked_in"
    assert body["checked_in_at"] == f"2026-12-01T{now}:00+08:00"
    assert body["slot"]["date"] == "2026-12-01" and body["slot"]["start"] == "09:00"
    assert body["place"] == HALL
    assert status_of(session, booking) == "checked_in"


@pytest.mark.parametrize("day, now", [
    ("2026-12-01", "07:59"),   # 61 min before the start
    ("2026-11-30", "09:00"),   # the day before
    ("2026-11-30", "23:59"),
    ("2026-12-01", "10:00"),   # 30 min after the end: a no-show by now
    ("2026-12-01", "15:00"),
    ("2026-12-02", "09:00"),   # the day after
])
def test_check_in_outside_the_window(client, session, clock, agent, booking, day, now):
    clock.at = at(day, now)
    error = assert_error(check_in(client, booking.code, agent), 409, "invalid_state")
    assert error["details"] == {"opens_at": "2026-12-01T08:00:00+08:00",
                                "closes_at": "2026-12-01T10:00:00+08:00"}
    assert status_of(session, booking) == "booked"


def test_check_in_twice(client, session, clock, agent, booking):
    clock.at = at("2026-12-01", "08:30")
    assert check_in(client, booking.code, agent).status_code == 200
    clock.advance(minutes=5)
    error = assert_error(check_in(client, booking.code, agent), 409, "invalid_state")
    assert error["details"] == {"status": "checked_in"}
    booking = session.get(Booking, booking.id)
    assert booking.checked_in_at == at("2026-12-01", "08:30")


def test_cancelled_booking_cannot_check_in(client, session, clock, agent, booking):
    cancel(session, booking, clock.now(), BookingRules())
    session.commit()
    clock.at = at("2026-12-01", "08:30")
    error = assert_error(check_in(client, booking.code, agent), 409, "invalid_state")
    assert error["details"] == {"status": "cancelled"}
    assert status_of(session, booking) == "cancelled"


def test_check_in_code_is_case_insensitive(client, session, clock, agent, booking):
    clock.at = at("2026-12-01", "08:30")
    response = check_in(client, booking.code.lower(), agent)
    assert response.status_code == 200
    assert response.get_json()["code"] == booking.code
    assert status_of(session, booking) == "checked_in"


def test_agent_of_another_place_gets_not_found(client, session, clock, make_staff, staff_login,
                                               booking):
    make_staff("townagent", places=("BS-CHENGXI",))
    clock.at = at("2026-12-01", "08:30")
    assert_error(check_in(client, booking.code, staff_login("townagent")), 404, "not_found")
    booking = session.get(Booking, booking.id)
    session.refresh(booking)
    assert (booking.status, booking.checked_in_at, booking.checked_in_by) == ("booked", None, None)


def test_manager_of_the_place_checks_in(client, session, clock, make_staff, staff_login, booking):
    make_staff("manager1", role="place_manager", department=None)
    clock.at = at("2026-12-01", "08:30")
    assert check_in(client, booking.code, staff_login("manager1")).status_code == 200


def test_district_admin_checks_in_anywhere(client, session, clock, make_staff, staff_login,
                                           make_booking, booking):
    admin = make_staff("admin1", role="district_admin", places=(), department=None)
    town_booking = make_booking(slot_at(session, "2026-12-01", place="BS-CHENGXI"))
    headers = staff_login("admin1")
    clock.at = at("2026-12-01", "08:30")
    for code in (booking.code, town_booking.code):
        response = check_in(client, code, headers)
        assert response.status_code == 200
        assert response.get_json()["status"] == "checked_in"
    session.rollback()
    assert session.get(Booking, town_booking.id).checked_in_by.id == admin.id


def test_inspector_is_forbidden(client, session, clock, make_staff, staff_login, booking):
    make_staff("inspector1", role="inspector", places=(), department=None)
    clock.at = at("2026-12-01", "08:30")
    headers = staff_login("inspector1")
    assert_error(check_in(client, booking.code, headers), 403, "forbidden")
    assert status_of(session, booking) == "booked"


@pytest.mark.parametrize("code", ["ZZZZZZZZ", "nope", "%E4%B8%AD"])
def test_unknown_code_is_not_found(client, clock, agent, booking, code):
    clock.at = at("2026-12-01", "08:30")
    assert_error(check_in(client, code, agent), 404, "not_found")


def test_checked_in_booking_is_not_a_no_show(client, session, clock, agent, booking,
                                             make_booking):
    unchecked = make_booking(slot_at(session, "2026-12-01"))
    clock.at = at("2026-12-01", "09:10")
    assert check_in(client, booking.code, agent).status_code == 200
    clock.at = at("2026-12-01", "09:59")
    assert mark_no_shows(session, clock.now(), BookingRules()) == []
    clock.at = at("2026-12-01", "10:01")   # 31 min after the end
    marked = mark_no_shows(session, clock.now(), BookingRules())
    session.commit()
    assert [b.id for b in marked] == [unchecked.id]
    assert status_of(session, booking) == "checked_in"
    assert status_of(session, unchecked) == "no_show"
    # A no-show can no longer be checked in.
    error = assert_error(check_in(client, unchecked.code, agent), 409, "invalid_state")
    assert error["details"] == {"status": "no_show"}
