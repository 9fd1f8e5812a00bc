"""重点项目 (博政管办发〔2022〕3号 三(四); docs/domain.md "Key projects"): a project with its 项目管家
and members groups an enterprise's cases across departments and places, with one deadlines view
and one merged timeline; the enterprise's contact sees its cases; reports count projects and
their on-time rate."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.errors import Forbidden, InvalidInput, NotFound
from backend.models import Citizen, KeyProject, Staff
from backend.services import cases, scope
from backend.services.projects import (
    add_case, create_project, project_figures, project_for, project_view,
)
from tests.helpers import assert_error, bearer, every_row

USCC, OTHER_USCC = "91370304MA3C5K8Q0Q", "91370304MA3D2E7B10"
TZ = "Asia/Shanghai"


def _staff(session, username: str) -> Staff:
    return session.scalar(select(Staff).where(Staff.username == username))


def _enterprise_case(session, citizen, clock, place, item, uscc=USCC, when=None,
                     help_type="proxy"):
    return cases.create_case(
        session, citizen, item_code=item, place_code=place, help_type=help_type,
        applicant=cases.Applicant(name="王经理", enterprise_name="博山陶瓷有限公司", uscc=uscc),
        material_codes=[], booking_code=None, special_group=None, now=when or clock.now(),
        number_prefix="BS")


@pytest.fixture
def project(session, demo, clock, make_citizen):
    admin = _staff(session, "admin")
    made = create_project(session, admin, name="陶瓷产业园扩建", enterprise_name="博山陶瓷有限公司",
                          uscc=USCC.lower(), description="新建厂房两栋", place_code="BS-HALL",
                          steward="agent2", members=["agent1", "agent4"], now=clock.now())
    session.commit()
    return made


def test_a_project_groups_cases_across_places_with_one_deadlines_view_and_timeline(
        session, project, clock, make_citizen):
    contact = make_citizen()
    steward = _staff(session, "agent2")
    hall = _enterprise_case(session, contact, clock, "BS-HALL", "QYKB-001",
                            when=clock.now() - timedelta(hours=2))
    town = _enterprise_case(session, contact, clock, "BS-CD", "SB-001")
    for case in (hall, town):
        add_case(session, steward, project, case.number, clock.now())
    cases.check_materials(session, town, [], _staff(session, "agent4"), clock.now())
    session.commit()

    assert project.code == f"ZDXM-{clock.now().year}-001" and project.uscc == USCC
    view = project_view(session, project, clock.now().date())
    # Open, by due date: the town's accepted case has one; the hall's submitted one not yet.
    assert [(d.number, d.place, d.status_label) for d in view.deadlines] == [
        (town.number, "城东街道便民服务中心", "已受理"), (hall.number, "博山区政务服务中心", "已提交，待审查材料")]
    assert view.deadlines[0].due_date == town.due_date
    # One timeline, newest first, every case's events.
    assert [(t.number, t.label) for t in view.timeline] == [
        (town.number, "材料齐全，已受理"), (town.number, "提交申请"), (hall.number, "提交申请")]


def test_only_the_enterprises_cases_and_only_by_the_steward_or_managers(
        session, project, clock, make_citizen):
    citizen = make_citizen()
    other = _enterprise_case(session, citizen, clock, "BS-HALL", "QYKB-001", uscc=OTHER_USCC)
    mine = _enterprise_case(session, citizen, clock, "BS-HALL", "QYKB-001")
    session.commit()
    with pytest.raises(InvalidInput):
        add_case(session, _staff(session, "agent2"), project, other.number, clock.now())
    for username in ("agent1", "inspector"):  # a member, an inspector
        with pytest.raises(Forbidden):
            add_case(session, _staff(session, username), project, mine.number, clock.now())
    add_case(session, _staff(session, "manager"), project, mine.number, clock.now())
    assert mine.project_id == project.id
    # Seen by its place's staff, its steward and members, the district; not another town's.
    seen = lambda username: session.scalars(select(KeyProject.id).where(  # noqa: E731
        scope.projects(_staff(session, username)))).all()
    assert seen("agent4") == seen("agent2") == seen("manager") == seen("inspector") == [project.id]
    assert seen("agent3") == []
    with pytest.raises(NotFound):
        project_for(session, _staff(session, "agent3"), project.id)


@pytest.mark.parametrize("change, field", [
    ({"uscc": "91370304MA3C5K8Q0X"}, "uscc"),
    ({"steward": "manager"}, "steward"),
    ({"members": ["nobody"]}, "members"),
    ({"name": ""}, "name"),
    ({"place_code": "NOPE"}, "place"),
], ids=["uscc-checksum", "steward-not-agent", "member", "name", "place"])
def test_a_bad_project_writes_nothing(session, demo, clock, change, field):
    before = every_row(session)
    values = dict(name="园区", enterprise_name="博山陶瓷有限公司", uscc=USCC, description=None,
                  place_code="BS-HALL", steward="agent2", members=[], now=clock.now())
    values.update(change)
    with pytest.raises(InvalidInput) as refused:
        create_project(session, _staff(session, "admin"), **values)
    assert field in refused.value.details
    session.rollback()
    assert every_row(session) == before
    with pytest.raises(Forbidden):  # a manager of another place
        create_project(session, _staff(session, "manager"), **{**values, "place_code": "BS-CD"})


def test_reports_count_projects_and_their_on_time_rate(session, project, clock, make_citizen,
                                                       make_staff):
    """Hand count: 3 cases under the project — one completed on time, one open past its due
    date, one withdrawn (not judged) — on-time rate 1/2."""
    citizen = make_citizen()
    manager = _staff(session, "manager")
    start = clock.now() - timedelta(days=30)
    done, late, gone = (_enterprise_case(session, citizen, clock, "BS-HALL", "SB-001", when=start,
                                         help_type="assist") for _ in range(3))
    for case in (done, late, gone):
        add_case(session, manager, project, case.number, clock.now())
        cases.assign(session, case, manager, "agent1", clock.now() - timedelta(days=30))
        cases.check_materials(session, case, [], case.agent, clock.now() - timedelta(days=30))
    cases.start(session, done, done.agent, start + timedelta(days=1))
    cases.complete(session, done, done.agent, "已办结", start + timedelta(days=1))
    cases.withdraw(session, gone, citizen, clock.now())
    session.commit()
    assert late.due_date < clock.now().date()

    report = project_figures(session, _staff(session, "admin"), clock.now().date(), TZ)
    [figures] = report.projects
    assert (figures.cases, figures.completed, figures.completed_on_time, figures.open_overdue) == (
        2, 1, 1, 1)
    assert report.count == 1 and report.on_time_rate == 0.5
    assert project_figures(session, _staff(session, "agent3"), clock.now().date(), TZ).count == 0


def test_the_enterprise_contact_sees_the_projects_cases(client, session, project, clock,
                                                        make_citizen):
    token = client.post("/api/v1/auth/wechat-login", json={"code": "boss"}).get_json()["token"]
    contact = session.scalar(select(Citizen).order_by(Citizen.id.desc()))
    colleague = make_citizen()
    own = _enterprise_case(session, contact, clock, "BS-HALL", "QYKB-001")
    theirs = _enterprise_case(session, colleague, clock, "BS-CD", "SB-001",
                              when=clock.now() + timedelta(minutes=5))
    for case in (own, theirs):
        add_case(session, _staff(session, "agent2"), project, case.number, clock.now())
    session.commit()

    answer = client.get("/api/v1/projects", headers=bearer(token))
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["total"] == 1
    [item] = body["items"]
    assert (item["code"], item["enterprise_name"], item["steward"]["name"]) == (
        project.code, "博山陶瓷有限公司", "王代办")
    assert [c["number"] for c in item["cases"]] == [own.number, theirs.number]
    assert "applicant" not in item["cases"][1]
    # A citizen with no case of the enterprise sees no project.
    stranger = client.post("/api/v1/auth/wechat-login", json={"code": "other"}).get_json()["token"]
    assert client.get("/api/v1/projects", headers=bearer(stranger)).get_json() == {
        "items": [], "total": 0}
    assert_error(client.get("/api/v1/projects"), 401, "unauthorized")


def test_the_admin_sets_up_a_project_groups_a_case_and_shows_deadlines(
        client, session, demo, clock, make_citizen):
    from backend.services.staff import set_password
    password = "Hq7#vLm2pX9w-Tz"
    set_password(session, scope.SYSTEM, _staff(session, "manager"), password)
    case = _enterprise_case(session, make_citizen(), clock, "BS-HALL", "QYKB-001")
    session.commit()
    assert client.post("/admin/login", data={"username": "manager", "password": password}
                       ).status_code == 302
    response = client.post("/admin/project/create/", data={
        "name": "陶瓷产业园扩建", "enterprise_name": "博山陶瓷有限公司", "uscc": USCC,
        "place": "BS-HALL", "steward": "agent2", "members": ["agent1"]})
    assert response.status_code == 302
    project = session.scalar(select(KeyProject))
    assert (project.steward.username, [m.username for m in project.members]) == (
        "agent2", ["agent1"])
    client.post(f"/admin/project/add-case/?id={project.id}", data={"number": case.number})
    page = client.get(f"/admin/project/details/?id={project.id}").get_data(as_text=True)
    assert case.number in page and "提交申请" in page
    session.expire_all()
    assert session.get(type(case), case.id).project_id == project.id
    # The inspection report counts the project, its page and its workbook alike.
    report = client.get("/admin/report/?start=2026-11-01&end=2026-11-30").get_data(as_text=True)
    assert "重点项目（1 个，按时办结率 —）" in report
    from io import BytesIO
    from openpyxl import load_workbook
    workbook = load_workbook(BytesIO(client.get(
        "/admin/report/xlsx?start=2026-11-01&end=2026-11-30").data))
    rows = list(workbook["重点项目"].iter_rows(values_only=True))
    assert rows[0][:2] == ("重点项目数", 1)
    assert rows[2][:4] == (project.code, "陶瓷产业园扩建", "博山陶瓷有限公司", 1)
