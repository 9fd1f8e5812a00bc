#!/usr/bin/env python3
"""Notifications benchmark: the reminder job and the dispatcher against a bare sender, on
PostgreSQL, with the loopback fake WeChat.

Run from the repository root:

    .venv/bin/python bench/notifications.py                 # 100,000 bookings, a few minutes
    .venv/bin/python bench/notifications.py --rows 20000    # quicker

What it does:
1. Re-creates the database of ``--database-url`` (default
   ``postgresql+psycopg://postgres@127.0.0.1:5432/bench_notifications``), migrates it, imports a
   one-place catalogue and writes ``--rows`` citizens, each with one booking for "tomorrow" and
   one quota of the ``booking_reminder`` template (bulk inserts: setup, not measured).
   "Tomorrow" is tomorrow when the machine's local time (TIMEZONE) is past 18:00, else today,
   seen from yesterday 18:00: the job runs at an 18:00 that has passed, so what it queues is due.
2. Starts the fake WeChat (tests/fake_wechat.py) in a process of its own, answering HTTP/1.1
   with keep-alive; it counts deliveries per message page (which carries the booking code).
3. ``send-reminders`` once, in this process, at that 18:00: rows queued per second.
4. The bare sender, in a process of its own: reads the queued rows, renders each body as the
   dispatcher does (not timed), then posts them all with the same WeChat adapter (the same HTTP
   client) from ``--concurrency`` threads: messages per second.
5. ``jobs run dispatch-notifications`` in a process of its own (``NOTIFY_CONCURRENCY`` =
   ``--concurrency``): messages per second; its resident memory is sampled all along (peak,
   and at 10 % and 50 % of the deliveries: flat means the same).
6. Prints rows queued/s, sent/s of both and their ratio (goal >= 0.7), duplicates (must be 0),
   messages lost (must be 0) and the dispatcher's memory; drops the database unless --keep.
"""
from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on the path, where bench/queue.py would stand in for
# the standard library's `queue` (which redis and SQLAlchemy's pool import): take it off.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import collections
import json
import multiprocessing
import os
import subprocess
import tempfile
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.databases import drop_database, recreate_database  # noqa: E402
from bench.load import print_load  # noqa: E402

DATA_KEY = "nZ0fQxHoZ3Jr9ySIAoLzK6bwZ7G6mVGc2nE5l3Q2b1A="
TEMPLATE = "tmpl-booking_reminder"
TEMPLATES = {"booking_reminder": TEMPLATE}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url",
                        default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_notifications")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--child", choices=["bare", "dispatch"], help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# -- the fake WeChat, in its own process ---------------------------------------------------------

class _Pages(collections.Counter):
    """Stands in for the fake's list of delivered bodies: counts pages, keeps nothing else."""

    def append(self, body):
        self[body.get("page")] += 1


class _Discard(list):
    def append(self, item):
        pass


def _fake_process(conn) -> None:
    from tests import fake_wechat
    # Keep-alive, as WeChat answers, with each answer written at once (no Nagle, one write).
    fake_wechat._Handler.protocol_version = "HTTP/1.1"
    fake_wechat._Handler.disable_nagle_algorithm = True
    fake_wechat._Handler.wbufsize = -1
    fake = fake_wechat.FakeWeChat()
    fake._requests = _Discard()
    fake._delivered = _Pages()
    conn.send((fake.url, fake.appid, fake.secret))
    while True:
        command = conn.recv()
        if command == "stats":
            with fake._lock:
                conn.send(dict(fake._delivered))
        elif command == "count":
            with fake._lock:
                conn.send(sum(fake._delivered.values()))
        elif command == "reset":
            with fake._lock:
                fake._delivered = _Pages()
            conn.send(True)
        else:
            fake.close()
            conn.send(True)
            return


class Fake:
    def __init__(self):
        self.conn, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=_fake_process, args=(child,), daemon=True)
        self.process.start()
        self.url, self.appid, self.secret = self.conn.recv()

    def ask(self, command):
        self.conn.send(command)
        return self.conn.recv()

    def close(self):
        self.ask("stop")
        self.process.join(5)


# -- setup ----------------------------------------------------------------------------------------

def bench_now(tz: ZoneInfo) -> datetime:
    now = datetime.now(tz)
    if now.hour >= 18:
        return now.replace(hour=18, minute=0, second=0, microsecond=0)
    return (now - timedelta(days=1)).replace(hour=18, minute=0, second=0, microsecond=0)


def environment(url: str, fake: Fake, concurrency: int, batch: int) -> dict:
    return {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "DATA_KEY": DATA_KEY,
            "WECHAT_APPID": fake.appid, "WECHAT_SECRET": fake.secret,
            "WECHAT_API_BASE_URL": fake.url, "WECHAT_TEMPLATES": json.dumps(TEMPLATES),
            "NOTIFY_CONCURRENCY": str(concurrency), "NOTIFY_BATCH_SIZE": str(batch),
            "PYTHONPATH": str(ROOT)}


def setup(url: str, rows: int, now: datetime) -> None:
    import flask_migrate
    from backend import create_app
    from backend.extensions import db
    from backend.models import Booking, Citizen, Place, ServiceItem, Slot, SubscriptionQuota
    from backend.services.catalog import import_catalog
    from backend.services.scope import SYSTEM

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "DATA_KEY": DATA_KEY})
    with app.app_context():
        flask_migrate.upgrade()
        import_catalog(db.session, SYSTEM, {
            "places": [{"code": "BENCH-HALL", "name": "博山区政务服务中心（基准测试）",
                        "level": "district", "parent": None, "address": "-", "phone": "-"}],
            "departments": [{"code": "BENCH", "name": "基准测试部门"}],
            "stations": [{"place": "BENCH-HALL", "department": "BENCH"}],
            "items": [{"code": "BENCH-ITEM", "name": "城乡居民基本养老保险参保登记",
                       "department": "BENCH", "category": "基准", "commitment_days": 5,
                       "fee": None, "help_types": ["assist"], "places": ["BENCH-HALL"],
                       "departments_involved": [], "materials": []}],
            "schedules": [], "rota": []}, today=now.date())
        db.session.commit()
        place = db.session.scalar(sa.select(Place.id))
        item = db.session.scalar(sa.select(ServiceItem.id))
        day = now.date() + timedelta(days=1)
        starts = [datetime.combine(day, datetime.min.time()) + timedelta(hours=9, minutes=30 * i)
                  for i in range(16)]
        per_slot = -(-rows // len(starts))
        with db.engine.begin() as conn:
            slot_ids = [conn.execute(sa.insert(Slot).values(
                place_id=place, date=day, start_time=s.time(),
                end_time=(s + timedelta(minutes=30)).time(), kind="regular", capacity=per_slot,
                booked=0, active=True).returning(Slot.id)).scalar() for s in starts]
        chunk = 10_000
        for first in range(0, rows, chunk):
            numbers = range(first, min(first + chunk, rows))
            with db.engine.begin() as conn:
                ids = conn.execute(sa.insert(Citizen).returning(Citizen.id, sort_by_parameter_order=True), [
                    {"openid": f"o-bench-{i:07d}", "created_at": now} for i in numbers]).scalars().all()
                conn.execute(sa.insert(Booking), [
                    {"code": f"B{i:07d}", "citizen_id": cid, "slot_id": slot_ids[i % len(slot_ids)],
                     "place_id": place, "item_id": item, "status": "booked",
                     "created_at": now - timedelta(hours=1), "confirmation_queued": True}
                    for i, cid in zip(numbers, ids)])
                conn.execute(sa.insert(SubscriptionQuota), [
                    {"openid": f"o-bench-{i:07d}", "template_key": "booking_reminder",
                     "quota": 1, "updated_at": now} for i in numbers])
        with db.engine.begin() as conn:
            conn.execute(sa.update(Slot).values(booked=per_slot))
        db.engine.dispose()


def queue_reminders(url: str, fake: Fake, now: datetime, concurrency: int, batch: int
                    ) -> tuple[int, float]:
    from backend import create_app
    from backend.clock import FixedClock
    from backend.extensions import db
    from backend.entrypoints.jobs import run_job
    env = environment(url, fake, concurrency, batch)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update({k: v for k, v in env.items() if k.startswith(("WECHAT_", "NOTIFY_"))})
    try:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "DATA_KEY": DATA_KEY,
                          "CLOCK": FixedClock(now)})
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    with app.app_context():
        started = time.perf_counter()
        summary = run_job("send-reminders")
        elapsed = time.perf_counter() - started
        db.engine.dispose()
    return int(summary.split()[1]), elapsed


# -- the bare sender (a child process) ------------------------------------------------------------

def bare_child(args) -> None:
    from concurrent.futures import ThreadPoolExecutor
    from backend import create_app
    from backend.extensions import db
    from backend.domain.message_templates import load_templates, render
    from backend.infrastructure.wechat import WeChat
    app = create_app({"DATABASE_URL": args.database_url, "SECRET_KEY": "bench",
                      "DATA_KEY": DATA_KEY})
    spec = load_templates(TEMPLATES, demo=False)["booking_reminder"]
    with app.app_context():
        rows = db.session.execute(sa.text(
            "SELECT c.openid, n.payload FROM notification n JOIN citizen c ON c.id = n.citizen_id"
            " ORDER BY n.id")).all()
        db.engine.dispose()
    bodies = [(openid, *render(spec, json.loads(payload))) for openid, payload in rows]
    wechat = WeChat(os.environ["WECHAT_APPID"], os.environ["WECHAT_SECRET"],
                    base_url=os.environ["WECHAT_API_BASE_URL"],
                    pool_size=max(16, args.concurrency))
    wechat.send_subscribe_message("o-warm", spec.id, {"thing1": "warm"})   # the token
    failures = collections.Counter()

    def send(body):
        openid, data, page = body
        result = wechat.send_subscribe_message(openid, spec.id, data, page)
        if not result.ok:
            failures[result.errcode] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as pool:
        for _ in pool.map(send, bodies):
            pass
    elapsed = time.perf_counter() - started
    wechat.close()
    print(json.dumps({"sent": len(bodies) - sum(failures.values()), "elapsed": elapsed,
                      "failures": dict(failures)}))


def dispatch_child(args) -> None:
    """`jobs run dispatch-notifications`, timed without the process's start-up (as the bare
    sender's reading and rendering are not timed)."""
    from backend import create_app
    from backend.entrypoints.jobs import run_job
    app = create_app()
    with app.app_context():
        started = time.perf_counter()
        summary = run_job("dispatch-notifications")
        elapsed = time.perf_counter() - started
    print(json.dumps({"elapsed": elapsed, "summary": summary}, ensure_ascii=False))


def run_bare(args, fake: Fake) -> dict:
    env = environment(args.database_url, fake, args.concurrency, args.batch_size)
    out = subprocess.run([sys.executable, __file__, "--child", "bare", "--database-url",
                          args.database_url, "--concurrency", str(args.concurrency)],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_dispatcher(args, fake: Fake) -> dict:
    env = environment(args.database_url, fake, args.concurrency, args.batch_size)
    # Its log goes to a file: a pipe nobody reads while it runs would stop it when full.
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen([sys.executable, __file__, "--child", "dispatch"], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    peak, marks = 0, {}
    while process.poll() is None:
        peak = max(peak, rss_kb(process.pid))
        delivered = fake.ask("count")
        for share in (0.1, 0.5, 0.9):
            if share not in marks and delivered >= share * args.rows:
                marks[share] = rss_kb(process.pid)
        time.sleep(0.2)
    out, _ = process.communicate()
    log.seek(0)
    err = log.read()
    log.close()
    if process.returncode != 0 or "Traceback" in err:
        raise SystemExit(f"dispatcher failed:\n{err[-3000:]}")
    timed = json.loads(out.strip().splitlines()[-1])
    return {"elapsed": timed["elapsed"], "peak_kb": peak, "marks": marks,
            "summary": timed["summary"]}


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.child == "bare":
        bare_child(args)
        return 0
    if args.child == "dispatch":
        dispatch_child(args)
        return 0
    tz = ZoneInfo(os.environ.get("TIMEZONE", "Asia/Shanghai"))
    now = bench_now(tz)
    print_load("before")
    print(f"notifications benchmark: {args.rows} bookings for {now.date() + timedelta(days=1)},"
          f" reminders at {now:%Y-%m-%d %H:%M}, concurrency {args.concurrency}, "
          f"batch {args.batch_size}; machine: {os.cpu_count()} CPUs", flush=True)
    recreate_database(args.database_url)
    fake = Fake()
    try:
        started = time.perf_counter()
        setup(args.database_url, args.rows, now)
        print(f"  setup {time.perf_counter() - started:.1f}s", flush=True)
        queued, queue_s = queue_reminders(args.database_url, fake, now, args.concurrency,
                                          args.batch_size)
        print(f"  send-reminders: {queued} queued in {queue_s:.1f}s", flush=True)

        bare = run_bare(args, fake)
        bare_pages = fake.ask("stats")
        fake.ask("reset")
        print(f"  bare sender: {bare['sent']} sent in {bare['elapsed']:.1f}s", flush=True)

        dispatched = run_dispatcher(args, fake)
        pages = fake.ask("stats")
        print(f"  dispatcher: {dispatched['summary']} in {dispatched['elapsed']:.1f}s", flush=True)

        engine = sa.create_engine(args.database_url)
        with engine.connect() as conn:
            by_status = dict(conn.execute(sa.text(
                "SELECT status, count(*) FROM notification GROUP BY status")).all())
        engine.dispose()
    finally:
        fake.close()
        if not args.keep:
            drop_database(args.database_url)

    expected = {f"pages/bookings/detail?code=B{i:07d}" for i in range(args.rows)}
    duplicates = sum(n - 1 for n in pages.values() if n > 1)
    lost = len(expected - set(pages))
    bare_lost = len(expected - set(bare_pages))
    queued_rate = queued / queue_s
    bare_rate = bare["sent"] / bare["elapsed"]
    dispatch_rate = sum(pages.values()) / dispatched["elapsed"]
    ratio = dispatch_rate / bare_rate
    marks = dispatched["marks"]
    print("=" * 90)
    print_load("at the end")
    print(f"rows queued/s (send-reminders)         {queued_rate:10.0f}   ({queued} rows)")
    print(f"messages sent/s, bare sender           {bare_rate:10.0f}   (lost {bare_lost}, "
          f"failures {bare['failures'] or 0})")
    print(f"messages sent/s, dispatcher            {dispatch_rate:10.0f}   "
          f"(outbox: {by_status})")
    print(f"ratio dispatcher / bare                {ratio:10.2f}   goal >= 0.7  "
          f"{'PASS' if ratio >= 0.7 else 'FAIL'}")
    print(f"duplicates                             {duplicates:10d}   must be 0  "
          f"{'PASS' if duplicates == 0 else 'FAIL'}")
    print(f"messages lost                          {lost:10d}   must be 0  "
          f"{'PASS' if lost == 0 else 'FAIL'}")
    print(f"dispatcher resident memory, MB         peak {dispatched['peak_kb'] / 1024:.0f}; at 10% "
          f"{marks.get(0.1, 0) / 1024:.0f}, 50% {marks.get(0.5, 0) / 1024:.0f}, "
          f"90% {marks.get(0.9, 0) / 1024:.0f} of the deliveries (flat: not growing with rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
