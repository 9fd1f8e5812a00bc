"""Who sees what, as one table (`backend/services/scope.py`), checked on both faces: the API's staff
lists and the admin's scoped views, for every role. The demo gives two places: the district hall
BS-HALL (manager, agent1, agent2) and the town centre BS-CD (agent3, agent4)."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from backend.models import Booking, Case, RotaEntry, ScheduleRule, Slot, Staff
from backend.services import scope
from backend.services.slots import generate_slots
from tests.helpers import bearer

TUESDAY = "2026-12-01"
# Every kind of record: (the API list that shows it, or None; the admin view that shows it, or
# None). The rows are named by the place they belong to and, for cases, their agent.
ALL = {"hall", "cd"}
TABLE = {
    #              cases                              bookings  schedules, rota  staff accounts
    "agent1":     ({"hall/agent1"},                   {"hall"}, {"hall"},        False),
    "manager":    ({"hall/agent1", "hall/agent2"},    {"hall"}, {"hall"},        False),
    "agent3":     ({"cd/agent3"},                     {"cd"},   {"cd"},          False),
    "admin":      ({"hall/agent1", "hall/agent2", "cd/agent3"}, ALL, ALL,        True),
    "inspector":  ({"hall/agent1", "hall/agent2", "cd/agent3"}, ALL, ALL,        False),
}
PLACE_KEYS = {"BS-HALL": "hall", "BS-CD": "cd"}


@pytest.fixture
def world(demo, session, clock, make_case, make_booking):
    """Cases at BS-HALL (agent1's and agent2's) and BS-CD (agent3's), a booking at each place."""
    generate_slots(session, clock.now(), 14)
    for place, agent in (("BS-HALL", "agent1"), ("BS-HALL", "agent2"), ("BS-CD", "agent3")):
        make_case("accepted", "assist", place=place, agent=agent)
    for place in ("BS-HALL", "BS-CD"):
        slot = session.scalar(sa.select(Slot).where(Slot.place.has(code=place),
                                                    Slot.date == date.fromisoformat(TUESDAY))
                              .order_by(Slot.start_time).limit(1))
        make_booking(slot, item="JS-001")
    return {s.username: s for s in session.scalars(sa.select(Staff))}


@pytest.fixture
def api_login(client, demo):
    passwords = {username: password for username, _, password in demo.passwords}

    def login(username: str) -> dict:
        answer = client.post("/api/v1/staff/login",
                             json={"username": username, "password": passwords[username]})
        return bearer(answer.get_json()["token"])
    return login


@pytest.fixture
def admin_login(app, demo):
    """A client of its own, signed in to the admin as that demo account."""
    passwords = {username: password for username, _, password in demo.passwords}

    def login(username: str):
        client = app.test_client()
        answer = client.post("/admin/login", data={"username": username,
                                                   "password": passwords[username]})
        assert answer.status_code == 302
        return client
    return login


def case_key(case: Case) -> str:
    return f"{PLACE_KEYS[case.place.code]}/{case.agent.username}"


@pytest.mark.parametrize("username", TABLE)
def test_the_scope_table_in_sql(world, session, username):
    cases, bookings, places, accounts = TABLE[username]
    staff = world[username]

    def rows(model):
        return session.scalars(sa.select(model).where(scope.visible(staff, model))).all()
    assert {case_key(c) for c in rows(Case)} == cases
    assert {PLACE_KEYS[b.place.code] for b in rows(Booking)} == bookings
    for model in (ScheduleRule, RotaEntry, Slot):
        assert {PLACE_KEYS.get(r.place.code, "other") for r in rows(model)} & ALL == places
    assert bool(rows(Staff)) is accounts


@pytest.mark.parametrize("username", TABLE)
def test_the_api_shows_what_the_table_says(world, client, session, api_login, username):
    cases, bookings, _, _ = TABLE[username]
    headers = api_login(username)

    listed = client.get("/api/v1/staff/cases?per_page=100", headers=headers).get_json()["items"]
    assert {f"{PLACE_KEYS[c['place']['code']]}/{c['agent']['username']}" for c in listed} == cases
    floor = client.get(f"/api/v1/staff/bookings?date={TUESDAY}",
                       headers=headers).get_json()["items"]
    assert {PLACE_KEYS[b["place"]["code"]] for b in floor} == bookings
    # One by number: a case out of sight does not exist.
    for case in session.scalars(sa.select(Case)):
        status = client.get(f"/api/v1/staff/cases/{case.number}", headers=headers).status_code
        assert status == (200 if case_key(case) in cases else 404)


@pytest.mark.parametrize("username", TABLE)
@pytest.mark.parametrize("url, model", [("schedule", ScheduleRule), ("rota", RotaEntry)])
def test_the_admin_shows_what_the_table_says(world, session, admin_login, username, url, model):
    _, _, places, accounts = TABLE[username]
    client = admin_login(username)

    for place, key in PLACE_KEYS.items():
        row = session.scalar(sa.select(model.id).where(model.place.has(code=place)).limit(1))
        status = client.get(f"/admin/{url}/details/?id={row}").status_code
        assert status == (200 if key in places else 302), (place, status)
    assert (client.get("/admin/staff/").status_code == 200) is accounts
