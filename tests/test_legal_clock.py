"""The legal clock as the law writes it (issue 24): the day of receipt and acceptance by law
(行政许可法 §32), checked against dates computed by hand on the 2026 calendar:

- Spring Festival 2026: Saturday 02-14 is a make-up workday, 02-15 to 02-23 are holidays,
  Saturday 02-28 is a make-up workday;
- National Day 2026: Sunday 09-20 is a make-up workday, 10-01 to 10-07 are holidays, Saturday
  10-10 is a make-up workday.
"""
from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from backend.entrypoints.jobs import run_job
from backend.models import Case, Citizen, Notification, Staff
from backend.services import cases
from backend.services.catalog import import_catalog
from backend.services.reports import inspection_report
from backend.services.scope import SYSTEM
from backend.uow import unit_of_work
from tests.conftest import TZ
from tests.helpers import assert_error, bearer

API = "/api/v1"


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


@pytest.fixture
def hall(session, example_catalog, clock, make_staff):
    """The example catalogue with a 10-working-day item, its agent, manager and district admin."""
    example_catalog["items"][0]["commitment_days"] = 10
    example_catalog["items"][0]["materials"].append(
        {"code": "HKB", "name": "户口簿", "copies": 1, "original": True, "required": True,
         "how_to_obtain": "户籍所在地派出所"})
    import_catalog(session, SYSTEM, example_catalog)
    session.commit()
    make_staff("agent1")
    make_staff("manager", role="place_manager", department=None)
    make_staff("admin", role="district_admin", places=(), department=None)
    return session


class SignedIn:
    """A citizen of the mini-program: the row, and request headers signed in at the clock's
    time (the tests move the clock back and forth over the year)."""

    def __init__(self, client, session):
        self.client = client
        self.sign_in()
        self.row = session.scalar(select(Citizen).order_by(Citizen.id.desc()).limit(1))

    def sign_in(self) -> dict:
        answer = self.client.post(f"{API}/auth/wechat-login", json={"code": "legal-clock"})
        return bearer(answer.get_json()["token"])

    def get(self, url: str) -> dict:
        return self.client.get(url, headers=self.sign_in()).get_json()

    def post(self, url: str, body: dict | None = None):
        return self.client.post(url, json=body, headers=self.sign_in())


@pytest.fixture
def citizen(client, session, clock):
    return SignedIn(client, session)


def new_case(session, clock, citizen, day: date, **kw) -> Case:
    from tests.factories import new_case as build
    clock.at = at(day)
    case = build(session, clock.now(), citizen, "submitted", "proxy", agent="agent1", **kw)
    session.commit()
    return case


def staff(session, username: str) -> Staff:
    return session.scalar(select(Staff).where(Staff.username == username))


def warnings(session, event: str) -> list[Notification]:
    session.expire_all()
    return list(session.scalars(select(Notification).where(Notification.event == event)
                                .order_by(Notification.id)))


def run_at(clock, day: date, name: str, hour: int = 8, minute: int = 15) -> str:
    clock.at = at(day, hour, minute)
    return run_job(name)


# 收件: the day of receipt -------------------------------------------------------------------

def test_a_case_knows_its_day_of_receipt_and_a_supplement_is_the_new_one(
        session, hall, clock, client, citizen):
    case = new_case(session, clock, citizen.row, date(2026, 2, 12))
    answer = citizen.get(f"{API}/cases/{case.number}")
    assert (answer["received_on"], answer["accepted_on"], answer["deemed_accepted"]) == (
        "2026-02-12", None, False)

    clock.at = at(date(2026, 2, 13))
    with unit_of_work(session, actor=staff(session, "agent1").id):
        cases.check_materials(session, case, [("HKB", "须户主页")], case.agent, clock.now())
    clock.at = at(date(2026, 2, 24), 15)  # the supplement arrives after the Spring Festival
    answer = citizen.post(f"{API}/cases/{case.number}/supplement", {"materials": ["HKB"]}
                          ).get_json()
    assert (answer["status"], answer["received_on"]) == ("submitted", "2026-02-24")


# 视为受理 (§32) ------------------------------------------------------------------------------

def test_not_checked_within_five_working_days_it_is_accepted_by_law_from_receipt(
        session, hall, clock, client, citizen):
    """Received Thursday 02-12: its working days are 02-13, Saturday 02-14 (make-up), then,
    after the holiday, 02-24 (3rd), 02-25 (4th: the warning) and 02-26 (5th: the last day to
    check). On 02-27 the law has accepted it from 02-12; its 10 working days run to 03-04
    (02-27, Saturday 02-28 (make-up), 03-02, 03-03, 03-04)."""
    case = new_case(session, clock, citizen.row, date(2026, 2, 12))
    for day in (date(2026, 2, 13), date(2026, 2, 14), date(2026, 2, 24)):
        assert run_at(clock, day, "acceptance-deadlines") == "依法视为受理 0 件；排入受理期限预警 0 条"
    assert not warnings(session, "acceptance_due")

    assert "排入受理期限预警 2 条" in run_at(clock, date(2026, 2, 25), "acceptance-deadlines")
    warned = warnings(session, "acceptance_due")
    assert {session.get(Staff, m.staff_id).username for m in warned} == {"agent1", "manager"}
    payload = json.loads(warned[0].payload)
    assert (payload["received_on"], payload["acceptance_deadline"]) == ("2026-02-12", "2026-02-26")
    # The 5th working day is still the hall's to check; the warning is not sent again.
    assert run_at(clock, date(2026, 2, 26), "acceptance-deadlines") == (
        "依法视为受理 0 件；排入受理期限预警 0 条")
    session.expire_all()
    assert session.get(Case, case.id).status == "submitted"

    assert run_at(clock, date(2026, 2, 27), "acceptance-deadlines").startswith("依法视为受理 1 件")
    assert run_at(clock, date(2026, 2, 27), "acceptance-deadlines").startswith("依法视为受理 0 件")
    answer = citizen.get(f"{API}/cases/{case.number}")
    assert (answer["status"], answer["received_on"], answer["accepted_on"],
            answer["deemed_accepted"], answer["due_date"]) == (
        "accepted", "2026-02-12", "2026-02-12", True, "2026-03-04")
    assert answer["timeline"][-1]["action"] == "deem_accept"
    session.expire_all()
    assert session.get(Case, case.id).events[-1].staff_id is None  # the system's move
    accepted = warnings(session, "case_accepted")
    assert [json.loads(m.payload)["due_date"] for m in accepted] == ["2026-03-04"]


def test_around_national_day_the_warning_comes_on_a_make_up_saturday(session, hall, clock):
    """Received Tuesday 09-29: 09-30 (1st), 10-08, 10-09, Saturday 10-10 (4th, make-up: the
    warning), Monday 10-12 (5th); accepted by law on 10-13, due 10-19."""
    citizen = Citizen(openid="nd", created_at=at(date(2026, 9, 1)))
    session.add(citizen)
    session.commit()
    case = new_case(session, clock, citizen, date(2026, 9, 29))
    assert run_at(clock, date(2026, 10, 9), "acceptance-deadlines").endswith("预警 0 条")
    assert run_at(clock, date(2026, 10, 10), "acceptance-deadlines").endswith("预警 2 条")
    assert run_at(clock, date(2026, 10, 11), "acceptance-deadlines") == (
        "依法视为受理 0 件；排入受理期限预警 0 条")  # a Sunday: nothing to say
    assert run_at(clock, date(2026, 10, 12), "acceptance-deadlines").startswith("依法视为受理 0 件")
    assert run_at(clock, date(2026, 10, 13), "acceptance-deadlines").startswith("依法视为受理 1 件")
    session.expire_all()
    case = session.get(Case, case.id)
    assert (case.accepted_on, case.due_date, case.deemed_accepted) == (
        date(2026, 9, 29), date(2026, 10, 19), True)


def test_a_late_check_accepts_by_law_and_refuses_a_notice(session, hall, clock, client):
    from tests.test_access import api_token
    case = new_case(session, clock, Citizen(openid="late", created_at=at(date(2026, 2, 1))),
                    date(2026, 2, 12))
    from backend.services.staff import set_password
    set_password(session, SYSTEM, staff(session, "agent1"), "Lk8#pz-Qm2vT-wq")
    session.commit()
    clock.at = at(date(2026, 2, 27), 9)
    headers = api_token(client, username="agent1")
    url = f"{API}/staff/cases/{case.number}/check"
    assert_error(client.post(url, json={"missing": [{"material": "HKB"}]}, headers=headers),
                 409, "invalid_state")
    answer = client.post(url, json={"missing": []}, headers=headers).get_json()
    assert (answer["status"], answer["accepted_on"], answer["deemed_accepted"],
            answer["due_date"]) == ("accepted", "2026-02-12", True, "2026-03-04")


def test_a_check_in_time_is_no_deemed_acceptance(session, hall, clock):
    case = new_case(session, clock, Citizen(openid="ok", created_at=at(date(2026, 2, 1))),
                    date(2026, 2, 12))
    clock.at = at(date(2026, 2, 26), 16)  # the 5th working day
    with unit_of_work(session, actor=case.agent_id):
        cases.check_materials(session, case, [], case.agent, clock.now())
    assert (case.accepted_on, case.deemed_accepted) == (date(2026, 2, 26), False)
    # 10 working days from 02-26: 02-27, 02-28 (make-up), 03-02 … 03-06, 03-09, 03-10, 03-11.
    assert case.due_date == date(2026, 3, 11)


def test_the_report_counts_deemed_acceptances_as_failures(session, hall, clock):
    case = new_case(session, clock, Citizen(openid="r", created_at=at(date(2026, 2, 1))),
                    date(2026, 2, 12))
    new_case(session, clock, Citizen(openid="s", created_at=at(date(2026, 2, 1))),
             date(2026, 2, 12))
    run_at(clock, date(2026, 2, 27), "acceptance-deadlines")
    session.expire_all()
    report = inspection_report(session, staff(session, "admin"), date(2026, 2, 1),
                               date(2026, 2, 28), today=date(2026, 2, 27), min_cases=1,
                               timezone="Asia/Shanghai")
    by_kind = {s.kind: s.ranked + s.insufficient for s in report.sections}
    assert [u.deemed_acceptances for u in by_kind["place"]] == [2]
    assert [u.deemed_acceptances for u in by_kind["department"]] == [2]
    assert report.total.deemed_acceptances == 2
    assert session.get(Case, case.id).accepted_on == date(2026, 2, 12)


# 特别程序 and 延长 (§45, §42) ------------------------------------------------------------------

def accepted_case(session, clock, citizen, day: date, help_type: str = "proxy") -> Case:
    case = new_case(session, clock, citizen, day)
    with unit_of_work(session, actor=case.agent_id):
        cases.check_materials(session, case, [], case.agent, clock.now())
    return case


def test_a_special_procedure_over_the_spring_festival_moves_the_due_date(
        session, hall, clock, citizen):
    """Accepted Monday 02-09, 10 working days: 02-10, 02-11, 02-12, 02-13, Saturday 02-14
    (make-up), 02-24 … 02-27, Saturday 02-28 (make-up): due 02-28. An inspection from Thursday
    02-12 to Wednesday 02-25 takes 5 working days off (02-12, 02-13, 02-14, 02-24, 02-25): the
    clock runs 02-10, 02-11, then 02-26, 02-27, 02-28, 03-02 … 03-06: due 03-06."""
    case = accepted_case(session, clock, citizen.row, date(2026, 2, 9))
    assert case.due_date == date(2026, 2, 28)
    clock.at = at(date(2026, 2, 12), 11)
    with unit_of_work(session, actor=case.agent_id):
        cases.suspend(session, case, case.agent, "inspection", "样品送省质检院检验", 5, clock.now())

    clock.at = at(date(2026, 2, 13))
    answer = citizen.get(f"{API}/cases/{case.number}")
    assert answer["clock"] == {
        "working_days": 10, "used": 2, "remaining": 8, "paused": True,
        "suspensions": [{"kind": "inspection", "kind_label": "检验", "gbt_code": "2",
                         "cause": "procedure", "reason": "样品送省质检院检验",
                         "from": "2026-02-12", "to": None, "expected_days": 5,
                         "working_days": None}],
        "extensions": []}
    # Projected as expected (5 working days: to 02-25), and never amber or red meanwhile.
    assert (answer["due_date"], answer["deadline_state"]) == ("2026-03-06", "normal")

    clock.at = at(date(2026, 2, 25), 16)
    with unit_of_work(session, actor=case.agent_id):
        cases.resume(session, case, case.agent, "检验合格", clock.now())
    clock.at = at(date(2026, 2, 26), 9)
    answer = citizen.get(f"{API}/cases/{case.number}")
    assert answer["due_date"] == "2026-03-06"
    assert answer["clock"]["suspensions"][0]["to"] == "2026-02-25"
    assert answer["clock"]["suspensions"][0]["working_days"] == 5
    assert (answer["clock"]["used"], answer["clock"]["remaining"], answer["clock"]["paused"]) == (
        3, 7, False)
    told = [json.loads(m.payload) for m in warnings(session, "deadline_changed")]
    assert [m["due_date"] for m in told] == ["2026-03-06", "2026-03-06"]
    assert "检验" in told[0]["note"] and "5个工作日" in told[1]["note"]
    assert [e["action"] for e in answer["timeline"][-2:]] == ["suspend", "resume"]


def test_the_moved_due_date_rules_states_warnings_dashboard_and_report(
        session, hall, clock, citizen):
    """The case above, completed on 03-04: late against 02-28, on time against 03-06."""
    from backend.services.cases import amber_and_red_cases, deadline_state
    from backend.services.dashboard import dashboard
    case = accepted_case(session, clock, citizen.row, date(2026, 2, 9))
    clock.at = at(date(2026, 2, 12), 11)
    with unit_of_work(session, actor=case.agent_id):
        cases.suspend(session, case, case.agent, "expert_review", "组织专家评审", 5, clock.now())
    clock.at = at(date(2026, 2, 25), 16)
    with unit_of_work(session, actor=case.agent_id):
        cases.resume(session, case, case.agent, None, clock.now())
    session.expire_all()
    case = session.get(Case, case.id)
    # 80 % of 10 is 8 working days: 02-10, 02-11, 02-26 … 03-04.
    assert (case.amber_on, case.due_date) == (date(2026, 3, 4), date(2026, 3, 6))
    monday = date(2026, 3, 2)  # after the first due date, before the moved amber day
    assert deadline_state(case, monday) == "normal"
    assert not [c for _, chunk in amber_and_red_cases(session, monday) for c in chunk]
    manager = staff(session, "manager")
    board = dashboard(session, manager, monday, calendar_horizon_days=30)
    assert (board.amber_count, board.red_count) == (0, 0)
    run_at(clock, monday, "deadline-warnings", 8, 30)
    assert not warnings(session, "deadline_warning")
    assert deadline_state(case, date(2026, 3, 4)) == "amber"

    clock.at = at(date(2026, 3, 4), 15)
    with unit_of_work(session, actor=case.agent_id):
        case = session.get(Case, case.id)
        cases.handover(session, case, case.agent, [
            {"material": "SFZ", "copies": 1, "original": True}], True, clock.now())
        cases.sign_agreement(session, case, case.agent, clock.now())
        cases.complete(session, case, case.agent, "已办结", clock.now())
    report = inspection_report(session, manager, date(2026, 2, 1), date(2026, 3, 31),
                               today=date(2026, 3, 31), min_cases=1, timezone="Asia/Shanghai")
    place = report.sections[0].ranked[0]
    assert (place.completed, place.completed_on_time, place.on_time_rate) == (1, 1, 1.0)
    assert (place.suspensions, place.applicant_suspensions, place.extensions) == (1, 0, 0)


def test_an_extension_is_a_managers_decision_before_the_due_date(
        session, hall, clock, client, citizen):
    """Accepted Monday 09-21, 10 working days over Mid-Autumn (09-25) and National Day: 09-22,
    09-23, 09-24, 09-28, 09-29, 09-30, 10-08, 10-09, Saturday 10-10 (make-up), 10-12: due 10-12.
    Five more: 10-13 … 10-16, 10-19; amber from the 12th working day of 15, 10-14."""
    from backend.services.staff import set_password
    from tests.test_access import api_token
    case = accepted_case(session, clock, citizen.row, date(2026, 9, 21))
    assert case.due_date == date(2026, 10, 12)
    for username in ("agent1", "manager"):
        set_password(session, SYSTEM, staff(session, username), "Lk8#pz-Qm2vT-wq")
    session.commit()
    url = f"{API}/staff/cases/{case.number}/extend"
    body = {"days": 5, "reason": "需征求住建部门意见"}
    clock.at = at(date(2026, 10, 12), 10)  # the due date itself: still in time
    assert_error(client.post(url, json=body, headers=api_token(client, username="agent1")),
                 403, "forbidden")
    answer = client.post(url, json=body, headers=api_token(client, username="manager"))
    assert answer.status_code == 200, answer.get_json()
    answer = answer.get_json()
    assert answer["due_date"] == "2026-10-19"
    assert answer["clock"]["working_days"] == 15
    assert answer["clock"]["extensions"] == [{"days": 5, "gbt_code": "1",
                                              "reason": "需征求住建部门意见",
                                              "decided_at": "2026-10-12T10:00:00+08:00",
                                              "due_date": "2026-10-19"}]
    assert "extend" not in answer["actions"] or answer["actions"]
    session.expire_all()
    assert session.get(Case, case.id).amber_on == date(2026, 10, 14)
    assert [json.loads(m.payload)["due_date"] for m in warnings(session, "deadline_changed")] == [
        "2026-10-19"]

    clock.at = at(date(2026, 10, 20), 9)  # after the (moved) due date: never
    answer = client.post(url, json=body, headers=api_token(client, username="manager"))
    assert_error(answer, 409, "invalid_state")
    staff_answer = client.get(f"{API}/staff/cases/{case.number}",
                              headers=api_token(client, username="manager")).get_json()
    assert "extend" not in staff_answer["actions"]
    assert staff_answer["deadline_state"] == "red"


def test_one_suspension_at_a_time_and_only_on_a_running_clock(session, hall, clock, citizen):
    from backend.errors import InvalidState
    case = new_case(session, clock, citizen.row, date(2026, 2, 9))
    with pytest.raises(InvalidState):  # not accepted yet: no clock to stop
        cases.suspend(session, case, case.agent, "hearing", "听证", 10, clock.now())
    session.rollback()
    case = accepted_case(session, clock, citizen.row, date(2026, 2, 9))
    cases.suspend(session, case, case.agent, "hearing", "组织听证", 10, clock.now())
    with pytest.raises(InvalidState):
        cases.suspend(session, case, case.agent, "survey", "现场勘查", 2, clock.now())
    session.rollback()


# The 代办 commission: 委托书 → 中止 / 终止 / 续办 -------------------------------------------------

def handed_over(session, clock, citizen, day: date) -> Case:
    case = accepted_case(session, clock, citizen, day)
    with unit_of_work(session, actor=case.agent_id):
        cases.handover(session, case, case.agent, [
            {"material": "SFZ", "copies": 1, "original": True},
            {"material": "HKB", "copies": 1, "original": True}], True, clock.now())
    return case


def test_the_commission_is_made_suspended_resumed_and_ended_by_the_citizen(
        session, hall, clock, client, citizen):
    from backend.services.staff import set_password
    from tests.test_access import api_token
    case = handed_over(session, clock, citizen.row, date(2026, 2, 9))
    clock.at = at(date(2026, 2, 10))
    answer = citizen.post(f"{API}/cases/{case.number}/agreement", {"accept": True}).get_json()
    assert answer["status"] == "in_progress"
    assert answer["commission"] == {
        "scope": "城乡居民基本养老保险参保登记（SB-001）：代为递交申请材料、跟踪审批进度、"
                 "领取办理结果，并交还全部原件",
        "valid_from": "2026-02-10", "valid_until": "2026-05-11", "status": "active",
        "terminated_by": None, "termination_reason": None}

    clock.at = at(date(2026, 2, 11))
    with unit_of_work(session, actor=case.agent_id):
        cases.suspend(session, case, case.agent, "other", "申请人外出务工", 10, clock.now(),
                      cause="applicant")
    answer = citizen.get(f"{API}/cases/{case.number}")
    assert (answer["commission"]["status"], answer["clock"]["paused"]) == ("suspended", True)
    assert answer["clock"]["suspensions"][0]["cause"] == "applicant"

    clock.at = at(date(2026, 2, 26))
    answer = citizen.post(f"{API}/cases/{case.number}/terminate", {"reason": "已自行办理"})
    assert answer.status_code == 200, answer.get_json()
    answer = answer.get_json()
    assert (answer["status"], answer["commission"]["status"], answer["commission"]["terminated_by"],
            answer["commission"]["termination_reason"], answer["clock"]["paused"]) == (
        "terminated", "terminated", "citizen", "已自行办理", False)
    # The suspension ended with it: 02-11 … 02-26 off the clock, 02-14 a make-up Saturday.
    assert answer["clock"]["suspensions"][0]["to"] == "2026-02-26"
    assert answer["clock"]["suspensions"][0]["working_days"] == 7
    assert_error(citizen.post(f"{API}/cases/{case.number}/terminate", {}), 409, "invalid_state")

    # The originals are owed back; the return keeps the status and may list results.
    set_password(session, SYSTEM, staff(session, "agent1"), "Lk8#pz-Qm2vT-wq")
    session.commit()
    headers = api_token(client, username="agent1")
    staff_case = client.get(f"{API}/staff/cases/{case.number}", headers=headers).get_json()
    assert "return" in staff_case["actions"] and "terminate" not in staff_case["actions"]
    answer = client.post(f"{API}/staff/cases/{case.number}/return", json={
        "materials": [{"material": "SFZ", "copies": 1, "original": True},
                      {"material": "HKB", "copies": 1, "original": True}],
        "results": [{"name": "不予办理告知书", "copies": 1}]}, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    answer = answer.get_json()
    assert answer["status"] == "terminated" and "return" not in answer["actions"]
    assert {m["code"]: m["state"] for m in answer["materials"]} == {"SFZ": "returned",
                                                                      "HKB": "returned"}
    session.expire_all()
    receipt = session.get(Case, case.id).receipts[-1]
    assert [(r.name, r.copies) for r in receipt.results] == [("不予办理告知书", 1)]


def test_the_hall_terminates_with_a_reason_and_a_withdrawn_case_returns_its_originals(
        session, hall, clock, citizen):
    from backend.errors import InvalidInput
    case = handed_over(session, clock, citizen.row, date(2026, 2, 9))
    with pytest.raises(InvalidInput):
        cases.terminate(session, case, case.agent, " ", clock.now())
    session.rollback()
    with unit_of_work(session, actor=case.agent_id):
        cases.terminate(session, case, case.agent, "申请人提供的材料不实", clock.now())
    assert (case.status, case.terminated_by) == ("terminated", "hall")

    other = handed_over(session, clock, citizen.row, date(2026, 2, 9))
    cases.withdraw(session, other, citizen.row, clock.now())
    assert "return" in cases.available_actions(other, other.agent)
    with unit_of_work(session, actor=other.agent_id):
        cases.return_materials(session, other, other.agent, [
            {"material": "SFZ", "copies": 1, "original": True},
            {"material": "HKB", "copies": 1, "original": True}], clock.now())
    assert other.status == "withdrawn" and not cases.originals_held(other)


def test_a_lapsed_commission_is_renewed(session, hall, clock, citizen):
    from backend.errors import InvalidState
    case = handed_over(session, clock, citizen.row, date(2026, 2, 9))
    with unit_of_work(session, actor=case.agent_id):
        cases.sign_agreement(session, case, case.agent, clock.now())
    assert case.commission_valid_until == date(2026, 5, 10)
    with pytest.raises(InvalidState):  # still valid
        cases.renew(session, case, case.agent, date(2026, 6, 30), None, clock.now())
    session.rollback()
    clock.at = at(date(2026, 5, 11))
    assert cases.commission_status(case, clock.now().date()) == "lapsed"
    assert "renew" in cases.available_actions(case, case.agent)
    with unit_of_work(session, actor=case.agent_id):
        cases.renew(session, case, case.agent, date(2026, 6, 30), "部门补充审查", clock.now())
    assert (case.commission_valid_until, cases.commission_status(case, date(2026, 5, 11))) == (
        date(2026, 6, 30), "active")
    assert case.events[-1].action == "renew"


# Custody of originals --------------------------------------------------------------------

def test_the_hall_knows_the_originals_it_holds_and_warns_when_they_are_owed_too_long(
        session, hall, clock, client, citizen):
    """Completed Tuesday 09-29: the originals are owed back by the 5th working day after it:
    09-30, 10-08, 10-09, Saturday 10-10 (make-up), 10-12. From 10-13 the agent and the manager
    are warned each working day (not on Sunday 10-18)."""
    from backend.services.dashboard import dashboard
    case = handed_over(session, clock, citizen.row, date(2026, 9, 21))
    with unit_of_work(session, actor=case.agent_id):
        cases.sign_agreement(session, case, case.agent, clock.now())
    manager = staff(session, "manager")
    [row] = cases.originals_in_custody(session, manager, clock.now(), 5)
    assert (row.case.number, row.names, row.owed_since, row.overdue) == (
        case.number, "居民身份证×1、户口簿×1", None, False)
    assert cases.originals_in_custody(session, staff(session, "agent1"), clock.now(), 5)

    clock.at = at(date(2026, 9, 29), 15)
    with unit_of_work(session, actor=case.agent_id):
        cases.complete(session, case, case.agent, "已办结", clock.now())
    [row] = cases.originals_in_custody(session, manager, clock.now(), 5)
    assert (row.owed_since, row.return_by) == (date(2026, 9, 29), date(2026, 10, 12))

    assert run_at(clock, date(2026, 10, 12), "originals-overdue", 8, 45) == "排入原件退还预警 0 条"
    assert run_at(clock, date(2026, 10, 13), "originals-overdue", 8, 45) == "排入原件退还预警 2 条"
    assert run_at(clock, date(2026, 10, 13), "originals-overdue", 8, 45) == "排入原件退还预警 0 条"
    assert run_at(clock, date(2026, 10, 14), "originals-overdue", 8, 45) == "排入原件退还预警 2 条"
    assert "不是工作日" in run_at(clock, date(2026, 10, 18), "originals-overdue", 8, 45)
    sent = warnings(session, "originals_overdue")
    assert {session.get(Staff, m.staff_id).username for m in sent} == {"agent1", "manager"}
    assert json.loads(sent[0].payload)["return_by"] == "2026-10-12"

    board = dashboard(session, manager, date(2026, 10, 14), calendar_horizon_days=30,
                      originals_return_days=5, now=at(date(2026, 10, 14)))
    assert board.originals_overdue_count == 1 and board.originals_overdue[0].case.id == case.id

    clock.at = at(date(2026, 10, 14), 10)
    with unit_of_work(session, actor=case.agent_id):
        cases.return_materials(session, case, case.agent, [
            {"material": "SFZ", "copies": 1, "original": True},
            {"material": "HKB", "copies": 1, "original": True}], clock.now(),
            results=[{"name": "社会保障卡", "copies": 1}])
    assert case.status == "returned"
    assert not cases.originals_in_custody(session, manager, clock.now(), 5)
    assert run_at(clock, date(2026, 10, 15), "originals-overdue", 8, 45) == "排入原件退还预警 0 条"


def test_the_custody_page_lists_the_originals_held(session, hall, clock, client, citizen):
    from backend.services.staff import set_password
    case = handed_over(session, clock, citizen.row, date(2026, 9, 21))
    set_password(session, SYSTEM, staff(session, "manager"), "Lk8#pz-Qm2vT-wq")
    session.commit()
    client.post("/admin/login", data={"username": "manager", "password": "Lk8#pz-Qm2vT-wq"})
    page = client.get("/admin/originals/").get_data(as_text=True)
    assert case.number in page and "居民身份证×1、户口簿×1" in page and "办理中" in page


# The paper -------------------------------------------------------------------------------

def pdf_text(data: bytes) -> str:
    import io
    from pypdf import PdfReader
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_each_step_hands_over_its_paper_and_the_citizen_downloads_it(
        session, hall, clock, client, citizen):
    """A 代办 case from its one-time notice to its return, over the Spring Festival: every paper
    in Chinese with the hall, the case number, the dates and what was handed over."""
    case = new_case(session, clock, citizen.row, date(2026, 2, 9))
    with unit_of_work(session, actor=case.agent_id):
        cases.check_materials(session, case, [("HKB", "须有户主页")], case.agent, clock.now())
    clock.at = at(date(2026, 2, 10), 9)
    citizen.post(f"{API}/cases/{case.number}/supplement", {"materials": ["HKB"]})
    clock.at = at(date(2026, 2, 10), 10)
    with unit_of_work(session, actor=case.agent_id):
        case = session.get(Case, case.id)
        cases.check_materials(session, case, [], case.agent, clock.now())
        cases.handover(session, case, case.agent, [
            {"material": "SFZ", "copies": 1, "original": True},
            {"material": "HKB", "copies": 2, "original": False}], True, clock.now())
        cases.sign_agreement(session, case, case.agent, clock.now())
    clock.at = at(date(2026, 2, 12), 11)
    with unit_of_work(session, actor=case.agent_id):
        cases.suspend(session, case, case.agent, "inspection", "样品送检", 5, clock.now())
    clock.at = at(date(2026, 2, 25), 16)
    with unit_of_work(session, actor=case.agent_id):
        cases.resume(session, case, case.agent, None, clock.now())
        cases.complete(session, case, case.agent, "已办结", clock.now())
    clock.at = at(date(2026, 2, 26), 10)
    with unit_of_work(session, actor=case.agent_id):
        cases.return_materials(session, case, case.agent, [
            {"material": "SFZ", "copies": 1, "original": True}], clock.now(),
            results=[{"name": "社会保障卡", "copies": 1}])

    listed = citizen.get(f"{API}/cases/{case.number}/documents")
    assert [(d["kind"], d["title"]) for d in listed["items"]] == [
        ("notice", "一次性告知书"), ("acceptance", "受理凭证"), ("handover", "材料交接单"),
        ("commission", "委托书"), ("suspension", "特别程序告知书"), ("completion", "办结单"),
        ("return", "材料返还单")]
    assert listed["total"] == 7 and listed["items"][0]["issued_at"] == "2026-02-09T10:00:00+08:00"

    papers = {}
    for d in listed["items"]:
        answer = citizen.client.get(f"{API}/cases/{case.number}/documents/{d['id']}.pdf",
                                    headers=citizen.sign_in())
        assert answer.status_code == 200 and answer.mimetype == "application/pdf"
        data = answer.get_data()
        again = citizen.client.get(f"{API}/cases/{case.number}/documents/{d['id']}.pdf",
                                   headers=citizen.sign_in()).get_data()
        assert data == again  # the same bytes, generated twice
        papers[d["kind"]] = pdf_text(data)
    for text in papers.values():
        assert "博山区政务服务中心" in text and case.number in text and "张三" in text
    assert "户口簿" in papers["notice"] and "须有户主页" in papers["notice"]
    assert "2026年2月9日" in papers["notice"]
    assert "收件日期" in papers["acceptance"] and "2026年2月10日" in papers["acceptance"]
    # 10 working days from 02-10: 02-11 … 02-13, Saturday 02-14, 02-24 … 02-27, Saturday 02-28,
    # 03-02.
    assert "2026年3月2日" in papers["acceptance"]
    assert "居民身份证" in papers["handover"] and "复印件" in papers["handover"]
    assert "2026年5月11日" in papers["commission"]  # 90 days from 02-10
    assert "检验" in papers["suspension"] and "GB/T 39046" in papers["suspension"]
    assert "5个工作日" in papers["suspension"]
    assert "社会保障卡" in papers["return"]
    # Due 03-02 at acceptance, moved by the 5 working days of the inspection: 03-09; done 02-25.
    assert "2026年3月9日" in papers["completion"] and "按时办结" in papers["completion"]
    assert "签字" in papers["handover"] or "交件人" in papers["handover"]

    # Another citizen's papers do not exist for them; staff print them too.
    stranger = client.post(f"{API}/auth/wechat-login", json={"code": "stranger"}).get_json()
    assert_error(client.get(f"{API}/cases/{case.number}/documents",
                            headers=bearer(stranger["token"])), 404, "not_found")


def test_a_termination_paper_lists_the_originals_owed(session, hall, clock, client, citizen):
    from backend.services.staff import set_password
    from tests.test_access import api_token
    case = handed_over(session, clock, citizen.row, date(2026, 9, 29))
    clock.at = at(date(2026, 9, 30))
    citizen.post(f"{API}/cases/{case.number}/terminate", {"reason": "已自行办理"})
    set_password(session, SYSTEM, staff(session, "manager"), "Lk8#pz-Qm2vT-wq")
    session.commit()
    headers = api_token(client, username="manager")
    listed = client.get(f"{API}/staff/cases/{case.number}/documents", headers=headers).get_json()
    [termination] = [d for d in listed["items"] if d["kind"] == "termination"]
    answer = client.get(f"{API}/staff/cases/{case.number}/documents/{termination['id']}.pdf",
                        headers=headers)
    text = pdf_text(answer.get_data())
    assert "终止单" in text and "申请人" in text and "已自行办理" in text
    assert "居民身份证" in text and "户口簿" in text and "2026年9月30日" in text
    assert_error(client.get(f"{API}/staff/cases/{case.number}/documents/999999.pdf",
                            headers=headers), 404, "not_found")
    # The admin prints the same paper.
    client.post("/admin/login", data={"username": "manager", "password": "Lk8#pz-Qm2vT-wq"})
    page = client.get(f"/admin/case/details/?id={case.id}").get_data(as_text=True)
    assert "终止单" in page
    printed = client.get(f"/admin/case/document/{termination['id']}.pdf")
    assert printed.status_code == 200 and printed.get_data() == answer.get_data()


def test_the_citizen_may_terminate_without_saying_why(session, hall, clock, citizen):
    case = handed_over(session, clock, citizen.row, date(2026, 9, 29))
    answer = citizen.post(f"{API}/cases/{case.number}/terminate")
    assert answer.status_code == 200, answer.get_json()
    assert (answer.get_json()["status"], answer.get_json()["commission"]["termination_reason"]) == (
        "terminated", None)
    # A 帮办 case has no commission to end.
    other = accepted_case(session, clock, citizen.row, date(2026, 9, 29))
    other.help_type = "assist"
    session.commit()
    assert_error(citizen.post(f"{API}/cases/{other.number}/terminate", {"reason": "不办了"}),
                 409, "invalid_state")


def test_a_paused_case_is_not_counted_late_by_the_report(session, hall, clock, citizen):
    """Accepted 02-09 (due 02-28), an expert review from 02-12 expected to take 3 working days
    (02-12, 02-13, Saturday 02-14: due projected 03-04) and still under way on 03-31: not late."""
    case = accepted_case(session, clock, citizen.row, date(2026, 2, 9))
    clock.at = at(date(2026, 2, 12), 11)
    with unit_of_work(session, actor=case.agent_id):
        cases.suspend(session, case, case.agent, "expert_review", "专家评审", 3, clock.now())
    assert case.due_date == date(2026, 3, 4)
    report = inspection_report(session, staff(session, "admin"), date(2026, 3, 1),
                               date(2026, 3, 31), today=date(2026, 3, 31), min_cases=1,
                               timezone="Asia/Shanghai")
    assert report.total.open_overdue == 0
