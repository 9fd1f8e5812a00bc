"""The audit log: every change made while a staff member (or the system: a job, a command) is
acting is recorded with who, when, what and old → new, whatever made the change (API, admin,
job, command) and however it was written: ORM changes by one session hook, Core statements
(bulk and conditional UPDATEs) by `record`, which they call with what they changed. A citizen's
own actions (booking, cancelling) are not staff changes and are not audited."""
from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from ..clock import get_clock
from ..models import (
    AgentRegistration, AuditLog, Case, Department, MissingMaterialNotice, Place, Receipt,
    ServiceItem, Staff, Station,
)

# Messages and quota are the system's bookkeeping, not staff changes (and a reminder run writes
# a hundred thousand of them).
NOT_AUDITED = {"audit_log", "idempotent_request", "case_sequence", "ticket_sequence", "notification",
               "subscription_quota"}
HIDDEN = "***"
# The actor of jobs and commands: recorded with no staff member.
SYSTEM = "system"


def act_as(session: Session, actor: int | str | None) -> None:
    """From now on in this session, changes are recorded as made by this staff member (an id),
    by SYSTEM, or (None) not at all."""
    session.info["audit_actor"] = actor


def _acting(session: Session) -> tuple[bool, int | None]:
    """Whether changes are audited now, and the staff member to record."""
    actor = session.info.get("audit_actor")
    return actor is not None, (None if actor == SYSTEM else actor)


def _row(staff_id: int | None, action: str, entity: str, key: str,
         changes: dict[str, list], place_id: int | None) -> dict:
    return {"at": get_clock().now(), "staff_id": staff_id, "action": action, "entity": entity,
            "entity_key": key[:100], "place_id": place_id,
            "changes": json.dumps(changes, ensure_ascii=False, default=str)}


def record(session: Session, entity: str, key: str, changes: dict[str, list],
           action: str = "update", *, place_id: int | None = None) -> None:
    """Audit a change written with a Core statement, which the session hook cannot see:
    `changes` is {column: [old, new]}; `key` is the record's public identifier (a booking's
    code) and `place_id` the place it belongs to."""
    acting, staff_id = _acting(session)
    if acting:
        plain = {column: [_plain(old), _plain(new)] for column, (old, new) in changes.items()}
        session.connection().execute(insert(AuditLog), [_row(staff_id, action, entity, key,
                                                             plain, place_id)])


def _secret(column: str) -> bool:
    # An ID number's blind index is as telling as the number to whoever holds DATA_KEY.
    return (column.endswith("_encrypted") or column.endswith("id_number_key")
            or column == "password_hash")


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return HIDDEN
    return value


def _time(value) -> str:
    return value.strftime("%H:%M") if value is not None else ""


class _Records:
    """The records an audited row refers to, found while its flush is recorded. Rows this flush
    inserted are neither in the session's identity map yet nor lazily loaded, so they are looked
    up among the flush's new objects first; any other row as the session finds it."""

    def __init__(self, session: Session):
        self.session = session
        # Also keeps each record found for the flush: the identity map holds them only weakly,
        # and a flush of a thousand slots would read their place a thousand times.
        self.found = {(type(o), getattr(o, "id", None)): o for o in session.new}

    def get(self, model: type, key: Any) -> Any:
        if (model, key) not in self.found:
            self.found[model, key] = self.session.get(model, key)
        return self.found[model, key]

    def case(self, case_id: int) -> tuple[str, int | None]:
        case = self.get(Case, case_id)
        return case.number, case.place_id

    def at_place(self, place_id: int, rest: str) -> tuple[str, int | None]:
        return f"{self.get(Place, place_id).code} {rest}", place_id


def _registration(records: _Records, o: AgentRegistration) -> tuple[str, int | None]:
    # A village agent's registration has no station, so no department (村代办员).
    department = ("村代办员" if o.station_id is None else records.get(
        Department, records.get(Station, o.station_id).department_id).code)
    return records.at_place(o.place_id, " ".join((department,
                                                  records.get(Staff, o.staff_id).username)))


# How a row is named in the log, by what a person knows it by (a case's number, a booking's
# code, a place's code, a username ...), and the place it belongs to (the log's place filter).
# A row that belongs to a case is named by the case. Rows not listed here are named by their
# number, code or username, else their key.
_IDENTITIES: dict[str, Any] = {
    **{table: lambda records, o: records.case(o.case_id)
       for table in ("case_material", "case_event", "missing_material_notice", "receipt",
                     "department_task", "review", "escalation")},
    "notice_line": lambda records, o: records.case(
        records.get(MissingMaterialNotice, o.notice_id).case_id),
    "receipt_line": lambda records, o: records.case(records.get(Receipt, o.receipt_id).case_id),
    "place": lambda records, o: (o.code, o.id),
    "slot": lambda records, o: records.at_place(o.place_id, f"{o.date} {_time(o.start_time)}"),
    "schedule_rule": lambda records, o: records.at_place(
        o.place_id, f"{_time(o.start_time)}-{_time(o.end_time)}"),
    "rota_entry": lambda records, o: records.at_place(o.place_id, o.date.isoformat()),
    "station": lambda records, o: records.at_place(
        o.place_id, records.get(Department, o.department_id).code),
    "agent_registration": _registration,
    "material": lambda records, o: (f"{records.get(ServiceItem, o.item_id).code} {o.code}", None),
    "announcement": lambda records, o: (o.title, o.place_id),
    "calendar_override": lambda records, o: (o.date.isoformat(), None),
    "calendar_notice": lambda records, o: (str(o.year), None),
    "staff_wechat": lambda records, o: (records.get(Staff, o.staff_id).username, None),
}


def _identity(records: _Records, obj: Any) -> tuple[str, int | None]:
    """(public identifier, place id) of a row being audited."""
    named = _IDENTITIES.get(obj.__tablename__)
    if named is not None:
        return named(records, obj)
    place_id = getattr(obj, "place_id", None)
    for name in ("number", "code", "username"):
        value = getattr(obj, name, None)
        if isinstance(value, str):
            return value, place_id
    return str(inspect(obj).identity[0] if inspect(obj).identity else ""), place_id


def _changes(obj: Any, action: str) -> dict[str, list]:
    state = inspect(obj)
    changes = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if action == "update" and not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else (
            history.unchanged[0] if action == "delete" and history.unchanged else None)
        new = None if action == "delete" else (
            history.added[0] if history.added else (history.unchanged or [None])[0])
        if action == "create" and new is None:
            continue
        if _secret(attr.key):
            old, new = (HIDDEN if old is not None else None), (HIDDEN if new is not None else None)
        changes[attr.key] = [_plain(old), _plain(new)]
    return changes


@event.listens_for(Session, "after_flush")
def _record(session: Session, flush_context) -> None:
    acting, staff_id = _acting(session)
    if not acting:
        return
    rows = []
    records = _Records(session)
    for action, objects in (("create", session.new), ("update", session.dirty),
                            ("delete", session.deleted)):
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            if table is None or table in NOT_AUDITED:
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            key, place_id = _identity(records, obj)
            rows.append(_row(staff_id, action, table, key, changes, place_id))
    if rows:
        # Written on the flush's own connection: same transaction, no new session state.
        session.connection().execute(insert(AuditLog), rows)
