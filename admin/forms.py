"""What every admin form shares: the one CSRF-only form (a page's fields are read from the posted
form and checked by the service it calls) and the one parser of the dates typed into a page."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_wtf import FlaskForm

from backend.errors import InvalidInput

FORM_EXPIRED = "页面已过期，请刷新页面后重试"
DATE_FORMAT = "日期格式应为 YYYY-MM-DD"


class PostForm(FlaskForm):
    """Only the CSRF token: every POST of the admin's own pages (an action, a change, signing
    out) carries it."""


def parse_dates(values: Mapping[str, str | None], defaults: Mapping[str, date | None] = {},
                message: str = DATE_FORMAT) -> dict[str, date | None]:
    """Each named value (YYYY-MM-DD) as a date; an empty one is its default, or None. Every
    malformed one is named in one refusal, `message` with each field's problem."""
    dates: dict[str, date | None] = {}
    problems: dict[str, list[str]] = {}
    for name, raw in values.items():
        if not raw:
            dates[name] = defaults.get(name)
            continue
        try:
            dates[name] = date.fromisoformat(raw)
        except ValueError:
            problems[name] = [DATE_FORMAT]
    if problems:
        raise InvalidInput(message, problems)
    return dates


def parse_date(raw: str | None, default: date | None = None, name: str = "date") -> date | None:
    """One date typed into a page, or `default` when it is left empty."""
    return parse_dates({name: raw}, {name: default})[name]
