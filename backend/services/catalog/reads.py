"""The public catalogue as the API and the admin read it: places, items, one item."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from ...errors import InvalidInput, NotFound
from ...models import Place, ServiceItem
from ..paging import paginate


def list_places(session: Session, level: str | None = None, parent: str | None = None,
                page: int = 1, per_page: int = 20) -> tuple[list[Place], int]:
    query = select(Place).options(selectinload(Place.parent))
    if level:
        query = query.where(Place.level == level)
    if parent:
        parent_place = session.scalar(select(Place).where(Place.code == parent))
        if parent_place is None:
            raise InvalidInput("未知的上级场所", {"parent": [f"未知的场所编码 {parent}"]})
        query = query.where(Place.parent_id == parent_place.id)
    return paginate(session, query.order_by(Place.code), page, per_page)


def list_items(session: Session, place: str | None = None, category: str | None = None,
               q: str | None = None, page: int = 1, per_page: int = 20
               ) -> tuple[list[ServiceItem], int]:
    query = select(ServiceItem).options(selectinload(ServiceItem.department))
    if place:
        place_obj = session.scalar(select(Place).where(Place.code == place))
        if place_obj is None:
            raise InvalidInput("未知的服务场所", {"place": [f"未知的场所编码 {place}"]})
        query = query.where(ServiceItem.places.contains(place_obj))
    if category:
        query = query.where(ServiceItem.category == category)
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(ServiceItem.code.ilike(pattern, escape="\\"),
                                ServiceItem.name.ilike(pattern, escape="\\"),
                                ServiceItem.category.ilike(pattern, escape="\\")))
    return paginate(session, query.order_by(ServiceItem.code), page, per_page)


def get_item(session: Session, code: str) -> ServiceItem:
    item = session.scalar(select(ServiceItem).where(ServiceItem.code == code).options(
        selectinload(ServiceItem.materials), selectinload(ServiceItem.places),
        selectinload(ServiceItem.departments_involved), selectinload(ServiceItem.department)))
    if item is None:
        raise NotFound("未找到该事项", {"item": code})
    return item
