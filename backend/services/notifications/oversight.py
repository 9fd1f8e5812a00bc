"""What the admin shows of the outbox: the messages that could not be sent at the places a staff
member oversees, sending a failed one again, and a message's payload."""
from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ...errors import Forbidden
from ...infrastructure.audit import record
from ...models import UNDELIVERED, Notification, Staff
from .. import scope
from ..paging import paginate
from .outbox import subject_identifier


def undelivered_messages(session: Session, viewer: Staff, page: int = 1, per_page: int = 20
                         ) -> tuple[list[Notification], int]:
    """Messages that could not be sent (no subscription, refused, no WeChat linked, failed),
    newest first, at the places the viewer may see, with WeChat's answer (`errcode`, `errmsg`)
    and `status_label` saying why."""
    query = (select(Notification).where(Notification.status.in_(UNDELIVERED),
                                        or_(scope.in_own_places(viewer, Notification.place_id),
                                            Notification.staff_id == viewer.id))
             .order_by(Notification.created_at.desc(), Notification.id.desc()))
    return paginate(session, query, page, per_page)


def retry_failed(session: Session, staff: Staff, ids: Iterable[int], now: datetime) -> list[int]:
    """Make the failed messages among `ids` that the staff member may see due again now, with a
    fresh count of attempts; each retry is audited (the outbox itself is not). Messages that are
    not failed, or outside the staff member's scope, are left as they are. Returns the ids made
    due."""
    if staff.role not in scope.PLACE_RUNNERS:
        raise Forbidden("无权重发消息")
    wanted = [i for i in ids if isinstance(i, int)]
    if not wanted:
        return []
    rows = session.execute(
        update(Notification)
        .where(Notification.id.in_(wanted), Notification.status == "failed",
               scope.notifications(staff))
        .values(status="pending", due_at=now, attempts=0, errcode=None, errmsg=None,
                lease_until=None)
        .returning(Notification.id, Notification.subject, Notification.place_id)
        .execution_options(synchronize_session=False)).all()
    for _, subject, place_id in rows:
        record(session, "notification", subject_identifier(subject),
               {"status": ["failed", "pending"], "due_at": [None, now]}, place_id=place_id)
    session.expire_all()
    return sorted(row[0] for row in rows)


def payload_of(notification: Notification) -> dict:
    return json.loads(notification.payload)
