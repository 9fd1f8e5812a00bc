"""The statutory calendar: which days are working days, weekends or holidays.

Sources, in order: the district's overrides (official notices entered with `calendar-import`,
or single dates set by an admin); `chinese_calendar` for the years it knows; for any other year,
the holidays fixed by law (全国年节及纪念日放假办法, from the `holidays` package without its
guessed in-lieu days) and the plain weekday rule — and a warning until that year's notice is
entered.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

import chinese_calendar
import holidays

log = logging.getLogger(__name__)

DayKind = Literal["workday", "weekend", "holiday"]
Source = Literal["override", "official", "statutory", "weekday"]

# chinese_calendar names its holidays in English.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
KIND_LABELS = {"workday": "工作日", "weekend": "休息日", "holiday": "法定节假日"}


@dataclass(frozen=True)
class Day:
    date: date
    kind: DayKind
    # The holiday the date belongs to; for a make-up workday, the holiday it makes up for.
    holiday_name: str | None = None
    source: Source = "weekday"

    @property
    def is_working_day(self) -> bool:
        return self.kind == "workday"

    @property
    def is_makeup_workday(self) -> bool:
        return self.kind == "workday" and self.date.isoweekday() >= 6

    @property
    def label(self) -> str:
        if self.is_makeup_workday:
            return f"调休上班（{self.holiday_name}）" if self.holiday_name else "调休上班"
        if self.kind == "holiday" and self.holiday_name:
            return self.holiday_name
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Override:
    is_workday: bool
    name: str | None = None


def library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=32)
def statutory_holidays(year: int) -> dict[date, str]:
    """The holidays fixed by law for a year, in Chinese, without guessed or substituted days."""
    days = holidays.China(years=year, language="zh_CN", observed=False)
    return {d: name for d, name in days.items() if "休息日" not in name and "补假" not in name}


_warned_years: set[int] = set()


class StatutoryCalendar:
    def __init__(self, overrides: dict[date, Override] | None = None,
                 notice_years: set[int] | frozenset[int] = frozenset()):
        self.overrides = dict(overrides or {})
        self.notice_years = frozenset(notice_years)

    def is_confirmed(self, year: int) -> bool:
        """Whether the year's holiday arrangement is known (its 调休 notice is in)."""
        return year in self.notice_years or library_knows(year)

    def day(self, d: date) -> Day:
        override = self.overrides.get(d)
        if override is not None:
            if override.is_workday:
                return Day(d, "workday", override.name, "override")
            return Day(d, "holiday", override.name, "override")
        if library_knows(d.year):
            on_holiday, name = chinese_calendar.get_holiday_detail(d)
            name_zh = HOLIDAY_NAMES_ZH.get(name, name) if name else None
            if chinese_calendar.is_workday(d):
                return Day(d, "workday", name_zh, "official")
            if on_holiday and name_zh:
                return Day(d, "holiday", name_zh, "official")
            return Day(d, "weekend", None, "official")
        if d.year not in self.notice_years:
            self._warn_unconfirmed(d.year)
        statutory = statutory_holidays(d.year).get(d)
        if statutory:
            return Day(d, "holiday", statutory, "statutory")
        return Day(d, "weekend" if d.isoweekday() >= 6 else "workday", None, "weekday")

    def is_working_day(self, d: date) -> bool:
        return self.day(d).is_working_day

    def add_working_days(self, start: date, n: int) -> date:
        """The Nth working day after `start` (`start` itself does not count)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        d = start
        while n:
            d += timedelta(days=1)
            if self.is_working_day(d):
                n -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days fall after `start` up to and including `end`."""
        return sum(1 for i in range(1, (end - start).days + 1)
                   if self.is_working_day(start + timedelta(days=i)))

    def unconfirmed_years(self, start: date, end: date) -> list[int]:
        return [y for y in range(start.year, end.year + 1) if not self.is_confirmed(y)]

    @staticmethod
    def _warn_unconfirmed(year: int) -> None:
        if year not in _warned_years:
            _warned_years.add(year)
            # For the operators reading the log: both ways the notice can be entered.
            log.warning("%s（由区政务服务管理办在管理后台“节假日安排”录入，或用 calendar-import "
                        "命令导入。）", unconfirmed_message(year))


def unconfirmed_message(year: int) -> str:
    """What is missing and what it means; who enters it is said by each face to its reader."""
    return (f"{year}年的节假日调休安排尚未录入：目前仅按法定节日和周末推算，"
            f"调休上班日不会被识别。")
