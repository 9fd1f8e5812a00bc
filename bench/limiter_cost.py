#!/usr/bin/env python3
"""What the per-citizen limits cost: in-process CPU per booking and per slot listing, with the
limits off, on with in-process counters, and on with Redis counters (as deployed).

Run from the repository root (PostgreSQL and, for the Redis row, Redis running):

    .venv/bin/python bench/limiter_cost.py
    .venv/bin/python bench/limiter_cost.py --bookings 900 --rounds 5 --redis-url redis://127.0.0.1:6379/14

How: one PostgreSQL database (dropped and re-created), the booking storm's catalogue (one place,
one item, about 200 slots). For each mode an app is made with ``create_app`` in this process and
driven through Flask's test client (no network, no server): ``--bookings`` / 3 citizens per mode
sign in, then each lists the place's slots and books three distinct slots. Only this process's CPU is
counted (``time.process_time``; PostgreSQL's and Redis's own CPU are not), over the bookings and
over the listings separately, divided by the number of requests. The modes take turns citizen by
citizen (citizen 1 of each mode, then citizen 2, ...) so that all meet the machine in the same
state, for ``--rounds`` rounds after one round not counted (compiled statements, connections);
bookings are wiped between rounds; the figures are the medians over rounds. The target:
limits on cost at most 0.1 ms more per booking than limits off.
"""
from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on the path, where bench/queue.py would stand in for
# the standard library's `queue` (which redis and SQLAlchemy's pool import): take it off.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import gc
import statistics
import time

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import booking_storm as storm  # noqa: E402
from bench.databases import drop_database  # noqa: E402
from bench.load import print_load  # noqa: E402

TARGET_EXTRA_MS = 0.1


def make_app(args, mode: str):
    from backend import create_app
    config = {"DATABASE_URL": args.database_url, "SECRET_KEY": storm.SECRET_KEY,
              "DATA_KEY": storm.DATA_KEY, "WECHAT_APPID": None, "WECHAT_SECRET": None,
              "REDIS_URL": None, "RATELIMIT_ENABLED": mode != "off",
              # Every citizen signs in from this process's one address.
              "WECHAT_LOGIN_RATE_LIMIT": "1000000 per minute"}
    if mode == "redis":
        config["RATELIMIT_STORAGE_URI"] = args.redis_url
    return create_app(config)


class Mode:
    """One app and its signed-in citizens, with the CPU its requests took."""

    def __init__(self, args, setup, name: str, citizens: int):
        self.name, self.setup = name, setup
        self.app = make_app(args, name)
        self.client = self.app.test_client()
        self.headers = []
        for i in range(citizens):
            r = self.client.post("/api/v1/auth/wechat-login", json={"code": f"cost-{name}-{i}"})
            assert r.status_code == 200, (r.status_code, r.get_json())
            self.headers.append({"Authorization": f"Bearer {r.get_json()['token']}"})
        self.reset()

    def reset(self) -> None:
        self.booking_cpu = self.listing_cpu = 0.0
        self.bookings = self.listings = 0

    def citizen(self, i: int, slots: list[int]) -> None:
        """Citizen i lists the slots and books three of them."""
        headers, span = self.headers[i], f"from={self.setup.first}&to={self.setup.last}"
        started = time.process_time()
        r = self.client.get(f"/api/v1/places/{storm.PLACE_CODE}/slots?{span}", headers=headers)
        self.listing_cpu += time.process_time() - started
        self.listings += 1
        assert r.status_code == 200, r.status_code
        for slot in slots:
            started = time.process_time()
            r = self.client.post("/api/v1/bookings", headers=headers,
                                 json={"slot": slot, "item": storm.ITEM_CODE,
                                       "help_type": "assist"})
            self.booking_cpu += time.process_time() - started
            self.bookings += 1
            assert r.status_code == 201, (r.status_code, r.get_json())

    def figures(self) -> tuple[float, float]:
        return self.booking_cpu * 1000 / self.bookings, self.listing_cpu * 1000 / self.listings

    def close(self) -> None:
        from backend.extensions import db
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


def run_round(modes: list[Mode], setup, engine, citizens: int, round_no: int) -> None:
    """Every citizen of every mode in turn (citizen 0 of each mode, then citizen 1, ...): the
    modes share the machine's every moment alike. Each round has citizens of its own, so that
    no one meets the booking limit."""
    storm.wipe_bookings(engine)
    for mode in modes:
        mode.reset()
    slots = setup.slot_ids[1:]  # the hot slot is small: keep every booking a success
    for i in range(citizens):
        mine = [slots[(i * 3 + k) % len(slots)] for k in range(3)]
        for mode in modes:
            mode.citizen(round_no * citizens + i, mine)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", default=storm.DEFAULT_URL.replace("/bench", "/limiter_cost"))
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/14",
                   help="Redis of the redis mode; this database is flushed first")
    p.add_argument("--bookings", type=int, default=600, help="bookings per mode and round")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--modes", default="off,memory,redis")
    args = p.parse_args(argv)
    modes = args.modes.split(",")
    storm_args = storm.parse_args(["--database-url", args.database_url, "--capacity",
                                   str(max(20, args.bookings))])
    print_load("before")
    if "redis" in modes:
        import redis
        redis.Redis.from_url(args.redis_url).flushdb()
    setup = storm.setup_database(storm_args)
    engine = sa.create_engine(args.database_url, poolclass=sa.pool.NullPool)
    figures: dict[str, list[tuple[float, float]]] = {m: [] for m in modes}
    citizens = args.bookings // 3
    apps: list[Mode] = []
    try:
        apps = [Mode(args, setup, name, citizens * (args.rounds + 1)) for name in modes]
        run_round(apps, setup, engine, citizens, args.rounds)  # warm: compiled statements, connections
        gc.collect()
        gc.freeze()
        for round_no in range(args.rounds):
            run_round(apps, setup, engine, citizens, round_no)
            for mode in apps:
                b, l = mode.figures()
                figures[mode.name].append((b, l))
                print(f"round {round_no + 1} {mode.name:>6}: {b:.3f} ms CPU per booking, "
                      f"{l:.3f} ms per listing")
    finally:
        for mode in apps:
            mode.close()
        engine.dispose()
        drop_database(args.database_url)
    print()
    print(f"{'mode':>8} {'booking ms':>11} {'listing ms':>11}  (median of {args.rounds})")
    medians = {m: (statistics.median(b for b, _ in runs), statistics.median(l for _, l in runs))
               for m, runs in figures.items()}
    for mode, (b, l) in medians.items():
        print(f"{mode:>8} {b:>11.3f} {l:>11.3f}")
    if "off" in medians:
        for mode in modes:
            if mode == "off":
                continue
            extra = medians[mode][0] - medians["off"][0]
            verdict = "PASS" if extra <= TARGET_EXTRA_MS else "FAIL"
            print(f"limits on ({mode}) cost {extra:+.3f} ms per booking, "
                  f"{medians[mode][1] - medians['off'][1]:+.3f} ms per listing "
                  f"(target <= {TARGET_EXTRA_MS} ms per booking): {verdict}")
    print_load("after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
