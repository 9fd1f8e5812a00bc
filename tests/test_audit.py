"""Every change by staff, a job or a command is audited, however the row is written (docs/domain.md
"Non-negotiables"): the booking paths that write with Core statements (a hall's cancellation,
no-show marking, a reschedule) as much as the ORM's (check-in). A citizen's own actions are not
staff changes and are not audited."""
from __future__ import annotations

import json
from datetime import date, time

import pytest
import sqlalchemy as sa

from backend.infrastructure.audit import SYSTEM, act_as
from backend.models import AuditLog, Booking, Citizen, Slot
from backend.services import booking as booking_service
from backend.services.booking import BookingRules
from backend.services.catalog import import_catalog
from backend.services.slots import HALL_CANCEL_REASON, generate_slots
from backend.services.staff import create_staff
from tests.helpers import bearer
from tests.factories import trained

PASSWORD = "Lantern-harbour-47-quartz"


@pytest.fixture
def hall(session, example_catalog, clock):
    """BS-HALL with its Saturday morning on the rota of agent1, and slots for two weeks."""
    example_catalog["schedules"].append(
        {"place": "BS-HALL", "kind": "weekend", "weekdays": [6], "start": "09:00",
         "end": "10:00", "slot_minutes": 30, "capacity": 2})
    import_catalog(session, SYSTEM, example_catalog)
    agent = create_staff(session, SYSTEM, username="agent1", password=PASSWORD, role="agent",
                         name="李帮办", place_codes=["BS-HALL"], department_code="RSJ",
                         now=clock.now(), training=trained(clock.now()))
    import_catalog(session, SYSTEM, {"rota": [{"place": "BS-HALL", "date": "2026-12-05",
                                       "agent": "agent1"}]})
    generate_slots(session, clock.now(), 14)
    session.commit()
    return example_catalog | {"agent_id": agent.id}


def slot(session, day: str, start: str = "09:00") -> Slot:
    return session.scalar(sa.select(Slot).where(Slot.date == date.fromisoformat(day),
                                                Slot.start_time == time.fromisoformat(start)))


def audit_rows(session, entity: str = "booking") -> list[tuple[int | None, str, str, dict]]:
    """(staff_id, action, entity_key, changes) of the entity's audit rows, oldest first."""
    session.expire_all()
    return [(row.staff_id, row.action, row.entity_key, json.loads(row.changes))
            for row in session.scalars(sa.select(AuditLog).where(AuditLog.entity == entity)
                                       .order_by(AuditLog.id))]


def test_a_hall_cancellation_by_staff_is_audited_as_theirs(session, hall, clock, make_booking):
    booking = make_booking(slot(session, "2026-12-05"))
    assert audit_rows(session) == []  # the citizen's own booking

    act_as(session, hall["agent_id"])  # as the admin does for a signed-in manager
    import_catalog(session, SYSTEM, {"schedules": hall["schedules"][:1]})  # the weekend rule goes
    generate_slots(session, clock.now(), 14)
    session.commit()

    [(staff_id, action, key, changes)] = audit_rows(session)
    assert (staff_id, action, key) == (hall["agent_id"], "update", booking.code)
    assert changes["status"] == ["booked", "cancelled"]
    assert changes["cancelled_by"] == [None, "hall"]
    assert changes["cancel_reason"] == [None, HALL_CANCEL_REASON]


def test_a_hall_cancellation_by_a_command_is_audited_as_the_systems(
        session, hall, clock, make_booking, cli, write_json):
    booking = make_booking(slot(session, "2026-12-05"))
    changed = {k: v for k, v in hall.items() if k != "agent_id"}
    changed["rota"] = [{"place": "BS-HALL", "date": "2026-12-12", "agent": "agent1"}]

    assert cli("catalog-import", write_json(changed)).exit_code == 0

    [(staff_id, _, key, changes)] = audit_rows(session)
    assert (staff_id, key, changes["status"]) == (None, booking.code, ["booked", "cancelled"])
    rota = audit_rows(session, "rota_entry")
    assert [(r[0], r[1]) for r in rota] == [(None, "create"), (None, "delete")]
    # The command's actor does not outlive it.
    assert session.info.get("audit_actor") is None


def test_a_check_in_is_audited_as_the_agents(session, hall, clock, make_booking, client):
    booking = make_booking(slot(session, "2026-12-01"))
    clock.advance(days=1, minutes=-30)
    token = client.post("/api/v1/staff/login",
                        json={"username": "agent1", "password": PASSWORD}).get_json()["token"]

    answer = client.post(f"/api/v1/staff/bookings/{booking.code}/check-in", headers=bearer(token))

    assert answer.status_code == 200
    [(staff_id, action, key, changes)] = audit_rows(session)
    assert (staff_id, action, key) == (hall["agent_id"], "update", booking.code)
    assert changes["status"] == ["booked", "checked_in"]
    assert changes["checked_in_by_id"] == [None, hall["agent_id"]]


def test_no_show_marking_by_the_job_is_audited_with_the_block(session, hall, clock, make_booking,
                                                              make_citizen, cli):
    citizen = make_citizen()
    bookings = [make_booking(slot(session, "2026-12-01", start), citizen)
                for start in ("09:00", "09:30", "10:00")]
    clock.advance(days=2)

    result = cli("jobs", "run", "mark-no-shows")

    assert result.exit_code == 0, result.output
    rows = audit_rows(session)
    assert [(r[0], r[2], r[3]["status"]) for r in rows] == [
        (None, b.code, ["booked", "no_show"]) for b in bookings]
    [(staff_id, action, _, changes)] = audit_rows(session, "citizen")
    assert (staff_id, action, changes["blocked_until"][0]) == (None, "update", None)
    # Run again: nothing more to mark, nothing more written.
    assert cli("jobs", "run", "mark-no-shows").exit_code == 0
    assert len(audit_rows(session)) == 3


def test_a_reschedule_is_audited_when_staff_make_it(session, hall, clock, make_booking):
    booking = make_booking(slot(session, "2026-12-01"))
    new_slot = slot(session, "2026-12-02")

    act_as(session, hall["agent_id"])
    booking_service.reschedule(session, booking, new_slot.id, clock.now(), BookingRules())
    session.commit()

    [(staff_id, action, key, changes)] = audit_rows(session)
    assert (staff_id, action, key) == (hall["agent_id"], "update", booking.code)
    assert changes == {"slot_id": [slot(session, "2026-12-01").id, new_slot.id]}


def test_a_citizens_own_reschedule_and_cancel_are_not_audited(session, hall, client):
    token = client.post("/api/v1/auth/wechat-login", json={"code": "wang"}).get_json()["token"]
    citizen = bearer(token)
    code = client.post("/api/v1/bookings", headers=citizen, json={
        "slot": slot(session, "2026-12-01").id, "item": "SB-001"}).get_json()["code"]

    assert client.post(f"/api/v1/bookings/{code}/reschedule", headers=citizen,
                       json={"slot": slot(session, "2026-12-02").id}).status_code == 200
    assert client.post(f"/api/v1/bookings/{code}/cancel", headers=citizen).status_code == 200

    assert session.scalar(sa.select(Booking.status).where(Booking.code == code)) == "cancelled"
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == 0


def test_the_system_actor_is_recorded_without_a_staff_member(session, clock):
    act_as(session, SYSTEM)
    session.add(Citizen(openid="o1", created_at=clock.now()))
    session.commit()

    [(staff_id, action, key, changes)] = audit_rows(session, "citizen")
    assert (staff_id, action, changes["openid"]) == (None, "create", [None, "o1"])
