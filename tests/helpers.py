"""Assertions and tools shared by the tests."""
import re
import threading

import sqlalchemy as sa

from backend.extensions import db

CJK = re.compile(r"[\u4e00-\u9fff]")


def every_row(session) -> dict:
    """Every row of every table as this session's transaction sees it (what it flushed
    included), in primary-key order. Nothing is flushed to read it: a caller that wants pending
    changes counted flushes first."""
    connection = session.connection()
    return {table.name: connection.execute(sa.select(table).order_by(
        *table.primary_key.columns)).all() for table in db.metadata.sorted_tables}


def assert_error(response, status, code):
    """docs/api.md's one error shape, with a Chinese message."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert CJK.search(body["error"]["message"]), body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    return body["error"]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def run_together(calls):
    """Start every call at the same moment; return their responses."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
