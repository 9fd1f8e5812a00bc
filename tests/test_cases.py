"""The life of 帮办 and 代办 cases through the API, told back to the citizen in Chinese."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from backend.models import AuditLog, Case, CaseEvent, ServiceItem
from backend.services.calendar import import_calendar
from backend.services.scope import SYSTEM


@pytest.fixture
def staff_login(client, demo):
    passwords = {username: password for username, _, password in demo.passwords}

    def login(username):
        answer = client.post("/api/v1/staff/login",
                             json={"username": username, "password": passwords[username]})
        assert answer.status_code == 200, answer.get_json()
        return {"Authorization": f"Bearer {answer.get_json()['token']}"}
    return login


@pytest.fixture
def citizen(client, demo):
    answer = client.post("/api/v1/auth/wechat-login", json={"code": "zhang-san"}).get_json()
    return {"Authorization": f"Bearer {answer['token']}"}


@pytest.fixture
def apply(client, citizen):
    def apply(item="QYKB-001", help_type="proxy", materials=(), headers=None, **extra):
        body = {"item": item, "place": "BS-HALL", "help_type": help_type,
                "applicant": {"name": "张三", "phone": "13800138000",
                              "id_number": "11010519491231002X"},
                "materials": list(materials), **extra}
        response = client.post("/api/v1/cases", json=body, headers=headers or citizen)
        assert response.status_code == 201, response.get_json()
        return response.get_json()
    return apply


def codes(item_code, client):
    return [m["code"] for m in client.get(f"/api/v1/items/{item_code}").get_json()["materials"]]


def test_a_proxy_case_from_application_to_return(client, session, citizen, apply, staff_login,
                                                 clock):
    all_materials = codes("QYKB-001", client)
    case = apply(materials=all_materials[1:])  # the first material is missing
    number = case["number"]
    assert re.fullmatch(r"BS-20261130-\d{4}", number)
    assert case["status"] == "submitted"
    # The lead department's registered agent, named as a citizen reads it: never the sign-in name.
    assert set(case["agent"]) == {"name", "phone"}
    assert case["applicant"]["id_number"] == "110***********002X"
    assert case["applicant"]["phone"] == "138****8000"
    agent = staff_login("agent2")
    staff = f"/api/v1/staff/cases/{number}"
    assert client.get(staff, headers=agent).get_json()["agent"]["username"] == "agent2"

    # The material check finds one missing: one notice lists it with how to obtain it.
    answer = client.post(f"{staff}/check", headers=agent, json={
        "missing": [{"material": all_materials[0], "note": "需法定代表人本人签字"}]}).get_json()
    assert answer["status"] == "materials_incomplete"
    [notice] = answer["notices"]
    assert notice["materials"][0]["code"] == all_materials[0]
    assert notice["materials"][0]["how_to_obtain"]
    assert notice["violates_one_time_rule"] is False

    mine = client.get(f"/api/v1/cases/{number}", headers=citizen).get_json()
    assert {m["code"]: m["state"] for m in mine["materials"]}[all_materials[0]] == "missing"
    answer = client.post(f"/api/v1/cases/{number}/supplement", headers=citizen,
                         json={"materials": [all_materials[0]]}).get_json()
    assert answer["status"] == "submitted"

    # A second notice naming a new material is allowed but recorded as a violation.
    answer = client.post(f"{staff}/check", headers=agent, json={
        "missing": [{"material": all_materials[1]}]}).get_json()
    assert answer["notices"][1]["violates_one_time_rule"] is True
    client.post(f"/api/v1/cases/{number}/supplement", headers=citizen,
                json={"materials": [all_materials[1]]})

    answer = client.post(f"{staff}/check", headers=agent, json={"missing": []}).get_json()
    assert answer["status"] == "accepted"
    assert answer["due_date"] == "2026-12-01"  # 1 working day after 2026-11-30
    departments = [t["department"]["code"] for t in answer["tasks"]]
    assert departments == ["SCJGJ", "GAJ", "RSJ", "SWJ", "YBJ"]

    # Hand over, then sign: work starts only when both are done.
    lines = [{"material": all_materials[0], "copies": 1, "original": True},
             {"material": all_materials[1], "copies": 2, "original": False}]
    refused = client.post(f"{staff}/handover", headers=agent, json={"materials": lines})
    assert refused.status_code == 422
    answer = client.post(f"{staff}/handover", headers=agent,
                         json={"materials": lines, "citizen_confirmed": True}).get_json()
    assert answer["status"] == "handed_over"
    text = client.get(f"/api/v1/cases/{number}/agreement", headers=citizen).get_json()
    assert "免费" in text["text"] and "原件" in text["text"]
    answer = client.post(f"/api/v1/cases/{number}/agreement", headers=citizen,
                         json={"accept": True}).get_json()
    assert answer["status"] == "in_progress"
    assert answer["agreement"]["method"] == "online"

    # Completion waits for every department task.
    refused = client.post(f"{staff}/complete", headers=agent, json={})
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (409, "invalid_state")
    for code in departments:
        client.post(f"{staff}/progress", headers=agent,
                    json={"task": code, "done": True, "note": "已办结"})
    answer = client.post(f"{staff}/complete", headers=agent, json={"note": "营业执照已领取"})
    assert answer.get_json()["status"] == "completed"

    # Every original handed over must come back.
    refused = client.post(f"{staff}/return", headers=agent, json={"materials": [lines[1]]})
    assert refused.status_code == 422
    answer = client.post(f"{staff}/return", headers=agent, json={"materials": lines}).get_json()
    assert answer["status"] == "returned"

    # A bad review opens a follow-up the manager must close.
    review = client.post(f"/api/v1/cases/{number}/review", headers=citizen,
                         json={"score": 2, "comment": "等待时间太长"}).get_json()
    assert review["level"] == "不满意"
    assert review["followup"]["due"] == "2026-12-21"  # 15 working days
    again = client.post(f"/api/v1/cases/{number}/review", headers=citizen, json={"score": 5})
    assert (again.status_code, again.get_json()["error"]["code"]) == (409, "invalid_state")
    manager = staff_login("manager")
    client.post(f"{staff}/review-followup", headers=manager,
                json={"callback": "已电话回访申请人", "fix": "增设午间错时窗口"})

    story = client.get(f"/api/v1/cases/{number}", headers=citizen).get_json()
    assert story["review"]["followup"]["fix"] == "增设午间错时窗口"
    assert [e["status"] for e in story["timeline"]] == [
        "submitted", "materials_incomplete", "submitted", "materials_incomplete", "submitted",
        "accepted", "handed_over", "handed_over", "in_progress", *["in_progress"] * 5,
        "completed", "returned", "returned", "returned"]
    assert [e["action"] for e in story["timeline"]][7:9] == ["agreement", "start_work"]
    assert story["timeline"][0]["label"] == "提交申请"
    assert all(re.search(r"[\u4e00-\u9fff]", e["label"]) for e in story["timeline"])
    assert {m["state"] for m in story["materials"]} >= {"returned"}

    # Every staff change is in the audit log.
    audited = session.scalars(select(AuditLog).where(AuditLog.entity == "service_case")).all()
    assert {a.action for a in audited} == {"update"}
    assert any('"status": ["accepted", "handed_over"]' in a.changes for a in audited)


def test_an_assist_case(client, citizen, apply, staff_login):
    case = apply(item="SB-001", help_type="assist", materials=codes("SB-001", client))
    agent = staff_login("agent1")
    staff = f"/api/v1/staff/cases/{case['number']}"
    assert client.post(f"{staff}/check", headers=agent, json={"missing": []}).status_code == 200
    refused = client.post(f"{staff}/handover", headers=agent, json={
        "materials": [{"material": "SFZ", "copies": 1, "original": True}],
        "citizen_confirmed": True})
    assert refused.status_code == 409
    assert client.post(f"{staff}/start", headers=agent).get_json()["status"] == "in_progress"
    assert client.post(f"{staff}/complete", headers=agent, json={}).get_json()["status"] == "completed"
    refused = client.post(f"{staff}/return", headers=agent, json={
        "materials": [{"material": "SFZ", "copies": 1, "original": True}]})
    assert refused.status_code == 409


def test_withdraw_and_reject(client, citizen, apply, staff_login):
    first, second = apply(), apply()
    answer = client.post(f"/api/v1/cases/{first['number']}/withdraw", headers=citizen, json={})
    assert answer.get_json()["status"] == "withdrawn"
    again = client.post(f"/api/v1/cases/{first['number']}/withdraw", headers=citizen, json={})
    assert again.status_code == 409
    agent = staff_login("agent2")
    refused = client.post(f"/api/v1/staff/cases/{second['number']}/reject", headers=agent,
                          json={"reason": ""})
    assert refused.status_code == 422
    answer = client.post(f"/api/v1/staff/cases/{second['number']}/reject", headers=agent,
                         json={"reason": "该事项须由法定代表人本人办理"}).get_json()
    assert (answer["status"], answer["reject_reason"]) == ("rejected", "该事项须由法定代表人本人办理")


def test_escalation_is_raised_and_resolved_in_the_history(client, citizen, apply, staff_login):
    number = apply()["number"]
    agent, manager = staff_login("agent2"), staff_login("manager")
    escalation = client.post(f"/api/v1/staff/cases/{number}/escalate", headers=agent,
                             json={"note": "税务与市场监管系统数据不同步"}).get_json()
    listed = client.get("/api/v1/staff/escalations", headers=manager).get_json()
    assert [e["id"] for e in listed["items"]] == [escalation["id"]]
    refused = client.post(f"/api/v1/staff/escalations/{escalation['id']}/resolve", headers=agent,
                          json={"note": "x"})
    assert refused.status_code == 403
    client.post(f"/api/v1/staff/escalations/{escalation['id']}/resolve", headers=manager,
                json={"note": "协调会议决定由区行政审批服务局统一推送"})
    assert client.get("/api/v1/staff/escalations", headers=manager).get_json()["total"] == 0
    actions = [e["action"] for e in client.get(f"/api/v1/cases/{number}",
                                               headers=citizen).get_json()["timeline"]]
    assert actions == ["submit", "escalate", "resolve_escalation"]


def test_others_cannot_see_or_review_my_case(client, apply):
    number = apply()["number"]
    other = client.post("/api/v1/auth/wechat-login", json={"code": "li-si"}).get_json()["token"]
    headers = {"Authorization": f"Bearer {other}"}
    assert client.get(f"/api/v1/cases/{number}", headers=headers).status_code == 404
    assert client.post(f"/api/v1/cases/{number}/review", headers=headers,
                       json={"score": 1}).status_code == 404


@pytest.mark.parametrize("accepted, days, due", [
    ("2026-02-12", 2, "2026-02-14"),   # the make-up Saturday counts
    ("2026-02-12", 3, "2026-02-24"),   # the Spring Festival does not
    ("2026-09-29", 3, "2026-10-09"),   # National Day week skipped
    ("2026-09-29", 4, "2026-10-10"),   # make-up Saturday 10-10
])
def test_due_dates_follow_the_statutory_calendar(session, client, citizen, apply, staff_login,
                                                 clock, accepted, days, due):
    session.scalar(select(ServiceItem).where(ServiceItem.code == "SB-001")).commitment_days = days
    session.commit()
    clock.at = clock.at.replace(year=int(accepted[:4]), month=int(accepted[5:7]),
                                day=int(accepted[8:]))
    token = client.post("/api/v1/auth/wechat-login", json={"code": "zhang-san"}).get_json()["token"]
    number = apply(item="SB-001", help_type="assist", materials=codes("SB-001", client),
                   headers={"Authorization": f"Bearer {token}"})["number"]
    answer = client.post(f"/api/v1/staff/cases/{number}/check", headers=staff_login("agent1"),
                         json={"missing": []}).get_json()
    assert answer["due_date"] == due


def test_deadline_states_amber_and_red(session, client, citizen, apply, staff_login, clock):
    import_calendar(session, SYSTEM, {"year": 2027, "title": "2027年节假日安排", "holidays": [
        {"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}], "workdays": []}, clock.now())
    session.commit()
    number = apply(item="SB-001", help_type="assist", materials=codes("SB-001", client))["number"]
    client.post(f"/api/v1/staff/cases/{number}/check", headers=staff_login("agent1"),
                json={"missing": []})
    case = session.scalar(select(Case).where(Case.number == number))
    assert (case.accepted_on, case.due_date) == (date(2026, 11, 30), date(2026, 12, 7))

    def states(state):
        answer = client.get(f"/api/v1/staff/cases?deadline_state={state}",
                            headers=staff_login("manager"))
        return [c["number"] for c in answer.get_json()["items"]]

    assert states("normal") == [number] and states("amber") == states("red") == []
    clock.at = clock.at.replace(month=12, day=4)  # 4 of 5 working days used
    assert states("amber") == [number]
    clock.at = clock.at.replace(month=12, day=8)
    assert states("red") == [number]
    case = client.get(f"/api/v1/staff/cases/{number}", headers=staff_login("manager")).get_json()
    assert case["deadline_state"] == "red"


def test_case_events_are_written_with_every_transition(session, apply):
    number = apply()["number"]
    event = session.scalar(select(CaseEvent))
    assert (event.action, event.from_status, event.to_status, event.by_citizen) == (
        "submit", None, "submitted", True)
    assert session.scalar(select(Case.number)) == number
