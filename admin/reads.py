"""The admin's reads outside the session: one statement each, on a pooled connection of its own in
autocommit (no transaction to begin and roll back: two round trips fewer), now or beside the page.

A page that only shows what it reads (the case list, and every page's frame: who is signed in,
the calendar's warnings) never opens the session's transaction; a page that changes something,
or hands the signed-in staff member to a service, uses the session as before, and its reads there
see its own changes. What is read here sees what is committed, as any other request would.

`read` answers at once. `read_beside` starts a read on the READS pool while the page is read and
drawn (on a large table the count is the page's one slow statement, bench/admin_cases.py); the
request ends only once every read it started has ended (`finish_reads`, a teardown), whether the
page asked for its result or failed first."""
from __future__ import annotations

import typing as t
from concurrent.futures import Future, ThreadPoolExecutor, wait

from flask import g
from sqlalchemy import Row

from backend.extensions import db

READS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="admin-list-read")


def read(statement, params: t.Mapping[str, t.Any] | None = None) -> list[Row]:
    """`statement`'s rows, read now."""
    return _read(db.engine, statement, params)


def read_beside(*statements) -> list[Future]:
    """Start reading the statements' rows beside the request, in turn on one connection (one
    pooled thread: threads beside the page contend with it for the interpreter); a future for
    each, done as soon as its rows are read. The request ends only once they are all read
    (finish_reads), whether the page asked for them or failed first."""
    futures = [Future() for _ in statements]
    g.setdefault("admin_reads", []).append(READS.submit(_read_each, db.engine, statements, futures))
    return futures


def start_list_count(statement, *first) -> list[Future]:
    """Count the list page being drawn beside it (`ScopedModelView.list_total` answers), after
    reading `first` (what else the page needs before its total) on the same connection; their
    futures."""
    *futures, g.admin_list_total = read_beside(*first, statement)
    return futures


def finish_reads(exc: BaseException | None = None) -> None:
    """At the end of a request: reads its page did not wait for (the page failed first) finish
    before the request's resources go, never after."""
    g.pop("admin_list_total", None)
    wait(g.pop("admin_reads", []))


def _read(engine, statement, params=None) -> list[Row]:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        return conn.execute(statement, params).all()


def _read_each(engine, statements, futures: list[Future]) -> None:
    left = list(futures)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for statement in statements:
                rows = conn.execute(statement).all()
                left.pop(0).set_result(rows)
    except BaseException as exc:  # every read not done fails with it: none is waited for forever
        for future in left:
            future.set_exception(exc)
