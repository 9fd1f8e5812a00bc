"""Working standards, inspections and 通报 (博政管办发〔2022〕3号 三(五)).

The district office sets a period's working standards as thresholds (`WorkingStandard`); the
inspection (`inspect`) reads the period's inspection report and marks each unit pass or fail
against them, naming each threshold failed. A unit with fewer cases than the report's minimum
(`REPORT_MIN_CASES`) is not judged (样本不足): it can be neither commended nor criticised.
Inspection visits are recorded (date, unit, inspectors, findings, follow-up due), and a 通报
names units with the figures behind them, kept as they stood when it was published, exported as
PDF and XLSX.

Consultations answered within a day (咨询) are counted per place (the report's consultation
figures): a place is checked on its share answered by the due day; a place without consultations
in the period, and a department or an agent, are not (the verdict says the threshold was
skipped, and why)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import InvalidInput, InvalidState, NotFound
from ..infrastructure.pdf import Paper, render
from ..infrastructure.spreadsheets import append_row
from ..models import (
    BULLETIN_KINDS, Bulletin, BulletinEntry, Department, InspectionVisit, Place, Staff,
    WorkingStandard,
)
from . import scope
from .compliance import compliance_gaps
from .reports import INSUFFICIENT_SAMPLE, InspectionReport, UnitFigures, inspection_report

DISTRICT_OFFICE = "博山区政务服务管理办公室"
STANDARDS_ONLY = "只有区政务服务管理办可以设定工作标准和发布通报"


# The standards -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Thresholds:
    min_on_time_rate: float | None = None
    min_satisfaction: float | None = None
    max_notice_violations: int | None = None
    max_registry_gaps: int | None = None
    max_deemed_acceptances: int | None = None
    min_consultations_answered_in_day: float | None = None


def set_standard(session: Session, actor: Staff, start: date | None, end: date | None,
                 thresholds: Thresholds, now: datetime) -> WorkingStandard:
    """Set (or replace) the standards of a period; a district admin's."""
    scope.require_role(actor, scope.DISTRICT_ADMINS, STANDARDS_ONLY)
    problems: dict[str, list[str]] = {}
    if start is None or end is None:
        problems["period"] = ["请填写标准适用的起止日期"]
    elif end < start:
        problems["period"] = ["结束日期不能早于开始日期"]
    t = thresholds
    for name, value, low, high in (
            ("min_on_time_rate", t.min_on_time_rate, 0, 1),
            ("min_satisfaction", t.min_satisfaction, 1, 5),
            ("max_notice_violations", t.max_notice_violations, 0, 10000),
            ("max_registry_gaps", t.max_registry_gaps, 0, 10000),
            ("max_deemed_acceptances", t.max_deemed_acceptances, 0, 10000),
            ("min_consultations_answered_in_day", t.min_consultations_answered_in_day, 0, 1)):
        if value is not None and not low <= value <= high:
            problems[name] = [f"应在{low}至{high}之间"]
    if all(v is None for v in vars(t).values()):
        problems["thresholds"] = ["请至少设定一项标准"]
    if problems:
        raise InvalidInput("工作标准有误", problems)
    standard = session.scalar(select(WorkingStandard).where(
        WorkingStandard.period_start == start, WorkingStandard.period_end == end))
    if standard is None:
        standard = WorkingStandard(period_start=start, period_end=end)
        session.add(standard)
    for name, value in vars(t).items():
        setattr(standard, name, value)
    standard.created_by, standard.created_at = actor, now
    session.flush()
    return standard


def standard_for(session: Session, start: date, end: date) -> WorkingStandard | None:
    """The standards in force for a period: of the set periods that cover it, the one that
    starts latest (then ends earliest)."""
    return session.scalar(select(WorkingStandard).where(
        WorkingStandard.period_start <= start, WorkingStandard.period_end >= end)
        .order_by(WorkingStandard.period_start.desc(), WorkingStandard.period_end)
        .limit(1))


# The inspection ------------------------------------------------------------------------------

@dataclass
class UnitVerdict:
    figures: UnitFigures
    registry_gaps: int | None  # places and departments; None for agents
    judged: bool  # False: 样本不足
    failures: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # thresholds with no figure to check

    @property
    def passed(self) -> bool:
        return self.judged and not self.failures

    @property
    def label(self) -> str:
        if not self.judged:
            return INSUFFICIENT_SAMPLE
        return "达标" if self.passed else "不达标"

    @property
    def verdict(self) -> str:
        if not self.judged:
            return INSUFFICIENT_SAMPLE
        return "；".join(self.failures) if self.failures else "各项标准均达标"


@dataclass
class Inspection:
    report: InspectionReport
    standard: WorkingStandard | None
    # Per kind of unit (the report's sections, in order): the verdicts, by code.
    sections: list[tuple[str, list[UnitVerdict]]]

    def verdict(self, kind: str, code: str) -> UnitVerdict | None:
        for section_kind, verdicts in self.sections:
            if section_kind == kind:
                return next((v for v in verdicts if v.figures.code == code), None)
        return None


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def judge(unit: UnitFigures, standard: WorkingStandard, registry_gaps: int | None,
          min_cases: int, consultations_in_day: float | None = None) -> UnitVerdict:
    """One unit against the standards: each threshold failed, in Chinese, with the figure.
    `consultations_in_day`: the place's share of consultations answered by their due day (None:
    no consultations, or not a place)."""
    verdict = UnitVerdict(unit, registry_gaps, judged=unit.cases >= min_cases)
    if not verdict.judged:
        return verdict
    s = standard
    if s.min_on_time_rate is not None:
        if unit.on_time_rate is None:
            verdict.skipped.append("按时办结率（无应办结的办件）")
        elif unit.on_time_rate < s.min_on_time_rate:
            verdict.failures.append(f"按时办结率{_percent(unit.on_time_rate)}，低于标准"
                                    f"{_percent(s.min_on_time_rate)}")
    if s.min_satisfaction is not None:
        if unit.satisfaction_average is None:
            verdict.skipped.append("满意度（无评价）")
        elif unit.satisfaction_average < s.min_satisfaction:
            verdict.failures.append(f"满意度平均分{unit.satisfaction_average:.2f}，低于标准"
                                    f"{s.min_satisfaction:.2f}")
    if s.max_notice_violations is not None and unit.notice_violations > s.max_notice_violations:
        verdict.failures.append(f"一次性告知违规{unit.notice_violations}次，超过标准"
                                f"{s.max_notice_violations}次")
    if s.max_deemed_acceptances is not None and unit.deemed_acceptances > s.max_deemed_acceptances:
        verdict.failures.append(f"逾期视为受理{unit.deemed_acceptances}件，超过标准"
                                f"{s.max_deemed_acceptances}件")
    if s.max_registry_gaps is not None:
        if registry_gaps is None:
            verdict.skipped.append("登记备案缺口（不适用于个人）")
        elif registry_gaps > s.max_registry_gaps:
            verdict.failures.append(f"登记备案缺口{registry_gaps}项，超过标准"
                                    f"{s.max_registry_gaps}项")
    if s.min_consultations_answered_in_day is not None:
        rate = consultations_in_day
        if rate is None:
            verdict.skipped.append("咨询当日答复率（无咨询数据）" if unit.kind == "place"
                                   else "咨询当日答复率（按服务场所考核）")
        elif rate < s.min_consultations_answered_in_day:
            verdict.failures.append(f"咨询当日答复率{_percent(rate)}，低于标准"
                                    f"{_percent(s.min_consultations_answered_in_day)}")
    return verdict


def registry_gaps(session: Session, staff: Staff, today: date) -> dict[tuple[str, str], int]:
    """The registry's gaps as they stand today, counted per place and per department."""
    gaps = compliance_gaps(session, staff, today)
    counts: Counter = Counter()
    for row in gaps.stations_without_agent:
        counts[("place", row.place_code)] += 1
        counts[("department", row.department_code)] += 1
    for row in gaps.self_service_unstaffed:
        counts[("place", row.place_code)] += 1
    for row in gaps.agents_never_on_rota:
        counts[("place", row.place_code)] += 1
    return counts


def inspect(session: Session, staff: Staff, start: date, end: date, *, today: date,
            min_cases: int, timezone: str) -> Inspection:
    """The inspection report of the period with each unit's verdict against the standards in
    force (none set: the report without verdicts)."""
    report = inspection_report(session, staff, start, end, today=today, min_cases=min_cases,
                               timezone=timezone)
    standard = standard_for(session, start, end)
    gaps = registry_gaps(session, staff, today) if standard is not None else {}
    in_day = {row.place: row.in_time_share
              for row in (report.service.consultations_by_place if report.service else [])}
    sections = []
    for section in report.sections:
        verdicts = []
        if standard is not None:
            for unit in [*section.ranked, *section.insufficient]:
                counted = (None if section.kind == "agent"
                           else gaps.get((section.kind, unit.code), 0))
                verdicts.append(judge(unit, standard, counted, min_cases,
                                      in_day.get(unit.name) if section.kind == "place" else None))
        sections.append((section.kind, verdicts))
    return Inspection(report, standard, sections)


# Inspection visits ---------------------------------------------------------------------------

def record_visit(session: Session, actor: Staff, *, visited_on: date | None, place_code: str,
                 department_code: str | None, inspectors: list[str], findings: str,
                 followup_due: date | None, now: datetime, today: date) -> InspectionVisit:
    """An inspection visit, recorded by the district office or an inspector."""
    scope.require_role(actor, scope.DISTRICT_WIDE_ROLES, "只有区政务服务管理办或督查人员可以记录检查")
    problems: dict[str, list[str]] = {}
    place = session.scalar(select(Place).where(Place.code == (place_code or "")))
    if place is None:
        problems["place"] = [f"未知的场所 {place_code}"]
    department = None
    if department_code:
        department = session.scalar(select(Department).where(Department.code == department_code))
        if department is None:
            problems["department"] = [f"未知的部门 {department_code}"]
    if visited_on is None or visited_on > today:
        problems["visited_on"] = ["请填写检查日期（不晚于今天）"]
    names = [u for u in dict.fromkeys(u.strip() for u in inspectors if u and u.strip())]
    people = session.scalars(select(Staff).where(Staff.username.in_(names or [""]),
                                                 Staff.active.is_(True))).all()
    missing = sorted(set(names) - {p.username for p in people})
    if not names:
        problems["inspectors"] = ["请至少选择一名检查人员"]
    elif missing:
        problems["inspectors"] = ["未知或已停用的工作人员：" + "、".join(missing)]
    findings = (findings or "").strip()
    if not findings:
        problems["findings"] = ["请填写检查发现的问题"]
    if followup_due is not None and visited_on is not None and followup_due < visited_on:
        problems["followup_due"] = ["整改期限不能早于检查日期"]
    if problems:
        raise InvalidInput("检查记录有误", problems)
    visit = InspectionVisit(visited_on=visited_on, place=place, department=department,
                            findings=findings, followup_due=followup_due, recorded_by=actor,
                            created_at=now, inspectors=sorted(people, key=lambda p: p.username))
    session.add(visit)
    session.flush()
    return visit


# 通报 ------------------------------------------------------------------------------------------

def publish_bulletin(session: Session, actor: Staff, *, kind: str, start: date, end: date,
                     units: list[tuple[str, str]], title: str, body: str | None, now: datetime,
                     today: date, min_cases: int, timezone: str) -> Bulletin:
    """Publish a 通报 naming units (kind, code) of the period's inspection: a criticism only of
    units judged and failing a standard, a commendation only of units judged and passing every
    one; never of a unit below the minimum sample. The figures are kept as they stand now."""
    scope.require_role(actor, scope.DISTRICT_ADMINS, STANDARDS_ONLY)
    if kind not in BULLETIN_KINDS:
        raise InvalidInput("通报类型有误", {"kind": ["应为：" + "、".join(BULLETIN_KINDS)]})
    inspection = inspect(session, actor, start, end, today=today, min_cases=min_cases,
                         timezone=timezone)
    if inspection.standard is None:
        raise InvalidState("该期间尚未设定工作标准，不能据以通报", {"period": [f"{start} 至 {end}"]})
    problems: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not 1 <= len(title) <= 100:
        problems["title"] = ["标题应为1至100个字符"]
    if not units:
        problems["units"] = ["请至少选择一个通报对象"]
    chosen: list[UnitVerdict] = []
    for unit_kind, code in dict.fromkeys(units):
        verdict = inspection.verdict(unit_kind, code)
        if verdict is None:
            problems.setdefault("units", []).append(f"报告中没有该单位：{code}")
        elif not verdict.judged:
            problems.setdefault("units", []).append(
                f"{verdict.figures.name}办件量{verdict.figures.cases}件，少于{min_cases}件"
                f"（{INSUFFICIENT_SAMPLE}），不能通报")
        elif kind == "criticism" and verdict.passed:
            problems.setdefault("units", []).append(f"{verdict.figures.name}各项标准均达标，不能通报批评")
        elif kind == "commendation" and not verdict.passed:
            problems.setdefault("units", []).append(f"{verdict.figures.name}未达标，不能通报表扬")
        else:
            chosen.append(verdict)
    if problems:
        raise InvalidInput("通报信息有误", problems)
    year = now.year
    count = session.scalar(select(func.count()).select_from(Bulletin).where(
        Bulletin.number.like(f"博政管通〔{year}〕%"))) or 0
    bulletin = Bulletin(number=f"博政管通〔{year}〕{count + 1}号", kind=kind, title=title,
                        period_start=start, period_end=end, body=(body or "").strip() or None,
                        published_by=actor, published_at=now)
    for v in chosen:
        u = v.figures
        bulletin.entries.append(BulletinEntry(
            unit_kind=u.kind, unit_code=u.code, unit_name=u.name, cases=u.cases,
            on_time_rate=u.on_time_rate, satisfaction=u.satisfaction_average,
            notice_violations=u.notice_violations, deemed_acceptances=u.deemed_acceptances,
            registry_gaps=v.registry_gaps, verdict=v.verdict))
    session.add(bulletin)
    session.flush()
    return bulletin


def bulletin_for(session: Session, staff: Staff, bulletin_id: int) -> Bulletin:
    """Published to staff: every staff member reads every 通报."""
    bulletin = session.get(Bulletin, bulletin_id)
    if bulletin is None:
        raise NotFound("未找到该通报", {"bulletin": bulletin_id})
    return bulletin


ENTRY_HEADERS = ["单位类别", "编码", "名称", "办件量", "按时办结率", "满意度平均分",
                 "一次性告知违规次数", "逾期视为受理", "登记备案缺口", "对照标准"]
UNIT_KIND_LABELS = {"place": "服务场所", "department": "部门", "agent": "帮办代办员"}


def _entry_cells(e: BulletinEntry) -> list:
    return [UNIT_KIND_LABELS.get(e.unit_kind, e.unit_kind), e.unit_code, e.unit_name, e.cases,
            _percent(e.on_time_rate) if e.on_time_rate is not None else "—",
            f"{e.satisfaction:.2f}" if e.satisfaction is not None else "—",
            e.notice_violations, e.deemed_acceptances,
            e.registry_gaps if e.registry_gaps is not None else "—", e.verdict]


def bulletin_pdf(bulletin: Bulletin, tz: tzinfo, font_path: str) -> bytes:
    headers = ["名称", "办件量", "按时办结率", "满意度", "告知违规", "视为受理", "对照标准"]
    rows = [[e.unit_name, str(e.cases), *(_entry_cells(e)[4:8]), e.verdict]
            for e in bulletin.entries]
    rows = [[str(c) for c in r] for r in rows]
    paragraphs = [bulletin.body] if bulletin.body else []
    paragraphs.append(f"以上数据为报告期 {bulletin.period_start} 至 {bulletin.period_end} "
                      f"的定期检查统计，截至通报发布时；办件量不足最低样本量的单位不予通报。")
    paper = Paper(hall=DISTRICT_OFFICE, title=f"{bulletin.kind_label}：{bulletin.title}",
                  number=bulletin.number, number_label="文号",
                  issued_at=bulletin.published_at.astimezone(tz),
                  fields=[("通报类型", bulletin.kind_label),
                          ("报告期", f"{bulletin.period_start} 至 {bulletin.period_end}"),
                          ("发布人", bulletin.published_by.name)],
                  table=(headers, rows), table_title="通报对象及数据",
                  paragraphs=paragraphs)
    return render(paper, font_path)


def bulletin_xlsx(bulletin: Bulletin) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = bulletin.kind_label
    append_row(sheet, [f"{bulletin.number} {bulletin.kind_label}：{bulletin.title}"])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, ["报告期", f"{bulletin.period_start} 至 {bulletin.period_end}"])
    append_row(sheet, ["发布人", bulletin.published_by.name])
    if bulletin.body:
        append_row(sheet, ["内容", bulletin.body])
    append_row(sheet, [""])
    append_row(sheet, ENTRY_HEADERS)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for e in bulletin.entries:
        append_row(sheet, _entry_cells(e))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bulletin_file_name(bulletin: Bulletin, extension: str) -> str:
    return f"{bulletin.number}{bulletin.kind_label}.{extension}"
