"""Request and response schemas; the OpenAPI document is generated from these."""
from __future__ import annotations

from functools import cache

from flask import g
from marshmallow import ValidationError, fields as mfields, missing, validates_schema

from backend import fields as f
from backend.clock import get_clock, today
from backend.extensions import db
from backend.services.calendar import load_calendar
from backend.models import (
    BOOKING_STATUSES, CASE_STATUSES, CHANNELS, CONSULTATION_STATUSES, HELP_TYPES, PLACE_LEVELS,
    ROLES, SLOT_KINDS, SPECIAL_GROUP_KINDS, DOCUMENT_KINDS, SUSPENSION_CAUSES, SUSPENSION_KINDS,
    TICKET_CHANNELS, TICKET_STATUSES,
)
from backend.models.case import GBT_39046_EXTENSION, GBT_39046_NOT_EXTENSION
from backend.domain.message_templates import TEMPLATE_KEYS
from backend.infrastructure.personal_data import decrypt, mask_id_number, mask_phone
from backend.models.case import REVIEW_LEVELS
from backend.services.cases import (
    ACTION_LABELS, COMMISSION_STATUSES, STAFF_ACTIONS, available_actions, case_clock,
    commission_status, deadline_state,
)
from backend.services.citizens import id_number_of, phone_of

from .errors import ERROR_CODES

DEADLINE_STATES = ("normal", "amber", "red")


class Answer(f.Schema):
    """The schema of (part of) an answer. Every field is always sent, `null` when it has no
    value, so the document marks every field required; the tests hold the answers to that."""

    def on_bind_field(self, field_name, field_obj):
        field_obj.required = True


class Facet(f.Nested):
    """The object itself, shown through another schema (a case's applicant, its agreement), or
    null when `shown` says the facet does not apply."""

    def __init__(self, nested, shown=None, **kwargs):
        super().__init__(nested, dump_only=True, allow_none=shown is not None, **kwargs)
        self.shown = shown

    def get_value(self, obj, attr, accessor=None, default=missing):
        return obj if self.shown is None or self.shown(obj) else None


def labels(mapping: dict) -> dict:
    """Field metadata for a Chinese label out of a fixed set."""
    return {"type": "string", "enum": list(dict.fromkeys(mapping.values()))}


class PageQuery(f.Schema):
    page = f.Int(load_default=1, validate=f.between(1, f.PAGE_MAX), metadata={"description": "页码，从1开始"})
    per_page = f.Int(load_default=f.PER_PAGE, validate=f.between(1, 100),
                     metadata={"description": "每页条数，最多100"})


@cache
def page_of(schema: type[f.Schema]) -> type[f.Schema]:
    """The list envelope of docs/api.md: {"items": [...], "total": N}."""
    return type(f"{schema.__name__.removesuffix('Schema')}PageSchema", (Answer,), {
        "items": f.List(f.Nested(schema), required=True),
        "total": f.Int(required=True, metadata={"description": "符合条件的总条数"}),
    })


def fast_dumper(schema: type[f.Schema]):
    """A serializer for answers on the hot paths (the slot listing, a new booking), derived from
    the schema's own declared fields: names, attributes and formats stay in the schema, only
    marshmallow's per-value lookup machinery is skipped. Single nested objects are followed;
    lists are not supported. The OpenAPI document still comes from the schema."""
    plan = []
    for name, field in schema().dump_fields.items():
        if isinstance(field, mfields.Nested) and not field.many:
            if isinstance(field, (mfields.Pluck, Facet)) or field.only or field.exclude:
                raise TypeError(f"fast_dumper: {schema.__name__}.{name} narrows its nested schema")
            inner = fast_dumper(type(field.schema))

            def serialize(value, attr, obj, inner=inner):
                return None if value is None else inner(value)
        elif isinstance(field, (mfields.Nested, mfields.List)):
            raise TypeError(f"fast_dumper: {schema.__name__}.{name} is a list")
        else:
            serialize = field._serialize
        plan.append((field.data_key or name, field.attribute or name, serialize))

    def dump(obj) -> dict:
        return {key: serialize(getattr(obj, attr), attr, obj) for key, attr, serialize in plan}
    return dump


class RefSchema(Answer):
    """A reference to a place, department or item."""
    code = f.Str(required=True)
    name = f.Str(required=True)


class PlaceSchema(Answer):
    code = f.Str(required=True)
    name = f.Str(required=True)
    level = f.Str(required=True, metadata={"enum": list(PLACE_LEVELS)})
    level_label = f.Str(metadata={"description": "层级的中文名称", **labels(PLACE_LEVELS)})
    parent = f.Nested(RefSchema, allow_none=True)
    address = f.Str(allow_none=True)
    phone = f.Str(allow_none=True)
    latitude = f.Float(allow_none=True)
    longitude = f.Float(allow_none=True)


class PlaceQuery(PageQuery):
    level = f.Str(validate=f.one_of(PLACE_LEVELS), metadata={"description": "场所层级"})
    parent = f.Str(metadata={"description": "上级场所编码"})


class AnnouncementSchema(Answer):
    id = f.Int(required=True)
    title = f.Str(required=True)
    body = f.Str(required=True)
    place = f.Nested(RefSchema, allow_none=True, metadata={"description": "场所；null 表示全区公告"})
    starts_on = f.Date(required=True, metadata={"description": "开始展示日期（含）"})
    ends_on = f.Date(required=True, metadata={"description": "结束展示日期（含）"})


class AnnouncementQuery(PageQuery):
    place = f.Str(metadata={"description": "场所编码：该场所的公告与全区公告；不填则为全部当前公告"})


class ItemSummarySchema(Answer):
    code = f.Str(required=True)
    name = f.Str(required=True)
    category = f.Str(required=True)
    department = f.Nested(RefSchema, required=True, metadata={"description": "牵头（主办）部门"})
    help_types = f.List(f.Str(metadata={"enum": list(HELP_TYPES)}), required=True)
    commitment_days = f.Int(required=True, metadata={"description": "承诺时限（法定工作日）"})
    fee = f.Str(allow_none=True, metadata={"description": "法定收费说明；null 表示免费"})


class MaterialSchema(Answer):
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


class ErrorBodySchema(Answer):
    code = f.Str(metadata={"description": "稳定的错误码，如 not_found、slot_full",
                           "enum": list(ERROR_CODES)})
    message = f.Str(metadata={"description": "中文说明"})
    details = f.Dict(metadata={"description": "补充信息，如 {\"status\": \"accepted\"}；可能为空对象"})


class ErrorSchema(Answer):
    error = f.Nested(ErrorBodySchema, required=True)


# Citizens -----------------------------------------------------------------------------------


class LoginIn(f.Schema):
    code = f.Str(required=True, validate=f.name_length(128),
                 metadata={"description": "wx.login 得到的 code（演示模式下任意字符串）"})


class CitizenSchema(Answer):
    name = f.Str(allow_none=True)
    id_number = mfields.Function(lambda c: mask_id_number(id_number_of(c)), allow_none=True,
                             metadata={"type": "string", "description": "身份证号（脱敏）"})
    phone = mfields.Function(lambda c: mask_phone(phone_of(c)), allow_none=True,
                         metadata={"type": "string", "description": "手机号（脱敏）"})


class CitizenLoginOut(Answer):
    token = f.Str(required=True)
    expires_in = f.Int(required=True, metadata={"description": "有效期（秒）"})
    citizen = f.Nested(CitizenSchema, required=True)


class ProfileIn(f.Schema):
    name = f.Str(validate=f.max_length(f.NAME_MAX), metadata={"description": "真实姓名"})
    id_number = f.Str(validate=f.max_length(30),
                      metadata={"description": "居民身份证号码（GB 11643 校验）；空字符串表示清除"})

    @validates_schema
    def at_least_one(self, data, **kwargs):
        if not data:
            raise ValidationError("至少需要填写姓名或身份证号之一", "_schema")


class PhoneIn(f.Schema):
    code = f.Str(required=True, validate=f.name_length(128),
                 metadata={"description": "手机号快速验证组件返回的 code"})


# Slots and bookings -------------------------------------------------------------------------

class SlotQuery(f.Schema):
    from_ = f.Date(data_key="from", metadata={"description": "开始日期（含），默认今天"})
    to = f.Date(metadata={"description": "结束日期（含），默认可预约期的最后一天"})


class SlotSchema(Answer):
    id = f.Int(required=True)
    date = f.Date(required=True)
    start = f.HourMinute(attribute="start_time", required=True)
    end = f.HourMinute(attribute="end_time", required=True)
    kind = f.Str(required=True, metadata={"enum": list(SLOT_KINDS)})
    capacity = f.Int(required=True)
    remaining = f.Int(required=True, metadata={
        "description": "您可预约的剩余号源（不含现场号源；特殊群体含为其保留的号源）"})
    reserved_remaining = f.Int(metadata={
        "description": "为老年人、残疾人等特殊群体保留、尚未向所有人开放的剩余号源"})


def for_relative():
    """The optional `for` of a create: a confirmed relative's id (亲友代办)."""
    return f.Int(data_key="for", load_default=None, allow_none=True, strict=True,
                 validate=f.between(1, f.ID_MAX),
                 metadata={"description": "为已确认的亲友代为办理：亲友的 id（GET /me/relatives）；不填为本人"})


class ForSchema(Answer):
    name = f.Str(required=True, metadata={"description": "亲友姓名（脱敏）"})


class BookingIn(f.Schema):
    slot = f.Int(required=True, strict=True, validate=f.between(1, f.ID_MAX),
                 metadata={"description": "时段 id"})
    item = f.Str(required=True, validate=f.name_length(32), metadata={"description": "事项编码"})
    help_type = f.Str(load_default=None, allow_none=True, validate=f.one_of(HELP_TYPES))
    note = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.TEXT_MAX))


class CitizenBookingIn(BookingIn):
    for_ = for_relative()


class RescheduleIn(f.Schema):
    slot = f.Int(required=True, strict=True, validate=f.between(1, f.ID_MAX))


class BookingSchema(Answer):
    code = f.Str(required=True, metadata={"description": "预约码，现场签到用"})
    status = f.Str(required=True, metadata={"enum": list(BOOKING_STATUSES)})
    status_label = f.Str(required=True, metadata=labels(BOOKING_STATUSES))
    slot = f.Nested(SlotSchema, required=True)
    item = f.Nested(RefSchema, required=True)
    place = f.Nested(RefSchema, required=True)
    help_type = f.Str(allow_none=True, metadata={"enum": list(HELP_TYPES),
                                                 "description": "assist：需要帮办；null：自行办理"})
    note = f.Str(allow_none=True)
    created_at = f.DateTime(required=True)
    cancelled_at = f.DateTime(allow_none=True)
    cancelled_by = f.Str(allow_none=True, metadata={"enum": ["citizen", "hall"],
                                                    "description": "citizen 本人取消；hall 大厅取消"})
    cancel_reason = f.Str(allow_none=True)
    checked_in_at = f.DateTime(allow_none=True)
    for_ = f.Nested(ForSchema, attribute="for_person", data_key="for", allow_none=True,
                    metadata={"description": "为亲友代为预约时的亲友；本人预约为 null"})
    ticket = f.Nested("BookingTicketSchema", allow_none=True,
                      metadata={"description": "签到后取得的排队号；未签到或场所不设叫号为 null"})


# The queue (取号叫号) ----------------------------------------------------------------------------

class BookingTicketSchema(Answer):
    number = f.Str(required=True, metadata={"description": "排队号，如 A001"})
    status = f.Str(required=True, metadata={"enum": list(TICKET_STATUSES)})


class WindowRefSchema(Answer):
    code = f.Str(required=True, metadata={"description": "窗口编号"})
    name = f.Str(required=True, metadata={"description": "窗口名称，如 3号窗口"})


class TicketIn(f.Schema):
    place = f.Str(required=True, validate=f.name_length(32), metadata={"description": "场所编码"})
    item = f.Str(required=True, validate=f.name_length(32), metadata={"description": "事项编码"})
    for_ = for_relative()


class TicketSchema(Answer):
    number = f.Str(required=True, metadata={"description": "排队号：队列编码加当日三位序号，如 A001"})
    place = f.Nested(RefSchema, required=True)
    queue = f.Nested(RefSchema, required=True)
    item = f.Nested(RefSchema, allow_none=True)
    status = f.Str(required=True, metadata={"enum": list(TICKET_STATUSES)})
    status_label = f.Str(required=True, metadata=labels(TICKET_STATUSES))
    channel = f.Str(required=True, metadata={
        "enum": list(TICKET_CHANNELS), "description": "booking 预约签到；online 线上取号；on_site 现场取号"})
    green_channel = f.Bool(attribute="green", required=True,
                           metadata={"description": "绿色通道（特殊群体优先叫号）"})
    ahead = f.Int(allow_none=True, metadata={"description": "前面等候的人数；不在等候中为 null"})
    estimated_wait_minutes = f.Int(allow_none=True, metadata={
        "description": "预计等候分钟数：前面人数 × 今日该队列最近的平均办理时长 ÷ 开放的窗口数；无开放窗口或不在等候中为 null"})
    window = f.Nested(WindowRefSchema, allow_none=True, metadata={"description": "叫号的窗口"})
    called_at = f.DateTime(allow_none=True)
    created_at = f.DateTime(required=True)
    for_ = f.Nested(ForSchema, attribute="for_person", data_key="for", allow_none=True,
                    metadata={"description": "为亲友代为取号时的亲友；本人取号为 null"})


class QueueStateSchema(Answer):
    code = f.Str(required=True)
    name = f.Str(required=True)
    waiting = f.Int(required=True, metadata={"description": "等候人数"})
    estimated_wait_minutes = f.Int(allow_none=True, metadata={
        "description": "现在取号的预计等候分钟数；该队列没有开放的窗口时为 null"})


class PlaceQueueSchema(Answer):
    open = f.Bool(required=True, metadata={"description": "是否正在取号（有开放的服务窗口）"})
    windows_open = f.Int(required=True, metadata={"description": "开放的服务窗口数"})
    queues = f.List(f.Nested(QueueStateSchema), required=True)
    updated_at = f.DateTime(required=True)


# Staff --------------------------------------------------------------------------------------

class BookingCitizenSchema(Answer):
    """The citizen who booked, as the floor sees them: the phone masked."""
    name = f.Str(allow_none=True, metadata={"description": "姓名（群众在“我的”中填写；未填为 null）"})
    phone = mfields.Function(lambda c: mask_phone(phone_of(c)), allow_none=True,
                             metadata={"type": "string", "description": "手机号（脱敏）"})


class StaffBookingSchema(BookingSchema):
    citizen = f.Nested(BookingCitizenSchema, attribute="holder", required=True, metadata={
        "description": "预约人：群众本人，或工作人员代为预约时登记的人"})
    booked_by = f.Nested("AgentRefSchema", allow_none=True,
                         metadata={"description": "代为预约的工作人员；群众自行预约为 null"})
    checked_in_by = f.Nested("AgentRefSchema", allow_none=True,
                             metadata={"description": "签到的工作人员"})


class PersonIn(f.Schema):
    name = f.Str(required=True, validate=f.name_length())
    id_number = f.Str(required=True, validate=f.name_length(30))
    phone = f.Str(load_default=None, allow_none=True, validate=f.max_length(20))


class StaffBookingIn(BookingIn):
    person = f.Nested(PersonIn, required=True, metadata={
        "description": "预约人：姓名、身份证号码必填，手机号可选；预约上限与爽约限制按身份证号码计"})


class StaffBookingQuery(PageQuery):
    date = f.Date(metadata={"description": "预约日期，默认今天"})
    place = f.Str(validate=f.max_length(32), metadata={"description": "场所编码"})
    kind = f.Str(validate=f.one_of(SLOT_KINDS),
                 metadata={"description": "时段类型：regular、extended、weekend、holiday"})
    status = f.Str(validate=f.one_of(BOOKING_STATUSES), metadata={"description": "预约状态"})


class StaffLoginIn(f.Schema):
    username = f.Str(required=True, validate=f.name_length())
    password = f.Str(required=True, validate=f.name_length(200), load_only=True)


class StaffSchema(Answer):
    username = f.Str(required=True)
    name = f.Str(required=True)
    role = f.Str(required=True, metadata={"enum": list(ROLES)})
    role_label = f.Str(required=True, metadata=labels(ROLES))
    places = f.List(f.Nested(RefSchema), required=True)
    department = f.Nested(RefSchema, allow_none=True)


class StaffLoginOut(Answer):
    token = f.Str(required=True)
    expires_in = f.Int(required=True)
    staff = f.Nested(StaffSchema, required=True)


# Cases --------------------------------------------------------------------------------------

class ApplicantIn(f.Schema):
    name = f.Str(required=True, validate=f.name_length())
    phone = f.Str(load_default=None, allow_none=True, validate=f.max_length(20))
    id_number = f.Str(load_default=None, allow_none=True, validate=f.max_length(30))
    enterprise_name = f.Str(load_default=None, allow_none=True, validate=f.name_length(100))
    uscc = f.Str(load_default=None, allow_none=True, validate=f.max_length(18),
                 metadata={"description": "统一社会信用代码（企业申请人必填）"})


class HomeVisitIn(f.Schema):
    address = f.Str(required=True, validate=f.name_length(200), metadata={"description": "上门地址"})
    reason = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.TEXT_MAX),
                   metadata={"description": "需要上门的原因，如 行动不便"})
    preferred_dates = f.List(f.Date(), load_default=list, validate=f.max_length(5),
                             metadata={"description": "希望上门的日期（最多5个）"})


class CaseIn(f.Schema):
    item = f.Str(required=True, validate=f.name_length(32))
    place = f.Str(required=True, validate=f.name_length(32))
    help_type = f.Str(required=True, validate=f.one_of(HELP_TYPES))
    applicant = f.Nested(ApplicantIn, required=True)
    materials = f.List(f.Str(validate=f.name_length(32)), load_default=list,
                       metadata={"description": "申请人已备齐的材料编码"})
    booking = f.Str(load_default=None, allow_none=True, validate=f.max_length(12),
                    metadata={"description": "来源预约的预约码"})
    special_group = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.NAME_MAX),
                          metadata={"description": "特殊群体说明，如 老年人、残疾人"})
    for_ = for_relative()
    home_visit = f.Nested(HomeVisitIn, load_default=None, allow_none=True, metadata={
        "description": "上门代办（仅代办）：行动不便等不便到场的申请人申请上门收取材料"})


class AgentRefSchema(Answer):
    username = f.Str(required=True)
    name = f.Str(required=True)
    phone = f.Str(allow_none=True, metadata={"description": "工作电话"})


class CitizenAgentSchema(Answer):
    """The agent as a citizen reads it: name and work phone, never the sign-in name."""
    name = f.Str(required=True)
    phone = f.Str(allow_none=True, metadata={"description": "工作电话"})


class CaseMaterialSchema(Answer):
    code = f.Str(attribute="material.code", required=True)
    name = f.Str(attribute="material.name", required=True)
    state = f.Str(required=True, metadata={"enum": ["declared", "missing", "received", "returned"]})


class NoticeMaterialSchema(Answer):
    code = f.Str(attribute="material.code", required=True)
    name = f.Str(attribute="material.name", required=True)
    copies = f.Int(attribute="material.copies", required=True)
    original = f.Bool(attribute="material.original", required=True)
    how_to_obtain = f.Str(attribute="material.how_to_obtain", allow_none=True)
    note = f.Str(allow_none=True)


class NoticeSchema(Answer):
    at = f.DateTime(attribute="created_at", required=True)
    materials = f.List(f.Nested(NoticeMaterialSchema), attribute="lines", required=True)
    note = f.Str(allow_none=True)


class StaffNoticeSchema(NoticeSchema):
    violates_one_time_rule = f.Bool(required=True,
                                    metadata={"description": "是否新增了首次告知未列出的材料"})


class TaskSchema(Answer):
    department = f.Nested(RefSchema, required=True)
    done = f.Bool(required=True)
    note = f.Str(allow_none=True)


class TimelineEntrySchema(Answer):
    at = f.DateTime(required=True)
    status = f.Str(attribute="to_status", required=True, metadata={"enum": list(CASE_STATUSES)})
    status_label = mfields.Function(lambda e: CASE_STATUSES[e.to_status],
                                    metadata=labels(CASE_STATUSES))
    action = f.Str(required=True, metadata={"enum": list(ACTION_LABELS)})
    label = mfields.Function(lambda e: ACTION_LABELS[e.action], metadata=labels(ACTION_LABELS))
    note = f.Str(allow_none=True)


class FollowupSchema(Answer):
    due = f.Date(attribute="followup_due", allow_none=True)
    closed_at = f.DateTime(attribute="followup_closed_at", allow_none=True)
    callback = f.Str(attribute="followup_callback", allow_none=True)
    fix = f.Str(attribute="followup_fix", allow_none=True)


class ReviewSchema(Answer):
    score = f.Int(required=True, metadata={"minimum": 1, "maximum": 5})
    level = f.Str(required=True, metadata={"description": "非常满意…非常不满意",
                                           **labels(REVIEW_LEVELS)})
    comment = f.Str(allow_none=True)
    created_at = f.DateTime(required=True)
    followup = Facet(FollowupSchema, shown=lambda r: r.needs_followup,
                     metadata={"description": "差评（1、2分）的回访整改情况；其他评价为 null"})


class ApplicantSchema(Answer):
    name = f.Str(attribute="applicant_name", required=True)
    phone = mfields.Function(lambda c: mask_phone(decrypt(c.applicant_phone_encrypted)),
                             allow_none=True, metadata={"type": "string"})
    id_number = mfields.Function(lambda c: mask_id_number(decrypt(c.applicant_id_number_encrypted)),
                                 allow_none=True, metadata={"type": "string"})
    enterprise_name = f.Str(allow_none=True)
    uscc = f.Str(allow_none=True)


class AgreementStateSchema(Answer):
    version = f.Str(attribute="agreement_version", allow_none=True)
    signed_at = f.DateTime(attribute="agreement_signed_at", allow_none=True)
    method = f.Str(attribute="agreement_method", allow_none=True,
                   metadata={"description": "online：小程序确认；paper：纸质签字",
                             "enum": ["online", "paper"]})


class BookingCodeSchema(Answer):
    code = f.Str()


class CaseSummarySchema(Answer):
    number = f.Str(required=True)
    status = f.Str(required=True, metadata={"enum": list(CASE_STATUSES)})
    status_label = f.Str(required=True, metadata=labels(CASE_STATUSES))
    help_type = f.Str(required=True, metadata={"enum": list(HELP_TYPES)})
    item = f.Nested(RefSchema, required=True)
    place = f.Nested(RefSchema, required=True)
    agent = f.Nested(CitizenAgentSchema, allow_none=True)
    due_date = f.Date(allow_none=True, metadata={"description": "承诺办结日期"})
    deadline_state = mfields.Function(lambda c: deadline_state(c, today()),
                                      metadata={"type": "string", "enum": list(DEADLINE_STATES),
                                                "description": "normal 正常；amber 用时过80%；red 已超期"})
    created_at = f.DateTime(required=True)
    for_ = f.Nested(ForSchema, attribute="for_person", data_key="for", allow_none=True,
                    metadata={"description": "为亲友代为申请时的亲友；本人申请为 null"})


class ProjectCaseSchema(Answer):
    """A case of a key project, as the enterprise's contact reads it: no applicant's data."""
    number = f.Str(required=True)
    status = f.Str(required=True, metadata={"enum": list(CASE_STATUSES)})
    status_label = f.Str(required=True, metadata=labels(CASE_STATUSES))
    item = f.Nested(RefSchema, required=True)
    place = f.Nested(RefSchema, required=True)
    due_date = f.Date(allow_none=True, metadata={"description": "承诺办结日期"})
    deadline_state = mfields.Function(lambda c: deadline_state(c, today()),
                                      metadata={"type": "string", "enum": list(DEADLINE_STATES),
                                                "description": "normal 正常；amber 用时过80%；red 已超期"})


class ProjectSchema(Answer):
    code = f.Str(required=True, metadata={"description": "项目编号"})
    name = f.Str(required=True)
    enterprise_name = f.Str(required=True)
    steward = f.Nested(CitizenAgentSchema, required=True, metadata={"description": "项目管家"})
    cases = f.List(f.Nested(ProjectCaseSchema), required=True, metadata={
        "description": "归入本项目的全部办件（跨部门、跨场所），按申请时间"})


class VisitSchema(Answer):
    status = f.Str(required=True, metadata={
        "enum": ["requested", "scheduled", "done", "declined"],
        "description": "requested 已申请；scheduled 已安排；done 已上门；declined 不安排（note 为理由）"})
    date = f.Date(allow_none=True)
    start = f.HourMinute(allow_none=True)
    agent = f.Nested(CitizenAgentSchema, allow_none=True)
    note = f.Str(allow_none=True)


class Computed(f.Nested):
    """An object computed for the one being dumped (`compute(obj)`), shown through a schema."""

    def __init__(self, nested, compute, **kwargs):
        super().__init__(nested, dump_only=True, **kwargs)
        self.compute = compute

    def get_value(self, obj, attr, accessor=None, default=missing):
        return self.compute(obj)


def _calendar():
    """The statutory calendar, read once per request (every case of a page shares it)."""
    if "statutory_calendar" not in g:
        g.statutory_calendar = load_calendar(db.session)
    return g.statutory_calendar


SUSPENSION_KIND_ENUM = {"enum": list(SUSPENSION_KINDS), "description": (
    "特别程序种类（GB/T 39046）：hearing 听证、tender 招标、auction 拍卖、inspection 检验、"
    "testing 检测、quarantine 检疫、appraisal 鉴定、expert_review 专家评审、survey 现场勘查、"
    "other 其他（含代办委托的中止）")}


class SuspensionSchema(Answer):
    kind = f.Str(required=True, metadata=SUSPENSION_KIND_ENUM)
    kind_label = f.Str(required=True, metadata={"description": "种类的中文名称"})
    gbt_code = f.Str(required=True, metadata={
        "enum": [GBT_39046_NOT_EXTENSION],
        "description": "GB/T 39046 特别程序种类代码：2 除延长审批之外的情况（种类的名称见 kind_label）"})
    cause = f.Str(required=True, metadata={
        "enum": list(SUSPENSION_CAUSES),
        "description": "procedure 特别程序；applicant 申请人原因（代办委托中止）"})
    reason = f.Str(required=True)
    from_ = f.Date(attribute="started_on", data_key="from", required=True,
                   metadata={"description": "开始日期（当日起暂停计时）"})
    to = f.Date(attribute="ended_on", allow_none=True,
                metadata={"description": "结束日期（次日起恢复计时）；进行中为 null"})
    expected_days = f.Int(allow_none=True, metadata={"description": "预计所需工作日（书面告知申请人）"})
    working_days = f.Int(allow_none=True, metadata={"description": "实际暂停的工作日（结束后）"})


class ExtensionSchema(Answer):
    days = f.Int(required=True, metadata={"description": "延长的工作日"})
    gbt_code = f.Str(required=True, metadata={
        "enum": [GBT_39046_EXTENSION], "description": "GB/T 39046 特别程序种类代码：1 延长审批"})
    reason = f.Str(required=True)
    decided_at = f.DateTime(required=True)
    due_date = f.Date(attribute="due_after", required=True, metadata={"description": "延长后的承诺办结日期"})


class ClockSchema(Answer):
    working_days = f.Int(required=True, metadata={"description": "可用的法定工作日：承诺时限加批准延长的"})
    used = f.Int(required=True, metadata={"description": "已用的工作日（受理次日起，暂停期间不计）"})
    remaining = f.Int(required=True, metadata={"description": "剩余的工作日（不小于0）"})
    paused = f.Bool(required=True, metadata={"description": "true：特别程序或中止进行中，暂停计时"})
    suspensions = f.List(f.Nested(SuspensionSchema), required=True)
    extensions = f.List(f.Nested(ExtensionSchema), required=True)


class CommissionSchema(Answer):
    scope = f.Str(attribute="commission_scope", allow_none=True,
                  metadata={"description": "委托书：委托的事项与代办的任务"})
    valid_from = mfields.Function(
        lambda c: c.agreement_signed_at.astimezone(get_clock().now().tzinfo).date().isoformat()
        if c.agreement_signed_at else None, allow_none=True,
        metadata={"type": "string", "format": "date", "description": "委托书签订之日"})
    valid_until = f.Date(attribute="commission_valid_until", allow_none=True,
                         metadata={"description": "委托有效期至；过期未办结的须续办"})
    status = mfields.Function(lambda c: commission_status(c, today()), allow_none=True, metadata={
        "type": "string", "enum": [*COMMISSION_STATUSES, None],
        "description": "active 有效；suspended 中止；lapsed 已过有效期待续办；terminated 已终止；"
                       "completed 已办结；ended 已撤回或不予受理；null 尚未签订"})
    terminated_by = f.Str(allow_none=True, metadata={"enum": ["citizen", "hall", None],
                                                     "description": "citizen 申请人终止；hall 大厅终止"})
    termination_reason = f.Str(allow_none=True)


class TerminateIn(f.Schema):
    reason = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.TEXT_MAX),
                   metadata={"description": "终止委托的原因"})


class RenewIn(f.Schema):
    valid_until = f.Date(required=True, metadata={"description": "续办后的委托有效期"})
    note = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.TEXT_MAX))


class DocumentSchema(Answer):
    id = f.Int(required=True)
    kind = f.Str(required=True, metadata={"enum": list(DOCUMENT_KINDS), "description": (
        "notice 一次性告知书；acceptance 受理凭证；handover 材料交接单；commission 委托书；"
        "suspension 特别程序告知书（或中止委托告知书）；termination 终止单；return 材料返还单；"
        "completion 办结单")})
    title = f.Str(required=True)
    issued_at = f.DateTime(required=True)


PDF_ANSWER = {"200": {"description": "可打印的文书（PDF）",
                      "content": {"application/pdf": {"schema": {"type": "string",
                                                                 "format": "binary"}}}}}


class CaseSchema(CaseSummarySchema):
    fee = f.Str(attribute="item.fee", allow_none=True, metadata={"description": "法定收费；null 为免费"})
    applicant = Facet(ApplicantSchema, metadata={"description": "申请人（脱敏）"})
    special_group = f.Str(allow_none=True)
    booking = mfields.Pluck(BookingCodeSchema, "code", allow_none=True,
                      metadata={"description": "来源预约的预约码；null：未关联预约"})
    received_on = f.Date(required=True, metadata={
        "description": "收件日期：申请（一次性告知后为补正材料）送达之日（行政许可法第三十二条）"})
    accepted_on = f.Date(allow_none=True, metadata={"description": "受理日期；视为受理的为收件日期"})
    deemed_accepted = f.Bool(required=True, metadata={
        "description": "true：收件后5个工作日内未审查，依法自收件之日起视为受理"})
    finished_at = f.DateTime(allow_none=True)
    reject_reason = f.Str(allow_none=True)
    agreement = Facet(AgreementStateSchema, shown=lambda c: c.help_type == "proxy",
                      metadata={"description": "委托代办协议的签订情况；帮办为 null"})
    materials = f.List(f.Nested(CaseMaterialSchema), required=True)
    notices = f.List(f.Nested(NoticeSchema), required=True)
    tasks = f.List(f.Nested(TaskSchema), required=True)
    timeline = f.List(f.Nested(TimelineEntrySchema), attribute="events", required=True)
    review = f.Nested(ReviewSchema, allow_none=True)
    visit = f.Nested(VisitSchema, allow_none=True, metadata={"description": "上门代办；未申请为 null"})
    commission = Facet(CommissionSchema, shown=lambda c: c.help_type == "proxy", metadata={
        "description": "代办委托：委托书的范围与有效期、中止、终止、续办；帮办为 null"})
    clock = Computed(ClockSchema, lambda c: case_clock(_calendar(), c, get_clock().now()),
                     required=True, metadata={
                         "description": "法定办理时限：特别程序与中止暂停计时，延长增加工作日（行政许可法第四十二、四十五条）"})


class EscalationSchema(Answer):
    id = f.Int(required=True)
    case = f.Str(attribute="case.number", required=True)
    raised_by = f.Nested(AgentRefSchema, required=True)
    raised_at = f.DateTime(required=True)
    note = f.Str(required=True)
    resolved_at = f.DateTime(allow_none=True)
    resolved_by = f.Nested(AgentRefSchema, allow_none=True)
    resolution = f.Str(allow_none=True)


class StaffActions(f.List):
    """What the signed-in staff member may do to the case now (`cases.available_actions`)."""

    def __init__(self, **kwargs):
        super().__init__(f.Str(metadata={"enum": list(STAFF_ACTIONS)}), dump_only=True, **kwargs)

    def get_value(self, obj, attr, accessor=None, default=missing):
        return available_actions(obj, g.staff)


class StaffVisitSchema(VisitSchema):
    agent = f.Nested(AgentRefSchema, allow_none=True)
    address = mfields.Function(lambda v: decrypt(v.address_encrypted),
                               metadata={"type": "string", "description": "上门地址"})
    reason = f.Str(allow_none=True)
    preferred_dates = mfields.Function(
        lambda v: v.preferred_dates.split(",") if v.preferred_dates else [],
        metadata={"type": "array", "items": {"type": "string", "format": "date"}})


class StaffCaseSchema(CaseSchema):
    agent = f.Nested(AgentRefSchema, allow_none=True)
    contact_agent = f.Nested(AgentRefSchema, allow_none=True, metadata={
        "description": "转办前的村代办员：办件转至镇（街道）或区政务服务中心后，仍为申请人的联系人"})
    visit = f.Nested(StaffVisitSchema, allow_none=True)
    channel = f.Str(required=True, metadata={
        "enum": list(CHANNELS), "description": "online 小程序申请；window 窗口受理"})
    notices = f.List(f.Nested(StaffNoticeSchema), required=True)
    escalations = f.List(f.Nested(EscalationSchema), required=True)
    actions = StaffActions(metadata={"description": (
        "当前登录的工作人员此刻可对该办件进行的操作（按固定顺序）：每项对应 POST "
        "/staff/cases/{number}/<操作名>，其中 resolve-escalation 对应 POST "
        "/staff/escalations/{id}/resolve（id 为该办件未解决的难点堵点）；不在列表中的操作会被拒绝。"
        "督查人员始终为空列表")})


class StaffCaseQuery(PageQuery):
    status = f.Str(validate=f.one_of(CASE_STATUSES), metadata={"description": "办件状态"})
    deadline_state = f.Str(validate=f.one_of(DEADLINE_STATES),
                           metadata={"description": "时限预警：normal、amber、red"})
    place = f.Str(validate=f.max_length(32), metadata={"description": "场所编码"})


class SupplementIn(f.Schema):
    materials = f.List(f.Str(validate=f.name_length(32)), required=True)


class AgreementIn(f.Schema):
    accept = f.Bool(required=True, validate=f.validate.Equal(True, error="须同意协议内容"))


class AgreementTextSchema(Answer):
    version = f.Str(required=True)
    text = f.Str(required=True)


class ReviewIn(f.Schema):
    score = f.Int(required=True, strict=True, validate=f.between(1, 5),
                  metadata={"description": "5 非常满意 … 1 非常不满意"})
    comment = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.TEXT_MAX))


class NoteIn(f.Schema):
    note = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.TEXT_MAX))


class RequiredNoteIn(f.Schema):
    note = f.Str(required=True, validate=f.name_length(f.TEXT_MAX))


class ForwardIn(f.Schema):
    place = f.Str(required=True, validate=f.name_length(32), metadata={
        "description": "接收场所编码：本村所属的镇（街道）便民服务中心或区政务服务中心"})
    reason = f.Str(required=True, validate=f.name_length(500), metadata={"description": "转办原因"})


class AssignIn(f.Schema):
    agent = f.Str(required=True, validate=f.name_length(), metadata={"description": "用户名"})


class MissingLineIn(f.Schema):
    material = f.Str(required=True, validate=f.name_length(32))
    note = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.TEXT_MAX))


class CheckIn(f.Schema):
    missing = f.List(f.Nested(MissingLineIn), required=True,
                     metadata={"description": "空列表表示材料齐全，受理"})
    note = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.TEXT_MAX))


class RejectIn(f.Schema):
    reason = f.Str(required=True, validate=f.name_length(f.TEXT_MAX))


class ReceiptLineIn(f.Schema):
    material = f.Str(required=True, validate=f.name_length(32))
    copies = f.Int(required=True, strict=True, validate=f.between(1, 99))
    original = f.Bool(required=True)


class HandoverIn(f.Schema):
    materials = f.List(f.Nested(ReceiptLineIn), required=True)
    citizen_confirmed = f.Bool(load_default=False, metadata={"description": "申请人已当面确认"})
    note = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.TEXT_MAX))


class WindowCaseIn(f.Schema):
    item = f.Str(required=True, validate=f.name_length(32))
    place = f.Str(required=True, validate=f.name_length(32),
                  metadata={"description": "受理的场所编码（本人登记备案或管理的场所）"})
    help_type = f.Str(required=True, validate=f.one_of(HELP_TYPES))
    applicant = f.Nested(ApplicantIn, required=True,
                         metadata={"description": "申请人：姓名、身份证号码必填，手机号可选；企业事项另填企业名称与统一社会信用代码"})
    materials = f.List(f.Str(validate=f.name_length(32)), load_default=list,
                       metadata={"description": "窗口当面核验过的材料编码；必需材料齐全即受理，否则一次性告知缺少的材料"})
    special_group = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.NAME_MAX),
                          metadata={"description": "特殊群体说明，如 老年人、残疾人"})
    handover = f.List(f.Nested(ReceiptLineIn), load_default=None, allow_none=True,
                      metadata={"description": "代办：当场交接的材料（申请人在场确认）；材料不全时不能交接"})
    paper_agreement = f.Bool(load_default=False,
                             metadata={"description": "代办：申请人已当场签署纸质委托代办协议"})
    note = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.TEXT_MAX))


class PersonLookupIn(f.Schema):
    id_number = f.Str(required=True, validate=f.name_length(30),
                      metadata={"description": "身份证号码（放在请求体中，不进地址与日志）"})


class PersonCaseSchema(Answer):
    number = f.Str(required=True)
    status = f.Str(required=True, metadata={"enum": list(CASE_STATUSES)})
    status_label = f.Str(required=True, metadata=labels(CASE_STATUSES))
    help_type = f.Str(required=True, metadata={"enum": list(HELP_TYPES)})
    channel = f.Str(required=True, metadata={"enum": list(CHANNELS)})
    item = f.Nested(RefSchema, required=True)
    place = f.Nested(RefSchema, required=True)
    created_at = f.DateTime(required=True)


class PersonBookingSchema(Answer):
    code = f.Str(required=True)
    status = f.Str(required=True, metadata={"enum": list(BOOKING_STATUSES)})
    status_label = f.Str(required=True, metadata=labels(BOOKING_STATUSES))
    slot = f.Nested(SlotSchema, required=True)
    item = f.Nested(RefSchema, required=True)
    place = f.Nested(RefSchema, required=True)
    booked_by = f.Nested(AgentRefSchema, allow_none=True,
                         metadata={"description": "代为预约的工作人员；群众自行预约为 null"})


class PersonHistorySchema(Answer):
    id_number = mfields.Function(lambda p: mask_id_number(p.id_number),
                                 metadata={"type": "string", "description": "校验通过的身份证号码（脱敏）"})
    birth_date = f.Date(required=True, metadata={"description": "身份证号码中的出生日期"})
    cases = f.List(f.Nested(PersonCaseSchema), required=True,
                   metadata={"description": "此人在本人所在场所的办件（新的在前，最多20件）"})
    authorisations = f.List(f.Nested("StaffRelativeSchema"), required=True, metadata={
        "description": "以此人身份证号码发起、待确认的亲友代办请求：核验身份证和签字的授权书后可在窗口确认"})
    bookings = f.List(f.Nested(PersonBookingSchema), required=True, metadata={
        "description": "此人在本人所在场所的预约（自行预约与代为预约，时段新的在前，最多20个）"})
    special_group = f.Bool(required=True, metadata={
        "description": "此人今天是否属于特殊群体（达到规定年龄，或有有效的特殊群体确认）：可用保留号源"})
    special_groups = f.List(f.Nested("SpecialGroupSchema"), required=True, metadata={
        "description": "此人有效的特殊群体确认"})


class SpecialGroupIn(f.Schema):
    place = f.Str(required=True, validate=f.name_length(50),
                  metadata={"description": "确认所在的场所编码（本人所在场所）"})
    name = f.Str(required=True, validate=f.name_length(50))
    id_number = f.Str(required=True, validate=f.name_length(30))
    kind = f.Str(required=True, validate=f.one_of(SPECIAL_GROUP_KINDS),
                 metadata={"enum": list(SPECIAL_GROUP_KINDS)})
    document = f.Str(required=True, validate=f.name_length(50),
                     metadata={"description": "查验的证件种类，如残疾人证（不记证号）"})


class SpecialGroupSchema(Answer):
    id = f.Int(required=True)
    name = f.Str(required=True)
    id_number = mfields.Function(lambda c: mask_id_number(decrypt(c.id_number_encrypted)),
                                 metadata={"type": "string", "description": "身份证号码（脱敏）"})
    kind = f.Str(required=True, metadata={"enum": list(SPECIAL_GROUP_KINDS)})
    kind_label = f.Str(required=True, metadata=labels(SPECIAL_GROUP_KINDS))
    document = f.Str(required=True)
    place = f.Nested(RefSchema, required=True)
    confirmed_by = f.Nested(AgentRefSchema, required=True, metadata={"description": "确认的工作人员"})
    confirmed_at = f.DateTime(required=True)
    ended_at = f.DateTime(allow_none=True)


class VisitScheduleIn(f.Schema):
    date = f.Date(required=True)
    start = f.HourMinute(required=True)
    agent = f.Str(required=True, validate=f.name_length(), metadata={"description": "上门的帮办代办员用户名"})


class VisitRecordIn(f.Schema):
    materials = f.List(f.Nested(ReceiptLineIn), required=True,
                       metadata={"description": "上门收取的材料（即材料交接）"})
    paper_agreement = f.Bool(load_default=False, metadata={"description": "申请人当场签署了纸质委托协议"})
    note = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.TEXT_MAX))


class VisitDayQuery(f.Schema):
    date = f.Date(metadata={"description": "日期，默认今天"})


class VisitDaySchema(StaffVisitSchema):
    case = f.Str(attribute="case.number", required=True, metadata={"description": "办件编号"})
    applicant = f.Str(attribute="case.applicant_name", required=True)
    item = f.Nested(RefSchema, attribute="case.item", required=True)
    place = f.Nested(RefSchema, attribute="case.place", required=True)


class ResultIn(f.Schema):
    name = f.Str(required=True, validate=f.name_length(100), metadata={"description": "如 营业执照、批复文件"})
    copies = f.Int(load_default=1, strict=True, validate=f.between(1, 99))


class ReturnIn(f.Schema):
    materials = f.List(f.Nested(ReceiptLineIn), required=True)
    results = f.List(f.Nested(ResultIn), load_default=list, metadata={
        "description": "一并交付的办理结果（证照、批文等，事项材料清单以外的）"})
    note = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.TEXT_MAX))


class SuspendIn(f.Schema):
    kind = f.Str(load_default="other", validate=f.one_of(SUSPENSION_KINDS), metadata=SUSPENSION_KIND_ENUM)
    reason = f.Str(required=True, validate=f.name_length(f.TEXT_MAX),
                   metadata={"description": "理由（书面告知申请人）"})
    expected_days = f.Int(required=True, strict=True, validate=f.between(1, 365),
                          metadata={"description": "预计所需的工作日"})
    commission = f.Bool(load_default=False, metadata={
        "description": "true：中止代办委托（申请人原因，如申请人外出），不是特别程序；只用于代办"})


class ExtendIn(f.Schema):
    days = f.Int(required=True, strict=True, validate=f.between(1, 60),
                 metadata={"description": "延长的工作日"})
    reason = f.Str(required=True, validate=f.name_length(f.TEXT_MAX),
                   metadata={"description": "理由（告知申请人）"})


class ProgressIn(f.Schema):
    note = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.TEXT_MAX))
    task = f.Str(load_default=None, allow_none=True, validate=f.max_length(32),
                 metadata={"description": "部门编码"})
    done = f.Bool(load_default=None, allow_none=True)


class FollowupIn(f.Schema):
    callback = f.Str(required=True, validate=f.name_length(f.TEXT_MAX), metadata={"description": "回访情况"})
    fix = f.Str(required=True, validate=f.name_length(f.TEXT_MAX), metadata={"description": "整改措施"})


class EscalationQuery(PageQuery):
    open = f.Bool(load_default=True, metadata={"description": "只看未解决的"})


# Relatives (亲友代办) -------------------------------------------------------------------------

RELATIVE_STATUS_ENUM = {"enum": ["pending", "confirmed", "ended"],
                        "description": "pending 待确认；confirmed 已确认；ended 已解除"}


class RelativeIn(f.Schema):
    name = f.Str(required=True, validate=f.name_length())
    id_number = f.Str(required=True, validate=f.name_length(30))
    relation = f.Str(required=True, validate=f.name_length(20), metadata={"description": "关系，如 父亲、母亲"})
    phone = f.Str(load_default=None, allow_none=True, validate=f.max_length(20))


class RelativeSchema(Answer):
    id = f.Int(required=True)
    name = f.Str(required=True)
    id_number = mfields.Function(lambda r: mask_id_number(decrypt(r.id_number_encrypted)),
                                 metadata={"type": "string", "description": "身份证号码（脱敏）"})
    relation = f.Str(required=True)
    phone = mfields.Function(lambda r: mask_phone(decrypt(r.phone_encrypted)), allow_none=True,
                             metadata={"type": "string", "description": "手机号（脱敏）"})
    status = f.Str(required=True, metadata=RELATIVE_STATUS_ENUM)
    created_at = f.DateTime(required=True)
    confirmed_at = f.DateTime(allow_none=True)
    confirmed_by = mfields.Function(
        lambda r: None if r.confirmed_at is None else ("window" if r.confirmed_by_staff_id else "relative"),
        allow_none=True, metadata={"type": "string", "enum": ["relative", "window"],
                                   "description": "relative 亲友本人在小程序确认；window 窗口工作人员核验后确认"})


class RequesterSchema(Answer):
    name = f.Str(allow_none=True, metadata={"description": "发起人姓名（脱敏）"})


class AuthorisationSchema(Answer):
    id = f.Int(required=True)
    requester = f.Nested(RequesterSchema, attribute="requester_masked", required=True,
                         metadata={"description": "请求代为办理的人（姓名脱敏）"})
    relation = f.Str(required=True, metadata={"description": "对方填写的与您的关系"})
    status = f.Str(required=True, metadata=RELATIVE_STATUS_ENUM)
    created_at = f.DateTime(required=True)
    confirmed_at = f.DateTime(allow_none=True)


class WindowConfirmIn(f.Schema):
    note = f.Str(required=True, validate=f.name_length(f.TEXT_MAX),
                 metadata={"description": "核验的证件与授权书，如：身份证原件、签字的授权委托书"})


class StaffRelativeSchema(Answer):
    id = f.Int(required=True)
    name = f.Str(required=True)
    relation = f.Str(required=True)
    requester = f.Nested(RequesterSchema, attribute="citizen", required=True,
                         metadata={"description": "请求代为办理的人"})
    status = f.Str(required=True, metadata=RELATIVE_STATUS_ENUM)
    created_at = f.DateTime(required=True)
    confirmed_at = f.DateTime(allow_none=True)
    confirmation_note = f.Str(allow_none=True)
    confirmed_by_staff = f.Nested(AgentRefSchema, allow_none=True)


# Subscribe messages -------------------------------------------------------------------------

class SubscriptionsSchema(Answer):
    templates = f.Dict(keys=f.Str(), values=f.Str(), required=True,
                       metadata={"description": "模板键 → 订阅消息模板 id（wx.requestSubscribeMessage 的 tmplIds）"})
    quota = f.Dict(keys=f.Str(), values=f.Int(), required=True,
                   metadata={"description": "一次性订阅模板剩余可发送条数（每同意一次加一条）"})
    long_term = f.List(f.Str(), required=True,
                       metadata={"description": "长期订阅的模板键（无需次数）"})


class SubscriptionsIn(f.Schema):
    accepted = f.List(f.Str(validate=f.max_length(40)), required=True,
                      validate=f.max_length(len(TEMPLATE_KEYS)),
                      metadata={"description": "用户在 wx.requestSubscribeMessage 中同意的模板键"})


class StaffWeChatBindIn(f.Schema):
    code = f.Str(required=True, validate=f.name_length(128),
                 metadata={"description": "工作人员小程序页面 wx.login 得到的 code"})
    accepted = f.List(f.Str(validate=f.max_length(40)), load_default=list,
                      validate=f.max_length(len(TEMPLATE_KEYS)),
                      metadata={"description": "同时在 wx.requestSubscribeMessage 中同意的模板键（可选）"})


class StaffWeChatSchema(SubscriptionsSchema):
    linked = f.Bool(required=True, metadata={"description": "已绑定微信"})
    linked_at = f.DateTime(required=True, metadata={"description": "绑定时间"})


# Consultation (咨询) ---------------------------------------------------------------------------

CONSULTATION_STATUS_ENUM = {"enum": list(CONSULTATION_STATUSES),
                            "description": "open 待答复；answered 已答复；closed 已关闭"}


class ConsultationIn(f.Schema):
    item = f.Str(required=True, validate=f.name_length(32), metadata={"description": "事项编码"})
    place = f.Str(required=True, validate=f.name_length(32), metadata={"description": "场所编码"})
    question = f.Str(required=True, validate=f.name_length(f.TEXT_MAX),
                     metadata={"description": "问题，最多500个字符"})


class AnswererSchema(Answer):
    name = f.Str(required=True)


class ConsultationSchema(Answer):
    id = f.Int(required=True)
    item = f.Nested(RefSchema, required=True)
    place = f.Nested(RefSchema, required=True)
    question = f.Str(required=True)
    status = f.Str(required=True, metadata=CONSULTATION_STATUS_ENUM)
    answer = f.Str(allow_none=True)
    answered_by = f.Nested(AnswererSchema, allow_none=True,
                           metadata={"description": "答复人（仅姓名）"})
    answered_at = f.DateTime(allow_none=True)
    created_at = f.DateTime(required=True)


class FaqEntrySchema(Answer):
    question = f.Str(required=True)
    answer = f.Str(required=True)
    updated_at = f.DateTime(required=True)


class StaffConsultationSchema(ConsultationSchema):
    status_label = f.Str(required=True, metadata=labels(CONSULTATION_STATUSES))
    answered_by = f.Nested(AgentRefSchema, allow_none=True)
    answer_due_on = f.Date(required=True, metadata={"description": "应答复日期（提问后第1个法定工作日）"})
    close_note = f.Str(allow_none=True)


class StaffConsultationQuery(PageQuery):
    status = f.Str(validate=f.one_of(CONSULTATION_STATUSES), metadata=CONSULTATION_STATUS_ENUM)
    place = f.Str(validate=f.max_length(32), metadata={"description": "场所编码"})


class ConsultationAnswerIn(f.Schema):
    answer = f.Str(required=True, validate=f.name_length(2000), metadata={"description": "答复内容"})


class FaqPublishIn(f.Schema):
    question = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.TEXT_MAX),
                     metadata={"description": "公开的问题（可修改措辞；默认为原问题）"})
    answer = f.Str(load_default=None, allow_none=True, validate=f.max_length(2000),
                   metadata={"description": "公开的答复（默认为原答复）"})


class StaffFaqEntrySchema(FaqEntrySchema):
    id = f.Int(required=True)
    item = f.Nested(RefSchema, required=True)
    place = f.Nested(RefSchema, required=True)
