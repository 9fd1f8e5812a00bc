"""The audit log: every change made while a staff member is acting is recorded with who,
when, what and old → new, by one session hook, whatever made the change (API or admin)."""
from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from .clock import get_clock
from .models import AuditLog

NOT_AUDITED = {"audit_log", "idempotent_request", "case_sequence"}
HIDDEN = "***"


def act_as(session: Session, staff_id: int | None) -> None:
    """From now on in this session, changes are recorded as made by this staff member."""
    session.info["audit_staff_id"] = staff_id


def act_from_command_line(session: Session, active: bool = True) -> None:
    """Changes made by an administrator's command (`flask ...`): recorded with no staff member."""
    session.info["audit_command_line"] = active
    session.info["audit_staff_id"] = None


def _secret(column: str) -> bool:
    return column.endswith("_encrypted") or column == "password_hash"


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return HIDDEN
    return value


def _key(obj: Any) -> str:
    for name in ("number", "code", "username"):
        value = getattr(obj, name, None)
        if isinstance(value, str):
            return value
    return str(inspect(obj).identity[0] if inspect(obj).identity else "")


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
    staff_id = session.info.get("audit_staff_id")
    if staff_id is None and not session.info.get("audit_command_line"):
        return
    rows = []
    now = get_clock().now()
    for action, objects in (("create", session.new), ("update", session.dirty),
                            ("delete", session.deleted)):
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            if table is None or table in NOT_AUDITED:
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            rows.append({"at": now, "staff_id": staff_id, "action": action, "entity": table,
                         "entity_key": _key(obj)[:100],
                         "changes": json.dumps(changes, ensure_ascii=False, default=str)})
    if rows:
        # Written on the flush's own connection: same transaction, no new session state.
        session.connection().execute(insert(AuditLog), rows)
