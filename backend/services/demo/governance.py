"""The demo's village point, coordination meeting, standards with a 通报, and key project, made
through the services at the end of the history (`seed_history`): a village agent at 柳杭社区 with
a case forwarded to 城东街道 and assigned there; a meeting at the district hall whose decision
resolves an escalation, and one decision past due; last month's standards, the inspection and a
通报; an inspection visit; a key project with its 项目管家 and two cases at two places. A handful of
rows, so `seed-demo` keeps its time."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...infrastructure.audit import SYSTEM, act_as
from ...infrastructure.wechat import demo_openid
from ...models import Escalation, Staff
from .. import cases, citizens, scope
from ..meetings import DecisionIn, record_meeting
from ..projects import add_case, create_project
from ..staff import create_staff, generate_password
from . import demo_training
from ..standards import Thresholds, inspect, publish_bulletin, record_visit, set_standard

VILLAGE, TOWN = "BS-CD-V01", "BS-CD"
# username, role, name, places, department: the village agent (no department) and the town's
# manager who assigns what the village forwards.
GOVERNANCE_STAFF = [
    ("cun1", "agent", "孙村代办", [VILLAGE], None),
    ("cdmanager", "place_manager", "周站长", [TOWN], None),
]
ENTERPRISE, ENTERPRISE_USCC = "博山陶瓷有限公司", "91370304MA3C5K8Q0Q"


@dataclass
class GovernanceResult:
    passwords: list[tuple[str, str, str]] = field(default_factory=list)
    forwarded: str | None = None
    meeting: int | None = None
    bulletin: str | None = None
    project: str | None = None


def seed_governance(session: Session, now: datetime) -> GovernanceResult:
    result = GovernanceResult()
    act_as(session, SYSTEM)
    for username, role, name, places, department in GOVERNANCE_STAFF:
        if session.scalar(select(Staff.id).where(Staff.username == username)) is None:
            password = generate_password()
            create_staff(session, SYSTEM, username=username, password=password, role=role,
                         name=name, place_codes=places, department_code=department, now=now,
                         training=demo_training(username, role, now))
            result.passwords.append((username, role, password))
    staff = {s.username: s for s in session.scalars(select(Staff))}
    result.forwarded = _forwarded_case(session, staff, now)
    result.meeting = _meeting(session, staff, now)
    result.bulletin = _standards(session, staff, now)
    result.project = _project(session, staff, now)
    session.flush()
    return result


def _as(session: Session, staff: Staff) -> Staff:
    session.flush()
    act_as(session, staff.id)
    return staff


def _citizen(session: Session, code: str, now: datetime):
    """One of the history's citizens (their demo login codes are boshan-0, boshan-1 …)."""
    act_as(session, None)
    return citizens.citizen_for_openid(session, demo_openid(code), None, now)


def _forwarded_case(session: Session, staff: dict, now: datetime) -> str:
    citizen = _citizen(session, "boshan-0", now)
    case = cases.create_case(
        session, citizen, item_code="SB-001", place_code=VILLAGE, help_type="assist",
        applicant=cases.Applicant(name="赵桂芳", phone="13805330123"),
        material_codes=["SFZ", "HKB", "JMYBCB"], booking_code=None, special_group=None,
        now=now - timedelta(hours=5), number_prefix=current_app.config["CASE_NUMBER_PREFIX"])
    village_agent = staff["cun1"]
    cases.assign(session, case, _as(session, staff["cdmanager"]), "cun1", now - timedelta(hours=5))
    cases.check_materials(session, case, [], _as(session, village_agent), now - timedelta(hours=4))
    cases.forward(session, case, _as(session, village_agent), TOWN,
                  "需镇便民服务中心人社窗口核验缴费记录", now - timedelta(hours=3))
    cases.assign(session, case, _as(session, staff["cdmanager"]), "agent4",
                 now - timedelta(hours=2))
    return case.number


def _meeting(session: Session, staff: dict, now: datetime) -> int:
    manager = _as(session, staff["manager"])
    escalation = session.scalar(select(Escalation).where(
        Escalation.resolved_at.is_(None), scope.escalations(manager))
        .order_by(Escalation.raised_at, Escalation.id).limit(1))
    held_on = now.date() - timedelta(days=7)
    decisions = [DecisionIn("税务窗口周末增派一名帮办员", "agent2", held_on + timedelta(days=3))]
    if escalation is not None:
        decisions.insert(0, DecisionIn("牵头部门三日内完成数据核验并反馈申请人", "agent1",
                                       now.date() + timedelta(days=5), escalation.id))
    meeting = record_meeting(
        session, manager, place_code="BS-HALL", held_on=held_on, topic="企业开办与社保数据共享协调会",
        attendees=["manager", "agent1", "agent2"], departments=["RSJ", "SCJGJ"],
        blockers=["市场监管与税务系统企业信息不同步，需两次录入"],
        escalation_ids=[escalation.id] if escalation is not None else [],
        decisions_in=decisions, note="下次会议听取落实情况", now=now, today=now.date())
    return meeting.id


def _standards(session: Session, staff: dict, now: datetime) -> str | None:
    admin = _as(session, staff["admin"])
    end = now.date().replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    set_standard(session, admin, start, end, Thresholds(
        min_on_time_rate=0.95, min_satisfaction=4.0, max_notice_violations=0,
        max_registry_gaps=3, max_deemed_acceptances=0), now)
    record_visit(session, _as(session, staff["inspector"]), visited_on=now.date() - timedelta(days=2),
                 place_code=TOWN, department_code="RSJ", inspectors=["inspector"],
                 findings="一次性告知书存根未按件归档；周末值班表未公示",
                 followup_due=now.date() + timedelta(days=10), now=now, today=now.date())
    admin = _as(session, staff["admin"])
    min_cases = current_app.config["REPORT_MIN_CASES"]
    timezone = current_app.config["TIMEZONE"]
    inspection = inspect(session, admin, start, end, today=now.date(), min_cases=min_cases,
                         timezone=timezone)
    verdicts = [v for kind, vs in inspection.sections if kind == "place" for v in vs if v.judged]
    failing = [("place", v.figures.code) for v in verdicts if not v.passed][:2]
    passing = [("place", v.figures.code) for v in verdicts if v.passed][:2]
    kind, units = ("criticism", failing) if failing else ("commendation", passing)
    if not units:
        return None
    bulletin = publish_bulletin(
        session, admin, kind=kind, start=start, end=end, units=units,
        title=f"{start.year}年{start.month}月帮办代办工作检查情况",
        body="请被通报单位对照工作标准逐项整改，并于下月检查前报送整改情况。", now=now,
        today=now.date(), min_cases=min_cases, timezone=timezone)
    return bulletin.number


def _project(session: Session, staff: dict, now: datetime) -> str:
    project = create_project(
        session, _as(session, staff["admin"]), name="陶瓷产业园二期扩建",
        enterprise_name=ENTERPRISE, uscc=ENTERPRISE_USCC,
        description="新建智能化生产线两条，涉及企业开办变更、施工许可与用工备案",
        place_code="BS-HALL", steward="agent2", members=["agent1", "agent4"], now=now)
    contact = _citizen(session, "boshan-1", now)
    prefix = current_app.config["CASE_NUMBER_PREFIX"]
    applicant = cases.Applicant(name="李经理", phone="13905331234", enterprise_name=ENTERPRISE,
                                uscc=ENTERPRISE_USCC)
    steward = staff["agent2"]
    for item, place, hours in (("QYKB-001", "BS-HALL", 6), ("JY-001", TOWN, 4)):
        act_as(session, None)
        case = cases.create_case(session, contact, item_code=item, place_code=place,
                                 help_type="proxy", applicant=applicant, material_codes=[],
                                 booking_code=None, special_group=None,
                                 now=now - timedelta(hours=hours), number_prefix=prefix)
        add_case(session, _as(session, steward), project, case.number, now)
    return project.code


__all__ = ["GOVERNANCE_STAFF", "GovernanceResult", "seed_governance"]
