"""重点项目 (博政管办发〔2022〕3号 三(四)): a key enterprise project with its dedicated agent (项目管家)
and members; its cases, across departments and places, are grouped under it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .catalog import Place
from .people import Staff
from .types import UTCDateTime

project_member = Table(
    "key_project_member", db.metadata,
    Column("project_id", ForeignKey("key_project.id", ondelete="CASCADE"), primary_key=True),
    Column("staff_id", ForeignKey("staff.id"), primary_key=True, index=True),
)


class KeyProject(db.Model):
    """A key project of an enterprise (by its 统一社会信用代码), followed at a place (the
    district hall for the district's), with its 项目管家 and members."""
    __tablename__ = "key_project"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    enterprise_name: Mapped[str] = mapped_column(String(100))
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), index=True)
    steward_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    place: Mapped[Place] = relationship()
    steward: Mapped[Staff] = relationship(foreign_keys=[steward_id])
    created_by: Mapped[Staff] = relationship(foreign_keys=[created_by_id])
    members: Mapped[list[Staff]] = relationship(secondary=project_member, order_by="Staff.username")

    def __str__(self) -> str:
        return f"{self.name}（{self.enterprise_name}）"
