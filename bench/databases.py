"""The benchmarks' own PostgreSQL databases: made fresh for a run, dropped after it."""
from __future__ import annotations

import sys

import sqlalchemy as sa


def _run_on_server(url: str, *statements: str) -> sa.URL:
    target = sa.make_url(url)
    if not target.drivername.startswith("postgresql"):
        sys.exit("the benchmarks need a PostgreSQL --database-url")
    engine = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in statements:
            conn.execute(sa.text(statement.format(name=target.database)))
    engine.dispose()
    return target


def recreate_database(url: str) -> None:
    _run_on_server(url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
                   'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    _run_on_server(url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
