"""重点项目 (博政管办发〔2022〕3号 三(四)): personalised service for key projects. A project names
an enterprise (its 统一社会信用代码), a 项目管家 (a dedicated agent) and members; the cases of the
enterprise, across departments and places, are grouped under it, with one view of all their
deadlines and one merged timeline. The enterprise's contact — a citizen with a case carrying
the project's USCC — sees the project's cases (`citizen_projects`). Reports count projects and
their on-time rate (`project_figures`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, selectinload
from stdnum.cn import uscc as uscc_number
from stdnum.exceptions import ValidationError as NumberInvalid

from ..errors import Forbidden, InvalidInput, NotFound
from ..models import (
    CLOSED, FINISHED, Case, CaseEvent, Citizen, KeyProject, Place, Staff,
)
from . import scope
from .cases.lifecycle import ACTION_LABELS
from .cases.queries import deadline_state
from .cases.window import citizen_cases
from .reports import local_date

PROJECT_RUNNERS = scope.PLACE_RUNNERS
NOT_JUDGED = ("withdrawn", "rejected", "terminated")


def _clean_uscc(value: str, problems: dict) -> str | None:
    try:
        return uscc_number.validate((value or "").strip().upper())
    except NumberInvalid:
        problems["uscc"] = ["统一社会信用代码有误（校验未通过）"]
        return None


def create_project(session: Session, actor: Staff, *, name: str, enterprise_name: str,
                   uscc: str, description: str | None, place_code: str, steward: str,
                   members: list[str], now: datetime) -> KeyProject:
    """A key project at a place the actor runs (a place manager's, or any for the district
    admin); its 项目管家 is an active agent registered at one of the actor's places (or anyone's
    for the district admin)."""
    scope.require_role(actor, PROJECT_RUNNERS, "只有场所管理员或区政务服务管理办可以设立重点项目")
    problems: dict[str, list[str]] = {}
    name, enterprise_name = (name or "").strip(), (enterprise_name or "").strip()
    if not 1 <= len(name) <= 100:
        problems["name"] = ["项目名称应为1至100个字符"]
    if not 1 <= len(enterprise_name) <= 100:
        problems["enterprise_name"] = ["企业名称应为1至100个字符"]
    code = _clean_uscc(uscc, problems)
    place = session.scalar(select(Place).where(Place.code == (place_code or "")))
    if place is None:
        problems["place"] = [f"未知的场所 {place_code}"]
    else:
        scope.require_manages(actor, place, f"您不管理{place.name}，不能在该场所设立重点项目")
    candidates = select(Staff).where(Staff.active.is_(True), scope.registrable_staff(actor))
    steward_row = session.scalar(candidates.where(Staff.username == (steward or ""),
                                                  Staff.role.in_(scope.AGENTS)))
    if steward_row is None:
        problems["steward"] = [f"{steward or '（未选择）'} 不是可指定的帮办代办员"]
    wanted = [u for u in dict.fromkeys(m.strip() for m in members if m and m.strip())]
    people = session.scalars(candidates.where(Staff.username.in_(wanted or [""]))).all()
    missing = sorted(set(wanted) - {p.username for p in people})
    if missing:
        problems["members"] = ["未知或不可指定的工作人员：" + "、".join(missing)]
    if problems:
        raise InvalidInput("重点项目信息有误", problems)
    count = session.scalar(select(func.count()).select_from(KeyProject)) or 0
    project = KeyProject(code=f"ZDXM-{now.year}-{count + 1:03d}", name=name,
                         enterprise_name=enterprise_name, uscc=code,
                         description=(description or "").strip() or None, place=place,
                         steward=steward_row, created_by=actor, created_at=now,
                         members=sorted(people, key=lambda p: p.username))
    session.add(project)
    session.flush()
    return project


def project_for(session: Session, staff: Staff, project_id: int) -> KeyProject:
    project = session.scalar(select(KeyProject).where(KeyProject.id == project_id,
                                                      scope.projects(staff)))
    if project is None:
        raise NotFound("未找到该重点项目", {"project": project_id})
    return project


def may_run(staff: Staff, project: KeyProject) -> bool:
    """Who groups cases under a project: its 项目管家, its place's managers, the district admin."""
    return staff.role not in scope.READ_ONLY_ROLES and (
        project.steward_id == staff.id or scope.may_manage(staff, project.place))


def add_case(session: Session, staff: Staff, project: KeyProject, number: str,
             now: datetime) -> Case:
    """Group a case of the project's enterprise (the same USCC), wherever it was applied for,
    under the project."""
    if not may_run(staff, project):
        raise Forbidden("只有项目管家、场所管理员或区政务服务管理办可以归集办件")
    case = session.scalar(select(Case).where(Case.number == (number or "").strip()))
    if case is None:
        raise NotFound("未找到该办件", {"case": number})
    if case.uscc != project.uscc:
        raise InvalidInput("该办件不属于本项目企业", {"case": [
            f"办件的统一社会信用代码为{case.uscc or '空'}，项目为{project.uscc}"]})
    if case.project_id not in (None, project.id):
        raise InvalidInput("该办件已归入其他重点项目", {"case": [case.number]})
    case.project = project
    session.flush()
    return case


@dataclass(frozen=True)
class ProjectDeadline:
    number: str
    item: str
    place: str
    department: str
    status_label: str
    due_date: date | None
    deadline_state: str
    agent: str | None


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    number: str
    place: str
    label: str
    note: str | None
    by: str


@dataclass(frozen=True)
class ProjectView:
    project: KeyProject
    deadlines: list[ProjectDeadline]  # open cases first, by due date
    timeline: list[TimelineEntry]  # every case's events, merged, newest first


def project_cases(session: Session, project: KeyProject) -> list[Case]:
    return session.scalars(select(Case).where(Case.project_id == project.id).options(
        selectinload(Case.events).selectinload(CaseEvent.staff)).order_by(Case.id)).all()


def project_view(session: Session, project: KeyProject, today: date) -> ProjectView:
    found = project_cases(session, project)
    deadlines = sorted(
        (ProjectDeadline(c.number, c.item.name, c.place.name, c.lead_department.name,
                         c.status_label, c.due_date, deadline_state(c, today),
                         c.agent.name if c.agent else None) for c in found),
        key=lambda d: (d.status_label in {"已办结", "原件已退还"}, d.due_date is None,
                       d.due_date or date.max, d.number))
    # Newest first; events of one instant in the order they were written.
    events = sorted(((e, c) for c in found for e in c.events),
                    key=lambda pair: (pair[0].at, pair[0].id), reverse=True)
    timeline = [TimelineEntry(e.at, c.number, c.place.name, ACTION_LABELS.get(e.action, e.action),
                              e.note,
                              e.staff.name if e.staff else ("申请人" if e.by_citizen else "系统"))
                for e, c in events]
    return ProjectView(project, deadlines, timeline)


# The enterprise's side ------------------------------------------------------------------------

def citizen_projects(session: Session, citizen: Citizen) -> list[tuple[KeyProject, list[Case]]]:
    """The projects whose USCC is on one of the citizen's own cases, each with all its cases."""
    usccs = select(Case.uscc).where(citizen_cases(citizen), Case.uscc.is_not(None))
    projects = session.scalars(select(KeyProject).where(KeyProject.uscc.in_(usccs))
                               .order_by(KeyProject.id)).all()
    return [(p, session.scalars(select(Case).where(Case.project_id == p.id)
                                .order_by(Case.created_at, Case.id)).all()) for p in projects]


# Reports ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProjectFigures:
    code: str
    name: str
    enterprise_name: str
    cases: int
    completed: int
    completed_on_time: int
    open_overdue: int

    @property
    def on_time_rate(self) -> float | None:
        judged = self.completed + self.open_overdue
        return self.completed_on_time / judged if judged else None


@dataclass(frozen=True)
class ProjectReport:
    projects: list[ProjectFigures]

    @property
    def count(self) -> int:
        return len(self.projects)

    @property
    def on_time_rate(self) -> float | None:
        on_time = sum(p.completed_on_time for p in self.projects)
        judged = sum(p.completed + p.open_overdue for p in self.projects)
        return on_time / judged if judged else None


def project_figures(session: Session, staff: Staff, today: date, timezone: str) -> ProjectReport:
    """Each project in the staff member's scope with its cases (withdrawn, rejected and
    terminated ones left out), those completed, completed on or before their moved due date (by
    the finishing day in the halls' zone) and those open past due (a paused clock excepted),
    counted in SQL; the on-time rate as the inspection report defines it."""
    finished_on = local_date(session, Case.finished_at, ZoneInfo(timezone), today)
    rows = session.execute(
        select(KeyProject.code, KeyProject.name, KeyProject.enterprise_name,
               func.count(Case.id),
               func.count(Case.id).filter(Case.status.in_(FINISHED)),
               func.count(Case.id).filter(Case.status.in_(FINISHED),
                                          finished_on <= Case.due_date),
               func.count(Case.id).filter(Case.status.not_in(CLOSED),
                                          Case.suspended_since.is_(None),
                                          Case.due_date < today))
        .select_from(KeyProject).outerjoin(Case, and_(Case.project_id == KeyProject.id,
                                                      Case.status.not_in(NOT_JUDGED)))
        .where(scope.projects(staff)).group_by(KeyProject.id).order_by(KeyProject.code))
    return ProjectReport([ProjectFigures(*row) for row in rows])


__all__ = ["create_project", "project_for", "may_run", "add_case", "project_view",
           "ProjectView", "ProjectDeadline", "TimelineEntry", "citizen_projects",
           "project_figures", "ProjectFigures", "ProjectReport", "project_cases"]
