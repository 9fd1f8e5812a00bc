"""Appointment slots and bookings (预约)."""
from __future__ import annotations

from datetime import date, datetime, time
from typing import NamedTuple

from sqlalchemy import (
    Boolean, CheckConstraint, Date, Enum, ForeignKey, Index, Integer, LargeBinary, String, Text,
    Time,
    UniqueConstraint, text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import ForPerson, UTCDateTime
from .catalog import SLOT_KINDS, Place, ServiceItem
from .people import Citizen, Relative, Staff

BOOKING_STATUSES = {"booked": "已预约", "cancelled": "已取消", "checked_in": "已签到",
                    "no_show": "未到"}
ACTIVE_BOOKING = ("booked", "checked_in")


# A slot's seats come in three pools (docs/domain.md "Seats kept offline"): `open` seats anyone
# may book online; `reserved` seats only special groups until they are released to everyone
# RESERVED_RELEASE_HOURS before the slot; `walk_in` seats never online, for staff at the hall.
SEAT_POOLS = {"open": "普通号源", "reserved": "特殊群体保留号源", "walk_in": "现场号源"}


class Slot(db.Model):
    """A bookable period at a place. A seat is claimed with one conditional UPDATE of its pool's
    count (`booked` counts every pool, `reserved_booked` and `walk_in_booked` those two); the
    CHECK constraints are the database's own guard against overbooking any pool."""
    __tablename__ = "slot"
    __table_args__ = (
        UniqueConstraint("place_id", "date", "start_time"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="booked_within_capacity"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("reserved >= 0 AND walk_in >= 0 AND reserved + walk_in <= capacity",
                        name="pools_within_capacity"),
        CheckConstraint("reserved_booked >= 0 AND reserved_booked <= reserved "
                        "AND walk_in_booked >= 0 AND walk_in_booked <= walk_in "
                        "AND booked - reserved_booked - walk_in_booked "
                        "<= capacity - reserved - walk_in", name="pools_not_overbooked"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    date: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    kind: Mapped[str] = mapped_column(Enum(*SLOT_KINDS, name="slot_kind", native_enum=False,
                                           create_constraint=True, length=20))
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Of `capacity`: seats kept for special groups, and seats kept for the hall (never online).
    reserved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    walk_in: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reserved_booked: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    walk_in_booked: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # False once the schedule, rota or calendar no longer offers it; kept for its bookings.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))

    place: Mapped[Place] = relationship()

    @property
    def remaining(self) -> int:
        """The seats left online (open and reserved; never the walk-in ones). The slot listing
        counts them for its reader (services/booking.py `SLOT_ROW`)."""
        return self.open_remaining + self.reserved_remaining

    @property
    def open_remaining(self) -> int:
        return max((self.capacity - self.reserved - self.walk_in)
                   - (self.booked - self.reserved_booked - self.walk_in_booked), 0)

    @property
    def reserved_remaining(self) -> int:
        return max(self.reserved - self.reserved_booked, 0)

    @property
    def walk_in_remaining(self) -> int:
        return max(self.walk_in - self.walk_in_booked, 0)


class Booking(db.Model):
    __tablename__ = "booking"
    __table_args__ = (
        # One active booking per citizen per slot, enforced by the database.
        # (Its own bookings: those it makes for a relative count as the relative's, below.)
        Index("uq_booking_active_citizen_slot", "citizen_id", "slot_id", unique=True,
              sqlite_where=text("status IN ('booked', 'checked_in') "
                                "AND person_id_number_key IS NULL"),
              postgresql_where=text("status IN ('booked', 'checked_in') "
                                    "AND person_id_number_key IS NULL")),
        # And one per person (by ID number) per slot, for bookings made in a person's name (by
        # staff, or by a citizen for a relative).
        Index("uq_booking_active_person_slot", "person_id_number_key", "slot_id", unique=True,
              sqlite_where=text("status IN ('booked', 'checked_in')"),
              postgresql_where=text("status IN ('booked', 'checked_in')")),
        # A booking is a citizen's own, or made by staff in a person's name.
        CheckConstraint("citizen_id IS NOT NULL OR person_id_number_key IS NOT NULL",
                        name="has_holder"),
        # The bookings whose confirmation is not queued yet: a few rows at any time.
        Index("ix_booking_confirmation_due", "id",
              sqlite_where=text("NOT confirmation_queued"),
              postgresql_where=text("NOT confirmation_queued")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    # The citizen who booked in the mini-program; null for a booking staff made in a person's
    # name (a phone caller, a walk-in), who is then named by the person_* columns.
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizen.id"), index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slot.id"), index=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_item.id"))
    help_type: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Enum(*BOOKING_STATUSES, name="booking_status",
                                             native_enum=False, create_constraint=True,
                                             length=20), default="booked")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "citizen" or "hall"; a hall cancellation carries its reason.
    cancelled_by: Mapped[str | None] = mapped_column(String(10))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    no_show_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The hot booking path writes no outbox row: a new booking carries this flag (false, the
    # column's default, in the booking's own INSERT), and `dispatch-notifications` turns every
    # unflagged booking into its confirmation message and sets it (indico's notification_sent).
    # Server-side default only: the booking INSERT stays the statement it was.
    confirmation_queued: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # Made by staff in a person's name: who, and the person (ID number encrypted, its blind
    # index to count the person's bookings by ID number).
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    person_name: Mapped[str | None] = mapped_column(String(50))
    person_phone_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    person_id_number_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    person_id_number_key: Mapped[str | None] = mapped_column(String(64), index=True)
    # 亲友代办: the relation under which a citizen booked for the person.
    relative_id: Mapped[int | None] = mapped_column(ForeignKey("relative.id"))
    # The pool its seat came from (SEAT_POOLS): a cancellation gives the seat back to it.
    seat: Mapped[str] = mapped_column(Enum(*SEAT_POOLS, name="seat_pool", native_enum=False,
                                           create_constraint=True, length=10),
                                      default="open", server_default="open")

    citizen: Mapped[Citizen | None] = relationship()
    booked_by: Mapped[Staff | None] = relationship(foreign_keys=[booked_by_id])
    relative: Mapped[Relative | None] = relationship()
    slot: Mapped[Slot] = relationship()
    place: Mapped[Place] = relationship()
    item: Mapped[ServiceItem] = relationship()
    checked_in_by: Mapped[Staff | None] = relationship(foreign_keys=[checked_in_by_id])

    @property
    def status_label(self) -> str:
        return BOOKING_STATUSES[self.status]

    @property
    def for_person(self) -> ForPerson | None:
        return ForPerson.of(self.person_name) if self.relative_id is not None else None

    @property
    def holder(self) -> Citizen | Holder:
        """Whom the booking is for: the citizen, or the person staff booked for (a name and an
        encrypted phone either way)."""
        if self.person_id_number_key is not None:
            return Holder(self.person_name, self.person_phone_encrypted)
        return self.citizen


class Holder(NamedTuple):
    """The person a booking made by staff is for, as a citizen's name and phone are read."""
    name: str | None
    phone_encrypted: bytes | None


class IdempotentRequest(db.Model):
    """The first answer to a create request carrying an Idempotency-Key, replayed on retries."""
    __tablename__ = "idempotent_request"
    __table_args__ = (UniqueConstraint("owner", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "citizen:<id>" or "staff:<id>": keys are per caller.
    owner: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(100))
    endpoint: Mapped[str] = mapped_column(String(100))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
