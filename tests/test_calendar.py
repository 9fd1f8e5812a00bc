"""The statutory calendar on real dates: 2026 from chinese_calendar, 2027 by the fallback."""
import logging
from datetime import date

import pytest

from backend.domain import statutory_calendar
from backend.domain.statutory_calendar import Override, StatutoryCalendar
from backend.services.calendar import calendar_warnings, import_calendar, load_calendar
from backend.services.scope import SYSTEM

D = date.fromisoformat
cal = StatutoryCalendar()


@pytest.mark.parametrize("day, kind, name", [
    ("2026-02-13", "workday", None),
    ("2026-02-14", "workday", "春节"),      # make-up Saturday
    ("2026-02-15", "holiday", "春节"),      # a Sunday inside the holiday
    ("2026-02-17", "holiday", "春节"),
    ("2026-02-23", "holiday", "春节"),      # in-lieu rest day
    ("2026-02-24", "workday", None),
    ("2026-02-28", "workday", "春节"),      # make-up Saturday
    ("2026-03-01", "weekend", None),
    ("2026-10-01", "holiday", "国庆节"),
    ("2026-10-04", "holiday", "国庆节"),    # a Sunday inside the holiday
    ("2026-10-07", "holiday", "国庆节"),
    ("2026-10-08", "workday", None),
    ("2026-10-10", "workday", "国庆节"),    # make-up Saturday
    ("2026-10-11", "weekend", None),
    ("2026-12-05", "weekend", None),
])
def test_2026_days(day, kind, name):
    result = cal.day(D(day))
    assert (result.kind, result.holiday_name, result.source) == (kind, name, "official")


def test_make_up_workday_is_a_working_day_with_its_own_label():
    day = cal.day(D("2026-02-14"))
    assert day.is_working_day and day.is_makeup_workday
    assert day.label == "调休上班（春节）"
    assert cal.day(D("2026-02-16")).label == "春节"
    assert cal.day(D("2026-12-05")).label == "休息日"


@pytest.mark.parametrize("start, n, expected", [
    ("2026-02-12", 1, "2026-02-13"),
    ("2026-02-13", 1, "2026-02-14"),   # the make-up Saturday counts
    ("2026-02-13", 2, "2026-02-24"),   # then the whole Spring Festival is skipped
    ("2026-02-13", 5, "2026-02-27"),
    ("2026-02-13", 6, "2026-02-28"),   # the second make-up Saturday
    ("2026-09-30", 1, "2026-10-08"),   # National Day week skipped
    ("2026-09-30", 3, "2026-10-10"),   # make-up Saturday 10-10
    ("2026-09-30", 4, "2026-10-12"),   # Sunday 10-11 is not
    ("2026-11-30", 20, "2026-12-28"),
])
def test_nth_working_day_after(start, n, expected):
    assert cal.add_working_days(D(start), n) == D(expected)


def test_working_days_between_counts_after_start_up_to_end():
    assert cal.working_days_between(D("2026-02-13"), D("2026-02-28")) == 6
    assert cal.working_days_between(D("2026-02-13"), D("2026-02-13")) == 0


def test_nth_working_day_needs_a_positive_n():
    with pytest.raises(ValueError):
        cal.add_working_days(D("2026-01-05"), 0)


@pytest.mark.parametrize("day, kind, name", [
    ("2027-01-01", "holiday", "元旦"),
    ("2027-01-02", "weekend", None),
    ("2027-01-04", "workday", None),
    ("2027-02-05", "holiday", "农历除夕"),
    ("2027-02-06", "holiday", "春节"),
    ("2027-02-08", "holiday", "春节"),
    ("2027-02-09", "workday", None),      # no guessed in-lieu days
    ("2027-05-01", "holiday", "劳动节"),
    ("2027-05-03", "workday", None),
    ("2027-10-01", "holiday", "国庆节"),
    ("2027-10-03", "holiday", "国庆节"),
    ("2027-10-04", "workday", None),
])
def test_2027_falls_back_to_the_statutory_holidays(day, kind, name):
    result = cal.day(D(day))
    assert (result.kind, result.holiday_name) == (kind, name)
    assert result.source in {"statutory", "weekday"}


def test_2027_due_dates_do_not_crash():
    assert cal.add_working_days(D("2026-12-25"), 5) == D("2027-01-04")
    assert cal.add_working_days(D("2027-02-04"), 1) == D("2027-02-09")


def test_overrides_win_over_every_source():
    overrides = {D("2027-02-20"): Override(True, "春节"), D("2026-12-01"): Override(False, "停电闭厅"),
                 D("2027-02-09"): Override(False, "春节")}
    calendar = StatutoryCalendar(overrides, {2027})
    assert calendar.day(D("2027-02-20")).is_makeup_workday
    assert calendar.day(D("2026-12-01")).kind == "holiday"
    assert calendar.day(D("2027-02-09")).holiday_name == "春节"
    assert calendar.add_working_days(D("2027-02-04"), 1) == D("2027-02-10")


def test_unconfirmed_years_and_a_warning_logged_once(caplog, monkeypatch):
    monkeypatch.setattr(statutory_calendar, "_warned_years", set())
    assert cal.unconfirmed_years(D("2026-11-30"), D("2027-03-01")) == [2027]
    assert StatutoryCalendar(notice_years={2027}).unconfirmed_years(
        D("2026-11-30"), D("2027-03-01")) == []
    with caplog.at_level(logging.WARNING):
        cal.day(D("2027-03-01"))
        cal.day(D("2027-03-02"))
    warnings = [r for r in caplog.records if "2027年的节假日调休安排尚未录入" in r.getMessage()]
    assert len(warnings) == 1


NOTICE_2027 = {
    "year": 2027, "title": "国务院办公厅关于2027年部分节假日安排的通知（演示）",
    "holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"},
                 {"name": "春节", "start": "2027-02-05", "end": "2027-02-12"}],
    "workdays": [{"date": "2027-02-20", "name": "春节"}],
}


def test_an_imported_notice_drives_the_calendar_and_ends_the_warning(session, clock):
    assert calendar_warnings(session, clock.now().date(), 90)
    assert import_calendar(session, SYSTEM, NOTICE_2027, clock.now()) == (12, 0, 0)
    session.commit()
    calendar = load_calendar(session)
    assert calendar.day(D("2027-01-02")).kind == "holiday"
    assert calendar.day(D("2027-02-11")).holiday_name == "春节"
    assert calendar.day(D("2027-02-20")).is_working_day
    assert calendar_warnings(session, clock.now().date(), 90) == []


def test_reimporting_a_notice_changes_nothing_and_a_correction_replaces_it(session, clock):
    import_calendar(session, SYSTEM, NOTICE_2027, clock.now())
    assert import_calendar(session, SYSTEM, NOTICE_2027, clock.now()) == (0, 0, 0)
    corrected = dict(NOTICE_2027, workdays=[])
    corrected["holidays"] = [NOTICE_2027["holidays"][0]]
    assert import_calendar(session, SYSTEM, corrected, clock.now()) == (0, 0, 9)
    session.commit()
    assert load_calendar(session).day(D("2027-02-20")).kind == "weekend"
