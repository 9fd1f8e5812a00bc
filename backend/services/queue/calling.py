"""Calling (叫号) and what a window does with the ticket it called (docs/domain.md "The queue").

| action | from | to |
| --- | --- | --- |
| call next | waiting (the first in `call_order` of the window's queues) | called |
| recall | called (fewer than MAX_CALLS calls) | called, one call more |
| miss | called (MAX_CALLS calls made) | missed |
| put back | missed (once) | waiting, at the end of its queue |
| transfer | waiting, called | waiting in another queue of the place, same number |
| serve | called | serving |
| finish | serving | done |
| close the day | waiting, called (earlier days) → cancelled; serving → done |

Two windows calling at once never get one ticket: the next ticket is claimed by one UPDATE
whose subquery picks it (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so a ticket another window is
claiming is passed over rather than waited for; SQLite runs one write at a time) and that
changes it only while it is still waiting. The same statement asks that the window is open and
holds no ticket; a partial unique index (one called or serving ticket per window) refuses the
second of two calls of one window racing each other. A call is that one statement, its audit
row and the `ticket_soon` look-ahead: a refusal alone reads more, to say why.
"""
from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...errors import InvalidInput, InvalidState, NotFound
from ...infrastructure.audit import record
from ...models import OPEN_TICKET, Place, Queue, Staff, Ticket, Window, window_queue
from .. import notifications, scope
from .order import call_order

MAX_CALLS = 3
# ticket_soon goes to a waiting ticket once this many are ahead of it.
SOON_AHEAD = 3

_t, _w, _wq = Ticket.__table__, Window.__table__, window_queue

_held = _t.alias("held")
_HOLDING = exists().where(_held.c.window_id == bindparam("at_window"),
                          _held.c.status.in_(("called", "serving")))
_WINDOW_OPEN = exists().where(_w.c.id == bindparam("at_window"), _w.c.is_open.is_(True))
_WINDOW_NAME = select(_w.c.name).where(_w.c.id == bindparam("at_window")).scalar_subquery()


# An account's waiting ticket of the queue not told yet (ix_ticket_soon_due).
_SOON_DUE = (select(_t.c.id).where(_t.c.queue_id == bindparam("of_queue"),
                                   _t.c.day == bindparam("on_day"), _t.c.status == "waiting",
                                   _t.c.citizen_id.is_not(None), _t.c.soon_notified.is_(False))
             .limit(1))


def _claim(postgresql: bool):
    candidate = (select(_t.c.id)
                 .where(_t.c.queue_id.in_(select(_wq.c.queue_id)
                                          .where(_wq.c.window_id == bindparam("at_window"))),
                        _t.c.day == bindparam("on_day"), _t.c.status == "waiting")
                 .order_by(*call_order(bindparam("now")))
                 .limit(1))
    if postgresql:
        candidate = candidate.with_for_update(skip_locked=True)
    return (update(_t).where(_t.c.id == candidate.scalar_subquery(), _t.c.status == "waiting",
                             _WINDOW_OPEN, ~_HOLDING)
            .values(status="called", window_id=bindparam("at_window"),
                    called_at=bindparam("now"), call_count=1)
            .returning(_t.c.id, _t.c.number, _t.c.queue_id, _t.c.place_id,
                       _WINDOW_NAME.label("window_name")))


_CLAIM = {True: _claim(True), False: _claim(False)}


def window_for(session: Session, staff: Staff, window_id: int) -> Window:
    """A window of the staff member's places, for them to act at."""
    window = session.scalar(select(Window).where(Window.id == window_id,
                                                 scope.in_own_places(staff, Window.place_id)))
    if window is None:
        raise NotFound("未找到该窗口", {"window": window_id})
    scope.require_role(staff, scope.CASE_WORKERS, "督查人员不能叫号")
    return window


def set_open(session: Session, staff: Staff, window: Window, is_open: bool) -> Window:
    """Open the window (whoever opens it sits at it) or close it (it must hold no ticket)."""
    if not is_open and current_ticket(session, window) is not None:
        raise InvalidState("请先办结或处理当前的号再关闭窗口")
    window.is_open = is_open
    if is_open:
        window.staff_id = staff.id
    session.flush()
    return window


def current_ticket(session: Session, window: Window) -> Ticket | None:
    return session.scalar(select(Ticket).where(Ticket.window_id == window.id,
                                               Ticket.status.in_(("called", "serving")))
                          .order_by(Ticket.called_at.desc()).limit(1))


class Called(NamedTuple):
    """The ticket a window called, as the window says it."""
    id: int
    number: str
    window_name: str


def call_next(session: Session, staff: Staff, window_id: int, now: datetime) -> Called | None:
    """The window calls the next ticket of its queues; None: nobody is waiting."""
    scope.require_role(staff, scope.CASE_WORKERS, "督查人员不能叫号")
    conn = session.connection()
    params = {"at_window": window_id, "on_day": now.date(), "now": now}
    try:
        claimed = conn.execute(_CLAIM[conn.dialect.name == "postgresql"], params).one_or_none()
    except IntegrityError:  # the same window's other call won the race
        raise InvalidState("请先办结、转办或标记过号当前的号")
    if claimed is None:
        window = window_for(session, staff, window_id)
        if not window.is_open:
            raise InvalidState("窗口未开放，请先开窗")
        if conn.execute(select(_HOLDING), params).scalar():
            raise InvalidState("请先办结、转办或标记过号当前的号")
        return None
    if not scope.sees_every_place(staff) and claimed.place_id not in staff.place_ids:
        # Another place's window: as if it did not exist (the unit of work undoes the claim).
        raise NotFound("未找到该窗口", {"window": window_id})
    record(session, "ticket", claimed.number, {"status": ["waiting", "called"],
                                               "window_id": [None, window_id]},
           place_id=claimed.place_id)
    _tell_the_soon(session, claimed.queue_id, now)
    return Called(claimed.id, claimed.number, claimed.window_name)


def _tell_the_soon(session: Session, queue_id: int, now: datetime) -> None:
    """`ticket_soon`, once, to the holders of the queue's waiting tickets with SOON_AHEAD or
    fewer ahead of them. Most calls find no account's ticket still to tell in the queue (a
    probe of a small partial index) and read no further."""
    if not session.execute(_SOON_DUE, {"of_queue": queue_id, "on_day": now.date()}).first():
        return
    first = session.execute(
        select(_t.c.id, _t.c.citizen_id, _t.c.soon_notified)
        .where(_t.c.queue_id == queue_id, _t.c.day == now.date(), _t.c.status == "waiting")
        .order_by(*call_order(now)).limit(SOON_AHEAD + 1)).all()
    due = [row.id for row in first if row.citizen_id is not None and not row.soon_notified]
    if not due:
        return
    tickets = session.scalars(select(Ticket).where(Ticket.id.in_(due))).all()
    for ticket in tickets:
        ticket.soon_notified = True
    ahead = {row.id: i for i, row in enumerate(first)}
    notifications.queue_ticket_soon(session, [(t, ahead[t.id]) for t in tickets], now)


def _ticket_at(session: Session, staff: Staff, ticket_id: int) -> Ticket:
    ticket = session.scalar(select(Ticket).where(Ticket.id == ticket_id,
                                                 scope.in_own_places(staff, Ticket.place_id))
                            .with_for_update())
    if ticket is None:
        raise NotFound("未找到该号", {"ticket": ticket_id})
    scope.require_role(staff, scope.CASE_WORKERS, "督查人员不能处理排队号")
    session.refresh(ticket)
    return ticket


def _require(ticket: Ticket, *statuses: str, acting: str) -> None:
    if ticket.status not in statuses:
        raise InvalidState(f"该号{ticket.status_label}，不能{acting}", {"status": ticket.status})


def recall(session: Session, staff: Staff, ticket_id: int, now: datetime) -> Ticket:
    ticket = _ticket_at(session, staff, ticket_id)
    _require(ticket, "called", acting="再次叫号")
    if ticket.call_count >= MAX_CALLS:
        raise InvalidState(f"已叫号{MAX_CALLS}次，请标记过号")
    ticket.call_count += 1
    ticket.called_at = now
    session.flush()
    return ticket


def miss(session: Session, staff: Staff, ticket_id: int, now: datetime) -> Ticket:
    """Three calls unanswered: the ticket is missed (过号)."""
    ticket = _ticket_at(session, staff, ticket_id)
    _require(ticket, "called", acting="标记过号")
    if ticket.call_count < MAX_CALLS:
        raise InvalidState(f"叫号{MAX_CALLS}次无人应答才能标记过号（已叫{ticket.call_count}次）")
    ticket.status, ticket.missed_at = "missed", now
    session.flush()
    return ticket


def put_back(session: Session, staff: Staff, ticket_id: int, now: datetime) -> Ticket:
    """A missed ticket goes back to its queue once, at the end (its holder came back)."""
    ticket = _ticket_at(session, staff, ticket_id)
    _require(ticket, "missed", acting="重新排队")
    if ticket.day != now.date():
        raise InvalidState("只能为当天的号重新排队")
    if ticket.requeued:
        raise InvalidState("过号只能重新排队一次")
    ticket.status, ticket.requeued, ticket.order_at = "waiting", True, now
    ticket.window_id, ticket.call_count, ticket.called_at, ticket.green = None, 0, None, False
    ticket.slot_start = None
    session.flush()
    return ticket


def transfer(session: Session, staff: Staff, ticket_id: int, queue_code: str,
             now: datetime) -> Ticket:
    """To another queue of the place, keeping the number and its place in the order (its
    time taken), waiting there."""
    ticket = _ticket_at(session, staff, ticket_id)
    _require(ticket, "waiting", "called", acting="转办")
    queue = session.scalar(select(Queue).where(Queue.place_id == ticket.place_id,
                                               Queue.code == (queue_code or "").strip()))
    if queue is None:
        raise InvalidInput("未找到该队列", {"queue": [f"本场所没有队列 {queue_code}"]})
    if queue.id == ticket.queue_id:
        raise InvalidInput("已在该队列中", {"queue": ["请选择其他队列"]})
    ticket.queue = queue
    ticket.status, ticket.window_id, ticket.call_count, ticket.called_at = "waiting", None, 0, None
    ticket.green = ticket.green and queue.green_channel
    session.flush()
    return ticket


def serve(session: Session, staff: Staff, ticket_id: int, now: datetime) -> Ticket:
    ticket = _ticket_at(session, staff, ticket_id)
    _require(ticket, "called", acting="开始办理")
    ticket.status, ticket.serving_at = "serving", now
    session.flush()
    return ticket


def finish(session: Session, staff: Staff, ticket_id: int, now: datetime) -> Ticket:
    ticket = _ticket_at(session, staff, ticket_id)
    _require(ticket, "serving", acting="办结")
    ticket.status, ticket.done_at = "done", now
    session.flush()
    return ticket


def close_day(session: Session, now: datetime) -> int:
    """Tickets of earlier days still open close: those never served are cancelled by the day's
    end, one being served is done. Safe to run twice (only open tickets are touched); each
    closing is audited as whoever runs it (the system, for the job)."""
    closed = 0
    for status, values in (("serving", {"status": "done", "done_at": now}),
                           ("called", {"status": "cancelled", "cancelled_at": now}),
                           ("waiting", {"status": "cancelled", "cancelled_at": now})):
        rows = session.execute(
            update(Ticket).where(Ticket.day < now.date(), Ticket.status == status)
            .values(closed_at_day_end=True, **values)
            .returning(Ticket.number, Ticket.place_id)
            .execution_options(synchronize_session=False)).all()
        for number, place_id in rows:
            record(session, "ticket", number, {"status": [status, values["status"]],
                                               "closed_at_day_end": [False, True]},
                   place_id=place_id)
        closed += len(rows)
    return closed


def floor(session: Session, staff: Staff, place: Place) -> list[Window]:
    """The place's windows, for the floor's live view."""
    return list(session.scalars(select(Window).where(Window.place_id == place.id)
                                .order_by(Window.code)))


__all__ = ["Called", "MAX_CALLS", "OPEN_TICKET", "call_next", "close_day", "current_ticket", "finish",
           "floor", "miss", "put_back", "recall", "serve", "set_open", "transfer", "window_for"]
