"""Reading cases: deadline states and the lists of the API and the admin."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, not_, or_, select
from sqlalchemy.orm import Session

from ...errors import InvalidInput
from ...models import CLOSED, OPEN, Case, Citizen, Escalation, Place, Staff
from .. import scope
from ..paging import paginate
from ..staff import registered_at
from .window import citizen_cases


def deadline_state(case: Case, today: date) -> str:
    """normal, amber or red, by the moved due date; a case whose clock is paused (a suspension
    under way) is normal."""
    if case.due_date is None or case.status in CLOSED or case.suspended_since is not None:
        return "normal"
    if today > case.due_date:
        return "red"
    return "amber" if today >= case.amber_on else "normal"


def deadline_condition(state: str, today: date):
    """`deadline_state(case, today) == state`, in SQL (only the state asked for is built: the
    admin's case list builds one on every page). A suspended clock is neither amber nor red."""
    if state == "normal":
        return not_(or_(deadline_condition("red", today), deadline_condition("amber", today)))
    running = (Case.due_date.is_not(None), Case.status.not_in(CLOSED),
               Case.suspended_since.is_(None))
    if state == "red":
        return and_(*running, Case.due_date < today)
    if state == "amber":
        return and_(*running, Case.amber_on <= today, Case.due_date >= today)
    raise KeyError(state)


def amber_and_red_cases(session: Session, today: date, chunk: int = 1000
                        ) -> Iterator[tuple[str, list[Case]]]:
    """The open cases that are amber today, then those that are red: lists of at most `chunk`
    cases in id order, each with its state, read one at a time as the caller asks, so a caller
    that lets go of a chunk before the next (the deadline warnings) keeps memory flat."""
    for state in ("amber", "red"):
        last_id = 0
        while True:
            cases = list(session.scalars(
                select(Case).where(deadline_condition(state, today), Case.status.in_(OPEN),
                                   Case.id > last_id).order_by(Case.id).limit(chunk)))
            if not cases:
                break
            last_id = cases[-1].id
            yield state, cases


# Lists ---------------------------------------------------------------------------------------

@dataclass
class CaseFilter:
    status: str | None = None
    deadline_state: str | None = None
    place: str | None = None
    page: int = 1
    per_page: int = 20


def list_staff_cases(session: Session, staff: Staff, filters: CaseFilter, today: date
                     ) -> tuple[list[Case], int]:
    query = select(Case).where(scope.cases(staff))
    if filters.status:
        query = query.where(Case.status == filters.status)
    if filters.deadline_state:
        query = query.where(deadline_condition(filters.deadline_state, today))
    if filters.place:
        place = session.scalar(select(Place).where(Place.code == filters.place))
        if place is None:
            raise InvalidInput("未知的服务场所", {"place": [f"未知的场所编码 {filters.place}"]})
        query = query.where(Case.place_id == place.id)
    return paginate(session, query.order_by(Case.due_date.is_(None), Case.due_date, Case.id),
                    filters.page, filters.per_page)


def cases_to_reassign(session: Session, staff: Staff | None = None) -> list[Case]:
    """Open cases whose agent can no longer work them there: the agent's registration at the
    case's place has ended, or the account is deactivated. They stay with that agent until a
    manager assigns another; `staff` narrows the list to the cases that person may see."""
    query = (select(Case).join(Staff, Staff.id == Case.agent_id)
             .where(Case.status.in_(OPEN),
                    or_(not_(registered_at(Staff.id, Case.place_id)), Staff.active.is_(False))))
    if staff is not None:
        query = query.where(scope.cases(staff))
    return list(session.scalars(query.order_by(Case.due_date.is_(None), Case.due_date, Case.id)))


def list_citizen_cases(session: Session, citizen: Citizen, page: int = 1, per_page: int = 20
                       ) -> tuple[list[Case], int]:
    """The citizen's own cases and those taken for them at a window, newest first: one page,
    and how many there are in all."""
    query = select(Case).where(citizen_cases(citizen))
    return paginate(session, query.order_by(Case.created_at.desc(), Case.id.desc()),
                    page, per_page)


def list_escalations(session: Session, staff: Staff, open_only: bool, page: int = 1,
                     per_page: int = 20) -> tuple[list[Escalation], int]:
    """The escalations of the cases the staff member may see, in the order they were raised:
    one page, and how many there are in all."""
    query = select(Escalation).join(Case).where(scope.cases(staff))
    if open_only:
        query = query.where(Escalation.resolved_at.is_(None))
    return paginate(session, query.order_by(Escalation.raised_at, Escalation.id), page, per_page)


def assignable_agents(session: Session, place_ids) -> list[Staff]:
    """The active agents currently registered (登记备案) at every one of these places: the ones
    a manager may assign cases of those places to (`lifecycle.assign` checks the same)."""
    conditions = [registered_at(Staff.id, place_id) for place_id in set(place_ids)]
    return list(session.scalars(select(Staff).where(
        Staff.role == "agent", Staff.active.is_(True), *conditions).order_by(Staff.name, Staff.username)))
