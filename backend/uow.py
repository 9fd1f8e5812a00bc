"""The unit of work: the one place that commits. The API's requests, the admin's actions, the
commands and the jobs each run their work inside one; services only flush, and never commit or
roll back their caller's work.

    with unit_of_work(actor=SYSTEM) as session:
        mark_no_shows(session, now, rules)

The block's changes are committed together when it ends normally and rolled back when it
raises (the exception goes on). `actor` names who the audit log records for the block (a staff
member's id, `audit.SYSTEM`, or None for a citizen's own actions); left out, the session's
current actor stays.

`preview(call)` runs a call the same way in a unit of work that always rolls back: what the
call would do (a result to show, a refusal raised as it would be), nothing of it kept."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

from sqlalchemy.orm import Session

from .extensions import db
from .infrastructure.audit import act_as

_KEEP = object()
T = TypeVar("T")


@contextmanager
def unit_of_work(session: Session | None = None, *, actor=_KEEP,
                 rollback: bool = False) -> Iterator[Session]:
    """`rollback=True`: the block's changes are rolled back even when it ends normally."""
    session = session if session is not None else db.session
    previous = session.info.get("audit_actor")
    if actor is not _KEEP:
        act_as(session, actor)
    try:
        yield session
        if rollback:
            session.rollback()
        else:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        act_as(session, previous)


def preview(call: Callable[[Session], T], session: Session | None = None, *,
            actor=_KEEP) -> T:
    """What `call(session)` would do, run in full in a unit of work that then rolls back."""
    with unit_of_work(session, actor=actor, rollback=True) as session:
        return call(session)
