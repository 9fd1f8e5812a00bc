"""Staff accounts, agent registrations and citizens."""
from __future__ import annotations

import hashlib

from datetime import date, datetime

from sqlalchemy import (
    Boolean, Column, Date, Enum, ForeignKey, Index, Integer, LargeBinary, String, Table, Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import ForPerson, UTCDateTime
from .catalog import Department, Place, Station

ROLES = {
    "agent": "帮办代办员",
    "place_manager": "场所管理员",
    "district_admin": "区政务服务管理办",
    "inspector": "督查人员",
    "guide": "引导员",
}

staff_place = Table(
    "staff_place", db.metadata,
    Column("staff_id", ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
    Column("place_id", ForeignKey("place.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Staff(db.Model):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(Enum(*ROLES, name="staff_role", native_enum=False,
                                           create_constraint=True, length=20))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Raised to end every admin session and API token of this person at once (sign-out,
    # deactivation, a new password): both carry `session_stamp`, checked on each request.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    department: Mapped[Department | None] = relationship()
    places: Mapped[list[Place]] = relationship(secondary=staff_place, order_by="Place.code")
    # The agent's registry entries (登记备案), current and ended.
    registrations: Mapped[list[AgentRegistration]] = relationship(
        back_populates="staff", order_by="(AgentRegistration.registered_on, AgentRegistration.id)")

    @property
    def role_label(self) -> str:
        return ROLES[self.role]

    @property
    def place_ids(self) -> set[int]:
        return {place.id for place in self.places}

    @property
    def session_stamp(self) -> str:
        """What every admin session and API token of this person carries: it changes with the
        password, the role, the account's state and each sign-out, which ends them all."""
        return self.stamp(self.password_hash, self.role, self.active, self.session_version)

    @staticmethod
    def stamp(password_hash: str, role: str, active: bool, session_version: int) -> str:
        """`session_stamp` from the four columns (also from a row read without the model)."""
        seed = f"{password_hash}|{role}|{active}|{session_version}"
        return hashlib.sha256(seed.encode()).hexdigest()[:16]

    def __str__(self) -> str:
        return self.label(self.name, self.username)

    @staticmethod
    def label(name: str, username: str) -> str:
        """How a staff member is named on every page (also from a row's two columns)."""
        return f"{name}（{username}）"


class LoginThrottle(db.Model):
    """Staff sign-in attempts by the username typed, whether or not such an account exists (so a
    lock says nothing about who does): wrong passwords within the lockout window, and until when
    the name is locked."""
    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(50), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AgentRegistration(db.Model):
    """An agent named by a station and registered with the district office (登记备案), or a
    village point's own agent (村代办员), registered at the village with no station: it belongs
    to no department. `place_id` is the place either way. Ending a registration sets `ended_on`
    and keeps the row: the registry has a history. An agent holds at most one current
    registration per station (per village point); a later one is a new row."""
    __tablename__ = "agent_registration"
    __table_args__ = (
        Index("uq_agent_registration_current", "staff_id", "station_id", unique=True,
              sqlite_where=text("ended_on IS NULL"), postgresql_where=text("ended_on IS NULL")),
        Index("uq_agent_registration_village_current", "staff_id", "place_id", unique=True,
              sqlite_where=text("ended_on IS NULL AND station_id IS NULL"),
              postgresql_where=text("ended_on IS NULL AND station_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"),
                                                   index=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id", ondelete="CASCADE"), index=True)
    registered_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)

    staff: Mapped[Staff] = relationship(back_populates="registrations")
    station: Mapped[Station | None] = relationship()
    place: Mapped[Place] = relationship()

    @property
    def village_point(self) -> bool:
        """A village agent's registration (村代办员), at no department's station."""
        return self.station_id is None

    def __str__(self) -> str:
        return str(self.station) if self.station is not None else f"{self.place.name}（村代办员）"

    @property
    def current(self) -> bool:
        return self.ended_on is None


class Citizen(db.Model):
    """A mini-program user. Phone and ID number are kept only encrypted (DATA_KEY)."""
    __tablename__ = "citizen"

    id: Mapped[int] = mapped_column(primary_key=True)
    openid: Mapped[str] = mapped_column(String(64), unique=True)
    unionid: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(50))
    phone_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_number_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The ID number's blind index (personal_data.id_number_key): finds what was done for this
    # person at a window (cases, bookings) without decrypting anything.
    id_number_key: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when a citizen reaches the no-show limit (3 in 90 days by default).
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


RELATIVE_STATUSES = {"pending": "待确认", "confirmed": "已确认", "ended": "已解除"}


class Relative(db.Model):
    """亲友代办: a citizen acts for another person (a parent, say) once that person confirms it,
    from their own account or in front of staff at a window who saw their ID and a signed
    authorisation. Ending it (either side) keeps the row and what was done under it."""
    __tablename__ = "relative"
    __table_args__ = (
        Index("uq_relative_open", "citizen_id", "id_number_key", unique=True,
              sqlite_where=text("status <> 'ended'"), postgresql_where=text("status <> 'ended'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The account that acts for the person.
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    relation: Mapped[str] = mapped_column(String(20))
    id_number_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    id_number_key: Mapped[str] = mapped_column(String(64), index=True)
    phone_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(Enum(*RELATIVE_STATUSES, name="relative_status",
                                             native_enum=False, create_constraint=True,
                                             length=10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Who confirmed: the person's own account, or staff at a window (with what they saw).
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizen.id"))
    confirmed_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    confirmation_note: Mapped[str | None] = mapped_column(Text)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "requester" (the acting account) or "relative" (the person).
    ended_by: Mapped[str | None] = mapped_column(String(10))

    citizen: Mapped[Citizen] = relationship(foreign_keys=[citizen_id])
    confirmed_by_staff: Mapped[Staff | None] = relationship()

    @property
    def status_label(self) -> str:
        return RELATIVE_STATUSES[self.status]

    @property
    def requester_masked(self) -> ForPerson:
        """The acting account, as the person it names reads it."""
        return ForPerson.of(self.citizen.name)


# Special groups staff confirm after seeing a document; age needs no confirmation (the ID
# number's birth date says it: SPECIAL_GROUP_AGE).
SPECIAL_GROUP_KINDS = {"disability": "残疾人", "military": "军人、退役军人及优抚对象",
                       "pregnant": "孕产妇", "other": "其他特殊困难群体"}


class SpecialGroupConfirmation(db.Model):
    """A person (by ID number) confirmed as belonging to a special group (绿色通道) by staff who
    saw the document: who, when, which kind of document. It serves every account and booking in
    that ID number's name; ending it keeps the row."""
    __tablename__ = "special_group_confirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    id_number_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    id_number_key: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(Enum(*SPECIAL_GROUP_KINDS, name="special_group_kind",
                                           native_enum=False, create_constraint=True,
                                           length=20))
    # The document seen, e.g. 残疾人证 or 退役军人证 (its kind, never its number).
    document: Mapped[str] = mapped_column(String(50))
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), index=True)
    confirmed_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    place: Mapped[Place] = relationship()
    confirmed_by: Mapped[Staff] = relationship(foreign_keys=[confirmed_by_id])
    ended_by: Mapped[Staff | None] = relationship(foreign_keys=[ended_by_id])

    @property
    def kind_label(self) -> str:
        return SPECIAL_GROUP_KINDS[self.kind]
