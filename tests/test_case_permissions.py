"""Who may do what to a case on the staff side (docs/domain.md "Roles", docs/architecture.md, habit
9).

Every staff case route is tried by every kind of caller, on cases of the district hall
(BS-HALL, worked by agent1 or agent2) and of a town centre (BS-CD, worked by agent4):
a case one may not see is 404 `not_found` (its number is not even confirmed), an action one's
role may not take is 403 `forbidden`, no staff token is 401 `unauthorized`, and a refused
request changes nothing at all. Allowed callers succeed from the state the action needs.

The demo is seeded once per module (seeding per test would cost half a second each); every
test builds its own cases through the services and the case tables are emptied after it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from backend.clock import FixedClock
from backend.extensions import db
from backend.models import AuditLog, Case, Citizen, Escalation, Staff
from backend.services import cases as service
from backend.services.demo import seed_demo
from backend.services.staff import create_staff
from backend.services.scope import SYSTEM
from tests.conftest import make_test_app
from tests.factories import new_case

API = "/api/v1"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday
CD_MANAGER = ("cdmanager", "城东-管理员-Gx7#pQ2v")  # place_manager of BS-CD only
APPLICANT = service.Applicant(name="张三", phone="13800138000")
SB_001 = ["SFZ", "HKB", "JMYBCB"]  # 城乡居民基本养老保险参保登记, lead department RSJ


# The world: the Boshan demo, one extra manager, everyone logged in --------------------------

def _delete_rows(tables: list[sa.Table], restart_identity: bool = False) -> None:
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql" and restart_identity:
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(table.delete())


@dataclass
class World:
    client: object
    clock: FixedClock
    headers: dict[str, dict[str, str]]  # username, "citizen" or "anonymous" → request headers
    volatile: list[sa.Table]  # tables the seed left empty: what the tests write to

    @property
    def session(self):
        return db.session

    def staff(self, username: str) -> Staff:
        return self.session.scalar(select(Staff).where(Staff.username == username))

    def citizen(self) -> Citizen:
        return self.session.scalar(select(Citizen))

    def snapshot(self) -> dict:
        """Every row of every table the tests write to, and the size of all the others."""
        self.session.rollback()  # a fresh look at what is committed
        connection = self.session.connection()
        state = {table.name: connection.execute(select(table).order_by(
            *table.primary_key.columns)).all() for table in self.volatile}
        stable = [t for t in db.metadata.sorted_tables if t not in self.volatile]
        counts = connection.execute(select(*[
            select(func.count()).select_from(t).scalar_subquery().label(t.name)
            for t in stable])).one()
        state.update(counts._asdict())
        self.session.rollback()
        return state


@pytest.fixture(scope="module")
def world(database_url):
    clock = FixedClock(NOW)
    app = make_test_app(database_url, CLOCK=clock)
    with app.app_context():
        session = db.session
        demo = seed_demo(session, clock.now(), rota_days=21)
        username, password = CD_MANAGER
        create_staff(session, SYSTEM, username=username, password=password, role="place_manager",
                     name="陈经理", place_codes=["BS-CD"], department_code=None, now=clock.now())
        session.commit()

        client = app.test_client()
        headers = {"anonymous": {}}
        for name, secret in [(u, p) for u, _, p in demo.passwords] + [CD_MANAGER]:
            answer = client.post(f"{API}/staff/login", json={"username": name, "password": secret})
            assert answer.status_code == 200, answer.get_json()
            headers[name] = {"Authorization": f"Bearer {answer.get_json()['token']}"}
        answer = client.post(f"{API}/auth/wechat-login", json={"code": "zhang-san"})
        headers["citizen"] = {"Authorization": f"Bearer {answer.get_json()['token']}"}
        assert set(headers) >= {"admin", "inspector", "manager", *(f"agent{n}" for n in range(1, 5))}

        volatile = [t for t in db.metadata.sorted_tables
                    if not session.scalar(select(func.count()).select_from(t))]
        assert "service_case" in {t.name for t in volatile}
        session.commit()
        yield World(client, clock, headers, volatile)

        db.session.remove()
        _delete_rows(list(db.metadata.sorted_tables), restart_identity=True)
        db.engine.dispose()


@pytest.fixture(autouse=True)
def fresh_cases(world):
    """Each test starts with no cases (and a session that acts for nobody)."""
    yield
    db.session.remove()
    _delete_rows(world.volatile)


# Cases in the state an action needs ------------------------------------------------------

@dataclass(frozen=True)
class Scene:
    """A case's place and who stands where relative to it."""
    place: str
    assigned_agent: str
    same_place_agent: str
    other_place_agent: str
    own_manager: str
    other_manager: str


SCENES = {
    "hall-agent1": Scene("BS-HALL", "agent1", "agent2", "agent3", "manager", "cdmanager"),
    "hall-agent2": Scene("BS-HALL", "agent2", "agent1", "agent4", "manager", "cdmanager"),
    "cd-agent4": Scene("BS-CD", "agent4", "agent3", "agent1", "cdmanager", "manager"),
}
CALLERS = ["assigned_agent", "same_place_agent", "other_place_agent", "own_manager",
           "other_manager", "district_admin", "inspector", "guide", "citizen", "anonymous"]


def caller_key(scene: Scene, caller: str) -> str:
    fixed = {"district_admin": "admin", "inspector": "inspector", "guide": "guide1",
             "citizen": "citizen",
             "anonymous": "anonymous"}
    return fixed.get(caller) or getattr(scene, caller)


class CaseMaker:
    def __init__(self, world: World, scene: Scene):
        self.world, self.scene = world, scene

    def new(self, status: str = "submitted", help_type: str = "proxy", *, place: str | None = None,
            agent: str | None = None) -> Case:
        """A case of SB-001 at the scene's place, worked by the scene's agent, moved by the
        services to `status` (submitted, accepted, handed_over, in_progress, completed)."""
        world = self.world
        case = new_case(world.session, world.clock.now(), world.citizen(), status, help_type,
                        place=place or self.scene.place,
                        agent=agent or self.scene.assigned_agent)
        world.session.commit()
        return case


# The routes, each from the state it needs -------------------------------------------------

@dataclass(frozen=True)
class Route:
    name: str
    prepare: Callable[[CaseMaker], tuple[str, str, dict | None]]  # → method, path, body
    succeeded: Callable[[dict, Scene], bool]  # the answer of an allowed caller
    ok: int = 200
    managers_only: bool = False  # an agent may see the case but not do this


def case_url(case: Case, action: str | None = None) -> str:
    return f"{API}/staff/cases/{case.number}" + (f"/{action}" if action else "")


def _escalated(make: CaseMaker):
    case = make.new("accepted")
    escalation = service.escalate(make.world.session, case, make.world.staff(
        make.scene.assigned_agent), "部门系统数据不同步", make.world.clock.now())
    make.world.session.commit()
    return "POST", f"{API}/staff/escalations/{escalation.id}/resolve", {"note": "协调会议已解决"}


def _badly_reviewed(make: CaseMaker):
    case = make.new("completed", "assist")
    service.review(make.world.session, case, make.world.citizen(), 2, "等待太久",
                   make.world.clock.now())
    make.world.session.commit()
    return "POST", case_url(case, "review-followup"), {"callback": "已电话回访", "fix": "增设窗口"}


def _with_visit(make: CaseMaker, scheduled: bool = False) -> Case:
    case = make.new("accepted")
    service.request_visit(case, service.VisitRequest("和平路12号"), make.world.clock.now())
    if scheduled:
        service.schedule_visit(make.world.session, case, make.world.staff("admin"),
                               make.world.clock.now().date(), make.world.clock.now().time(),
                               make.scene.assigned_agent, make.world.clock.now())
    make.world.session.commit()
    return case


def _suspended(make: CaseMaker) -> Case:
    case = make.new("accepted")
    service.suspend(make.world.session, case, make.world.staff(make.scene.assigned_agent),
                    "inspection", "样品送检", 3, make.world.clock.now())
    make.world.session.commit()
    return case


def _paper_url(make: CaseMaker) -> str:
    case = make.new("accepted")
    return case_url(case, f"documents/{case.documents[0].id}.pdf")


def _lapsed(make: CaseMaker) -> Case:
    case = make.new("in_progress")
    case.commission_valid_until = date(2026, 11, 29)
    make.world.session.commit()
    return case


ROUTES = [
    Route("get", lambda make: ("GET", case_url(make.new()), None),
          lambda answer, scene: answer["status"] == "submitted"),
    Route("assign", lambda make: ("POST", case_url(make.new(), "assign"),
                                  {"agent": make.scene.same_place_agent}),
          lambda answer, scene: answer["agent"]["username"] == scene.same_place_agent,
          managers_only=True),
    Route("check-accept", lambda make: ("POST", case_url(make.new(), "check"), {"missing": []}),
          lambda answer, scene: (answer["status"], answer["due_date"])
          == ("accepted", "2026-12-07")),  # 5 working days after Monday 2026-11-30
    Route("check-notice", lambda make: ("POST", case_url(make.new(), "check"),
                                        {"missing": [{"material": "HKB", "note": "须户主页"}]}),
          lambda answer, scene: answer["status"] == "materials_incomplete"
          and len(answer["notices"]) == 1),
    Route("reject", lambda make: ("POST", case_url(make.new(), "reject"), {"reason": "不属于受理范围"}),
          lambda answer, scene: answer["status"] == "rejected"),
    Route("handover", lambda make: ("POST", case_url(make.new("accepted"), "handover"), {
        "materials": [{"material": "SFZ", "copies": 1, "original": True},
                      {"material": "HKB", "copies": 1, "original": False}],
        "citizen_confirmed": True}),
          lambda answer, scene: answer["status"] == "handed_over"),
    Route("agreement", lambda make: ("POST", case_url(make.new("handed_over"), "agreement"), None),
          lambda answer, scene: answer["status"] == "in_progress"
          and answer["agreement"]["method"] == "paper"),
    Route("start", lambda make: ("POST", case_url(make.new("accepted", "assist"), "start"), None),
          lambda answer, scene: answer["status"] == "in_progress"),
    Route("progress", lambda make: ("POST", case_url(make.new("in_progress", "assist"), "progress"),
                                    {"note": "已陪同至社保窗口"}),
          lambda answer, scene: answer["timeline"][-1]["note"] == "已陪同至社保窗口"),
    Route("complete", lambda make: ("POST", case_url(make.new("in_progress", "assist"), "complete"),
                                    {"note": "已办结"}),
          lambda answer, scene: answer["status"] == "completed"),
    Route("return", lambda make: ("POST", case_url(make.new("completed"), "return"), {
        "materials": [{"material": "SFZ", "copies": 1, "original": True}], "note": "原件已退还"}),
          lambda answer, scene: answer["status"] == "returned"),
    Route("escalate", lambda make: ("POST", case_url(make.new("accepted"), "escalate"),
                                    {"note": "部门系统数据不同步"}),
          lambda answer, scene: answer["resolved_at"] is None, ok=201),
    Route("review-followup", _badly_reviewed,
          lambda answer, scene: answer["followup"]["fix"] == "增设窗口", managers_only=True),
    Route("resolve", _escalated,
          lambda answer, scene: answer["resolution"] == "协调会议已解决", managers_only=True),
    Route("visit-schedule", lambda make: ("POST", case_url(_with_visit(make), "visit-schedule"), {
        "date": "2026-12-02", "start": "14:30", "agent": make.scene.assigned_agent}),
          lambda answer, scene: answer["visit"]["status"] == "scheduled", managers_only=True),
    Route("visit-decline", lambda make: ("POST", case_url(_with_visit(make), "visit-decline"),
                                         {"reason": "不在辖区"}),
          lambda answer, scene: answer["visit"]["status"] == "declined", managers_only=True),
    Route("visit-record", lambda make: ("POST", case_url(_with_visit(make, True), "visit-record"),
                                        {"materials": [{"material": "SFZ", "copies": 1,
                                                        "original": True}]}),
          lambda answer, scene: answer["visit"]["status"] == "done"
          and answer["status"] == "handed_over"),
    Route("suspend", lambda make: ("POST", case_url(make.new("accepted"), "suspend"), {
        "kind": "inspection", "reason": "样品送检", "expected_days": 3}),
          lambda answer, scene: answer["clock"]["paused"]),
    Route("resume", lambda make: ("POST", case_url(_suspended(make), "resume"), {"note": "合格"}),
          lambda answer, scene: not answer["clock"]["paused"]),
    Route("extend", lambda make: ("POST", case_url(make.new("accepted"), "extend"), {
        "days": 3, "reason": "需部门会商"}),
          lambda answer, scene: answer["clock"]["extensions"][0]["days"] == 3,
          managers_only=True),
    Route("documents", lambda make: ("GET", case_url(make.new("accepted"), "documents"), None),
          lambda answer, scene: [d["kind"] for d in answer["items"]] == ["acceptance"]),
    Route("document-pdf", lambda make: ("GET", _paper_url(make), None),
          lambda answer, scene: True),
    Route("terminate", lambda make: ("POST", case_url(make.new("handed_over"), "terminate"),
                                     {"reason": "申请人提供的材料不实"}),
          lambda answer, scene: answer["status"] == "terminated"),
    Route("renew", lambda make: ("POST", case_url(_lapsed(make), "renew"),
                                 {"valid_until": "2027-01-31"}),
          lambda answer, scene: answer["commission"]["valid_until"] == "2027-01-31"),
]


def expected(route: Route, caller: str) -> tuple[int, str | None]:
    """The rules of backend/services/cases.py (can_see, staff_case, TRANSITIONS) as a table."""
    if caller in ("citizen", "anonymous"):
        return 401, "unauthorized"
    # A hall guide (the hall's, guide1) works no case: none exists for it.
    if caller in ("same_place_agent", "other_place_agent", "other_manager", "guide"):
        return 404, "not_found"
    if route.name in ("get", "documents", "document-pdf"):
        return 200, None
    if caller == "inspector" or (caller == "assigned_agent" and route.managers_only):
        return 403, "forbidden"
    return route.ok, None


def call(world: World, method: str, path: str, body: dict | None, who: str):
    return world.client.open(path, method=method, json=body, headers=world.headers[who])


# The matrix -------------------------------------------------------------------------------

@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
@pytest.mark.parametrize("scene", SCENES.values(), ids=SCENES.keys())
def test_staff_case_route_permissions(world, scene, route, caller):
    method, path, body = route.prepare(CaseMaker(world, scene))
    who = caller_key(scene, caller)
    status, code = expected(route, caller)
    audit_before = world.session.scalar(select(func.max(AuditLog.id))) or 0
    before = world.snapshot() if code is not None or method == "GET" else None

    answer = call(world, method, path, body, who)

    if code is not None:
        assert (answer.status_code, answer.get_json()["error"]["code"]) == (status, code), \
            answer.get_json()
        assert world.snapshot() == before
        return
    assert answer.status_code == status, answer.get_json()
    assert route.succeeded(answer.get_json(), scene), answer.get_json()
    if method == "GET":
        assert world.snapshot() == before
    else:
        # Every staff change is in the audit log, under the caller's name.
        audited = world.session.scalars(select(AuditLog.staff_id).where(
            AuditLog.id > audit_before)).all()
        assert audited and set(audited) == {world.staff(who).id}


# A refusal by role depends on nothing else ------------------------------------------------

def _resolved(make: CaseMaker):
    method, path, body = _escalated(make)
    escalation = make.world.session.scalar(select(Escalation))
    service.resolve_escalation(make.world.session, escalation, make.world.staff("admin"), "已解决",
                               make.world.clock.now())
    make.world.session.commit()
    return method, path, body


@pytest.mark.parametrize("prepare", [
    pytest.param(lambda make: ("POST", case_url(make.new(), "assign"), {"agent": "agent3"}),
                 id="assign-an-agent-of-another-place"),
    pytest.param(lambda make: ("POST", case_url(make.new(), "assign"), {"agent": "nobody"}),
                 id="assign-an-unknown-username"),
    pytest.param(lambda make: ("POST", case_url(make.new("completed", "assist"), "assign"),
                               {"agent": "agent2"}), id="assign-a-finished-case"),
    pytest.param(lambda make: ("POST", case_url(make.new("completed", "assist"), "review-followup"),
                               {"callback": "已回访", "fix": "已整改"}), id="followup-without-a-review"),
    pytest.param(lambda make: ("POST", case_url(make.new(), "review-followup"),
                               {"callback": "已回访", "fix": "已整改"}), id="followup-on-an-open-case"),
    pytest.param(_resolved, id="resolve-a-resolved-escalation"),
])
def test_an_agent_is_refused_a_managers_action_whatever_the_body_or_state(world, prepare):
    """Managers only (docs/api.md: assign "managers only"): an agent's request is 403 before
    anything about the body or the case's state is said, and nothing changes."""
    method, path, body = prepare(CaseMaker(world, SCENES["hall-agent1"]))
    before = world.snapshot()
    answer = call(world, method, path, body, "agent1")
    assert (answer.status_code, answer.get_json()["error"]["code"]) == (403, "forbidden"), \
        answer.get_json()
    assert world.snapshot() == before


@pytest.mark.parametrize("caller", ["anonymous", "citizen"])
@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_no_staff_token_is_401_whatever_the_body(world, route, caller):
    """Who is asking is settled before what is asked: without a staff token, an empty body gets
    401, not a list of the fields the route expects."""
    method, path, _ = route.prepare(CaseMaker(world, SCENES["hall-agent1"]))
    before = world.snapshot()
    answer = call(world, method, path, {} if method == "POST" else None, caller)
    assert (answer.status_code, answer.get_json()["error"]["code"]) == (401, "unauthorized"), \
        answer.get_json()
    assert world.snapshot() == before


# Lists ------------------------------------------------------------------------------------

@pytest.fixture
def spread(world):
    """Six cases: three at the hall (agent1 ×2, agent2), two at BS-CD (agent4, agent3) and one
    at BS-ST, where no agent is registered."""
    make = CaseMaker(world, SCENES["hall-agent1"])
    cases = {
        "hall-agent1-a": make.new(),
        "hall-agent1-b": make.new("accepted", "assist"),
        "hall-agent2": make.new(agent="agent2"),
        "cd-agent4": make.new(place="BS-CD", agent="agent4"),
        "cd-agent3": make.new("accepted", place="BS-CD", agent="agent3"),
    }
    lonely = service.create_case(
        world.session, world.citizen(), item_code="SB-001", place_code="BS-ST",
        help_type="proxy", applicant=APPLICANT, material_codes=SB_001, booking_code=None,
        special_group=None, now=world.clock.now(), number_prefix="BS")
    assert lonely.agent is None
    cases["st-nobody"] = lonely
    world.session.commit()
    return {key: case.number for key, case in cases.items()}


HALL = {"hall-agent1-a", "hall-agent1-b", "hall-agent2"}
CD = {"cd-agent4", "cd-agent3"}
EVERYTHING = HALL | CD | {"st-nobody"}


def listed(world, who: str, query: str = "") -> tuple[set[str], int]:
    answer = world.client.get(f"{API}/staff/cases?per_page=100{query}", headers=world.headers[who])
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    numbers = [c["number"] for c in body["items"]]
    assert len(numbers) == len(set(numbers)) == body["total"]
    return set(numbers), body["total"]


@pytest.mark.parametrize("who, visible", [
    ("agent1", {"hall-agent1-a", "hall-agent1-b"}),
    ("agent2", {"hall-agent2"}),
    ("agent3", {"cd-agent3"}),
    ("agent4", {"cd-agent4"}),
    ("manager", HALL),
    ("cdmanager", CD),
    ("admin", EVERYTHING),
    ("inspector", EVERYTHING),
    ("guide1", set()),
])
def test_the_case_list_shows_exactly_what_each_role_may_see(world, spread, who, visible):
    numbers, _ = listed(world, who)
    assert numbers == {spread[key] for key in visible}


@pytest.mark.parametrize("who", ["citizen", "anonymous"])
def test_the_case_list_needs_a_staff_token(world, spread, who):
    answer = world.client.get(f"{API}/staff/cases", headers=world.headers[who])
    assert (answer.status_code, answer.get_json()["error"]["code"]) == (401, "unauthorized")


@pytest.mark.parametrize("who, place, visible", [
    ("manager", "BS-CD", set()),
    ("manager", "BS-ST", set()),
    ("manager", "BS-HALL", HALL),
    ("cdmanager", "BS-HALL", set()),
    ("cdmanager", "BS-CD", CD),
    ("agent1", "BS-CD", set()),
    ("agent3", "BS-HALL", set()),
    ("agent3", "BS-CD", {"cd-agent3"}),
    ("admin", "BS-CD", CD),
    ("inspector", "BS-ST", {"st-nobody"}),
])
def test_the_place_filter_narrows_and_never_widens(world, spread, who, place, visible):
    numbers, total = listed(world, who, f"&place={place}")
    assert numbers == {spread[key] for key in visible} and total == len(visible)


# Assignment -------------------------------------------------------------------------------

@pytest.mark.parametrize("scene_key, manager, agent", [
    ("hall-agent1", "manager", "agent3"),    # an agent of BS-CD
    ("hall-agent1", "manager", "agent4"),
    ("hall-agent1", "admin", "agent4"),
    ("hall-agent1", "manager", "manager"),   # registered nowhere, and not an agent
    ("hall-agent1", "manager", "nobody"),
    ("cd-agent4", "cdmanager", "agent1"),    # an agent of BS-HALL
    ("cd-agent4", "cdmanager", "agent2"),
    ("cd-agent4", "admin", "agent2"),
])
def test_only_an_agent_registered_at_the_case_place_can_be_assigned(world, scene_key, manager,
                                                                     agent):
    case = CaseMaker(world, SCENES[scene_key]).new()
    before = world.snapshot()
    answer = call(world, "POST", case_url(case, "assign"), {"agent": agent}, manager)
    assert (answer.status_code, answer.get_json()["error"]["code"]) == (422, "invalid_input")
    assert world.snapshot() == before


@pytest.mark.parametrize("scene_key, agent", [
    ("hall-agent1", "agent2"),     # an agent of the case's place
    ("hall-agent1", "agent3"),     # an agent of the manager's own place
    ("cd-agent4", "agent3"),
    ("cd-agent4", "agent1"),
])
def test_a_manager_of_another_place_cannot_assign(world, scene_key, agent):
    scene = SCENES[scene_key]
    case = CaseMaker(world, scene).new()
    before = world.snapshot()
    answer = call(world, "POST", case_url(case, "assign"), {"agent": agent}, scene.other_manager)
    assert (answer.status_code, answer.get_json()["error"]["code"]) == (404, "not_found")
    assert world.snapshot() == before


def test_an_agent_loses_a_case_reassigned_to_someone_else(world):
    case = CaseMaker(world, SCENES["hall-agent1"]).new()
    assert call(world, "GET", case_url(case), None, "agent1").status_code == 200
    answer = call(world, "POST", case_url(case, "assign"), {"agent": "agent2"}, "manager")
    assert answer.status_code == 200 and answer.get_json()["agent"]["username"] == "agent2"

    before = world.snapshot()
    for method, action, body in [("GET", None, None), ("POST", "check", {"missing": []}),
                                 ("POST", "escalate", {"note": "还想再办"})]:
        refused = call(world, method, case_url(case, action), body, "agent1")
        assert (refused.status_code, refused.get_json()["error"]["code"]) == (404, "not_found")
    assert case.number not in listed(world, "agent1")[0]
    assert world.snapshot() == before

    assert case.number in listed(world, "agent2")[0]
    answer = call(world, "POST", case_url(case, "check"), {"missing": []}, "agent2")
    assert answer.status_code == 200 and answer.get_json()["status"] == "accepted"
    assert answer.get_json()["due_date"] == date(2026, 12, 7).isoformat()


# 窗口受理: who may take a walk-in applicant's case where -------------------------------------

REGISTERED = {"agent1": {"BS-HALL"}, "agent2": {"BS-HALL"}, "agent3": {"BS-CD"},
              "agent4": {"BS-CD"}, "manager": {"BS-HALL"}, "cdmanager": {"BS-CD"},
              "admin": {"BS-HALL", "BS-CD"}, "inspector": set()}
WALK_IN = {"item": "SB-001", "help_type": "assist", "materials": SB_001,
           "applicant": {"name": "王秀英", "id_number": "370304194803124212"}}


@pytest.mark.parametrize("who", [*REGISTERED, "citizen", "anonymous"])
@pytest.mark.parametrize("place", ["BS-HALL", "BS-CD"])
def test_window_intake_permissions(world, place, who):
    """An agent takes cases where registered, a manager at its places, the district admin
    anywhere; an inspector never (403); no staff token is 401. A refusal changes nothing; a
    case taken is audited under the caller and answered with the case."""
    audit_before = world.session.scalar(select(func.max(AuditLog.id))) or 0
    before = world.snapshot()
    answer = call(world, "POST", f"{API}/staff/cases", {**WALK_IN, "place": place}, who)
    if who in ("citizen", "anonymous"):
        expected_status = 401
    else:
        expected_status = 201 if place in REGISTERED[who] else 403
    assert answer.status_code == expected_status, answer.get_json()
    if expected_status != 201:
        assert world.snapshot() == before
        return
    case = answer.get_json()
    assert case["channel"] == "window" and case["status"] == "accepted"
    audited = world.session.scalars(select(AuditLog.staff_id).where(
        AuditLog.id > audit_before)).all()
    assert audited and set(audited) == {world.staff(who).id}


@pytest.mark.parametrize("who", [*REGISTERED, "citizen", "anonymous"])
def test_person_lookup_permissions(world, who):
    """Every staff member but an inspector looks a person up, and sees the person's cases at
    their own places only (the district admin: every place)."""
    for place in ("BS-HALL", "BS-CD"):
        assert call(world, "POST", f"{API}/staff/cases", {**WALK_IN, "place": place},
                    "admin").status_code == 201
    answer = call(world, "POST", f"{API}/staff/people/lookup",
                  {"id_number": WALK_IN["applicant"]["id_number"]}, who)
    if who in ("citizen", "anonymous"):
        assert answer.status_code == 401
        return
    if who == "inspector":
        assert (answer.status_code, answer.get_json()["error"]["code"]) == (403, "forbidden")
        return
    assert answer.status_code == 200, answer.get_json()
    places = {c["place"]["code"] for c in answer.get_json()["cases"]}
    assert places == REGISTERED[who]


# 代为预约: staff book in a person's name at their places only ------------------------------

@pytest.mark.parametrize("who", [*REGISTERED, "citizen", "anonymous"])
@pytest.mark.parametrize("place", ["BS-HALL", "BS-CD"])
def test_staff_booking_permissions(world, place, who):
    """A seat at one of one's places (an agent's, a manager's; the district admin's anywhere);
    a slot of another place does not exist for the caller (404); an inspector books nothing
    (403); no staff token is 401. A refusal changes nothing; a booking is audited under the
    caller."""
    from backend.models import Booking, Place, Slot
    from backend.services.slots import generate_slots
    if not world.session.scalar(select(func.count(Slot.id))):
        generate_slots(world.session, world.clock.now(), 14)
        world.session.commit()
    slot = world.session.scalar(select(Slot.id).join(Place, Place.id == Slot.place_id).where(
        Place.code == place, Slot.date == date(2026, 12, 1)).order_by(Slot.start_time).limit(1))
    world.session.rollback()
    audit_before = world.session.scalar(select(func.max(AuditLog.id))) or 0
    before = world.snapshot()
    answer = call(world, "POST", f"{API}/staff/bookings", {
        "slot": slot, "item": "SB-001",
        "person": {"name": "李桂兰", "id_number": "370304195208012261"}}, who)
    if who in ("citizen", "anonymous"):
        expected_status = 401
    elif who == "inspector":
        expected_status = 403
    else:
        expected_status = 201 if place in REGISTERED[who] else 404
    assert answer.status_code == expected_status, answer.get_json()
    if expected_status != 201:
        assert world.snapshot() == before
        return
    audited = world.session.scalars(select(AuditLog.staff_id).where(
        AuditLog.id > audit_before)).all()
    assert audited and set(audited) == {world.staff(who).id}
    world.session.rollback()
    _delete_rows([Booking.__table__])
    with db.engine.begin() as conn:
        conn.execute(sa.update(Slot).values(booked=0))


# 特殊群体确认: staff confirm a special group at their places only -------------------------------

@pytest.mark.parametrize("who", [*REGISTERED, "citizen", "anonymous"])
@pytest.mark.parametrize("place", ["BS-HALL", "BS-CD"])
def test_special_group_permissions(world, place, who):
    """At one of one's places (the district admin's anywhere); another place does not exist for
    the caller (404); an inspector confirms nothing (403); no staff token is 401. A refusal
    changes nothing; a confirmation is audited under the caller, and only the same people may
    end it."""
    before = world.snapshot()
    answer = call(world, "POST", f"{API}/staff/special-groups", {
        "place": place, "name": "赵六", "id_number": "370304199001011235", "kind": "disability",
        "document": "残疾人证"}, who)
    if who in ("citizen", "anonymous"):
        expected_status = 401
    elif who == "inspector":
        expected_status = 403
    else:
        expected_status = 201 if place in REGISTERED[who] else 404
    assert answer.status_code == expected_status, answer.get_json()
    if expected_status != 201:
        assert world.snapshot() == before
        return
    confirmation = answer.get_json()["id"]
    assert world.session.scalar(select(AuditLog.staff_id).where(
        AuditLog.entity == "special_group_confirmation")) == world.staff(who).id
    outsider = "cdmanager" if place == "BS-HALL" else "manager"
    assert call(world, "POST", f"{API}/staff/special-groups/{confirmation}/end", None,
                outsider).status_code == 404
    assert call(world, "POST", f"{API}/staff/special-groups/{confirmation}/end", None,
                who).status_code == 200
