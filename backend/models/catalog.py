"""The catalogue: places, departments and their stations, service items and their materials,
and the schedules and rota that staff the places."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import (
    Boolean, CheckConstraint, Column, Date, Enum, Float, ForeignKey, Integer, String, Table, Text,
    Time, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

# Place levels, from the district hall down to the village point, with their Chinese names.
PLACE_LEVELS = {
    "district": "区政务服务中心",
    "department_hall": "部门专业分大厅",
    "town": "镇（街道）便民服务中心",
    "village": "村（社区）便民服务中心",
}
HELP_TYPES = {"assist": "帮办", "proxy": "代办"}
SLOT_KINDS = {"regular": "正常", "extended": "错时延时", "weekend": "周末", "holiday": "节假日"}


class Place(db.Model):
    __tablename__ = "place"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    level: Mapped[str] = mapped_column(Enum(*PLACE_LEVELS, name="place_level", native_enum=False,
                                            create_constraint=True, length=20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # Self-service devices here need a helper at hand (博政管办发〔2022〕3号 二(二)1).
    self_service_devices: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default="0")

    parent: Mapped[Place | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Place]] = relationship(back_populates="parent")
    stations: Mapped[list[Station]] = relationship(back_populates="place", cascade="all, delete-orphan")

    @property
    def level_label(self) -> str:
        return PLACE_LEVELS[self.level]

    def __str__(self) -> str:
        return self.name


class Department(db.Model):
    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(50))

    stations: Mapped[list[Station]] = relationship(back_populates="department")

    def __str__(self) -> str:
        return self.name


class Station(db.Model):
    """A department stationed at a place (部门站所)."""
    __tablename__ = "station"
    __table_args__ = (UniqueConstraint("place_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)

    place: Mapped[Place] = relationship(back_populates="stations")
    department: Mapped[Department] = relationship(back_populates="stations")

    def __str__(self) -> str:
        return f"{self.place.name}·{self.department.name}"


item_place = Table(
    "item_place", db.metadata,
    Column("item_id", ForeignKey("service_item.id", ondelete="CASCADE"), primary_key=True),
    Column("place_id", ForeignKey("place.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# The departments a multi-department matter involves besides its lead department.
item_department = Table(
    "item_department", db.metadata,
    Column("item_id", ForeignKey("service_item.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("department.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class ServiceItem(db.Model):
    __tablename__ = "service_item"
    __table_args__ = (
        CheckConstraint("commitment_days > 0", name="commitment_days_positive"),
        CheckConstraint("offers_assist OR offers_proxy", name="offers_help"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(50), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    commitment_days: Mapped[int] = mapped_column(Integer)
    # The legal fee as shown to the citizen; null means free of charge.
    fee: Mapped[str | None] = mapped_column(String(200))
    offers_assist: Mapped[bool] = mapped_column(Boolean, default=True)
    offers_proxy: Mapped[bool] = mapped_column(Boolean, default=True)

    department: Mapped[Department] = relationship()
    places: Mapped[list[Place]] = relationship(secondary=item_place, order_by="Place.code")
    departments_involved: Mapped[list[Department]] = relationship(
        secondary=item_department, order_by="Department.code")
    materials: Mapped[list[Material]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="Material.position")

    @property
    def help_types(self) -> list[str]:
        return help_types_of(self)

    def __str__(self) -> str:
        return self.name


# Which flag of an item says it offers which help type.
HELP_TYPE_FLAGS = {kind: f"offers_{kind}" for kind in HELP_TYPES}


def help_types_of(item) -> list[str]:
    """The help types an item (or a row with its flags) offers."""
    return [kind for kind, flag in HELP_TYPE_FLAGS.items() if getattr(item, flag)]


class Material(db.Model):
    __tablename__ = "material"
    __table_args__ = (
        UniqueConstraint("item_id", "code"),
        CheckConstraint("copies > 0", name="copies_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_item.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    copies: Mapped[int] = mapped_column(Integer, default=1)
    original: Mapped[bool] = mapped_column(Boolean, default=True)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    how_to_obtain: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    item: Mapped[ServiceItem] = relationship(back_populates="materials")

    def __str__(self) -> str:
        return self.name


class ScheduleRule(db.Model):
    """A weekly opening rule of a place; `weekdays` narrows the days of its kind (1 = Monday)."""
    __tablename__ = "schedule_rule"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("slot_minutes > 0", name="slot_minutes_positive"),
        CheckConstraint("start_time < end_time", name="start_before_end"),
        CheckConstraint("reserved >= 0 AND walk_in >= 0 AND reserved + walk_in <= capacity",
                        name="pools_within_capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), index=True)
    kind: Mapped[str] = mapped_column(Enum(*SLOT_KINDS, name="slot_kind", native_enum=False,
                                           create_constraint=True, length=20))
    # Comma-separated ISO weekdays, e.g. "1,2,3,4,5"; null serves every day of its kind.
    weekdays: Mapped[str | None] = mapped_column(String(13))
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer)
    # Of each slot's capacity: seats kept for special groups, and seats never offered online.
    reserved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    walk_in: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    place: Mapped[Place] = relationship()

    @property
    def weekday_set(self) -> frozenset[int] | None:
        return frozenset(int(d) for d in self.weekdays.split(",")) if self.weekdays else None

    def serves_weekday(self, iso_weekday: int) -> bool:
        days = self.weekday_set
        return days is None or iso_weekday in days


class RotaEntry(db.Model):
    """An agent on duty at a place on a date (轮休排班); X sessions need one."""
    __tablename__ = "rota_entry"
    __table_args__ = (UniqueConstraint("place_id", "date", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    date: Mapped[date] = mapped_column(Date, index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)

    place: Mapped[Place] = relationship()
    staff: Mapped["Staff"] = relationship()  # noqa: F821
