"""Announcements (公告: holiday hours, new 5+X sessions; seed 三(三)), per place or district-wide,
shown to citizens from their first to their last day unless ended early.

District admins publish anywhere, district-wide included; a place manager publishes for their
own places only; agents and inspectors publish nothing. These services decide it themselves,
with the scope's helpers (`require_role`, `may_manage`), as the floor's services do.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from .. import fields as f
from ..errors import Forbidden, InvalidInput, InvalidState, NotFound
from ..models import Announcement, Place, Staff
from . import scope
from .paging import paginate

# The longest an announcement may run.
MAX_DAYS = 366


@dataclass(frozen=True)
class AnnouncementInput:
    title: str
    body: str
    place: str | None  # a place code; None: district-wide
    starts_on: date
    ends_on: date


def current_condition(today: date):
    return (Announcement.starts_on <= today) & (Announcement.ends_on >= today) & \
        Announcement.ended_at.is_(None)


def current_announcements(session: Session, today: date, place: str | None = None,
                          page: int = 1, per_page: int = 20) -> tuple[list[Announcement], int]:
    """What citizens read today: for a place, its own and the district-wide ones; without one,
    every current announcement. Newest first."""
    query = select(Announcement).options(selectinload(Announcement.place)).where(
        current_condition(today))
    if place:
        place_row = session.scalar(select(Place).where(Place.code == place))
        if place_row is None:
            raise InvalidInput("未知的服务场所", {"place": [f"未知的场所编码 {place}"]})
        query = query.where(or_(Announcement.place_id.is_(None),
                                Announcement.place_id == place_row.id))
    return paginate(session, query.order_by(Announcement.starts_on.desc(), Announcement.id.desc()),
                    page, per_page)


def list_announcements(session: Session, staff: Staff, page: int = 1, per_page: int = 20
                       ) -> tuple[list[Announcement], int]:
    query = select(Announcement).options(selectinload(Announcement.place)).where(
        scope.announcements(staff))
    return paginate(session, query.order_by(Announcement.starts_on.desc(), Announcement.id.desc()),
                    page, per_page)


def _check(session: Session, staff: Staff, data: AnnouncementInput, today: date) -> Place | None:
    scope.require_role(staff, scope.PLACE_RUNNERS, "只有区政务服务管理办和场所管理员可以发布公告")
    problems: dict[str, list[str]] = {}
    title, body = (data.title or "").strip(), (data.body or "").strip()
    if not title:
        problems["title"] = ["必填"]
    elif len(title) > f.NAME_MAX:
        problems["title"] = [f"最多{f.NAME_MAX}个字"]
    if not body:
        problems["body"] = ["必填"]
    elif len(body) > f.TEXT_MAX:
        problems["body"] = [f"最多{f.TEXT_MAX}个字"]
    if data.ends_on < data.starts_on:
        problems["ends_on"] = ["结束日期不能早于开始日期"]
    elif data.ends_on < today:
        problems["ends_on"] = ["结束日期已过"]
    elif (data.ends_on - data.starts_on).days + 1 > MAX_DAYS:
        problems["ends_on"] = [f"公告最长展示{MAX_DAYS}天"]
    place = None
    if data.place:
        place = session.scalar(select(Place).where(Place.code == data.place))
        if place is None:
            problems["place"] = [f"未知的场所编码 {data.place}"]
    if problems:
        raise InvalidInput("公告内容有误", problems)
    if place is None:
        scope.require_role(staff, scope.DISTRICT_ADMINS, "只有区政务服务管理办可以发布全区公告")
    elif not scope.may_manage(staff, place):
        raise Forbidden("只能为本人管理的场所发布公告")
    return place


def _editable(session: Session, staff: Staff, announcement_id: int) -> Announcement:
    announcement = session.scalar(select(Announcement).where(
        Announcement.id == announcement_id, scope.announcements(staff)))
    if announcement is None:
        raise NotFound("未找到该公告", {"announcement": announcement_id})
    if announcement.place is None:
        scope.require_role(staff, scope.DISTRICT_ADMINS, "您无权修改该公告")
    elif not scope.may_manage(staff, announcement.place):
        raise Forbidden("您无权修改该公告")
    if announcement.ended_at is not None:
        raise InvalidState("该公告已撤下")
    return announcement


def create_announcement(session: Session, staff: Staff, data: AnnouncementInput,
                        now: datetime, today: date) -> Announcement:
    place = _check(session, staff, data, today)
    announcement = Announcement(title=data.title.strip(), body=data.body.strip(), place=place,
                                starts_on=data.starts_on, ends_on=data.ends_on,
                                created_by_id=staff.id, created_at=now)
    session.add(announcement)
    session.flush()
    return announcement


def update_announcement(session: Session, staff: Staff, announcement_id: int,
                        data: AnnouncementInput, today: date) -> Announcement:
    announcement = _editable(session, staff, announcement_id)
    place = _check(session, staff, data, today)
    announcement.title, announcement.body = data.title.strip(), data.body.strip()
    announcement.place = place
    announcement.starts_on, announcement.ends_on = data.starts_on, data.ends_on
    session.flush()
    return announcement


def end_announcement(session: Session, staff: Staff, announcement_id: int,
                     now: datetime) -> Announcement:
    """Take an announcement down now; it stays in the list, ended."""
    announcement = _editable(session, staff, announcement_id)
    announcement.ended_at, announcement.ended_by_id = now, staff.id
    session.flush()
    return announcement
