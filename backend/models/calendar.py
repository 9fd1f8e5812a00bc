"""District overrides of the statutory calendar, and the official notices entered."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class CalendarOverride(db.Model):
    """One date whose class the district sets: a holiday (with its name) or a working day."""
    __tablename__ = "calendar_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[date] = mapped_column(Date, unique=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    # The holiday the date belongs to (for a make-up workday: the holiday it makes up for).
    name: Mapped[str | None] = mapped_column(String(50))
    # Set when the override comes from an official notice (calendar-import); null when an admin
    # entered the date alone.
    notice_year: Mapped[int | None] = mapped_column(Integer, index=True)


class CalendarNotice(db.Model):
    """The State Council's holiday arrangement (调休通知) for a year, as entered here."""
    __tablename__ = "calendar_notice"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
