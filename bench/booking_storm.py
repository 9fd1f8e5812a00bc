#!/usr/bin/env python3
"""Booking storm: the real product under gunicorn against a bare baseline, on PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/booking_storm.py                    # defaults, about 1-2 minutes
    .venv/bin/python bench/booking_storm.py --connections 50 --bookings 600 --slots 60
    .venv/bin/python bench/booking_storm.py --help

What it does, in order; every run is bounded in requests and in time and stops by itself:

1. Setup. Drops and re-creates the database of ``--database-url`` (default
   ``postgresql+psycopg://postgres@127.0.0.1:5432/bench``; the server must let us connect to
   its ``postgres`` database to do that), runs the migrations inside
   ``create_app({"DATABASE_URL": url, ...})``, imports a catalogue with one place
   (``BENCH-HALL``), one item (``BENCH-ITEM``) and a working-day schedule rule sized to give
   about ``--slots`` bookable slots from tomorrow to the end of the booking window, generates
   the slots (``generate_slots(session, now, 14)``) and commits. The earliest slot is the
   "hot slot"; its capacity is set to ``--hot-capacity``, every other slot has
   ``--capacity``. A fixed SECRET_KEY and DATA_KEY go to the servers through the environment,
   so a token issued by one worker verifies in every other.
2. Starts the product: ``gunicorn 'backend:create_app()' --worker-class gthread`` with
   ``--workers``/``--threads`` on a free loopback port, in demo mode (no WeChat credentials,
   so any login code is a citizen).
3. Starts the baseline (bench/baseline_app.py) under the same gunicorn settings on the same
   database: ``POST /book`` is only the conditional capacity UPDATE and a booking INSERT in one
   transaction; ``GET /slots`` is one indexed SELECT turned into JSON.
4. Load, from one asyncio + aiohttp process with ``--connections`` concurrent clients (one
   connection each):
   - product storm: every citizen (``--bookings`` / ``--per-citizen`` of them) logs in
     (POST /api/v1/auth/wechat-login), lists the slots (GET /api/v1/places/BENCH-HALL/slots)
     and books ``--per-citizen`` distinct slots picked from its listing (POST /api/v1/bookings).
     The clients go through the three steps together (all logins, then all listings, then all
     bookings, released at once as when a popular day opens), so each step's throughput is
     measured on its own. By default every client's first booking is the hot slot (a rush of
     ``--connections`` requests on it at the same instant); ``--hot-share F`` sends a share F
     of all bookings there instead. The rest go to random slots.
   - baseline: the same booking plan (same citizens, same slots, same order) on POST /book,
     and the same number of slot listings on GET /slots, at the same concurrency.
   - the bookings of both apps run in two halves (each client's first citizens, then the
     others; the first half holds the hot-slot rush) in the order product, baseline,
     baseline, product, so that a change in the machine's other load hits both alike; every
     run starts from empty slots (the bookings before it are wiped).
   - slot-listing comparison at ``--list-connections`` (64) connections: ``--list-requests``
     listings on each app, in two halves run in the order product, baseline, baseline,
     product (so that a change in the machine's other load hits both alike); both answer the
     same slots.
5. Report: per run, throughput, p50/p95/p99 latency, 5xx, other answers by status and error
   code, the CPU used by the load generator, the app's workers and PostgreSQL; after each
   booking run the database is checked for overbooking (slots with booked > capacity, slots
   whose active bookings ('booked', 'checked_in') differ from ``booked``, the hot slot's
   bookings against its capacity, and rows against the 201 answers seen); then the ratios
   product/baseline against the targets (0 overbooked, 0 5xx, booking ratio >= 0.6,
   slot-listing ratio >= 0.6 at 64 connections), PASS or FAIL each, and the machine's load
   average beside them. The exit status is 0
   whatever the figures (it is a measurement); it is non-zero only if the bench itself fails.
6. Cleanup: stops both gunicorns (also on Ctrl-C or an error) and drops the database unless
   ``--keep``.

The load generator shares the machine (and its cores) with gunicorn and PostgreSQL: absolute
figures are those of this machine and this setup; the ratios are the point. The CPU lines of
the report show how much of the machine the client itself took.

Needs aiohttp in the venv (``.venv/bin/pip install aiohttp==3.14.5``).
"""
from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on the path, where bench/queue.py would stand in for
# the standard library's `queue` (which redis and SQLAlchemy's pool import): take it off.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import asyncio
import json
import math
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import zip_longest
from typing import Any, Callable
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

try:
    import aiohttp
except ImportError:  # pragma: no cover - told to the person running it
    sys.exit("booking_storm needs aiohttp: .venv/bin/pip install aiohttp==3.14.5")

import sqlalchemy as sa  # noqa: E402

from bench.databases import drop_database, recreate_database  # noqa: E402
from bench.load import machine_load  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench"
# Fixed keys, given to every server process: tokens verify across workers and restarts.
SECRET_KEY = "booking-storm-secret-key-not-for-production"
DATA_KEY = "nZ0fQxHoZ3Jr9ySIAoLzK6bwZ7G6mVGc2nE5l3Q2b1A="
PLACE_CODE, ITEM_CODE, DEPARTMENT_CODE = "BENCH-HALL", "BENCH-ITEM", "BENCH-DEP"
TARGET_BOOKING_RATIO = 0.6
TARGET_LISTING_RATIO = 0.6
# The schedule rule runs from 06:00 and must end by 23:00.
DAY_START_MINUTES, DAY_MINUTES = 6 * 60, 17 * 60


# --------------------------------------------------------------------------------------------
# Command line

def bench_parser(prog: str, description: str, database_url: str, *, workers: int,
                 keep_alive: int, timeout: float) -> argparse.ArgumentParser:
    """A server benchmark's command line: its docstring as the help, the defaults shown, and
    the arguments every such benchmark has (its database, the gunicorns, --keep)."""
    class Formatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
        pass
    p = argparse.ArgumentParser(prog=prog, description=description, formatter_class=Formatter)
    p.add_argument("--database-url", default=database_url,
                   help="SQLAlchemy URL of the bench database; it is DROPPED and re-created")
    p.add_argument("--timeout", type=float, default=timeout, help="per-request timeout, seconds")
    p.add_argument("--workers", type=int, default=workers, help="gunicorn workers (each server)")
    p.add_argument("--threads", type=int, default=8, help="gunicorn gthread threads per worker")
    p.add_argument("--keep-alive", type=int, default=keep_alive,
                   help="gunicorn --keep-alive seconds (each server)")
    p.add_argument("--gunicorn", default=str(Path(sys.prefix) / "bin" / "gunicorn"),
                   help="gunicorn executable")
    p.add_argument("--keep", action="store_true",
                   help="keep the bench database afterwards (servers are stopped anyway)")
    return p


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = bench_parser("booking_storm.py", __doc__, DEFAULT_URL, workers=3, keep_alive=30,
                     timeout=30.0)
    p.add_argument("--connections", type=int, default=200,
                   help="concurrent clients (connections) of the storm and of the baseline run")
    p.add_argument("--slots", type=int, default=200,
                   help="about this many bookable slots (tomorrow to the end of the window)")
    p.add_argument("--capacity", type=int, default=20,
                   help="capacity of every slot but the hot one")
    p.add_argument("--hot-capacity", type=int, default=10, help="capacity of the hot slot")
    p.add_argument("--bookings", "--requests", type=int, default=3000,
                   help="booking requests of the storm (the baseline gets the same plan)")
    p.add_argument("--per-citizen", type=int, default=3,
                   help="bookings per citizen (the product allows MAX_ACTIVE_BOOKINGS=3 at once)")
    p.add_argument("--hot-share", type=float, default=None,
                   help="share of bookings aimed at the hot slot; default: each client's first")
    p.add_argument("--list-connections", type=int, default=64,
                   help="connections of the slot-listing comparison")
    p.add_argument("--list-requests", type=int, default=1000,
                   help="slot listings per app in the slot-listing comparison")
    p.add_argument("--duration", type=float, default=60.0,
                   help="time limit of each load phase, seconds (a phase stops at its request "
                        "count or at this limit, whichever comes first; there are 9 phases)")
    p.add_argument("--redis-url", default=None,
                   help="give the product this Redis (REDIS_URL; its database is flushed first): "
                        "limit counters shared by the workers, as deployed; without it each "
                        "worker counts in its own memory")
    p.add_argument("--app-config", metavar="JSON", type=json.loads, default=None,
                   help="experiments: a JSON object of config overrides given to the product's "
                        "create_app(), e.g. '{\"SQLALCHEMY_ENGINE_OPTIONS\": "
                        "{\"pool_pre_ping\": false}}'")
    p.add_argument("--seed", type=int, default=1, help="random seed of the booking plan")
    p.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE")
    args = p.parse_args(argv)
    for name in ("connections", "slots", "capacity", "hot_capacity", "bookings", "per_citizen",
                 "list_connections", "list_requests", "workers", "threads"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.list_requests < 2:
        p.error("--list-requests must be at least 2 (it is run in two halves)")
    if args.hot_share is not None and not 0 <= args.hot_share <= 1:
        p.error("--hot-share must be between 0 and 1")
    if args.per_citizen > 3:
        print("note: --per-citizen above 3 will meet the product's booking_limit (422)")
    return args


# --------------------------------------------------------------------------------------------
# Database setup and checks

@dataclass
class Setup:
    today: date
    first: date          # first bookable day listed (tomorrow)
    last: date           # last day of the booking window
    slot_ids: list[int]  # bookable slots, first to last
    hot_slot: int
    place_id: int
    item_id: int
    workdays: int
    slot_minutes: int
    per_day: int


def _catalogue(per_day: int, minutes: int, capacity: int) -> dict:
    start = DAY_START_MINUTES
    end = start + per_day * minutes
    hm = lambda m: f"{m // 60:02d}:{m % 60:02d}"  # noqa: E731
    return {
        "places": [{"code": PLACE_CODE, "name": "压测政务服务中心", "level": "district",
                    "parent": None, "address": "压测路1号", "phone": "0533-0000000"}],
        "departments": [{"code": DEPARTMENT_CODE, "name": "压测部门"}],
        "stations": [{"place": PLACE_CODE, "department": DEPARTMENT_CODE}],
        "items": [{"code": ITEM_CODE, "name": "压测事项", "department": DEPARTMENT_CODE,
                   "category": "压测", "commitment_days": 5, "fee": None,
                   "help_types": ["assist", "proxy"], "places": [PLACE_CODE],
                   "departments_involved": [],
                   "materials": [{"code": "SFZ", "name": "居民身份证", "copies": 1,
                                  "original": True, "required": True,
                                  "how_to_obtain": "户籍所在地派出所"}]}],
        "schedules": [{"place": PLACE_CODE, "kind": "regular", "weekdays": None,
                       "start": hm(start), "end": hm(end), "slot_minutes": minutes,
                       "capacity": capacity}],
        "rota": [],
    }


def setup_database(args: argparse.Namespace) -> Setup:
    import flask_migrate
    from backend import create_app
    from backend.extensions import db
    from backend.models import Place, ServiceItem, Slot
    from backend.services.calendar import load_calendar
    from backend.services.catalog import import_catalog
    from backend.services.scope import SYSTEM
    from backend.services.slots import generate_slots

    recreate_database(args.database_url)
    app = create_app({"DATABASE_URL": args.database_url, "SECRET_KEY": SECRET_KEY,
                      "DATA_KEY": DATA_KEY, "WECHAT_APPID": None, "WECHAT_SECRET": None,
                      "REDIS_URL": None})
    with app.app_context():
        flask_migrate.upgrade()
        window = app.config["BOOKING_WINDOW_DAYS"]
        now = datetime.now(ZoneInfo(app.config["TIMEZONE"]))
        today = now.date()
        calendar = load_calendar(db.session)
        workdays = sum(1 for i in range(1, window + 1)
                       if calendar.day(today + timedelta(days=i)).kind == "workday")
        if workdays == 0:
            raise SystemExit("no working day in the booking window: cannot make slots")
        per_day = math.ceil(args.slots / workdays)
        minutes = max((m for m in range(5, 481, 5) if per_day * m <= DAY_MINUTES), default=None)
        if minutes is None:
            raise SystemExit(f"--slots {args.slots} is too many for {workdays} working days "
                             f"(at most {workdays * (DAY_MINUTES // 5)})")
        minutes = min(minutes, 60)
        import_catalog(db.session, SYSTEM, _catalogue(per_day, minutes, args.capacity))
        generate_slots(db.session, now, window)
        db.session.commit()

        place = db.session.scalar(sa.select(Place).where(Place.code == PLACE_CODE))
        item = db.session.scalar(sa.select(ServiceItem).where(ServiceItem.code == ITEM_CODE))
        first, last = today + timedelta(days=1), today + timedelta(days=window)
        slot_ids = list(db.session.scalars(
            sa.select(Slot.id).where(Slot.place_id == place.id, Slot.active.is_(True),
                                     Slot.date.between(first, last))
            .order_by(Slot.date, Slot.start_time)))
        hot = slot_ids[0]
        db.session.execute(sa.update(Slot).where(Slot.id == hot)
                           .values(capacity=args.hot_capacity))
        db.session.commit()
        result = Setup(today=today, first=first, last=last, slot_ids=slot_ids, hot_slot=hot,
                       place_id=place.id, item_id=item.id, workdays=workdays,
                       slot_minutes=minutes, per_day=per_day)
        db.session.remove()
        db.engine.dispose()
    return result


@dataclass
class Integrity:
    over_capacity: int
    count_mismatch: int
    hot_capacity: int
    hot_booked: int
    hot_active: int
    active_rows: int
    created_seen: int
    hot_created_seen: int

    @property
    def hot_over(self) -> int:
        return max(self.hot_active - self.hot_capacity, 0)

    @property
    def overbooked(self) -> int:
        """Slots over capacity, slots whose active bookings differ from `booked`, and the hot
        slot's active bookings beyond its capacity: all must be 0."""
        return self.over_capacity + self.count_mismatch + self.hot_over

    @property
    def unacknowledged(self) -> int:
        """Active rows minus the 201s the clients saw (a timed-out request may have committed)."""
        return self.active_rows - self.created_seen


def check_integrity(engine: sa.Engine, hot: int, created: int, hot_created: int) -> Integrity:
    with engine.connect() as conn:
        over = conn.scalar(sa.text("SELECT count(*) FROM slot WHERE booked > capacity"))
        mismatch = conn.scalar(sa.text(
            "SELECT count(*) FROM (SELECT s.id FROM slot s LEFT JOIN booking b "
            "ON b.slot_id = s.id AND b.status IN ('booked', 'checked_in') "
            "GROUP BY s.id, s.booked HAVING count(b.id) <> s.booked) AS m"))
        cap, booked = conn.execute(sa.text("SELECT capacity, booked FROM slot WHERE id = :id"),
                                   {"id": hot}).one()
        hot_active = conn.scalar(sa.text(
            "SELECT count(*) FROM booking WHERE slot_id = :id "
            "AND status IN ('booked', 'checked_in')"), {"id": hot})
        rows = conn.scalar(sa.text(
            "SELECT count(*) FROM booking WHERE status IN ('booked', 'checked_in')"))
    return Integrity(over, mismatch, cap, booked, hot_active, rows, created, hot_created)


def wipe_bookings(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM idempotent_request"))
        conn.execute(sa.text("DELETE FROM booking"))
        conn.execute(sa.text("UPDATE slot SET booked = 0"))


def citizen_ids(engine: sa.Engine, codes: list[str]) -> dict[str, int]:
    from backend.services.citizens import demo_openid
    openids = {demo_openid(c): c for c in codes}
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, openid FROM citizen WHERE openid = ANY(:o)"),
                            {"o": list(openids)}).all()
    return {openids[r.openid]: r.id for r in rows}


# --------------------------------------------------------------------------------------------
# Servers

_T0 = time.monotonic()


def progress(message: str) -> None:
    print(f"[{time.monotonic() - _T0:6.1f}s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, name: str, app_spec: str, chdir: Path, env: dict[str, str],
                 args: argparse.Namespace, logdir: Path):
        self.name, self.port = name, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = logdir / f"{name}.log"
        cmd = [args.gunicorn, app_spec, "--chdir", str(chdir), "--workers", str(args.workers),
               "--worker-class", "gthread", "--threads", str(args.threads),
               "--bind", f"127.0.0.1:{self.port}", "--keep-alive", str(args.keep_alive),
               "--timeout", "120", "--graceful-timeout", "5", "--log-level", "warning",
               "--error-logfile", str(self.log)]
        self.command = cmd
        # A session of its own: Ctrl-C in the terminal reaches us, and we stop it ourselves.
        self.proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        import urllib.error
        import urllib.request
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} gunicorn exited ({self.proc.returncode}):\n"
                                   + self.log_tail())
            try:
                with urllib.request.urlopen(self.base + path, timeout=5) as r:
                    if r.status == 200:
                        return
            except urllib.error.HTTPError as exc:
                raise RuntimeError(f"{self.name} answered {exc.code} on {path}:\n"
                                   + exc.read().decode(errors="replace")[:2000])
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within {timeout}s:\n" + self.log_tail())

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def pids(self) -> list[int]:
        return [self.proc.pid] + _children(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        try:
            self.proc.terminate()  # gunicorn's master stops its workers on SIGTERM
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the group we created for it
            self.proc.wait(timeout=5)
        except ProcessLookupError:
            pass


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


# CPU accounting from /proc (read only): the client, the app's processes, PostgreSQL.
_TICK = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def _machine_busy() -> float:
    """CPU seconds the whole machine spent busy (all cores), from /proc/stat."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    ticks = [int(x) for x in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / _TICK


def _postgres_cpu() -> dict[int, float]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in ("postgres", "postmaster"):
                    found[int(entry.name)] = _proc_cpu(int(entry.name))
            except OSError:
                continue
    return found


def background_busy(seconds: float = 1.0) -> float:
    """Share of the machine's CPU busy while we do nothing (other people's work)."""
    before, start = _machine_busy(), time.monotonic()
    time.sleep(seconds)
    return (_machine_busy() - before) / ((time.monotonic() - start) * (os.cpu_count() or 1))


def _self_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


@dataclass
class CpuSample:
    client: float
    workers: dict[int, float]
    postgres: dict[int, float]
    machine: float

    @classmethod
    def take(cls, server: Server | None) -> CpuSample:
        workers = {p: _proc_cpu(p) for p in server.pids()} if server else {}
        return cls(_self_cpu(), workers, _postgres_cpu(), _machine_busy())

    def since(self, before: CpuSample) -> dict[str, Any]:
        per_worker = sorted((round(v - before.workers.get(p, 0.0), 2)
                             for p, v in self.workers.items()), reverse=True)
        app = sum(per_worker)
        machine = self.machine - before.machine
        client = self.client - before.client
        # Backends that exit during the phase take their CPU with them: a lower bound.
        postgres = sum(v - before.postgres.get(p, 0.0) for p, v in self.postgres.items())
        return {"machine": round(machine, 2), "client": round(client, 2), "app": round(app, 2),
                "postgres": round(postgres, 2),
                # The other app (idle), and anything else running on the machine.
                "other": round(max(machine - client - app - postgres, 0.0), 2),
                "app_processes": [w for w in per_worker if w > 0.005]}


# --------------------------------------------------------------------------------------------
# Load

@dataclass
class Stats:
    name: str
    connections: int
    latencies: list[float] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)  # "201", "409 slot_full", "error: X"
    elapsed: float = 0.0
    wrong_answers: int = 0   # 200 listings whose total is not the expected one
    stopped_by_time: bool = False
    cpu: dict[str, Any] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        data = sorted(self.latencies)
        return data[min(len(data) - 1, max(0, math.ceil(q * len(data)) - 1))] * 1000

    @property
    def server_errors(self) -> int:
        return sum(n for k, n in self.outcomes.items() if k[:1] == "5")

    @property
    def transport_errors(self) -> int:
        return sum(n for k, n in self.outcomes.items() if k.startswith("error"))

    @property
    def app_cpu_ms(self) -> float:
        """CPU milliseconds the app's processes spent per request (less sensitive than
        throughput to other work on the machine)."""
        return self.cpu.get("app", 0.0) / self.count * 1000 if self.count else float("nan")

    def count_of(self, status: str) -> int:
        return sum(n for k, n in self.outcomes.items() if k.split()[0] == status)

    def as_dict(self) -> dict:
        return {"requests": self.count, "seconds": round(self.elapsed, 3),
                "per_second": round(self.rate, 1), "p50_ms": round(self.pct(.5), 1),
                "p95_ms": round(self.pct(.95), 1), "p99_ms": round(self.pct(.99), 1),
                "outcomes": dict(self.outcomes), "wrong_answers": self.wrong_answers,
                "stopped_by_time": self.stopped_by_time, "connections": self.connections,
                "cpu_seconds": self.cpu, "app_cpu_ms_per_request": round(self.app_cpu_ms, 2)}


@dataclass
class Job:
    method: str
    url: str
    body: Any = None
    headers: dict | None = None
    on_done: Callable[[int, Any, float], None] | None = None


async def _send(http: aiohttp.ClientSession, job: Job, stats: Stats) -> None:
    started = time.perf_counter()
    try:
        async with http.request(job.method, job.url, json=job.body, headers=job.headers) as r:
            raw = await r.read()
            status = r.status
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # connection refused/reset, timeout: the client's view of a failure
        stats.latencies.append(time.perf_counter() - started)
        stats.outcomes[f"error {type(exc).__name__}"] += 1
        return
    latency = time.perf_counter() - started
    stats.latencies.append(latency)
    body: Any = None
    if raw:
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
    key = str(status)
    if status >= 400:
        code = body.get("error", {}).get("code") if isinstance(body, dict) else None
        key += f" {code or 'no-json'}"
    stats.outcomes[key] += 1
    if job.on_done is not None:
        job.on_done(status, body, latency)


async def run_phase(name: str, plan: list[list[Job]], args: argparse.Namespace,
                    server: Server | None) -> Stats:
    """Each inner list is one client's jobs, sent one after the other on its own connection;
    all clients start together. Stops when every list is done or after --duration seconds."""
    connections = len(plan)
    stats = Stats(name, connections)
    connector = aiohttp.TCPConnector(limit=connections, limit_per_host=connections,
                                     keepalive_timeout=max(args.keep_alive - 1, 1))
    timeout = aiohttp.ClientTimeout(total=args.timeout)
    deadline = time.monotonic() + args.duration
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        async def client(jobs: list[Job]) -> None:
            for job in jobs:
                if time.monotonic() > deadline:
                    stats.stopped_by_time = True
                    return
                await _send(http, job, stats)

        before = CpuSample.take(server)
        started = time.perf_counter()
        await asyncio.gather(*(client(jobs) for jobs in plan))
        stats.elapsed = time.perf_counter() - started
        stats.cpu = CpuSample.take(server).since(before)
    return stats


def split(items: list, clients: int) -> list[list]:
    """Round-robin items over at most `clients` lists (no empty ones)."""
    lists = [items[i::clients] for i in range(min(clients, len(items)))]
    return [x for x in lists if x]


async def warm_up(url: str, connections: int) -> None:
    """A few requests per worker thread so that imports and pools are ready (not measured)."""
    connector = aiohttp.TCPConnector(limit=connections)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        async def one() -> None:
            async with http.get(url) as r:
                await r.read()
        await asyncio.gather(*(one() for _ in range(connections * 3)))


# --------------------------------------------------------------------------------------------
# The run

@dataclass
class Plan:
    codes: list[str]                       # login code of each citizen
    clients: list[list[int]]               # citizen indexes of each client
    bookings: dict[int, list[int]] = field(default_factory=dict)  # citizen -> slot ids


def make_bookings(plan: Plan, listed: dict[int, list[int]], setup: Setup,
                  args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    hot = setup.hot_slot
    for client in plan.clients:
        first_of_client = True
        for citizen in client:
            pool = [s for s in listed.get(citizen) or setup.slot_ids if s != hot]
            picks = rng.sample(pool, min(args.per_citizen, len(pool)))
            chosen: list[int] = []
            for slot in picks:
                if hot in chosen:
                    aim_hot = False
                elif args.hot_share is None:
                    aim_hot = first_of_client
                else:
                    aim_hot = rng.random() < args.hot_share
                chosen.append(hot if aim_hot else slot)
                first_of_client = False
            plan.bookings[citizen] = chosen
    # Exactly --bookings: the last citizens book one fewer if it does not divide evenly.
    extra = sum(map(len, plan.bookings.values())) - args.bookings
    for citizen in sorted(plan.bookings, reverse=True):
        if extra <= 0:
            break
        if len(plan.bookings[citizen]) > 1:
            plan.bookings[citizen].pop()
            extra -= 1


def listing_ok(expected: int, stats: Stats) -> Callable[[int, Any, float], None]:
    def check(status: int, body: Any, latency: float) -> None:
        if status == 200 and (not isinstance(body, dict) or body.get("total") != expected):
            stats.wrong_answers += 1
    return check


async def storm(args: argparse.Namespace, setup: Setup, real: Server, base: Server,
                engine: sa.Engine) -> dict:
    results: dict[str, Any] = {}
    expected = len(setup.slot_ids)
    span = f"from={setup.first.isoformat()}&to={setup.last.isoformat()}"
    real_list_url = f"{real.base}/api/v1/places/{PLACE_CODE}/slots?{span}"
    base_list_url = f"{base.base}/slots?place_id={setup.place_id}&{span}"
    warm = args.workers * args.threads
    await warm_up(real_list_url, warm)
    await warm_up(base_list_url, warm)

    citizens = math.ceil(args.bookings / args.per_citizen)
    run_id = f"{int(time.time())}-{os.getpid()}"
    plan = Plan(codes=[f"storm-{run_id}-{i}" for i in range(citizens)],
                clients=split(list(range(citizens)), args.connections))
    tokens: dict[int, str] = {}
    listed: dict[int, list[int]] = {}

    # Product, step 1: logins.
    def login_job(i: int) -> Job:
        def done(status: int, body: Any, latency: float) -> None:
            if status == 200 and isinstance(body, dict) and body.get("token"):
                tokens[i] = body["token"]
        return Job("POST", f"{real.base}/api/v1/auth/wechat-login", {"code": plan.codes[i]},
                   on_done=done)
    progress(f"product: {citizens} logins at {len(plan.clients)} connections ...")
    results["real_login"] = await run_phase(
        "product POST /auth/wechat-login", [[login_job(i) for i in c] for c in plan.clients],
        args, real)

    # Product, step 2: each citizen lists the slots.
    def list_job(i: int, stats_ref: list[Stats]) -> Job:
        def done(status: int, body: Any, latency: float) -> None:
            if status == 200 and isinstance(body, dict):
                listed[i] = [s["id"] for s in body.get("items", []) if s.get("remaining", 0) > 0]
                if body.get("total") != expected:
                    stats_ref[0].wrong_answers += 1
        return Job("GET", real_list_url,
                   headers={"Authorization": f"Bearer {tokens[i]}"} if i in tokens else None,
                   on_done=done)
    progress(f"product: {citizens} slot listings at {len(plan.clients)} connections ...")
    holder: list[Stats] = [Stats("", 0)]
    results["real_list"] = await _run_with_ref(
        "product GET /places/{code}/slots", [[list_job(i, holder) for i in c]
                                             for c in plan.clients], args, real, holder)

    # Step 3: the bookings. Both apps run the same plan from a clean slate, in two halves (each
    # client's first citizens, then the others) in the order product, baseline, baseline,
    # product, so that a drift in the machine's other load hits both alike. The first half holds
    # every client's first booking: by default the rush on the hot slot. The database is checked
    # for overbooking after each run, then the bookings are wiped.
    make_bookings(plan, listed, setup, args)
    ids = citizen_ids(engine, [plan.codes[i] for i in tokens])
    halves = [[c[:(len(c) + 1) // 2] for c in plan.clients],
              [c[(len(c) + 1) // 2:] for c in plan.clients]]
    apps = {"real": ("product POST /bookings", real, "product hot-slot requests"),
            "base": ("baseline POST /book", base, "baseline hot-slot requests")}
    parts: dict[str, list[Stats]] = {key: [] for key in apps}
    hot = {key: Stats(apps[key][2], 0) for key in apps}
    integrity: dict[str, list[Integrity]] = {key: [] for key in apps}

    def booking_job(key: str, i: int, slot: int, created: Counter) -> Job:
        def done(status: int, body: Any, latency: float) -> None:
            if slot == setup.hot_slot:
                hot[key].latencies.append(latency)
                hot[key].outcomes[str(status)] += 1
            if status == 201:
                created["all"] += 1
                created["hot"] += slot == setup.hot_slot
        if key == "real":
            return Job("POST", f"{real.base}/api/v1/bookings",
                       {"slot": slot, "item": ITEM_CODE, "help_type": "assist", "note": None},
                       headers={"Authorization": f"Bearer {tokens[i]}"}, on_done=done)
        return Job("POST", f"{base.base}/book", {"slot": slot, "citizen": ids[plan.codes[i]]},
                   on_done=done)

    for n, key in enumerate(("real", "base", "base", "real")):
        half = halves[0] if n < 2 else halves[1]
        label, server, _ = apps[key]
        created: Counter = Counter()
        jobs = [[booking_job(key, i, slot, created) for i in c
                 if i in tokens and plan.codes[i] in ids for slot in plan.bookings[i]]
                for c in half]
        jobs = [j for j in jobs if j]
        if not jobs:
            continue
        on_hot = sum(1 for js in jobs for j in js if j.body["slot"] == setup.hot_slot)
        progress(f"{label}: {sum(map(len, jobs))} bookings ({on_hot} on the hot slot) at "
                 f"{len(jobs)} connections ({'first' if n < 2 else 'second'} half) ...")
        parts[key].append(await run_phase(label, jobs, args, server))
        integrity[key].append(check_integrity(engine, setup.hot_slot, created["all"],
                                              created["hot"]))
        if n < 3:
            wipe_bookings(engine)
    for key in apps:
        results[f"{key}_book"] = merge(parts[key])
        results[f"{key}_book_halves"] = parts[key]
        results[f"{key}_hot"] = hot[key]
        results[f"{key}_integrity"] = integrity[key]

    count = results["real_list"].count or citizens
    progress(f"baseline: {count} slot listings at {len(plan.clients)} connections ...")
    holder = [Stats("", 0)]
    results["base_list"] = await _run_with_ref(
        "baseline GET /slots",
        [[Job("GET", base_list_url, on_done=listing_ok(expected, holder[0]))
          for _ in range(len(c))] for c in split(list(range(count)), args.connections)],
        args, base, holder)

    # Slot listing at --list-connections, in the order product, baseline, baseline, product
    # (half the requests each time): a drift in the machine's other load hits both alike.
    apps = {"real_list64": (real_list_url, real, "product GET /places/{code}/slots"),
            "base_list64": (base_list_url, base, "baseline GET /slots")}
    halves: dict[str, list[Stats]] = {key: [] for key in apps}
    for n, key in enumerate(("real_list64", "base_list64", "base_list64", "real_list64")):
        url, server, label = apps[key]
        first_half = args.list_requests // 2
        requests = first_half if n < 2 else args.list_requests - first_half
        chunks = split(list(range(requests)), args.list_connections)
        progress(f"{label}: {requests} listings at {len(chunks)} connections "
                 f"({'first' if n < 2 else 'second'} half) ...")
        holder = [Stats("", 0)]
        halves[key].append(await _run_with_ref(
            label, [[Job("GET", url, on_done=listing_ok(expected, holder[0])) for _ in c]
                    for c in chunks], args, server, holder))
    for key, parts in halves.items():
        results[key] = merge(parts)
    return results


def merge(parts: list[Stats]) -> Stats:
    merged = Stats(parts[0].name, parts[0].connections)
    for part in parts:
        merged.latencies += part.latencies
        merged.outcomes += part.outcomes
        merged.elapsed += part.elapsed
        merged.wrong_answers += part.wrong_answers
        merged.stopped_by_time |= part.stopped_by_time
        for k, v in part.cpu.items():
            merged.cpu[k] = (merged.cpu.get(k, 0.0) + v if not isinstance(v, list)
                             else [round(a + b, 2) for a, b in
                                   zip_longest(merged.cpu.get(k) or [], v, fillvalue=0.0)])
    return merged


async def _run_with_ref(name: str, plan: list[list[Job]], args: argparse.Namespace,
                        server: Server, holder: list[Stats]) -> Stats:
    """run_phase, with the listing checks counting into the Stats it returns."""
    stats = await run_phase(name, plan, args, server)
    stats.wrong_answers += holder[0].wrong_answers
    return stats


# --------------------------------------------------------------------------------------------
# Report

def _fmt_outcomes(stats: Stats, ok: tuple[str, ...]) -> str:
    parts = [f"{k}: {n}" for k, n in sorted(stats.outcomes.items()) if k not in ok]
    return ", ".join(parts) or "none"


def phase_line(s: Stats) -> str:
    return (f"  {s.name:<36} {s.count:>6} req in {s.elapsed:6.2f}s  {s.rate:8.1f}/s   "
            f"p50 {s.pct(.5):7.1f}  p95 {s.pct(.95):7.1f}  p99 {s.pct(.99):7.1f} ms"
            + ("   [stopped at --duration]" if s.stopped_by_time else ""))


def report(args: argparse.Namespace, setup: Setup, r: dict, real: Server) -> dict:
    width = 100
    print()
    print("=" * width)
    print("BOOKING STORM REPORT".center(width))
    print("=" * width)
    cores = os.cpu_count()
    print(f"machine: {cores} cores. The load generator (this process, one asyncio loop) shares "
          f"them with both gunicorns and PostgreSQL;")
    print("absolute figures are this machine's; compare the ratios. CPU lines show who used it.")
    before, after = r["background"]
    print(f"background load (CPU busy while the bench was idle): {before:.0%} before the load, "
          f"{after:.0%} after" + ("  <-- other work on this machine skews the figures; "
                                   "run again when it is quiet" if max(before, after) > 0.15
                                   else ""))
    print(machine_load())
    print("limit counters: " + (f"Redis {args.redis_url} (shared by the workers)"
                                if args.redis_url else "in each worker's memory"))
    if args.app_config:
        print(f"product config overrides (experiment): {json.dumps(args.app_config)}")
    print(f"servers: gunicorn --workers {args.workers} --worker-class gthread --threads "
          f"{args.threads} --keep-alive {args.keep_alive} (each app, 127.0.0.1)")
    print(f"data: place {PLACE_CODE}, {len(setup.slot_ids)} bookable slots from "
          f"{setup.first} to {setup.last} ({setup.workdays} working days x {setup.per_day} of "
          f"{setup.slot_minutes} min), capacity {args.capacity}, hot slot id {setup.hot_slot} "
          f"capacity {args.hot_capacity}")
    hot_rule = ("each client's first booking" if args.hot_share is None
                else f"{args.hot_share:.0%} of bookings")
    print(f"load: {args.connections} connections, {args.per_citizen} bookings per citizen, "
          f"hot slot gets {hot_rule}; per-phase limit {args.duration:.0f}s")
    print()
    print("Phases (latency in ms, client-side, including the connection wait):")
    for key in ("real_login", "real_list", "real_book", "base_book", "base_list",
                "real_list64", "base_list64"):
        s: Stats = r[key]
        print(phase_line(s))
        print(f"  {'':<36} answers: {_fmt_outcomes(s, ())}"
              + (f"; WRONG slot count: {s.wrong_answers}" if s.wrong_answers else ""))
        cpu = s.cpu
        available = max(s.elapsed * (cores or 1), 1e-9)
        print(f"  {'':<36} CPU s: machine {cpu['machine']:.1f} of {available:.1f} "
              f"({cpu['machine'] / available:.0%}): client {cpu['client']:.1f}, app "
              f"{cpu['app']:.1f} (by process {cpu['app_processes']}), postgres "
              f"{cpu['postgres']:.1f}, other {cpu['other']:.1f}; app CPU per request "
              f"{s.app_cpu_ms:.1f} ms")
    print()

    rb, bb = r["real_book"], r["base_book"]
    print("Bookings")
    print(f"  {'':<12}{'req/s':>9}{'201/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
          f"{'5xx':>6}{'CPU ms/req':>11}  other answers")
    for label, s in (("product", rb), ("baseline", bb)):
        print(f"  {label:<12}{s.rate:9.1f}{s.count_of('201') / max(s.elapsed, 1e-9):9.1f}"
              f"{s.pct(.5):9.1f}{s.pct(.95):9.1f}{s.pct(.99):9.1f}{s.server_errors:6d}"
              f"{s.app_cpu_ms:11.1f}  {_fmt_outcomes(s, ('201',))}")
    for label, key in (("product", "real_book_halves"), ("baseline", "base_book_halves")):
        print(f"  {label} by half: " + "; ".join(
            f"{name} {half.rate:.1f} req/s, {half.app_cpu_ms:.1f} ms app CPU per request"
            for name, half in zip(("first (the hot slot's rush)", "second"), r[key])))
    for label, key in (("product", "real_hot"), ("baseline", "base_hot")):
        h: Stats = r[key]
        if h.count:
            print(f"  {label} hot slot: {h.count} requests, p50 {h.pct(.5):.1f} / p95 "
                  f"{h.pct(.95):.1f} / p99 {h.pct(.99):.1f} ms; answers "
                  f"{_fmt_outcomes(h, ())}")
    print("  (409 slot_full is the expected answer for a full slot; the hot slot fills at once)")
    print()
    print("Overbooking checks (database after each booking run)")
    for label, key in (("product", "real_integrity"), ("baseline", "base_integrity")):
        for n, i in enumerate(r[key], 1):
            print(f"  {label:<9} run {n}: slots booked > capacity: {i.over_capacity}; slots "
                  f"whose active bookings != booked: {i.count_mismatch};")
            print(f"  {'':<9} hot slot: {i.hot_active} active bookings, booked={i.hot_booked}, "
                  f"capacity {i.hot_capacity} (201s seen on it: {i.hot_created_seen})"
                  f"  => overbooked: {i.overbooked}")
            print(f"  {'':<9} active booking rows {i.active_rows} vs 201 answers seen "
                  f"{i.created_seen}" + ("" if i.unacknowledged == 0 else
                                          f"  ({i.unacknowledged:+d}: committed but not "
                                          "answered 201, e.g. a client time-out)"))
    print()
    print("Slot listings (each answer: all the slots of the range)")
    print(f"  {'':<30}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'5xx':>6}"
          f"{'CPU ms/req':>11}")
    for label, key in ((f"product  @{args.connections}", "real_list"),
                       (f"baseline @{args.connections}", "base_list"),
                       (f"product  @{args.list_connections}", "real_list64"),
                       (f"baseline @{args.list_connections}", "base_list64")):
        s = r[key]
        print(f"  {label:<30}{s.rate:9.1f}{s.pct(.5):9.1f}{s.pct(.95):9.1f}{s.pct(.99):9.1f}"
              f"{s.server_errors:6d}{s.app_cpu_ms:11.1f}")
    print()

    booking_ratio = rb.rate / bb.rate if bb.rate else 0.0
    listing_ratio = r["real_list64"].rate / r["base_list64"].rate if r["base_list64"].rate else 0.0
    storm_listing_ratio = r["real_list"].rate / r["base_list"].rate if r["base_list"].rate else 0.0
    overbooked = sum(i.overbooked for i in r["real_integrity"])
    five = sum(r[k].server_errors for k in ("real_login", "real_list", "real_book",
                                              "real_list64"))
    wrong = sum(r[k].wrong_answers for k in ("real_list", "real_list64"))
    transport = sum(r[k].transport_errors for k in ("real_login", "real_list", "real_book",
                                                     "real_list64"))
    incomplete = any(r[k].stopped_by_time for k in r if isinstance(r[k], Stats))
    targets = [
        ("product overbooked == 0", overbooked == 0, f"{overbooked}"),
        ("product 5xx == 0", five == 0, f"{five}"),
        (f"booking ratio product/baseline >= {TARGET_BOOKING_RATIO} (@{args.connections})",
         booking_ratio >= TARGET_BOOKING_RATIO, f"{booking_ratio:.2f}"),
        (f"slot-listing ratio product/baseline >= {TARGET_LISTING_RATIO} "
         f"(@{args.list_connections})", listing_ratio >= TARGET_LISTING_RATIO,
         f"{listing_ratio:.2f}"),
    ]
    print("Ratios and targets")
    print(f"  booking throughput ratio      {booking_ratio:.2f}  "
          f"({rb.rate:.1f} / {bb.rate:.1f} req/s)")
    print(f"  slot-listing ratio @{args.list_connections:<9} {listing_ratio:.2f}  "
          f"({r['real_list64'].rate:.1f} / {r['base_list64'].rate:.1f} req/s)")
    print(f"  slot-listing ratio @{args.connections:<9} {storm_listing_ratio:.2f}  "
          f"(information)")
    cpu_booking = bb.app_cpu_ms / rb.app_cpu_ms if rb.app_cpu_ms else float("nan")
    list_real, list_base = r["real_list64"].app_cpu_ms, r["base_list64"].app_cpu_ms
    cpu_listing = list_base / list_real if list_real else float("nan")
    print(f"  app CPU per request, baseline/product (information; about the ratio a CPU-bound "
          f"server reaches): bookings {cpu_booking:.2f}, slot listings "
          f"@{args.list_connections} {cpu_listing:.2f}")
    for label, ok, value in targets:
        print(f"  {'PASS' if ok else 'FAIL'}  {label:<62} {value}")
    if transport:
        print(f"  note: {transport} requests to the product failed at the transport level "
              "(see 'error ...' answers above)")
    if wrong:
        print(f"  note: {wrong} product listings answered a wrong number of slots")
    if incomplete:
        print("  note: at least one phase stopped at --duration before its last request")
    print("=" * width)

    return {
        "settings": {k: v for k, v in vars(args).items()},
        "setup": {"slots": len(setup.slot_ids), "hot_slot": setup.hot_slot,
                  "first": setup.first.isoformat(), "last": setup.last.isoformat()},
        "phases": {k: v.as_dict() for k, v in r.items() if isinstance(v, Stats)},
        "integrity": {k: [{**vars(i), "overbooked": i.overbooked} for i in r[k]]
                      for k in ("real_integrity", "base_integrity")},
        "ratios": {"booking": booking_ratio, "slot_listing": listing_ratio,
                   "slot_listing_storm": storm_listing_ratio,
                   "cpu_per_request_booking": cpu_booking, "cpu_per_request_listing": cpu_listing},
        "targets": {label: ok for label, ok, _ in targets},
        "cores": cores,
        "background_busy": {"before": before, "after": after},
    }


# --------------------------------------------------------------------------------------------

def _interrupt(signum, frame):
    raise KeyboardInterrupt


class BenchRun:
    """What a benchmark run starts (gunicorns, an engine on its database, a folder for the
    servers' logs), stopped and removed however the run ends:

        with BenchRun(args, "booking-storm-") as run:
            run.created_db = True
            server = run.server("product", "backend:create_app()", ROOT, env)

    Ctrl-C and a plain kill both end the run through the cleanup (SIGINT too when the shell
    that started us in the background had it ignored). The database of ``--database-url`` is
    dropped unless ``--keep``; the logs are kept when the run did not succeed."""

    def __init__(self, args: argparse.Namespace, prefix: str):
        signal.signal(signal.SIGTERM, _interrupt)
        signal.signal(signal.SIGINT, _interrupt)
        if not Path(args.gunicorn).exists():
            sys.exit(f"gunicorn not found at {args.gunicorn} (use --gunicorn)")
        self.args = args
        self.servers: list[Server] = []
        self.engine: sa.Engine | None = None
        self.logdir = Path(tempfile.mkdtemp(prefix=prefix))
        self.created_db = self.succeeded = False
        self.started = time.monotonic()

    def __enter__(self) -> BenchRun:
        return self

    def server(self, name: str, app_spec: str, chdir: Path, env: dict[str, str]) -> Server:
        server = Server(name, app_spec, chdir, env, self.args, self.logdir)
        self.servers.append(server)
        return server

    def database_engine(self) -> sa.Engine:
        self.engine = sa.create_engine(self.args.database_url, poolclass=sa.pool.NullPool)
        return self.engine

    def print_server_logs(self) -> None:
        for s in self.servers:
            if s.proc.poll() is not None:
                print(f"warning: {s.name} gunicorn had exited ({s.proc.returncode})")
            tail = s.log_tail(10)
            if tail.strip():
                print(f"--- last lines of the {s.name} gunicorn log ({s.log}):\n{tail}")
        print(f"total time {time.monotonic() - self.started:.0f}s")

    def __exit__(self, *exc) -> None:
        for s in self.servers:
            s.stop()
        if self.engine is not None:
            self.engine.dispose()
        if self.created_db and not self.args.keep:
            try:
                drop_database(self.args.database_url)
            except Exception as error:  # noqa: BLE001 - report, do not hide the first error
                print(f"could not drop the bench database: {error}", file=sys.stderr)
        elif self.created_db:
            print(f"kept the database {sa.make_url(self.args.database_url).database}")
        if self.succeeded and not self.args.keep:
            shutil.rmtree(self.logdir, ignore_errors=True)
        else:
            print(f"gunicorn logs kept in {self.logdir}", file=sys.stderr)


def run_bench(args: argparse.Namespace, prefix: str, body: Callable[[BenchRun], None]) -> int:
    """`body(run)` in a BenchRun, then the servers' last log lines: 0 when it is done, 130 when
    it was interrupted (and cleaned up)."""
    try:
        with BenchRun(args, prefix) as run:
            body(run)
            run.print_server_logs()
            run.succeeded = True
            return 0
    except KeyboardInterrupt:
        print("\ninterrupted: cleaned up", file=sys.stderr)
        return 130


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return run_bench(args, "booking-storm-", lambda run: bench(args, run))


def bench(args: argparse.Namespace, run: BenchRun) -> None:
    progress(f"setup: database {sa.make_url(args.database_url).render_as_string()} "
             f"(dropped and re-created) ...")
    run.created_db = True
    setup = setup_database(args)
    progress(f"setup: {len(setup.slot_ids)} bookable slots, hot slot {setup.hot_slot}")

    env = {k: v for k, v in os.environ.items()
           if k not in ("WECHAT_APPID", "WECHAT_SECRET", "REDIS_URL", "FLASK_DEBUG")}
    if args.redis_url:
        import redis
        redis.Redis.from_url(args.redis_url).flushdb()
        env["REDIS_URL"] = args.redis_url
    env.update(DATABASE_URL=args.database_url, SECRET_KEY=SECRET_KEY, DATA_KEY=DATA_KEY,
               BASELINE_ITEM_ID=str(setup.item_id), BASELINE_PLACE_ID=str(setup.place_id),
               BASELINE_POOL_SIZE=str(args.threads), PYTHONUNBUFFERED="1",
               # Every citizen signs in from this one machine; in the district they come from
               # many addresses, each far below the per-address login limit.
               WECHAT_LOGIN_RATE_LIMIT="1000000 per minute")
    spec = "backend:create_app()"
    if args.app_config:
        spec = f"backend:create_app({args.app_config!r})"  # gunicorn reads literal arguments
    real = run.server("product", spec, ROOT, env)
    base = run.server("baseline", "baseline_app:create_app()", BENCH_DIR, env)
    span = f"from={setup.first}&to={setup.last}"
    real.wait_ready(f"/api/v1/places/{PLACE_CODE}/slots?{span}")
    base.wait_ready(f"/slots?place_id={setup.place_id}&{span}")
    progress(f"servers: product {real.base} (pid {real.proc.pid}), "
             f"baseline {base.base} (pid {base.proc.pid}); logs in {run.logdir}")

    engine = run.database_engine()
    idle_before = background_busy()
    results = asyncio.run(storm(args, setup, real, base, engine))
    results["background"] = (idle_before, background_busy())
    figures = report(args, setup, results, real)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, default=str))
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    sys.exit(main())
