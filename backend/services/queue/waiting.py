"""The waiting time (docs/domain.md "The queue"): per queue, people ahead × the recent average
service time ÷ the windows open serving the queue. The average is learnt from today's last
served tickets of the queue (serving → done); before any is served, the queue's standard
service time stands in. ZMS divides a configured average by the staffed workstations instead;
bench/queue.py measures both against simulated days."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Queue, Ticket, Window, window_queue
from .order import order_key

# How many of today's last served tickets the average reads.
RECENT_SERVED = 10


def estimate_minutes(ahead: int, average_minutes: float, windows_open: int) -> float | None:
    """The estimate itself; None when no window serves the queue (nobody can say)."""
    if windows_open <= 0:
        return None
    return ahead * average_minutes / windows_open


def whole_minutes(minutes: float | None) -> int | None:
    return None if minutes is None else int(math.ceil(minutes - 1e-9))


def recent_service_minutes(session: Session, queue: Queue, day: date) -> float:
    """The mean service time of the queue's last RECENT_SERVED tickets done today, in minutes;
    the queue's standard time when none is done yet."""
    rows = session.execute(
        select(Ticket.serving_at, Ticket.done_at)
        .where(Ticket.queue_id == queue.id, Ticket.day == day, Ticket.status == "done",
               Ticket.serving_at.is_not(None), Ticket.done_at.is_not(None))
        .order_by(Ticket.done_at.desc(), Ticket.id.desc()).limit(RECENT_SERVED)).all()
    if not rows:
        return float(queue.service_minutes)
    return sum((done - serving).total_seconds() for serving, done in rows) / 60 / len(rows)


def windows_open(session: Session, queue_ids: list[int]) -> dict[int, int]:
    """Open windows serving each queue."""
    if not queue_ids:
        return {}
    counts = dict(session.execute(
        select(window_queue.c.queue_id, func.count(Window.id))
        .join(Window, Window.id == window_queue.c.window_id)
        .where(window_queue.c.queue_id.in_(queue_ids), Window.is_open.is_(True))
        .group_by(window_queue.c.queue_id)).all())
    return {queue_id: counts.get(queue_id, 0) for queue_id in queue_ids}


@dataclass(frozen=True)
class QueueState:
    code: str
    name: str
    waiting: int
    windows_open: int
    average_minutes: float
    estimated_wait_minutes: int | None


def queue_states(session: Session, place_id: int, now: datetime) -> list[QueueState]:
    """Each queue of the place: who waits, the windows serving it, the wait a newcomer faces."""
    queues = session.scalars(select(Queue).where(Queue.place_id == place_id)
                             .order_by(Queue.code)).all()
    day = now.date()
    waiting = dict(session.execute(
        select(Ticket.queue_id, func.count(Ticket.id))
        .where(Ticket.place_id == place_id, Ticket.day == day, Ticket.status == "waiting")
        .group_by(Ticket.queue_id)).all())
    serving = windows_open(session, [q.id for q in queues])
    states = []
    for queue in queues:
        average = recent_service_minutes(session, queue, day)
        count = waiting.get(queue.id, 0)
        states.append(QueueState(
            queue.code, queue.name, count, serving[queue.id], average,
            whole_minutes(estimate_minutes(count, average, serving[queue.id]))))
    return states


@dataclass(frozen=True)
class Position:
    ahead: int | None
    estimated_wait_minutes: int | None


def positions(session: Session, tickets: list[Ticket], now: datetime) -> dict[int, Position]:
    """Where each waiting ticket stands: how many of its queue are called before it, and the
    wait that makes. Other tickets have neither."""
    found: dict[int, Position] = {}
    by_queue: dict[int, list[Ticket]] = {}
    for ticket in tickets:
        if ticket.status == "waiting":
            by_queue.setdefault(ticket.queue_id, []).append(ticket)
        else:
            found[ticket.id] = Position(None, None)
    serving = windows_open(session, list(by_queue))
    for queue_id, mine in by_queue.items():
        day = mine[0].day
        queue = session.get(Queue, queue_id)
        others = session.execute(
            select(Ticket.id, Ticket.green, Ticket.slot_start, Ticket.order_at)
            .where(Ticket.queue_id == queue_id, Ticket.day == day,
                   Ticket.status == "waiting")).all()
        keys = sorted(order_key(row, now) for row in others)
        average = recent_service_minutes(session, queue, day)
        for ticket in mine:
            key = order_key(ticket, now)
            ahead = sum(1 for other in keys if other < key)
            found[ticket.id] = Position(ahead, whole_minutes(
                estimate_minutes(ahead, average, serving[queue_id])))
    return found


class Placed:
    """A ticket with where it stands (`positions`), as an answer shows it."""

    def __init__(self, ticket: Ticket, position: Position):
        self._ticket = ticket
        self.ahead = position.ahead
        self.estimated_wait_minutes = position.estimated_wait_minutes

    def __getattr__(self, name: str):
        return getattr(self._ticket, name)


def placed(session: Session, tickets: list[Ticket], now: datetime) -> list[Placed]:
    found = positions(session, tickets, now)
    return [Placed(ticket, found[ticket.id]) for ticket in tickets]
