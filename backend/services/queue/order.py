"""The calling order: one sort key (as ZMS's QueueList has one), in SQL for the claim and in
Python for `ahead`. The green channel first, then tickets of bookings whose slot has begun (or
is past), then first come, first served by `order_at` (the moment the ticket was taken, or put
back at the end of its queue); the ticket's id breaks ties."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case

from ...models import Ticket

_t = Ticket.__table__.c


def call_order(now: Any) -> tuple:
    """ORDER BY terms over the ticket table; `now` a datetime or a bound parameter."""
    due = case((and_(_t.slot_start.is_not(None), _t.slot_start <= now), 0), else_=1)
    return (_t.green.desc(), due, _t.order_at, _t.id)


def order_key(ticket: Any, now: datetime) -> tuple:
    """The same order for a loaded ticket (or a row with those columns)."""
    due = ticket.slot_start is not None and ticket.slot_start <= now
    return (not ticket.green, not due, ticket.order_at, ticket.id)
