"""Working standards, inspections and 通报 (博政管办发〔2022〕3号 三(五); docs/domain.md
"Standards, inspections and 通报"), against figures counted by hand."""
from __future__ import annotations

from datetime import date
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from backend.errors import Forbidden, InvalidInput, InvalidState
from backend.models import Bulletin, Staff, WorkingStandard
from backend.services import cases
from backend.services.standards import (
    Thresholds, bulletin_pdf, bulletin_xlsx, inspect, judge, publish_bulletin, record_visit,
    set_standard,
)
from backend.services.reports import UnitFigures
from tests.helpers import every_row

START, END, TODAY = date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 30)
TZ = "Asia/Shanghai"
MIN = 2  # the smallest sample judged, in these tests


def _staff(session, username: str) -> Staff:
    return session.scalar(select(Staff).where(Staff.username == username))


@pytest.fixture
def period(session, demo, make_case, make_staff, clock):
    """Counted by hand, November 2026 (minimum sample 2):
    - 博山区政务服务中心 BS-HALL: 2 cases, both completed on time; reviews 2 and 3 → satisfaction
      2.50; no one-time-notice violation.
    - 城东街道 BS-CD: 3 cases, 2 completed on time (reviews 5, 5), 1 with a second notice that
      adds a material → 1 violation; on-time rate 2/2.
    - 域城镇 BS-YC: 2 cases completed on time, reviews 5 and 4 → satisfaction 4.50; passes.
    - 山头街道 BS-ST: 1 case → 样本不足."""
    make_staff("ycagent", places=("BS-YC",), department="RSJ", name="域城代办")
    make_staff("stagent", places=("BS-ST",), department="RSJ", name="山头代办")
    for place, agent, scores in (("BS-HALL", "agent1", (2, 3)), ("BS-CD", "agent4", (5, 5)),
                                 ("BS-YC", "ycagent", (5, 4))):
        for score in scores:
            case = make_case("completed", "assist", place=place, agent=agent)
            cases.review(session, case, case.citizen, score, None, clock.now())
    case = make_case("submitted", "assist", place="BS-CD", agent="agent4")
    cases.check_materials(session, case, [("HKB", None)], case.agent, clock.now())
    cases.supplement(session, case, case.citizen, ["HKB"], clock.now())
    cases.check_materials(session, case, [("HKB", None), ("JMYBCB", None)], case.agent,
                          clock.now())
    make_case("submitted", "assist", place="BS-ST", agent="stagent")
    session.commit()


def _standard(session, clock, **kw):
    values = dict(min_on_time_rate=0.9, min_satisfaction=3.0, max_notice_violations=0)
    values.update(kw)
    return set_standard(session, _staff(session, "admin"), START, END, Thresholds(**values),
                        clock.now())


def _places(inspection):
    [(kind, verdicts)] = [s for s in inspection.sections if s[0] == "place"]
    return {v.figures.code: v for v in verdicts}


def test_each_unit_passes_or_fails_and_says_which_threshold(session, period, clock):
    _standard(session, clock)
    inspection = inspect(session, _staff(session, "admin"), START, END, today=TODAY,
                         min_cases=MIN, timezone=TZ)
    places = _places(inspection)

    hall, town, yc, st = (places[c] for c in ("BS-HALL", "BS-CD", "BS-YC", "BS-ST"))
    assert (hall.figures.cases, hall.figures.on_time_rate, hall.figures.satisfaction_average) == (
        2, 1.0, 2.5)
    assert hall.label == "不达标" and hall.failures == ["满意度平均分2.50，低于标准3.00"]
    assert (town.figures.cases, town.figures.notice_violations) == (3, 1)
    assert town.failures == ["一次性告知违规1次，超过标准0次"]
    assert yc.passed and yc.verdict == "各项标准均达标"
    assert (st.figures.cases, st.judged, st.label) == (1, False, "样本不足")


def test_consultations_threshold_is_skipped_without_consultation_figures(session, period, clock):
    standard = _standard(session, clock, min_consultations_answered_in_day=0.95)
    places = _places(inspect(session, _staff(session, "admin"), START, END, today=TODAY,
                             min_cases=MIN, timezone=TZ))
    assert places["BS-YC"].passed
    assert places["BS-YC"].skipped == ["咨询当日答复率（无咨询数据）"]
    # With the place's figure (its consultations), the threshold is checked.
    unit = UnitFigures("place", "X", "某场所", cases=5)
    assert judge(unit, standard, 0, MIN, 0.8).failures == ["咨询当日答复率80.0%，低于标准95.0%"]


def test_consultations_answered_in_a_day_are_judged_per_place(session, period, clock,
                                                               make_citizen):
    """BS-HALL: two questions, one answered on the day asked (11-30, due 12-01), one asked on
    Wednesday 11-25 (due Thursday 11-26) and answered on 11-30: 1 of 2 on time, 50.0 %."""
    from datetime import timedelta
    from backend.services import consultation
    admin = _staff(session, "admin")
    late = consultation.ask(session, make_citizen(), "SB-001", "BS-HALL", "需要什么材料？",
                            clock.now() - timedelta(days=5))
    on_time = consultation.ask(session, make_citizen(), "SB-001", "BS-HALL", "在哪个窗口？",
                               clock.now())
    for question in (late, on_time):
        consultation.answer(session, admin, question.id, "二楼人社窗口", clock.now())
    session.commit()
    _standard(session, clock, min_consultations_answered_in_day=0.95)
    inspection = inspect(session, admin, START, END, today=TODAY, min_cases=MIN, timezone=TZ)
    places = _places(inspection)
    assert "咨询当日答复率50.0%，低于标准95.0%" in places["BS-HALL"].failures
    assert places["BS-CD"].skipped == ["咨询当日答复率（无咨询数据）"]
    [(_, departments)] = [s for s in inspection.sections if s[0] == "department"]
    assert all("咨询当日答复率（按服务场所考核）" in v.skipped
               for v in departments if v.judged)


def test_registry_gaps_are_counted_per_place(session, period, clock):
    _standard(session, clock, max_registry_gaps=0)
    places = _places(inspect(session, _staff(session, "admin"), START, END, today=TODAY,
                             min_cases=MIN, timezone=TZ))
    # 域城镇 has four stations (RSJ, MZJ, WJJ, YBJ) and one agent (RSJ), who has a rota turn or
    # not: at least the three stations without an agent are gaps.
    assert places["BS-YC"].registry_gaps >= 3
    assert any(f.startswith(f"登记备案缺口{places['BS-YC'].registry_gaps}项") for f in
               places["BS-YC"].failures)


def test_a_criticism_names_failing_units_with_their_figures(session, period, clock):
    _standard(session, clock)
    admin = _staff(session, "admin")
    bulletin = publish_bulletin(
        session, admin, kind="criticism", start=START, end=END,
        units=[("place", "BS-HALL"), ("place", "BS-CD")], title="11月帮办代办工作检查情况",
        body="请相关单位于12月15日前完成整改。", now=clock.now(), today=TODAY, min_cases=MIN,
        timezone=TZ)
    session.commit()
    assert bulletin.number == "博政管通〔2026〕1号"
    assert [(e.unit_name, e.cases, e.on_time_rate, e.satisfaction, e.notice_violations,
             e.verdict) for e in bulletin.entries] == [
        ("博山区政务服务中心", 2, 1.0, 2.5, 0, "满意度平均分2.50，低于标准3.00"),
        ("城东街道便民服务中心", 3, 1.0, 5.0, 1, "一次性告知违规1次，超过标准0次")]

    pdf = bulletin_pdf(bulletin, ZoneInfo(TZ), "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    assert pdf.startswith(b"%PDF")
    sheet = load_workbook(BytesIO(bulletin_xlsx(bulletin))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "博政管通〔2026〕1号 通报批评：11月帮办代办工作检查情况"
    assert rows[-2][:4] == ["服务场所", "BS-HALL", "博山区政务服务中心", 2]
    assert rows[-1][-1] == "一次性告知违规1次，超过标准0次"


@pytest.mark.parametrize("kind, unit, message", [
    ("criticism", "BS-ST", "办件量1件，少于2件（样本不足），不能通报"),
    ("criticism", "BS-YC", "各项标准均达标，不能通报批评"),
    ("commendation", "BS-HALL", "未达标，不能通报表扬"),
], ids=["small-sample", "passing", "failing-commended"])
def test_a_bulletin_refuses_a_unit_it_cannot_name(session, period, clock, kind, unit, message):
    _standard(session, clock)
    session.commit()
    before = every_row(session)
    with pytest.raises(InvalidInput) as refused:
        publish_bulletin(session, _staff(session, "admin"), kind=kind, start=START, end=END,
                         units=[("place", unit)], title="通报", body=None, now=clock.now(),
                         today=TODAY, min_cases=MIN, timezone=TZ)
    assert any(message in m for m in refused.value.details["units"])
    session.rollback()
    assert every_row(session) == before


def test_a_commendation_of_a_passing_unit_and_who_may_publish(session, period, clock):
    with pytest.raises(InvalidState):  # no standard yet
        publish_bulletin(session, _staff(session, "admin"), kind="commendation", start=START,
                         end=END, units=[("place", "BS-YC")], title="表扬", body=None,
                         now=clock.now(), today=TODAY, min_cases=MIN, timezone=TZ)
    _standard(session, clock)
    for username in ("manager", "inspector"):
        with pytest.raises(Forbidden):
            publish_bulletin(session, _staff(session, username), kind="commendation",
                             start=START, end=END, units=[("place", "BS-YC")], title="表扬",
                             body=None, now=clock.now(), today=TODAY, min_cases=MIN, timezone=TZ)
    bulletin = publish_bulletin(session, _staff(session, "admin"), kind="commendation",
                                start=START, end=END, units=[("place", "BS-YC")], title="表扬",
                                body=None, now=clock.now(), today=TODAY, min_cases=MIN,
                                timezone=TZ)
    assert [(e.unit_code, e.satisfaction, e.verdict) for e in bulletin.entries] == [
        ("BS-YC", 4.5, "各项标准均达标")]


def test_standards_and_visits_are_validated(session, period, clock):
    admin = _staff(session, "admin")
    with pytest.raises(InvalidInput) as refused:
        set_standard(session, admin, START, END, Thresholds(min_on_time_rate=1.5), clock.now())
    assert "min_on_time_rate" in refused.value.details
    with pytest.raises(Forbidden):
        set_standard(session, _staff(session, "manager"), START, END,
                     Thresholds(min_on_time_rate=0.9), clock.now())
    first = _standard(session, clock)
    again = _standard(session, clock, min_satisfaction=4.0)  # the same period: replaced
    assert first.id == again.id and session.scalar(
        select(WorkingStandard.min_satisfaction)) == 4.0

    visit = record_visit(session, _staff(session, "inspector"), visited_on=TODAY,
                         place_code="BS-CD", department_code="RSJ",
                         inspectors=["inspector", "admin"], findings="一次性告知书未留存",
                         followup_due=date(2026, 12, 15), now=clock.now(), today=TODAY)
    assert ([s.username for s in visit.inspectors], visit.department.code) == (
        ["admin", "inspector"], "RSJ")
    with pytest.raises(InvalidInput) as refused:
        record_visit(session, admin, visited_on=TODAY, place_code="NOPE", department_code=None,
                     inspectors=[], findings=" ", followup_due=date(2026, 11, 1),
                     now=clock.now(), today=TODAY)
    assert set(refused.value.details) == {"place", "inspectors", "findings", "followup_due"}
    with pytest.raises(Forbidden):
        record_visit(session, _staff(session, "manager"), visited_on=TODAY, place_code="BS-CD",
                     department_code=None, inspectors=["inspector"], findings="x",
                     followup_due=None, now=clock.now(), today=TODAY)
    assert session.scalar(select(Bulletin.id)) is None


# The admin's pages ---------------------------------------------------------------------------

PASSWORD = "Hq7#vLm2pX9w-Tz"


def _sign_in(client, session, username):
    from backend.services.scope import SYSTEM
    from backend.services.staff import set_password
    set_password(session, SYSTEM, _staff(session, username), PASSWORD)
    session.commit()
    assert client.post("/admin/login", data={"username": username, "password": PASSWORD}
                       ).status_code == 302


def test_the_district_admin_sets_a_standard_inspects_and_publishes_a_criticism(
        client, session, period, app):
    app.config["REPORT_MIN_CASES"] = MIN
    _sign_in(client, session, "admin")
    response = client.post("/admin/standard/set/", data={
        "start": "2026-11-01", "end": "2026-11-30", "min_on_time_rate": "90",
        "min_satisfaction": "3", "max_notice_violations": "0"})
    assert response.status_code == 302
    standard = session.scalar(select(WorkingStandard))
    assert (standard.min_on_time_rate, standard.min_satisfaction) == (0.9, 3.0)

    page = client.get("/admin/inspection/?start=2026-11-01&end=2026-11-30").get_data(as_text=True)
    assert "满意度平均分2.50，低于标准3.00" in page and "样本不足" in page

    response = client.post("/admin/bulletin/publish/", data={
        "start": "2026-11-01", "end": "2026-11-30", "kind": "criticism", "title": "11月检查通报",
        "body": "限期整改", "units": ["place:BS-HALL"]})
    assert response.status_code == 302
    bulletin = session.scalar(select(Bulletin))
    assert [e.unit_code for e in bulletin.entries] == ["BS-HALL"]
    details = client.get(f"/admin/bulletin/details/?id={bulletin.id}").get_data(as_text=True)
    assert "博政管通〔2026〕1号" in details
    pdf = client.get(f"/admin/bulletin/pdf?id={bulletin.id}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    xlsx = client.get(f"/admin/bulletin/xlsx?id={bulletin.id}")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"

    # A small sample is refused with its reason, nothing published.
    client.post("/admin/bulletin/publish/", data={
        "start": "2026-11-01", "end": "2026-11-30", "kind": "criticism", "title": "再通报",
        "units": ["place:BS-ST"]})
    assert session.scalar(select(func.count()).select_from(Bulletin)) == 1
