"""Column types that behave the same on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import NamedTuple

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """An instant: aware datetimes in, aware UTC datetimes out, on every database.

    SQLite has no time zones and would hand back naive datetimes that cannot be compared with
    the clock's aware ones."""
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a time-zone-aware column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class ForPerson(NamedTuple):
    """The person a booking or case was made for (亲友代办), as answers name them: masked."""
    name: str | None

    @classmethod
    def of(cls, name: str | None) -> ForPerson:
        return cls(None if not name else name[0] + "*" * (len(name) - 1))
