#!/usr/bin/env python3
"""Oversight figures at district scale: the service functions beside bare SQL, on PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/reports.py                        # 1,000,000 cases, 2,000,000 bookings
    .venv/bin/python bench/reports.py --cases 200000 --bookings 400000
    .venv/bin/python bench/reports.py --help

1. Setup: drops and re-creates the database of ``--database-url`` (default
   ``postgresql+psycopg://postgres@127.0.0.1:5432/issue14_bench``), runs the migrations, and
   fills it with SQL (generate_series, no row-by-row inserts): ``--places`` places (one district
   hall, the rest towns) with 10 departments stationed in each and one registered agent per
   station, 20 items, 25,000 citizens, slots for two years back and the booking window ahead
   (10 a day per place: regular and extended on weekdays, weekend sessions on weekends),
   ``--bookings`` bookings over them (checked in, no-show, cancelled, or booked ahead),
   ``--cases`` cases created over the two years (most finished, recent ones open, one in 200
   older ones left open past its due date), reviews of a third of the finished cases (bad ones
   with their follow-up, most closed), one-time-notice violations and escalations. Then ANALYZE.
2. Timing, in one process and one run, alternating (service, bare, bare, service) ``--repeat``
   times so that the machine's other load hits both alike; the median of each is reported:
   - the district dashboard: ``dashboard(session, district_admin, today, ...)`` against bare SQL
     for the same figures (today's sessions, cases by status, amber/red counts and list, agents'
     open load, open escalations, open follow-ups, the registry's gaps);
   - the inspection report for last month, whole district: ``inspection_report(...)`` against
     bare SQL computing the same figures per place, department and agent (the same workday
     index passed in as arrays, built outside the bare timing).
   Both answers are compared (the bare SQL's place figures must equal the report's).
3. Prints the times, the ratio bare/service (goal >= 0.5), and the peak Python memory of each
   service call (tracemalloc), for a one-month and a twelve-month report: flat means the peak
   does not grow with the rows the period covers.
4. Drops the database unless ``--keep``.
"""
from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on the path, where bench/queue.py would stand in for
# the standard library's `queue` (which redis and SQLAlchemy's pool import): take it off.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import statistics
import time
import tracemalloc
from datetime import date, timedelta

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import drop_database, recreate_database  # noqa: E402
from bench.load import print_load  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/issue14_bench"
DEPARTMENTS = 10
ITEMS = 20
CITIZENS = 25_000
SLOTS_PER_DAY = 10
HISTORY_DAYS = 730
TZ = "Asia/Shanghai"


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="reports.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", default=DEFAULT_URL)
    p.add_argument("--cases", type=int, default=1_000_000)
    p.add_argument("--bookings", type=int, default=2_000_000)
    p.add_argument("--places", type=int, default=12)
    p.add_argument("--repeat", type=int, default=3, help="timed pairs per figure")
    p.add_argument("--keep", action="store_true", help="keep the database afterwards")
    p.add_argument("--reuse", action="store_true",
                   help="use the database as a previous --keep run left it (no setup)")
    return p.parse_args(argv)


def fill(conn, today: date, places: int, cases: int, bookings: int) -> None:
    """Every row from generate_series; ids are given so that rows can name each other."""
    first_day = today - timedelta(days=HISTORY_DAYS)
    days = HISTORY_DAYS + 15
    slots = places * days * SLOTS_PER_DAY
    stations = places * DEPARTMENTS
    params = dict(places=places, depts=DEPARTMENTS, items=ITEMS, citizens=CITIZENS,
                  first_day=first_day, today=today, days=days, spd=SLOTS_PER_DAY, slots=slots,
                  cases=cases, bookings=bookings, history=HISTORY_DAYS, stations=stations)
    steps = [
        ("places", """INSERT INTO place (id, code, name, level, self_service_devices)
            SELECT p, 'P' || p, CASE WHEN p = 1 THEN '区政务服务中心' ELSE '镇街便民服务中心' || p END,
                   CASE WHEN p = 1 THEN 'district' ELSE 'town' END, p % 3 = 0
            FROM generate_series(1, :places) p"""),
        ("departments", """INSERT INTO department (id, code, name)
            SELECT d, 'D' || d, '部门' || d FROM generate_series(1, :depts) d"""),
        ("stations", """INSERT INTO station (id, place_id, department_id)
            SELECT (p - 1) * :depts + d, p, d
            FROM generate_series(1, :places) p, generate_series(1, :depts) d"""),
        ("items", """INSERT INTO service_item (id, code, name, category, department_id,
                commitment_days, offers_assist, offers_proxy)
            SELECT k, 'I' || k, '事项' || k, '类别', (k - 1) % :depts + 1, 5 + k % 3, true, true
            FROM generate_series(1, :items) k"""),
        ("item places", """INSERT INTO item_place (item_id, place_id)
            SELECT k, p FROM generate_series(1, :items) k, generate_series(1, :places) p"""),
        # Agent of station s has id s; the district admin comes after them.
        ("staff", """INSERT INTO staff (id, username, name, password_hash, role, department_id,
                active, created_at, session_version)
            SELECT s, 'agent' || s, '帮办员' || s, 'x', 'agent', (s - 1) % :depts + 1, true,
                   now(), 0 FROM generate_series(1, :stations) s
            UNION ALL SELECT :stations + 1, 'admin', '管理员', 'x', 'district_admin', NULL, true,
                   now(), 0"""),
        ("staff places", """INSERT INTO staff_place (staff_id, place_id)
            SELECT s, (s - 1) / :depts + 1 FROM generate_series(1, :stations) s"""),
        ("registrations", """INSERT INTO agent_registration (id, staff_id, station_id,
                registered_on) SELECT s, s, s, :first_day FROM generate_series(1, :stations) s"""),
        ("rota", """INSERT INTO rota_entry (id, place_id, date, staff_id)
            SELECT row_number() OVER (), (s - 1) / :depts + 1, :today + g, s
            FROM generate_series(1, :stations) s, generate_series(0, 13) g
            WHERE s % 4 <> 0"""),
        ("citizens", """INSERT INTO citizen (id, openid, created_at)
            SELECT c, 'openid-' || c, now() FROM generate_series(1, :citizens) c"""),
        ("slots", """INSERT INTO slot (id, place_id, date, start_time, end_time, kind, capacity,
                booked, active)
            SELECT sid, (sid - 1) / :spd % :places + 1, day, TIME '08:00' + k * INTERVAL '30 min',
                   TIME '08:30' + k * INTERVAL '30 min',
                   CASE WHEN extract(isodow FROM day) >= 6 THEN 'weekend'
                        WHEN k >= 8 THEN 'extended' ELSE 'regular' END, 40, 0, true
            FROM (SELECT s AS sid, (s - 1) % :spd AS k,
                         :first_day + ((s - 1) / (:spd * :places))::int AS day
                  FROM generate_series(1, :slots) s) x"""),
        ("bookings", """INSERT INTO booking (id, code, citizen_id, slot_id, place_id, item_id,
                status, created_at)
            SELECT i, 'B' || i, (i / :slots) * 1000 + i % 997 + 1, sid,
                   (sid - 1) / :spd % :places + 1, i % :items + 1,
                   CASE WHEN h < 5 THEN 'cancelled'
                        WHEN :first_day + ((sid - 1) / (:spd * :places))::int >= :today THEN 'booked'
                        WHEN h < 15 THEN 'no_show' ELSE 'checked_in' END,
                   now()
            FROM (SELECT i, i % :slots + 1 AS sid, (i::bigint * 7919) % 100 AS h
                  FROM generate_series(1, :bookings) i) x"""),
        ("slot counts", """UPDATE slot SET booked = n FROM (
                SELECT slot_id, count(*) AS n FROM booking
                WHERE status IN ('booked', 'checked_in') GROUP BY slot_id) b
            WHERE slot.id = b.slot_id"""),
        ("cases", """INSERT INTO service_case (id, number, citizen_id, item_id, place_id,
                lead_department_id, agent_id, help_type, status, applicant_name, created_at,
                received_on, accepted_on, amber_on, due_date, finished_at)
            SELECT i, 'BS-' || i, i % :citizens + 1, item, place, dept,
                   (place - 1) * :depts + dept,
                   CASE WHEN i % 3 = 0 THEN 'proxy' ELSE 'assist' END, status, '张三', created,
                   created_day,
                   CASE WHEN status IN ('submitted', 'materials_incomplete', 'rejected')
                        THEN NULL ELSE created_day END,
                   CASE WHEN status IN ('submitted', 'materials_incomplete', 'rejected')
                        THEN NULL ELSE created_day + 7 END,
                   CASE WHEN status IN ('submitted', 'materials_incomplete', 'rejected')
                        THEN NULL ELSE created_day + 9 END,
                   CASE WHEN status IN ('completed', 'returned', 'withdrawn')
                        THEN LEAST(created + (i % 13) * INTERVAL '1 day' + INTERVAL '3 hours',
                                   now() - INTERVAL '1 hour') END
            FROM (SELECT i, item, (i / 7) % :places + 1 AS place, (item - 1) % :depts + 1 AS dept,
                         created, created::date AS created_day,
                         CASE WHEN age > 30 THEN
                                CASE WHEN i % 200 = 0 THEN 'in_progress'
                                     WHEN h < 70 THEN 'completed' WHEN h < 90 THEN 'returned'
                                     WHEN h < 95 THEN 'withdrawn' ELSE 'rejected' END
                              ELSE CASE WHEN h < 15 THEN 'submitted' WHEN h < 30 THEN 'accepted'
                                        WHEN h < 50 THEN 'in_progress' WHEN h < 55 THEN 'materials_incomplete'
                                        ELSE 'completed' END END AS status
                  FROM (SELECT i, i % :items + 1 AS item, (i * 31) % 100 AS h,
                               (i * 7) % :history AS age,
                               (:today - (i * 7) % :history)::timestamp + ((i % 9) + 1) * INTERVAL '1 hour'
                                   AS created
                        FROM generate_series(1, :cases) i) a) b"""),
        ("reviews", """INSERT INTO review (id, case_id, score, created_at, followup_due,
                followup_closed_at)
            SELECT id, id, score, finished_at + INTERVAL '2 hours',
                   CASE WHEN score <= 2 THEN (finished_at + INTERVAL '2 hours')::date + 21 END,
                   CASE WHEN score <= 2 AND id % 10 < 7
                        THEN finished_at + (id % 25) * INTERVAL '1 day' END
            FROM (SELECT id, finished_at, 1 + (id * 13) % 5 AS score FROM service_case
                  WHERE status IN ('completed', 'returned') AND id % 3 = 0) r"""),
        ("notices", """INSERT INTO missing_material_notice (id, case_id, staff_id, created_at,
                violates_one_time_rule)
            SELECT id, id, agent_id, created_at + INTERVAL '1 hour', id % 40 = 0
            FROM service_case WHERE id % 20 = 0"""),
        ("escalations", """INSERT INTO escalation (id, case_id, raised_by_id, raised_at, note,
                resolved_at)
            SELECT id, id, agent_id, created_at + INTERVAL '1 day', '需要协调',
                   CASE WHEN status NOT IN ('submitted', 'accepted', 'in_progress')
                        THEN created_at + INTERVAL '2 days' END
            FROM service_case WHERE id % 500 = 0"""),
    ]
    for name, sql in steps:
        started = time.perf_counter()
        conn.execute(sa.text(sql), params)
        print(f"  {name:<14} {time.perf_counter() - started:6.1f} s", flush=True)
    conn.execute(sa.text("ANALYZE"))


# Bare SQL: the same figures, written by hand ---------------------------------------------------

BARE_DASHBOARD = [
    """SELECT p.code, s.kind, count(*), sum(s.capacity) FROM slot s JOIN place p ON p.id = s.place_id
       WHERE s.date = :today AND s.active GROUP BY p.code, s.kind""",
    """SELECT p.code, s.kind, count(*), sum((b.status = 'checked_in')::int),
              sum((b.status = 'no_show')::int)
       FROM booking b JOIN slot s ON s.id = b.slot_id JOIN place p ON p.id = s.place_id
       WHERE s.date = :today AND b.status <> 'cancelled' GROUP BY p.code, s.kind""",
    "SELECT status, count(*) FROM service_case GROUP BY status",
    """SELECT sum((amber_on <= :today AND due_date >= :today)::int), sum((due_date < :today)::int)
       FROM service_case WHERE status IN :open AND due_date IS NOT NULL""",
    """SELECT c.number, c.due_date < :today, c.status, p.name, i.name, c.due_date, s.username, s.name
       FROM service_case c JOIN place p ON p.id = c.place_id JOIN service_item i ON i.id = c.item_id
       LEFT JOIN staff s ON s.id = c.agent_id
       WHERE c.status IN :open AND c.due_date IS NOT NULL AND c.amber_on <= :today
       ORDER BY c.due_date < :today DESC, c.due_date, c.id LIMIT 50""",
    """SELECT s.username, s.name, count(*),
              sum((c.amber_on <= :today AND c.due_date >= :today)::int),
              sum((c.due_date < :today)::int)
       FROM service_case c JOIN staff s ON s.id = c.agent_id WHERE c.status IN :open
       GROUP BY s.username, s.name ORDER BY count(*) DESC, s.username""",
    "SELECT count(*) FROM escalation WHERE resolved_at IS NULL",
    """SELECT e.id, c.number, p.name, e.raised_at, s.name, e.note FROM escalation e
       JOIN service_case c ON c.id = e.case_id JOIN place p ON p.id = c.place_id
       JOIN staff s ON s.id = e.raised_by_id WHERE e.resolved_at IS NULL
       ORDER BY e.raised_at, e.id LIMIT 50""",
    """SELECT count(*) FROM review WHERE followup_due IS NOT NULL AND followup_closed_at IS NULL""",
    """SELECT c.number, p.name, s.name, r.score, r.created_at, r.followup_due FROM review r
       JOIN service_case c ON c.id = r.case_id JOIN place p ON p.id = c.place_id
       LEFT JOIN staff s ON s.id = c.agent_id
       WHERE r.followup_due IS NOT NULL AND r.followup_closed_at IS NULL
       ORDER BY r.followup_due, r.id LIMIT 50""",
    # The registry's gaps, which the district dashboard carries.
    """SELECT p.code, p.name, d.code, d.name FROM station s JOIN place p ON p.id = s.place_id
       JOIN department d ON d.id = s.department_id
       WHERE NOT EXISTS (SELECT 1 FROM agent_registration r JOIN staff st ON st.id = r.staff_id
                         WHERE r.station_id = s.id AND r.ended_on IS NULL AND st.active)
       ORDER BY p.code, d.code""",
    """SELECT DISTINCT e.place_id, e.date FROM rota_entry e JOIN place p ON p.id = e.place_id
       JOIN staff st ON st.id = e.staff_id
       WHERE p.self_service_devices AND e.date BETWEEN :today AND :today + 13 AND st.active""",
    """SELECT p.code, p.name, st.username, st.name, d.name FROM agent_registration r
       JOIN station s ON s.id = r.station_id JOIN place p ON p.id = s.place_id
       JOIN department d ON d.id = s.department_id JOIN staff st ON st.id = r.staff_id
       WHERE r.ended_on IS NULL AND st.active AND NOT EXISTS (
           SELECT 1 FROM rota_entry e WHERE e.place_id = s.place_id AND e.staff_id = r.staff_id)
       ORDER BY p.code, st.username""",
]

UNIT_COLUMNS = {"place": ("c.place_id", "b.place_id"), "department": ("c.lead_department_id", "i.department_id"),
                "agent": ("c.agent_id", None)}


def bare_report_queries(kind: str) -> list[str]:
    case_key, booking_key = UNIT_COLUMNS[kind]
    local = "(c.finished_at AT TIME ZONE 'Asia/Shanghai')::date"
    queries = []
    if booking_key:
        join = "JOIN service_item i ON i.id = b.item_id" if kind == "department" else ""
        queries.append(f"""SELECT {booking_key}, count(*), sum((s.kind <> 'regular')::int),
                sum((b.status IN ('checked_in', 'no_show'))::int), sum((b.status = 'no_show')::int)
            FROM booking b JOIN slot s ON s.id = b.slot_id {join}
            WHERE s.date BETWEEN :start AND :end AND b.status <> 'cancelled'
            GROUP BY {booking_key}""")
    queries += [
        f"""SELECT {case_key}, count(*), sum((c.help_type = 'assist')::int),
                   sum((c.help_type = 'proxy')::int)
            FROM service_case c WHERE c.created_at >= :since AND c.created_at < :until
            GROUP BY {case_key}""",
        f"""WITH w AS (SELECT unnest(CAST(:days AS date[])) AS day, unnest(CAST(:ordinals AS int[])) AS ordinal)
            SELECT {case_key}, count(*), sum(({local} <= c.due_date)::int),
                   sum(f.ordinal - a.ordinal), count(f.ordinal - a.ordinal)
            FROM service_case c LEFT JOIN w a ON a.day = c.accepted_on
            LEFT JOIN w f ON f.day = {local}
            WHERE c.status IN ('completed', 'returned') AND c.finished_at >= :since
              AND c.finished_at < :until GROUP BY {case_key}""",
        f"""SELECT {case_key}, count(*) FROM service_case c
            WHERE c.due_date < :as_of AND c.status NOT IN ('withdrawn', 'rejected')
              AND (c.finished_at IS NULL OR c.finished_at >= :as_of_end) GROUP BY {case_key}""",
        f"""SELECT {case_key}, count(*) FROM missing_material_notice n
            JOIN service_case c ON c.id = n.case_id
            WHERE n.violates_one_time_rule AND n.created_at >= :since AND n.created_at < :until
            GROUP BY {case_key}""",
        f"""SELECT {case_key}, sum((r.score = 5)::int), sum((r.score = 4)::int),
                   sum((r.score = 3)::int), sum((r.score = 2)::int), sum((r.score = 1)::int),
                   sum(r.score),
                   sum((r.score <= 2 AND (r.followup_closed_at IS NOT NULL
                                          OR r.followup_due < :as_of))::int),
                   sum((r.score <= 2 AND r.followup_closed_at IS NOT NULL AND
                        (r.followup_closed_at AT TIME ZONE 'Asia/Shanghai')::date
                        <= r.followup_due)::int)
            FROM review r JOIN service_case c ON c.id = r.case_id
            WHERE r.created_at >= :since AND r.created_at < :until GROUP BY {case_key}""",
    ]
    return queries


def main(argv=None) -> int:
    args = parse_args(argv)
    from zoneinfo import ZoneInfo

    from backend import create_app
    from backend.extensions import db
    from backend.models import OPEN, Staff
    from backend.services.dashboard import dashboard
    from backend.services.reports import day_start, inspection_report
    from backend.domain.statutory_calendar import StatutoryCalendar
    import flask_migrate

    today = date.today()
    month_end = today.replace(day=1) - timedelta(days=1)
    month_start = month_end.replace(day=1)
    tz = ZoneInfo(TZ)
    url = args.database_url
    print_load("before")

    if not args.reuse:
        print(f"setup: {args.places} places, {args.cases:,} cases, {args.bookings:,} bookings "
              f"in {sa.engine.make_url(url).database}", flush=True)
        recreate_database(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True,
                      "DATA_KEY": "nZ0fQxHoZ3Jr9ySIAoLzK6bwZ7G6mVGc2nE5l3Q2b1A="})
    try:
        with app.app_context():
            if not args.reuse:
                started = time.perf_counter()
                flask_migrate.upgrade()
                with db.engine.begin() as conn:
                    fill(conn, today, args.places, args.cases, args.bookings)
                print(f"  setup total {time.perf_counter() - started:6.1f} s", flush=True)
            session = db.session
            admin = session.scalar(sa.select(Staff).where(Staff.role == "district_admin"))
            counts = session.execute(sa.text(
                "SELECT (SELECT count(*) FROM service_case), (SELECT count(*) FROM booking)")).one()
            print(f"data: {counts[0]:,} cases, {counts[1]:,} bookings; today {today}, "
                  f"report {month_start} to {month_end}")

            def service_dashboard():
                return dashboard(session, admin, today, calendar_horizon_days=90)

            def service_report(start=month_start, end=month_end):
                return inspection_report(session, admin, start, end, today=today, min_cases=10,
                                         timezone=TZ)

            # The bare report gets the workday index ready-made (built outside its timing).
            calendar = StatutoryCalendar()
            first = session.scalar(sa.text(
                "SELECT min(accepted_on) FROM service_case WHERE status IN ('completed', "
                "'returned') AND finished_at >= :since AND finished_at < :until"),
                {"since": day_start(month_start, tz),
                 "until": day_start(month_end + timedelta(days=1), tz)}) or month_start
            days, ordinals, ordinal, d = [], [], 0, first
            while d <= month_end:
                ordinal += calendar.is_working_day(d)
                days.append(d)
                ordinals.append(ordinal)
                d += timedelta(days=1)
            as_of = min(month_end, today)
            report_params = {
                "start": month_start, "end": month_end, "since": day_start(month_start, tz),
                "until": day_start(month_end + timedelta(days=1), tz), "as_of": as_of,
                "as_of_end": day_start(as_of + timedelta(days=1), tz), "days": days,
                "ordinals": ordinals}
            conn = session.connection()

            def bare_dashboard():
                params = {"today": today, "open": OPEN}
                return [conn.execute(sa.text(q).bindparams(sa.bindparam("open", expanding=True))
                                     if ":open" in q else sa.text(q), params).all()
                        for q in BARE_DASHBOARD]

            def bare_report():
                return {kind: [conn.execute(sa.text(q), report_params).all()
                               for q in bare_report_queries(kind)] for kind in UNIT_COLUMNS}

            results = {}
            for label, service, bare in (("district dashboard", service_dashboard, bare_dashboard),
                                         ("one-month report", service_report, bare_report)):
                service(), bare()  # warm the caches alike
                times = {"service": [], "bare": []}
                for _ in range(args.repeat):
                    for which in ("service", "bare", "bare", "service"):
                        fn = service if which == "service" else bare
                        started = time.perf_counter()
                        results[label, which] = fn()
                        times[which].append(time.perf_counter() - started)
                results[label] = {k: statistics.median(v) for k, v in times.items()}

            check_same_figures(results["one-month report", "service"],
                               results["one-month report", "bare"], session)

            peaks = {}
            for label, fn in (("district dashboard", service_dashboard),
                              ("one-month report", service_report),
                              ("twelve-month report", lambda: service_report(
                                  month_end.replace(day=1) - timedelta(days=334), month_end))):
                tracemalloc.start()
                fn()
                peaks[label] = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            session.rollback()

        print()
        print_load("while timing")
        print(f"{'figure':<20} {'service':>10} {'bare SQL':>10} {'ratio':>7}  goal")
        for label in ("district dashboard", "one-month report"):
            t = results[label]
            ratio = t["bare"] / t["service"]
            print(f"{label:<20} {t['service'] * 1000:8.0f}ms {t['bare'] * 1000:8.0f}ms "
                  f"{ratio:7.2f}  >= 0.5 {'PASS' if ratio >= 0.5 else 'FAIL'}")
        print()
        print("peak Python memory of the service call (tracemalloc):")
        for label, peak in peaks.items():
            print(f"  {label:<20} {peak / 1024:8.0f} KiB")
        print("  (flat: the twelve-month report covers twelve times the rows of the one-month "
              "one; its peak should not grow with them)")
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if not args.keep:
            drop_database(url)
    return 0


def check_same_figures(report, bare, session) -> None:
    """The bare SQL's figures per place equal the report's (so both computed the same)."""
    codes = dict(session.execute(sa.text("SELECT id, code FROM place")).all())
    places = {u.code: u for u in report.sections[0].ranked + report.sections[0].insufficient}
    bookings, new, completed, overdue, violations, reviews = bare["place"]
    for key, n, x, attended, no_shows in bookings:
        u = places[codes[key]]
        assert (u.bookings, u.x_bookings, u.attended, u.no_shows) == (n, x, attended, no_shows)
    for key, n, assist, proxy in new:
        assert places[codes[key]].cases == n
    for key, n, on_time, days, counted in completed:
        u = places[codes[key]]
        assert (u.completed, u.completed_on_time, u.working_days_total) == (n, on_time, days or 0)
    for key, n in overdue:
        assert places[codes[key]].open_overdue == n
    for key, n in violations:
        assert places[codes[key]].notice_violations == n
    for key, *rest in reviews:
        u = places[codes[key]]
        assert (u.bad_reviews_judged, u.bad_reviews_followed_up_in_time) == tuple(rest[-2:])
    print("check: the bare SQL's place figures equal the report's")


if __name__ == "__main__":
    sys.exit(main())
