"""协调会议 (博政管办发〔2022〕3号 三(二)): a place's managers or the district office record a
coordination meeting — when, who convened it, who came (staff and departments), the blockers
discussed (escalations of cases, or blockers of no single case) and the decisions, each with an
owner and a due date. A decision may resolve an escalation (through the case's transition table,
so the case's timeline says so); a decision not done by its due date is overdue, on the
dashboard of its owner and of the district office."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, select, true
from sqlalchemy.orm import Session

from ..errors import Forbidden, InvalidInput, InvalidState, NotFound
from ..models import (
    CoordinationMeeting, Decision, Department, Escalation, MeetingBlocker, Place, Staff,
)
from . import scope
from .cases import resolve_escalation

TOPIC_MAX = 100
TEXT_MAX = 2000
RECORDERS_ONLY = "只有场所管理员或区政务服务管理办可以记录协调会议"


@dataclass(frozen=True)
class DecisionIn:
    text: str
    owner: str  # username
    due_on: date | None
    escalation: int | None = None  # the escalation it resolves


def record_meeting(session: Session, actor: Staff, *, place_code: str, held_on: date | None,
                   topic: str, attendees: list[str], departments: list[str],
                   blockers: list[str], escalation_ids: list[int],
                   decisions_in: list[DecisionIn], note: str | None, now: datetime,
                   today: date) -> CoordinationMeeting:
    """Record a meeting held at a place the actor runs; every problem is listed before anything
    is written. Decisions that name an escalation resolve it."""
    scope.require_role(actor, scope.PLACE_RUNNERS, RECORDERS_ONLY)
    problems: dict[str, list[str]] = {}
    place = session.scalar(select(Place).where(Place.code == (place_code or "")))
    if place is None:
        problems["place"] = [f"未知的场所 {place_code}"]
    else:
        scope.require_manages(actor, place, f"您不管理{place.name}，不能记录该场所的协调会议")
    topic = (topic or "").strip()
    if not 1 <= len(topic) <= TOPIC_MAX:
        problems["topic"] = [f"会议议题应为1至{TOPIC_MAX}个字符"]
    if held_on is None:
        problems["held_on"] = ["请填写会议日期"]
    elif held_on > today:
        problems["held_on"] = ["会议日期不能晚于今天"]

    people = _staff_named(session, attendees, problems, "attendees")
    units = _departments(session, departments, problems)
    blocker_texts = [b.strip() for b in blockers if b and b.strip()]
    if any(len(b) > TEXT_MAX for b in blocker_texts):
        problems.setdefault("blockers", []).append(f"每项难点堵点不超过{TEXT_MAX}个字符")
    discussed = _escalations(session, actor, escalation_ids, problems)
    resolving: list[tuple[DecisionIn, Staff, Escalation | None]] = []
    for i, d in enumerate(decisions_in):
        key = f"decisions[{i}]"
        text = (d.text or "").strip()
        if not text or len(text) > TEXT_MAX:
            problems.setdefault(key, []).append(f"决定事项应为1至{TEXT_MAX}个字符")
        [owner] = _staff_named(session, [d.owner], problems, key) or [None]
        if d.due_on is None:
            problems.setdefault(key, []).append("请填写完成期限")
        elif held_on is not None and d.due_on < held_on:
            problems.setdefault(key, []).append("完成期限不能早于会议日期")
        escalation = None
        if d.escalation is not None:
            [escalation] = _escalations(session, actor, [d.escalation], problems, key) or [None]
            if escalation is not None and escalation not in discussed:
                discussed.append(escalation)
        resolving.append((d, owner, escalation))
    if not blocker_texts and not discussed:
        problems.setdefault("blockers", []).append("请至少列出一项讨论的难点堵点")
    if problems:
        raise InvalidInput("协调会议信息有误", problems)

    meeting = CoordinationMeeting(place=place, held_on=held_on, topic=topic, convener=actor,
                                  note=(note or "").strip() or None, created_at=now,
                                  attendees=people, departments=units)
    meeting.blockers = ([MeetingBlocker(escalation=e, description=e.note) for e in discussed]
                        + [MeetingBlocker(description=b) for b in blocker_texts])
    session.add(meeting)
    for d, owner, escalation in resolving:
        meeting.decisions.append(Decision(text=d.text.strip(), owner=owner, due_on=d.due_on,
                                          escalation=escalation))
        if escalation is not None:
            resolve_escalation(session, escalation, actor,
                               f"协调会议（{held_on}，{topic}）决定：{d.text.strip()}", now)
    session.flush()
    return meeting


def _staff_named(session: Session, usernames: list[str], problems: dict, key: str) -> list[Staff]:
    wanted = [u for u in dict.fromkeys(u.strip() for u in usernames if u and u.strip())]
    found = {s.username: s for s in session.scalars(select(Staff).where(
        Staff.username.in_(wanted or [""]), Staff.active.is_(True)))}
    missing = [u for u in wanted if u not in found]
    if missing:
        problems.setdefault(key, []).append("未知或已停用的工作人员：" + "、".join(missing))
    return [found[u] for u in wanted if u in found]


def _departments(session: Session, codes: list[str], problems: dict) -> list[Department]:
    wanted = [c for c in dict.fromkeys(c.strip() for c in codes if c and c.strip())]
    found = {d.code: d for d in session.scalars(select(Department).where(
        Department.code.in_(wanted or [""])))}
    missing = [c for c in wanted if c not in found]
    if missing:
        problems["departments"] = ["未知的部门：" + "、".join(missing)]
    return [found[c] for c in wanted if c in found]


def _escalations(session: Session, actor: Staff, ids: list[int], problems: dict,
                 key: str = "escalations") -> list[Escalation]:
    """Open escalations in the actor's scope; any other is unknown to them."""
    wanted = list(dict.fromkeys(ids))
    found = {e.id: e for e in session.scalars(select(Escalation).where(
        Escalation.id.in_(wanted or [-1]), scope.escalations(actor)))}
    for i in wanted:
        if i not in found:
            problems.setdefault(key, []).append(f"未找到难点堵点 {i}")
        elif found[i].resolved_at is not None:
            problems.setdefault(key, []).append(f"难点堵点 {i} 已解决")
    return [found[i] for i in wanted if i in found and found[i].resolved_at is None]


def meeting_for(session: Session, staff: Staff, meeting_id: int) -> CoordinationMeeting:
    meeting = session.scalar(select(CoordinationMeeting).where(
        CoordinationMeeting.id == meeting_id, scope.meetings(staff)))
    if meeting is None:
        raise NotFound("未找到该协调会议", {"meeting": meeting_id})
    return meeting


def complete_decision(session: Session, actor: Staff, decision_id: int, note: str,
                      now: datetime) -> Decision:
    """Report a decision done: its owner, or whoever runs the meeting's place."""
    decision = session.scalar(select(Decision).where(Decision.id == decision_id,
                                                     scope.decisions(actor)))
    if decision is None:
        raise NotFound("未找到该决定事项", {"decision": decision_id})
    if actor.role in scope.READ_ONLY_ROLES or not (
            decision.owner_id == actor.id or scope.may_manage(actor, decision.meeting.place)):
        raise Forbidden("只有决定事项的责任人或场所管理员可以报告完成")
    if decision.done_at is not None:
        raise InvalidState("该决定事项已完成")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("请填写落实情况", {"note": ["必填"]})
    decision.done_at, decision.done_note = now, note
    session.flush()
    return decision


@dataclass(frozen=True)
class OverdueDecision:
    id: int
    meeting_id: int
    held_on: date
    topic: str
    text: str
    owner: str
    due_on: date
    days_late: int


def overdue_decisions(session: Session, staff, today: date, limit: int = 50
                      ) -> list[OverdueDecision]:
    """Decisions past their due date and not done: one's own, and every one for the district
    office and inspectors; oldest due first."""
    mine = (true() if scope.sees_every_place(staff) else Decision.owner_id == staff.id)
    rows = session.execute(
        select(Decision.id, CoordinationMeeting.id, CoordinationMeeting.held_on,
               CoordinationMeeting.topic, Decision.text, Staff.name, Staff.username,
               Decision.due_on)
        .join(CoordinationMeeting, CoordinationMeeting.id == Decision.meeting_id)
        .join(Staff, Staff.id == Decision.owner_id)
        .where(and_(Decision.done_at.is_(None), Decision.due_on < today, mine))
        .order_by(Decision.due_on, Decision.id).limit(limit))
    return [OverdueDecision(r[0], r[1], r[2], r[3], r[4], Staff.label(r[5], r[6]), r[7],
                            (today - r[7]).days) for r in rows]


__all__ = ["DecisionIn", "record_meeting", "meeting_for", "complete_decision", "OverdueDecision",
           "overdue_decisions"]
