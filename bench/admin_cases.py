"""The admin's case list at scale: 1,000,000 cases over 12 places in PostgreSQL.

Times the first page of a place manager's case list as the admin serves it (filtered by status
and deadline state, newest first, with its exact total, rendered), beside bare SQL returning the
same page and the same count; prints both, their ratio (goal >= 0.5), where the page's time goes,
and the SQL statements one page issues (goal: a small constant).

    .venv/bin/python bench/admin_cases.py [--database-url URL] [--cases N] [--runs N]
                                          [--keep] [--reuse]

How the comparison is kept fair and stable:

- The database is vacuumed before the timing, every run (`VACUUM (ANALYZE)`, with --reuse
  too): the state autovacuum keeps a table in, in which a count reads an index only.
  Just loaded and never vacuumed (autovacuum is off on some servers, and nothing waits for it),
  the table has no visibility map, and each count reads one heap page per counted row (6,349
  here): the bare count then took 2.6 ms run back to back and 4 to 25 ms run in turn with a
  page, depending on what the machine and the server had just done, and the ratio read 0.85 in
  one run and 0.31 in another on the same data. Vacuumed, it takes about 0.5 ms either way, and
  both counts, the admin's and the bare one, read the same index.
- The bare SQL is what one would write by hand for the same page: its rows (the admin's page
  size, newest first, the columns the page shows, the item, place and agent by name) and the
  exact count, on one connection kept open (no connection to take, no transaction to begin).
- Each run times the admin page, then the bare SQL, so that both meet the machine in the same
  state (`timed_in_turn`); figures are medians over the runs, and the ratio is also taken run by
  run (the median of each run's bare/admin), which a burst of other work on the machine, hitting
  both halves of one run, moves less. The machine's load is printed before and after.

The page as the admin serves it (issue 19, part 2): the signed-in staff member, with their places
and the calendar's notice years for the banner, is one statement read outside the ORM session
(admin.auth.SIGNED_IN); the page's rows one statement, on a pooled connection in autocommit; the
filters' options and then the count, in turn on one more connection beside the page (one thread:
threads beside the page contend with it for the interpreter). The session, and its transaction
(BEGIN, ROLLBACK: two round trips), is never begun. The template writes Flask-Admin's list markup
itself (no macros, its dozen addresses made from one url_for), in the frame every admin page has.

Where a page's time goes, per request (`PageClock`): each SQL statement from its sending to its
rows having arrived (SQLAlchemy's cursor events), the count among them; the wait for a count
that runs beside the page; Flask-Admin's list template with its rows (Flask's template
signals), less the statements and the wait inside it; and the rest (Flask, sign-in, Flask-Admin's
arguments and filters, SQLAlchemy building statements and rows, the test client). The smallest
list page of the admin (its 12 places) is timed in the same runs: what any list page costs.
"""
from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on the path, where bench/queue.py would stand in for
# the standard library's `queue` (which redis and SQLAlchemy's pool import): take it off.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import statistics
import threading
import time
import typing as t
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import before_render_template, template_rendered

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from admin.base import ScopedModelView  # noqa: E402
from backend import create_app  # noqa: E402
from bench.databases import drop_database, recreate_database  # noqa: E402
from backend.clock import FixedClock  # noqa: E402
from backend.extensions import db  # noqa: E402
from bench.load import print_load  # noqa: E402

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
                help_type, status, applicant_name, created_at, received_on, accepted_on, amber_on,
                due_date)
            SELECT 'BN-' || lpad(g::text, 8, '0'), cit.first + g % 10000, item.id,
                   places.ids[1 + (g / 7) % 12], item.department_id,
                   CASE WHEN g % 2 = 0 THEN 'assist' ELSE 'proxy' END,
                   (ARRAY['submitted','materials_incomplete','accepted','handed_over',
                          'in_progress','completed','returned','withdrawn','rejected'])[1 + g % 9],
                   '申请人' || g, timestamp '2026-11-30 00:00' - (g || ' minutes')::interval,
                   date '2026-11-30' - (g % 60),
                   date '2026-11-30' - (g % 60), date '2026-11-30' - (g % 60) + 8,
                   date '2026-11-30' - (g % 60) + 10
            FROM generate_series(1, :n) g, places, item, cit
        """), {"n": cases})
        db.session.commit()
        print(f"装载 {cases:,} 个办件用时 {time.perf_counter() - started:.1f} 秒")


def vacuum(engine: sa.Engine) -> None:
    """The tables as autovacuum keeps them: statistics, and a visibility map (a count then reads
    an index only)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM (ANALYZE)"))


BARE = """
SELECT c.id, c.number, c.applicant_name, c.help_type, c.status, c.due_date, c.amber_on,
       c.created_at, i.name, p.name, s.name, s.username
FROM service_case c JOIN service_item i ON i.id = c.item_id JOIN place p ON p.id = c.place_id
LEFT JOIN staff s ON s.id = c.agent_id
WHERE c.place_id = :place AND c.status = 'in_progress' AND c.due_date IS NOT NULL
  AND c.due_date < :today
ORDER BY c.created_at DESC, c.id DESC LIMIT :rows
"""
BARE_COUNT = """
SELECT count(*) FROM service_case c
WHERE c.place_id = :place AND c.status = 'in_progress' AND c.due_date IS NOT NULL
  AND c.due_date < :today
"""


def timed_in_turn(*steps: t.Callable[[], dict[str, t.Any]], runs: int
                  ) -> list[list[dict[str, t.Any]]]:
    """Each step's figures, run by run, the steps in turn (first, second, ..., first, ...) so
    that all of them meet the machine in the same state: run back to back in a loop of their
    own, statements take about half the time they take after any other work."""
    for step in steps:  # warm: caches, compiled statements, pool
        step()
    figures: list[list[dict[str, t.Any]]] = [[] for _ in steps]
    for _ in range(runs):
        for step, results in zip(steps, figures):
            results.append(step())
    return figures


class PageClock:
    """Where one admin request's time goes, while it is in use (`with PageClock(...)`).

    `time(request)` runs the request and answers its parts in seconds: `total`; `statements`,
    the SQL statements the request's own thread ran, each from its sending to its rows having
    arrived; `count`, the list's count, wherever it ran; `waited`, what the page waited for a
    count started beside it; `template`, the list template with its rows, less the statements
    and the wait inside it; `sql`, every statement of the request; `rest`, all else; and
    `by_statement`, the time of each statement by its text."""

    def __init__(self, app, engine: sa.Engine):
        self.app, self.engine = app, engine
        self.run: dict | None = None

    def __enter__(self) -> "PageClock":
        sa.event.listen(self.engine, "before_cursor_execute", self._sent)
        sa.event.listen(self.engine, "after_cursor_execute", self._arrived)
        before_render_template.connect(self._drawing, self.app)
        template_rendered.connect(self._drawn, self.app)
        list_total = self._list_total = ScopedModelView.list_total

        def timed_list_total() -> int:
            started = time.perf_counter()
            try:
                return list_total()
            finally:
                if self.run is not None:
                    self.run["waited"] += time.perf_counter() - started
        ScopedModelView.list_total = staticmethod(timed_list_total)
        return self

    def __exit__(self, *exc) -> None:
        ScopedModelView.list_total = staticmethod(self._list_total)
        template_rendered.disconnect(self._drawn, self.app)
        before_render_template.disconnect(self._drawing, self.app)
        sa.event.remove(self.engine, "after_cursor_execute", self._arrived)
        sa.event.remove(self.engine, "before_cursor_execute", self._sent)

    def _sent(self, conn, cursor, statement, parameters, context, executemany) -> None:
        context.bench_sent = time.perf_counter()

    def _arrived(self, conn, cursor, statement, parameters, context, executemany) -> None:
        run = self.run
        if run is None:
            return
        took = time.perf_counter() - context.bench_sent
        run["by_statement"][statement] += took
        if statement.startswith("SELECT count("):
            run["count"] += took
        if threading.get_ident() == run["thread"]:
            run["statements"] += took
            if run["drawing"] is not None and run["drawn"] is None:
                run["in_template"] += took

    def _drawing(self, sender, template, context, **extra) -> None:
        if self.run is not None and self.run["drawing"] is None:
            self.run["drawing"] = time.perf_counter()

    def _drawn(self, sender, template, context, **extra) -> None:
        if self.run is not None:
            self.run["drawn"] = time.perf_counter()

    def time(self, request: t.Callable[[], None]) -> dict[str, t.Any]:
        run = self.run = {"thread": threading.get_ident(), "statements": 0.0, "count": 0.0,
                          "waited": 0.0, "in_template": 0.0, "drawing": None, "drawn": None,
                          "by_statement": defaultdict(float)}
        started = time.perf_counter()
        try:
            request()
        finally:
            total = time.perf_counter() - started
            self.run = None
        template = run["drawn"] - run["drawing"] - run["in_template"] - run["waited"]
        return {"total": total, "statements": run["statements"], "count": run["count"],
                "waited": run["waited"], "template": template,
                "sql": sum(run["by_statement"].values()),
                "rest": total - run["statements"] - run["waited"] - template,
                "by_statement": run["by_statement"]}


def median_ms(figures: list[dict[str, t.Any]], key: str) -> float:
    return statistics.median(f[key] for f in figures) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
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
    with app.app_context():
        engine = db.engine
        place = db.session.scalar(sa.text("SELECT id FROM place WHERE code = 'BS-HALL'"))
        page_size = next(view for view in app.extensions["admin"][0]._views
                         if view.endpoint == "admin_case").page_size
    vacuum(engine)
    bare_args = {"place": place, "today": NOW.date(), "rows": page_size}

    def get(address: str) -> t.Callable[[], None]:
        def request() -> None:
            response = client.get(address)
            assert response.status_code == 200, response.status_code
        return request

    print_load("before")
    with engine.connect() as conn, PageClock(app, engine) as clock:
        def bare() -> dict[str, float]:
            started = time.perf_counter()
            conn.execute(sa.text(BARE), bare_args).all()
            read = time.perf_counter()
            conn.execute(sa.text(BARE_COUNT), bare_args).scalar()
            counted = time.perf_counter()
            return {"total": counted - started, "page": read - started, "count": counted - read}
        rows = conn.execute(sa.text(BARE), bare_args).all()
        total = conn.execute(sa.text(BARE_COUNT), bare_args).scalar()
        admin, bare_runs, places = timed_in_turn(
            lambda: clock.time(get(url)), bare, lambda: clock.time(get("/admin/place/")),
            runs=args.runs)
    print_load("after")

    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)
    sa.event.listen(engine, "before_cursor_execute", seen)
    page = client.get(url).get_data(as_text=True)
    sa.event.remove(engine, "before_cursor_execute", seen)
    assert f"共 {total} 条" in page, "the page's total is not the bare count"
    assert all(row.number in page for row in rows), "the page's rows are not the bare rows"

    admin_p50, bare_p50 = median_ms(admin, "total"), median_ms(bare_runs, "total")
    in_turn = statistics.median(b["total"] / a["total"] for a, b in zip(admin, bare_runs))
    print(f"筛选：BS-HALL 办理中且红灯超期，共 {total} 件；首页 {len(rows)} 件；"
          f"{args.runs} 轮，每轮管理后台一页、裸 SQL、场所列表页依次各一次")
    print(f"管理后台首页（含计数、页面渲染）：p50 {admin_p50:.2f} ms，"
          f"p95 {sorted(a['total'] for a in admin)[int(len(admin) * 0.95) - 1] * 1000:.2f} ms")
    print(f"裸 SQL（同一页与计数）：p50 {bare_p50:.2f} ms（列表行 "
          f"{median_ms(bare_runs, 'page'):.2f} ms，计数 {median_ms(bare_runs, 'count'):.2f} ms）")
    print(f"管理后台最小的列表页（12 个场所）：p50 {median_ms(places, 'total'):.2f} ms")
    print("管理后台首页的时间去向（各项中位数）：")
    print(f"    SQL 语句（请求线程） {median_ms(admin, 'statements'):6.2f} ms")
    print(f"    其中计数            {median_ms(admin, 'count'):6.2f} ms（在哪个线程都算）")
    print(f"    等待另起的计数      {median_ms(admin, 'waited'):6.2f} ms")
    print(f"    模板渲染（含各行）  {median_ms(admin, 'template'):6.2f} ms")
    print(f"    其余（Flask、登录、Flask-Admin、SQLAlchemy 组装语句与行、测试客户端） "
          f"{median_ms(admin, 'rest'):6.2f} ms")
    sql_p50 = median_ms(admin, "sql")
    print(f"管理后台首页的全部 SQL 执行时间：p50 {sql_p50:.2f} ms")
    print(f"比值 bare/admin（整页）= {bare_p50 / admin_p50:.2f}（逐轮比值的中位数 {in_turn:.2f}）；"
          f"bare/admin（SQL）= {bare_p50 / sql_p50:.2f}（目标 ≥ 0.5）")
    print(f"一页的 SQL 语句数：{len(statements)}（目标：小常数，无 N+1），各语句 p50：")
    for statement in statements:
        took = statistics.median(run["by_statement"][statement] for run in admin) * 1000
        print(f"    {took:6.2f} ms  {' '.join(statement.split())[:100]}")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if not args.keep:
        drop_database(args.database_url)


if __name__ == "__main__":
    main()
