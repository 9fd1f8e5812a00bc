"""亲友代办: a citizen acts for a relative (a parent without a smartphone, say) once the relative
confirms it, from their own account (`accept`) or in front of staff at a window who saw their ID
and a signed authorisation (`confirm_at_window`). Either side ends it; what was done under it
stays. Bookings and cases made `for` a relative are the relative's: every per-person rule counts
them by the relative's ID number (person_booking), whichever account acted."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Forbidden, InvalidInput, InvalidState, NotFound
from ..infrastructure.personal_data import clean_id_number, clean_phone, encrypt, id_number_key
from ..models import Citizen, Relative, Staff
from . import scope
from .paging import paginate

RELATION_MAX = 20


def add_relative(session: Session, citizen: Citizen, name: str, id_number: str, relation: str,
                 phone: str | None, now: datetime) -> Relative:
    """A request to act for someone: pending until they (or staff at a window) confirm it."""
    name, relation = (name or "").strip(), (relation or "").strip()
    if not name:
        raise InvalidInput("请填写亲友的姓名", {"name": ["必填"]})
    if not relation or len(relation) > RELATION_MAX:
        raise InvalidInput("请填写与亲友的关系（最多20个字）", {"relation": ["必填，最多20个字"]})
    number = clean_id_number(id_number or "", now.date())
    key = id_number_key(number)
    if key == citizen.id_number_key:
        raise InvalidInput("不能添加本人为亲友", {"id_number": ["与本人身份证号码相同"]})
    if session.scalar(select(Relative.id).where(Relative.citizen_id == citizen.id,
                                                Relative.id_number_key == key,
                                                Relative.status != "ended")):
        raise InvalidState("已添加过此亲友", {"id_number": ["已有未解除的亲友关系"]})
    relative = Relative(citizen_id=citizen.id, name=name, relation=relation,
                        id_number_encrypted=encrypt(number), id_number_key=key,
                        phone_encrypted=encrypt(clean_phone(phone)) if phone else None,
                        status="pending", created_at=now)
    session.add(relative)
    session.flush()
    return relative


def list_relatives(session: Session, citizen: Citizen, page: int = 1, per_page: int = 20
                   ) -> tuple[list[Relative], int]:
    """The citizen's relatives, newest first (ended ones too: the history of who acted)."""
    query = select(Relative).where(Relative.citizen_id == citizen.id)
    return paginate(session, query.order_by(Relative.created_at.desc(), Relative.id.desc()),
                    page, per_page)


def _naming(citizen: Citizen):
    """SQL condition: relations naming this citizen, by ID number and name (none for a citizen
    whose profile lacks either)."""
    if not citizen.id_number_key or not citizen.name:
        return Relative.id.is_(None)
    return (Relative.id_number_key == citizen.id_number_key) & (Relative.name == citizen.name)


def list_authorisations(session: Session, citizen: Citizen, page: int = 1, per_page: int = 20
                        ) -> tuple[list[Relative], int]:
    """The requests naming my ID number (and name): to accept, or to end."""
    query = select(Relative).where(_naming(citizen), Relative.citizen_id != citizen.id)
    return paginate(session, query.order_by(Relative.created_at.desc(), Relative.id.desc()),
                    page, per_page)


def accept(session: Session, citizen: Citizen, relative_id: int, now: datetime) -> Relative:
    relative = session.scalar(select(Relative).where(Relative.id == relative_id,
                                                     _naming(citizen)))
    if relative is None:
        raise NotFound("未找到该授权请求", {"id": relative_id})
    if relative.status != "pending":
        raise InvalidState(f"该授权请求{relative.status_label}", {"status": relative.status})
    relative.status, relative.confirmed_at = "confirmed", now
    relative.confirmed_by_citizen_id = citizen.id
    return relative


def confirm_at_window(session: Session, staff: Staff, relative_id: int, note: str,
                      now: datetime) -> Relative:
    """Staff confirm a relation for a relative without WeChat, having seen the relative's ID and
    a signed authorisation (`note` says what was seen); who and when are kept."""
    if staff.role not in scope.CASE_WORKERS:
        raise Forbidden("督查人员不能确认亲友授权")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("请写明核验的证件和授权书", {"note": ["必填，如：身份证原件、签字的授权委托书"]})
    relative = session.get(Relative, relative_id)
    if relative is None:
        raise NotFound("未找到该授权请求", {"id": relative_id})
    if relative.status != "pending":
        raise InvalidState(f"该授权请求{relative.status_label}", {"status": relative.status})
    relative.status, relative.confirmed_at = "confirmed", now
    relative.confirmed_by_staff, relative.confirmation_note = staff, note
    return relative


def end(session: Session, citizen: Citizen, relative_id: int, now: datetime) -> Relative:
    """Either side ends the relation; bookings and cases made under it stay."""
    relative = session.get(Relative, relative_id)
    if relative is None:
        raise NotFound("未找到该亲友", {"id": relative_id})
    if relative.citizen_id == citizen.id:
        side = "requester"
    elif session.scalar(select(Relative.id).where(Relative.id == relative_id,
                                                  _naming(citizen))):
        side = "relative"
    else:
        raise NotFound("未找到该亲友", {"id": relative_id})
    if relative.status == "ended":
        raise InvalidState("该亲友关系已解除")
    relative.status, relative.ended_at, relative.ended_by = "ended", now, side
    return relative


def confirmed_relative(session: Session, citizen_id: int, relative_id: int) -> Relative:
    """The relation a citizen acts `for`: theirs and confirmed."""
    relative = session.get(Relative, relative_id)
    if relative is None or relative.citizen_id != citizen_id:
        raise InvalidInput("未找到该亲友", {"for": [f"未知的亲友 {relative_id}"]})
    if relative.status != "confirmed":
        raise InvalidInput(f"该亲友关系{relative.status_label}，不能代为办理",
                           {"for": ["亲友确认后才能代为预约或申请"]})
    return relative


def pending_naming(session: Session, key: str) -> list[Relative]:
    """Requests still waiting that name this ID number: what a window may confirm."""
    return list(session.scalars(select(Relative).where(
        Relative.id_number_key == key, Relative.status == "pending")
        .order_by(Relative.created_at)))
