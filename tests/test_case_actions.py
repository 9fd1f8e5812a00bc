"""What staff may do to a case now, answered once (`cases.available_actions`, beside the
transition table; docs/domain.md "The case", docs/api.md "Staff side"): the answer as a table,
the proof that the services agree with it, and the two faces that show it (the admin's case
page, the staff API's `actions`)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from admin.cases import DONE, HANDLERS
from backend.errors import DomainError
from backend.models import (
    Case, CaseMaterial, Department, DepartmentTask, Escalation, Place, Review, Staff,
)
from backend.services import cases, scope
from backend.services.cases import STAFF_ACTIONS, available_actions
from backend.services.staff import set_password
from tests.factories import new_case
from tests.helpers import bearer

PASSWORD = "Hq7#vLm2pX9w-Tz"
NOW = datetime(2026, 11, 30, 9, 0)


# The answer as a table: role × case state × preconditions ------------------------------------

HALL, TOWN = 1, 2
AGENT_ID = 7


def _staff(role: str, places=(HALL,), id_: int = 50, active: bool = True) -> Staff:
    return Staff(id=id_, role=role, active=active, places=[Place(id=p) for p in places])


WHO = {
    "agent": _staff("agent", id_=AGENT_ID),            # the case's agent
    "other_agent": _staff("agent", id_=8),             # an agent of the same place
    "stopped_agent": _staff("agent", id_=AGENT_ID, active=False),
    "manager": _staff("place_manager"),                 # runs the case's place
    "other_manager": _staff("place_manager", places=(TOWN,)),
    "admin": _staff("district_admin", places=()),
    "inspector": _staff("inspector", places=()),
}


@dataclass
class State:
    status: str
    help_type: str = "proxy"
    agent_id: int | None = AGENT_ID
    signed: bool = False
    materials: int = 2
    tasks: tuple[bool, ...] = ()  # done or not, one per department task
    escalations: tuple[bool, ...] = ()  # resolved or not
    review: int | None = None  # its score
    followup_closed: bool = False
    suspended: bool = False  # a suspension under way (特别程序 or 中止)
    note: str = field(default="", compare=False)

    def case(self) -> Case:
        case = Case(status=self.status, help_type=self.help_type, place_id=HALL,
                    agent_id=self.agent_id, agreement_signed_at=NOW if self.signed else None,
                    suspended_since=NOW.date() if self.suspended else None)
        case.materials = [CaseMaterial() for _ in range(self.materials)]
        case.tasks = [DepartmentTask(done=done, department=Department(name=f"部门{i}"))
                      for i, done in enumerate(self.tasks)]
        case.escalations = [Escalation(resolved_at=NOW if resolved else None)
                            for resolved in self.escalations]
        if self.review is not None:
            case.review = Review(score=self.review,
                                 followup_closed_at=NOW if self.followup_closed else None)
        return case


ALL_WORKERS = ("agent", "manager", "admin")
NOBODY = ("other_agent", "stopped_agent", "other_manager", "inspector")
RUNNERS = ("manager", "admin")

# (state, who → the answer); whoever is not named gets [].
TABLE = [
    (State("submitted"), {"agent": ["check", "reject", "agreement", "escalate", "terminate"],
                          RUNNERS: ["assign", "check", "reject", "agreement", "escalate", "terminate"]}),
    (State("submitted", "assist"), {"agent": ["check", "reject", "escalate"],
                                    RUNNERS: ["assign", "check", "reject", "escalate"]}),
    (State("submitted", signed=True), {"agent": ["check", "reject", "escalate", "terminate"],
                                       RUNNERS: ["assign", "check", "reject", "escalate", "terminate"]}),
    (State("submitted", agent_id=None), {RUNNERS: ["assign", "check", "reject", "agreement",
                                                   "escalate", "terminate"]}),
    (State("materials_incomplete"), {"agent": ["reject", "agreement", "escalate", "terminate"],
                                     RUNNERS: ["assign", "reject", "agreement", "escalate", "terminate"]}),
    (State("materials_incomplete", signed=True), {"agent": ["reject", "escalate", "terminate"],
                                                  RUNNERS: ["assign", "reject", "escalate", "terminate"]}),
    (State("accepted"), {"agent": ["handover", "agreement", "escalate", "suspend", "terminate"],
                         RUNNERS: ["assign", "handover", "agreement", "escalate", "suspend", "terminate"]}),
    (State("accepted", signed=True), {"agent": ["handover", "escalate", "suspend", "terminate"],
                                      RUNNERS: ["assign", "handover", "escalate", "suspend", "terminate"]}),
    (State("accepted", materials=0), {"agent": ["agreement", "escalate", "suspend", "terminate"],
                                      RUNNERS: ["assign", "agreement", "escalate", "suspend", "terminate"]}),
    (State("accepted", "assist"), {"agent": ["start", "escalate", "suspend"],
                                   RUNNERS: ["assign", "start", "escalate", "suspend"]}),
    (State("handed_over"), {"agent": ["agreement", "escalate", "suspend", "terminate"],
                            RUNNERS: ["assign", "agreement", "escalate", "suspend", "terminate"]}),
    (State("in_progress", signed=True), {"agent": ["progress", "complete", "escalate", "suspend", "terminate"],
                                         RUNNERS: ["assign", "progress", "complete", "escalate", "suspend", "terminate"]}),
    (State("in_progress", "assist", tasks=(True, False)), {
        "agent": ["progress", "escalate", "suspend"], RUNNERS: ["assign", "progress", "escalate", "suspend"]}),
    (State("in_progress", "assist", tasks=(True, True)), {
        "agent": ["progress", "complete", "escalate", "suspend"],
        RUNNERS: ["assign", "progress", "complete", "escalate", "suspend"]}),
    (State("in_progress", "assist", escalations=(True, False)), {
        "agent": ["progress", "complete", "escalate", "suspend"],
        RUNNERS: ["assign", "progress", "complete", "escalate", "resolve-escalation", "suspend"]}),
    (State("in_progress", "assist", escalations=(True,)), {
        "agent": ["progress", "complete", "escalate", "suspend"],
        RUNNERS: ["assign", "progress", "complete", "escalate", "suspend"]}),
    (State("in_progress", "assist", suspended=True), {
        "agent": ["progress", "complete", "escalate", "resume"],
        RUNNERS: ["assign", "progress", "complete", "escalate", "resume"]}),
    (State("completed", signed=True), {ALL_WORKERS: ["return"]}),
    (State("completed", "assist"), {}),
    (State("completed", "assist", review=2), {RUNNERS: ["review-followup"]}),
    (State("completed", "assist", review=1, escalations=(False,)), {
        RUNNERS: ["resolve-escalation", "review-followup"]}),
    (State("completed", "assist", review=3), {}),
    (State("completed", "assist", review=2, followup_closed=True), {}),
    (State("returned", review=1, signed=True), {RUNNERS: ["review-followup"]}),
    (State("rejected", escalations=(False,)), {RUNNERS: ["resolve-escalation"]}),
    (State("withdrawn"), {}),
]


def _expected(answers: dict, who: str) -> list[str]:
    for key, answer in answers.items():
        if who == key or (isinstance(key, tuple) and who in key):
            return answer
    return []


@pytest.mark.parametrize("who", list(WHO))
@pytest.mark.parametrize("state, answers", TABLE, ids=[
    f"{s.status}-{s.help_type}-{i}" for i, (s, _) in enumerate(TABLE)])
def test_the_actions_as_a_table(state, answers, who):
    assert available_actions(state.case(), WHO[who]) == _expected(answers, who)


def test_the_actions_come_in_the_api_order_and_each_has_an_admin_form():
    assert list(STAFF_ACTIONS) == [
        "assign", "check", "reject", "handover", "agreement", "start", "progress", "complete",
        "return", "escalate", "forward", "resolve-escalation", "review-followup", "visit-schedule",
        "visit-decline", "visit-record", "suspend", "resume", "extend", "terminate", "renew"]
    assert set(HANDLERS) == set(DONE) == set(STAFF_ACTIONS)
    # Every staff transition of the table is reached by one action, but the one that makes a
    # case (窗口受理, POST /staff/cases), which no case offers.
    staff_moves = {name for name, t in cases.TRANSITIONS.items()
                   if t.actors & scope.STAFF_ROLES and t.sources != (None,)}
    assert {name for name, t in cases.TRANSITIONS.items()
            if t.actors & scope.STAFF_ROLES} - staff_moves == {"intake"}
    assert staff_moves == {move for moves in STAFF_ACTIONS.values() for move in moves}


# The services agree: what is offered succeeds, what is not is refused ------------------------

WHOLE = ["agent1", "agent2", "agent3", "manager", "cdmanager", "admin", "inspector"]


@pytest.fixture
def hall(session, demo, make_staff, clock):
    make_staff("cdmanager", role="place_manager", places=("BS-CD",), department=None)
    for username in ("manager", "agent1", "admin", "inspector"):
        set_password(session, scope.SYSTEM, _by_name(session, username), PASSWORD)
    session.commit()


def _by_name(session, username: str) -> Staff:
    return session.scalar(select(Staff).where(Staff.username == username))


def _lines(case: Case, originals_only: bool = False) -> list[dict]:
    chosen = [cm for cm in case.materials
              if not originals_only or (cm.received_at and cm.received_original)]
    chosen = chosen or case.materials[:1]
    return [{"material": cm.material.code, "copies": cm.received_copies or cm.material.copies,
             "original": bool(cm.received_original if cm.received_at else cm.material.original)}
            for cm in chosen]


def _resolve(session, case, staff, now):
    escalation = (cases.lifecycle.open_escalations(case) or case.escalations or [None])[0]
    if escalation is None:
        raise LookupError("nothing to resolve")
    escalation = cases.staff_escalation(session, staff, escalation.id)
    return cases.resolve_escalation(session, escalation, staff, "协调会议已解决", now)


# A valid request for each action, as the staff API's view makes the call.
CALLS = {
    "assign": lambda s, c, st, now: cases.assign(s, c, st, "agent2", now),
    "check": lambda s, c, st, now: cases.check_materials(s, c, [], st, now),
    "reject": lambda s, c, st, now: cases.reject(s, c, st, "不属于受理范围", now),
    "handover": lambda s, c, st, now: cases.handover(s, c, st, _lines(c), True, now),
    "agreement": lambda s, c, st, now: cases.sign_agreement(s, c, st, now),
    "start": lambda s, c, st, now: cases.start(s, c, st, now),
    "progress": lambda s, c, st, now: cases.progress(s, c, st, "已提交部门", None, None, now),
    "complete": lambda s, c, st, now: cases.complete(s, c, st, "已办结", now),
    "return": lambda s, c, st, now: cases.return_materials(s, c, st, _lines(c, True), now),
    "escalate": lambda s, c, st, now: cases.escalate(s, c, st, "部门系统数据不同步", now),
    "resolve-escalation": _resolve,
    "review-followup": lambda s, c, st, now: cases.close_followup(s, c, st, "已电话回访",
                                                                   "增设窗口", now),
    "visit-schedule": lambda s, c, st, now: cases.schedule_visit(
        s, c, st, now.date(), now.time(), "agent1", now),
    "visit-decline": lambda s, c, st, now: cases.decline_visit(s, c, st, "不在辖区", now),
    "visit-record": lambda s, c, st, now: cases.record_visit(
        s, c, st, [{"material": cm.material.code, "copies": 1, "original": False}
                   for cm in c.materials], False, now),
    "suspend": lambda s, c, st, now: cases.suspend(s, c, st, "inspection", "送检", 3, now),
    "resume": lambda s, c, st, now: cases.resume(s, c, st, "检验合格", now),
    "extend": lambda s, c, st, now: cases.extend(s, c, st, 5, "需部门会商", now),
    "terminate": lambda s, c, st, now: cases.terminate(s, c, st, "申请人另行办理", now),
    "renew": lambda s, c, st, now: cases.renew(s, c, st, now.date() + timedelta(days=30),
                                               None, now),
}


def _escalate(session, case, now, resolved=False):
    escalation = cases.escalate(session, case, case.agent, "材料需部门核实", now)
    if resolved:
        cases.resolve_escalation(session, escalation, _by_name(session, "admin"), "已核实", now)


def _review(score, close=False):
    def review(session, case, now):
        cases.review(session, case, case.citizen, score, "等待太久", now)
        if close:
            cases.close_followup(session, case, _by_name(session, "admin"), "已回访", "已整改", now)
    return review


# (status, help type, item, then what happens to the case) — every case worked by agent1.
SCENES = {
    "submitted-proxy": ("submitted", "proxy", "SB-001", None),
    "submitted-assist": ("submitted", "assist", "SB-001", None),
    "submitted-signed-online": ("submitted", "proxy", "SB-001",
                                lambda s, c, now: cases.sign_agreement(s, c, c.citizen, now)),
    "incomplete": ("submitted", "proxy", "SB-001", lambda s, c, now: cases.check_materials(
        s, c, [("HKB", None)], c.agent, now)),
    "accepted-proxy": ("accepted", "proxy", "SB-001", None),
    "accepted-assist": ("accepted", "assist", "SB-001", None),
    "handed-over": ("handed_over", "proxy", "SB-001", None),
    "in-progress-proxy": ("in_progress", "proxy", "SB-001", None),
    "in-progress-open-tasks": ("in_progress", "assist", "QYKB-001", None),
    "in-progress-tasks-done": ("in_progress", "assist", "QYKB-001", lambda s, c, now: [
        cases.progress(s, c, c.agent, None, t.department.code, True, now) for t in c.tasks]),
    "in-progress-escalated": ("in_progress", "assist", "SB-001", _escalate),
    "in-progress-escalation-resolved": ("in_progress", "assist", "SB-001",
                                        lambda s, c, now: _escalate(s, c, now, resolved=True)),
    "completed-proxy": ("completed", "proxy", "SB-001", None),
    "completed-good-review": ("completed", "assist", "SB-001", _review(5)),
    "completed-bad-review": ("completed", "assist", "SB-001", _review(2)),
    "completed-bad-review-closed": ("completed", "assist", "SB-001", _review(1, close=True)),
    "rejected-escalated": ("submitted", "assist", "SB-001", lambda s, c, now: [
        _escalate(s, c, now), cases.reject(s, c, c.agent, "不予受理", now)]),
    "withdrawn": ("submitted", "assist", "SB-001",
                  lambda s, c, now: cases.withdraw(s, c, c.citizen, now)),
    "visit-requested": ("submitted", "proxy", "SB-001", lambda s, c, now: cases.request_visit(
        c, cases.VisitRequest("和平路12号"), now)),
    "terminated-holding": ("handed_over", "proxy", "SB-001", lambda s, c, now: cases.terminate(
        s, c, c.citizen, "不办了", now)),
    "lapsed": ("in_progress", "proxy", "SB-001", lambda s, c, now: setattr(
        c, "commission_valid_until", now.date() - timedelta(days=1))),
    "suspended": ("in_progress", "assist", "SB-001", lambda s, c, now: cases.suspend(
        s, c, c.agent, "testing", "送检", 5, now)),
    "visit-scheduled": ("accepted", "proxy", "SB-001", lambda s, c, now: [
        cases.request_visit(c, cases.VisitRequest("和平路12号"), now),
        cases.schedule_visit(s, c, _by_name(s, "admin"), now.date(), now.time(), "agent1", now)]),
}


@pytest.mark.parametrize("scene", SCENES)
def test_what_is_offered_succeeds_and_what_is_not_is_refused(session, hall, make_citizen,
                                                              clock, scene):
    status, help_type, item, then = SCENES[scene]
    now = clock.now()
    case = new_case(session, now, make_citizen(), status, help_type, item=item, agent="agent1")
    if then is not None:
        then(session, case, now)
    session.commit()
    number = case.number
    disagreements = []
    for username in WHOLE:
        staff = _by_name(session, username)
        offered = available_actions(session.scalar(select(Case).where(Case.number == number)),
                                    staff)
        for action, call in CALLS.items():
            savepoint = session.begin_nested()
            try:
                # The API's own lookup: out of scope is 404, read-only roles are 403.
                call(session, cases.staff_case(session, staff, number), staff, now)
                succeeded = True
            except (DomainError, LookupError):
                succeeded = False
            finally:
                savepoint.rollback()
                session.expire_all()
            if succeeded != (action in offered):
                disagreements.append((username, action, "offered" if action in offered
                                      else "not offered", "succeeded" if succeeded else "refused"))
    assert not disagreements


def test_the_python_scope_is_the_sql_scope(session, hall, make_citizen, clock):
    now = clock.now()
    made = [new_case(session, now, make_citizen(), agent="agent1"),
            new_case(session, now, make_citizen(), agent="agent2"),
            new_case(session, now, make_citizen(), place="BS-CD", agent="agent4"),
            cases.create_case(session, make_citizen(), item_code="SB-001", place_code="BS-ST",
                              help_type="proxy", applicant=cases.Applicant(name="张三"),
                              material_codes=[], booking_code=None, special_group=None,
                              now=now, number_prefix="BS")]
    session.commit()
    for username in WHOLE + ["agent4"]:
        staff = _by_name(session, username)
        seen = set(session.scalars(select(Case.id).where(scope.cases(staff))))
        assert {c.id for c in made if scope.sees_case(staff, c)} == seen, username


# The faces: the admin's case page and the staff API ------------------------------------------

def _offered_on_page(client, case: Case, view: str = "case") -> list[str]:
    page = client.get(f"/admin/{view}/details/?id={case.id}")
    assert page.status_code == 200
    return re.findall(r'class="case-action mb-3" data-action="([a-z-]+)"',
                      page.get_data(as_text=True))


@pytest.mark.parametrize("scene", ["submitted-proxy", "accepted-assist", "in-progress-escalated",
                                   "completed-bad-review", "completed-good-review"])
def test_the_case_page_offers_exactly_the_actions(session, hall, client, make_citizen, clock,
                                                  scene):
    status, help_type, item, then = SCENES[scene]
    case = new_case(session, clock.now(), make_citizen(), status, help_type, item=item,
                    agent="agent1")
    if then is not None:
        then(session, case, clock.now())
    session.commit()
    for username in ("manager", "admin", "agent1", "inspector"):
        client.post("/admin/logout")
        assert client.post("/admin/login", data={"username": username,
                                                 "password": PASSWORD}).status_code == 302
        session.expire_all()
        expected = available_actions(session.get(Case, case.id), _by_name(session, username))
        view = "my-cases" if username == "agent1" else "case"  # 我的办件, an agent's own
        assert sorted(_offered_on_page(client, case, view)) == sorted(expected), username
        if not expected:
            assert "当前没有可办理的操作" in client.get(
                f"/admin/{view}/details/?id={case.id}").get_data(as_text=True)


def test_an_offered_admin_action_goes_through(session, hall, client, make_citizen, clock):
    """The two actions renamed to the API's names post to their services."""
    case = new_case(session, clock.now(), make_citizen(), "in_progress", "assist", agent="agent1")
    _escalate(session, case, clock.now())
    session.commit()
    client.post("/admin/login", data={"username": "manager", "password": PASSWORD})
    escalation = case.escalations[0].id
    response = client.post(f"/admin/case/act/resolve-escalation/?id={case.id}",
                           data={"escalation": str(escalation), "note": "协调会议已解决"})
    assert response.status_code == 302
    assert "难点堵点已协调解决" in client.get(response.location).get_data(as_text=True)
    session.expire_all()
    assert session.get(Escalation, escalation).resolved_at is not None
    assert "resolve-escalation" not in _offered_on_page(client, case)


def _token(client, username: str) -> dict:
    answer = client.post("/api/v1/staff/login", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.get_json()
    return bearer(answer.get_json()["token"])


def test_the_staff_api_answers_the_actions(session, hall, client, make_citizen, clock):
    case = new_case(session, clock.now(), make_citizen(), "submitted", "proxy", agent="agent1")
    session.commit()
    url = f"/api/v1/staff/cases/{case.number}"
    for username, expected in [("agent1", ["check", "reject", "agreement", "escalate",
                                            "terminate"]),
                               ("manager", ["assign", "check", "reject", "agreement", "escalate",
                                            "terminate"]),
                               ("inspector", [])]:
        answer = client.get(url, headers=_token(client, username))
        assert answer.status_code == 200
        assert answer.get_json()["actions"] == expected, username
    # An action's answer says what may be done next, and so does every row of the list.
    agent = _token(client, "agent1")
    answer = client.post(f"{url}/check", json={"missing": []}, headers=agent)
    assert answer.get_json()["actions"] == ["handover", "agreement", "escalate", "suspend",
                                            "terminate"]
    listed = client.get("/api/v1/staff/cases", headers=agent).get_json()["items"]
    assert [row["actions"] for row in listed] == [["handover", "agreement", "escalate",
                                                   "suspend", "terminate"]]
