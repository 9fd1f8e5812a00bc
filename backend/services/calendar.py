"""The district's calendar: overrides and official notices over the statutory calendar."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from marshmallow import RAISE, ValidationError, validates_schema
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import fields as f
from ..domain.statutory_calendar import Override, StatutoryCalendar, unconfirmed_message
from ..errors import FileInvalid, Problem
from ..models import ROLES, CalendarNotice, CalendarOverride, Staff
from . import scope

# Who enters a year's official notice (import_calendar refuses everyone else).
ENTERS_NOTICES = scope.DISTRICT_ADMINS
ENTER_IT = "请在国务院办公厅发布通知后，在“节假日安排”页面录入。"
ENTERED_BY = (f"节假日安排由{ROLES['district_admin']}在国务院办公厅发布通知后录入，"
              f"录入后预约时段会自动调整。")


@dataclass(frozen=True)
class CalendarWarning:
    """A coming year whose notice is missing, told to one staff member: what it means, and
    what they do about it (enter it) or who will."""
    year: int
    message: str
    enters_notice: bool


def load_calendar(session: Session) -> StatutoryCalendar:
    overrides = {o.date: Override(o.is_workday, o.name)
                 for o in session.scalars(select(CalendarOverride))}
    return StatutoryCalendar(overrides, set(session.scalars(select(CalendarNotice.year))))


def unconfirmed_years(session: Session, today: date, horizon_days: int) -> list[int]:
    """The years within the horizon whose holiday notice is not yet entered."""
    # Only the notice years decide it (every admin page asks): the overrides are not read.
    calendar = StatutoryCalendar(notice_years=set(session.scalars(select(CalendarNotice.year))))
    return calendar.unconfirmed_years(today, today + timedelta(days=horizon_days))


def calendar_warnings(session: Session, today: date, horizon_days: int) -> list[str]:
    """What is missing, year by year (the command line adds how to enter it)."""
    return [unconfirmed_message(year) for year in unconfirmed_years(session, today, horizon_days)]


def calendar_warnings_for(session: Session, staff: Staff, today: date,
                          horizon_days: int) -> list[CalendarWarning]:
    """The warnings as this staff member reads them: a district admin is asked to enter the
    notice, everyone else told who will."""
    return warnings_for_role(staff.role, set(session.scalars(select(CalendarNotice.year))),
                             today, horizon_days)


def warnings_for_role(role: str, notice_years: set[int] | frozenset[int], today: date,
                      horizon_days: int) -> list[CalendarWarning]:
    """`calendar_warnings_for` with the years whose notice is in already read (the admin reads
    them with the signed-in staff member, admin.auth)."""
    enters = role in ENTERS_NOTICES
    years = StatutoryCalendar(notice_years=notice_years).unconfirmed_years(
        today, today + timedelta(days=horizon_days))
    return [CalendarWarning(year, unconfirmed_message(year) + (ENTER_IT if enters else ENTERED_BY),
                            enters)
            for year in years]


class HolidayPeriod(f.Schema):
    class Meta:
        unknown = RAISE

    name = f.Str(required=True, validate=f.name_length())
    start = f.Date(required=True)
    end = f.Date(required=True)

    @validates_schema
    def _order(self, data, **kwargs):
        if data["end"] < data["start"]:
            raise ValidationError("结束日期不能早于开始日期", "end")
        if (data["end"] - data["start"]).days > 15:
            raise ValidationError("一个假期不应超过16天", "end")


class MakeupWorkday(f.Schema):
    class Meta:
        unknown = RAISE

    date = f.Date(required=True)
    name = f.Str(required=True, validate=f.name_length())


class CalendarFile(f.Schema):
    """An official notice (国务院办公厅关于YYYY年部分节假日安排的通知)."""
    class Meta:
        unknown = RAISE

    year = f.Int(required=True, strict=True, validate=f.between(2000, 2100))
    title = f.Str(required=True, validate=f.name_length(200))
    holidays = f.List(f.Nested(HolidayPeriod), required=True)
    workdays = f.List(f.Nested(MakeupWorkday), load_default=list)


def _notice_days(data: dict) -> tuple[dict[date, Override], list[Problem]]:
    year = data["year"]
    # A notice covers its own year, and may start the New Year holiday in the December before.
    first, last = date(year - 1, 12, 1), date(year, 12, 31)
    days: dict[date, Override] = {}
    problems: list[Problem] = []
    for i, period in enumerate(data["holidays"]):
        d = period["start"]
        while d <= period["end"]:
            if not first <= d <= last:
                problems.append(Problem(f"$.holidays[{i}]", f"{d} 不在{year}年通知的范围内"))
            elif d in days:
                problems.append(Problem(f"$.holidays[{i}]", f"{d} 重复出现"))
            days[d] = Override(False, period["name"])
            d += timedelta(days=1)
    for i, workday in enumerate(data["workdays"]):
        d = workday["date"]
        path = f"$.workdays[{i}].date"
        if not first <= d <= last:
            problems.append(Problem(path, f"{d} 不在{year}年通知的范围内"))
        elif d in days:
            problems.append(Problem(path, f"{d} 既是假日又是调休上班日"))
        elif d.isoweekday() < 6:
            problems.append(Problem(path, f"{d} 不是周末，无需调休上班"))
        days[d] = Override(True, workday["name"])
    return days, problems


def import_calendar(session: Session, actor: scope.Actor, raw: Any,
                    now: datetime) -> tuple[int, int, int]:
    """Enter a year's official notice (the system's or a district admin's to do); returns
    (created, updated, deleted) overrides. Slots follow it: run it through
    `slots.change_and_regenerate`.

    Re-importing the same notice changes nothing; a corrected notice replaces the old one."""
    scope.require_role(actor, scope.DISTRICT_ADMINS, "只有区政务服务管理办可以录入节假日安排")
    try:
        data = CalendarFile().load(raw if isinstance(raw, dict) else {})
    except ValidationError as exc:
        raise FileInvalid([Problem(p, m) for p, m in f.flatten_errors(exc.messages)]) from None
    days, problems = _notice_days(data)
    if problems:
        raise FileInvalid(problems)

    year = data["year"]
    existing = {o.date: o for o in session.scalars(select(CalendarOverride).where(
        (CalendarOverride.notice_year == year) | CalendarOverride.date.in_(list(days))))}
    created = updated = deleted = 0
    for d, wanted in sorted(days.items()):
        override = existing.get(d)
        if override is None:
            session.add(CalendarOverride(date=d, is_workday=wanted.is_workday, name=wanted.name,
                                         notice_year=year))
            created += 1
        elif (override.is_workday, override.name, override.notice_year) != (
                wanted.is_workday, wanted.name, year):
            override.is_workday, override.name, override.notice_year = (
                wanted.is_workday, wanted.name, year)
            updated += 1
    for d, override in existing.items():
        if d not in days:
            session.delete(override)
            deleted += 1

    notice = session.get(CalendarNotice, year)
    if notice is None:
        session.add(CalendarNotice(year=year, title=data["title"], imported_at=now))
    elif notice.title != data["title"] or created or updated or deleted:
        notice.title, notice.imported_at = data["title"], now
    session.flush()
    return created, updated, deleted
