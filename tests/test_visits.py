"""上门代办 (docs/api.md "上门代办"): requested with a 代办 application, scheduled or declined by
the place manager, recorded by the agent (the handover), the applicant told at each step, and a
day's visits listed."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from backend.models import AuditLog, HomeVisit, Notification, Staff
from backend.services.scope import SYSTEM
from backend.services.staff import set_password
from tests.helpers import assert_error, bearer, every_row

PASSWORD = "Hq7#vLm2pX9w-Tz"
VISIT = {"address": "博山区城西街道和平路12号3单元", "reason": "行动不便，卧床",
         "preferred_dates": ["2026-12-02", "2026-12-03"]}
ALL = [{"material": "SFZ", "copies": 1, "original": True},
       {"material": "HKB", "copies": 1, "original": False},
       {"material": "JMYBCB", "copies": 1, "original": True}]


@pytest.fixture
def people(client, session, demo):
    for username in ("agent1", "agent2", "agent3", "manager", "inspector"):
        set_password(session, SYSTEM, session.scalar(select(Staff).where(
            Staff.username == username)), PASSWORD)
    session.commit()
    heads = {"citizen": bearer(client.post("/api/v1/auth/wechat-login", json={
        "code": "elder"}).get_json()["token"])}
    for username in ("agent1", "agent2", "agent3", "manager", "inspector"):
        heads[username] = bearer(client.post("/api/v1/staff/login", json={
            "username": username, "password": PASSWORD}).get_json()["token"])
    return heads


def apply_with_visit(client, heads, **changes) -> dict:
    answer = client.post("/api/v1/cases", headers=heads["citizen"], json={
        "item": "SB-001", "place": "BS-HALL", "help_type": "proxy",
        "applicant": {"name": "王秀英"}, "materials": [], "home_visit": VISIT, **changes})
    return answer


def test_a_home_visit_from_request_to_record(client, session, people):
    answer = apply_with_visit(client, people)
    assert answer.status_code == 201, answer.get_data(as_text=True)
    case = answer.get_json()
    number = case["number"]
    assert case["visit"] == {"status": "requested", "date": None, "start": None, "agent": None,
                             "note": None}
    staff_view = client.get(f"/api/v1/staff/cases/{number}", headers=people["manager"]).get_json()
    assert staff_view["visit"]["address"] == VISIT["address"]
    assert staff_view["visit"]["preferred_dates"] == VISIT["preferred_dates"]
    assert {"visit-schedule", "visit-decline"} <= set(staff_view["actions"])

    url = f"/api/v1/staff/cases/{number}"
    assert_error(client.post(f"{url}/visit-schedule", headers=people["manager"], json={
        "date": "2026-12-02", "start": "14:30", "agent": "agent3"}), 422, "invalid_input")
    scheduled = client.post(f"{url}/visit-schedule", headers=people["manager"],
                            json={"date": "2026-12-02", "start": "14:30", "agent": "agent2"})
    assert scheduled.status_code == 200, scheduled.get_data(as_text=True)
    assert scheduled.get_json()["agent"]["username"] == "agent2"
    mine = client.get(f"/api/v1/cases/{number}", headers=people["citizen"]).get_json()
    assert mine["visit"]["status"] == "scheduled" and mine["visit"]["start"] == "14:30"
    assert mine["visit"]["agent"]["name"] == "王代办" and "username" not in mine["visit"]["agent"]

    day = client.get("/api/v1/staff/visits?date=2026-12-02", headers=people["agent2"]).get_json()
    assert [(v["case"], v["start"], v["address"]) for v in day["items"]] == [
        (number, "14:30", VISIT["address"])]
    assert client.get("/api/v1/staff/visits?date=2026-12-02",
                      headers=people["agent1"]).get_json()["total"] == 0

    # The agent, at the home: missing a required material, nothing is recorded.
    assert_error(client.post(f"{url}/visit-record", headers=people["agent2"], json={
        "materials": ALL[:2], "paper_agreement": True}), 422, "invalid_input")
    done = client.post(f"{url}/visit-record", headers=people["agent2"],
                       json={"materials": ALL, "paper_agreement": True, "note": "已核对原件"})
    assert done.status_code == 200, done.get_data(as_text=True)
    body = done.get_json()
    assert body["status"] == "in_progress" and body["visit"]["status"] == "done"
    assert body["agreement"]["method"] == "paper"
    assert [e["action"] for e in body["timeline"]] == [
        "submit", "assign", "visit_schedule", "visit_record", "accept", "agreement", "handover",
        "start_work"]
    # The applicant heard of each step.
    notes = [json.loads(n.payload).get("note", "") for n in session.scalars(
        select(Notification).where(Notification.citizen_id.is_not(None),
                                   Notification.event == "case_progress"))]
    assert any("已安排上门代办" in n for n in notes) and any("材料已交接" in n for n in notes)
    audited = session.scalars(select(AuditLog.entity).where(AuditLog.entity == "home_visit"))
    assert "home_visit" in set(audited)


def test_a_declined_visit_tells_the_reason(client, session, people):
    number = apply_with_visit(client, people).get_json()["number"]
    url = f"/api/v1/staff/cases/{number}/visit-decline"
    assert_error(client.post(url, headers=people["agent1"], json={"reason": "x"}), 403,
                 "forbidden")
    assert_error(client.post(url, headers=people["inspector"], json={"reason": "x"}), 403,
                 "forbidden")
    declined = client.post(url, headers=people["manager"], json={"reason": "地址不在本辖区"})
    assert declined.status_code == 200
    mine = client.get(f"/api/v1/cases/{number}", headers=people["citizen"]).get_json()
    assert mine["visit"]["status"] == "declined" and mine["visit"]["note"] == "地址不在本辖区"
    assert_error(client.post(url, headers=people["manager"], json={"reason": "再次"}), 409,
                 "invalid_state")


@pytest.mark.parametrize("changes, field", [
    ({"help_type": "assist"}, "home_visit"),
    ({"home_visit": {**VISIT, "address": " "}}, "address"),
    ({"home_visit": {**VISIT, "preferred_dates": ["2026-11-01"]}}, "preferred_dates"),
])
def test_a_bad_visit_request_writes_nothing(client, session, people, changes, field):
    session.commit()
    before = every_row(session)
    error = assert_error(apply_with_visit(client, people, **changes), 422, "invalid_input")
    assert field in json.dumps(error["details"])
    session.rollback()
    assert every_row(session) == before
    assert session.scalar(select(HomeVisit.id)) is None


def test_the_admin_runs_a_visit(client, session, people):
    number = apply_with_visit(client, people).get_json()["number"]
    from backend.models import Case
    case = session.scalar(select(Case).where(Case.number == number))
    client.post("/admin/login", data={"username": "manager", "password": PASSWORD})
    page = client.get(f"/admin/case/details/?id={case.id}").get_data(as_text=True)
    assert 'data-action="visit-schedule"' in page and VISIT["reason"] in page
    client.post(f"/admin/case/act/visit-schedule/?id={case.id}",
                data={"date": "2026-12-02", "start": "09:30", "agent": "agent1"})
    client.post("/admin/logout")
    client.post("/admin/login", data={"username": "agent1", "password": PASSWORD})
    day = client.get("/admin/visits/?date=2026-12-02").get_data(as_text=True)
    assert number in day and VISIT["address"] in day
    client.post(f"/admin/my-cases/act/visit-record/?id={case.id}", data={
        "take_SFZ": "1", "original_SFZ": "1", "take_HKB": "1", "take_JMYBCB": "1",
        "original_JMYBCB": "1", "paper_agreement": "1"})
    session.expire_all()
    assert session.get(Case, case.id).status == "in_progress"
