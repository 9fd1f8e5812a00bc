"""Training and approval (seed 三(一), 二(二)): a registration needs a current training record;
a place manager's registration is a proposal a district admin approves or refuses with a reason;
a district admin's (and `create-user`'s) take effect at once; the service language has versions
each agent acknowledges; staff suggestions are answered and their author told; a hall guide logs
questions answered on the floor."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.errors import Forbidden, InvalidInput, InvalidState
from backend.models import Notification, Staff
from backend.services import consultation, suggestions
from backend.services.compliance import compliance_gaps
from backend.services.scope import SYSTEM
from backend.services.staff import create_staff, decide_proposal, register_agent
from backend.services.training import (
    Training, acknowledge_service_language, publish_service_language, record_training,
)
from tests.factories import STAFF_PASSWORD, trained


def named(session, username: str) -> Staff:
    return session.scalar(select(Staff).where(Staff.username == username))


def current(session, username: str) -> set[tuple[str, str]]:
    return {(r.station.place.code, r.station.department.code)
            for r in named(session, username).registrations if r.ended_on is None}


def test_an_agent_account_needs_a_current_training_record(session, demo, clock):
    with pytest.raises(InvalidInput) as refused:
        create_staff(session, SYSTEM, username="newagent", password=STAFF_PASSWORD, role="agent",
                     name="新帮办", place_codes=["BS-HALL"], department_code="RSJ",
                     now=clock.now())
    assert "training" in refused.value.details
    old = Training("帮办代办业务培训", clock.now().date() - timedelta(days=365), "8", "区政务办")
    with pytest.raises(InvalidInput) as refused:
        create_staff(session, SYSTEM, username="newagent", password=STAFF_PASSWORD, role="agent",
                     name="新帮办", place_codes=["BS-HALL"], department_code="RSJ",
                     now=clock.now(), training=old)
    assert refused.value.details["trained_on"] == ["培训记录已过有效期，不能据此登记备案"]
    session.rollback()
    assert named(session, "newagent") is None
    staff = create_staff(session, SYSTEM, username="newagent", password=STAFF_PASSWORD,
                         role="agent", name="新帮办", place_codes=["BS-HALL"],
                         department_code="RSJ", now=clock.now(), training=trained(clock.now()))
    assert current(session, "newagent") == {("BS-HALL", "RSJ")}
    assert staff.registrations[0].registered_on == clock.now().date()


def test_bad_training_records_are_refused_with_every_problem(session, demo, clock):
    agent = named(session, "agent1")
    with pytest.raises(InvalidInput) as refused:
        record_training(session, SYSTEM, agent, Training("", clock.now().date() + timedelta(
            days=1), "-2", "", "x" * 51), clock.now())
    assert set(refused.value.details) == {"course", "provider", "certificate_number",
                                          "trained_on", "hours"}


def test_a_managers_registration_waits_for_the_district_office(session, demo, clock):
    manager, admin = named(session, "manager"), named(session, "admin")
    change = register_agent(session, manager, "agent1", ["BS-HALL"], "MZJ", clock.now().date())
    assert change.changed == [] and [p.status for p in change.proposed] == ["pending"]
    assert ("BS-HALL", "MZJ") not in current(session, "agent1")
    # Twice is once.
    again = register_agent(session, manager, "agent1", ["BS-HALL"], "MZJ", clock.now().date())
    assert [p.id for p in again.proposed] == [p.id for p in change.proposed]
    gaps = compliance_gaps(session, admin, clock.now().date())
    assert [(w.username, w.department_name) for w in gaps.proposals_waiting] == [
        ("agent1", "区民政局")]

    with pytest.raises(Forbidden):
        decide_proposal(session, manager, change.proposed[0].id, True, None, clock.now())
    with pytest.raises(InvalidInput):
        decide_proposal(session, admin, change.proposed[0].id, False, "  ", clock.now())
    approved = decide_proposal(session, admin, change.proposed[0].id, True, None, clock.now())
    assert approved.status == "approved" and approved.decided_by_id == admin.id
    assert ("BS-HALL", "MZJ") in current(session, "agent1")
    with pytest.raises(InvalidState):
        decide_proposal(session, admin, approved.id, False, "重复", clock.now())


def test_a_refused_proposal_keeps_its_reason_and_registers_nothing(session, demo, clock):
    manager, admin = named(session, "manager"), named(session, "admin")
    proposal = register_agent(session, manager, "agent1", ["BS-HALL"], "MZJ",
                              clock.now().date()).proposed[0]
    refused = decide_proposal(session, admin, proposal.id, False, "该员不属民政局", clock.now())
    assert (refused.status, refused.reason) == ("refused", "该员不属民政局")
    assert ("BS-HALL", "MZJ") not in current(session, "agent1")


def test_the_district_office_registers_at_once_but_only_the_trained(session, demo, clock):
    admin = named(session, "admin")
    change = register_agent(session, admin, "agent1", ["BS-HALL"], "MZJ", clock.now().date())
    assert change.proposed == [] and len(change.changed) == 1
    # agent1's training lapses a year on: no new registration, by anyone.
    later = clock.now().date() + timedelta(days=400)
    with pytest.raises(InvalidInput) as refused:
        register_agent(session, admin, "agent1", ["BS-CD"], "RSJ", later)
    assert "training" in refused.value.details
    gaps = compliance_gaps(session, admin, later)
    assert {g.username for g in gaps.untrained} >= {"agent1", "agent2", "guide1"}


def test_each_agent_acknowledges_the_current_service_language(session, demo, clock):
    admin, agent = named(session, "admin"), named(session, "agent1")
    with pytest.raises(Forbidden):
        publish_service_language(session, named(session, "manager"), "用语", "您好", clock.now())
    first = publish_service_language(session, admin, "服务规范用语", "您好，请坐。", clock.now())
    assert first.version == 1
    gaps = compliance_gaps(session, admin, clock.now().date())
    assert gaps.service_language_version == 1
    assert "agent1" in {g.username for g in gaps.not_acknowledged}
    acknowledge_service_language(session, agent, clock.now())
    acknowledge_service_language(session, agent, clock.now())  # twice is once
    gaps = compliance_gaps(session, admin, clock.now().date())
    assert "agent1" not in {g.username for g in gaps.not_acknowledged}
    publish_service_language(session, admin, "服务规范用语", "您好，请坐，请问办理什么业务？",
                             clock.now())
    gaps = compliance_gaps(session, admin, clock.now().date())
    assert gaps.service_language_version == 2
    assert "agent1" in {g.username for g in gaps.not_acknowledged}
    with pytest.raises(Forbidden):
        acknowledge_service_language(session, named(session, "inspector"), clock.now())


def test_a_suggestion_is_answered_and_its_author_told(session, demo, clock):
    agent, admin, manager = named(session, "agent1"), named(session, "admin"), named(session,
                                                                                      "manager")
    suggestion = suggestions.submit(session, agent, "增设引导标识", "二楼入口处增设指引", clock.now())
    assert suggestion.place.code == "BS-HALL"
    with pytest.raises(Forbidden):
        suggestions.submit(session, named(session, "inspector"), "标题", "内容", clock.now())
    with pytest.raises(InvalidInput):
        suggestions.submit(session, agent, "", "内容", clock.now())
    with pytest.raises(Forbidden):
        suggestions.answer(session, manager, suggestion.id, "好", clock.now())
    suggestions.answer(session, admin, suggestion.id, "已安排制作", clock.now())
    message = session.scalar(select(Notification).where(
        Notification.event == "suggestion_answered"))
    assert message.staff_id == agent.id
    with pytest.raises(InvalidState):
        suggestions.answer(session, admin, suggestion.id, "再答", clock.now())
    # The author and the place's manager see it; another place's agent does not.
    assert [s.id for s in suggestions.visible_suggestions(session, manager)] == [suggestion.id]
    assert suggestions.visible_suggestions(session, named(session, "agent3")) == []


def test_a_guide_logs_a_floor_question_at_its_own_place_only(session, demo, clock):
    guide = named(session, "guide1")
    logged = consultation.log_floor_question(session, guide, "BS-HALL", "SB-001", "materials",
                                             "referred", clock.now())
    assert (logged.kind_label, logged.outcome_label) == ("材料要求", "引导至窗口")
    with pytest.raises(InvalidInput) as refused:
        consultation.log_floor_question(session, guide, "BS-CD", "NOPE", "x", "y", clock.now())
    assert set(refused.value.details) == {"place", "item", "kind", "outcome"}
    with pytest.raises(Forbidden):
        consultation.log_floor_question(session, named(session, "inspector"), "BS-HALL", None,
                                        "other", "resolved", clock.now())
    assert [q.id for q in consultation.floor_questions(session, guide, clock.now().date(),
                                                       clock.now().tzinfo)] == [logged.id]
