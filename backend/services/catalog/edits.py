"""The catalogue changed one entry at a time (the admin): the rota, a place's schedule, stations
and items, each checked by the catalogue file's own rules (backend.services.catalog.file).

Each takes the actor (a staff member, or `scope.SYSTEM` for commands and jobs) and refuses, with
`Forbidden` and before looking at the input, one who may not make the change: the rota and a
place's schedule belong to those who run the place (`scope.require_manages`), stations and items
to the district (`scope.DISTRICT_ADMINS`). A refused call writes nothing."""
from __future__ import annotations

from datetime import date

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from ...errors import FileInvalid, InvalidInput, InvalidState, Problem
from ...models import (
    OPEN, AgentRegistration, Case, Department, DepartmentTask, Place, RotaEntry, ScheduleRule,
    ServiceItem, Staff, Station,
)
from .. import scope
from .file import (
    CATALOGUE_EDITORS_ONLY, ImportResult, _import_schedules, import_catalog, validate_catalog,
)


def add_rota_entry(session: Session, actor: scope.Actor, place: Place, day: date,
                   username: str, today: date) -> RotaEntry:
    """Put an agent on duty at a place on a day, checked as a catalogue file's rota entry is."""
    scope.require_manages(actor, place)
    if day < today:
        raise InvalidInput("只能安排今天及以后的值班", {"date": ["早于今天"]})
    validate_catalog({"rota": [{"place": place.code, "date": day.isoformat(),
                                "agent": username}]}, session)
    staff_id = session.scalar(select(Staff.id).where(Staff.username == username))
    if session.scalar(select(RotaEntry.id).where(RotaEntry.place_id == place.id,
                                                 RotaEntry.date == day,
                                                 RotaEntry.staff_id == staff_id)):
        raise InvalidInput("该人员当天已在此值班", {"agent": [username]})
    entry = RotaEntry(place_id=place.id, date=day, staff_id=staff_id)
    session.add(entry)
    session.flush()
    return entry


def remove_rota_entry(session: Session, actor: scope.Actor, entry: RotaEntry,
                      today: date) -> None:
    """Take an agent off duty; earlier days are history and stay (as on import). Run it through
    `slots.change_and_regenerate`, which withdraws the day's off-hours slots if no one is left."""
    scope.require_manages(actor, entry.place)
    if entry.date < today:
        raise InvalidInput("过去的值班记录不能修改", {"date": ["早于今天"]})
    session.delete(entry)
    session.flush()


def replace_schedules(session: Session, actor: scope.Actor, place: Place,
                      entries: list[dict]) -> ImportResult:
    """A place's whole weekly schedule, as a catalogue file lists it (same checks: shapes and
    overlaps); an empty list closes the place to bookings. Run it through
    `slots.change_and_regenerate`, which makes the place's slots follow."""
    scope.require_manages(actor, place)
    for entry in entries:
        entry["place"] = place.code
    data = validate_catalog({"schedules": entries}, session)
    result = ImportResult()
    if data["schedules"]:
        _import_schedules(session, data["schedules"], {place.code: place}, result)
    else:
        for rule in session.scalars(select(ScheduleRule).where(ScheduleRule.place_id == place.id)):
            session.delete(rule)
            result.deleted["schedules"] += 1
    session.flush()
    return result


def add_station(session: Session, actor: scope.Actor, place_code: str,
                department_code: str) -> Station:
    """Station a department at a place, checked as a catalogue file's station entry is."""
    scope.require_role(actor, scope.DISTRICT_ADMINS, CATALOGUE_EDITORS_ONLY)
    validate_catalog({"stations": [{"place": place_code, "department": department_code}]},
                     session)
    station = session.scalar(select(Station).join(Place).join(Department).where(
        Place.code == place_code, Department.code == department_code))
    if station is not None:
        raise InvalidInput("该部门已在该场所设有站所", {"station": [str(station)]})
    station = Station(place=session.scalar(select(Place).where(Place.code == place_code)),
                      department=session.scalar(select(Department).where(
                          Department.code == department_code)))
    session.add(station)
    session.flush()
    return station


def delete_station(session: Session, actor: scope.Actor, station: Station) -> None:
    """Remove a station no one depends on: its registrations (current or ended: the registry's
    history) and the open cases its department leads or works on there keep it."""
    scope.require_role(actor, scope.DISTRICT_ADMINS, CATALOGUE_EDITORS_ONLY)
    reasons = []
    current, ended = session.execute(
        select(func.count().filter(AgentRegistration.ended_on.is_(None)),
               func.count().filter(AgentRegistration.ended_on.is_not(None)))
        .where(AgentRegistration.station_id == station.id)).one()
    if current:
        reasons.append(f"有 {current} 名帮办代办员在此站所登记备案，请先结束其登记")
    if ended:
        reasons.append(f"有 {ended} 条已结束的登记备案记录，删除会丢失登记历史")
    open_cases = session.scalar(
        select(func.count()).select_from(Case).where(
            Case.place_id == station.place_id, Case.status.in_(OPEN),
            or_(Case.lead_department_id == station.department_id,
                exists().where(DepartmentTask.case_id == Case.id,
                               DepartmentTask.department_id == station.department_id))))
    if open_cases:
        reasons.append(f"该部门在此场所还有 {open_cases} 个未办结的办件")
    if reasons:
        raise InvalidState("该部门站所仍在使用，不能删除", {"station": reasons})
    session.delete(station)
    session.flush()


def create_item(session: Session, actor: scope.Actor, entry: dict) -> ServiceItem:
    """A new service item with its materials, as one catalogue file entry (every problem found
    is listed, a code already in use among them)."""
    scope.require_role(actor, scope.DISTRICT_ADMINS, CATALOGUE_EDITORS_ONLY)
    problems = []
    code = entry.get("code")
    if isinstance(code, str) and session.scalar(select(ServiceItem.id).where(
            ServiceItem.code == code)):
        problems.append(Problem("$.items[0].code", f"事项编码 {code} 已存在"))
    try:
        validate_catalog({"items": [entry]}, session)
    except FileInvalid as exc:
        problems = exc.problems + problems
    if problems:
        raise FileInvalid(problems)
    import_catalog(session, actor, {"items": [entry]})
    return session.scalar(select(ServiceItem).where(ServiceItem.code == code))


def update_item(session: Session, actor: scope.Actor, item: ServiceItem,
                entry: dict) -> ImportResult:
    """An item's new fields and whole list of materials (added, changed, reordered, removed by
    code), as one catalogue file entry; its code stays."""
    return import_catalog(session, actor, {"items": [{**entry, "code": item.code}]})
