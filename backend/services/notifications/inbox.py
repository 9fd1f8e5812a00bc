"""A staff member's messages: the WeChat they reach (one WeChat serves one staff account), and
the inbox of those WeChat did not deliver, which the admin shows."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import UNDELIVERED, Notification, Staff, StaffWeChat
from ..paging import paginate


def link_staff_wechat(session: Session, staff: Staff, openid: str, now: datetime) -> StaffWeChat:
    """Link the staff member's WeChat. One WeChat serves one staff account: a link it had to
    another account moves to this one."""
    other = session.scalar(select(StaffWeChat).where(StaffWeChat.openid == openid,
                                                     StaffWeChat.staff_id != staff.id))
    if other is not None:
        session.delete(other)
        session.flush()
    link = session.get(StaffWeChat, staff.id)
    if link is None:
        link = StaffWeChat(staff_id=staff.id, openid=openid, linked_at=now)
        session.add(link)
    elif link.openid != openid:
        link.openid, link.linked_at = openid, now
    session.flush()
    return link


def staff_inbox(session: Session, staff: Staff, page: int = 1, per_page: int = 20,
                undelivered_only: bool = True) -> tuple[list[Notification], int]:
    """A staff member's messages, newest first: by default those WeChat did not deliver (no
    link, no quota, refused, failed), which the admin shows as the inbox."""
    query = select(Notification).where(Notification.staff_id == staff.id)
    if undelivered_only:
        query = query.where(Notification.status.in_(UNDELIVERED))
    return paginate(session, query.order_by(Notification.created_at.desc(),
                                            Notification.id.desc()), page, per_page)
