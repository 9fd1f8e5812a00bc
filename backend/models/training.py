"""Training behind every registration (seed 三(一)): training records, the district's service
language (服务规范用语) with its versions and who acknowledged which, registrations proposed by
place managers for the district office to decide, and staff suggestions (合理化意见或建议)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint, Date, Enum, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .catalog import Place, Station
from .people import Staff
from .types import UTCDateTime


class TrainingRecord(db.Model):
    """One course a staff member took. A record is current for TRAINING_VALID_DAYS from
    `trained_on` (configuration)."""
    __tablename__ = "training_record"
    __table_args__ = (CheckConstraint("hours > 0", name="hours_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    course: Mapped[str] = mapped_column(String(100))
    trained_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    provider: Mapped[str] = mapped_column(String(100))
    certificate_number: Mapped[str | None] = mapped_column(String(50))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    staff: Mapped[Staff] = relationship(foreign_keys=[staff_id])
    recorded_by: Mapped[Staff | None] = relationship(foreign_keys=[recorded_by_id])

    def __str__(self) -> str:
        return f"{self.course}（{self.trained_on.isoformat()}）"


class ServiceLanguage(db.Model):
    """A version of the district's 服务规范用语; the one with the highest version is current."""
    __tablename__ = "service_language"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)

    published_by: Mapped[Staff | None] = relationship()

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


class ServiceLanguageAck(db.Model):
    """A staff member read and acknowledged a version of the service language."""
    __tablename__ = "service_language_ack"
    __table_args__ = (UniqueConstraint("staff_id", "service_language_id",
                                       name="one_ack_per_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    service_language_id: Mapped[int] = mapped_column(ForeignKey("service_language.id"),
                                                     index=True)
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime)

    staff: Mapped[Staff] = relationship()
    service_language: Mapped[ServiceLanguage] = relationship()


PROPOSAL_STATUSES = {"pending": "待审批", "approved": "已批准", "refused": "已退回"}


class RegistrationProposal(db.Model):
    """A place manager's registration (登记备案) of an agent at a station, or of a village agent
    at its village point (no station), waiting for a district admin, who approves it (the
    registration then takes effect) or refuses it with a reason."""
    __tablename__ = "registration_proposal"
    __table_args__ = (
        Index("uq_registration_proposal_pending", "staff_id", "place_id", "station_id",
              unique=True,
              sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id", ondelete="CASCADE"), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"),
                                                   index=True)
    status: Mapped[str] = mapped_column(Enum(*PROPOSAL_STATUSES, name="proposal_status",
                                             native_enum=False, create_constraint=True,
                                             length=10))
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)

    staff: Mapped[Staff] = relationship(foreign_keys=[staff_id])
    place: Mapped[Place] = relationship()
    station: Mapped[Station | None] = relationship()
    proposed_by: Mapped[Staff] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[Staff | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def status_label(self) -> str:
        return PROPOSAL_STATUSES[self.status]

    def __str__(self) -> str:
        return f"登记备案申请 {self.id}"


SUGGESTION_STATUSES = {"submitted": "待答复", "answered": "已答复"}


class Suggestion(db.Model):
    """A staff member's 合理化意见或建议 (seed 二(二)2), answered by the district office."""
    __tablename__ = "suggestion"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    # The author's place when they wrote it (scope for their managers), if they have one.
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"), index=True)
    title: Mapped[str] = mapped_column(String(50))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Enum(*SUGGESTION_STATUSES, name="suggestion_status",
                                             native_enum=False, create_constraint=True,
                                             length=10))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[Staff] = relationship(foreign_keys=[author_id])
    place: Mapped[Place | None] = relationship()
    answered_by: Mapped[Staff | None] = relationship(foreign_keys=[answered_by_id])

    @property
    def status_label(self) -> str:
        return SUGGESTION_STATUSES[self.status]

    def __str__(self) -> str:
        return self.title
