"""The window as a front door (docs/api.md "Window"): cases taken at a window for walk-in
applicants, seen later by the applicant's own account, and the person looked up as the window
types the ID number."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from stdnum.cn import ric

from backend.models import AuditLog, Case, Citizen, Notification, Staff
from backend.services.scope import SYSTEM
from backend.services.staff import set_password
from tests.helpers import assert_error, bearer, every_row

PASSWORD = "Hq7#vLm2pX9w-Tz"
CASES = "/api/v1/staff/cases"
LOOKUP = "/api/v1/staff/people/lookup"


def id_number(birth: str = "19480312", sequence: str = "421") -> str:
    """A resident ID number of Boshan (370304) with its GB 11643 check digit."""
    body = f"370304{birth}{sequence}"
    return body + ric.calc_check_digit(body + "0")  # the digit is computed from the first 17


ELDER = {"name": "王秀英", "id_number": id_number(), "phone": "13905330001"}
SB_001_ALL = ["SFZ", "HKB", "JMYBCB"]
HANDOVER = [{"material": "SFZ", "copies": 1, "original": True},
            {"material": "HKB", "copies": 1, "original": False},
            {"material": "JMYBCB", "copies": 1, "original": True}]


@pytest.fixture
def login(client, session, demo):
    for username in ("agent1", "agent3", "manager", "inspector", "admin"):
        set_password(session, SYSTEM, session.scalar(select(Staff).where(
            Staff.username == username)), PASSWORD)
    session.commit()

    def sign_in(username: str) -> dict:
        answer = client.post("/api/v1/staff/login", json={"username": username,
                                                           "password": PASSWORD})
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return bearer(answer.get_json()["token"])
    return sign_in


def intake(**changes) -> dict:
    body = {"item": "SB-001", "place": "BS-HALL", "help_type": "proxy",
            "applicant": dict(ELDER), "materials": SB_001_ALL, "special_group": "老年人",
            "handover": HANDOVER, "paper_agreement": True}
    body.update(changes)
    return body


def test_an_agent_takes_a_walk_in_elders_proxy_case_end_to_end_in_one_step(client, session,
                                                                           login):
    agent = login("agent1")
    answer = client.post(CASES, json=intake(), headers=agent)
    assert answer.status_code == 201, answer.get_data(as_text=True)
    case = answer.get_json()
    # Accepted with its deadline, the paper agreement and the handover recorded: work starts.
    assert case["status"] == "in_progress" and case["channel"] == "window"
    assert case["number"].startswith("BS-20261130-")
    assert case["due_date"] and case["agent"]["username"] == "agent1"
    assert case["agreement"]["method"] == "paper"
    assert case["applicant"]["id_number"] == "370***********" + ELDER["id_number"][-4:]
    assert case["applicant"]["phone"] == "139****0001"
    assert case["special_group"] == "老年人"
    assert [m["state"] for m in case["materials"]] == ["received"] * 3
    assert [e["action"] for e in case["timeline"]] == [
        "intake", "agreement", "accept", "handover", "start_work"]
    assert "窗口受理" in case["timeline"][0]["note"]
    stored = session.scalar(select(Case).where(Case.number == case["number"]))
    assert stored.citizen_id is None and stored.applicant_id_number_key
    # No account to tell yet; every change is audited as the agent's, the ID number hidden.
    assert session.scalar(select(Notification.id).where(
        Notification.citizen_id.is_not(None))) is None
    agent1 = session.scalar(select(Staff.id).where(Staff.username == "agent1"))
    created = session.scalar(select(AuditLog).where(AuditLog.entity == "service_case",
                                                    AuditLog.action == "create"))
    assert created.staff_id == agent1
    changes = json.loads(created.changes)
    assert changes["applicant_id_number_key"][1] == "***"
    assert changes["channel"][1] == "window"
    # Then the rest of the case is worked as any other.
    done = client.post(f"{CASES}/{case['number']}/complete", json={"note": "已办结"},
                       headers=agent)
    assert done.get_json()["status"] == "completed"


def test_missing_materials_get_the_one_time_notice_on_the_spot(client, login):
    answer = client.post(CASES, json=intake(materials=["SFZ"], handover=None,
                                            paper_agreement=False, help_type="assist"),
                         headers=login("agent1"))
    case = answer.get_json()
    assert answer.status_code == 201 and case["status"] == "materials_incomplete"
    assert [m["code"] for m in case["notices"][0]["materials"]] == ["HKB", "JMYBCB"]
    assert case["agreement"] is None


@pytest.mark.parametrize("changes, field", [
    ({"applicant": dict(ELDER, id_number="370304194803124210")}, "id_number"),
    ({"applicant": dict(ELDER, id_number=None)}, "id_number"),
    ({"applicant": dict(ELDER, phone="12345")}, "phone"),
    ({"materials": ["SFZ"]}, "materials"),  # a handover asked for with materials missing
    ({"help_type": "assist"}, "help_type"),  # a handover and agreement for 帮办
    ({"item": "NOPE"}, "item"),
    ({"applicant": dict(ELDER, enterprise_name="博山某公司")}, "uscc"),
])
def test_bad_input_is_refused_in_chinese_and_writes_nothing(client, session, login, changes,
                                                            field):
    agent = login("agent1")
    session.commit()
    before = every_row(session)
    answer = client.post(CASES, json=intake(**changes), headers=agent)
    error = assert_error(answer, 422, "invalid_input")
    assert field in json.dumps(error["details"])
    session.rollback()
    assert every_row(session) == before


def test_who_may_take_cases_where(client, session, login):
    # agent3 is registered in 城东 (BS-CD), not at the district hall.
    assert_error(client.post(CASES, json=intake(), headers=login("agent3")), 403, "forbidden")
    assert_error(client.post(CASES, json=intake(), headers=login("inspector")), 403, "forbidden")
    # A manager's case goes to the lead department's agent there.
    answer = client.post(CASES, json=intake(), headers=login("manager"))
    assert answer.status_code == 201
    assert answer.get_json()["agent"]["username"] == "agent1"
    # An agent takes cases at a village point where it is registered.
    register = client.application.test_cli_runner().invoke(
        args=["register-agent", "agent3", "--place", "BS-CD-V01", "--department", "MZJ"])
    assert register.exit_code == 0, register.output
    village = client.post(CASES, json=intake(place="BS-CD-V01"), headers=login("agent3"))
    assert village.status_code == 201, village.get_data(as_text=True)
    assert village.get_json()["place"]["code"] == "BS-CD-V01"


def _citizen(client, code: str, name: str, number: str) -> dict:
    token = client.post("/api/v1/auth/wechat-login", json={"code": code}).get_json()["token"]
    headers = bearer(token)
    assert client.patch("/api/v1/me", json={"name": name, "id_number": number},
                        headers=headers).status_code == 200
    return headers


def test_the_applicant_signing_in_later_sees_the_window_case_and_hears_of_it(client, session,
                                                                            login):
    agent = login("agent1")
    number = client.post(CASES, json=intake(handover=None, paper_agreement=False),
                         headers=agent).get_json()["number"]
    stranger = _citizen(client, "stranger", "李四", id_number(sequence="555"))
    same_number_other_name = _citizen(client, "other-name", "王秀", ELDER["id_number"])
    elder = _citizen(client, "elder", ELDER["name"], ELDER["id_number"].lower())

    mine = client.get("/api/v1/cases", headers=elder).get_json()
    assert [c["number"] for c in mine["items"]] == [number] and mine["total"] == 1
    detail = client.get(f"/api/v1/cases/{number}", headers=elder)
    assert detail.status_code == 200 and detail.get_json()["status"] == "accepted"
    for other in (stranger, same_number_other_name):
        assert client.get("/api/v1/cases", headers=other).get_json()["total"] == 0
        assert_error(client.get(f"/api/v1/cases/{number}", headers=other), 404, "not_found")

    # From now on the applicant's account hears of each step, and may sign the agreement online.
    signed = client.post(f"/api/v1/cases/{number}/agreement", json={"accept": True},
                         headers=elder)
    assert signed.status_code == 200, signed.get_data(as_text=True)
    client.post(f"{CASES}/{number}/handover", headers=agent,
                json={"materials": HANDOVER, "citizen_confirmed": True})
    elder_id = session.scalar(select(Citizen.id).where(Citizen.name == ELDER["name"]))
    events = session.scalars(select(Notification.event).where(
        Notification.citizen_id == elder_id)).all()
    assert "case_progress" in events
    # The case itself stays without an account: a changed profile no longer sees it.
    client.patch("/api/v1/me", json={"id_number": id_number(sequence="777")}, headers=elder)
    assert client.get("/api/v1/cases", headers=elder).get_json()["total"] == 0


def test_the_window_looks_the_person_up_as_it_types(client, session, login):
    agent = login("agent1")
    elder = _citizen(client, "elder", ELDER["name"], ELDER["id_number"])
    online = client.post("/api/v1/cases", headers=elder, json={
        "item": "SB-001", "place": "BS-HALL", "help_type": "assist",
        "applicant": {"name": ELDER["name"]}, "materials": []}).get_json()["number"]
    elsewhere = client.post(CASES, json=intake(place="BS-CD"), headers=login("manager"))
    assert elsewhere.status_code == 403  # the manager runs the hall only
    window = client.post(CASES, json=intake(), headers=agent).get_json()["number"]
    client.post(CASES, json=intake(applicant=dict(ELDER, id_number=id_number(sequence="888"))),
                headers=agent)

    found = client.post(LOOKUP, json={"id_number": ELDER["id_number"]}, headers=agent)
    assert found.status_code == 200, found.get_data(as_text=True)
    body = found.get_json()
    assert body["birth_date"] == "1948-03-12"
    assert body["id_number"].startswith("370") and "*" in body["id_number"]
    assert [c["number"] for c in body["cases"]] == [window, online]
    assert [c["channel"] for c in body["cases"]] == ["window", "online"]
    # Who looked whom up is kept.
    read = session.scalar(select(AuditLog).where(AuditLog.action == "read",
                                                 AuditLog.entity == "person"))
    assert read.entity_key == body["id_number"]
    # Out of the staff member's places nothing shows; a bad checksum is said at once.
    assert client.post(LOOKUP, json={"id_number": ELDER["id_number"]},
                       headers=login("agent3")).get_json()["cases"] == []
    assert_error(client.post(LOOKUP, json={"id_number": "370304194803124210"}, headers=agent),
                 422, "invalid_input")
    assert_error(client.post(LOOKUP, json={"id_number": ELDER["id_number"]},
                             headers=login("inspector")), 403, "forbidden")


# The admin page ------------------------------------------------------------------------------

@pytest.fixture
def admin_as(client, login):
    def sign_in(username: str):
        client.post("/admin/logout")
        assert client.post("/admin/login", data={"username": username,
                                                 "password": PASSWORD}).status_code == 302
        return client
    return sign_in


WINDOW_PAGE = "/admin/window/?place=BS-HALL&item=SB-001&help_type=proxy"
WALK_IN_FORM = {"name": ELDER["name"], "id_number": ELDER["id_number"], "phone": ELDER["phone"],
                "special_group": "老年人", "seen_SFZ": "1", "seen_HKB": "1", "seen_JMYBCB": "1",
                "handover": "1", "paper_agreement": "1"}


def test_the_admin_window_takes_a_walk_in_case_and_opens_it(admin_as, session):
    client = admin_as("agent1")
    page = client.get("/admin/window/")
    assert page.status_code == 200 and "博山区政务服务中心" in page.get_data(as_text=True)
    form = client.get(WINDOW_PAGE).get_data(as_text=True)
    assert 'name="seen_JMYBCB"' in form and "纸质委托代办协议" in form
    answer = client.post(WINDOW_PAGE, data=WALK_IN_FORM)
    assert answer.status_code == 302 and "/admin/my-cases/details/" in answer.headers["Location"]
    case = session.scalar(select(Case).where(Case.channel == "window"))
    assert case.status == "in_progress" and case.agreement_method == "paper"
    shown = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "窗口受理" in shown and case.number in shown


def test_the_admin_window_refuses_in_chinese_and_keeps_what_was_typed(admin_as, session):
    client = admin_as("agent1")
    session.commit()
    before = every_row(session)
    answer = client.post(WINDOW_PAGE, data={**WALK_IN_FORM, "seen_HKB": "",
                                            "id_number": ELDER["id_number"][:-1] + "0"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "身份证号码有误" in page
    assert f'value="{ELDER["name"]}"' in page
    session.rollback()
    assert every_row(session) == before
    # Materials missing and a handover asked for: said, nothing written.
    page = client.post(WINDOW_PAGE, data={**WALK_IN_FORM, "seen_HKB": ""}).get_data(as_text=True)
    assert "材料不全，不能交接" in page
    session.rollback()
    assert every_row(session) == before


def test_the_admin_window_checks_the_id_number_as_typed(admin_as, session):
    client = admin_as("agent1")
    client.post(WINDOW_PAGE, data=WALK_IN_FORM)
    found = client.post("/admin/window/person", data={"id_number": ELDER["id_number"]})
    body = found.get_json()
    assert found.status_code == 200 and body["ok"] and body["birth_date"] == "1948-03-12"
    assert [c["channel"] for c in body["cases"]] == ["窗口受理"]
    bad = client.post("/admin/window/person", data={"id_number": "370304194803124210"})
    assert bad.status_code == 422 and bad.get_json()["messages"][0] == "身份证号码有误，请核对"
    assert admin_as("inspector").get("/admin/window/").status_code == 403
