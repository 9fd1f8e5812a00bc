"""协调会议: the meetings that remove the blockers agents escalate (博政管办发〔2022〕3号 三(二)),
with who came, what was discussed and what was decided, by whom and by when."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .case import Escalation
from .catalog import Department, Place
from .people import Staff
from .types import UTCDateTime

meeting_attendee = Table(
    "meeting_attendee", db.metadata,
    Column("meeting_id", ForeignKey("coordination_meeting.id", ondelete="CASCADE"),
           primary_key=True),
    Column("staff_id", ForeignKey("staff.id"), primary_key=True, index=True),
)
meeting_department = Table(
    "meeting_department", db.metadata,
    Column("meeting_id", ForeignKey("coordination_meeting.id", ondelete="CASCADE"),
           primary_key=True),
    Column("department_id", ForeignKey("department.id"), primary_key=True, index=True),
)


class CoordinationMeeting(db.Model):
    """A coordination meeting held for a place (the district hall's for the district), convened
    by one of its managers or the district office."""
    __tablename__ = "coordination_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    topic: Mapped[str] = mapped_column(String(100))
    convener_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    place: Mapped[Place] = relationship()
    convener: Mapped[Staff] = relationship(foreign_keys=[convener_id])
    attendees: Mapped[list[Staff]] = relationship(secondary=meeting_attendee,
                                                  order_by="Staff.username")
    departments: Mapped[list[Department]] = relationship(secondary=meeting_department,
                                                         order_by="Department.code")
    blockers: Mapped[list[MeetingBlocker]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingBlocker.id")
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Decision.id")

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class MeetingBlocker(db.Model):
    """A blocker discussed: an escalation of a case, or one that belongs to no single case (a
    system that does not talk to another, a rule two departments read differently)."""
    __tablename__ = "meeting_blocker"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("coordination_meeting.id", ondelete="CASCADE"), index=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalation.id"), index=True)
    description: Mapped[str] = mapped_column(Text)

    meeting: Mapped[CoordinationMeeting] = relationship(back_populates="blockers")
    escalation: Mapped[Escalation | None] = relationship()


class Decision(db.Model):
    """A decision of a meeting: what, who carries it out (`owner`) and by when; it may resolve an
    escalation. Done when its owner (or a manager) reports it done."""
    __tablename__ = "meeting_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("coordination_meeting.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalation.id"), index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_note: Mapped[str | None] = mapped_column(Text)

    meeting: Mapped[CoordinationMeeting] = relationship(back_populates="decisions")
    owner: Mapped[Staff] = relationship(foreign_keys=[owner_id])
    escalation: Mapped[Escalation | None] = relationship()

    def __str__(self) -> str:
        return self.text
