"""The admin's home page figures, per role and scope (docs/domain.md "Roles"): an agent sees the
bookings of their places and their own cases, a place manager their places, district admins and
inspectors the district. Counts come from GROUP BY queries; the lists are the first
`LIST_LIMIT` rows (most urgent first) with the full count beside them, so that the page stays
the same size whatever the district's volume."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from ..models import (
    CASE_STATUSES, OPEN, SLOT_KINDS, Booking, Case, Escalation, Place, Review, ServiceItem, Slot,
    Staff,
)
from . import scope
from .calendar import calendar_warnings_for
from .cases.custody import HeldOriginals, originals_in_custody
from .cases.queries import deadline_condition
from .compliance import ComplianceGaps, compliance_gaps
from .meetings import OverdueDecision, overdue_decisions
from .notifications import undelivered_messages

LIST_LIMIT = 50
TZ = "Asia/Shanghai"  # the halls' zone, when the caller gives no time of day


@dataclass(frozen=True)
class SessionFigures:
    """Today's bookings at one place in one kind of session (5+X included)."""
    place_code: str
    place_name: str
    kind: str
    kind_label: str
    slots: int
    capacity: int
    booked: int  # not cancelled: waiting, checked in or no-show
    checked_in: int
    no_show: int


@dataclass(frozen=True)
class DeadlineCase:
    number: str
    state: str  # amber or red
    status_label: str
    place_name: str
    item_name: str
    due_date: date
    agent_username: str | None
    agent_name: str | None


@dataclass(frozen=True)
class AgentLoad:
    username: str
    name: str
    open_cases: int
    amber: int
    red: int


@dataclass(frozen=True)
class OpenEscalation:
    id: int
    case_number: str
    place_name: str
    raised_at: datetime
    raised_by: str
    note: str


@dataclass(frozen=True)
class FollowupDue:
    """A bad review whose follow-up (整改, within 15 working days) is not closed yet."""
    case_number: str
    place_name: str
    agent_name: str | None
    score: int
    reviewed_at: datetime
    followup_due: date
    overdue: bool


@dataclass
class Dashboard:
    today: date
    sessions: list[SessionFigures]
    cases_by_status: dict[str, int]  # every status, in the lifecycle's order
    amber_count: int
    red_count: int
    deadline_cases: list[DeadlineCase]  # red first, then amber; by due date
    agent_loads: list[AgentLoad]
    open_escalation_count: int
    open_escalations: list[OpenEscalation]  # oldest first
    followup_count: int
    followups: list[FollowupDue]  # soonest due first
    calendar_warnings: list[str]
    # The registry's gaps: district admins and inspectors only (their page has them per place).
    compliance: ComplianceGaps | None
    # Messages that could not be sent (the outbox's undelivered ones the viewer may see).
    undelivered_messages: int = 0
    # Originals owed back longer than ORIGINALS_RETURN_DAYS working days (the longest first).
    originals_overdue_count: int = 0
    originals_overdue: list[HeldOriginals] = field(default_factory=list)
    # Coordination meetings' decisions past due: one's own; all of them for the district.
    overdue_decisions: list[OverdueDecision] = field(default_factory=list)


def dashboard(session: Session, staff: Staff, today: date, *, calendar_horizon_days: int,
              rota_days: int = 14, originals_return_days: int = 5,
              now: datetime | None = None) -> Dashboard:
    cases_seen = scope.cases(staff)
    red, amber = deadline_condition("red", today), deadline_condition("amber", today)
    by_status = dict.fromkeys(CASE_STATUSES, 0)
    by_status.update(session.execute(select(Case.status, func.count()).where(cases_seen)
                                     .group_by(Case.status)).all())
    amber_count, red_count = session.execute(select(
        func.coalesce(func.sum(case((amber, 1), else_=0)), 0),
        func.coalesce(func.sum(case((red, 1), else_=0)), 0),
    ).where(cases_seen, Case.status.in_(OPEN))).one()

    escalations = and_(Escalation.resolved_at.is_(None), scope.escalations(staff))
    open_followups = and_(Review.followup_due.is_not(None), Review.followup_closed_at.is_(None),
                          Review.case.has(cases_seen))
    return Dashboard(
        today=today,
        sessions=_sessions(session, staff, today),
        cases_by_status=by_status,
        amber_count=amber_count, red_count=red_count,
        deadline_cases=_deadline_cases(session, cases_seen, today),
        agent_loads=_agent_loads(session, cases_seen, today),
        open_escalation_count=session.scalar(select(func.count()).select_from(Escalation)
                                              .where(escalations)),
        open_escalations=_escalations(session, escalations),
        followup_count=session.scalar(select(func.count()).select_from(Review)
                                      .where(open_followups)),
        followups=_followups(session, open_followups, today),
        calendar_warnings=[w.message for w in calendar_warnings_for(
            session, staff, today, calendar_horizon_days)],
        compliance=(compliance_gaps(session, staff, today, rota_days)
                    if scope.sees_every_place(staff) else None),
        undelivered_messages=undelivered_messages(session, staff, page=1, per_page=0)[1],
        overdue_decisions=overdue_decisions(session, staff, today),
        **_originals(session, staff, now or datetime.combine(today, time(12), ZoneInfo(TZ)),
                     originals_return_days),
    )


def _originals(session: Session, staff: Staff, now: datetime, return_days: int) -> dict:
    overdue = originals_in_custody(session, staff, now, return_days, overdue_only=True)
    return {"originals_overdue_count": len(overdue), "originals_overdue": overdue[:LIST_LIMIT]}


def _sessions(session: Session, staff: Staff, today: date) -> list[SessionFigures]:
    in_scope = scope.in_own_places(staff, Slot.place_id)
    slots = {(code, kind): (name, n, capacity) for code, name, kind, n, capacity in session.execute(
        select(Place.code, Place.name, Slot.kind, func.count(), func.sum(Slot.capacity))
        .join(Place, Place.id == Slot.place_id)
        .where(Slot.date == today, Slot.active.is_(True), in_scope)
        .group_by(Place.code, Place.name, Slot.kind))}
    bookings = {}
    for code, name, kind, *counts in session.execute(
            select(Place.code, Place.name, Slot.kind, func.count(),
                   func.sum(case((Booking.status == "checked_in", 1), else_=0)),
                   func.sum(case((Booking.status == "no_show", 1), else_=0)))
            .select_from(Booking).join(Slot, Slot.id == Booking.slot_id)
            .join(Place, Place.id == Slot.place_id)
            .where(Slot.date == today, Booking.status != "cancelled", in_scope)
            .group_by(Place.code, Place.name, Slot.kind)):
        bookings[code, kind] = counts
        # Bookings on a slot withdrawn since still show, with no capacity left.
        slots.setdefault((code, kind), (name, 0, 0))
    kinds = list(SLOT_KINDS)
    result = []
    for (code, kind), (name, n, capacity) in sorted(
            slots.items(), key=lambda item: (item[0][0], kinds.index(item[0][1]))):
        booked, checked_in, no_show = bookings.get((code, kind), (0, 0, 0))
        result.append(SessionFigures(code, name, kind, SLOT_KINDS[kind], n, capacity or 0,
                                     booked, checked_in, no_show))
    return result


def _deadline_cases(session: Session, cases_seen, today: date) -> list[DeadlineCase]:
    red = deadline_condition("red", today)
    late = Case.status.in_(OPEN) & (red | deadline_condition("amber", today))
    rows = session.execute(
        select(Case.number, red, Case.status, Place.name, ServiceItem.name, Case.due_date,
               Staff.username, Staff.name)
        .join(Place, Place.id == Case.place_id).join(ServiceItem, ServiceItem.id == Case.item_id)
        .outerjoin(Staff, Staff.id == Case.agent_id)
        .where(cases_seen, late)
        .order_by(red.desc(), Case.due_date, Case.id).limit(LIST_LIMIT))
    return [DeadlineCase(number, "red" if is_red else "amber", CASE_STATUSES[status], place,
                         item, due, username, name)
            for number, is_red, status, place, item, due, username, name in rows]


def _agent_loads(session: Session, cases_seen, today: date) -> list[AgentLoad]:
    rows = session.execute(
        select(Staff.username, Staff.name, func.count(),
               func.sum(case((deadline_condition("amber", today), 1), else_=0)),
               func.sum(case((deadline_condition("red", today), 1), else_=0)))
        .select_from(Case).join(Staff, Staff.id == Case.agent_id)
        .where(cases_seen, Case.status.in_(OPEN))
        .group_by(Staff.username, Staff.name)
        .order_by(func.count().desc(), Staff.username))
    return [AgentLoad(*row) for row in rows]


def _escalations(session: Session, condition) -> list[OpenEscalation]:
    raiser = aliased(Staff)
    rows = session.execute(
        select(Escalation.id, Case.number, Place.name, Escalation.raised_at, raiser.name,
               Escalation.note)
        .join(Case, Case.id == Escalation.case_id).join(Place, Place.id == Case.place_id)
        .join(raiser, raiser.id == Escalation.raised_by_id)
        .where(condition).order_by(Escalation.raised_at, Escalation.id).limit(LIST_LIMIT))
    return [OpenEscalation(*row) for row in rows]


def _followups(session: Session, condition, today: date) -> list[FollowupDue]:
    rows = session.execute(
        select(Case.number, Place.name, Staff.name, Review.score, Review.created_at,
               Review.followup_due)
        .select_from(Review).join(Case, Case.id == Review.case_id)
        .join(Place, Place.id == Case.place_id).outerjoin(Staff, Staff.id == Case.agent_id)
        .where(condition).order_by(Review.followup_due, Review.id).limit(LIST_LIMIT))
    return [FollowupDue(number, place, agent, score, at, due, due < today)
            for number, place, agent, score, at, due in rows]
