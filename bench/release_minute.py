#!/usr/bin/env python3
"""The release minute: a new day of slots opens and 2,000 signed-in citizens list one place's
slots and book, on PostgreSQL and Redis, under gunicorn with 4 workers; then the slot listing's
throughput with its cache and without it, at 2,000 citizens.

Run from the repository root (PostgreSQL and Redis running on this machine):

    .venv/bin/python bench/release_minute.py             # about 80 seconds; --help for options
    .venv/bin/python bench/release_minute.py --citizens 500 --list-rounds 1   # a quick look

What it does, in order; every step is bounded and the run stops by itself:

1. Setup. Drops and re-creates the database of ``--database-url`` (default
   ``postgresql+psycopg://postgres@127.0.0.1:5432/release_minute``), migrates it, imports
   bench/booking_storm.py's catalogue (one place ``BENCH-HALL``, one item; ``--per-day`` slots
   of ``--slot-minutes`` a working day, ``--capacity`` seats each) and generates the slots up
   to the day before the new day. The new day is the last working day of the booking window
   (today + 14 days, or the working day before it). Flushes the Redis database of
   ``--redis-url`` (default ``redis://127.0.0.1:6379/12``; that database only, flushed again
   at the end).
2. Two servers of the product, each ``gunicorn 'backend:create_app()' --workers 4
   --worker-class gthread --threads 8``, in demo mode, with REDIS_URL set (limit counters and
   the slot listing's cache shared by the workers): "cached" as deployed
   (SLOT_LIST_CACHE_SECONDS 2) and "uncached" (SLOT_LIST_CACHE_SECONDS=0), the product as it is
   with the cache off, used only for the listing comparison.
3. Every citizen signs in (POST /auth/wechat-login; before the minute, not counted in it).
4. The release: citizens poll the listing while ``flask jobs run generate-slots`` (the daily
   job, in a process of its own, with BOOKING_WINDOW_DAYS reaching the new day) makes the new
   day's slots; the report says how soon after the job's commit the listing showed them (the
   job refreshes the cached listings through Redis: no wait for the 2 seconds).
5. The minute, on the cached server, all citizens at once over ``--connections`` (2,000)
   connections; stopped at ``--duration`` (60 s) if not done by then. Each of ``--citizens``
   lists the place's slots from tomorrow to the new day, books a slot of the new day that the
   listing shows free (any free slot once the new day is gone), and on 409 slot_full lists
   again and tries another, three tries at most. Each booking carries an Idempotency-Key; a
   ``--retry-share`` of the citizens sends it again once answered (a retry after a lost
   answer), a ``--double-share`` sends it twice at once (a double tap): the answers must be
   the same, with one booking. Besides them, ``--over-booking`` citizens send 12 bookings at
   once (BOOKING_RATE_LIMIT allows 10 a minute: 2 each must be refused) and ``--over-citizen``
   citizens book once, then ask for their bookings 125 times at once (CITIZEN_RATE_LIMIT
   allows 120 signed-in requests a minute: 6 each must be refused). Which limit refused a 429
   is known by who asked, and checked against the counters: every citizen's counters are read
   from Redis as soon as its last request is answered and must equal the requests it sent,
   whichever workers answered them, and its 429s must be exactly those beyond the limit.
   Beside the minute, "whichever worker answers" directly: 24 connections are opened while the
   load is on (an idle gunicorn worker takes every new connection; busy ones share them), the
   worker holding the server end of each is read from /proc, and ``--spread-citizens`` fresh
   citizens each send 11 bookings at once on 11 of them taken worker by worker: exactly 10 of
   each citizen's 11 must be let through however the workers shared them.
6. Checks: no slot booked over capacity or with ``booked`` different from its active bookings
   (bench/booking_storm.py's check), no citizen with two active bookings of one slot, every
   retried key answered the same with one booking, the active bookings equal the 201 answers,
   no 5xx.
7. Listing throughput at ``--citizens`` connections (one per citizen, each listing
   ``--list-rounds`` times per half), cached then uncached then uncached then cached, so that
   a change in the machine's other load hits both alike; every answer is checked for its
   slot count. No booking meanwhile: the cached server computes a listing once every
   2 seconds. The factor cached/uncached is the figure (target >= 3). (In the minute itself
   every booking refreshes the place's cached listings, so while bookings pour in most
   listings are computed: the report shows the minute's listing figures too.)
8. Report with the machine's load before and after, then cleanup: both gunicorns stopped (also
   on Ctrl-C or an error), the database dropped unless ``--keep``.

The load generator (one asyncio + aiohttp process) shares the machine's cores with the servers,
PostgreSQL and Redis: the figures are this machine's. Needs aiohttp (requirements.txt).
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
import os
import random
import subprocess
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from http.client import HTTPConnection
from itertools import zip_longest
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import booking_storm as storm  # noqa: E402  (also checks that aiohttp is there)
from bench.databases import recreate_database  # noqa: E402
from bench.load import machine_load, print_load  # noqa: E402

import aiohttp  # noqa: E402
import sqlalchemy as sa  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/release_minute"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
TARGET_FACTOR = 3.0
LISTING = f"/api/v1/places/{storm.PLACE_CODE}/slots"
BOOKING_BURST = 12   # bookings at once by an over-the-booking-limit citizen
POLLS = 125          # GET /bookings at once by an over-the-citizen-limit citizen
SPREAD_BURST = 11    # bookings at once, one connection each, in the worker check
SPREAD_POOL = 24     # connections opened to pick them from, across the workers


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = storm.bench_parser("release_minute.py", __doc__, DEFAULT_URL, workers=4, keep_alive=75,
                           timeout=60.0)
    p.add_argument("--redis-url", default=DEFAULT_REDIS,
                   help="Redis database of the servers (limits, listing cache); it is FLUSHED")
    p.add_argument("--citizens", type=int, default=2000,
                   help="citizens who list and book in the minute; also the connections of the "
                        "listing comparison")
    p.add_argument("--connections", type=int, default=2000,
                   help="connections of the minute (shared by all its requests)")
    p.add_argument("--duration", type=float, default=60.0,
                   help="the minute: no request starts after it (also each listing phase's limit)")
    p.add_argument("--retry-share", type=float, default=0.10,
                   help="share of citizens who send their booking again, same Idempotency-Key")
    p.add_argument("--double-share", type=float, default=0.05,
                   help="share of citizens who send their booking twice at once, same key")
    p.add_argument("--over-booking", type=int, default=20,
                   help=f"citizens who send {BOOKING_BURST} bookings at once (over "
                        "BOOKING_RATE_LIMIT)")
    p.add_argument("--over-citizen", type=int, default=20,
                   help=f"citizens who ask for their bookings {POLLS} times at once (over "
                        "CITIZEN_RATE_LIMIT)")
    p.add_argument("--spread-citizens", type=int, default=8,
                   help=f"citizens of the worker check ({SPREAD_BURST} bookings each, one "
                        "connection each)")
    p.add_argument("--list-rounds", type=int, default=2,
                   help="listings per citizen in each half of the listing comparison")
    p.add_argument("--per-day", type=int, default=16, help="slots per working day")
    p.add_argument("--slot-minutes", type=int, default=30, help="minutes per slot")
    p.add_argument("--capacity", type=int, default=20, help="seats per slot")
    p.add_argument("--seed", type=int, default=1, help="random seed of the citizens' choices")
    args = p.parse_args(argv)
    for name in ("citizens", "connections", "list_rounds", "per_day", "slot_minutes",
                 "capacity", "workers", "threads"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.per_day * args.slot_minutes > storm.DAY_MINUTES:
        p.error("--per-day x --slot-minutes must fit in a day (06:00-23:00)")
    if not 0 <= args.retry_share + args.double_share <= 1:
        p.error("--retry-share + --double-share must be between 0 and 1")
    return args


# --------------------------------------------------------------------------------------------
# Setup

@dataclass
class Setup:
    today: date
    tomorrow: date
    new_day: date
    window_days: int     # BOOKING_WINDOW_DAYS of the release job: today + this is the new day
    before: int = 0      # slots listed from tomorrow to the new day, before the release
    after: int = 0       # ... and after it
    first_new_slot: int = 0

    @property
    def query(self) -> str:
        return f"from={self.tomorrow.isoformat()}&to={self.new_day.isoformat()}"


def setup_database(args: argparse.Namespace, app) -> Setup:
    import flask_migrate
    from backend.extensions import db
    from backend.services.calendar import load_calendar
    from backend.services.catalog import import_catalog
    from backend.services.scope import SYSTEM
    from backend.services.slots import generate_slots

    recreate_database(args.database_url)
    with app.app_context():
        flask_migrate.upgrade()
        now = datetime.now(ZoneInfo(app.config["TIMEZONE"]))
        today = now.date()
        calendar = load_calendar(db.session)
        workdays = [i for i in range(2, app.config["BOOKING_WINDOW_DAYS"] + 1)
                    if calendar.day(today + timedelta(days=i)).kind == "workday"]
        if not workdays:
            raise SystemExit("no working day in the booking window to open")
        window = workdays[-1]
        import_catalog(db.session, SYSTEM,
                       storm._catalogue(args.per_day, args.slot_minutes, args.capacity))
        generate_slots(db.session, now, window - 1)  # the day before the new day
        db.session.commit()
        setup = Setup(today=today, tomorrow=today + timedelta(days=1),
                      new_day=today + timedelta(days=window), window_days=window)
        db.session.remove()
        db.engine.dispose()
    return setup


def listed_slots(engine: sa.Engine, setup: Setup) -> int:
    """The slots the listing shows from tomorrow to the new day (all open at that distance)."""
    with engine.connect() as conn:
        return conn.scalar(sa.text(
            "SELECT count(*) FROM slot WHERE active AND date BETWEEN :a AND :b"),
            {"a": setup.tomorrow, "b": setup.new_day})


def release(args: argparse.Namespace, env: dict[str, str], setup: Setup) -> float:
    """The daily job, in a process of its own, reaching the new day; the seconds it took."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "backend", "jobs", "run", "generate-slots"],
        cwd=ROOT, env={**env, "BOOKING_WINDOW_DAYS": str(setup.window_days)},
        capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"generate-slots failed:\n{done.stdout}\n{done.stderr}")
    storm.progress(f"release: {done.stdout.strip()}")
    return time.monotonic() - started


# --------------------------------------------------------------------------------------------
# Workers: which gunicorn worker holds the server end of a connection (read from /proc)

def _server_socket_inode(server_port: int, client_port: int) -> str | None:
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, remote, inode = fields[1], fields[2], fields[9]
            if (int(local.rsplit(":", 1)[1], 16) == server_port
                    and int(remote.rsplit(":", 1)[1], 16) == client_port):
                return inode
    return None


def worker_of(server: storm.Server, client_port: int) -> int | None:
    inode = _server_socket_inode(server.port, client_port)
    if inode is None:
        return None
    target = f"socket:[{inode}]"
    for pid in storm._children(server.proc.pid):
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                    return pid
            except OSError:
                continue
    return None


# --------------------------------------------------------------------------------------------
# The minute

@dataclass
class Citizen:
    index: int
    code: str
    role: str                    # plain, retry, double, over-booking, over-citizen, spread
    token: str | None = None
    id: int | None = None
    sent_citizen: int = 0        # requests counted against CITIZEN_RATE_LIMIT
    sent_booking: int = 0        # ... against BOOKING_RATE_LIMIT
    unknown: int = 0             # requests that failed in transport (counted or not: unknown)
    refused: int = 0             # 429 answers
    codes: set = field(default_factory=set)   # booking codes answered 201
    counters: tuple[int, ...] | None = None   # its limit counters, as CounterReader reads them
    done_at: float | None = None

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}


class Minute:
    def __init__(self, args: argparse.Namespace, server: storm.Server, setup: Setup,
                 citizens: list[Citizen], counters: CounterReader):
        self.args, self.server, self.setup = args, server, setup
        self.citizens, self.counters = citizens, counters
        self.listing = storm.Stats("GET /places/{code}/slots", args.connections)
        self.booking = storm.Stats("POST /bookings", args.connections)
        self.polling = storm.Stats("GET /bookings", args.connections)
        self.pairs: list[tuple[str, tuple, tuple]] = []  # (role, first answer, second answer)
        self.wrong_listings = 0
        self.hot_created = 0
        self.cut = 0
        self.rng = random.Random(args.seed)
        self.deadline = 0.0
        self.started = 0.0

    # One request, its answer (status, body; status None: failed in transport).
    async def call(self, http, stats: storm.Stats, method: str, path: str,
                   citizen: Citizen | None = None, body: Any = None,
                   headers: dict | None = None) -> tuple[int | None, Any]:
        answer: dict[str, Any] = {}

        def done(status: int, body: Any, latency: float) -> None:
            answer.update(status=status, body=body)
        if citizen is not None:
            citizen.sent_citizen += 1
            citizen.sent_booking += path == "/api/v1/bookings" and method == "POST"
        await storm._send(http, storm.Job(method, self.server.base + path, body,
                                          headers, done), stats)
        status = answer.get("status")
        if citizen is not None:
            citizen.unknown += status is None
            citizen.refused += status == 429
        return status, answer.get("body")

    def open(self) -> bool:
        if time.monotonic() < self.deadline:
            return True
        self.cut += 1
        return False

    async def list(self, http) -> list[dict]:
        status, body = await self.call(http, self.listing, "GET", f"{LISTING}?{self.setup.query}")
        if status != 200 or not isinstance(body, dict):
            return []
        if body.get("total") != self.setup.after:
            self.wrong_listings += 1
        return [s for s in body.get("items", []) if s.get("remaining", 0) > 0]

    def pick(self, free: list[dict], taken: set[int]) -> int | None:
        new_day = self.setup.new_day.isoformat()
        choices = ([s["id"] for s in free if s["date"] == new_day and s["id"] not in taken]
                   or [s["id"] for s in free if s["id"] not in taken])
        return self.rng.choice(choices) if choices else None

    async def book(self, http, citizen: Citizen, slot: int, key: str) -> tuple[int | None, Any]:
        headers = {**citizen.headers, "Idempotency-Key": key}
        status, body = await self.call(http, self.booking, "POST", "/api/v1/bookings", citizen,
                                       {"slot": slot, "item": storm.ITEM_CODE,
                                        "help_type": "assist", "note": None}, headers)
        if status == 201 and isinstance(body, dict):
            citizen.codes.add(body.get("code"))
            self.hot_created += slot == self.setup.first_new_slot
        return status, body

    async def plain(self, http, citizen: Citizen) -> None:
        taken: set[int] = set()
        for attempt in range(3):
            if not self.open():
                return
            slot = self.pick(await self.list(http), taken)
            if slot is None or not self.open():
                return
            taken.add(slot)
            key = f"{citizen.code}-{attempt}"
            if citizen.role == "double":
                first, second = await asyncio.gather(self.book(http, citizen, slot, key),
                                                     self.book(http, citizen, slot, key))
            else:
                first = await self.book(http, citizen, slot, key)
                second = (await self.book(http, citizen, slot, key)
                          if citizen.role == "retry" else None)
            if second is not None:
                self.pairs.append((citizen.role, _answer(first), _answer(second)))
            if _answer(first)[:2] != (409, "slot_full"):
                return

    async def over_booking(self, http, citizen: Citizen) -> None:
        if not self.open():
            return
        free = await self.list(http)
        slots = self.rng.sample([s["id"] for s in free], min(BOOKING_BURST, len(free)))
        await asyncio.gather(*(self.book(http, citizen, slot, f"{citizen.code}-{n}")
                               for n, slot in enumerate(slots)))

    async def over_citizen(self, http, citizen: Citizen) -> None:
        if not self.open():
            return
        slot = self.pick(await self.list(http), set())
        if slot is not None:
            await self.book(http, citizen, slot, f"{citizen.code}-0")
        await asyncio.gather(*(self.call(http, self.polling, "GET", "/api/v1/bookings", citizen,
                                         headers=citizen.headers) for _ in range(POLLS)))

    async def run_one(self, http, citizen: Citizen) -> None:
        flow = {"over-booking": self.over_booking, "over-citizen": self.over_citizen}.get(
            citizen.role, self.plain)
        await flow(http, citizen)
        citizen.done_at = time.monotonic() - self.started
        # The counters, as soon as the citizen's last request is answered (a minute's counter
        # lives a minute from its first request).
        citizen.counters = await self.counters.read(citizen)

    async def run(self) -> None:
        connector = aiohttp.TCPConnector(limit=self.args.connections,
                                         limit_per_host=self.args.connections,
                                         keepalive_timeout=self.args.keep_alive - 1)
        timeout = aiohttp.ClientTimeout(total=self.args.timeout)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
            self.started = time.monotonic()
            self.deadline = self.started + self.args.duration
            before = storm.CpuSample.take(self.server)
            await asyncio.gather(*(self.run_one(http, c) for c in self.citizens))
            self.elapsed = time.monotonic() - self.started
            self.cpu = storm.CpuSample.take(self.server).since(before)
        for stats in (self.listing, self.booking, self.polling):
            stats.elapsed = self.elapsed


def _answer(result: tuple[int | None, Any]) -> tuple:
    status, body = result
    error = body.get("error", {}).get("code") if isinstance(body, dict) else None
    code = body.get("code") if isinstance(body, dict) and status == 201 else None
    return status, error, code


class CounterReader:
    """A citizen's limit counters, read from the servers' Redis the way the product keys them
    (the limiter of an app made with the same settings)."""

    def __init__(self, app):
        from backend.infrastructure.ratelimit import parse
        from miniprogram_api.ratelimits import CITIZEN_LIMITS, EVERY_REQUEST
        import redis.asyncio
        limiter = app.extensions["banban.limiter"]
        self.storage = limiter.storage
        prefix = app.config["RATELIMIT_KEY_PREFIX"]
        booking = CITIZEN_LIMITS["bookings.create_booking"]
        setting, scope = EVERY_REQUEST
        self.items = [(item, scope) for item in parse(app.config[setting])]
        self.items += [(item, booking_scope) for booking_setting, booking_scope in booking[1:]
                       for item in parse(app.config[booking_setting])]
        self.prefix, self.citizen_scope = prefix, scope
        # The smallest amount of each: what a burst within the minute meets.
        self.citizen = min(item.amount for item, s in self.items if s == scope)
        self.booking = min(item.amount for item, s in self.items if s != scope)
        # Callers queue for one of a few connections (the client's loop has thousands of tasks).
        self.redis = redis.asyncio.Redis(connection_pool=redis.asyncio.BlockingConnectionPool
                                         .from_url(app.config["REDIS_URL"], max_connections=8))

    def keys(self, citizen: Citizen) -> list[str]:
        who = f"citizen:{citizen.id}"
        return [self.storage.prefixed_key(item.key_for(self.prefix, who, scope))
                for item, scope in self.items]

    async def read(self, citizen: Citizen) -> tuple[int, ...]:
        return tuple(int(v or 0) for v in await self.redis.mget(self.keys(citizen)))

    def expected(self, citizen: Citizen) -> tuple[int, ...]:
        """What each counter must read: the requests the citizen sent that it counts."""
        return tuple(citizen.sent_citizen if scope == self.citizen_scope else citizen.sent_booking
                     for _, scope in self.items)


# --------------------------------------------------------------------------------------------
# The worker check

@dataclass
class Spread:
    citizen: Citizen
    answers: list[int | None]            # status of each of the burst's requests
    workers: list[int | None]            # pid of the worker that answered each

    @property
    def admitted(self) -> int:
        return sum(1 for s in self.answers if s is not None and s != 429)

    @property
    def refused(self) -> int:
        return self.answers.count(429)


def _accepted_by(server: storm.Server, conn: HTTPConnection, wait: float = 2.0) -> int | None:
    """The worker that accepted this open connection (a worker accepts as soon as it can)."""
    port = conn.sock.getsockname()[1]
    deadline = time.monotonic() + wait
    while True:
        pid = worker_of(server, port)
        if pid is not None or time.monotonic() > deadline:
            return pid
        time.sleep(0.01)


class SpreadCheck:
    """Bursts of SPREAD_BURST bookings at once, each on a connection of its own, the connections
    taken in turn from each worker. SPREAD_POOL connections are opened while the minute's load
    is on (an idle gunicorn worker takes every new connection; busy ones share them), the worker
    that accepted each is read from /proc, and each burst is sent on SPREAD_BURST of them picked
    worker by worker."""

    def __init__(self, server: storm.Server):
        self.server = server
        self.pool: list[HTTPConnection] = []
        self.owner: dict[int, int | None] = {}
        self.turn = 0

    def open(self, seconds: float) -> None:
        for _ in range(SPREAD_POOL):
            conn = HTTPConnection("127.0.0.1", self.server.port, timeout=120)
            conn.connect()
            self.pool.append(conn)
            self.owner[id(conn)] = _accepted_by(self.server, conn)
            time.sleep(seconds / SPREAD_POOL)

    def burst(self, citizen: Citizen, slots: list[int]) -> Spread:
        by_worker: dict[int | None, list[HTTPConnection]] = defaultdict(list)
        for conn in self.pool[self.turn:] + self.pool[:self.turn]:
            by_worker[self.owner[id(conn)]].append(conn)
        self.turn = (self.turn + 1) % len(self.pool)
        turns = [conn for group in zip_longest(*by_worker.values()) for conn in group if conn]
        chosen = turns[:SPREAD_BURST]
        answers: list[int | None] = [None] * len(chosen)
        barrier = threading.Barrier(len(chosen))

        def one(n: int, conn: HTTPConnection) -> None:
            body = json.dumps({"slot": slots[n % len(slots)], "item": storm.ITEM_CODE,
                               "help_type": "assist", "note": None})
            barrier.wait()
            conn.request("POST", "/api/v1/bookings", body=body, headers={
                **citizen.headers, "Content-Type": "application/json",
                "Idempotency-Key": f"{citizen.code}-{n}"})
            response = conn.getresponse()
            response.read()
            answers[n] = response.status

        threads = [threading.Thread(target=one, args=(n, conn)) for n, conn in enumerate(chosen)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return Spread(citizen, answers, [self.owner[id(conn)] for conn in chosen])

    def run(self, citizens: list[Citizen], slots: list[int], seconds: float) -> list[Spread]:
        try:
            self.open(seconds)
            return [self.burst(c, slots) for c in citizens]
        finally:
            for conn in self.pool:
                conn.close()


# --------------------------------------------------------------------------------------------
# Checks after the minute

def duplicate_pairs(engine: sa.Engine) -> int:
    """(citizen, slot) pairs with more than one active booking (the unique index's job)."""
    with engine.connect() as conn:
        return conn.scalar(sa.text(
            "SELECT count(*) FROM (SELECT citizen_id, slot_id FROM booking "
            "WHERE status IN ('booked', 'checked_in') GROUP BY citizen_id, slot_id "
            "HAVING count(*) > 1) AS d"))


def active_by_citizen(engine: sa.Engine) -> Counter:
    with engine.connect() as conn:
        return Counter(dict(conn.execute(sa.text(
            "SELECT citizen_id, count(*) FROM booking WHERE status IN ('booked', 'checked_in') "
            "GROUP BY citizen_id")).all()))


def first_new_slot(engine: sa.Engine, setup: Setup) -> int:
    with engine.connect() as conn:
        return conn.scalar(sa.text(
            "SELECT id FROM slot WHERE date = :d AND active ORDER BY start_time LIMIT 1"),
            {"d": setup.new_day})


# --------------------------------------------------------------------------------------------
# The run

async def sign_in(server: storm.Server, citizens: list[Citizen], args) -> storm.Stats:
    by_code = {c.code: c for c in citizens}

    def job(c: Citizen) -> storm.Job:
        def done(status: int, body: Any, latency: float) -> None:
            if status == 200 and isinstance(body, dict):
                by_code[c.code].token = body.get("token")
        return storm.Job("POST", f"{server.base}/api/v1/auth/wechat-login", {"code": c.code},
                         on_done=done)
    plan = storm.split([job(c) for c in citizens], 200)
    return await storm.run_phase("POST /auth/wechat-login", plan, args, server)


async def watch_release(args, env: dict[str, str], server: storm.Server,
                        setup: Setup) -> dict[str, Any]:
    """Poll the listing while the release job runs; when did it show the new day."""
    url = f"{server.base}{LISTING}?{setup.query}"
    seen: list[tuple[float, int]] = []  # (when the poll started, slots it listed)
    finished: dict[str, float] = {}

    async def poll() -> None:
        async with aiohttp.ClientSession() as http:
            while "at" not in finished or seen[-1][0] < finished["at"] + 1.0:
                sent = time.monotonic()
                async with http.get(url) as r:
                    body = await r.json() if r.status == 200 else {}
                seen.append((sent, body.get("total", -1)))
                if sent > finished.get("at", sent + 1) and seen[-1][1] > setup.before:
                    return
                await asyncio.sleep(0.02)

    async def job() -> None:
        finished["seconds"] = await asyncio.to_thread(release, args, env, setup)
        finished["at"] = time.monotonic()

    await asyncio.gather(poll(), job())
    after_job = [(t, total) for t, total in seen if t >= finished["at"]]
    first_new = next((t for t, total in after_job if total > setup.before), None)
    return {"job_seconds": finished["seconds"], "polls": len(seen),
            "old_after_job": sum(1 for _, total in after_job if total == setup.before),
            "new_after_ms": None if first_new is None else (first_new - finished["at"]) * 1000}


async def compare_listings(args, setup: Setup, cached: storm.Server,
                           uncached: storm.Server) -> dict[str, storm.Stats]:
    halves: dict[str, list[storm.Stats]] = {"cached": [], "uncached": []}
    for n, (name, server) in enumerate((("cached", cached), ("uncached", uncached),
                                        ("uncached", uncached), ("cached", cached))):
        url = f"{server.base}{LISTING}?{setup.query}"
        holder = [storm.Stats("", 0)]
        plan = [[storm.Job("GET", url, on_done=storm.listing_ok(setup.after, holder[0]))
                 for _ in range(args.list_rounds)] for _ in range(args.citizens)]
        storm.progress(f"listing, {name}: {args.citizens * args.list_rounds} listings at "
                       f"{args.citizens} connections ({'first' if n < 2 else 'second'} half) ...")
        halves[name].append(await storm._run_with_ref(f"{name} GET /places/{{code}}/slots",
                                                      plan, args, server, holder))
    return {name: storm.merge(parts) for name, parts in halves.items()}


def assign_roles(args) -> list[Citizen]:
    run = f"{int(time.time())}-{os.getpid()}"
    rng = random.Random(args.seed)
    roles = ["plain"] * args.citizens
    retry, double = round(args.citizens * args.retry_share), round(args.citizens * args.double_share)
    for n, i in enumerate(rng.sample(range(args.citizens), retry + double)):
        roles[i] = "retry" if n < retry else "double"
    roles += (["over-booking"] * args.over_booking + ["over-citizen"] * args.over_citizen
              + ["spread"] * args.spread_citizens)
    return [Citizen(i, f"rm-{run}-{i}", role) for i, role in enumerate(roles)]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print_load("before")
    try:
        return storm.run_bench(args, "release-minute-", lambda run: bench(args, run))
    finally:
        print_load("after")


def bench(args: argparse.Namespace, run: storm.BenchRun) -> None:
    import redis
    from backend import create_app
    # The setup's app, and the reader of the limit counters: the servers' settings.
    app = create_app({"DATABASE_URL": args.database_url, "SECRET_KEY": storm.SECRET_KEY,
                      "DATA_KEY": storm.DATA_KEY, "WECHAT_APPID": None, "WECHAT_SECRET": None,
                      "REDIS_URL": args.redis_url})
    storm.progress(f"setup: database {sa.make_url(args.database_url).database} (dropped and "
                   f"re-created), Redis {args.redis_url} (flushed) ...")
    run.created_db = True
    setup = setup_database(args, app)
    engine = run.database_engine()
    setup.before = listed_slots(engine, setup)
    redis.Redis.from_url(args.redis_url).flushdb()
    storm.progress(f"setup: slots to {setup.new_day - timedelta(days=1)}; the new day "
                   f"{setup.new_day} opens with the job ({setup.before} slots listed before it)")

    env = {k: v for k, v in os.environ.items()
           if k not in ("WECHAT_APPID", "WECHAT_SECRET", "FLASK_DEBUG",
                        "SLOT_LIST_CACHE_SECONDS", "BOOKING_WINDOW_DAYS")}
    env.update(DATABASE_URL=args.database_url, SECRET_KEY=storm.SECRET_KEY,
               DATA_KEY=storm.DATA_KEY, REDIS_URL=args.redis_url,
               DATABASE_POOL_SIZE=str(args.threads), PYTHONUNBUFFERED="1",
               # 2,000 citizens sign in from this one machine; in the district they come from
               # many addresses, each far below the per-address login limit.
               WECHAT_LOGIN_RATE_LIMIT="1000000 per minute")
    cached = run.server("cached", "backend:create_app()", ROOT, env)
    uncached = run.server("uncached", "backend:create_app()", ROOT,
                          {**env, "SLOT_LIST_CACHE_SECONDS": "0"})
    for server in run.servers:
        server.wait_ready(f"{LISTING}?{setup.query}")
    storm.progress(f"servers: cached {cached.base}, uncached {uncached.base} (gunicorn "
                   f"--workers {args.workers} --threads {args.threads}); logs in {run.logdir}")
    citizens = assign_roles(args)
    try:
        results = asyncio.run(run_minute(args, env, setup, cached, uncached, citizens, app,
                                         engine))
    finally:
        redis.Redis.from_url(args.redis_url).flushdb()  # the run's counters and cache
    report(args, setup, citizens, results)


async def run_minute(args, env, setup: Setup, cached: storm.Server, uncached: storm.Server,
              citizens: list[Citizen], app, engine: sa.Engine) -> dict[str, Any]:
    results: dict[str, Any] = {}
    warm = args.workers * args.threads
    for server in (cached, uncached):
        await storm.warm_up(f"{server.base}{LISTING}?{setup.query}", warm)
    storm.progress(f"sign-in: {len(citizens)} citizens ...")
    results["login"] = await sign_in(cached, citizens, args)
    ids = storm.citizen_ids(engine, [c.code for c in citizens if c.token])
    for c in citizens:
        c.id = ids.get(c.code)
    signed = [c for c in citizens if c.token and c.id]
    results["not_signed_in"] = len(citizens) - len(signed)

    storm.progress("release: citizens poll the listing while generate-slots opens the new day")
    results["release"] = await watch_release(args, env, cached, setup)
    setup.after = listed_slots(engine, setup)
    setup.first_new_slot = first_new_slot(engine, setup)

    counters = CounterReader(app)
    in_minute = [c for c in signed if c.role != "spread"]
    minute = Minute(args, cached, setup, in_minute, counters)
    spread = [c for c in signed if c.role == "spread"]
    with engine.connect() as conn:  # seats for the worker check: the window's last days
        free = list(conn.scalars(sa.text(
            "SELECT id FROM slot WHERE active AND date BETWEEN :a AND :b "
            "ORDER BY date DESC, start_time LIMIT 20"),
            {"a": setup.tomorrow, "b": setup.new_day - timedelta(days=1)}))
    storm.progress(f"the minute: {len(in_minute)} citizens at {args.connections} connections "
                   f"(stops at {args.duration:.0f}s); beside it the worker check, {len(spread)} "
                   f"citizens x {SPREAD_BURST} bookings at once, one connection each ...")
    _, results["spread"] = await asyncio.gather(
        minute.run(), asyncio.to_thread(SpreadCheck(cached).run, spread, free, 3.0))
    results["minute"] = minute

    created = (sum(len(c.codes) for c in in_minute)
               + sum(sp.answers.count(201) for sp in results["spread"]))
    hot = storm.check_integrity(engine, setup.first_new_slot, created, minute.hot_created)
    results["integrity"] = hot
    results["duplicate_pairs"] = duplicate_pairs(engine)
    results["active_by_citizen"] = active_by_citizen(engine)
    results["listing"] = await compare_listings(args, setup, cached, uncached)
    await counters.redis.aclose()
    results["counters"] = counters
    return results


# --------------------------------------------------------------------------------------------
# Report

def report(args, setup: Setup, citizens: list[Citizen], r: dict[str, Any]) -> None:
    minute: Minute = r["minute"]
    width = 100
    print()
    print("=" * width)
    print("RELEASE MINUTE REPORT".center(width))
    print("=" * width)
    print(f"machine: {machine_load()}; the load generator shares the cores with the servers, "
          "PostgreSQL and Redis")
    print(f"servers: gunicorn 'backend:create_app()' --workers {args.workers} --worker-class "
          f"gthread --threads {args.threads}, REDIS_URL {args.redis_url}; cached "
          f"(SLOT_LIST_CACHE_SECONDS default 2) and uncached (0)")
    print(f"data: {storm.PLACE_CODE}, {args.per_day} slots a working day x {args.capacity} "
          f"seats; listed from {setup.tomorrow} to {setup.new_day}: {setup.before} slots "
          f"before the release, {setup.after} after")
    login: storm.Stats = r["login"]
    print(f"sign-in: {login.count} citizens in {login.elapsed:.1f}s ({login.rate:.0f}/s)"
          + (f"; NOT signed in: {r['not_signed_in']}" if r["not_signed_in"] else ""))
    rel = r["release"]
    shown = ("never (within 1 s)" if rel["new_after_ms"] is None
             else f"{rel['new_after_ms']:.0f} ms after the job ended")
    print(f"release: generate-slots took {rel['job_seconds']:.1f}s (a process of its own); "
          f"{rel['polls']} polls of the listing; the new day listed {shown}; old listings "
          f"served after the job ended: {rel['old_after_job']}")
    print()
    roles = Counter(c.role for c in minute.citizens)
    done = [c.done_at for c in minute.citizens if c.done_at is not None]
    print(f"The minute: {len(minute.citizens)} citizens at {args.connections} connections "
          f"({', '.join(f'{n} {k}' for k, n in sorted(roles.items()))})")
    print(f"  all done in {max(done):.1f}s" + (
        f"; {minute.cut} requests not started: the minute was over" if minute.cut else
        " (within the minute)" if max(done) <= args.duration else ""))
    print(f"  {'':<30}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'5xx':>6}  answers")
    for s in (minute.listing, minute.booking, minute.polling):
        print(f"  {s.name:<30}{s.count:>9}{s.rate:9.1f}{s.pct(.5):9.1f}{s.pct(.99):9.1f}"
              f"{s.server_errors:6d}  {storm._fmt_outcomes(s, ())}")
    cpu = minute.cpu
    print(f"  CPU s: app {cpu['app']:.1f} (by process {cpu['app_processes']}), postgres "
          f"{cpu['postgres']:.1f}, client {cpu['client']:.1f}, other {cpu['other']:.1f}")
    print("  (every booking refreshes the place's cached listings: while bookings pour in, most "
          "listings are computed)")
    print()

    integrity: storm.Integrity = r["integrity"]
    active = r["active_by_citizen"]
    pairs_wrong = sum(1 for _, a, b in minute.pairs if (a[0] == 201 or b[0] == 201) and a != b)
    extra_rows = sum(max(0, active.get(c.id, 0) - len(c.codes)) for c in minute.citizens)
    duplicates = r["duplicate_pairs"] + pairs_wrong + extra_rows
    five = sum(s.server_errors for s in (minute.listing, minute.booking, minute.polling))
    five += sum(sum(1 for a in sp.answers if a is not None and a >= 500) for sp in r["spread"])
    five += sum(s.server_errors for s in r["listing"].values()) + login.server_errors
    transport = sum(s.transport_errors for s in (minute.listing, minute.booking, minute.polling,
                                                 *r["listing"].values()))
    retried = Counter(role for role, _, _ in minute.pairs)
    print("Correctness")
    print(f"  overbooked: {integrity.overbooked} (slots booked > capacity "
          f"{integrity.over_capacity}; slots whose active bookings != booked "
          f"{integrity.count_mismatch}; first slot of the new day: {integrity.hot_active} "
          f"active of {integrity.hot_capacity})")
    print(f"  duplicates: {duplicates} (citizen+slot with two active bookings "
          f"{r['duplicate_pairs']}; retried keys answered differently {pairs_wrong} of "
          f"{len(minute.pairs)}: {retried['retry']} retries after the answer, "
          f"{retried['double']} double taps; active bookings beyond the 201 answers "
          f"{extra_rows})")
    print(f"  active bookings {integrity.active_rows}, 201 answers {integrity.created_seen}")
    print(f"  5xx: {five}" + (f"; transport errors: {transport}" if transport else ""))
    print(f"  listings answering a wrong slot count: {minute.wrong_listings}")
    print()

    # Limits: who was refused, by which limit, and the counters in Redis.
    limits: CounterReader = r["counters"]
    print("Limits (429 refusals; counters read from Redis right after each citizen's last answer)")
    by_role: dict[str, Counter] = defaultdict(Counter)
    mismatched = []
    for c in minute.citizens:
        expected_citizen = max(0, c.sent_citizen - limits.citizen)
        expected_booking = max(0, c.sent_booking - limits.booking)
        by_role[c.role]["refused"] += c.refused
        by_role[c.role]["citizen"] += expected_citizen
        by_role[c.role]["booking"] += expected_booking
        if c.unknown:
            by_role[c.role]["uncertain"] += 1
            continue
        if (c.counters != limits.expected(c)
                or c.refused != expected_citizen + expected_booking):
            mismatched.append(c)
    print(f"  {'citizens':<16}{'429 seen':>9}{'beyond the citizen limit':>26}"
          f"{'beyond the booking limit':>26}")
    for role in sorted(by_role):
        n = by_role[role]
        print(f"  {role:<16}{n['refused']:>9}{n['citizen']:>26}{n['booking']:>26}"
              + (f"   ({n['uncertain']} with transport errors, not checked)"
                 if n["uncertain"] else ""))
    print(f"  (a refusal is the citizen limit's when the citizen sent more than "
          f"{limits.citizen} signed-in requests, the booking limit's when more than "
          f"{limits.booking} bookings; the groups are built so that no request is over both)")
    print(f"  citizens whose Redis counters differ from the requests they sent, or whose 429s "
          f"differ from those beyond a limit: {len(mismatched)}")
    for c in mismatched[:5]:
        print(f"    {c.role} citizen {c.id}: sent {c.sent_citizen} / {c.sent_booking} bookings, "
              f"counters {c.counters}, refused {c.refused}")
    print("  whichever worker answers: each citizen's "
          f"{SPREAD_BURST} bookings at once, one connection each (worker = pid holding the "
          "server end, from /proc)")
    spread_bad = 0
    for sp in r["spread"]:
        workers = Counter(sp.workers)
        ok = sp.admitted == limits.booking and sp.refused == SPREAD_BURST - limits.booking
        spread_bad += not ok
        print(f"    citizen {sp.citizen.id}: {sp.admitted} let through, {sp.refused} refused, "
              f"answered by {len([w for w in workers if w])} workers "
              f"{dict(sorted(workers.items(), key=str))}  {'OK' if ok else 'WRONG'}")
    print()

    listing = r["listing"]
    c, u = listing["cached"], listing["uncached"]
    factor = c.rate / u.rate if u.rate else float("nan")
    print(f"Slot listing at {args.citizens} connections, {args.list_rounds * 2} listings per "
          "citizen per server (halves: cached, uncached, uncached, cached)")
    print(f"  {'':<12}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'5xx':>6}"
          f"{'wrong':>7}   CPU ms per listing: app, postgres, client, other")
    for name, s in (("cached", c), ("uncached", u)):
        per = {k: s.cpu[k] / s.count * 1000 if s.count else float("nan")
               for k in ("app", "postgres", "client", "other")}
        print(f"  {name:<12}{s.count:>9}{s.rate:9.1f}{s.pct(.5):9.1f}{s.pct(.99):9.1f}"
              f"{s.server_errors:6d}{s.wrong_answers:7d}   {per['app']:.2f}, "
              f"{per['postgres']:.2f}, {per['client']:.2f}, {per['other']:.2f}")
    print(f"  factor cached/uncached: {factor:.2f}   "
          f"(app CPU per listing, uncached/cached: {u.app_cpu_ms / c.app_cpu_ms:.1f})")
    print()
    wrong = minute.wrong_listings + c.wrong_answers + u.wrong_answers
    targets = [
        ("overbooked == 0", integrity.overbooked == 0, integrity.overbooked),
        ("duplicates == 0", duplicates == 0, duplicates),
        ("5xx == 0", five == 0, five),
        ("limit counters and refusals exact", not mismatched, len(mismatched)),
        ("limits hold whichever worker answers", spread_bad == 0, spread_bad),
        ("listings with a wrong slot count == 0", wrong == 0, wrong),
        (f"listing factor cached/uncached >= {TARGET_FACTOR:g}", factor >= TARGET_FACTOR,
         f"{factor:.2f}"),
    ]
    print(f"Targets ({machine_load()})")
    for label, ok, value in targets:
        print(f"  {'PASS' if ok else 'FAIL'}  {label:<50} {value}")
    print("=" * width)


if __name__ == "__main__":
    sys.exit(main())
