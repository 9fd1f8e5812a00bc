"""The rules of consultation, as short verbs over a session.

- A citizen asks about an item at a place that offers it (at most QUESTION_MAX characters); the
  question is due an answer by the next statutory working day (`answer_due_on`, the calendar of
  the day it was asked).
- Who answers (`scope.consultations`): the place's agents of the item's lead department, its
  managers, the district office; the answer goes to the citizen (`consultation_answered`).
- A manager (or the district office) may close an open question without an answer, with a note,
  and publish an answered one, edited, to the item's public FAQ; edit or withdraw an entry of
  their places.
- `warn_overdue`: open questions past their due day warn the place's managers, once each.
- A question answered on the floor (a hall guide's, or anyone's who works there) is logged with
  its item, its kind and its outcome.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from ...errors import Forbidden, InvalidInput, InvalidState, NotFound
from ...models import (
    FLOOR_OUTCOMES, QUESTION_KINDS, Citizen, Consultation, FaqEntry, FloorQuestion, Place,
    ServiceItem, Staff,
)
from .. import notifications, scope
from ..calendar import load_calendar
from ..paging import paginate

QUESTION_MAX = 500
ANSWER_MAX = 2000

MANAGERS_ONLY = "只有场所管理员或区政务服务管理办可以这样做"


def _text(value: str | None, field: str, label: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"请填写{label}", {field: ["不能为空"]})
    if len(text) > limit:
        raise InvalidInput(f"{label}最多{limit}个字符", {field: [f"最多{limit}个字符"]})
    return text


def _item(session: Session, code: str) -> ServiceItem:
    item = session.scalar(select(ServiceItem).where(ServiceItem.code == code))
    if item is None:
        raise InvalidInput("未找到该事项", {"item": [f"未知的事项编码 {code}"]})
    return item


def _place(session: Session, code: str) -> Place:
    place = session.scalar(select(Place).where(Place.code == code))
    if place is None:
        raise InvalidInput("未找到该服务场所", {"place": [f"未知的场所编码 {code}"]})
    return place


# The citizen's side ---------------------------------------------------------------------------

def ask(session: Session, citizen: Citizen, item_code: str, place_code: str, question: str,
        now: datetime) -> Consultation:
    """A question about an item at a place that offers it."""
    text = _text(question, "question", "问题", QUESTION_MAX)
    item, place = _item(session, item_code), _place(session, place_code)
    if place not in item.places:
        raise InvalidInput("该场所不办理此事项", {"place": [f"{place.name}不办理{item.name}"]})
    due = load_calendar(session).add_working_days(now.date(), 1)
    consultation = Consultation(citizen=citizen, item=item, place=place, question=text,
                                status="open", created_at=now, answer_due_on=due)
    session.add(consultation)
    session.flush()
    return consultation


def citizen_consultations(session: Session, citizen: Citizen, page: int, per_page: int):
    """The citizen's questions, newest first, and how many there are."""
    query = (select(Consultation).where(Consultation.citizen_id == citizen.id)
             .options(selectinload(Consultation.item), selectinload(Consultation.place),
                      selectinload(Consultation.answered_by))
             .order_by(Consultation.created_at.desc(), Consultation.id.desc()))
    return paginate(session, query, page, per_page)


def faq(session: Session, item_code: str, page: int, per_page: int):
    """The item's published questions and answers, latest first (404 for an unknown item)."""
    item_id = session.scalar(select(ServiceItem.id).where(ServiceItem.code == item_code))
    if item_id is None:
        raise NotFound("未找到该事项", {"item": [item_code]})
    query = (select(FaqEntry).where(FaqEntry.item_id == item_id, FaqEntry.withdrawn_at.is_(None))
             .order_by(FaqEntry.updated_at.desc(), FaqEntry.id.desc()))
    return paginate(session, query, page, per_page)


# The staff's side -----------------------------------------------------------------------------

def staff_consultations(session: Session, staff: Staff, *, status: str | None = None,
                        place: str | None = None, page: int = 1, per_page: int = 20):
    """The questions this staff member may answer or oversee, oldest open first."""
    query = select(Consultation).where(scope.consultations(staff))
    if status:
        query = query.where(Consultation.status == status)
    if place:
        query = query.where(Consultation.place.has(Place.code == place))
    query = query.options(selectinload(Consultation.item), selectinload(Consultation.place),
                          selectinload(Consultation.answered_by)).order_by(
        Consultation.status != "open", Consultation.created_at, Consultation.id)
    return paginate(session, query, page, per_page)


def consultation_for_staff(session: Session, staff: Staff, consultation_id: int) -> Consultation:
    """One question in the staff member's scope; any other is not found."""
    consultation = session.scalar(select(Consultation).where(
        Consultation.id == consultation_id, scope.consultations(staff)))
    if consultation is None:
        raise NotFound("未找到该咨询", {"consultation": [consultation_id]})
    return consultation


def _open(consultation: Consultation) -> None:
    if consultation.status != "open":
        raise InvalidState(f"该咨询{consultation.status_label}，不能再答复或关闭",
                           {"status": consultation.status})


def answer(session: Session, staff: Staff, consultation_id: int, text: str,
           now: datetime) -> Consultation:
    """Answer an open question; the citizen is told (`consultation_answered`)."""
    scope.require_role(staff, scope.ANSWERERS, f"{staff.role_label}不能答复咨询")
    consultation = consultation_for_staff(session, staff, consultation_id)
    _open(consultation)
    consultation.answer = _text(text, "answer", "答复", ANSWER_MAX)
    consultation.answered_by, consultation.answered_at = staff, now
    consultation.status = "answered"
    session.flush()
    payload = {"consultation_id": consultation.id, "item": consultation.item.name,
               "place": consultation.place.name, "question": consultation.question,
               "answer": consultation.answer, "answered_at": now.isoformat()}
    notifications.queue(session, [notifications.message_row(
        "consultation_answered", f"consultation:{consultation.id}", payload, now,
        citizen_id=consultation.citizen_id, place_id=consultation.place_id)])
    return consultation


def close(session: Session, staff: Staff, consultation_id: int, note: str,
          now: datetime) -> Consultation:
    """Close an open question without an answer (a duplicate, not a question), with a note."""
    consultation = consultation_for_staff(session, staff, consultation_id)
    scope.require_manages(staff, consultation.place, MANAGERS_ONLY)
    _open(consultation)
    consultation.close_note = _text(note, "note", "关闭原因", QUESTION_MAX)
    consultation.status = "closed"
    session.flush()
    return consultation


def publish(session: Session, staff: Staff, consultation_id: int, question: str | None,
            answer_text: str | None, now: datetime) -> FaqEntry:
    """Publish an answered question to its item's FAQ, edited (by default as asked and
    answered); publishing it again edits the entry."""
    consultation = consultation_for_staff(session, staff, consultation_id)
    scope.require_manages(staff, consultation.place, MANAGERS_ONLY)
    if consultation.status != "answered":
        raise InvalidState("只有已答复的咨询可以发布到常见问题", {"status": consultation.status})
    question = _text(question or consultation.question, "question", "问题", QUESTION_MAX)
    answer_text = _text(answer_text or consultation.answer, "answer", "答复", ANSWER_MAX)
    entry = session.scalar(select(FaqEntry).where(FaqEntry.consultation_id == consultation.id))
    if entry is None:
        entry = FaqEntry(item_id=consultation.item_id, place_id=consultation.place_id,
                         consultation_id=consultation.id, published_by=staff, created_at=now)
        session.add(entry)
    entry.question, entry.answer, entry.updated_at, entry.withdrawn_at = (
        question, answer_text, now, None)
    session.flush()
    return entry


def _entry(session: Session, staff: Staff, entry_id: int) -> FaqEntry:
    entry = session.scalar(select(FaqEntry).where(FaqEntry.id == entry_id,
                                                  scope.visible(staff, FaqEntry)))
    if entry is None:
        raise NotFound("未找到该常见问题", {"faq": [entry_id]})
    scope.require_manages(staff, entry.place, MANAGERS_ONLY)
    return entry


def edit_faq_entry(session: Session, staff: Staff, entry_id: int, question: str,
                   answer_text: str, now: datetime) -> FaqEntry:
    entry = _entry(session, staff, entry_id)
    entry.question = _text(question, "question", "问题", QUESTION_MAX)
    entry.answer = _text(answer_text, "answer", "答复", ANSWER_MAX)
    entry.updated_at = now
    session.flush()
    return entry


def withdraw_faq_entry(session: Session, staff: Staff, entry_id: int, now: datetime) -> FaqEntry:
    """Take an entry off the public list (kept for the record)."""
    entry = _entry(session, staff, entry_id)
    if entry.withdrawn_at is None:
        entry.withdrawn_at = now
        session.flush()
    return entry


# The overdue warning --------------------------------------------------------------------------

def overdue_consultations(session: Session, today: date) -> list[Consultation]:
    """Open questions whose due day has passed and whose managers were not warned yet."""
    return list(session.scalars(select(Consultation).where(
        Consultation.status == "open", Consultation.answer_due_on < today,
        Consultation.overdue_warned_at.is_(None)).options(
        selectinload(Consultation.item), selectinload(Consultation.place))
        .order_by(Consultation.id)))


def warn_overdue(session: Session, now: datetime) -> tuple[int, int]:
    """Warn the place's managers of each open question unanswered after its working day, once
    per question (`overdue_warned_at` set in the same transaction; a run twice, or by two
    processes, warns nobody twice: the conditional UPDATE claims each question). Returns
    (questions, messages queued)."""
    warned = messages = 0
    managers: dict[int, list[int]] = {}
    for consultation in overdue_consultations(session, now.date()):
        claimed = session.execute(
            update(Consultation).where(Consultation.id == consultation.id,
                                       Consultation.overdue_warned_at.is_(None))
            .values(overdue_warned_at=now).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            continue
        warned += 1
        if consultation.place_id not in managers:
            managers[consultation.place_id] = notifications.place_managers(
                session, consultation.place_id)
        payload = {"consultation_id": consultation.id, "item": consultation.item.name,
                   "place": consultation.place.name, "question": consultation.question,
                   "answer_due_on": consultation.answer_due_on.isoformat()}
        messages += notifications.queue(session, [notifications.message_row(
            "consultation_overdue", f"consultation:{consultation.id}:overdue", payload, now,
            staff_id=staff_id, place_id=consultation.place_id)
            for staff_id in managers[consultation.place_id]])
    return warned, messages


# Questions answered on the floor ---------------------------------------------------------------

def log_floor_question(session: Session, staff: Staff, place_code: str, item_code: str | None,
                       kind: str, outcome: str, now: datetime) -> FloorQuestion:
    """Log a question answered on the floor of one of the staff member's places."""
    if staff.role not in scope.GUIDES | scope.PLACE_STAFF | scope.DISTRICT_ADMINS:
        raise Forbidden(f"{staff.role_label}不能登记现场咨询")
    problems: dict[str, list[str]] = {}
    if kind not in QUESTION_KINDS:
        problems["kind"] = ["问题类型应为：" + "、".join(QUESTION_KINDS.values())]
    if outcome not in FLOOR_OUTCOMES:
        problems["outcome"] = ["处理结果应为：" + "、".join(FLOOR_OUTCOMES.values())]
    place = session.scalar(select(Place).where(Place.code == place_code))
    if place is None or not scope.works_at(staff, place):
        problems["place"] = ["请选择您所在的场所"]
    item = None
    if item_code:
        item = session.scalar(select(ServiceItem).where(ServiceItem.code == item_code))
        if item is None:
            problems["item"] = [f"未知的事项编码 {item_code}"]
    if problems:
        raise InvalidInput("现场咨询登记有误", problems)
    question = FloorQuestion(place=place, item=item, kind=kind, outcome=outcome, staff=staff,
                             asked_at=now)
    session.add(question)
    session.flush()
    return question


def floor_questions(session: Session, staff: Staff, day: date, tz) -> list[FloorQuestion]:
    """Today's questions the staff member logged, latest first (the guide's page shows them)."""
    start = datetime.combine(day, datetime.min.time(), tz)
    return list(session.scalars(select(FloorQuestion).where(
        FloorQuestion.staff_id == staff.id, FloorQuestion.asked_at >= start)
        .options(selectinload(FloorQuestion.item))
        .order_by(FloorQuestion.asked_at.desc(), FloorQuestion.id.desc()).limit(50)))
