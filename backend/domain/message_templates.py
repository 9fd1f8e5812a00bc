"""Subscribe-message templates: the keys, each key's default data fields and page, the
`WECHAT_TEMPLATES` setting read into `TemplateSpec`s, and the rendering of our values into what
WeChat accepts for each field type (its limits are refused with 47003, so we shorten first).

A template's `fields` map WeChat's data keys (`thing1`, `time3`, ...) to our fields (`item`,
`slot_time`, ...), which every queued message carries in its payload. Pure functions: no
database, no network."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

# docs/api.md's template keys: what a citizen subscribes to.
CITIZEN_TEMPLATE_KEYS = (
    "booking_confirmed", "booking_reminder", "booking_cancelled", "materials_incomplete",
    "case_accepted", "case_progress", "case_completed", "review_invite", "review_followup",
    "deadline_changed", "ticket_soon", "consultation_answered",
)
# What reaches staff (POST /staff/wechat-bind): assignments, escalations, deadline warnings.
STAFF_TEMPLATE_KEYS = ("case_assigned", "case_escalated", "deadline_warning", "acceptance_due",
                       "originals_overdue", "consultation_overdue", "suggestion_answered")
TEMPLATE_KEYS = CITIZEN_TEMPLATE_KEYS + STAFF_TEMPLATE_KEYS

_BOOKING_PAGE = "pages/bookings/detail?code={booking_code}"
_CASE_PAGE = "pages/cases/detail?number={case_number}"
_STAFF_CASE_PAGE = "pages/staff/case?number={case_number}"

# key -> (WeChat data key -> our field, page). The README lists these; `WECHAT_TEMPLATES` may
# give other ones per key (the template picked in the WeChat console decides its data keys).
DEFAULT_TEMPLATES: dict[str, tuple[dict[str, str], str]] = {
    "booking_confirmed": ({"thing1": "item", "thing2": "place", "time3": "slot_time",
                           "character_string4": "booking_code"}, _BOOKING_PAGE),
    "booking_reminder": ({"thing1": "item", "thing2": "place", "time3": "slot_time",
                          "thing4": "tip"}, _BOOKING_PAGE),
    "booking_cancelled": ({"thing1": "item", "time2": "slot_time", "thing3": "reason"},
                          _BOOKING_PAGE),
    "materials_incomplete": ({"character_string1": "case_number", "thing2": "item",
                              "thing3": "materials"}, _CASE_PAGE),
    "case_accepted": ({"character_string1": "case_number", "thing2": "item",
                       "date3": "due_date"}, _CASE_PAGE),
    "case_progress": ({"character_string1": "case_number", "phrase2": "status",
                       "thing3": "note"}, _CASE_PAGE),
    "case_completed": ({"character_string1": "case_number", "thing2": "item",
                        "phrase3": "status", "thing4": "tip"}, _CASE_PAGE),
    "review_invite": ({"character_string1": "case_number", "thing2": "item", "thing3": "tip"},
                      "pages/cases/review?number={case_number}"),
    "review_followup": ({"character_string1": "case_number", "thing2": "result"}, _CASE_PAGE),
    "deadline_changed": ({"character_string1": "case_number", "thing2": "item",
                          "thing3": "note", "date4": "due_date"}, _CASE_PAGE),
    "ticket_soon": ({"character_string1": "ticket_number", "thing2": "place", "thing3": "tip"},
                    "pages/tickets/index"),
    "case_assigned": ({"character_string1": "case_number", "thing2": "item", "thing3": "place",
                       "name4": "applicant"}, _STAFF_CASE_PAGE),
    "case_escalated": ({"character_string1": "case_number", "thing2": "note",
                        "name3": "raised_by"}, _STAFF_CASE_PAGE),
    "deadline_warning": ({"character_string1": "case_number", "thing2": "item",
                          "phrase3": "deadline_state", "date4": "due_date"}, _STAFF_CASE_PAGE),
    "originals_overdue": ({"character_string1": "case_number", "name2": "applicant",
                           "thing3": "materials", "date4": "return_by"}, _STAFF_CASE_PAGE),
    "consultation_answered": ({"thing1": "item", "thing2": "question", "thing3": "answer",
                               "time4": "answered_at"},
                              "pages/consultations/detail?id={consultation_id}"),
    "consultation_overdue": ({"thing1": "item", "thing2": "place", "thing3": "question",
                              "date4": "answer_due_on"}, "pages/staff/consultations"),
    "suggestion_answered": ({"thing1": "title", "thing2": "answer", "time3": "answered_at"},
                            "pages/staff/suggestions"),
    "acceptance_due": ({"character_string1": "case_number", "thing2": "item",
                        "date3": "received_on", "date4": "acceptance_deadline"},
                       _STAFF_CASE_PAGE),
}

# Value limits by field type (the data key without its digits: thing1 -> thing).
FIELD_LIMITS = {"thing": 20, "name": 10, "phrase": 5, "character_string": 32, "number": 32,
                "phone_number": 17, "letter": 32, "symbol": 5, "car_number": 8}
ELLIPSIS = "…"
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")
_DATA_KEY = re.compile(r"^[a-z_]+[0-9]+$")
EMPTY = "-"   # WeChat refuses an empty value


@dataclass(frozen=True)
class TemplateSpec:
    key: str
    id: str
    fields: Mapping[str, str] = field(default_factory=dict)
    page: str | None = None
    long_term: bool = False


class TemplatesInvalid(ValueError):
    """`WECHAT_TEMPLATES` cannot be used; the message says where, in Chinese."""


def load_templates(raw: Any, demo: bool) -> dict[str, TemplateSpec]:
    """The templates by key from `WECHAT_TEMPLATES`: a key maps to its template id, or to
    `{"id", "fields", "page", "long_term"}`; what is left out takes the default. In demo mode
    (no WeChat at all) every key has a demo template, so the whole flow runs on a laptop."""
    if demo and not raw:
        return {key: _spec(key, f"demo-{key}", None) for key in TEMPLATE_KEYS}
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise TemplatesInvalid("应为 JSON 对象：模板键 → 模板 id")
    templates = {}
    for key, value in raw.items():
        if key not in TEMPLATE_KEYS:
            raise TemplatesInvalid(f"未知的模板键 {key}（可用：{', '.join(TEMPLATE_KEYS)}）")
        if isinstance(value, str):
            value = {"id": value}
        if not isinstance(value, dict) or not isinstance(value.get("id"), str) or not value["id"]:
            raise TemplatesInvalid(f"{key}：应为模板 id，或含 id 的对象")
        unknown = set(value) - {"id", "fields", "page", "long_term"}
        if unknown:
            raise TemplatesInvalid(f"{key}：未知的项 {', '.join(sorted(unknown))}")
        fields = value.get("fields")
        if fields is not None and not (
                isinstance(fields, dict) and fields
                and all(isinstance(k, str) and _DATA_KEY.match(k) and isinstance(v, str)
                        for k, v in fields.items())):
            raise TemplatesInvalid(f"{key}：fields 应为 {{\"thing1\": \"item\", ...}} 形式的对象")
        if not isinstance(value.get("page", ""), str) or not isinstance(
                value.get("long_term", False), bool):
            raise TemplatesInvalid(f"{key}：page 应为字符串，long_term 应为 true 或 false")
        templates[key] = _spec(key, value["id"], fields, value.get("page"),
                               value.get("long_term", False))
    return templates


def _spec(key: str, template_id: str, fields: dict | None, page: str | None = None,
          long_term: bool = False) -> TemplateSpec:
    default_fields, default_page = DEFAULT_TEMPLATES[key]
    return TemplateSpec(key=key, id=template_id, fields=dict(fields or default_fields),
                        page=default_page if page is None else (page or None),
                        long_term=long_term)


def render(spec: TemplateSpec, payload: Mapping[str, Any]) -> tuple[dict[str, str], str | None]:
    """WeChat's `data` (data key -> value, each within its type's rules) and the page."""
    data = {key: render_value(key, payload.get(ours)) for key, ours in spec.fields.items()}
    page = None
    if spec.page:
        page = spec.page.format_map(_Quoted(payload))
    return data, page


class _Quoted(dict):
    def __missing__(self, key):
        return ""

    def __getitem__(self, key):
        value = super().get(key)
        return "" if value is None else quote(str(value), safe="")


def render_value(data_key: str, value: Any) -> str:
    """One value as WeChat accepts it for the field type of `data_key`: dates and times in
    WeChat's format (2026年12月5日 09:00), one line without control characters, shortened to the
    type's limit (free text ends in …), character strings in letters, digits and symbols only."""
    field_type = data_key.rstrip("0123456789")
    if value is None or value == "":
        return EMPTY
    if field_type in ("time", "date"):
        return _when(value, with_time=field_type == "time")
    text = _LINE_BREAKS.sub(" ", str(value))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf")).strip()
    if field_type == "character_string":
        text = "".join(ch for ch in text if ch.isascii() and ch.isprintable() and ch != " ")
    limit = FIELD_LIMITS.get(field_type)
    if limit is not None and len(text) > limit:
        text = text[:limit - 1] + ELLIPSIS if field_type == "thing" else text[:limit]
    return text or EMPTY


def _when(value: Any, with_time: bool) -> str:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return render_value("thing", value)
    if isinstance(value, datetime):
        text = f"{value.year}年{value.month}月{value.day}日"
        return f"{text} {value:%H:%M}" if with_time else text
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return render_value("thing", value)
