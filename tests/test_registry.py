"""The registry of agents (登记备案, docs/api.md "Command line"): an agent is registered as it is
created, registrations are added and ended by command and keep their history, only a currently
registered agent can be assigned a case, and the cases of an agent whose registration ended are
listed for reassignment. Then a hall with only its own catalogue runs both lifecycles."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import AgentRegistration, Case, Staff
from backend.services import cases as case_service
from backend.services.catalog import import_catalog
from backend.services.scope import SYSTEM
from tests.helpers import assert_error, bearer
from backend.services.training import record_training
from tests.factories import TRAINING_OPTIONS, trained

PASSWORD = "Lantern-harbour-47-quartz"
TODAY = date(2026, 11, 30)  # the clock fixture's Monday

CATALOG = {
    "places": [
        {"code": "HALL", "name": "区政务服务中心", "level": "district"},
        {"code": "TOWN", "name": "城东街道便民服务中心", "level": "town", "parent": "HALL"},
        {"code": "VILLAGE", "name": "东村代办点", "level": "village", "parent": "TOWN"},
    ],
    "departments": [{"code": "RSJ", "name": "区人社局"}, {"code": "MZJ", "name": "区民政局"}],
    "stations": [{"place": "HALL", "department": "RSJ"}, {"place": "HALL", "department": "MZJ"},
                 {"place": "TOWN", "department": "MZJ"}, {"place": "TOWN", "department": "RSJ"}],
    "items": [{"code": "SB-001", "name": "城乡居民基本养老保险参保登记", "department": "RSJ",
               "category": "社会保险", "commitment_days": 5, "help_types": ["assist", "proxy"],
               "places": ["HALL", "TOWN"],
               "materials": [{"code": "SFZ", "name": "居民身份证", "copies": 1, "original": True},
                             {"code": "HKB", "name": "户口簿", "copies": 1, "original": False}]}],
}


@pytest.fixture
def hall(session):
    import_catalog(session, SYSTEM, CATALOG, today=TODAY)
    session.commit()


@pytest.fixture
def create_user(cli, hall):
    def create(username: str, role: str = "agent", *options: str):
        if role == "agent":
            options = (*options, *TRAINING_OPTIONS)
        result = cli("create-user", username, "--role", role, *options, input=PASSWORD + "\n")
        return result
    return create


def registrations(username: str) -> list[tuple[str, str, date, date | None]]:
    """(place, department, registered_on, ended_on) of the agent, in the registry's order."""
    db.session.expire_all()
    staff = db.session.scalar(sa.select(Staff).where(Staff.username == username))
    return [(r.station.place.code, r.station.department.code, r.registered_on, r.ended_on)
            for r in staff.registrations]


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# create-user ----------------------------------------------------------------------------------

def test_create_user_registers_an_agent_in_each_place(create_user):
    result = create_user("wangfang", "agent", "--name", "王芳", "--department", "RSJ",
                         "--place", "HALL", "--place", "TOWN")

    assert result.exit_code == 0, result.output
    assert "已创建账号 wangfang（帮办代办员）" in result.stdout
    assert "已登记备案：区政务服务中心（HALL） 区人社局，自 2026-11-30 起" in result.stdout
    assert "已登记备案：城东街道便民服务中心（TOWN） 区人社局" in result.stdout
    assert registrations("wangfang") == [("HALL", "RSJ", TODAY, None), ("TOWN", "RSJ", TODAY, None)]


def test_create_user_refuses_an_agent_without_a_department(create_user):
    result = create_user("wangfang", "agent", "--place", "HALL")

    assert result.exit_code == 1
    assert "  department: 帮办代办员须指定所属部门" in result.stderr
    assert (count(Staff), count(AgentRegistration)) == (0, 0)


def test_create_user_lists_every_place_where_the_department_has_no_station(create_user):
    result = create_user("wangfang", "agent", "--department", "MZJ", "--place", "VILLAGE",
                         "--place", "HALL", "--place", "NOWHERE")

    assert result.exit_code == 1
    assert "区民政局（MZJ）未在东村代办点（VILLAGE）设站" in result.stderr
    assert "未知的场所 NOWHERE" in result.stderr
    assert "区政务服务中心" not in result.stderr  # MZJ is stationed in the hall
    assert (count(Staff), count(AgentRegistration)) == (0, 0)


def test_create_user_registers_no_one_but_agents(create_user):
    result = create_user("zhang", "place_manager", "--place", "HALL", "--department", "RSJ")

    assert result.exit_code == 0, result.output
    assert "已登记备案" not in result.stdout
    assert count(AgentRegistration) == 0


# register-agent and unregister-agent ----------------------------------------------------------

@pytest.fixture
def agent(create_user):
    assert create_user("wangfang", "agent", "--name", "王芳", "--department", "RSJ",
                       "--place", "HALL").exit_code == 0
    return "wangfang"


def test_register_agent_adds_a_registration_and_the_place(cli, agent):
    result = cli("register-agent", agent, "--place", "TOWN", "--department", "MZJ")

    assert result.exit_code == 0, result.output
    assert result.stdout == "已登记备案：wangfang 城东街道便民服务中心（TOWN） 区民政局，自 2026-11-30 起\n"
    assert registrations(agent) == [("HALL", "RSJ", TODAY, None), ("TOWN", "MZJ", TODAY, None)]
    staff = db.session.scalar(sa.select(Staff).where(Staff.username == agent))
    assert [p.code for p in staff.places] == ["HALL", "TOWN"]


def test_register_agent_twice_changes_nothing(cli, agent):
    result = cli("register-agent", agent, "--place", "HALL", "--department", "RSJ")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("已在登记中，未作更改：wangfang 区政务服务中心（HALL）")
    assert registrations(agent) == [("HALL", "RSJ", TODAY, None)]


@pytest.mark.parametrize("username, options, message", [
    ("ghost", ("--place", "TOWN", "--department", "RSJ"), "没有用户名为 ghost 的工作人员账号"),
    ("zhang", ("--place", "TOWN", "--department", "RSJ"), "不是帮办代办员"),
    ("wangfang", ("--place", "NOWHERE", "--department", "RSJ"), "未知的场所 NOWHERE"),
    ("wangfang", ("--place", "TOWN", "--department", "NOPE"), "未知的部门 NOPE"),
    ("wangfang", ("--place", "TOWN", "--place", "VILLAGE", "--department", "RSJ"),
     "区人社局（RSJ）未在东村代办点（VILLAGE）设站"),
], ids=["unknown-user", "not-an-agent", "unknown-place", "unknown-department", "no-station"])
@pytest.mark.parametrize("command", ["register-agent", "unregister-agent"])
def test_registration_commands_refuse_bad_input(cli, agent, create_user, command, username,
                                                options, message):
    assert create_user("zhang", "place_manager", "--place", "HALL").exit_code == 0
    before = registrations(agent)

    result = cli(command, username, *options)

    assert result.exit_code == 1
    assert message in result.stderr
    assert registrations(agent) == before


@pytest.mark.parametrize("command", ["register-agent", "unregister-agent"])
def test_registration_commands_need_a_place(cli, agent, command):
    result = cli(command, agent, "--department", "RSJ")
    assert result.exit_code == 2  # click's usage error
    assert registrations(agent) == [("HALL", "RSJ", TODAY, None)]


@pytest.mark.parametrize("command", ["register-agent", "unregister-agent"])
def test_only_a_village_point_takes_a_registration_without_department(cli, agent, command):
    result = cli(command, agent, "--place", "HALL")
    assert result.exit_code == 1
    assert "不是村级代办点，登记备案须指定部门" in result.stderr
    assert registrations(agent) == [("HALL", "RSJ", TODAY, None)]


def test_register_agent_refuses_a_deactivated_account(cli, agent, session):
    session.execute(sa.update(Staff).where(Staff.username == agent).values(active=False))
    session.commit()

    result = cli("register-agent", agent, "--place", "TOWN", "--department", "RSJ")

    assert result.exit_code == 1 and "已停用" in result.stderr
    assert registrations(agent) == [("HALL", "RSJ", TODAY, None)]


def test_unregister_agent_ends_the_registration_and_keeps_it(cli, agent, clock):
    clock.advance(days=3)
    result = cli("unregister-agent", agent, "--place", "HALL", "--department", "RSJ")

    assert result.exit_code == 0, result.output
    assert result.stdout == ("已注销登记备案：wangfang 区政务服务中心（HALL） 区人社局，"
                             "自 2026-11-30 起，至 2026-12-03 止\n")
    assert registrations(agent) == [("HALL", "RSJ", TODAY, date(2026, 12, 3))]

    # Registered again later: a new entry; the registry keeps both.
    clock.advance(days=7)
    assert cli("register-agent", agent, "--place", "HALL", "--department", "RSJ").exit_code == 0
    assert registrations(agent) == [("HALL", "RSJ", TODAY, date(2026, 12, 3)),
                                    ("HALL", "RSJ", date(2026, 12, 10), None)]


def test_unregister_agent_refuses_a_registration_that_is_not_current(cli, agent):
    assert cli("unregister-agent", agent, "--place", "HALL", "--department", "RSJ").exit_code == 0
    before = registrations(agent)

    result = cli("unregister-agent", agent, "--place", "HALL", "--department", "RSJ")

    assert result.exit_code == 1
    assert "当前未在区政务服务中心（HALL）的区人社局登记备案" in result.stderr
    assert registrations(agent) == before


def test_unregister_agent_of_several_places_is_all_or_nothing(cli, agent):
    result = cli("unregister-agent", agent, "--place", "HALL", "--place", "TOWN",
                 "--department", "RSJ")

    assert result.exit_code == 1
    assert "城东街道便民服务中心（TOWN）" in result.stderr
    assert registrations(agent) == [("HALL", "RSJ", TODAY, None)]


# Assignment and reassignment ------------------------------------------------------------------

@pytest.fixture
def staffed_hall(create_user, cli):
    """A manager of the hall and town, agents lihua (RSJ, hall) and zhaomin (MZJ, hall and town)."""
    for username, role, *options in [
            ("manager", "place_manager", "--place", "HALL", "--place", "TOWN"),
            ("lihua", "agent", "--department", "RSJ", "--place", "HALL"),
            ("zhaomin", "agent", "--department", "MZJ", "--place", "HALL", "--place", "TOWN")]:
        assert create_user(username, role, "--name", username, *options).exit_code == 0


@pytest.fixture
def staff_login(client):
    def login(username: str) -> dict:
        answer = client.post("/api/v1/staff/login", json={"username": username,
                                                          "password": PASSWORD})
        assert answer.status_code == 200, answer.get_json()
        return bearer(answer.get_json()["token"])
    return login


@pytest.fixture
def citizen(client):
    answer = client.post("/api/v1/auth/wechat-login", json={"code": "zhang-san"})
    return bearer(answer.get_json()["token"])


@pytest.fixture
def apply(client, citizen):
    def apply(help_type: str = "assist", place: str = "HALL", materials=("SFZ", "HKB")) -> dict:
        answer = client.post("/api/v1/cases", headers=citizen, json={
            "item": "SB-001", "place": place, "help_type": help_type,
            "applicant": {"name": "张三", "phone": "13800138000"}, "materials": list(materials)})
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()
    return apply


def assign(client, headers, number, agent):
    return client.post(f"/api/v1/staff/cases/{number}/assign", headers=headers,
                       json={"agent": agent})


def test_a_new_case_goes_to_the_lead_departments_registered_agent(staffed_hall, apply):
    case = apply()
    assert case["agent"]["name"] == "lihua"


def test_a_manager_assigns_any_agent_registered_at_the_place(staffed_hall, apply, client,
                                                             staff_login):
    number = apply()["number"]

    answer = assign(client, staff_login("manager"), number, "zhaomin")

    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["agent"]["username"] == "zhaomin"


def test_an_agent_registered_elsewhere_cannot_be_assigned(staffed_hall, apply, client,
                                                          staff_login):
    number = apply(place="TOWN")["number"]  # TOWN: only zhaomin is registered there

    error = assert_error(assign(client, staff_login("manager"), number, "lihua"), 422,
                         "invalid_input")
    assert error["details"] == {"agent": ["lihua 未在城东街道便民服务中心登记备案"]}


def test_an_agent_whose_registration_ended_cannot_be_assigned(staffed_hall, apply, client,
                                                              staff_login, cli):
    number = apply()["number"]
    assert cli("unregister-agent", "zhaomin", "--place", "HALL",
               "--department", "MZJ").exit_code == 0

    assert_error(assign(client, staff_login("manager"), number, "zhaomin"), 422, "invalid_input")
    # Registered again, assignable again.
    assert cli("register-agent", "zhaomin", "--place", "HALL", "--department", "MZJ").exit_code == 0
    assert assign(client, staff_login("manager"), number, "zhaomin").status_code == 200


def test_new_cases_no_longer_go_to_an_agent_whose_registration_ended(staffed_hall, apply, cli):
    assert cli("unregister-agent", "lihua", "--place", "HALL", "--department", "RSJ").exit_code == 0
    assert apply()["agent"] is None  # no RSJ agent registered in the hall: a manager assigns


def test_cases_of_an_agent_whose_registration_ended_stay_and_are_listed(
        staffed_hall, apply, cli, client, staff_login, session):
    in_hall, in_town = apply()["number"], apply(place="TOWN")["number"]
    manager = staff_login("manager")
    assert assign(client, manager, in_hall, "zhaomin").status_code == 200
    assert assign(client, manager, in_town, "zhaomin").status_code == 200
    assert case_service.cases_to_reassign(session) == []

    result = cli("unregister-agent", "zhaomin", "--place", "HALL", "--department", "MZJ")

    assert result.exit_code == 0, result.output
    assert f"以下 1 个办件仍由 zhaomin 负责，请场所管理员改派：\n  {in_hall}  区政务服务中心" in result.stdout
    db.session.expire_all()
    listed = case_service.cases_to_reassign(session)
    assert [c.number for c in listed] == [in_hall]
    assert listed[0].agent.username == "zhaomin"  # still theirs until reassigned
    # What each person may see of that list.
    people = {s.username: s for s in session.scalars(sa.select(Staff))}
    assert [c.number for c in case_service.cases_to_reassign(session, people["manager"])] == [
        in_hall]
    assert case_service.cases_to_reassign(session, people["lihua"]) == []

    # Reassigned, it leaves the list; a finished case never enters it.
    assert assign(client, manager, in_hall, "lihua").status_code == 200
    assert case_service.cases_to_reassign(session) == []


def test_cases_of_a_deactivated_agent_are_listed_for_reassignment(staffed_hall, apply, session):
    number = apply()["number"]
    session.execute(sa.update(Staff).where(Staff.username == "lihua").values(active=False))
    session.commit()
    assert [c.number for c in case_service.cases_to_reassign(session)] == [number]


# set-role ---------------------------------------------------------------------------------------

def test_set_role_ends_an_agents_registrations_and_lists_its_cases(staffed_hall, apply, cli,
                                                                   client, staff_login):
    number = apply()["number"]  # lihua's, as the hall's RSJ agent
    old_token = staff_login("lihua")

    result = cli("set-role", "lihua", "place_manager")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "已将账号 lihua 的角色由帮办代办员改为场所管理员，其全部登录会话与令牌已失效。\n"
        "  已注销登记备案：区政务服务中心（HALL） 区人社局，自 2026-11-30 起，至 2026-11-30 止\n")
    assert f"以下 1 个办件仍由 lihua 负责，请场所管理员改派：\n  {number}  区政务服务中心" in result.stdout
    assert registrations("lihua") == [("HALL", "RSJ", TODAY, TODAY)]
    assert client.get("/api/v1/staff/cases", headers=old_token).status_code == 401


def test_set_role_makes_an_agent_registered_at_its_places(staffed_hall, cli, session, clock):
    refused = cli("set-role", "manager", "agent", "--department", "RSJ")
    assert refused.exit_code == 1 and "没有有效的培训记录" in refused.output
    record_training(session, SYSTEM, session.scalar(sa.select(Staff).where(
        Staff.username == "manager")), trained(clock.now()), clock.now())
    session.commit()

    result = cli("set-role", "manager", "agent", "--department", "RSJ")

    assert result.exit_code == 0, result.output
    assert "  已登记备案：区政务服务中心（HALL） 区人社局" in result.stdout
    assert "  已登记备案：城东街道便民服务中心（TOWN） 区人社局" in result.stdout
    assert registrations("manager") == [("HALL", "RSJ", TODAY, None), ("TOWN", "RSJ", TODAY, None)]


def test_set_role_refuses_what_the_account_cannot_take_and_writes_nothing(staffed_hall, cli,
                                                                          create_user):
    assert create_user("village", "place_manager", "--place", "VILLAGE").exit_code == 0

    result = cli("set-role", "village", "agent", "--department", "RSJ")
    assert result.exit_code == 1
    assert "区人社局（RSJ）未在东村代办点（VILLAGE）设站" in result.stderr
    result = cli("set-role", "manager", "agent")
    assert result.exit_code == 1 and "帮办代办员须指定所属部门" in result.stderr
    assert "没有用户名为 ghost 的工作人员账号" in cli("set-role", "ghost", "agent").stderr
    assert cli("set-role", "manager", "boss").exit_code == 2  # click's usage error
    db.session.expire_all()
    roles = dict(db.session.execute(sa.select(Staff.username, Staff.role)).all())
    assert (roles["village"], roles["manager"]) == ("place_manager", "place_manager")
    assert count(AgentRegistration) == 3  # lihua's in the hall, zhaomin's in the hall and town
    assert cli("set-role", "lihua", "agent").stdout == "账号 lihua 已是帮办代办员，未作更改。\n"


# A hall with its own catalogue and people, no demo --------------------------------------------

def post(client, path, headers, body=None):
    answer = client.post(f"/api/v1{path}", headers=headers, json=body or {})
    assert answer.status_code in (200, 201), (path, answer.get_json())
    return answer.get_json()


def test_a_hall_runs_both_lifecycles_with_only_its_catalogue_and_create_user(
        cli, write_json, client, citizen, staff_login, session):
    assert cli("catalog-import", write_json(CATALOG)).exit_code == 0
    for username, role, *options in [
            ("manager", "place_manager", "--place", "HALL"),
            ("lihua", "agent", "--department", "RSJ", "--place", "HALL", *TRAINING_OPTIONS),
            ("zhaomin", "agent", "--department", "MZJ", "--place", "HALL", *TRAINING_OPTIONS)]:
        result = cli("create-user", username, "--role", role, *options, input=PASSWORD + "\n")
        assert result.exit_code == 0, result.output
    manager, agent = staff_login("manager"), staff_login("zhaomin")
    materials = [{"material": "SFZ", "copies": 1, "original": True},
                 {"material": "HKB", "copies": 1, "original": False}]

    def apply_and_assign(help_type: str) -> str:
        number = post(client, "/cases", citizen, {
            "item": "SB-001", "place": "HALL", "help_type": help_type,
            "applicant": {"name": "张三", "phone": "13800138000"},
            "materials": ["SFZ", "HKB"]})["number"]
        assigned = post(client, f"/staff/cases/{number}/assign", manager, {"agent": "zhaomin"})
        assert assigned["agent"]["username"] == "zhaomin"
        return number

    # 帮办: assigned by the manager, accepted, accompanied, completed.
    case = f"/staff/cases/{apply_and_assign('assist')}"
    assert post(client, f"{case}/check", agent, {"missing": []})["status"] == "accepted"
    assert post(client, f"{case}/start", agent)["status"] == "in_progress"
    assert post(client, f"{case}/complete", agent, {"note": "已办结"})["status"] == "completed"

    # 代办: handed over, agreement accepted online, worked, completed, originals returned.
    number = apply_and_assign("proxy")
    case = f"/staff/cases/{number}"
    assert post(client, f"{case}/check", agent, {"missing": []})["status"] == "accepted"
    assert post(client, f"{case}/handover", agent, {
        "materials": materials, "citizen_confirmed": True})["status"] == "handed_over"
    assert post(client, f"/cases/{number}/agreement", citizen,
                {"accept": True})["status"] == "in_progress"
    assert post(client, f"{case}/complete", agent)["status"] == "completed"
    assert post(client, f"{case}/return", agent,
                {"materials": materials[:1]})["status"] == "returned"

    timeline = client.get(f"/api/v1/cases/{number}", headers=citizen).get_json()["timeline"]
    assert [entry["status"] for entry in timeline][-1] == "returned"
    assert session.scalar(sa.select(sa.func.count()).select_from(Case)) == 2
