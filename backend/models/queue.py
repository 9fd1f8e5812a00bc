"""The hall's queue (取号叫号): a place's queues (ticket lines, from the catalogue file), its
windows (counters, kept in the admin) and the day's tickets."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean, CheckConstraint, Column, Date, Enum, ForeignKey, Index, Integer, LargeBinary,
    String, Table, UniqueConstraint, text,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..extensions import db
from .types import ForPerson, UTCDateTime
from .booking import Booking
from .catalog import Place, ServiceItem
from .people import Citizen, Relative, Staff

TICKET_STATUSES = {"waiting": "等候中", "called": "已叫号", "serving": "办理中", "done": "已办结",
                   "missed": "过号", "cancelled": "已取消"}
# Where a ticket came from: a booking checked in, the mini-program, staff at the entrance.
TICKET_CHANNELS = {"booking": "预约签到", "online": "线上取号", "on_site": "现场取号"}
# The statuses of a ticket still in the hall's hands.
OPEN_TICKET = ("waiting", "called", "serving")

queue_item = Table(
    "queue_item", db.metadata,
    Column("queue_id", ForeignKey("queue.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("service_item.id"), primary_key=True, index=True),
)

window_queue = Table(
    "window_queue", db.metadata,
    Column("window_id", ForeignKey("service_window.id", ondelete="CASCADE"), primary_key=True),
    Column("queue_id", ForeignKey("queue.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Queue(db.Model):
    """A ticket line of a place; its code prefixes its ticket numbers (A001)."""
    __tablename__ = "queue"
    __table_args__ = (UniqueConstraint("place_id", "code"),
                      CheckConstraint("service_minutes > 0", name="service_minutes_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    code: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(50))
    # Special groups (the green channel) are called first here.
    green_channel: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The standard service time of the queue's items: the estimate's figure until today has
    # served tickets to learn from.
    service_minutes: Mapped[int] = mapped_column(Integer, default=10, server_default="10")

    place: Mapped[Place] = relationship()
    items: Mapped[list[ServiceItem]] = relationship(secondary=queue_item,
                                                    order_by=ServiceItem.code)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Window(db.Model):
    """A counter of a place (服务窗口): the queues it calls from, open or closed now, and who sits
    at it."""
    __tablename__ = "service_window"
    __table_args__ = (UniqueConstraint("place_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(50))
    is_open: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    place: Mapped[Place] = relationship()
    staff: Mapped[Staff | None] = relationship()
    queues: Mapped[list[Queue]] = relationship(secondary=window_queue, order_by=Queue.code)

    def __str__(self) -> str:
        return self.name


class TicketSequence(db.Model):
    """The last ticket number of a queue on a day: numbers are taken by one conditional UPDATE
    of this row, so two tickets never get one number."""
    __tablename__ = "ticket_sequence"

    queue_id: Mapped[int] = mapped_column(ForeignKey("queue.id", ondelete="CASCADE"),
                                          primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(db.Model):
    __tablename__ = "ticket"
    __table_args__ = (
        # The number is unique per place, queue and day (a queue belongs to one place).
        UniqueConstraint("queue_id", "day", "sequence"),
        # One waiting ticket taken in the mini-program per person and place (by ID number).
        Index("uq_ticket_waiting_online_person", "place_id", "holder_key", unique=True,
              sqlite_where=text("status = 'waiting' AND channel = 'online'"),
              postgresql_where=text("status = 'waiting' AND channel = 'online'")),
        # A window holds one ticket at a time (called or being served).
        Index("uq_ticket_window_holding", "window_id", unique=True,
              sqlite_where=text("status IN ('called', 'serving')"),
              postgresql_where=text("status IN ('called', 'serving')")),
        # The calling order's scan: a queue's waiting tickets of a day.
        Index("ix_ticket_waiting", "queue_id", "day", "green", "order_at",
              sqlite_where=text("status = 'waiting'"), postgresql_where=text("status = 'waiting'")),
        # The waiting tickets of accounts not told `ticket_soon` yet: a few rows, probed on
        # every call.
        Index("ix_ticket_soon_due", "queue_id", "day",
              sqlite_where=text("status = 'waiting' AND citizen_id IS NOT NULL "
                                "AND NOT soon_notified"),
              postgresql_where=text("status = 'waiting' AND citizen_id IS NOT NULL "
                                    "AND NOT soon_notified")),
        CheckConstraint("call_count >= 0", name="call_count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), index=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queue.id"))
    day: Mapped[date] = mapped_column(Date, index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(Enum(*TICKET_CHANNELS, name="ticket_channel",
                                              native_enum=False, create_constraint=True,
                                              length=10))
    status: Mapped[str] = mapped_column(Enum(*TICKET_STATUSES, name="ticket_status",
                                             native_enum=False, create_constraint=True,
                                             length=10), default="waiting")
    item_id: Mapped[int | None] = mapped_column(ForeignKey("service_item.id"))
    # Whose: a citizen's account (online, or its booking), a booking, or a walk-in (name and ID
    # number optional). `holder_key` counts the person: their ID number's blind index, or the
    # account's when it holds no number.
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizen.id"), index=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id"), unique=True)
    relative_id: Mapped[int | None] = mapped_column(ForeignKey("relative.id"))
    person_name: Mapped[str | None] = mapped_column(String(50))
    person_id_number_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    holder_key: Mapped[str | None] = mapped_column(String(72))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # The calling order (services/queue/order.py): green channel first, then bookings whose
    # slot has begun, then by `order_at` (taken; or put back at the end of the queue).
    green: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    slot_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    order_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("service_window.id"), index=True)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    call_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    serving_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    missed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Closed by the day's end rather than by a person.
    closed_at_day_end: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # A missed ticket may be put back once.
    requeued: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    soon_notified: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    place: Mapped[Place] = relationship()
    queue: Mapped[Queue] = relationship()
    item: Mapped[ServiceItem | None] = relationship()
    citizen: Mapped[Citizen | None] = relationship()
    booking: Mapped[Booking | None] = relationship(
        backref=backref("ticket", uselist=False))
    relative: Mapped[Relative | None] = relationship()
    issued_by: Mapped[Staff | None] = relationship()
    window: Mapped[Window | None] = relationship()

    @property
    def status_label(self) -> str:
        return TICKET_STATUSES[self.status]

    @property
    def channel_label(self) -> str:
        return TICKET_CHANNELS[self.channel]

    @property
    def for_person(self) -> ForPerson | None:
        return ForPerson.of(self.person_name) if self.relative_id is not None else None
