"""Consultation (咨询): questions citizens ask about an item at a place, the answers the place's
agents give, the item's public FAQ built from them, and the questions hall guides (引导员) answer
on the floor (seed 二(三)1)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Enum, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .catalog import Place, ServiceItem
from .people import Citizen, Staff
from .types import UTCDateTime

CONSULTATION_STATUSES = {"open": "待答复", "answered": "已答复", "closed": "已关闭"}


class Consultation(db.Model):
    """A citizen's question. `answer_due_on` is the statutory working day by which it is to be
    answered (one working day after the day it was asked, by the calendar of that day);
    `overdue_warned_at` is set by the job that warns the place's managers, once."""
    __tablename__ = "consultation"
    __table_args__ = (
        Index("ix_consultation_open_due", "status", "answer_due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_item.id"), index=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), index=True)
    question: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Enum(*CONSULTATION_STATUSES, name="consultation_status",
                                             native_enum=False, create_constraint=True,
                                             length=10))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why staff closed it without an answer (a duplicate, not a question).
    close_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer_due_on: Mapped[date] = mapped_column(Date)
    overdue_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    citizen: Mapped[Citizen] = relationship()
    item: Mapped[ServiceItem] = relationship()
    place: Mapped[Place] = relationship()
    answered_by: Mapped[Staff | None] = relationship()

    @property
    def status_label(self) -> str:
        return CONSULTATION_STATUSES[self.status]

    def __str__(self) -> str:
        return f"咨询 {self.id}"


class FaqEntry(db.Model):
    """A question and answer published to an item's public FAQ by a manager, from a
    consultation of their place (`consultation_id`) or written directly; `withdrawn_at` takes it
    off the list and keeps it."""
    __tablename__ = "faq_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_item.id"), index=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), index=True)
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultation.id"),
                                                        unique=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    published_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    item: Mapped[ServiceItem] = relationship()
    place: Mapped[Place] = relationship()
    published_by: Mapped[Staff] = relationship()

    def __str__(self) -> str:
        return self.question[:30]


QUESTION_KINDS = {
    "materials": "材料要求", "process": "办理流程", "where": "窗口位置", "time": "办理时限",
    "fee": "收费", "booking": "预约取号", "progress": "办件进度", "other": "其他",
}
FLOOR_OUTCOMES = {"resolved": "当场解答", "referred": "引导至窗口"}


class FloorQuestion(db.Model):
    """A question a hall guide (or anyone on the floor) answered in person, logged in seconds:
    the item if there is one, the kind of question, and whether it was resolved or referred to
    a window."""
    __tablename__ = "floor_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("service_item.id"))
    kind: Mapped[str] = mapped_column(Enum(*QUESTION_KINDS, name="question_kind",
                                           native_enum=False, create_constraint=True,
                                           length=20))
    outcome: Mapped[str] = mapped_column(Enum(*FLOOR_OUTCOMES, name="floor_outcome",
                                              native_enum=False, create_constraint=True,
                                              length=10))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    place: Mapped[Place] = relationship()
    item: Mapped[ServiceItem | None] = relationship()
    staff: Mapped[Staff] = relationship()

    @property
    def kind_label(self) -> str:
        return QUESTION_KINDS[self.kind]

    @property
    def outcome_label(self) -> str:
        return FLOOR_OUTCOMES[self.outcome]
