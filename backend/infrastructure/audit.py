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
from ..models import AuditLog

# Messages and quota are the system's bookkeeping, not staff changes (and a reminder run writes
# a hundred thousand of them).
NOT_AUDITED = {"audit_log", "idempotent_request", "case_sequence", "notification",
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
         changes: dict[str, list]) -> dict:
    return {"at": get_clock().now(), "staff_id": staff_id, "action": action, "entity": entity,
            "entity_key": key[:100], "changes": json.dumps(changes, ensure_ascii=False,
                                                           default=str)}


def record(session: Session, entity: str, key: str, changes: dict[str, list],
           action: str = "update") -> None:
    """Audit a change written with a Core statement, which the session hook cannot see:
    `changes` is {column: [old, new]}."""
    acting, staff_id = _acting(session)
    if acting:
        plain = {column: [_plain(old), _plain(new)] for column, (old, new) in changes.items()}
        session.connection().execute(insert(AuditLog), [_row(staff_id, action, entity, key,
                                                             plain)])


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
    acting, staff_id = _acting(session)
    if not acting:
        return
    rows = []
    for action, objects in (("create", session.new), ("update", session.dirty),
                            ("delete", session.deleted)):
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            if table is None or table in NOT_AUDITED:
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            rows.append(_row(staff_id, action, table, _key(obj), changes))
    if rows:
        # Written on the flush's own connection: same transaction, no new session state.
        session.connection().execute(insert(AuditLog), rows)
