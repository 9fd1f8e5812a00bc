"""The outbox of WeChat subscribe messages, the citizens' and staff's subscription quota, and the
link between a staff account and its WeChat (docs/domain.md "Notifications")."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean, CheckConstraint, Enum, ForeignKey, Index, Integer, String, Text, text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import Citizen, Staff
from .types import UTCDateTime

NOTIFICATION_STATUSES = {
    "pending": "待发送",
    "sending": "发送中",
    "sent": "已发送",
    "refused": "未送达：用户拒收或订阅次数已用完",
    "no_subscription": "未发送：无订阅",
    "unlinked": "未发送：未绑定微信",
    "failed": "发送失败",
}
# A message in one of these will not be sent by WeChat any more: what the admin lists.
UNDELIVERED = ("refused", "no_subscription", "unlinked", "failed")


class Notification(db.Model):
    """One subscribe message to one recipient, written in the transaction of the change it
    announces; the dispatcher sends it and records WeChat's answer. `dedupe_key` (event, subject,
    recipient) is unique, so the same message can never be queued twice."""
    __tablename__ = "notification"
    __table_args__ = (
        CheckConstraint("(citizen_id IS NULL) <> (staff_id IS NULL)", name="one_recipient"),
        # The dispatcher's claim: due rows by status and time.
        Index("ix_notification_status_due_at", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    # The template key (docs/api.md's list, and the staff ones).
    event: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(100))
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"),
                                                   index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"),
                                                 index=True)
    # The place the message is about: the admin shows a place's undelivered messages.
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"), index=True)
    # JSON: our field -> value (rendered into WeChat's data keys when sent).
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Enum(*NOTIFICATION_STATUSES, name="notification_status",
                                             native_enum=False, create_constraint=True,
                                             length=20))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A claimed row not finished by then (its dispatcher died) is due again.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # One quota of its template is held for it (taken at the claim, given back if it is not
    # sent); a row claimed again after its dispatcher died does not take a second one.
    quota_reserved: Mapped[bool] = mapped_column(Boolean, default=False,
                                                 server_default=text("false"))
    errcode: Mapped[int | None] = mapped_column(Integer)
    errmsg: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    citizen: Mapped[Citizen | None] = relationship()
    staff: Mapped[Staff | None] = relationship()

    @property
    def status_label(self) -> str:
        return NOTIFICATION_STATUSES[self.status]


class SubscriptionQuota(db.Model):
    """How many messages of a one-time template a WeChat user (citizen or staff) has allowed:
    one per accept in `wx.requestSubscribeMessage`, one used per message sent."""
    __tablename__ = "subscription_quota"
    __table_args__ = (CheckConstraint("quota >= 0", name="quota_not_negative"),)

    openid: Mapped[str] = mapped_column(String(64), primary_key=True)
    template_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    quota: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StaffWeChat(db.Model):
    """A staff member's WeChat (POST /staff/wechat-bind): assignments, escalations and deadline
    warnings reach it as subscribe messages."""
    __tablename__ = "staff_wechat"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"),
                                          primary_key=True)
    openid: Mapped[str] = mapped_column(String(64), unique=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime)

    staff: Mapped[Staff] = relationship()
