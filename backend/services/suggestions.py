"""Suggestions (合理化意见或建议, seed 二(二)2): staff who serve the public submit them, the
district office answers each, and the author is told (`suggestion_answered`, through the
outbox like a case assignment). The inspection report counts them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import InvalidInput, InvalidState, NotFound
from ..models import Suggestion, Staff
from . import notifications, scope

BODY_MAX = 2000


def submit(session: Session, staff: Staff, title: str, body: str, now: datetime) -> Suggestion:
    """A suggestion by any staff member who acts (not the read-only roles)."""
    scope.require_role(staff, scope.STAFF_ROLES - scope.READ_ONLY_ROLES,
                       f"{staff.role_label}不能提交意见建议")
    problems: dict[str, list[str]] = {}
    title, body = (title or "").strip(), (body or "").strip()
    if not 1 <= len(title) <= 50:
        problems["title"] = ["标题应为1至50个字符"]
    if not 1 <= len(body) <= BODY_MAX:
        problems["body"] = [f"内容应为1至{BODY_MAX}个字符"]
    if problems:
        raise InvalidInput("意见建议有误", problems)
    suggestion = Suggestion(author=staff, title=title, body=body, status="submitted",
                            submitted_at=now,
                            place_id=staff.places[0].id if staff.places else None)
    session.add(suggestion)
    session.flush()
    return suggestion


def answer(session: Session, actor: Staff, suggestion_id: int, text: str,
           now: datetime) -> Suggestion:
    """The district office's answer; the author is told."""
    scope.require_role(actor, scope.DISTRICT_ADMINS, "只有区政务服务管理办可以答复意见建议")
    suggestion = session.get(Suggestion, suggestion_id)
    if suggestion is None:
        raise NotFound("未找到该意见建议", {"suggestion": [suggestion_id]})
    if suggestion.status != "submitted":
        raise InvalidState("该意见建议已答复", {"status": suggestion.status})
    text = (text or "").strip()
    if not 1 <= len(text) <= BODY_MAX:
        raise InvalidInput("请填写答复", {"answer": [f"应为1至{BODY_MAX}个字符"]})
    suggestion.answer, suggestion.answered_by = text, actor
    suggestion.answered_at, suggestion.status = now, "answered"
    session.flush()
    notifications.queue(session, [notifications.message_row(
        "suggestion_answered", f"suggestion:{suggestion.id}",
        {"suggestion_id": suggestion.id, "title": suggestion.title, "answer": text,
         "answered_at": now.isoformat()}, now,
        staff_id=suggestion.author_id, place_id=suggestion.place_id)])
    return suggestion


def visible_suggestions(session: Session, staff: Staff) -> list[Suggestion]:
    return list(session.scalars(select(Suggestion).where(scope.suggestions(staff))
                                .order_by(Suggestion.submitted_at.desc())))
