"""The demo hall's queue: its windows, and today's tickets lived through the queue's services
from the hall's opening to now (walk-ins taken at the entrance, called, served and finished by
the windows), so that the floor, the call screen and the waiting estimate have a day to show.
Made once a day: a place with walk-in tickets today is left as it is."""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Place, Staff, Ticket, Window
from ..queue import calling, tickets, windows
from ..scope import SYSTEM

# place code → (window code, name, queues, open), and who sits at the open ones
DEMO_WINDOWS = {
    "BS-HALL": [("1", "1号窗口", ["A", "B"], True), ("2", "2号窗口", ["A"], True),
                ("3", "3号窗口", ["B", "C"], True), ("4", "4号窗口", ["C"], False)],
    "BS-CD": [("1", "1号窗口", ["A"], True)],
}
DESK_STAFF = {"BS-HALL": "manager", "BS-CD": "agent3"}
OPENS, CLOSES = time(9, 0), time(17, 0)
# Arrivals a minute at each place, and the items they come for.
ARRIVALS_PER_MINUTE = {"BS-HALL": 0.35, "BS-CD": 0.08}
ITEMS = {"A": ["SB-001", "SB-004", "JY-001", "SB-005"], "B": ["FL-001", "DB-001", "FL-004"],
         "C": ["HJ-001", "SW-001"]}
ELDER_SHARE = 0.15


def seed_windows(session: Session) -> None:
    """The demo's windows, once."""
    for code, desks in DEMO_WINDOWS.items():
        place = session.scalar(select(Place).where(Place.code == code))
        if place is None or session.scalar(select(Window.id).where(Window.place_id == place.id)):
            continue
        for window_code, name, queues, _ in desks:
            windows.save_window(session, SYSTEM, place, window_code, name, queues)


def seed_queue_day(session: Session, now: datetime, seed: int = 7) -> int:
    """Today's tickets up to `now` at the demo places (none on a day the hall is shut: weekends
    and before opening). Returns how many were taken."""
    seed_windows(session)
    calling.close_day(session, now)  # what the day-end job did on the days before
    if now.weekday() >= 5 or now.time() <= OPENS:
        return 0
    rng = random.Random(seed * 1000 + now.date().toordinal())
    taken = 0
    for code, desks in DEMO_WINDOWS.items():
        place = session.scalar(select(Place).where(Place.code == code))
        staff = session.scalar(select(Staff).where(Staff.username == DESK_STAFF[code]))
        if place is None or staff is None or session.scalar(
                select(Ticket.id).where(Ticket.place_id == place.id, Ticket.day == now.date(),
                                        Ticket.channel == "on_site").limit(1)):
            continue
        taken += _live(session, rng, place, staff, desks, now)
    return taken


def _live(session: Session, rng: random.Random, place: Place, staff: Staff, desks: list,
          now: datetime) -> int:
    at = datetime.combine(now.date(), OPENS, now.tzinfo)
    end = min(now, datetime.combine(now.date(), CLOSES, now.tzinfo))
    open_desks = {session.scalar(select(Window.id).where(Window.place_id == place.id,
                                                         Window.code == c)): queues
                  for c, _, queues, is_open in desks if is_open}
    for window_id in open_desks:
        calling.set_open(session, staff, session.get(Window, window_id), True)
    busy_until: dict[int, datetime] = {}
    serving: dict[int, int] = {}
    taken = 0
    while at < end:
        # Who comes this minute.
        if rng.random() < ARRIVALS_PER_MINUTE[place.code]:
            queue = rng.choice(sorted({q for qs in open_desks.values() for q in qs}))
            elder = rng.random() < ELDER_SHARE
            tickets.walk_in(session, staff, place, rng.choice(ITEMS[queue]), None, None,
                            "老年人" if elder else None, at, 60)
            taken += 1
        # Each window finishes what it serves, then calls the next.
        for window_id in open_desks:
            if window_id in serving and busy_until[window_id] <= at:
                calling.finish(session, staff, serving.pop(window_id), at)
            if window_id not in serving:
                called = calling.call_next(session, staff, window_id, at)
                if called is not None:
                    calling.serve(session, staff, called.id, at)
                    serving[window_id] = called.id
                    busy_until[window_id] = at + timedelta(minutes=rng.uniform(4, 16))
        at += timedelta(minutes=1)
    return taken
