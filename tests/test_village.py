"""Village points (博政管办发〔2022〕3号 二(二)1): the village agent (村代办员) belongs to no
department and is registered at the village point itself; a case received there may be
forwarded to its town or the district hall; scope follows the place tree (docs/domain.md
"Village points")."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.errors import Forbidden, InvalidInput, InvalidState
from backend.models import AgentRegistration, Case, Place, Staff
from backend.services import cases, scope
from backend.services.compliance import compliance_gaps
from backend.services.staff import decide_proposal, register_agent, unregister_agent
from tests.factories import STAFF_PASSWORD
from tests.helpers import assert_error, bearer, every_row

VILLAGE, TOWN, OTHER_TOWN, HALL = "BS-CD-V01", "BS-CD", "BS-ST", "BS-HALL"


@pytest.fixture
def village(session, demo, make_staff):
    """A village agent at 柳杭社区 (under 城东街道), the town's manager, another town's."""
    make_staff("cun1", role="agent", places=(VILLAGE,), department=None, name="孙村代办")
    make_staff("cdmgr", role="place_manager", places=(TOWN,), department=None, name="城东经理")
    make_staff("stmgr", role="place_manager", places=(OTHER_TOWN,), department=None)
    make_staff("hallmgr", role="place_manager", places=(HALL,), department=None)


def _staff(session, username: str) -> Staff:
    return session.scalar(select(Staff).where(Staff.username == username))


def _token(client, username: str) -> dict:
    response = client.post("/api/v1/staff/login",
                           json={"username": username, "password": STAFF_PASSWORD})
    assert response.status_code == 200, response.get_data(as_text=True)
    return bearer(response.get_json()["token"])


def _village_case(make_case, session):
    """An assist case at the village, assigned to its village agent, who accepts it."""
    case = make_case("submitted", "assist", place=VILLAGE)
    cases.assign(session, case, _staff(session, "admin"), "cun1", case.created_at)
    cases.check_materials(session, case, [], _staff(session, "cun1"), case.created_at)
    session.commit()
    return case


# Registration at a village point ------------------------------------------------------------

def test_a_village_agent_is_registered_at_the_village_point_with_no_department(session, village,
                                                                              clock):
    agent = _staff(session, "cun1")
    [registration] = agent.registrations
    assert (registration.place.code, registration.station, registration.ended_on) == (
        VILLAGE, None, None)
    assert agent.department is None and [p.code for p in agent.places] == [VILLAGE]
    # The village agent covers the village's stations in the registry's gaps.
    gaps = compliance_gaps(session, _staff(session, "admin"), clock.now().date())
    assert VILLAGE not in {g.place_code for g in gaps.stations_without_agent}
    assert "BS-CD-V02" in {g.place_code for g in gaps.stations_without_agent}


def test_registration_without_department_only_at_village_points(session, village, clock):
    manager = _staff(session, "cdmgr")
    with pytest.raises(InvalidInput) as refused:
        register_agent(session, scope.SYSTEM, "cun1", [TOWN], None, clock.now().date())
    assert "不是村级代办点" in str(refused.value.details)
    # The town's manager runs the villages under the town: proposes there (a manager's
    # registration waits for the district office), and ends there.
    change = register_agent(session, manager, "cun1", ["BS-CD-V02"], None, clock.now().date())
    assert change.changed == []
    assert [(p.place.code, p.station_id, p.status) for p in change.proposed] == [
        ("BS-CD-V02", None, "pending")]
    again = register_agent(session, manager, "cun1", ["BS-CD-V02"], None, clock.now().date())
    assert again.proposed == change.proposed
    decide_proposal(session, _staff(session, "admin"), change.proposed[0].id, True, None,
                    clock.now())
    registered = session.scalars(select(AgentRegistration).where(
        AgentRegistration.staff_id == _staff(session, "cun1").id,
        AgentRegistration.place.has(code="BS-CD-V02"))).all()
    assert [(r.place.code, r.station_id, r.ended_on) for r in registered] == [
        ("BS-CD-V02", None, None)]
    again = register_agent(session, manager, "cun1", ["BS-CD-V02"], None, clock.now().date())
    assert again.changed == again.proposed == [] and len(again.unchanged) == 1
    with pytest.raises(Forbidden):
        register_agent(session, _staff(session, "stmgr"), "cun1", ["BS-CD-V02"], None,
                       clock.now().date())
    ended = unregister_agent(session, manager, "cun1", ["BS-CD-V02"], None, clock.now().date())
    assert [r.ended_on for r in ended.changed] == [clock.now().date()]


# Scope follows the place tree ------------------------------------------------------------------

def test_a_towns_manager_sees_the_town_and_its_villages(session, village, make_case):
    case = _village_case(make_case, session)
    visible = lambda username: session.scalars(select(Case.number).where(  # noqa: E731
        scope.cases(_staff(session, username)))).all()
    assert case.number in visible("cdmgr")
    assert case.number not in visible("stmgr")
    assert case.number not in visible("hallmgr")
    assert scope.sees_case(_staff(session, "cdmgr"), case)
    assert not scope.sees_case(_staff(session, "stmgr"), case)
    village_place = session.scalar(select(Place).where(Place.code == VILLAGE))
    assert scope.works_at(_staff(session, "cdmgr"), village_place)
    assert not scope.works_at(_staff(session, "cun1"), village_place.parent)


# Forwarding ------------------------------------------------------------------------------------

def test_the_village_agent_forwards_a_case_to_the_town_over_the_staff_api(
        client, session, village, make_case):
    case = _village_case(make_case, session)
    assert "forward" in client.get(f"/api/v1/staff/cases/{case.number}",
                                   headers=_token(client, "cun1")).get_json()["actions"]

    response = client.post(f"/api/v1/staff/cases/{case.number}/forward",
                           headers=_token(client, "cun1"),
                           json={"place": TOWN, "reason": "需镇级部门现场核验"})

    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["place"]["code"] == TOWN
    assert body["agent"] is None
    assert body["contact_agent"]["username"] == "cun1"
    assert body["actions"] == []  # the contact sees the case and no longer works it
    session.expire_all()
    case = session.get(Case, case.id)
    event = case.events[-1]
    assert (event.action, event.staff.username, event.from_status, event.to_status) == (
        "forward", "cun1", "accepted", "accepted")
    assert event.note == "孙村代办将办件由柳杭社区便民服务中心转至城东街道便民服务中心，原因：需镇级部门现场核验"
    # The village agent still sees it (and reads, not acts); the town's manager assigns it.
    assert client.get(f"/api/v1/staff/cases/{case.number}",
                      headers=_token(client, "cun1")).status_code == 200
    assert_error(client.post(f"/api/v1/staff/cases/{case.number}/progress",
                             headers=_token(client, "cun1"), json={"note": "已联系申请人"}),
                 403, "forbidden")
    assigned = client.post(f"/api/v1/staff/cases/{case.number}/assign",
                           headers=_token(client, "cdmgr"), json={"agent": "agent4"})
    assert assigned.status_code == 200, assigned.get_data(as_text=True)
    assert assigned.get_json()["agent"]["username"] == "agent4"
    assert assigned.get_json()["contact_agent"]["username"] == "cun1"


def test_a_village_case_goes_to_the_district_hall(session, village, make_case, clock):
    case = _village_case(make_case, session)
    manager = _staff(session, "cdmgr")
    assert [p.code for p in cases.forward_targets(session, case)] == [TOWN, HALL]
    cases.forward(session, cases.staff_case(session, manager, case.number), manager, HALL,
                  "需区级部门联办", clock.now())
    session.commit()
    assert case.place.code == HALL and case.contact_agent.username == "cun1"
    # Out of the town's sight now; the district hall's manager sees and assigns it.
    assert not scope.sees_case(_staff(session, "cdmgr"), case)
    hall = _staff(session, "hallmgr")
    cases.assign(session, cases.staff_case(session, hall, case.number), hall, "agent1",
                 clock.now())
    assert case.agent.username == "agent1"


@pytest.mark.parametrize("place, reason, field", [
    (OTHER_TOWN, "需镇级部门核验", "place"),   # another town
    ("BS-CD-V02", "需镇级部门核验", "place"),  # a sibling village
    ("NOWHERE", "需镇级部门核验", "place"),
    (TOWN, "  ", "reason"),
], ids=["other-town", "sibling-village", "unknown", "no-reason"])
def test_forwarding_refuses_a_wrong_place_or_no_reason_and_changes_nothing(
        client, session, village, make_case, place, reason, field):
    case = _village_case(make_case, session)
    before = every_row(session)
    error = assert_error(client.post(f"/api/v1/staff/cases/{case.number}/forward",
                                     headers=_token(client, "cun1"),
                                     json={"place": place, "reason": reason}),
                         422, "invalid_input")
    assert field in error["details"]
    session.rollback()
    assert every_row(session) == before


def test_only_a_village_points_case_is_forwarded(session, village, make_case, clock):
    case = make_case("accepted", "assist", place=TOWN)
    manager = _staff(session, "cdmgr")
    assert "forward" not in cases.available_actions(case, manager)
    with pytest.raises(InvalidState):
        cases.forward(session, case, manager, HALL, "需区级部门联办", clock.now())


def test_another_towns_manager_cannot_find_the_case_to_forward(client, session, village,
                                                                make_case):
    case = _village_case(make_case, session)
    assert_error(client.post(f"/api/v1/staff/cases/{case.number}/forward",
                             headers=_token(client, "stmgr"),
                             json={"place": TOWN, "reason": "需镇级部门核验"}),
                 404, "not_found")
    assert session.get(Case, case.id).place.code == VILLAGE
