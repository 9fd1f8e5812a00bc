"""定期检查: the inspection report per place, department and agent for a period (seed 四(五)).

Every figure is counted by the database (GROUP BY per kind of unit, a handful of queries per
report, whatever the number of rows); Python only adds the rows up and ranks the units. The
figures keep their numerators and denominators, so that the totals are exact sums and the rates
are derived in one place (the properties of `UnitFigures`). `DEFINITIONS` says in Chinese how each
figure is counted: the admin page prints it and the XLSX export writes it.

Who may read a report: district admins and inspectors, for the whole district; a place manager,
for their places (units are the places, the departments stationed there and the agents working
there, counted over those places' bookings and cases only). Agents are refused: a report ranks
colleagues, and an agent's own workload is on their dashboard.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Integer, and_, case, cast, column, func, or_, select, values
from sqlalchemy.orm import Session

from ..errors import Forbidden, InvalidInput
from ..models import (
    FLOOR_OUTCOMES, QUESTION_KINDS, Consultation, FloorQuestion, Suggestion,
    FINISHED, Booking, Case, Department, Extension, MissingMaterialNotice, Place, Review,
    ServiceItem, Slot, Staff, Station, Suspension, staff_place,
)
from ..models.case import BAD_REVIEW_MAX_SCORE, REVIEW_LEVELS
from . import scope
from .calendar import load_calendar
from .cases.reviews import FOLLOWUP_WORKING_DAYS
from .queue.report import QUEUE_DEFINITIONS, queue_figures
from .training import has_current_training

# The longest period one report may cover.
MAX_PERIOD_DAYS = 366
UNIT_KINDS = {"place": "服务场所", "department": "部门", "agent": "帮办代办员"}
INSUFFICIENT_SAMPLE = "样本不足"
# Cases that leave the statistics of deadlines: never accepted, or given up by the applicant.
NOT_JUDGED = ("withdrawn", "rejected", "terminated")


@dataclass(frozen=True)
class Definition:
    key: str
    label: str
    definition: str


def _definitions(min_cases: int) -> list[Definition]:
    return [
        Definition("bookings", "预约量",
                   "时段日期在报告期内、未取消的预约数（含已签到、未到和待签到）。"
                   "部门按预约事项的主办部门统计；帮办代办员不统计预约。"),
        Definition("x_share", "5+X 预约占比",
                   "上述预约中，错时延时、周末和节假日（5+X）时段的预约所占比例。"),
        Definition("no_show_rate", "爽约率",
                   "已有结果的预约（已签到与未到之和）中，未到（爽约）所占比例。"),
        Definition("cases", "办件量",
                   "报告期内提交的帮办、代办申请数（按提交时间），分帮办与代办，其中窗口受理的件数"
                   "（其余为小程序申请）；"
                   "部门按牵头部门统计，帮办代办员按办件的负责人统计。"),
        Definition("completed", "办结量", "报告期内办结的办件数（按办结时间）。"),
        Definition("on_time_rate", "按时办结率",
                   "报告期内办结的办件中在承诺时限（截止日期，已按特别程序、中止委托暂停的工作日"
                   "和批准的延长顺延；申请人原因造成的延误因此不计为超期）当天或之前办结的件数，除以报告期内"
                   "办结件数与截至期末（报告期未结束的，截至今日）已超过截止日期仍未办结的件数之和。"
                   "已超期未办结的办件计为超期（特别程序或中止进行中、暂停计时的除外）；"
                   "撤回、不予受理和终止委托的办件不计。"),
        Definition("average_working_days", "平均办理时长（工作日）",
                   "报告期内办结的办件，从受理之日到办结之日经过的法定工作日数的平均值"
                   "（按法定节假日与调休安排计算，受理当日不计）。"),
        Definition("deemed_acceptances", "逾期视为受理",
                   "受理日期在报告期内、因收件后5个工作日内未审查（未受理也未一次性告知）而依"
                   "《行政许可法》第三十二条自收件之日起视为受理的办件数，计为受理环节的失误。"),
        Definition("suspensions", "特别程序与中止",
                   "报告期内开始的特别程序（听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审、"
                   "现场勘查等，依《行政许可法》第四十五条不计入办理时限）的次数，其中因申请人原因中止"
                   "委托的次数另列。"),
        Definition("extensions", "延长办理时限",
                   "报告期内经场所管理员批准延长办理时限（《行政许可法》第四十二条）的次数。"),
        Definition("notice_violations", "一次性告知违规次数",
                   "报告期内出具的补正告知中，告知了首次告知未列出的材料（违反一次性告知）的次数。"),
        Definition("satisfaction", "满意度",
                   "报告期内收到的好差评：各等级（" + "、".join(
                       f"{score}分{label}" for score, label in REVIEW_LEVELS.items())
                   + "）的件数和平均分。"),
        Definition("followup_rate", "差评按期整改率",
                   f"报告期内收到的差评（{BAD_REVIEW_MAX_SCORE}分及以下）中，在{FOLLOWUP_WORKING_DAYS}"
                   f"个工作日内完成回访整改的比例；尚未整改且未到期的差评不计入。"),
        Definition("ranking", "排名",
                   f"只对报告期内办件量不少于{min_cases}件的单位排名：先按按时办结率从高到低，"
                   f"相同时按满意度平均分从高到低，再按办件量从多到少；"
                   f"办件量不足{min_cases}件的单位列为“{INSUFFICIENT_SAMPLE}”，不参与排名。"),
    ]


@dataclass
class UnitFigures:
    """One unit's figures, as counts; the rates are derived below (None when nothing to divide).
    Booking figures are None for agents (a booking names no agent)."""
    kind: str  # place, department, agent, or "total"
    code: str  # a place's or department's code, an agent's username
    name: str
    bookings: int | None = 0
    x_bookings: int | None = 0
    attended: int | None = 0  # checked in or no-show: the bookings with an outcome
    no_shows: int | None = 0
    cases: int = 0
    assist_cases: int = 0
    proxy_cases: int = 0
    window_cases: int = 0  # taken at a window (channel "window"); the rest applied online
    completed: int = 0
    completed_on_time: int = 0
    open_overdue: int = 0
    working_days_total: int = 0
    working_days_counted: int = 0
    notice_violations: int = 0
    deemed_acceptances: int = 0
    suspensions: int = 0
    applicant_suspensions: int = 0  # of which the applicant's (a 代办 commission's 中止)
    extensions: int = 0
    reviews_by_score: dict[int, int] = field(default_factory=lambda: {s: 0 for s in REVIEW_LEVELS})
    review_score_total: int = 0
    bad_reviews_judged: int = 0
    bad_reviews_followed_up_in_time: int = 0
    rank: int | None = None

    @property
    def x_share(self) -> float | None:
        return _ratio(self.x_bookings, self.bookings)

    @property
    def no_show_rate(self) -> float | None:
        return _ratio(self.no_shows, self.attended)

    @property
    def on_time_rate(self) -> float | None:
        return _ratio(self.completed_on_time, self.completed + self.open_overdue)

    @property
    def late(self) -> int:
        """Completed late, or still open past the due date."""
        return self.completed - self.completed_on_time + self.open_overdue

    @property
    def average_working_days(self) -> float | None:
        return _ratio(self.working_days_total, self.working_days_counted)

    @property
    def reviews(self) -> int:
        return sum(self.reviews_by_score.values())

    @property
    def satisfaction_average(self) -> float | None:
        return _ratio(self.review_score_total, self.reviews)

    @property
    def followup_rate(self) -> float | None:
        return _ratio(self.bad_reviews_followed_up_in_time, self.bad_reviews_judged)

    def add(self, other: UnitFigures) -> None:
        for name in ("bookings", "x_bookings", "attended", "no_shows", "cases", "assist_cases",
                     "proxy_cases", "window_cases", "completed", "completed_on_time", "open_overdue",
                     "working_days_total", "working_days_counted", "notice_violations",
                     "deemed_acceptances", "suspensions", "applicant_suspensions", "extensions",
                     "review_score_total", "bad_reviews_judged",
                     "bad_reviews_followed_up_in_time"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine is not None and theirs is not None:
                setattr(self, name, mine + theirs)
        for score, n in other.reviews_by_score.items():
            self.reviews_by_score[score] += n


def _ratio(numerator: int | None, denominator: int | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


@dataclass
class ReportSection:
    kind: str
    label: str
    ranked: list[UnitFigures]  # by rank
    insufficient: list[UnitFigures]  # 样本不足: fewer cases than the minimum, by code


@dataclass
class InspectionReport:
    start: date
    end: date
    # The day the report looks from: the period's end, or today while the period runs.
    as_of: date
    min_cases: int
    scope_label: str
    total: UnitFigures
    sections: list[ReportSection]
    definitions: list[Definition]
    # The hall's queue (取号叫号): figures per place, queue, window and day.
    queue: dict[str, list[Any]] = field(default_factory=dict)
    # Consultation, the floor's questions, training and suggestions (seed 二(三), 三(一)).
    service: ServiceFigures | None = None

    @property
    def period_label(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"


# The columns of the report, in order, for the page and the XLSX export alike: (header, value).
# The figures, in the groups the page and the workbook head them with.
Column = tuple[str, Callable[[UnitFigures], Any]]
REPORT_GROUPS: list[tuple[str, list[Column]]] = [
    ("预约", [
        ("预约量", lambda u: u.bookings),
        ("5+X 预约量", lambda u: u.x_bookings),
        ("5+X 预约占比", lambda u: u.x_share),
        ("已签到与未到", lambda u: u.attended),
        ("未到（爽约）", lambda u: u.no_shows),
        ("爽约率", lambda u: u.no_show_rate),
    ]),
    ("办件", [
        ("办件量", lambda u: u.cases),
        ("帮办", lambda u: u.assist_cases),
        ("代办", lambda u: u.proxy_cases),
        ("窗口受理", lambda u: u.window_cases),
        ("办结量", lambda u: u.completed),
        ("一次性告知违规次数", lambda u: u.notice_violations),
        ("逾期视为受理", lambda u: u.deemed_acceptances),
    ]),
    ("时限", [
        ("按时办结", lambda u: u.completed_on_time),
        ("超期未办结", lambda u: u.open_overdue),
        ("按时办结率", lambda u: u.on_time_rate),
        ("平均办理时长（工作日）", lambda u: u.average_working_days),
        ("特别程序与中止", lambda u: u.suspensions),
        ("其中申请人原因中止", lambda u: u.applicant_suspensions),
        ("延长办理时限", lambda u: u.extensions),
    ]),
    ("评价", [
        *[(f"{score}分（{label}）", lambda u, s=score: u.reviews_by_score[s])
          for score, label in REVIEW_LEVELS.items()],
        ("评价数", lambda u: u.reviews),
        ("满意度平均分", lambda u: u.satisfaction_average),
        ("应整改差评", lambda u: u.bad_reviews_judged),
        ("按期整改", lambda u: u.bad_reviews_followed_up_in_time),
        ("差评按期整改率", lambda u: u.followup_rate),
    ]),
]
REPORT_COLUMNS: list[Column] = [column for _, columns in REPORT_GROUPS for column in columns]
# Columns holding a share (shown as a percentage) or an average (shown with decimals).
PERCENT_COLUMNS = frozenset({"5+X 预约占比", "爽约率", "按时办结率", "差评按期整改率"})
DECIMAL_COLUMNS = frozenset({"平均办理时长（工作日）", "满意度平均分"})


# Time ----------------------------------------------------------------------------------------

def day_start(d: date, tz: ZoneInfo) -> datetime:
    """The instant a local day begins: periods select rows by instant ranges, which indexes
    serve, rather than by a computed local date."""
    return datetime.combine(d, time(0), tz)


def local_date(session: Session, instant, tz: ZoneInfo, around: date):
    """The local date of a stored instant, as SQL. SQLite has no time zones: there the zone's
    offset at `around` is used (the halls' zone, Asia/Shanghai, has had no summer time since
    1991)."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone(tz.key, instant), Date)
    offset = day_start(around, tz).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    return func.date(instant, f"{minutes:+d} minutes")


def _workday_index(session: Session, first: date, last: date):
    """A table (day, ordinal) over every calendar day from `first` to `last`: `ordinal` counts
    the statutory working days up to and including the day, so the working days after day A up
    to day B are ordinal(B) - ordinal(A). The calendar (with its overrides) decides."""
    calendar = load_calendar(session)
    rows, ordinal, d = [], 0, first
    while d <= last:
        if calendar.is_working_day(d):
            ordinal += 1
        rows.append((d, ordinal))
        d += timedelta(days=1)
    return values(column("day", Date), column("ordinal", Integer),
                  name="workday_index").data(rows).cte("workday_index")


# The report ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Unit:
    kind: str
    case_key: Any  # the case column naming the unit
    booking_key: Any | None  # the booking's column naming it (None: bookings not counted)
    booking_join: Any | None = None  # a table to join for booking_key


UNITS = [
    _Unit("place", Case.place_id, Booking.place_id),
    _Unit("department", Case.lead_department_id, ServiceItem.department_id, ServiceItem),
    _Unit("agent", Case.agent_id, None),
]


def check_period(start: date, end: date, today: date) -> None:
    problems = {}
    if end < start:
        problems["end"] = ["结束日期不能早于开始日期"]
    elif (end - start).days + 1 > MAX_PERIOD_DAYS:
        problems["end"] = [f"报告期最长{MAX_PERIOD_DAYS}天"]
    if start > today:
        problems["start"] = ["报告期不能从未来开始"]
    if problems:
        raise InvalidInput("报告期有误", problems)


def may_read_reports(staff: Staff) -> None:
    if staff.role not in scope.OVERSEERS:
        raise Forbidden(f"{staff.role_label}不能查看检查报告")


def inspection_report(session: Session, staff: Staff, start: date, end: date, *, today: date,
                      min_cases: int, timezone: str) -> InspectionReport:
    """The report for the days `start` to `end` (inclusive), within what `staff` may see."""
    may_read_reports(staff)
    check_period(start, end, today)
    tz = ZoneInfo(timezone)
    as_of = min(end, today)
    period = _Period(session, staff, start, end, as_of, tz)

    sections, total = [], UnitFigures("total", "", "合计")
    for unit in UNITS:
        figures = period.figures(unit)
        if unit.kind == "place":
            for row in figures:
                total.add(row)
        sections.append(_rank(unit.kind, figures, min_cases))
    definitions = _definitions(min_cases) + [
        Definition(f"queue_{i}", label, text) for i, (label, text) in enumerate(QUEUE_DEFINITIONS)]
    return InspectionReport(start, end, as_of, min_cases, _scope_label(session, staff), total,
                            sections, definitions, queue_figures(session, staff, start, end),
                            service_figures(session, period))


def _scope_label(session: Session, staff: Staff) -> str:
    if scope.sees_every_place(staff):
        return "全区"
    names = session.scalars(select(Place.name).where(scope.in_own_places(staff, Place.id))
                            .order_by(Place.code))
    return "、".join(names) or "（无场所）"


def _rank_key(unit: UnitFigures):
    rate, average = unit.on_time_rate, unit.satisfaction_average
    return (rate is None, -(rate or 0), average is None, -(average or 0), -unit.cases, unit.code)


def _rank(kind: str, figures: list[UnitFigures], min_cases: int) -> ReportSection:
    eligible = sorted((u for u in figures if u.cases >= min_cases), key=_rank_key)
    previous, rank = None, 0
    for position, unit in enumerate(eligible, start=1):
        key = _rank_key(unit)[:4]
        if key != previous:  # units alike on every ranking figure share a rank
            rank, previous = position, key
        unit.rank = rank
    insufficient = sorted((u for u in figures if u.cases < min_cases), key=lambda u: u.code)
    return ReportSection(kind, UNIT_KINDS[kind], eligible, insufficient)


class _Period:
    """The queries of one report: the same period, cut-off and scope for every kind of unit."""

    def __init__(self, session: Session, staff: Staff, start: date, end: date, as_of: date,
                 tz: ZoneInfo):
        self.session, self.staff, self.start, self.end, self.as_of = session, staff, start, end, as_of
        self.tz = tz
        self.since, self.until = day_start(start, tz), day_start(end + timedelta(days=1), tz)
        # Not finished by the end of the cut-off day.
        self.as_of_end = day_start(as_of + timedelta(days=1), tz)
        self.workdays = self._completed_workdays()

    def in_scope(self, place_column):
        return scope.in_own_places(self.staff, place_column)

    def local_date(self, instant):
        return local_date(self.session, instant, self.tz, self.start)

    def _completed_workdays(self):
        first = self.session.scalar(select(func.min(Case.accepted_on)).where(*self._completed()))
        return _workday_index(self.session, min(first or self.start, self.start), self.end)

    def _completed(self):
        return (Case.status.in_(FINISHED), Case.finished_at >= self.since,
                Case.finished_at < self.until, self.in_scope(Case.place_id))

    def figures(self, unit: _Unit) -> list[UnitFigures]:
        rows: dict[Any, UnitFigures] = {}
        names = self._units(unit.kind)
        for key, (code, name) in names.items():
            rows[key] = UnitFigures(unit.kind, code, name)
            if unit.booking_key is None:
                rows[key].bookings = rows[key].x_bookings = None
                rows[key].attended = rows[key].no_shows = None

        def row(key) -> UnitFigures | None:
            return rows.get(key)

        if unit.booking_key is not None:
            for key, n, x, attended, no_shows in self._bookings(unit):
                if (r := row(key)) is not None:
                    r.bookings, r.x_bookings, r.attended, r.no_shows = n, x, attended, no_shows
        for key, n, assist, proxy, window in self._cases(unit):
            if (r := row(key)) is not None:
                r.cases, r.assist_cases, r.proxy_cases, r.window_cases = n, assist, proxy, window
        for key, n, on_time, days, counted in self._completions(unit):
            if (r := row(key)) is not None:
                r.completed, r.completed_on_time = n, on_time
                r.working_days_total, r.working_days_counted = days or 0, counted
        for key, n in self._open_overdue(unit):
            if (r := row(key)) is not None:
                r.open_overdue = n
        for key, n in self._violations(unit):
            if (r := row(key)) is not None:
                r.notice_violations = n
        for key, n in self._deemed(unit):
            if (r := row(key)) is not None:
                r.deemed_acceptances = n
        for key, n, by_applicant in self._suspensions(unit):
            if (r := row(key)) is not None:
                r.suspensions, r.applicant_suspensions = n, by_applicant
        for key, n in self._extensions(unit):
            if (r := row(key)) is not None:
                r.extensions = n
        for key, *counts in self._reviews(unit):
            if (r := row(key)) is not None:
                *by_score, total, judged, in_time = counts
                r.reviews_by_score = dict(zip(REVIEW_LEVELS, by_score))
                r.review_score_total, r.bad_reviews_judged = total or 0, judged
                r.bad_reviews_followed_up_in_time = in_time
        return list(rows.values())

    # Which units a section lists: every one in scope, with or without activity.
    def _units(self, kind: str) -> dict[Any, tuple[str, str]]:
        if kind == "place":
            query = select(Place.id, Place.code, Place.name).where(self.in_scope(Place.id))
        elif kind == "department":
            query = select(Department.id, Department.code, Department.name).where(
                Department.id.in_(select(Station.department_id).where(
                    self.in_scope(Station.place_id)))
                | Department.id.in_(select(Case.lead_department_id).where(
                    Case.created_at >= self.since, Case.created_at < self.until,
                    self.in_scope(Case.place_id))))
        else:
            query = select(Staff.id, Staff.username, Staff.name).where(
                (Staff.role == "agent") & Staff.id.in_(select(staff_place.c.staff_id).where(
                    self.in_scope(staff_place.c.place_id)))
                | Staff.id.in_(select(Case.agent_id).where(
                    Case.created_at >= self.since, Case.created_at < self.until,
                    self.in_scope(Case.place_id))))
        return {key: (code, name) for key, code, name in self.session.execute(query)}

    def _bookings(self, unit: _Unit) -> Iterable[tuple]:
        query = select(
            unit.booking_key, func.count(),
            func.sum(case((Slot.kind != "regular", 1), else_=0)),
            func.sum(case((Booking.status.in_(("checked_in", "no_show")), 1), else_=0)),
            func.sum(case((Booking.status == "no_show", 1), else_=0)),
        ).select_from(Booking).join(Slot, Slot.id == Booking.slot_id)
        if unit.booking_join is not None:
            query = query.join(ServiceItem, ServiceItem.id == Booking.item_id)
        return self.session.execute(query.where(
            Slot.date >= self.start, Slot.date <= self.end, Booking.status != "cancelled",
            self.in_scope(Booking.place_id)).group_by(unit.booking_key))

    def _cases(self, unit: _Unit) -> Iterable[tuple]:
        return self.session.execute(select(
            unit.case_key, func.count(),
            func.sum(case((Case.help_type == "assist", 1), else_=0)),
            func.sum(case((Case.help_type == "proxy", 1), else_=0)),
            func.sum(case((Case.channel == "window", 1), else_=0)),
        ).where(Case.created_at >= self.since, Case.created_at < self.until,
                self.in_scope(Case.place_id)).group_by(unit.case_key))

    def _completions(self, unit: _Unit) -> Iterable[tuple]:
        accepted = self.workdays.alias("accepted_day")
        finished = self.workdays.alias("finished_day")
        finished_on = self.local_date(Case.finished_at)
        days = finished.c.ordinal - accepted.c.ordinal
        return self.session.execute(
            select(unit.case_key, func.count(),
                   func.sum(case((finished_on <= Case.due_date, 1), else_=0)),
                   func.sum(days), func.count(days))
            .select_from(Case)
            .outerjoin(accepted, accepted.c.day == Case.accepted_on)
            .outerjoin(finished, finished.c.day == finished_on)
            .where(*self._completed()).group_by(unit.case_key))

    def _open_overdue(self, unit: _Unit) -> Iterable[tuple]:
        return self.session.execute(select(unit.case_key, func.count()).where(
            Case.due_date < self.as_of, Case.status.not_in(NOT_JUDGED),
            or_(Case.finished_at.is_(None), Case.finished_at >= self.as_of_end),
            # A case whose clock is paused (a suspension under way) is not late.
            or_(Case.suspended_since.is_(None), Case.suspended_since > self.as_of),
            self.in_scope(Case.place_id)).group_by(unit.case_key))

    def _violations(self, unit: _Unit) -> Iterable[tuple]:
        return self.session.execute(
            select(unit.case_key, func.count()).select_from(MissingMaterialNotice)
            .join(Case, Case.id == MissingMaterialNotice.case_id)
            .where(MissingMaterialNotice.violates_one_time_rule.is_(True),
                   MissingMaterialNotice.created_at >= self.since,
                   MissingMaterialNotice.created_at < self.until,
                   self.in_scope(Case.place_id)).group_by(unit.case_key))

    def _deemed(self, unit: _Unit) -> Iterable[tuple]:
        return self.session.execute(
            select(unit.case_key, func.count()).where(
                Case.deemed_accepted.is_(True), Case.accepted_on >= self.start,
                Case.accepted_on <= self.end, self.in_scope(Case.place_id))
            .group_by(unit.case_key))

    def _suspensions(self, unit: _Unit) -> Iterable[tuple]:
        return self.session.execute(
            select(unit.case_key, func.count(),
                   func.sum(case((Suspension.cause == "applicant", 1), else_=0)))
            .select_from(Suspension).join(Case, Case.id == Suspension.case_id)
            .where(Suspension.started_on >= self.start, Suspension.started_on <= self.end,
                   self.in_scope(Case.place_id)).group_by(unit.case_key))

    def _extensions(self, unit: _Unit) -> Iterable[tuple]:
        return self.session.execute(
            select(unit.case_key, func.count()).select_from(Extension)
            .join(Case, Case.id == Extension.case_id)
            .where(Extension.decided_at >= self.since, Extension.decided_at < self.until,
                   self.in_scope(Case.place_id)).group_by(unit.case_key))

    def _reviews(self, unit: _Unit) -> Iterable[tuple]:
        bad = Review.score <= BAD_REVIEW_MAX_SCORE
        closed = Review.followup_closed_at.is_not(None)
        judged = and_(bad, or_(closed, Review.followup_due < self.as_of))
        in_time = and_(bad, closed, self.local_date(Review.followup_closed_at) <= Review.followup_due)
        return self.session.execute(
            select(unit.case_key,
                   *[func.sum(case((Review.score == score, 1), else_=0)) for score in REVIEW_LEVELS],
                   func.sum(Review.score),
                   func.sum(case((judged, 1), else_=0)),
                   func.sum(case((in_time, 1), else_=0)))
            .select_from(Review).join(Case, Case.id == Review.case_id)
            .where(Review.created_at >= self.since, Review.created_at < self.until,
                   self.in_scope(Case.place_id)).group_by(unit.case_key))


# Consultation, the floor, training and suggestions --------------------------------------------

@dataclass(frozen=True)
class ConsultationRow:
    """Questions asked at a place about an item in the period: how many, how many answered,
    and how many by their due day (the first statutory working day after the day asked)."""
    place: str
    item: str
    asked: int
    answered: int
    answered_in_time: int

    @property
    def in_time_share(self) -> float | None:
        return _ratio(self.answered_in_time, self.asked)


@dataclass(frozen=True)
class FloorRow:
    """Questions answered on a place's floor in the period, by kind and outcome."""
    place: str
    kind: str
    resolved: int
    referred: int


@dataclass(frozen=True)
class TrainingRow:
    """Agents and guides of a place (active now) and how many hold a current training record
    at the end of the period."""
    place: str
    staff: int
    trained: int

    @property
    def coverage(self) -> float | None:
        return _ratio(self.trained, self.staff)


@dataclass(frozen=True)
class ServiceFigures:
    consultations: list[ConsultationRow]
    consultations_by_place: list[ConsultationRow]  # item ""
    floor: list[FloorRow]
    training: list[TrainingRow]
    suggestions_submitted: int
    suggestions_answered: int


def service_figures(session: Session, period: _Period) -> ServiceFigures:
    """The figures of consultation, the floor's questions, training coverage and suggestions,
    each counted by the database over the period and the staff member's places."""
    asked = (Consultation.created_at >= period.since, Consultation.created_at < period.until,
             period.in_scope(Consultation.place_id))
    answered = Consultation.answered_at.isnot(None)
    in_time = and_(answered, period.local_date(Consultation.answered_at)
                   <= Consultation.answer_due_on)
    counts = (func.count(Consultation.id), func.count(case((answered, 1))),
              func.count(case((in_time, 1))))
    by_item = [ConsultationRow(*row) for row in session.execute(
        select(Place.name, ServiceItem.name, *counts).select_from(Consultation)
        .join(Place, Place.id == Consultation.place_id)
        .join(ServiceItem, ServiceItem.id == Consultation.item_id).where(*asked)
        .group_by(Place.code, Place.name, ServiceItem.code, ServiceItem.name)
        .order_by(Place.code, ServiceItem.code))]
    by_place = [ConsultationRow(name, "", *figures) for name, *figures in session.execute(
        select(Place.name, *counts).select_from(Consultation)
        .join(Place, Place.id == Consultation.place_id).where(*asked)
        .group_by(Place.code, Place.name).order_by(Place.code))]

    floor: dict[tuple[str, str], dict[str, int]] = {}
    for place, kind, outcome, count in session.execute(
            select(Place.name, FloorQuestion.kind, FloorQuestion.outcome,
                   func.count(FloorQuestion.id)).select_from(FloorQuestion)
            .join(Place, Place.id == FloorQuestion.place_id)
            .where(FloorQuestion.asked_at >= period.since, FloorQuestion.asked_at < period.until,
                   period.in_scope(FloorQuestion.place_id))
            .group_by(Place.code, Place.name, FloorQuestion.kind, FloorQuestion.outcome)
            .order_by(Place.code, FloorQuestion.kind)):
        floor.setdefault((place, QUESTION_KINDS[kind]), dict.fromkeys(FLOOR_OUTCOMES, 0))[
            outcome] = count
    floor_rows = [FloorRow(place, kind, c["resolved"], c["referred"])
                  for (place, kind), c in floor.items()]

    trained = has_current_training(Staff.id, period.as_of)
    training = [TrainingRow(*row) for row in session.execute(
        select(Place.name, func.count(Staff.id), func.count(case((trained, 1))))
        .select_from(Staff).join(staff_place, staff_place.c.staff_id == Staff.id)
        .join(Place, Place.id == staff_place.c.place_id)
        .where(Staff.active.is_(True), Staff.role.in_(sorted(scope.TRAINED_STAFF)),
               period.in_scope(Place.id))
        .group_by(Place.code, Place.name).order_by(Place.code))]

    in_period = (Suggestion.submitted_at >= period.since, Suggestion.submitted_at < period.until)
    suggestion_scope = (scope.suggestions(period.staff),)
    submitted, answered_count = session.execute(
        select(func.count(Suggestion.id), func.count(case((Suggestion.answered_at.isnot(None), 1))))
        .where(*in_period, *suggestion_scope)).one()
    return ServiceFigures(by_item, by_place, floor_rows, training, submitted, answered_count)
