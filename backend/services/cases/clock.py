"""The legal clock (办理时限) as the law writes it: a case's committed working days run from its
acceptance, do not run while it is suspended (特别程序, 行政许可法 §45, GB/T 39046; or a 代办
commission's 中止, the applicant's delay), and are extended (延长, §42) by a place manager's
decision taken before the due date.

- A suspension stops the clock on the day it starts and lets it run again the day after it
  ends: the due date moves by the statutory working days from its first day to its last, both
  included (`Suspension.working_days`). While one is under way the case is paused: neither
  amber nor red, its due date projected as if it lasted the working days it was expected to.
- An extension adds working days to the case's allowance; the due date and the amber day are
  counted again from acceptance.
- `Case.due_date` and `Case.amber_on` are always the moved ones: deadline states, warnings, the
  dashboard and the inspection report read them as before.

Each change is a move of the transition table (`suspend`, `resume`, `extend`), recorded in the
case's history, and the applicant hears of it (`deadline_changed`)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from ...domain.statutory_calendar import StatutoryCalendar
from ...errors import InvalidInput, InvalidState
from ...models import SUSPENSION_KINDS, Case, Extension, Staff, Suspension
from .. import notifications
from ..calendar import load_calendar
from .intake import AMBER_SHARE
from .documents import issue
from .lifecycle import apply, permit

EXPECTED_DAYS_MAX = 365
EXTENSION_DAYS_MAX = 60


# Counting --------------------------------------------------------------------------------

def allowance(case: Case) -> int:
    """The working days the case is allowed: the item's commitment and every extension."""
    return case.item.commitment_days + sum(e.days for e in case.extensions)


def open_suspension(case: Case) -> Suspension | None:
    return next((s for s in case.suspensions if s.ended_on is None), None)


def expected_end(calendar: StatutoryCalendar, suspension: Suspension) -> date:
    """The last day a suspension under way is expected to cover: its `expected_days`-th working
    day counting its first."""
    return calendar.add_working_days(suspension.started_on - timedelta(days=1),
                                     max(1, suspension.expected_days or 1))


def suspended_working_days(calendar: StatutoryCalendar, first: date, last: date) -> int:
    """The working days a suspension from `first` to `last` (both included) took off the clock."""
    return calendar.working_days_between(first - timedelta(days=1), last)


def _ranges(calendar: StatutoryCalendar, case: Case, projected: bool
            ) -> list[tuple[date, date | None]]:
    """The stretches off the clock; one under way ends where it is expected to (`projected`) or
    not at all."""
    return [(s.started_on, s.ended_on if s.ended_on is not None
             else (expected_end(calendar, s) if projected else None))
            for s in case.suspensions]


def _counts(calendar: StatutoryCalendar, day: date, ranges) -> bool:
    return calendar.is_working_day(day) and not any(
        first <= day and (last is None or day <= last) for first, last in ranges)


def nth_counted_day(calendar: StatutoryCalendar, start: date, n: int, ranges) -> date:
    """The day the `n`-th working day off no suspension falls on, after `start`."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        if _counts(calendar, day, ranges):
            n -= 1
    return day


def reschedule(calendar: StatutoryCalendar, case: Case) -> None:
    """The due date and the amber day, counted from acceptance over the allowance, the
    suspensions skipped (one under way: as long as it is expected to last)."""
    if case.accepted_on is None:
        return
    ranges = _ranges(calendar, case, projected=True)
    days = allowance(case)
    case.due_date = nth_counted_day(calendar, case.accepted_on, days, ranges)
    case.amber_on = nth_counted_day(calendar, case.accepted_on,
                                    max(1, math.ceil(days * AMBER_SHARE)), ranges)


@dataclass(frozen=True)
class CaseClock:
    """The clock as the citizen reads it (`GET /cases/{number}`'s `clock`)."""
    working_days: int
    used: int
    remaining: int
    paused: bool
    suspensions: list[Suspension]
    extensions: list[Extension]


def case_clock(calendar: StatutoryCalendar, case: Case, now: datetime) -> CaseClock:
    """Working days allowed, used (from the day after acceptance up to today, or to the day the
    case finished, the suspended ones not counted) and remaining."""
    days = allowance(case)
    used = 0
    if case.accepted_on is not None:
        last = now.date()
        if case.finished_at is not None:
            last = min(last, case.finished_at.astimezone(now.tzinfo).date())
        ranges = _ranges(calendar, case, projected=False)
        day = case.accepted_on + timedelta(days=1)
        while day <= last:
            if _counts(calendar, day, ranges):
                used += 1
            day += timedelta(days=1)
    return CaseClock(days, used, max(0, days - used), case.suspended_since is not None,
                     list(case.suspensions), list(case.extensions))


# The moves ---------------------------------------------------------------------------------

def _text(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message, {field: ["必填"]})
    return value


def _tell(session: Session, case: Case, now: datetime, note: str) -> None:
    notifications.queue_case_message(session, case, "deadline_changed", now,
                                     subject=notifications.case_step(case), note=note,
                                     due_date=case.due_date.isoformat() if case.due_date else None)


def suspend(session: Session, case: Case, staff: Staff, kind: str, reason: str,
            expected_days: int, now: datetime, *, cause: str = "procedure") -> Case:
    """Start a special procedure (or, `cause="applicant"`, suspend a 代办 commission, 中止):
    the clock stops today; the applicant is told what, why and for how long."""
    permit("suspend", staff)
    if kind not in SUSPENSION_KINDS:
        raise InvalidInput("未知的特别程序种类", {"kind": [f"可选：{', '.join(SUSPENSION_KINDS)}"]})
    reason = _text(reason, "reason", "请填写特别程序（或中止）的理由")
    if not isinstance(expected_days, int) or not 1 <= expected_days <= EXPECTED_DAYS_MAX:
        raise InvalidInput("预计所需工作日应为1至365", {"expected_days": [str(expected_days)]})
    if cause == "applicant" and case.help_type != "proxy":
        raise InvalidInput("中止委托只适用于代办", {"commission": ["帮办没有委托"]})
    if open_suspension(case) is not None:
        raise InvalidState("该办件已暂停计时，请先结束当前的特别程序或中止",
                           {"suspended_since": case.suspended_since.isoformat()})
    label = SUSPENSION_KINDS[kind] if cause == "procedure" else "中止委托"
    note = f"{label}：{reason}，预计{expected_days}个工作日"
    apply(session, case, "suspend", staff, now, note)
    case.suspensions.append(Suspension(
        kind=kind, cause=cause, reason=reason,
        expected_days=expected_days, started_on=now.date(), started_at=now, started_by=staff))
    case.suspended_since = now.date()
    reschedule(load_calendar(session), case)
    issue(session, case, "suspension", now, ref=case.suspensions[-1], staff=staff,
          title="特别程序告知书" if cause == "procedure" else "中止委托告知书")
    _tell(session, case, now, f"{note}，期间不计入办理时限")
    return case


def resume(session: Session, case: Case, staff: Staff, note: str | None,
           now: datetime) -> Case:
    """End the suspension under way: the clock runs again from tomorrow, the due date moved by
    the working days it lasted."""
    permit("resume", staff)
    suspension = open_suspension(case)
    if suspension is None:
        raise InvalidState("该办件没有进行中的特别程序或中止")
    calendar = load_calendar(session)
    days = suspended_working_days(calendar, suspension.started_on, now.date())
    label = suspension.kind_label if suspension.cause == "procedure" else "中止委托"
    text = f"{label}结束，历时{days}个工作日" + (f"：{note.strip()}" if note and note.strip() else "")
    apply(session, case, "resume", staff, now, text)
    suspension.ended_on, suspension.ended_at, suspension.ended_by = now.date(), now, staff
    suspension.working_days, suspension.note = days, (note or "").strip() or None
    case.suspended_since = None
    reschedule(calendar, case)
    _tell(session, case, now, f"{text}；办理时限顺延至{case.due_date:%Y-%m-%d}")
    return case


def extend(session: Session, case: Case, manager: Staff, days: int, reason: str,
           now: datetime) -> Case:
    """§42: more working days, decided by a place manager on or before the due date (never
    after); the applicant is told the reason."""
    permit("extend", manager)
    reason = _text(reason, "reason", "请填写延长办理时限的理由")
    if not isinstance(days, int) or not 1 <= days <= EXTENSION_DAYS_MAX:
        raise InvalidInput("延长的工作日应为1至60", {"days": [str(days)]})
    if case.due_date is None:
        raise InvalidState("办件尚未受理，没有办理时限可以延长")
    if now.date() > case.due_date:
        raise InvalidState(f"已过承诺办结日期（{case.due_date:%Y-%m-%d}），不能再延长",
                           {"due_date": case.due_date.isoformat()})
    before = case.due_date
    apply(session, case, "extend", manager, now, f"延长{days}个工作日：{reason}")
    extension = Extension(days=days, reason=reason, decided_at=now, decided_by=manager,
                          due_before=before, due_after=before)
    case.extensions.append(extension)
    reschedule(load_calendar(session), case)
    extension.due_after = case.due_date
    _tell(session, case, now, f"办理时限延长{days}个工作日（{reason}），"
                              f"承诺办结日期改为{case.due_date:%Y-%m-%d}")
    return case


def may_extend(case: Case, today: date) -> bool:
    return case.due_date is not None and today <= case.due_date
