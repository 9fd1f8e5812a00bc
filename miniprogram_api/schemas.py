"""Request and response schemas; the OpenAPI document is generated from these."""
from __future__ import annotations

from functools import cache

from backend import fields as f
from backend.models import HELP_TYPES, PLACE_LEVELS


class PageQuery(f.Schema):
    page = f.Int(load_default=1, validate=f.at_least(1), metadata={"description": "页码，从1开始"})
    per_page = f.Int(load_default=20, validate=f.between(1, 100),
                     metadata={"description": "每页条数，最多100"})


@cache
def page_of(schema: type[f.Schema]) -> type[f.Schema]:
    """The list envelope of API.md: {"items": [...], "total": N}."""
    return type(f"{schema.__name__.removesuffix('Schema')}PageSchema", (f.Schema,), {
        "items": f.List(f.Nested(schema), required=True),
        "total": f.Int(required=True, metadata={"description": "符合条件的总条数"}),
    })


class RefSchema(f.Schema):
    """A reference to a place, department or item."""
    code = f.Str(required=True)
    name = f.Str(required=True)


class PlaceSchema(f.Schema):
    code = f.Str(required=True)
    name = f.Str(required=True)
    level = f.Str(required=True, metadata={"enum": list(PLACE_LEVELS)})
    level_label = f.Str(metadata={"description": "层级的中文名称"})
    parent = f.Nested(RefSchema, allow_none=True)
    address = f.Str(allow_none=True)
    phone = f.Str(allow_none=True)
    latitude = f.Float(allow_none=True)
    longitude = f.Float(allow_none=True)


class PlaceQuery(PageQuery):
    level = f.Str(validate=f.one_of(PLACE_LEVELS), metadata={"description": "场所层级"})
    parent = f.Str(metadata={"description": "上级场所编码"})


class ItemSummarySchema(f.Schema):
    code = f.Str(required=True)
    name = f.Str(required=True)
    category = f.Str(required=True)
    department = f.Nested(RefSchema, required=True, metadata={"description": "牵头（主办）部门"})
    help_types = f.List(f.Str(metadata={"enum": list(HELP_TYPES)}), required=True)
    commitment_days = f.Int(required=True, metadata={"description": "承诺时限（法定工作日）"})
    fee = f.Str(allow_none=True, metadata={"description": "法定收费说明；null 表示免费"})


class MaterialSchema(f.Schema):
    code = f.Str(required=True)
    name = f.Str(required=True)
    copies = f.Int(required=True)
    original = f.Bool(required=True, metadata={"description": "true：需原件；false：复印件即可"})
    required = f.Bool(required=True)
    how_to_obtain = f.Str(allow_none=True, metadata={"description": "获取途径"})


class ItemSchema(ItemSummarySchema):
    places = f.List(f.Nested(RefSchema), required=True)
    departments_involved = f.List(f.Nested(RefSchema), required=True)
    materials = f.List(f.Nested(MaterialSchema), required=True)


class ItemQuery(PageQuery):
    place = f.Str(metadata={"description": "场所编码：只列出该场所可办的事项"})
    category = f.Str(metadata={"description": "事项类别，如 社会保险"})
    q = f.Str(validate=f.max_length(50), metadata={"description": "按编码、名称或类别模糊查找"})


class ErrorBodySchema(f.Schema):
    code = f.Str(required=True, metadata={"description": "稳定的错误码，如 not_found、slot_full"})
    message = f.Str(required=True, metadata={"description": "中文说明"})
    details = f.Dict(required=True)


class ErrorSchema(f.Schema):
    error = f.Nested(ErrorBodySchema, required=True)
