"""定期检查 and 通报 (博政管办发〔2022〕3号 三(五)): the working standards the district sets for a
period, the inspection visits, and the 通报 that commend or criticise named units with the
figures behind them."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint, Column, Date, Float, ForeignKey, Integer, String, Table, Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .catalog import Department, Place
from .people import Staff
from .types import UTCDateTime

BULLETIN_KINDS = {"commendation": "通报表扬", "criticism": "通报批评"}


class WorkingStandard(db.Model):
    """A period's working standards as thresholds; a threshold left empty is not checked. Rates
    are shares (0.9 for 90 %); satisfaction is the average score (1 to 5)."""
    __tablename__ = "working_standard"
    __table_args__ = (
        UniqueConstraint("period_start", "period_end"),
        CheckConstraint("period_start <= period_end", name="period_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    min_on_time_rate: Mapped[float | None] = mapped_column(Float)
    min_satisfaction: Mapped[float | None] = mapped_column(Float)
    max_notice_violations: Mapped[int | None] = mapped_column(Integer)
    max_registry_gaps: Mapped[int | None] = mapped_column(Integer)
    max_deemed_acceptances: Mapped[int | None] = mapped_column(Integer)
    # Consultations answered within a working day (咨询): checked only where a unit has the figure.
    min_consultations_answered_in_day: Mapped[float | None] = mapped_column(Float)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    created_by: Mapped[Staff] = relationship()

    def __str__(self) -> str:
        return f"{self.period_start} 至 {self.period_end}"


inspection_inspector = Table(
    "inspection_inspector", db.metadata,
    Column("visit_id", ForeignKey("inspection_visit.id", ondelete="CASCADE"), primary_key=True),
    Column("staff_id", ForeignKey("staff.id"), primary_key=True, index=True),
)


class InspectionVisit(db.Model):
    """An inspection of a place (and, when named, a department stationed there): who inspected,
    what they found, by when it is to be put right."""
    __tablename__ = "inspection_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    visited_on: Mapped[date] = mapped_column(Date, index=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    findings: Mapped[str] = mapped_column(Text)
    followup_due: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    place: Mapped[Place] = relationship()
    department: Mapped[Department | None] = relationship()
    inspectors: Mapped[list[Staff]] = relationship(secondary=inspection_inspector,
                                                   order_by="Staff.username")
    recorded_by: Mapped[Staff] = relationship(foreign_keys=[recorded_by_id])

    def __str__(self) -> str:
        return f"{self.visited_on} {self.place.name}"


class Bulletin(db.Model):
    """A 通报 published to staff: commendation or criticism of named units for a period, each
    with the figures behind it as they stood at publication."""
    __tablename__ = "bulletin"
    __table_args__ = (
        CheckConstraint("kind IN ('commendation', 'criticism')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(100))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    body: Mapped[str | None] = mapped_column(Text)
    published_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    published_by: Mapped[Staff] = relationship()
    entries: Mapped[list[BulletinEntry]] = relationship(
        back_populates="bulletin", cascade="all, delete-orphan", order_by="BulletinEntry.id")

    @property
    def kind_label(self) -> str:
        return BULLETIN_KINDS[self.kind]

    def __str__(self) -> str:
        return self.number


class BulletinEntry(db.Model):
    """A unit a 通报 names: its kind, code and name, the figures and the standard's verdict."""
    __tablename__ = "bulletin_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletin.id", ondelete="CASCADE"),
                                             index=True)
    unit_kind: Mapped[str] = mapped_column(String(20))
    unit_code: Mapped[str] = mapped_column(String(50))
    unit_name: Mapped[str] = mapped_column(String(100))
    cases: Mapped[int] = mapped_column(Integer)
    on_time_rate: Mapped[float | None] = mapped_column(Float)
    satisfaction: Mapped[float | None] = mapped_column(Float)
    notice_violations: Mapped[int] = mapped_column(Integer)
    deemed_acceptances: Mapped[int] = mapped_column(Integer)
    registry_gaps: Mapped[int | None] = mapped_column(Integer)
    # The thresholds failed (criticism) or "全部达标" (commendation), as the inspection report says.
    verdict: Mapped[str] = mapped_column(Text)

    bulletin: Mapped[Bulletin] = relationship(back_populates="entries")
