"""亲友代办 (docs/api.md "亲友代办"): a citizen acts for a relative once confirmed, by the relative
or at a window; every per-person rule counts the relative by ID number, whichever account
acted; either side ends it and what was done stays."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend.models import AuditLog, Relative, Staff
from backend.services.scope import SYSTEM
from backend.services.slots import generate_slots
from backend.services.staff import set_password
from tests.helpers import assert_error, bearer
from tests.test_staff_booking import slot_id
from tests.test_window import id_number

PASSWORD = "Hq7#vLm2pX9w-Tz"
FATHER = {"name": "张德全", "id_number": id_number("19460105", "311")}
CHILD = {"name": "张小红", "id_number": id_number("19780506", "422")}
SON = {"name": "张小军", "id_number": id_number("19800707", "513")}


@pytest.fixture(autouse=True)
def no_pace_limit(app):
    app.config["BOOKING_RATE_LIMIT"] = "1000 per minute"
    app.config["CASE_CREATE_RATE_LIMIT"] = "1000 per minute"


@pytest.fixture
def world(session, demo, clock):
    for username in ("agent1", "inspector"):
        set_password(session, SYSTEM, session.scalar(select(Staff).where(
            Staff.username == username)), PASSWORD)
    generate_slots(session, clock.now(), 14)
    session.commit()


def account(client, code: str, person: dict | None) -> dict:
    headers = bearer(client.post("/api/v1/auth/wechat-login",
                                 json={"code": code}).get_json()["token"])
    if person:
        assert client.patch("/api/v1/me", json=person, headers=headers).status_code == 200
    return headers


def staff(client, username: str) -> dict:
    return bearer(client.post("/api/v1/staff/login", json={
        "username": username, "password": PASSWORD}).get_json()["token"])


def add_father(client, headers) -> int:
    answer = client.post("/api/v1/me/relatives", headers=headers,
                         json={**FATHER, "relation": "父亲", "phone": "13905330003"})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return answer.get_json()["id"]


def book(client, headers, start: str, day: str = "2026-12-01", **more):
    from backend.extensions import db
    return client.post("/api/v1/bookings", headers=headers, json={
        "slot": slot_id(db.session, day, start), "item": "SB-001", **more})


def test_the_relative_accepts_and_the_child_books_for_him(client, session, world):
    child, father = account(client, "child", CHILD), account(client, "father", FATHER)
    relative = add_father(client, child)
    listed = client.get("/api/v1/me/relatives", headers=child).get_json()
    assert listed["total"] == 1
    shown = listed["items"][0]
    assert shown["status"] == "pending" and shown["id_number"].startswith("370")
    assert "*" in shown["id_number"] and shown["phone"] == "139****0003"
    # Not yet confirmed: no booking for him.
    assert_error(book(client, child, "09:00", **{"for": relative}), 422, "invalid_input")

    asked = client.get("/api/v1/me/authorisations", headers=father).get_json()
    assert [(a["id"], a["requester"]["name"], a["relation"]) for a in asked["items"]] == [
        (relative, "张**", "父亲")]
    accepted = client.post(f"/api/v1/me/authorisations/{relative}/accept", headers=father)
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "confirmed"
    assert client.get("/api/v1/me/relatives", headers=child).get_json()["items"][0][
        "confirmed_by"] == "relative"

    booked = book(client, child, "09:00", **{"for": relative})
    assert booked.status_code == 201, booked.get_data(as_text=True)
    assert booked.get_json()["for"] == {"name": "张**"}
    code = booked.get_json()["code"]
    # The father sees it; the child follows it too.
    assert [b["code"] for b in client.get("/api/v1/bookings", headers=father).get_json()[
        "items"]] == [code]
    assert [b["code"] for b in client.get("/api/v1/bookings", headers=child).get_json()[
        "items"]] == [code]

    case = client.post("/api/v1/cases", headers=child, json={
        "item": "SB-001", "place": "BS-HALL", "help_type": "proxy", "for": relative,
        "applicant": {"name": "任意"}, "materials": ["SFZ"]})
    assert case.status_code == 201, case.get_data(as_text=True)
    assert case.get_json()["for"] == {"name": "张**"}
    assert case.get_json()["applicant"]["name"] == FATHER["name"]
    number = case.get_json()["number"]
    assert [c["number"] for c in client.get("/api/v1/cases", headers=father).get_json()[
        "items"]] == [number]
    assert client.get(f"/api/v1/cases/{number}", headers=father).status_code == 200


def test_three_bookings_for_one_father_through_two_phones_are_three_of_his(client, session,
                                                                          world):
    daughter, son = account(client, "daughter", CHILD), account(client, "son", SON)
    father = account(client, "father", FATHER)
    ids = [add_father(client, daughter), add_father(client, son)]
    for relative in ids:
        client.post(f"/api/v1/me/authorisations/{relative}/accept", headers=father)
    assert book(client, daughter, "09:00", **{"for": ids[0]}).status_code == 201
    assert book(client, son, "09:30", **{"for": ids[1]}).status_code == 201
    # The same slot for him through the other phone: his already.
    assert_error(book(client, son, "09:00", **{"for": ids[1]}), 409, "duplicate_booking")
    assert book(client, daughter, "10:00", **{"for": ids[0]}).status_code == 201
    assert_error(book(client, son, "10:30", **{"for": ids[1]}), 422, "booking_limit")
    # His own account counts them too (the citizen's own path), on the limit and the slot.
    assert_error(book(client, father, "11:00"), 422, "booking_limit")
    # The children's own bookings are theirs: what they booked for him does not count.
    for start in ("09:00", "09:30", "10:00"):
        assert book(client, daughter, start).status_code == 201


def test_a_window_confirms_for_a_relative_without_wechat(client, session, world):
    child = account(client, "child", CHILD)
    relative = add_father(client, child)
    agent = staff(client, "agent1")
    found = client.post("/api/v1/staff/people/lookup", json={"id_number": FATHER["id_number"]},
                        headers=agent).get_json()
    assert [(a["id"], a["requester"]["name"]) for a in found["authorisations"]] == [
        (relative, CHILD["name"])]
    url = f"/api/v1/staff/relatives/{relative}/confirm"
    assert_error(client.post(url, json={"note": " "}, headers=agent), 422, "invalid_input")
    assert_error(client.post(url, json={"note": "身份证原件、签字的授权委托书"},
                             headers=staff(client, "inspector")), 403, "forbidden")
    confirmed = client.post(url, json={"note": "身份证原件、签字的授权委托书"}, headers=agent)
    assert confirmed.status_code == 200, confirmed.get_data(as_text=True)
    body = confirmed.get_json()
    assert body["status"] == "confirmed" and body["confirmed_by_staff"]["username"] == "agent1"
    assert_error(client.post(url, json={"note": "再次"}, headers=agent), 409, "invalid_state")
    stored = session.get(Relative, relative)
    assert stored.confirmed_by_staff.username == "agent1" and stored.confirmed_at
    assert session.scalar(select(AuditLog.staff_id).where(AuditLog.entity == "relative",
                                                          AuditLog.action == "update"))
    assert client.get("/api/v1/me/relatives", headers=child).get_json()["items"][0][
        "confirmed_by"] == "window"
    assert book(client, child, "09:00", **{"for": relative}).status_code == 201


def test_either_side_ends_it_and_what_was_done_stays(client, session, world):
    child, father = account(client, "child", CHILD), account(client, "father", FATHER)
    stranger = account(client, "stranger", SON)
    relative = add_father(client, child)
    client.post(f"/api/v1/me/authorisations/{relative}/accept", headers=father)
    code = book(client, child, "09:00", **{"for": relative}).get_json()["code"]
    assert_error(client.delete(f"/api/v1/me/relatives/{relative}", headers=stranger), 404,
                 "not_found")
    assert client.delete(f"/api/v1/me/relatives/{relative}", headers=father).status_code == 204
    assert session.get(Relative, relative).ended_by == "relative"
    assert_error(book(client, child, "09:30", **{"for": relative}), 422, "invalid_input")
    assert [b["code"] for b in client.get("/api/v1/bookings", headers=child).get_json()[
        "items"]] == [code]
    assert_error(client.delete(f"/api/v1/me/relatives/{relative}", headers=child), 409,
                 "invalid_state")
    # A new request may follow an ended one.
    assert add_father(client, child) != relative


def test_adding_oneself_or_twice_or_a_bad_number_is_refused(client, world):
    child = account(client, "child", CHILD)
    assert_error(client.post("/api/v1/me/relatives", headers=child,
                             json={**CHILD, "relation": "本人"}), 422, "invalid_input")
    add_father(client, child)
    assert_error(client.post("/api/v1/me/relatives", headers=child,
                             json={**FATHER, "relation": "父亲"}), 409, "invalid_state")
    assert_error(client.post("/api/v1/me/relatives", headers=child, json={
        **FATHER, "id_number": FATHER["id_number"][:-1] + (
            "0" if FATHER["id_number"][-1] != "0" else "1"), "relation": "父亲"}), 422,
        "invalid_input")
    other = account(client, "other", SON)
    relative = client.get("/api/v1/me/relatives", headers=child).get_json()["items"][0]["id"]
    # Someone else's relation is not theirs to use, nor to accept.
    assert_error(book(client, other, "09:00", **{"for": relative}), 422, "invalid_input")
    assert_error(client.post(f"/api/v1/me/authorisations/{relative}/accept", headers=other),
                 404, "not_found")


def test_the_admin_window_shows_and_confirms_the_request(client, session, world):
    child = account(client, "child", CHILD)
    relative = add_father(client, child)
    client.post("/admin/login", data={"username": "agent1", "password": PASSWORD})
    found = client.post("/admin/window/person", data={"id_number": FATHER["id_number"]})
    waiting = found.get_json()["authorisations"]
    assert [(a["id"], a["requester"], a["relation"]) for a in waiting] == [
        (relative, CHILD["name"], "父亲")]
    url = found.get_json()["confirm_url"].replace("/0/confirm", f"/{relative}/confirm")
    refused = client.post(url, data={"note": ""})
    assert refused.status_code == 422 and not refused.get_json()["ok"]
    done = client.post(url, data={"note": "身份证原件、签字的授权委托书"})
    assert done.status_code == 200 and done.get_json()["ok"]
    session.expire_all()
    assert session.get(Relative, relative).confirmation_note == "身份证原件、签字的授权委托书"


def test_no_shows_of_what_was_booked_for_him_are_his_not_the_childs(client, session, world,
                                                                    clock):
    from datetime import datetime

    from backend.models import Citizen
    from backend.services.booking import BookingRules, mark_no_shows
    from tests.conftest import TZ
    child, father = account(client, "child", CHILD), account(client, "father", FATHER)
    relative = add_father(client, child)
    client.post(f"/api/v1/me/authorisations/{relative}/accept", headers=father)
    for start in ("09:00", "09:30", "10:00"):
        assert book(client, child, start, **{"for": relative}).status_code == 201
    clock.at = datetime(2026, 12, 1, 18, 0, tzinfo=TZ)
    assert len(mark_no_shows(session, clock.now(), BookingRules())) == 3
    session.commit()
    blocked = {c.name: c.blocked_until for c in session.scalars(select(Citizen))}
    assert blocked[FATHER["name"]] is not None and blocked[CHILD["name"]] is None
    # Blocked by ID number, through any account.
    child, father = account(client, "child", None), account(client, "father", None)
    assert_error(book(client, child, "09:00", "2026-12-02", **{"for": relative}), 403,
                 "booking_blocked")
    assert_error(book(client, father, "09:00", "2026-12-02"), 403, "booking_blocked")
    assert book(client, child, "09:00", "2026-12-02").status_code == 201


def test_two_phones_booking_for_one_father_at_once_stay_within_his_limit(app, client, session,
                                                                        world):
    from tests.helpers import run_together
    daughter, son = account(client, "daughter", CHILD), account(client, "son", SON)
    father = account(client, "father", FATHER)
    ids = [add_father(client, daughter), add_father(client, son)]
    for relative in ids:
        client.post(f"/api/v1/me/authorisations/{relative}/accept", headers=father)
    # Slot ids read first: the threads only post.
    slots = [slot_id(session, "2026-12-01", s) for s in ("09:00", "09:30", "10:00", "10:30",
                                                         "11:00", "11:30", "13:30")]
    calls = [(lambda h=h, r=r, s=s: app.test_client().post("/api/v1/bookings", headers=h, json={
        "slot": s, "item": "SB-001", "for": r}))
        for (h, r, mine) in ((daughter, ids[0], slots[:3]), (son, ids[1], slots[3:6]))
        for s in mine]
    calls.append(lambda: app.test_client().post("/api/v1/bookings", headers=father, json={
        "slot": slots[6], "item": "SB-001"}))
    answers = run_together(calls)
    assert sum(a.status_code == 201 for a in answers) == 3
    session.expire_all()
    from backend.models import Booking
    assert session.scalar(select(func.count(Booking.id)).where(
        Booking.status == "booked")) == 3
