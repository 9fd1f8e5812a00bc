"""Notifications (docs/domain.md "Notifications"): every event writes its subscribe message into the
outbox in the transaction of the change that caused it; `backend.infrastructure.dispatch` sends
it later.

A message's `dedupe_key` is (event, subject, recipient) and unique: queueing is an
`INSERT ... ON CONFLICT DO NOTHING`, so a retried request or a job run twice (or by two processes
at once) never queues the same message twice, and a rolled-back change queues nothing.

Also here: the subscriptions a citizen or staff member accepted (one message per accept of a
one-time template), a staff member's WeChat link, the jobs' queries (booking confirmations,
reminders, deadline warnings), and the plain queries the admin shows (messages that could not
be sent, each staff member's inbox)."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ..domain.message_templates import CITIZEN_TEMPLATE_KEYS, STAFF_TEMPLATE_KEYS, TemplateSpec
from ..errors import Forbidden, InvalidInput
from ..extensions import upsert_insert
from ..infrastructure.audit import record
from ..models import (
    OPEN, UNDELIVERED, Booking, Case, Notification, Place, ServiceItem, Slot,
    Staff, StaffWeChat, SubscriptionQuota, staff_place,
)
from . import scope
from .calendar import load_calendar
from .paging import paginate

_notification_t = Notification.__table__

# The evening reminder goes out from this local hour for the next calendar day's bookings (a
# Monday's on Sunday, holiday or not); the second one this long before the slot starts.
EVENING_REMINDER_HOUR = 18
SOON_REMINDER = timedelta(hours=1)
CHUNK = 1000   # rows a job reads and queues per statement: memory stays flat

REMINDER_TIP = {"evening": "您明天有预约，请携带相关材料按时到场",
                "soon": "您的预约将在1小时内开始，请按时到场"}
DEADLINE_LABELS = {"amber": "即将超期", "red": "已超期"}


def dedupe_key(event: str, subject: str, citizen_id: int | None, staff_id: int | None) -> str:
    recipient = f"citizen:{citizen_id}" if citizen_id is not None else f"staff:{staff_id}"
    return f"{event}|{subject}|{recipient}"


def message_row(event: str, subject: str, payload: Mapping[str, Any], now: datetime, *,
                citizen_id: int | None = None, staff_id: int | None = None,
                place_id: int | None = None, due_at: datetime | None = None) -> dict:
    if (citizen_id is None) == (staff_id is None):
        raise ValueError("a message has exactly one recipient: a citizen or a staff member")
    return {"dedupe_key": dedupe_key(event, subject, citizen_id, staff_id), "event": event,
            "subject": subject[:100], "citizen_id": citizen_id, "staff_id": staff_id,
            "place_id": place_id, "payload": json.dumps(payload, ensure_ascii=False, default=str),
            "status": "pending", "attempts": 0, "due_at": due_at or now, "created_at": now}


def queue(session: Session, rows: Iterable[dict]) -> int:
    """Write messages into the outbox in the session's transaction; one already queued (same
    dedupe key) is left as it is. Returns how many were new."""
    rows = list(rows)
    if not rows:
        return 0
    statement = upsert_insert(session, _notification_t).on_conflict_do_nothing(
        index_elements=["dedupe_key"]).returning(_notification_t.c.id)
    # Only the rows written come back (a batched executemany's rowcount is not their count).
    return len(session.connection().execute(statement, rows).all())


def _local(at: datetime, tz: tzinfo) -> str:
    return at.astimezone(tz).isoformat()


# Bookings ------------------------------------------------------------------------------------

def _booking_payload(code: str, item: str, place: str, day: date, start, tz: tzinfo,
                     **more) -> dict:
    return {"booking_code": code, "item": item, "place": place,
            "slot_time": datetime.combine(day, start, tz).isoformat(), **more}


_BOOKING_ROW = (Booking.id, Booking.code, Booking.citizen_id, Booking.place_id, Booking.status,
                ServiceItem.name.label("item"), Place.name.label("place"), Slot.date,
                Slot.start_time)


def _booking_rows(query):
    return (query.join(Slot, Slot.id == Booking.slot_id)
            .join(ServiceItem, ServiceItem.id == Booking.item_id)
            .join(Place, Place.id == Booking.place_id))


def queue_booking_confirmations(session: Session, now: datetime) -> int:
    """The confirmations of the bookings made since the last run (the booking path only sets a
    flag: see `Booking.confirmation_queued`), a chunk at a time, each chunk with its flags in the
    caller's transaction. A booking cancelled meanwhile gets none. Returns messages queued."""
    queued = 0
    while True:
        rows = session.execute(_booking_rows(select(*_BOOKING_ROW))
                               .where(Booking.confirmation_queued.is_(False))
                               .order_by(Booking.id).limit(CHUNK)).all()
        if not rows:
            return queued
        queued += queue(session, (
            message_row("booking_confirmed", f"booking:{r.code}",
                        _booking_payload(r.code, r.item, r.place, r.date, r.start_time,
                                         now.tzinfo),
                        now, citizen_id=r.citizen_id, place_id=r.place_id)
            for r in rows if r.status == "booked"))
        session.execute(update(Booking).where(Booking.id.in_([r.id for r in rows]))
                        .values(confirmation_queued=True)
                        .execution_options(synchronize_session=False))
        session.flush()


def queue_hall_cancellation(session: Session, booking: Booking, reason: str,
                            now: datetime) -> None:
    """The citizen hears that the hall cancelled the booking, and why."""
    slot = booking.slot
    queue(session, [message_row(
        "booking_cancelled", f"booking:{booking.code}",
        _booking_payload(booking.code, booking.item.name, booking.place.name, slot.date,
                         slot.start_time, now.tzinfo, reason=reason),
        now, citizen_id=booking.citizen_id, place_id=booking.place_id)])


def queue_reminders(session: Session, now: datetime) -> int:
    """Reminders of bookings still booked: from 18:00 (local) the evening reminder of every
    booking of the next calendar day, and the one of every slot starting within the hour. Each
    booking gets each reminder once, however often this runs."""
    tz = now.tzinfo
    queued = 0
    windows = []
    if now.hour >= EVENING_REMINDER_HOUR:
        windows.append(("evening", Slot.date == now.date() + timedelta(days=1), None))
    soon = now + SOON_REMINDER
    # Slots starting after now and within the hour: on today's date, or just after midnight.
    days = sorted({now.date(), soon.date()})
    windows.append(("soon", Slot.date.in_(days), lambda r: now < datetime.combine(
        r.date, r.start_time, tz) <= soon))
    for kind, condition, keep in windows:
        last_id = 0
        while True:
            rows = session.execute(
                _booking_rows(select(*_BOOKING_ROW))
                .where(Booking.status == "booked", condition, Booking.id > last_id)
                .order_by(Booking.id).limit(CHUNK)).all()
            if not rows:
                break
            last_id = rows[-1].id
            queued += queue(session, (
                message_row("booking_reminder", f"booking:{r.code}:{kind}",
                            _booking_payload(r.code, r.item, r.place, r.date, r.start_time, tz,
                                             tip=REMINDER_TIP[kind]),
                            now, citizen_id=r.citizen_id, place_id=r.place_id)
                for r in rows if keep is None or keep(r)))
    return queued


# Cases ---------------------------------------------------------------------------------------

def _case_payload(case: Case, **more) -> dict:
    return {"case_number": case.number, "item": case.item.name, "place": case.place.name,
            "status": case.status_label, **more}


def queue_case_message(session: Session, case: Case, event: str, now: datetime,
                       subject: str | None = None, **more) -> None:
    """A message about the case to its applicant (`event` is a citizen template key)."""
    if event not in CITIZEN_TEMPLATE_KEYS:
        raise ValueError(f"not a citizen template: {event}")
    queue(session, [message_row(event, subject or f"case:{case.number}",
                                _case_payload(case, **more), now,
                                citizen_id=case.citizen_id, place_id=case.place_id)])


def case_step(case: Case) -> str:
    """A subject for a message about the case's latest history entry: one message per step."""
    return f"case:{case.number}:{len(case.events)}"


def queue_staff_message(session: Session, case: Case, event: str, staff_ids: Iterable[int],
                        now: datetime, subject: str | None = None, **more) -> None:
    """A message about the case to each of these staff members (a staff template key)."""
    if event not in STAFF_TEMPLATE_KEYS:
        raise ValueError(f"not a staff template: {event}")
    payload = _case_payload(case, applicant=case.applicant_name, **more)
    queue(session, [message_row(event, subject or f"case:{case.number}", payload, now,
                                staff_id=staff_id, place_id=case.place_id)
                    for staff_id in sorted(set(staff_ids))])


def place_managers(session: Session, place_id: int) -> list[int]:
    return list(session.scalars(
        select(Staff.id).join(staff_place, staff_place.c.staff_id == Staff.id)
        .where(staff_place.c.place_id == place_id, Staff.role == "place_manager",
               Staff.active.is_(True))))


def district_admins(session: Session) -> list[int]:
    return list(session.scalars(select(Staff.id).where(Staff.role == "district_admin",
                                                       Staff.active.is_(True))))


def queue_deadline_warnings(session: Session, now: datetime) -> int:
    """Open cases that are amber or red today: a warning to the agent and the place's managers,
    once per case, state and person."""
    from .cases import deadline_condition
    today = now.date()
    queued = 0
    for state in ("amber", "red"):
        last_id = 0
        while True:
            cases = list(session.scalars(
                select(Case).where(deadline_condition(state, today), Case.status.in_(OPEN),
                                   Case.id > last_id).order_by(Case.id).limit(CHUNK)))
            if not cases:
                break
            last_id = cases[-1].id
            managers: dict[int, list[int]] = {}
            rows = []
            for case in cases:
                if case.place_id not in managers:
                    managers[case.place_id] = place_managers(session, case.place_id)
                recipients = set(managers[case.place_id])
                if case.agent_id is not None:
                    recipients.add(case.agent_id)
                payload = _case_payload(case, applicant=case.applicant_name,
                                        deadline_state=DEADLINE_LABELS[state],
                                        due_date=case.due_date.isoformat())
                rows += [message_row("deadline_warning", f"case:{case.number}:{state}", payload,
                                     now, staff_id=staff_id, place_id=case.place_id)
                         for staff_id in sorted(recipients)]
            queued += queue(session, rows)
            session.expunge_all()   # a chunk's cases are not needed again
    return queued


def is_working_day(session: Session, day: date) -> bool:
    return load_calendar(session).is_working_day(day)


# Subscriptions -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Subscriptions:
    templates: dict[str, str]
    quota: dict[str, int]
    long_term: list[str]


def subscriptions(session: Session, openid: str, templates: Mapping[str, TemplateSpec],
                  keys: Iterable[str]) -> Subscriptions:
    """The templates (of `keys`) the mini-program may ask for, with the quota left of each
    one-time template and the long-term ones (no quota needed)."""
    offered = {key: templates[key] for key in keys if key in templates}
    held = dict(session.execute(select(SubscriptionQuota.template_key, SubscriptionQuota.quota)
                                .where(SubscriptionQuota.openid == openid)).all())
    return Subscriptions(
        templates={key: spec.id for key, spec in offered.items()},
        quota={key: held.get(key, 0) for key, spec in offered.items() if not spec.long_term},
        long_term=[key for key, spec in offered.items() if spec.long_term])


def accept_subscriptions(session: Session, openid: str, accepted: list[str],
                         templates: Mapping[str, TemplateSpec], keys: Iterable[str],
                         now: datetime) -> Subscriptions:
    """Record what `wx.requestSubscribeMessage` reported accepted: each one-time template
    accepted allows one more message of it. A key not offered is refused, nothing recorded."""
    keys = tuple(keys)
    unknown = [key for key in accepted if key not in keys or key not in templates]
    if unknown:
        raise InvalidInput("未知的订阅消息模板", {"accepted": [f"未知的模板键 {key}"
                                                            for key in unknown]})
    for key in dict.fromkeys(accepted):   # once per key: one accept per key per request
        if templates[key].long_term:
            continue
        statement = upsert_insert(session, SubscriptionQuota).values(
            openid=openid, template_key=key, quota=1, updated_at=now)
        session.execute(statement.on_conflict_do_update(
            index_elements=["openid", "template_key"],
            set_={"quota": SubscriptionQuota.quota + 1, "updated_at": now}))
    return subscriptions(session, openid, templates, keys)


# Staff WeChat --------------------------------------------------------------------------------

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


def staff_openid(session: Session, staff: Staff) -> str | None:
    return session.scalar(select(StaffWeChat.openid).where(StaffWeChat.staff_id == staff.id))


# What the admin shows ------------------------------------------------------------------------

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


def staff_inbox(session: Session, staff: Staff, page: int = 1, per_page: int = 20,
                undelivered_only: bool = True) -> tuple[list[Notification], int]:
    """A staff member's messages, newest first: by default those WeChat did not deliver (no
    link, no quota, refused, failed), which the admin shows as the inbox."""
    query = select(Notification).where(Notification.staff_id == staff.id)
    if undelivered_only:
        query = query.where(Notification.status.in_(UNDELIVERED))
    return paginate(session, query.order_by(Notification.created_at.desc(),
                                            Notification.id.desc()), page, per_page)


# Roles that may send a failed message again (inspectors only read).


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
        .returning(Notification.id)
        .execution_options(synchronize_session=False)).all()
    for (notification_id,) in rows:
        record(session, "notification", str(notification_id),
               {"status": ["failed", "pending"], "due_at": [None, now]})
    session.expire_all()
    return sorted(row[0] for row in rows)


def payload_of(notification: Notification) -> dict:
    return json.loads(notification.payload)
