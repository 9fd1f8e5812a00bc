"""协调会议 (博政管办发〔2022〕3号 三(二)): meetings with their attendees, blockers and decisions;
a decision resolves an escalation; decisions past due on the dashboard of their owner and of the
district (docs/domain.md "Coordination meetings")."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from backend.errors import Forbidden, InvalidInput, InvalidState, NotFound
from backend.models import CoordinationMeeting, Decision, Escalation, Staff
from backend.services import cases, scope
from backend.services.dashboard import dashboard
from backend.services.meetings import (
    DecisionIn, complete_decision, meeting_for, overdue_decisions, record_meeting,
)
from tests.helpers import every_row

TODAY = date(2026, 11, 30)


def _staff(session, username: str) -> Staff:
    return session.scalar(select(Staff).where(Staff.username == username))


@pytest.fixture
def blockers(session, demo, make_case, make_staff, clock):
    """Two escalations at the district hall (agent1's cases), one at 城东街道 (agent4's)."""
    make_staff("cdmgr", role="place_manager", places=("BS-CD",), department=None, name="城东经理")
    raised = []
    for place, agent in (("BS-HALL", "agent1"), ("BS-HALL", "agent1"), ("BS-CD", "agent4")):
        case = make_case("accepted", "assist", place=place, agent=agent)
        raised.append(cases.escalate(session, case, case.agent, f"{place} 部门系统数据不同步",
                                     clock.now()))
    session.commit()
    return raised


def _record(session, actor, clock, escalations, decisions, **kw):
    values = dict(place_code="BS-HALL", held_on=TODAY - timedelta(days=3), topic="企业开办堵点协调",
                  attendees=["agent1", "manager"], departments=["RSJ", "SCJGJ"],
                  blockers=["税务与市场监管系统不互通"], escalation_ids=escalations,
                  decisions_in=decisions, note=None, now=clock.now(), today=TODAY)
    values.update(kw)
    return record_meeting(session, actor, **values)


def test_a_meeting_records_who_came_what_was_discussed_and_decided(session, blockers, clock):
    manager = _staff(session, "manager")
    first, second, _ = blockers
    meeting = _record(session, manager, clock, [first.id], [
        DecisionIn("市场监管局开放数据接口", "agent2", TODAY + timedelta(days=10), second.id),
        DecisionIn("税务窗口增派一人", "manager", TODAY - timedelta(days=1)),
    ])
    session.commit()

    assert (meeting.place.code, meeting.convener.username) == ("BS-HALL", "manager")
    assert [s.username for s in meeting.attendees] == ["agent1", "manager"]
    assert [d.code for d in meeting.departments] == ["RSJ", "SCJGJ"]
    # The escalations discussed (the one chosen, and the one a decision resolves), then the
    # blocker of no single case.
    assert [(b.escalation_id, b.description) for b in meeting.blockers] == [
        (first.id, first.note), (second.id, second.note), (None, "税务与市场监管系统不互通")]
    # The decision resolved its escalation, through the case's timeline.
    assert second.resolved_by.username == "manager"
    assert second.resolution == "协调会议（2026-11-27，企业开办堵点协调）决定：市场监管局开放数据接口"
    assert second.case.events[-1].action == "resolve_escalation"
    assert first.resolved_at is None  # discussed, not resolved


def test_decisions_past_due_are_on_the_dashboard_of_their_owner_and_of_the_district(
        session, blockers, clock):
    manager = _staff(session, "manager")
    meeting = _record(session, manager, clock, [blockers[0].id], [
        DecisionIn("税务窗口增派一人", "agent2", TODAY - timedelta(days=2)),   # 2 days late
        DecisionIn("更新办事指南", "agent2", TODAY),                        # due today: not late
        DecisionIn("开放数据接口", "agent1", TODAY - timedelta(days=1)),      # 1 day late
    ])
    session.commit()

    def late(username):
        return [(d.text, d.days_late) for d in overdue_decisions(session, _staff(session, username),
                                                                 TODAY)]
    assert late("agent2") == [("税务窗口增派一人", 2)]
    assert late("agent1") == [("开放数据接口", 1)]
    assert late("admin") == late("inspector") == [("税务窗口增派一人", 2), ("开放数据接口", 1)]
    assert late("manager") == []  # not the owner of either
    board = dashboard(session, _staff(session, "admin"), TODAY, calendar_horizon_days=60)
    assert [d.text for d in board.overdue_decisions] == ["税务窗口增派一人", "开放数据接口"]

    # Reported done by its owner, it leaves every dashboard.
    [first, _, _] = meeting.decisions
    complete_decision(session, _staff(session, "agent2"), first.id, "已增派", clock.now())
    assert late("agent2") == [] and late("admin") == [("开放数据接口", 1)]
    with pytest.raises(InvalidState):
        complete_decision(session, _staff(session, "agent2"), first.id, "又增派", clock.now())


def test_only_the_owner_or_a_manager_of_the_place_reports_a_decision_done(session, blockers,
                                                                          clock):
    meeting = _record(session, _staff(session, "manager"), clock, [blockers[0].id], [
        DecisionIn("开放数据接口", "agent1", TODAY)])
    session.commit()
    decision = meeting.decisions[0]
    with pytest.raises(NotFound):  # agent4 neither attended nor owns it: not seen
        complete_decision(session, _staff(session, "agent4"), decision.id, "已完成", clock.now())
    with pytest.raises(Forbidden):
        complete_decision(session, _staff(session, "inspector"), decision.id, "已完成", clock.now())
    with pytest.raises(InvalidInput):
        complete_decision(session, _staff(session, "agent1"), decision.id, " ", clock.now())
    complete_decision(session, _staff(session, "manager"), decision.id, "已开放", clock.now())
    assert decision.done_note == "已开放"


@pytest.mark.parametrize("change, field", [
    ({"topic": ""}, "topic"),
    ({"held_on": TODAY + timedelta(days=1)}, "held_on"),
    ({"attendees": ["nobody"]}, "attendees"),
    ({"departments": ["NOPE"]}, "departments"),
    ({"blockers": [], "escalation_ids": []}, "blockers"),
    ({"escalation_ids": [999999]}, "escalations"),
    ({"decisions_in": [DecisionIn("开放数据接口", "nobody", TODAY)]}, "decisions[0]"),
    ({"decisions_in": [DecisionIn("开放数据接口", "agent1", None)]}, "decisions[0]"),
    ({"decisions_in": [DecisionIn("开放数据接口", "agent1", TODAY - timedelta(days=9))]},
     "decisions[0]"),
], ids=["topic", "future", "attendee", "department", "no-blocker", "escalation", "owner",
        "no-due", "due-before-meeting"])
def test_a_bad_meeting_record_writes_nothing(session, blockers, clock, change, field):
    before = every_row(session)
    with pytest.raises(InvalidInput) as refused:
        _record(session, _staff(session, "manager"), clock, [blockers[0].id], [], **change)
    assert field in refused.value.details
    session.rollback()
    assert every_row(session) == before


def test_meetings_are_scoped_to_their_place(session, blockers, clock):
    town_escalation = blockers[2]
    manager, cdmgr = _staff(session, "manager"), _staff(session, "cdmgr")
    # Another place's escalation is unknown to the hall's manager; its place refused.
    with pytest.raises(InvalidInput) as refused:
        _record(session, manager, clock, [town_escalation.id], [])
    assert refused.value.details["escalations"] == [f"未找到难点堵点 {town_escalation.id}"]
    with pytest.raises(Forbidden):
        _record(session, cdmgr, clock, [town_escalation.id], [], attendees=[])
    with pytest.raises(Forbidden):
        _record(session, _staff(session, "agent1"), clock, [], [])
    meeting = _record(session, cdmgr, clock, [town_escalation.id], [
        DecisionIn("民政窗口延时服务", "agent4", TODAY)], place_code="BS-CD", attendees=["agent4"])
    session.commit()
    seen = lambda username: session.scalars(select(CoordinationMeeting.id).where(  # noqa: E731
        scope.meetings(_staff(session, username)))).all()
    assert seen("cdmgr") == seen("agent4") == seen("admin") == [meeting.id]
    assert seen("manager") == seen("agent1") == []
    with pytest.raises(NotFound):
        meeting_for(session, manager, meeting.id)
    assert session.scalars(select(Decision.id).where(
        scope.decisions(_staff(session, "agent1")))).all() == []
    assert session.get(Escalation, town_escalation.id).resolved_at is None


def test_a_recorded_meeting_is_audited_as_its_recorder(session, blockers, clock):
    from backend.infrastructure.audit import act_as
    from backend.models import AuditLog
    manager = _staff(session, "manager")
    act_as(session, manager.id)
    meeting = _record(session, manager, clock, [blockers[0].id], [
        DecisionIn("开放数据接口", "agent1", TODAY)])
    session.commit()
    act_as(session, None)
    row = session.scalar(select(AuditLog).where(AuditLog.entity == "coordination_meeting"))
    assert row.staff_id == manager.id and row.action == "create"
    assert "企业开办堵点协调" in row.changes
    decision = session.scalar(select(AuditLog).where(AuditLog.entity == "meeting_decision"))
    assert decision.staff_id == manager.id and "开放数据接口" in decision.changes
    assert meeting.id is not None
