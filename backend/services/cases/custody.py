"""Custody of originals (原件保管): the hall is answerable for the originals it holds. Which
originals it holds for whom is always known (the handover receipts, less the returns); after
completion, termination, withdrawal or rejection they are owed back, and a case whose originals
are not returned within `ORIGINALS_RETURN_DAYS` statutory working days warns its agent and the
place's managers each working day (the `originals-overdue` job) and is listed on the dashboard."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, selectinload

from ...domain.statutory_calendar import StatutoryCalendar
from ...models import ENDED, Case, CaseMaterial, Staff
from .. import notifications, scope
from ..calendar import load_calendar
from .lifecycle import originals_held

# The statuses after which the originals are owed back.
OWED = ("completed", *ENDED)


@dataclass(frozen=True)
class HeldOriginals:
    """A case's originals in the hall's custody: for whom, what, since when they are owed back
    (None while the case is still being worked), the last day to return them, and whether that
    day has passed."""
    case: Case
    materials: list[CaseMaterial]
    owed_since: date | None
    return_by: date | None
    overdue: bool

    @property
    def names(self) -> str:
        return "、".join(f"{cm.material.name}×{cm.received_copies or 1}" for cm in self.materials)


def _held_condition():
    return Case.materials.any(and_(CaseMaterial.received_at.is_not(None),
                                   CaseMaterial.received_original.is_(True),
                                   CaseMaterial.returned_at.is_(None)))


def held(calendar: StatutoryCalendar, case: Case, today: date, tz: tzinfo,
         return_days: int) -> HeldOriginals:
    owed_since = return_by = None
    if case.status in OWED and case.finished_at is not None:
        owed_since = case.finished_at.astimezone(tz).date()
        return_by = calendar.add_working_days(owed_since, return_days)
    return HeldOriginals(case, originals_held(case), owed_since, return_by,
                         return_by is not None and today > return_by)


def originals_in_custody(session: Session, staff: Staff | None, now: datetime,
                         return_days: int, *, overdue_only: bool = False
                         ) -> list[HeldOriginals]:
    """The cases whose originals the hall holds, within what `staff` may see (None: all, for
    the jobs), those owed back first (the longest owed first), then those still being worked."""
    query = select(Case).where(_held_condition()).options(
        selectinload(Case.materials).selectinload(CaseMaterial.material))
    if staff is not None:
        query = query.where(scope.cases(staff))
    if overdue_only:
        query = query.where(Case.status.in_(OWED))
    found = session.scalars(query.order_by(Case.finished_at.is_(None), Case.finished_at,
                                           Case.id)).all()
    calendar = load_calendar(session)
    rows = [held(calendar, case, now.date(), now.tzinfo, return_days) for case in found]
    return [row for row in rows if row.overdue] if overdue_only else rows


def warn_overdue_returns(session: Session, now: datetime, return_days: int) -> int:
    """Each working day, every case whose originals are overdue warns its agent and its place's
    managers (once a day). Returns messages queued."""
    queued = 0
    for row in originals_in_custody(session, None, now, return_days, overdue_only=True):
        case = row.case
        recipients = set(notifications.place_managers(session, case.place_id))
        if case.agent_id is not None:
            recipients.add(case.agent_id)
        queued += notifications.queue_staff_message(
            session, case, "originals_overdue", recipients, now,
            subject=f"case:{case.number}:originals:{now.date().isoformat()}",
            materials=row.names, return_by=row.return_by.isoformat())
    return queued
