"""Taking a ticket (取号): from a booking's check-in, from the mini-program while the place is
open, or from staff at the entrance for a walk-in. Numbers are the queue's code and a three-digit
sequence of the day (A001), taken by one conditional UPDATE of the queue's day counter
(`TicketSequence`); the unique constraint on (queue, day, sequence) is the database's backstop."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...errors import DomainError, InvalidInput, InvalidState, NotFound
from ...extensions import upsert_insert
from ...infrastructure.personal_data import clean_id_number, decrypt, encrypt, id_number_key
from ...models import (
    Booking, Citizen, Place, Queue, ServiceItem, Staff, Ticket, TicketSequence, Window,
    queue_item,
)
from .. import scope, special_groups
from ..paging import paginate
from ..relatives import confirmed_relative

MAX_SEQUENCE = 999


class DuplicateTicket(DomainError):
    code, status, message = "duplicate_ticket", 409, "您在该场所已有等候中的号，请勿重复取号"


class PlaceClosed(DomainError):
    code, status, message = "invalid_state", 409, "该场所当前未开放取号（没有开放的服务窗口）"


_seq = TicketSequence.__table__
_NEXT_NUMBER = (update(_seq).where(_seq.c.queue_id == bindparam("of_queue"),
                                   _seq.c.day == bindparam("of_day"))
                .values(last=_seq.c.last + 1).returning(_seq.c.last))


def next_sequence(session: Session, queue_id: int, day: date) -> int:
    """The queue's next number of the day. The counter row is made on the day's first ticket
    (two first tickets at once: one insert wins, the other does nothing) and then taken by a
    conditional UPDATE, which on PostgreSQL holds the row until commit."""
    conn = session.connection()
    params = {"of_queue": queue_id, "of_day": day}
    number = conn.execute(_NEXT_NUMBER, params).scalar()
    if number is None:
        conn.execute(upsert_insert(session, _seq).values(queue_id=queue_id, day=day, last=0)
                     .on_conflict_do_nothing(index_elements=["queue_id", "day"]))
        number = conn.execute(_NEXT_NUMBER, params).scalar()
    if number > MAX_SEQUENCE:
        raise InvalidState("该队列今日号码已发完")
    return number


def queue_for_item(session: Session, place: Place, item_code: str) -> tuple[Queue, ServiceItem]:
    """The place's queue that takes the item (the first by code if several do)."""
    item = session.scalar(select(ServiceItem).where(ServiceItem.code == item_code))
    if item is None:
        raise InvalidInput("未找到该事项", {"item": [f"未知的事项编码 {item_code}"]})
    queue = session.scalar(
        select(Queue).join(queue_item, queue_item.c.queue_id == Queue.id)
        .where(Queue.place_id == place.id, queue_item.c.item_id == item.id)
        .order_by(Queue.code).limit(1))
    if queue is None:
        raise InvalidInput("该场所没有办理此事项的取号队列",
                           {"item": [f"{place.name}不为{item.name}取号"]})
    return queue, item


def windows_open_at(session: Session, place_id: int) -> int:
    return session.scalar(select(func.count(Window.id)).where(
        Window.place_id == place_id, Window.is_open.is_(True))) or 0


def _issue(session: Session, queue: Queue, now: datetime, **values) -> Ticket:
    sequence = next_sequence(session, queue.id, now.date())
    ticket = Ticket(place_id=queue.place_id, queue=queue, day=now.date(), sequence=sequence,
                    number=f"{queue.code}{sequence:03d}", status="waiting", created_at=now,
                    order_at=now, **values)
    session.add(ticket)
    try:
        session.flush()
    except IntegrityError:
        raise DuplicateTicket()
    return ticket


def place_by_code(session: Session, code: str) -> Place:
    place = session.scalar(select(Place).where(Place.code == code))
    if place is None:
        raise NotFound("未找到该服务场所", {"place": code})
    return place


def take_online(session: Session, citizen_id: int, place_code: str, item_code: str,
                relative_id: int | None, now: datetime, special_group_age: int) -> Ticket:
    """The mini-program's ticket, while the place is open (a window of it is open): one
    waiting ticket per person and place, the person counted by ID number whoever's account
    asks (a relative's by theirs)."""
    place = place_by_code(session, place_code)
    queue, item = queue_for_item(session, place, item_code)
    if windows_open_at(session, place.id) == 0:
        raise PlaceClosed()
    citizen = session.get(Citizen, citizen_id)
    if relative_id is not None:
        relative = confirmed_relative(session, citizen_id, relative_id)
        key, number_encrypted, name = (relative.id_number_key, relative.id_number_encrypted,
                                       relative.name)
    else:
        relative, name, number_encrypted = None, None, citizen.id_number_encrypted
        key = citizen.id_number_key or f"citizen:{citizen.id}"
    waiting = session.scalar(select(Ticket.number).where(
        Ticket.place_id == place.id, Ticket.holder_key == key, Ticket.status == "waiting"))
    if waiting is not None:
        raise DuplicateTicket(details={"ticket": waiting})
    green = queue.green_channel and special_groups.is_special(
        session, decrypt(number_encrypted), None if key.startswith("citizen:") else key,
        now.date(), special_group_age)
    return _issue(session, queue, now, channel="online", item=item, citizen_id=citizen_id,
                  relative=relative, person_name=name,
                  person_id_number_encrypted=number_encrypted if relative else None,
                  holder_key=key, green=green)


def from_booking(session: Session, booking: Booking, staff: Staff, now: datetime,
                 special_group_age: int) -> Ticket | None:
    """A booking checked in becomes a ticket of the place's queue for its item, keeping its
    priority (called before walk-ins once its slot has begun). None: the place has no queue
    for the item."""
    queue = session.scalar(
        select(Queue).join(queue_item, queue_item.c.queue_id == Queue.id)
        .where(Queue.place_id == booking.place_id, queue_item.c.item_id == booking.item_id)
        .order_by(Queue.code).limit(1))
    if queue is None:
        return None
    key = booking.person_id_number_key
    if key is None and booking.citizen is not None:
        key = booking.citizen.id_number_key or f"citizen:{booking.citizen_id}"
    green = queue.green_channel and special_groups.holder_is_special(
        session, booking, now.date(), special_group_age)
    return _issue(session, queue, now, channel="booking", item_id=booking.item_id,
                  citizen_id=booking.citizen_id, booking=booking,
                  relative_id=booking.relative_id, person_name=booking.person_name,
                  person_id_number_encrypted=booking.person_id_number_encrypted,
                  holder_key=key, issued_by=staff, green=green,
                  slot_start=datetime.combine(booking.slot.date, booking.slot.start_time,
                                              now.tzinfo))


def walk_in(session: Session, staff: Staff, place: Place, item_code: str, name: str | None,
            id_number: str | None, special_group: str | None, now: datetime,
            special_group_age: int) -> Ticket:
    """Staff at the entrance give a walk-in a ticket, with or without an ID number. The green
    channel: a special group by the ID number (age, a confirmation in force), or as staff saw
    and wrote it (`special_group`, as at a window)."""
    scope.require_role(staff, scope.CASE_WORKERS, "督查人员不能出号")
    if not scope.works_at(staff, place):
        raise NotFound("未找到该服务场所", {"place": place.code})
    queue, item = queue_for_item(session, place, item_code)
    name = (name or "").strip() or None
    if name is not None and len(name) > 50:
        raise InvalidInput("姓名最多50个字", {"name": ["最多50个字"]})
    number = clean_id_number(id_number, now.date()) if (id_number or "").strip() else None
    key = id_number_key(number) if number else None
    special_group = (special_group or "").strip()[:50] or None
    green = queue.green_channel and (special_group is not None or special_groups.is_special(
        session, number, key, now.date(), special_group_age))
    return _issue(session, queue, now, channel="on_site", item=item, person_name=name,
                  person_id_number_encrypted=encrypt(number), holder_key=key, issued_by=staff,
                  green=green)


def _mine(citizen: Citizen):
    mine = Ticket.citizen_id == citizen.id
    if citizen.id_number_key:
        mine = mine | (Ticket.holder_key == citizen.id_number_key)
    return mine


def mine_today(session: Session, citizen: Citizen, now: datetime, page: int = 1,
               per_page: int = 20) -> tuple[list[Ticket], int]:
    """The citizen's tickets of today: taken by the account (for itself or a relative), and
    those of its ID number (a booking made in its name)."""
    query = select(Ticket).where(_mine(citizen), Ticket.day == now.date())
    return paginate(session, query.order_by(Ticket.created_at.desc(), Ticket.id.desc()),
                    page, per_page)


def own_ticket(session: Session, citizen: Citizen, number: str, now: datetime) -> Ticket:
    """One of the citizen's tickets of today by its number (numbers start afresh each day)."""
    ticket = session.scalar(select(Ticket).where(
        _mine(citizen), Ticket.day == now.date(), Ticket.number == number.strip().upper())
        .order_by(Ticket.id).limit(1))
    if ticket is None:
        raise NotFound("未找到该号", {"ticket": number})
    return ticket


def cancel(session: Session, ticket: Ticket, now: datetime) -> Ticket:
    """The holder gives up a waiting ticket."""
    changed = session.execute(
        update(Ticket).where(Ticket.id == ticket.id, Ticket.status == "waiting")
        .values(status="cancelled", cancelled_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        session.refresh(ticket)
        raise InvalidState(f"该号{ticket.status_label}，不能取消", {"status": ticket.status})
    session.expire(ticket)
    return ticket
