"""The outbox (docs/domain.md "Notifications"): every event writes its subscribe message here in
the transaction of the change that caused it; `backend.infrastructure.dispatch` sends it later.

A message's `dedupe_key` is (event, subject, recipient) and unique: queueing is an
`INSERT ... ON CONFLICT DO NOTHING`, so a retried request or a job run twice (or by two processes
at once) never queues the same message twice, and a rolled-back change queues nothing.

The messages of bookings (confirmations, reminders, the hall's cancellations) and of cases (to
the applicant, to staff, deadline warnings), and who receives what staff are sent."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ...domain.message_templates import CITIZEN_TEMPLATE_KEYS, STAFF_TEMPLATE_KEYS
from ...extensions import upsert_insert
from ...models import Booking, Case, Citizen, Notification, Place, ServiceItem, Slot, Staff, staff_place

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


def subject_identifier(subject: str) -> str:
    """What a message is about, as people know it: `booking:CODE:evening` is about booking CODE,
    `case:NUMBER:3` about case NUMBER."""
    parts = subject.split(":")
    return parts[1] if len(parts) > 1 else subject


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
            # A booking staff made in a person's name has no account to tell.
            for r in rows if r.status == "booked" and r.citizen_id is not None))
        session.execute(update(Booking).where(Booking.id.in_([r.id for r in rows]))
                        .values(confirmation_queued=True)
                        .execution_options(synchronize_session=False))
        session.flush()


def queue_hall_cancellation(session: Session, booking: Booking, reason: str,
                            now: datetime) -> None:
    """The citizen hears that the hall cancelled the booking, and why (a person booked for by
    staff, with no account, is told by the hall itself)."""
    if booking.citizen_id is None:
        return
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
                for r in rows if r.citizen_id is not None and (keep is None or keep(r))))
    return queued


# Tickets -------------------------------------------------------------------------------------

TICKET_SOON_TIP = "前面还有{ahead}位，请到等候区留意叫号"


def queue_ticket_soon(session: Session, tickets: Iterable[tuple[Any, int]], now: datetime) -> int:
    """`ticket_soon` to the account of each (ticket, people ahead of it): once per ticket."""
    return queue(session, (
        message_row("ticket_soon", f"ticket:{ticket.number}:{ticket.id}",
                    {"ticket_number": ticket.number, "place": ticket.place.name,
                     "queue": ticket.queue.name, "ahead": ahead,
                     "tip": TICKET_SOON_TIP.format(ahead=ahead)},
                    now, citizen_id=ticket.citizen_id, place_id=ticket.place_id)
        for ticket, ahead in tickets if ticket.citizen_id is not None))


# Cases ---------------------------------------------------------------------------------------

def _case_payload(case: Case, **more) -> dict:
    return {"case_number": case.number, "item": case.item.name, "place": case.place.name,
            "status": case.status_label, **more}


def queue_case_message(session: Session, case: Case, event: str, now: datetime,
                       subject: str | None = None, **more) -> None:
    """A message about the case to its applicant (`event` is a citizen template key)."""
    if event not in CITIZEN_TEMPLATE_KEYS:
        raise ValueError(f"not a citizen template: {event}")
    citizen_id = case_recipient(session, case)
    if citizen_id is None:
        return
    queue(session, [message_row(event, subject or f"case:{case.number}",
                                _case_payload(case, **more), now,
                                citizen_id=citizen_id, place_id=case.place_id)])


def case_recipient(session: Session, case: Case) -> int | None:
    """Who hears about a case: its citizen, or for a case taken at a window the account holding
    the applicant's name and ID number (by the blind index), if there is one; if not, nobody
    (the applicant has the window's paper receipt and phone call)."""
    if case.citizen_id is not None or case.applicant_id_number_key is None:
        return case.citizen_id
    return session.scalar(select(Citizen.id).where(
        Citizen.id_number_key == case.applicant_id_number_key,
        Citizen.name == case.applicant_name).order_by(Citizen.id).limit(1))


def case_step(case: Case) -> str:
    """A subject for a message about the case's latest history entry: one message per step."""
    return f"case:{case.number}:{len(case.events)}"


def queue_staff_message(session: Session, case: Case, event: str, staff_ids: Iterable[int],
                        now: datetime, subject: str | None = None, **more) -> int:
    """A message about the case to each of these staff members (a staff template key); how
    many were new."""
    if event not in STAFF_TEMPLATE_KEYS:
        raise ValueError(f"not a staff template: {event}")
    payload = _case_payload(case, applicant=case.applicant_name, **more)
    return queue(session, [message_row(event, subject or f"case:{case.number}", payload, now,
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


def queue_deadline_warnings(session: Session, late: Iterable[tuple[str, list[Case]]],
                            now: datetime) -> int:
    """Warn of the open cases that are amber or red today (`late`: chunks of them by state, as
    `cases.amber_and_red_cases` reads them): a message to the agent and the place's managers,
    once per case, state and person. Returns messages queued."""
    queued = 0
    managers: dict[int, list[int]] = {}
    for state, cases in late:
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
        session.expunge_all()   # a chunk's cases are not needed again: memory stays flat
    return queued


def queue_acceptance_warnings(session: Session, due: Iterable[tuple[Case, date]],
                              now: datetime) -> int:
    """行政许可法 §32: a case still not checked on the 4th working day after receipt warns its
    agent and its place's managers, once per case and day of receipt (`due`: the cases with
    their deadline, as `cases.acceptances_due` reads them). Returns messages queued."""
    rows = []
    managers: dict[int, list[int]] = {}
    for case, deadline in due:
        if case.place_id not in managers:
            managers[case.place_id] = place_managers(session, case.place_id)
        recipients = set(managers[case.place_id])
        if case.agent_id is not None:
            recipients.add(case.agent_id)
        payload = _case_payload(case, applicant=case.applicant_name,
                                received_on=case.received_on.isoformat(),
                                acceptance_deadline=deadline.isoformat())
        rows += [message_row("acceptance_due",
                             f"case:{case.number}:acceptance:{case.received_on.isoformat()}",
                             payload, now, staff_id=staff_id, place_id=case.place_id)
                 for staff_id in sorted(recipients)]
    return queue(session, rows)
