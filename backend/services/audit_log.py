"""The operation log (操作日志) as a person reads it: who (a staff member's name and role, or
系统 for commands and jobs), what (the record's Chinese name and its public identifier), where
(the place it belongs to), and each field changed, by its label, old → new as the admin shows
such values: instants in the halls' time, coded values by their labels, other records by their
names, a schedule's weekdays by name. Personal data stays hidden (***).

Names come from the one vocabulary (services/labels.py); the records a page of entries refers to
are read in one query per kind of record, whatever the number of entries."""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, Date, Table, Time, select
from sqlalchemy.orm import Session

from ..infrastructure.audit import HIDDEN
from ..models import (
    ROLES, AuditLog, Booking, Case, Department, Material, Place, ServiceItem, Slot, Staff,
    Station,
)
from ..models.types import UTCDateTime
from .labels import RECORDS, field_label, record_name, value_labels, weekday_names

SYSTEM_ACTOR = "系统"
EMPTY = "（空）"
UNKNOWN_RECORD = "其他记录"
FORMER_FIELD = "已停用的字段"
# Fields that say nothing to a reader (the row's own key) are left out.
SKIPPED_FIELDS = frozenset({"id"})
# Personal data stored in plain columns (names, phone numbers, WeChat identities): never shown,
# whatever was logged.
PERSONAL_FIELDS = frozenset({
    ("citizen", "openid"), ("citizen", "unionid"), ("citizen", "name"),
    ("service_case", "agreement_openid"), ("service_case", "applicant_name"),
    ("staff", "phone"), ("staff_wechat", "openid"),
})


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str | None  # None for a new record: only the value it was given is shown
    new: str | None  # None for a deleted record


@dataclass(frozen=True)
class LogEntry:
    id: int
    at: datetime
    actor: str
    action: str
    # Whether each change has an old and a new value (an update), or a value only (a new or a
    # deleted record's fields).
    both_values: bool
    record: str
    identifier: str
    place: str | None
    changes: list[FieldChange]

    @property
    def by_system(self) -> bool:
        return self.actor == SYSTEM_ACTOR


def _staff_names(rows) -> dict[int, str]:
    return {i: f"{name}（{ROLES[role]}）" for i, name, role in rows}


def _slot_names(rows) -> dict[int, str]:
    return {i: f"{day} {start:%H:%M}–{end:%H:%M}" for i, day, start, end in rows}


# Other records named in a change (a foreign key's value), by table: the query that reads a
# page's worth of them by id, and how each is named.
_NAMES: dict[str, tuple[Callable[[Iterable[int]], Any], Callable[[Any], dict[int, str]]]] = {
    "staff": (lambda ids: select(Staff.id, Staff.name, Staff.role).where(Staff.id.in_(ids)),
              _staff_names),
    "place": (lambda ids: select(Place.id, Place.name).where(Place.id.in_(ids)), dict),
    "department": (lambda ids: select(Department.id, Department.name)
                   .where(Department.id.in_(ids)), dict),
    "service_item": (lambda ids: select(ServiceItem.id, ServiceItem.name)
                     .where(ServiceItem.id.in_(ids)), dict),
    "material": (lambda ids: select(Material.id, Material.name).where(Material.id.in_(ids)),
                 dict),
    "booking": (lambda ids: select(Booking.id, Booking.code).where(Booking.id.in_(ids)), dict),
    "service_case": (lambda ids: select(Case.id, Case.number).where(Case.id.in_(ids)), dict),
    "slot": (lambda ids: select(Slot.id, Slot.date, Slot.start_time, Slot.end_time)
             .where(Slot.id.in_(ids)), _slot_names),
    "station": (lambda ids: select(Station.id, Place.name + "·" + Department.name)
                .join(Place, Place.id == Station.place_id)
                .join(Department, Department.id == Station.department_id)
                .where(Station.id.in_(ids)), dict),
}
# A citizen is named as one, never by name (personal data).
CITIZEN = "群众"


def log_entries(session: Session, rows: Sequence[AuditLog], zone: ZoneInfo) -> list[LogEntry]:
    """The entries of a page of the log, in its order, as they are read."""
    tables = AuditLog.metadata.tables
    parsed = [(row, _changes(row.changes)) for row in rows]
    wanted: dict[str, set[int]] = defaultdict(set)
    for row, changes in parsed:
        if row.staff_id is not None:
            wanted["staff"].add(row.staff_id)
        if row.place_id is not None:
            wanted["place"].add(row.place_id)
        table = tables.get(row.entity)
        for name, values in changes.items():
            target = _target(table, name)
            if target in _NAMES:
                wanted[target].update(v for v in values if isinstance(v, int))
    names = {target: _NAMES[target][1](session.execute(_NAMES[target][0](ids)).all())
             for target, ids in wanted.items()}
    reader = _Reader(names, zone)
    return [LogEntry(
        id=row.id, at=row.at,
        actor=(names["staff"].get(row.staff_id, f"工作人员（编号 {row.staff_id}）")
               if row.staff_id else SYSTEM_ACTOR),
        action=RECORDS["audit_log"].values["action"].get(row.action, "修改"),
        both_values=row.action not in ("create", "delete"),
        record=record_name(row.entity) or UNKNOWN_RECORD,
        # A record with no public identifier was logged by its row number.
        identifier=f"编号 {row.entity_key}" if row.entity_key.isdigit() else row.entity_key,
        place=names.get("place", {}).get(row.place_id),
        changes=reader.changes(row.entity, tables.get(row.entity), row.action, changes),
    ) for row, changes in parsed]


def _changes(text: str) -> dict[str, list]:
    """An entry's {field: [old, new]}; anything else written there is not a change to show."""
    try:
        changes = json.loads(text)
    except (TypeError, ValueError):
        return {}
    if not isinstance(changes, dict):
        return {}
    return {name: values for name, values in changes.items()
            if isinstance(values, list) and len(values) == 2}


def _target(table: Table | None, name: str) -> str | None:
    """The table a foreign key column refers to."""
    column = table.c.get(name) if table is not None else None
    if column is None or not column.foreign_keys:
        return None
    return next(iter(column.foreign_keys)).column.table.name


class _Reader:
    def __init__(self, names: dict[str, dict[int, str]], zone: ZoneInfo):
        self.names, self.zone = names, zone

    def changes(self, entity: str, table: Table | None, action: str,
                changes: dict[str, list]) -> list[FieldChange]:
        shown = []
        for name, (old, new) in changes.items():
            if name in SKIPPED_FIELDS:
                continue
            label = field_label(entity, name) or FORMER_FIELD
            old_text, new_text = (self.value(entity, table, name, v) for v in (old, new))
            if action == "create":
                shown.append(FieldChange(label, None, new_text))
            elif action == "delete":
                shown.append(FieldChange(label, old_text, None))
            else:
                shown.append(FieldChange(label, old_text, new_text))
        return shown

    def value(self, entity: str, table: Table | None, name: str, value: Any) -> str:
        if value is None:
            return EMPTY
        if value == HIDDEN or (entity, name) in PERSONAL_FIELDS:
            return HIDDEN
        labels = value_labels(entity, name)
        if labels is not None and isinstance(value, (str, int)) and value in labels:
            return labels[value]
        target = _target(table, name)
        if target == "citizen":
            return CITIZEN
        if target is not None:
            known = self.names.get(target, {}).get(value)
            return known or f"{record_name(target) or UNKNOWN_RECORD}（编号 {value}）"
        if entity == "schedule_rule" and name == "weekdays":
            return self._weekdays(value)
        column = table.c.get(name) if table is not None else None
        kind = column.type if column is not None else None
        if isinstance(kind, UTCDateTime):
            return self._instant(value)
        if isinstance(kind, Time):
            return str(value)[:5]
        if isinstance(kind, Date):
            return str(value)[:10]
        if isinstance(kind, Boolean) or isinstance(value, bool):
            return "是" if value else "否"
        return str(value)

    @staticmethod
    def _weekdays(value: Any) -> str:
        try:
            return weekday_names(int(day) for day in str(value).split(","))
        except (KeyError, ValueError):
            return str(value)

    def _instant(self, value: Any) -> str:
        try:
            instant = datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=timezone.utc)
        return instant.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")


