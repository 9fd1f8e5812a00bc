"""Request and response schemas; the OpenAPI document is generated from these."""
from __future__ import annotations

from functools import cache

from marshmallow import fields as mfields

from backend import fields as f
from backend.models import BOOKING_STATUSES, HELP_TYPES, PLACE_LEVELS, ROLES, SLOT_KINDS
from backend.personal_data import mask_id_number, mask_phone
from backend.services.citizens import id_number_of, phone_of


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


# Citizens -----------------------------------------------------------------------------------


class LoginIn(f.Schema):
    code = f.Str(required=True, validate=f.name_length(128),
                 metadata={"description": "wx.login 得到的 code（演示模式下任意字符串）"})


class CitizenSchema(f.Schema):
    name = f.Str(allow_none=True)
    id_number = mfields.Function(lambda c: mask_id_number(id_number_of(c)), allow_none=True,
                             metadata={"type": "string", "description": "身份证号（脱敏）"})
    phone = mfields.Function(lambda c: mask_phone(phone_of(c)), allow_none=True,
                         metadata={"type": "string", "description": "手机号（脱敏）"})


class CitizenLoginOut(f.Schema):
    token = f.Str(required=True)
    expires_in = f.Int(required=True, metadata={"description": "有效期（秒）"})
    citizen = f.Nested(CitizenSchema, required=True)


class ProfileIn(f.Schema):
    name = f.Str(validate=f.max_length(f.NAME_MAX), metadata={"description": "真实姓名"})
    id_number = f.Str(validate=f.max_length(18),
                      metadata={"description": "居民身份证号码（GB 11643 校验）；空字符串表示清除"})


class PhoneIn(f.Schema):
    code = f.Str(required=True, validate=f.name_length(128),
                 metadata={"description": "手机号快速验证组件返回的 code"})


# Slots and bookings -------------------------------------------------------------------------

class SlotQuery(f.Schema):
    from_ = f.Date(data_key="from", metadata={"description": "开始日期（含），默认今天"})
    to = f.Date(metadata={"description": "结束日期（含），默认可预约期的最后一天"})


class SlotSchema(f.Schema):
    id = f.Int(required=True)
    date = f.Date(required=True)
    start = f.HourMinute(attribute="start_time", required=True)
    end = f.HourMinute(attribute="end_time", required=True)
    kind = f.Str(required=True, metadata={"enum": list(SLOT_KINDS)})
    capacity = f.Int(required=True)
    remaining = f.Int(required=True)


class BookingIn(f.Schema):
    slot = f.Int(required=True, strict=True, metadata={"description": "时段 id"})
    item = f.Str(required=True, validate=f.name_length(32), metadata={"description": "事项编码"})
    help_type = f.Str(load_default=None, allow_none=True, validate=f.one_of(HELP_TYPES))
    note = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.TEXT_MAX))


class RescheduleIn(f.Schema):
    slot = f.Int(required=True, strict=True)


class BookingSchema(f.Schema):
    code = f.Str(required=True, metadata={"description": "预约码，现场签到用"})
    status = f.Str(required=True, metadata={"enum": list(BOOKING_STATUSES)})
    status_label = f.Str(required=True)
    slot = f.Nested(SlotSchema, required=True)
    item = f.Nested(RefSchema, required=True)
    place = f.Nested(RefSchema, required=True)
    help_type = f.Str(allow_none=True)
    note = f.Str(allow_none=True)
    created_at = f.DateTime(required=True)
    cancelled_at = f.DateTime(allow_none=True)
    cancelled_by = f.Str(allow_none=True, metadata={"description": "citizen 或 hall"})
    cancel_reason = f.Str(allow_none=True)
    checked_in_at = f.DateTime(allow_none=True)


# Staff --------------------------------------------------------------------------------------

class StaffLoginIn(f.Schema):
    username = f.Str(required=True, validate=f.name_length())
    password = f.Str(required=True, validate=f.name_length(200), load_only=True)


class StaffSchema(f.Schema):
    username = f.Str(required=True)
    name = f.Str(required=True)
    role = f.Str(required=True, metadata={"enum": list(ROLES)})
    role_label = f.Str(required=True)
    places = f.List(f.Nested(RefSchema), required=True)
    department = f.Nested(RefSchema, allow_none=True)


class StaffLoginOut(f.Schema):
    token = f.Str(required=True)
    expires_in = f.Int(required=True)
    staff = f.Nested(StaffSchema, required=True)
