"""The catalogue: places and service items, and the announcements citizens read."""
from ..blueprint import Blueprint

from backend.extensions import db
from backend.clock import today
from backend.services import announcements, catalog

from ..schemas import (
    AnnouncementQuery, AnnouncementSchema, ItemQuery, ItemSchema, ItemSummarySchema, PlaceQuery,
    PlaceSchema, page_of,
)

blp = Blueprint("catalog", __name__, description="服务场所与事项目录")


@blp.get("/places")
@blp.arguments(PlaceQuery, location="query")
@blp.response(200, page_of(PlaceSchema))
def list_places(args):
    """服务场所列表"""
    places, total = catalog.list_places(db.session, **args)
    return {"items": places, "total": total}


@blp.get("/items")
@blp.arguments(ItemQuery, location="query")
@blp.response(200, page_of(ItemSummarySchema))
def list_items(args):
    """事项列表"""
    items, total = catalog.list_items(db.session, **args)
    return {"items": items, "total": total}


@blp.get("/items/<code>")
@blp.response(200, ItemSchema)
@blp.alt_response(404, description="未找到该事项")
def get_item(code):
    """事项详情：材料清单、可办场所、协办部门"""
    return catalog.get_item(db.session, code)


@blp.get("/announcements")
@blp.arguments(AnnouncementQuery, location="query")
@blp.response(200, page_of(AnnouncementSchema))
def list_announcements(args):
    """当前公告：节假日服务时间、新增“5+X”服务等"""
    items, total = announcements.current_announcements(db.session, today=today(), **args)
    return {"items": items, "total": total}
