"""The admin's case list at scale: 1,000,000 cases over 12 places in PostgreSQL.

Times the first page of a place manager's case list (filtered by status and deadline state,
newest first, with its count) as the admin serves it, beside a bare SQL query returning the same
page and count, in turn in the same run on the same database; prints both, the ratio (goal >=
0.5) and the SQL statements one page issues (goal: a small constant). The page counts on a
connection of its own while it reads and draws the rows (admin.base.ScopedModelView.get_list).

    .venv/bin/python bench/admin_cases.py [--database-url URL] [--cases N] [--runs N]
                                          [--keep] [--reuse]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend import create_app  # noqa: E402
from bench.databases import drop_database, recreate_database  # noqa: E402
from backend.clock import FixedClock  # noqa: E402
from backend.extensions import db  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/issue13_bench"
PASSWORD = "Hq7#vLm2pX9w-Tz"
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=TZ)


def load(app, cases: int) -> None:
    """The demo catalogue and staff, 12 places with cases spread over them, in SQL."""
    import flask_migrate
    from backend.services.demo import seed_demo
    from backend.services.staff import set_password
    from backend.services.scope import SYSTEM
    from backend.models import Staff
    with app.app_context():
        flask_migrate.upgrade()
        seed_demo(db.session, NOW, rota_days=14)
        set_password(db.session, SYSTEM, db.session.scalar(sa.select(Staff).where(
            Staff.username == "manager")), PASSWORD)
        db.session.commit()
        started = time.perf_counter()
        db.session.execute(sa.text(
            "INSERT INTO citizen (openid, created_at) SELECT 'bench-' || g, now() "
            "FROM generate_series(1, 10000) g"))
        # 12 places, 9 statuses, due dates around today: every deadline state is present.
        db.session.execute(sa.text("""
            WITH places AS (SELECT array_agg(id ORDER BY code) AS ids FROM place),
                 item AS (SELECT id, department_id FROM service_item ORDER BY code LIMIT 1),
                 cit AS (SELECT min(id) AS first FROM citizen WHERE openid LIKE 'bench-%')
            INSERT INTO service_case (number, citizen_id, item_id, place_id, lead_department_id,
                help_type, status, applicant_name, created_at, accepted_on, amber_on, due_date)
            SELECT 'BN-' || lpad(g::text, 8, '0'), cit.first + g % 10000, item.id,
                   places.ids[1 + (g / 7) % 12], item.department_id,
                   CASE WHEN g % 2 = 0 THEN 'assist' ELSE 'proxy' END,
                   (ARRAY['submitted','materials_incomplete','accepted','handed_over',
                          'in_progress','completed','returned','withdrawn','rejected'])[1 + g % 9],
                   '申请人' || g, timestamp '2026-11-30 00:00' - (g || ' minutes')::interval,
                   date '2026-11-30' - (g % 60), date '2026-11-30' - (g % 60) + 8,
                   date '2026-11-30' - (g % 60) + 10
            FROM generate_series(1, :n) g, places, item, cit
        """), {"n": cases})
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        print(f"装载 {cases:,} 个办件用时 {time.perf_counter() - started:.1f} 秒")


BARE = """
SELECT c.id, c.number, c.applicant_name, c.help_type, c.status, c.due_date, c.created_at,
       i.name, p.name, s.name
FROM service_case c JOIN service_item i ON i.id = c.item_id JOIN place p ON p.id = c.place_id
LEFT JOIN staff s ON s.id = c.agent_id
WHERE c.place_id = :place AND c.status = 'in_progress' AND c.due_date IS NOT NULL
  AND c.due_date < :today
ORDER BY c.created_at DESC, c.id DESC LIMIT 50
"""
BARE_COUNT = """
SELECT count(*) FROM service_case c
WHERE c.place_id = :place AND c.status = 'in_progress' AND c.due_date IS NOT NULL
  AND c.due_date < :today
"""


def timed_in_turn(first, second, runs: int) -> tuple[list[float], list[float]]:
    """Each function's times, run in turn (first, second, first, ...) so that both meet the
    machine in the same state. The count reads a heap page for each of its thousands of rows:
    run back to back in a loop of its own, the bare SQL takes about half the time it takes
    after any other work (a page, or a loop of pure Python), as every query of the page does."""
    first(), second()  # warm: caches, compiled statements, pool
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, results in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            fn()
            results.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true",
                        help="time a database kept by an earlier --keep run, without loading it")
    args = parser.parse_args()

    if not args.reuse:
        recreate_database(args.database_url)
    app = create_app({"DATABASE_URL": args.database_url, "SECRET_KEY": "bench",
                      "DATA_KEY": "nZ0fQxHoZ3Jr9ySIAoLzK6bwZ7G6mVGc2nE5l3Q2b1A=",
                      "CLOCK": FixedClock(NOW), "WTF_CSRF_ENABLED": False,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    if not args.reuse:
        load(app, args.cases)

    client = app.test_client()
    assert client.post("/admin/login", data={"username": "manager",
                                             "password": PASSWORD}).status_code == 302
    # status = 办理中, 时限状态 = 红灯 (filter indexes as the list page numbers them).
    url = "/admin/case/?flt0_0=in_progress&flt1_1=red"
    statements: list[str] = []
    with app.app_context():
        engine = db.engine
        place = db.session.scalar(sa.text("SELECT id FROM place WHERE code = 'BS-HALL'"))

    def count_statements(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def admin_page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    with engine.connect() as conn:
        def bare():
            rows = conn.execute(sa.text(BARE), {"place": place, "today": NOW.date()}).all()
            total = conn.execute(sa.text(BARE_COUNT), {"place": place,
                                                       "today": NOW.date()}).scalar()
            return rows, total
        rows, total = bare()
        admin_times, bare_times = timed_in_turn(admin_page, bare, args.runs)

    sa.event.listen(engine, "before_cursor_execute", count_statements)
    admin_page()
    sa.event.remove(engine, "before_cursor_execute", count_statements)

    # The database's share of an admin page: the time its statements take to execute, summed
    # (the count runs on a connection of its own, beside the page: timed per statement).
    sql_times: list[float] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        context.bench_started = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        sql_times[-1] += time.perf_counter() - context.bench_started
    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    for _ in range(args.runs):
        sql_times.append(0.0)
        admin_page()
    sa.event.remove(engine, "before_cursor_execute", before)
    sa.event.remove(engine, "after_cursor_execute", after)
    page = client.get(url).get_data(as_text=True)
    assert f"共 {total} 条" in page, "the page's total is not the bare count"

    admin_p50, bare_p50 = statistics.median(admin_times), statistics.median(bare_times)
    print(f"筛选：BS-HALL 办理中且红灯超期，共 {total} 件；首页 {len(rows)} 件")
    print(f"管理后台首页（含计数、页面渲染）：p50 {admin_p50 * 1000:.1f} ms，"
          f"p95 {sorted(admin_times)[int(len(admin_times) * 0.95) - 1] * 1000:.1f} ms")
    print(f"裸 SQL（同一页与计数）：p50 {bare_p50 * 1000:.1f} ms")
    sql_p50 = statistics.median(sql_times)
    print(f"管理后台首页的 SQL 执行时间：p50 {sql_p50 * 1000:.1f} ms")
    print(f"比值 bare/admin（整页）= {bare_p50 / admin_p50:.2f}；"
          f"bare/admin（SQL）= {bare_p50 / sql_p50:.2f}（目标 ≥ 0.5）")
    print(f"一页的 SQL 语句数：{len(statements)}（目标：小常数，无 N+1）")
    for statement in statements:
        print("   ", " ".join(statement.split())[:110])
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if not args.keep:
        drop_database(args.database_url)


if __name__ == "__main__":
    main()
