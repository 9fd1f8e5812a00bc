"""The catalogue file's shape (docs/api.md "Catalogue file"), checked with marshmallow."""
from __future__ import annotations

from marshmallow import ValidationError, validates_schema

from ... import fields as f
from ...models import HELP_TYPES, PLACE_LEVELS, SLOT_KINDS


class PlaceEntry(f.Schema):
    code = f.Str(required=True, validate=f.code())
    name = f.Str(required=True, validate=f.name_length())
    level = f.Str(required=True, validate=f.one_of(PLACE_LEVELS))
    parent = f.Str(load_default=None, allow_none=True)
    address = f.Str(load_default=None, allow_none=True, validate=f.max_length(200))
    phone = f.Str(load_default=None, allow_none=True, validate=f.max_length(30))
    latitude = f.Float(load_default=None, allow_none=True, validate=f.between(-90, 90))
    longitude = f.Float(load_default=None, allow_none=True, validate=f.between(-180, 180))
    # Self-service devices here: a helper must be at hand (二(二)1).
    self_service_devices = f.Bool(load_default=False)


class DepartmentEntry(f.Schema):
    code = f.Str(required=True, validate=f.code())
    name = f.Str(required=True, validate=f.name_length())


class StationEntry(f.Schema):
    place = f.Str(required=True)
    department = f.Str(required=True)


class MaterialEntry(f.Schema):
    code = f.Str(required=True, validate=f.code())
    name = f.Str(required=True, validate=f.name_length(100))
    copies = f.Int(load_default=1, strict=True, validate=f.between(1, 99))
    original = f.Bool(load_default=True)
    required = f.Bool(load_default=True)
    how_to_obtain = f.Str(load_default=None, allow_none=True, validate=f.max_length(f.TEXT_MAX))


class ItemEntry(f.Schema):
    code = f.Str(required=True, validate=f.code())
    name = f.Str(required=True, validate=f.name_length(100))
    department = f.Str(required=True)
    category = f.Str(required=True, validate=f.name_length())
    commitment_days = f.Int(required=True, strict=True, validate=f.between(1, 365))
    fee = f.Str(load_default=None, allow_none=True, validate=f.max_length(200))
    help_types = f.List(f.Str(validate=f.one_of(HELP_TYPES)), required=True,
                        validate=f.validate.Length(min=1, error="至少提供一种服务方式（assist、proxy）"))
    places = f.List(f.Str(), required=True,
                    validate=f.validate.Length(min=1, error="至少指定一个服务场所"))
    departments_involved = f.List(f.Str(), load_default=list)
    materials = f.List(f.Nested(MaterialEntry), load_default=list)


class ScheduleEntry(f.Schema):
    place = f.Str(required=True)
    kind = f.Str(required=True, validate=f.one_of(SLOT_KINDS))
    weekdays = f.List(f.Int(strict=True, validate=f.between(1, 7)), load_default=None,
                      allow_none=True, validate=f.validate.Length(min=1, error="不能为空列表"))
    start = f.HourMinute(required=True)
    end = f.HourMinute(required=True)
    slot_minutes = f.Int(required=True, strict=True, validate=f.between(5, 480))
    capacity = f.Int(required=True, strict=True, validate=f.between(1, 1000))
    # Of each slot's capacity: seats kept for special groups, seats never offered online.
    reserved = f.Int(load_default=0, strict=True, validate=f.between(0, 1000))
    walk_in = f.Int(load_default=0, strict=True, validate=f.between(0, 1000))

    @validates_schema
    def _pools(self, data, **kwargs):
        if data["reserved"] + data["walk_in"] > data["capacity"]:
            raise ValidationError(
                f"保留号源与现场号源之和（{data['reserved'] + data['walk_in']}）不能超过每段容量"
                f"（{data['capacity']}）", "reserved")

    @validates_schema
    def _times(self, data, **kwargs):
        start, end, minutes = data["start"], data["end"], data["slot_minutes"]
        length = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        if length <= 0:
            raise ValidationError("结束时间应晚于开始时间", "end")
        if length % minutes:
            raise ValidationError(f"时段长度 {length} 分钟不能被每段 {minutes} 分钟整除",
                                  "slot_minutes")


class RotaEntryIn(f.Schema):
    place = f.Str(required=True)
    date = f.Date(required=True)
    agent = f.Str(required=True)


class QueueEntry(f.Schema):
    """A ticket line of a place (取号队列): its code prefixes the ticket numbers (A001)."""
    place = f.Str(required=True)
    code = f.Str(required=True, validate=f.validate.Regexp(
        r"^[A-Z]{1,4}$", error="队列编码应为1至4位大写字母"))
    name = f.Str(required=True, validate=f.name_length())
    items = f.List(f.Str(), required=True,
                   validate=f.validate.Length(min=1, error="至少指定一个事项"))
    green_channel = f.Bool(load_default=False)
    # The standard service time of its items: the waiting estimate's figure until the day's
    # own service times are known.
    service_minutes = f.Int(load_default=10, strict=True, validate=f.between(1, 480))


class CatalogFile(f.Schema):
    """The file's top level; each entry is checked on its own (ENTRY_SCHEMAS) so that one bad
    entry does not hide the problems of the others."""
    places = f.List(f.Raw(), load_default=list)
    departments = f.List(f.Raw(), load_default=list)
    stations = f.List(f.Raw(), load_default=list)
    items = f.List(f.Raw(), load_default=list)
    schedules = f.List(f.Raw(), load_default=list)
    rota = f.List(f.Raw(), load_default=list)
    queues = f.List(f.Raw(), load_default=list)


ENTRY_SCHEMAS = {"places": PlaceEntry, "departments": DepartmentEntry, "stations": StationEntry,
                 "items": ItemEntry, "schedules": ScheduleEntry, "rota": RotaEntryIn,
                 "queues": QueueEntry}
