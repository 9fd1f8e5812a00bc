"""marshmallow fields and validators with Chinese messages, shared by the catalogue file and the API."""
from __future__ import annotations

import re
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app

from marshmallow import Schema as _Schema, ValidationError, fields, validate

NAME_MAX = 50
ID_MAX = 2**31 - 1  # the largest integer key the databases store
TEXT_MAX = 500
PAGE_MAX = 100000  # the highest page number a list takes, in the API (from 1) as in the admin
PER_PAGE = 20  # the rows of a list's page unless asked otherwise, in the API as in the admin
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"


class _Chinese:
    default_error_messages = {
        "required": "缺少必填项",
        "null": "不能为空",
        "validator_failed": "取值无效",
    }


# Characters no text of ours may carry: NUL and other control characters (PostgreSQL refuses
# NUL outright), and halves of surrogate pairs (not encodable as UTF-8).
INVALID_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class Str(_Chinese, fields.String):
    default_error_messages = {"invalid": "应为文本", "invalid_utf8": "不是有效的 UTF-8 文本",
                              "invalid_chars": "包含控制字符或无效字符"}

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if INVALID_TEXT.search(value):
            raise self.make_error("invalid_chars")
        return value


class Int(_Chinese, fields.Integer):
    default_error_messages = {"invalid": "应为整数", "too_large": "数值过大"}


class Float(_Chinese, fields.Float):
    default_error_messages = {"invalid": "应为数字", "too_large": "数值过大", "special": "应为有限数字"}


class Bool(_Chinese, fields.Boolean):
    default_error_messages = {"invalid": "应为 true 或 false"}


class Date(_Chinese, fields.Date):
    default_error_messages = {"invalid": "应为日期（YYYY-MM-DD）", "format": "日期格式有误"}


class DateTime(_Chinese, fields.DateTime):
    """Instants are shown in the halls' time zone, with its offset."""
    default_error_messages = {"invalid": "应为时间（ISO 8601）", "format": "时间格式有误"}

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None:
            value = value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
        return super()._serialize(value, attr, obj, **kwargs)


class List(_Chinese, fields.List):
    default_error_messages = {"invalid": "应为列表"}


class Nested(_Chinese, fields.Nested):
    default_error_messages = {"type": "应为对象"}


class Raw(_Chinese, fields.Raw):
    pass


class Dict(_Chinese, fields.Dict):
    default_error_messages = {"invalid": "应为对象"}


class HourMinute(_Chinese, fields.Field):
    """A time of day written `HH:MM`."""
    default_error_messages = {"invalid": "应为时间（HH:MM）"}
    _pattern = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")

    def _serialize(self, value: time | None, attr, obj, **kwargs) -> str | None:
        return None if value is None else value.strftime("%H:%M")

    def _deserialize(self, value: Any, attr, data, **kwargs) -> time:
        match = self._pattern.match(value) if isinstance(value, str) else None
        if not match:
            raise self.make_error("invalid")
        return time(int(match.group(1)), int(match.group(2)))


def code() -> validate.Regexp:
    return validate.Regexp(CODE_PATTERN, error="编码只能由字母、数字、- 和 _ 组成，最长32位")


def max_length(n: int) -> validate.Length:
    return validate.Length(max=n, error=f"最多{n}个字符")


def name_length(n: int = NAME_MAX) -> validate.Length:
    return validate.Length(min=1, max=n, error=f"应为1至{n}个字符")


def one_of(choices) -> validate.OneOf:
    return validate.OneOf(list(choices), error="应为以下之一：{choices}")


def at_least(n: int) -> validate.Range:
    return validate.Range(min=n, error=f"不能小于{n}")


def between(lo: float, hi: float) -> validate.Range:
    return validate.Range(min=lo, max=hi, error=f"应在{lo}至{hi}之间")


class Schema(_Schema):
    """Base schema: Chinese messages for the schema-level errors."""
    error_messages = {"unknown": "未知字段", "type": "应为对象"}


def flatten_errors(messages: Any, path: str = "$") -> list[tuple[str, str]]:
    """marshmallow's nested error dict as (JSON path, message) pairs."""
    if isinstance(messages, dict):
        out = []
        for key, value in messages.items():
            if key == "_schema":
                sub = path
            elif isinstance(key, int):
                sub = f"{path}[{key}]"
            else:
                sub = f"{path}.{key}"
            out.extend(flatten_errors(value, sub))
        return out
    if isinstance(messages, list):
        if all(isinstance(m, str) for m in messages):
            return [(path, m) for m in messages]
        return [pair for m in messages for pair in flatten_errors(m, path)]
    return [(path, str(messages))]


__all__ = ["ValidationError", "Schema"]
