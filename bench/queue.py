#!/usr/bin/env python3
"""The hall's queue on PostgreSQL: windows calling at once, and the waiting-time estimate.

Run from the repository root:

    .venv/bin/python bench/queue.py                                 # 50 windows, 5,000 tickets
    .venv/bin/python bench/queue.py --windows 50 --tickets 5000 --days 8
    .venv/bin/python bench/queue.py --help

1. Setup: drops and re-creates the database of ``--database-url`` (default
   ``postgresql+psycopg://postgres@127.0.0.1:5432/bench_queue``), runs the migrations, imports a
   place with ten queues (A to J: a ticket number has three digits, so 5,000 tickets of one day
   need several queues), and ``--windows`` open windows each calling from every queue.
   ``--tickets`` walk-in tickets are inserted with SQL (a tenth of them in the green channel),
   spread evenly over the queues.
2. Calling, ``--windows`` threads at once, each its own window and database connection,
   released together; every thread calls until nobody waits. One step of a thread is a call
   and, to free its window for the next one, the same bare ``UPDATE ... SET status = 'done'``
   in both runs; each is committed:
   - product: ``calling.call_next`` (the window's scoped lookup, the window's row, the claim
     with ``FOR UPDATE SKIP LOCKED``, the audit row, the ``ticket_soon`` look-ahead), audited
     as the window's staff member;
   - bare: one ``UPDATE ticket ... WHERE id = (SELECT ... ORDER BY ... LIMIT 1 FOR UPDATE SKIP
     LOCKED) RETURNING id`` in the same calling order.
   The runs alternate product, bare, bare, product over the same 5,000 tickets (reset to
   waiting between runs), so that a change in the machine's other load hits both alike. Each
   run reports calls per second, tickets called twice (0 expected) and tickets left behind
   (0 expected: skipped); then the ratio product / bare (goal >= 0.5).
3. The waiting-time estimate against simulated days, through the product's own services with
   an injected clock: walk-ins arrive (Poisson, about 90 % of the windows' capacity), three
   windows call, serve and finish (service times lognormal around a mean that differs from the
   queue's configured standard time by a factor drawn per day between 0.6 and 1.6: configured
   averages go stale). At each arrival the ticket's ``estimated_wait_minutes`` is read as the
   API answers it (``waiting.positions``: ahead × today's recent average ÷ open windows) beside
   the ZMS-style estimate (ahead × the configured average ÷ open windows, rounded up the same
   way); when it is called, its real wait is known. Prints the mean absolute error of both, in
   minutes, over ``--days`` days, and by how much the learnt one beats the configured one.
4. Drops the database unless ``--keep``.

The threads share the machine (two cores here) with PostgreSQL: absolute figures are this
machine's; the ratio is the point. The machine's load is printed before and after.
"""
from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on the path, where this file would stand in
# for the standard library's `queue` (which redis and SQLAlchemy's pool import): take it off.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]

import argparse
import math
import random
import statistics
import threading
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import drop_database, recreate_database  # noqa: E402
from bench.load import print_load  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_queue"
TZ = ZoneInfo("Asia/Shanghai")
QUEUES = "ABCDEFGHIJ"
DATA_KEY = "nZ0fQxHoZ3Jr9ySIAoLzK6bwZ7G6mVGc2nE5l3Q2b1A="

BARE_CLAIM = sa.text("""
    UPDATE ticket SET status = 'called', window_id = :window_id, called_at = :now, call_count = 1
    WHERE id = (SELECT id FROM ticket
                WHERE queue_id = ANY(:queues) AND day = :day AND status = 'waiting'
                ORDER BY green DESC,
                         CASE WHEN slot_start IS NOT NULL AND slot_start <= :now THEN 0 ELSE 1 END,
                         order_at, id
                LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id""")
FINISH = sa.text("UPDATE ticket SET status = 'done', done_at = :now WHERE id = :id")


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default=DEFAULT_URL)
    p.add_argument("--windows", type=int, default=50)
    p.add_argument("--tickets", type=int, default=5000)
    p.add_argument("--days", type=int, default=8, help="simulated days for the estimate")
    p.add_argument("--seed", type=int, default=23)
    p.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return p.parse_args(argv)


def catalogue(prefix: str, queue_codes: str, service_minutes: int) -> dict:
    return {
        "places": [{"code": prefix, "name": "压测大厅", "level": "district"}],
        "departments": [{"code": "BENCH-DEPT", "name": "压测部门"}],
        "stations": [{"place": prefix, "department": "BENCH-DEPT"}],
        "items": [{"code": "BENCH-ITEM", "name": "压测事项", "department": "BENCH-DEPT",
                   "category": "压测", "commitment_days": 5, "help_types": ["assist"],
                   "places": [prefix], "materials": []}],
        "queues": [{"place": prefix, "code": code, "name": f"队列{code}", "items": ["BENCH-ITEM"],
                    "service_minutes": service_minutes} for code in queue_codes],
    }


def setup_calling(session, args, now: datetime):
    from backend.models import Place, Queue, Ticket, Window
    from backend.services.catalog import import_catalog
    from backend.services.scope import SYSTEM
    from backend.services.staff import create_staff

    import_catalog(session, SYSTEM, catalogue("BENCH-HALL", QUEUES, 10))
    place = session.scalar(sa.select(Place).where(Place.code == "BENCH-HALL"))
    staff = create_staff(session, SYSTEM, username="bench-desk", password="Bench#desk-2026-x",
                         role="place_manager", name="压测窗口", place_codes=["BENCH-HALL"], now=now)
    queues = session.scalars(sa.select(Queue).where(Queue.place_id == place.id)
                             .order_by(Queue.code)).all()
    windows = [Window(place=place, code=str(n), name=f"{n}号窗口", is_open=True, staff=staff,
                      queues=list(queues)) for n in range(1, args.windows + 1)]
    session.add_all(windows)
    session.flush()
    rows = []
    for i in range(args.tickets):
        queue = queues[i % len(queues)]
        sequence = i // len(queues) + 1
        at = now - timedelta(seconds=args.tickets - i)
        rows.append({"place_id": place.id, "queue_id": queue.id, "day": now.date(),
                     "sequence": sequence, "number": f"{queue.code}{sequence:03d}",
                     "channel": "on_site", "status": "waiting", "green": i % 10 == 0,
                     "order_at": at, "created_at": at, "call_count": 0})
    session.execute(sa.insert(Ticket), rows)
    session.commit()
    return staff.id, [w.id for w in windows], [q.id for q in queues]


def reset(engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE ticket SET status = 'waiting', window_id = NULL, "
                             "called_at = NULL, call_count = 0, done_at = NULL"))
        conn.execute(sa.text("DELETE FROM audit_log WHERE entity = 'ticket'"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE ticket"))


def run_threads(app, engine, window_ids, step) -> tuple[float, list[int]]:
    """Every window's thread calls until nobody waits; the wall time and the ids called."""
    barrier = threading.Barrier(len(window_ids) + 1)
    called: list[list[int]] = [[] for _ in window_ids]
    errors: list[BaseException] = []

    def work(i: int, window_id: int) -> None:
        with app.app_context():
            try:
                step_for = step(window_id)
                barrier.wait()
                while True:
                    got = step_for()
                    if got is None:
                        return
                    called[i].append(got)
            except BaseException as exc:  # reported after the run
                errors.append(exc)
                barrier.abort()

    threads = [threading.Thread(target=work, args=(i, w)) for i, w in enumerate(window_ids)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return elapsed, [ticket for got in called for ticket in got]


def product_step(engine, staff_id: int, now: datetime):
    from sqlalchemy.orm import Session

    from backend.infrastructure.audit import act_as
    from backend.models import Staff
    from backend.services.queue import calling

    def for_window(window_id: int):
        # The staff member is read once, as the admin reads the signed-in one once per request
        # (admin/auth.py's SignedIn): commits do not expire it.
        session = Session(engine, expire_on_commit=False)
        act_as(session, staff_id)
        staff = session.get(Staff, staff_id)

        def step():
            ticket = calling.call_next(session, staff, window_id, now)
            if ticket is None:
                session.rollback()
                session.close()
                return None
            ticket_id = ticket.id
            session.commit()
            session.execute(FINISH, {"now": now, "id": ticket_id})
            session.commit()
            return ticket_id
        return step
    return for_window


def bare_step(engine, queue_ids: list[int], now: datetime):
    def for_window(window_id: int):
        conn = engine.connect()

        def step():
            got = conn.execute(BARE_CLAIM, {"window_id": window_id, "now": now,
                                            "queues": queue_ids, "day": now.date()}).scalar()
            conn.commit()
            if got is None:
                conn.close()
                return None
            conn.execute(FINISH, {"now": now, "id": got})
            conn.commit()
            return got
        return step
    return for_window


def calling_bench(app, args, now: datetime) -> None:
    from backend.extensions import db

    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"],
                              pool_size=args.windows + 5, max_overflow=0)
    with app.app_context():
        staff_id, window_ids, queue_ids = setup_calling(db.session, args, now)
    print(f"calling: {len(window_ids)} windows at once over {args.tickets:,} tickets "
          f"({len(queue_ids)} queues, every window calling from all)", flush=True)
    rates: dict[str, list[float]] = {"product": [], "bare": []}
    failures = []
    for run in ("product", "bare", "bare", "product"):
        reset(engine)
        step = (product_step(engine, staff_id, now) if run == "product"
                else bare_step(engine, queue_ids, now))
        elapsed, called = run_threads(app, engine, window_ids, step)
        twice = len(called) - len(set(called))
        with engine.connect() as conn:
            left = conn.execute(sa.text(
                "SELECT count(*) FROM ticket WHERE status <> 'done'")).scalar()
        rate = len(called) / elapsed
        rates[run].append(rate)
        print(f"  {run:8} {len(called):6,} calls in {elapsed:6.2f} s = {rate:7.1f} calls/s; "
              f"called twice {twice}, left behind (skipped) {left}", flush=True)
        if twice or left or len(called) != args.tickets:
            failures.append(run)
    product, bare = statistics.mean(rates["product"]), statistics.mean(rates["bare"])
    ratio = product / bare
    print(f"  mean: product {product:.1f} calls/s, bare SKIP LOCKED claim {bare:.1f} calls/s; "
          f"ratio {ratio:.2f} (goal >= 0.5): {'PASS' if ratio >= 0.5 else 'FAIL'}; "
          f"0 called twice and 0 skipped: {'FAIL ' + ', '.join(failures) if failures else 'PASS'}",
          flush=True)
    engine.dispose()


def estimate_bench(app, args) -> None:
    """Simulated days lived through the services; each arrival's estimate against its wait."""
    from backend.extensions import db
    from backend.models import Place, Queue, Ticket, Window
    from backend.services.catalog import import_catalog
    from backend.services.queue import calling, tickets, waiting
    from backend.services.scope import SYSTEM
    from backend.services.staff import create_staff

    rng = random.Random(args.seed)
    configured = 10.0
    windows_open = 3
    learnt_errors: list[float] = []
    zms_errors: list[float] = []
    with app.app_context():
        session = db.session
        import_catalog(session, SYSTEM, catalogue("SIM-HALL", "A", int(configured)))
        place = session.scalar(sa.select(Place).where(Place.code == "SIM-HALL"))
        queue = session.scalar(sa.select(Queue).where(Queue.place_id == place.id))
        staff = create_staff(session, SYSTEM, username="sim-desk", password="Bench#desk-2026-x",
                             role="place_manager", name="模拟窗口", place_codes=["SIM-HALL"],
                             now=datetime.now(TZ))
        desks = [Window(place=place, code=str(n), name=f"{n}号窗口", is_open=True, staff=staff,
                        queues=[queue]) for n in range(1, windows_open + 1)]
        session.add_all(desks)
        session.commit()
        first_day = date(2027, 3, 1)
        for d in range(args.days):
            day = first_day + timedelta(days=d)
            true_mean = configured * rng.uniform(0.6, 1.6)
            sigma = 0.5
            mu = math.log(true_mean) - sigma ** 2 / 2
            rate = 0.9 * windows_open / true_mean  # arrivals a minute
            opens = datetime.combine(day, datetime.min.time(), TZ).replace(hour=9)
            closes = opens + timedelta(hours=7)
            # The day's events: arrivals (times), and the windows' own finishing times.
            arrivals, at = [], opens
            while True:
                at += timedelta(minutes=rng.expovariate(rate))
                if at >= closes:
                    break
                arrivals.append(at)
            estimates: dict[int, tuple[float, float, datetime]] = {}
            busy: dict[int, tuple[datetime, int]] = {}
            pending = list(arrivals)
            clock = opens
            while pending or busy:
                next_arrival = pending[0] if pending else None
                next_done = min((t for t, _ in busy.values()), default=None)
                if next_done is not None and (next_arrival is None or next_done <= next_arrival):
                    clock = next_done
                    for window_id, (t, ticket_id) in list(busy.items()):
                        if t <= clock:
                            calling.finish(session, staff, ticket_id, clock)
                            del busy[window_id]
                else:
                    clock = pending.pop(0)
                    ticket = tickets.walk_in(session, staff, place, "BENCH-ITEM", None, None,
                                             None, clock, 60)
                    position = waiting.positions(session, [ticket], clock)[ticket.id]
                    zms = waiting.whole_minutes(waiting.estimate_minutes(
                        position.ahead, configured, windows_open))
                    estimates[ticket.id] = (position.estimated_wait_minutes, zms, clock)
                for desk in desks:
                    if desk.id not in busy:
                        called = calling.call_next(session, staff, desk.id, clock)
                        if called is None:
                            break
                        calling.serve(session, staff, called.id, clock)
                        busy[desk.id] = (clock + timedelta(minutes=rng.lognormvariate(mu, sigma)),
                                         called.id)
                session.commit()
            for ticket_id, called_at in session.execute(
                    sa.select(Ticket.id, Ticket.called_at).where(Ticket.id.in_(estimates))):
                learnt, zms, arrived = estimates[ticket_id]
                real = (called_at - arrived).total_seconds() / 60
                learnt_errors.append(abs(learnt - real))
                zms_errors.append(abs(zms - real))
            print(f"  day {d + 1}: {len(estimates)} tickets, true mean service "
                  f"{true_mean:4.1f} min (configured {configured:.0f})", flush=True)
    learnt, zms = statistics.mean(learnt_errors), statistics.mean(zms_errors)
    print(f"waiting estimate over {len(learnt_errors):,} tickets, {args.days} days, "
          f"{windows_open} windows: mean absolute error {learnt:.2f} min learnt from today's "
          f"served tickets, {zms:.2f} min ZMS-style (configured average): "
          f"{(1 - learnt / zms):.0%} smaller", flush=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    from backend import create_app
    import flask_migrate

    url = args.database_url
    print_load("before")
    recreate_database(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True,
                      "DATA_KEY": DATA_KEY})
    try:
        with app.app_context():
            flask_migrate.upgrade()
        now = datetime.combine(date.today(), datetime.min.time(), TZ).replace(hour=10)
        calling_bench(app, args, now)
        print_load("after calling")
        estimate_bench(app, args)
        print_load("after")
    finally:
        with app.app_context():
            from backend.extensions import db
            db.engine.dispose()
        if not args.keep:
            drop_database(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
