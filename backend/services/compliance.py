"""The registry's compliance gaps (seed 二(二)1): every department stationed in a place names a
registered helper, and every area with self-service devices has a helper on duty.

- A station with no current registration (`ended_on IS NULL`) of an active agent.
- A self-service place (`Place.self_service_devices`) with nobody on its rota on a working day of the
  coming days: the rota is where a place says who is on duty on a date.
- An agent currently registered at a place who has never been on that place's rota.
- An active agent or guide of a place without a current training record (TRAINING_VALID_DAYS).
- A place manager's registration proposal waiting for the district office.
- An active agent or guide who has not acknowledged the current service language (服务规范用语).

District admins and inspectors see the whole district, place managers their places; agents are
refused.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from ..errors import Forbidden
from ..models import (
    ROLES, AgentRegistration, Department, Place, RegistrationProposal, RotaEntry, ServiceLanguageAck,
    Staff, Station, staff_place,
)
from . import scope
from .calendar import load_calendar
from .training import current_service_language, has_current_training


@dataclass(frozen=True)
class StationGap:
    place_code: str
    place_name: str
    department_code: str
    department_name: str


@dataclass(frozen=True)
class SelfServiceGap:
    place_code: str
    place_name: str
    dates: list[date]  # working days with nobody on the rota


@dataclass(frozen=True)
class AgentOffRota:
    place_code: str
    place_name: str
    username: str
    name: str
    department_name: str | None


@dataclass(frozen=True)
class StaffGap:
    """A staff member of a place who lacks something (training, the acknowledgement)."""
    place_code: str
    place_name: str
    username: str
    name: str
    role_label: str


@dataclass(frozen=True)
class ProposalWaiting:
    id: int
    place_name: str
    department_name: str | None  # None: a village agent at its village point
    username: str
    name: str
    proposed_by: str


@dataclass(frozen=True)
class ComplianceGaps:
    # The working days checked for self-service areas: from `start` to `end` inclusive.
    start: date
    end: date
    stations_without_agent: list[StationGap]
    self_service_unstaffed: list[SelfServiceGap]
    agents_never_on_rota: list[AgentOffRota]
    untrained: list[StaffGap] = ()
    proposals_waiting: list[ProposalWaiting] = ()
    # The current service language's version (None: none published yet), and who has not
    # acknowledged it.
    service_language_version: int | None = None
    not_acknowledged: list[StaffGap] = ()

    @property
    def count(self) -> int:
        return (len(self.stations_without_agent) + len(self.self_service_unstaffed)
                + len(self.agents_never_on_rota) + len(self.untrained)
                + len(self.proposals_waiting) + len(self.not_acknowledged))


def _current_registration(station_id) -> object:
    """A current registration at the station, or, at a village point, its village agent's (the
    村代办员 serves every department stationed there)."""
    at_station = or_(AgentRegistration.station_id == station_id,
                     and_(AgentRegistration.station_id.is_(None),
                          AgentRegistration.place_id == Station.place_id,
                          Place.level == "village"))
    return exists().where(at_station, AgentRegistration.ended_on.is_(None),
                          Staff.id == AgentRegistration.staff_id, Staff.active.is_(True))


def compliance_gaps(session: Session, staff: Staff, today: date, days: int = 14) -> ComplianceGaps:
    """The gaps in what `staff` may see; self-service areas are checked from today for `days`
    days (the booking window, for which the rota is planned)."""
    if staff.role not in scope.OVERSEERS:
        raise Forbidden(f"{staff.role_label}不能查看登记备案缺口")
    in_scope = scope.in_own_places(staff, Place.id)

    stations = [StationGap(*row) for row in session.execute(
        select(Place.code, Place.name, Department.code, Department.name)
        .select_from(Station).join(Place, Place.id == Station.place_id)
        .join(Department, Department.id == Station.department_id)
        .where(in_scope, ~_current_registration(Station.id))
        .order_by(Place.code, Department.code))]

    calendar = load_calendar(session)
    end = today + timedelta(days=days - 1)
    working_days = [today + timedelta(days=i) for i in range(days)
                    if calendar.is_working_day(today + timedelta(days=i))]
    self_service = session.execute(select(Place.id, Place.code, Place.name).where(
        in_scope, Place.self_service_devices.is_(True)).order_by(Place.code)).all()
    staffed = set(session.execute(
        select(RotaEntry.place_id, RotaEntry.date).join(Staff, Staff.id == RotaEntry.staff_id)
        .where(RotaEntry.place_id.in_([p.id for p in self_service] or [-1]),
               RotaEntry.date >= today, RotaEntry.date <= end, Staff.active.is_(True))
        .distinct()))
    unstaffed = []
    for place in self_service:
        missing = [d for d in working_days if (place.id, d) not in staffed]
        if missing:
            unstaffed.append(SelfServiceGap(place.code, place.name, missing))

    never_on_rota = exists().where(RotaEntry.place_id == AgentRegistration.place_id,
                                   RotaEntry.staff_id == AgentRegistration.staff_id)
    off_rota = [AgentOffRota(*row) for row in session.execute(
        select(Place.code, Place.name, Staff.username, Staff.name, Department.name)
        .select_from(AgentRegistration)
        .join(Place, Place.id == AgentRegistration.place_id)
        .outerjoin(Station, Station.id == AgentRegistration.station_id)
        .outerjoin(Department, Department.id == Station.department_id)
        .join(Staff, Staff.id == AgentRegistration.staff_id)
        .where(in_scope, AgentRegistration.ended_on.is_(None), Staff.active.is_(True),
               ~never_on_rota)
        .order_by(Place.code, Staff.username))]
    trained_roles = sorted(scope.TRAINED_STAFF)
    serving = (select(Place.code, Place.name, Staff.username, Staff.name, Staff.role)
               .select_from(Staff).join(staff_place, staff_place.c.staff_id == Staff.id)
               .join(Place, Place.id == staff_place.c.place_id)
               .where(in_scope, Staff.active.is_(True), Staff.role.in_(trained_roles))
               .order_by(Place.code, Staff.username))
    untrained = [_staff_gap(row) for row in session.execute(
        serving.where(~has_current_training(Staff.id, today)))]
    waiting = [ProposalWaiting(*row) for row in session.execute(
        select(RegistrationProposal.id, Place.name, Department.name, Staff.username, Staff.name,
               RegistrationProposal.proposed_by_id)
        .select_from(RegistrationProposal)
        .join(Place, Place.id == RegistrationProposal.place_id)
        .outerjoin(Station, Station.id == RegistrationProposal.station_id)
        .outerjoin(Department, Department.id == Station.department_id)
        .join(Staff, Staff.id == RegistrationProposal.staff_id)
        .where(in_scope, RegistrationProposal.status == "pending")
        .order_by(RegistrationProposal.proposed_at, RegistrationProposal.id))]
    proposers = {s.id: str(s) for s in session.scalars(select(Staff).where(
        Staff.id.in_({w.proposed_by for w in waiting} or {-1})))}
    waiting = [ProposalWaiting(w.id, w.place_name, w.department_name, w.username, w.name,
                               proposers.get(w.proposed_by, "")) for w in waiting]
    document = current_service_language(session)
    unacknowledged = []
    if document is not None:
        acknowledged = exists().where(ServiceLanguageAck.staff_id == Staff.id,
                                      ServiceLanguageAck.service_language_id == document.id)
        unacknowledged = [_staff_gap(row) for row in session.execute(serving.where(~acknowledged))]
    return ComplianceGaps(today, end, stations, unstaffed, _dedupe(off_rota), untrained, waiting,
                          document.version if document else None, unacknowledged)


def _staff_gap(row) -> StaffGap:
    place_code, place_name, username, name, role = row
    return StaffGap(place_code, place_name, username, name, ROLES[role])


def _dedupe(rows: list[AgentOffRota]) -> list[AgentOffRota]:
    """An agent registered at two stations of one place is listed once for that place."""
    seen, result = set(), []
    for row in rows:
        if (row.place_code, row.username) not in seen:
            seen.add((row.place_code, row.username))
            result.append(row)
    return result
