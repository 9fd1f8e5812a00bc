"""Announcements (公告): holiday hours, new 5+X sessions (seed 三(三)), per place or district-wide."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .catalog import Place
from .people import Staff
from .types import UTCDateTime


class Announcement(db.Model):
    """Shown to citizens from `starts_on` to `ends_on` (inclusive) unless ended early; a null
    place means district-wide."""
    __tablename__ = "announcement"
    __table_args__ = (
        CheckConstraint("starts_on <= ends_on", name="starts_before_ends"),
        Index("ix_announcement_current", "ends_on", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"), index=True)
    title: Mapped[str] = mapped_column(String(50))
    body: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Ended before `ends_on` by a manager: no longer shown, kept for the record.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    place: Mapped[Place | None] = relationship()
    created_by: Mapped[Staff] = relationship(foreign_keys=[created_by_id])
    ended_by: Mapped[Staff | None] = relationship(foreign_keys=[ended_by_id])

    def __str__(self) -> str:
        return self.title
