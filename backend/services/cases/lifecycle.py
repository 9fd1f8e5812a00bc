"""The one table of everything that can happen to a case, and `apply`, the only writer of a
case's status: it checks the table and records the CaseEvent (the history the citizen reads).
Beside it, `available_actions`: what a staff member may do to a case now (the staff API's
`actions`, the admin's buttons). The plain moves (start, progress, complete, withdraw, assign)
live here too."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Union

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...clock import today
from ...errors import Forbidden, InvalidInput, InvalidState
from ...models import CLOSED, ENDED, FINISHED, HELP_TYPES, OPEN, Case, CaseEvent, Citizen, Staff
from .. import notifications
from ..scope import AGENTS, CASE_WORKERS, PLACE_RUNNERS, READ_ONLY_ROLES, SYSTEM, sees_case
from ..staff import registered_at
from .documents import issue

Actor = Union[Staff, Citizen, str]  # a staff member, the applicant, or SYSTEM
BOTH = frozenset(HELP_TYPES)
# The citizen acts on its own cases; the staff roles come from the scope module.
CITIZEN = frozenset({"citizen"})
PROXY = frozenset({"proxy"})
ASSIST = frozenset({"assist"})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str | None, ...]
    target: str | None  # None: the status stays; the event still goes into the history
    actors: frozenset[str]  # staff roles, "citizen" or "system"
    label: str
    help_types: frozenset[str] = BOTH

    def allows(self, case: Case) -> bool:
        """Whether the case's status and help type let this move happen."""
        return case.status in self.sources and case.help_type in self.help_types


# Accepted and not finished: the statuses whose legal clock runs.
WORKING = ("accepted", "handed_over", "in_progress")
# Not yet completed: a 代办 commission may be ended (终止) or renewed (续办).
BEFORE_COMPLETION = ("submitted", "materials_incomplete", *WORKING)

# The one table of everything that can happen to a case.
TRANSITIONS = {t.action: t for t in (
    Transition("submit", (None,), "submitted", CITIZEN, "提交申请"),
    Transition("intake", (None,), "submitted", CASE_WORKERS, "窗口受理申请"),
    Transition("notify_missing", ("submitted",), "materials_incomplete", CASE_WORKERS,
               "材料不全，一次性告知需补正的材料"),
    Transition("supplement", ("materials_incomplete",), "submitted", CITIZEN,
               "申请人已补正材料"),
    Transition("accept", ("submitted",), "accepted", CASE_WORKERS, "材料齐全，已受理"),
    # 行政许可法 §32: not checked within 5 working days of receipt, accepted by law from then.
    Transition("deem_accept", ("submitted",), "accepted", frozenset({SYSTEM}),
               "逾期未审查，依法视为受理"),
    Transition("reject", ("submitted", "materials_incomplete"), "rejected", CASE_WORKERS,
               "不予受理"),
    Transition("handover", ("accepted",), "handed_over", CASE_WORKERS, "材料交接完成", PROXY),
    Transition("start_work", ("handed_over",), "in_progress", frozenset({SYSTEM}),
               "委托协议已签订、材料已交接，代办员开始办理", PROXY),
    Transition("start", ("accepted",), "in_progress", CASE_WORKERS, "帮办员开始陪同办理", ASSIST),
    Transition("progress", ("in_progress",), None, CASE_WORKERS, "办理进展"),
    Transition("complete", ("in_progress",), "completed", CASE_WORKERS, "已办结"),
    Transition("return", ("completed",), "returned", CASE_WORKERS, "原件已退还", PROXY),
    # After termination, withdrawal or rejection the originals are owed back: returned, the
    # status stays what it is.
    Transition("return_held", ENDED, None, CASE_WORKERS, "原件已退还", PROXY),
    # The 代办 commission (cases/commission.py): 终止 by the applicant or the hall, 续办.
    Transition("terminate", BEFORE_COMPLETION, "terminated", CITIZEN | CASE_WORKERS,
               "终止代办委托", PROXY),
    Transition("renew", BEFORE_COMPLETION, None, CASE_WORKERS, "续办：委托有效期延续", PROXY),
    Transition("withdraw", OPEN, "withdrawn", CITIZEN, "申请人撤回申请"),
    Transition("assign", OPEN, None, PLACE_RUNNERS, "指派帮办代办员"),
    Transition("agreement", ("submitted", "materials_incomplete", "accepted", "handed_over"), None,
               CITIZEN | CASE_WORKERS, "签订委托代办协议", PROXY),
    Transition("escalate", OPEN, None, CASE_WORKERS, "上报难点堵点"),
    # A village point's case goes to its town or the district hall (cases/forwarding.py).
    Transition("forward", OPEN, None, CASE_WORKERS, "转办至镇（街道）或区政务服务中心"),
    Transition("resolve_escalation", OPEN + CLOSED, None, PLACE_RUNNERS, "难点堵点已协调解决"),
    Transition("visit_schedule", ("submitted", "materials_incomplete", "accepted"), None,
               PLACE_RUNNERS, "安排上门代办", PROXY),
    Transition("visit_decline", ("submitted", "materials_incomplete", "accepted"), None,
               PLACE_RUNNERS, "不安排上门代办", PROXY),
    Transition("visit_record", ("submitted", "accepted"), None, CASE_WORKERS,
               "上门代办：已上门收取材料", PROXY),
    # The legal clock (cases/clock.py): 特别程序 or 中止 stop it, their end restarts it, a place
    # manager's 延长 adds working days.
    Transition("suspend", WORKING, None, CASE_WORKERS, "暂停计时（特别程序或中止委托）"),
    Transition("resume", WORKING, None, CASE_WORKERS, "恢复计时"),
    Transition("extend", WORKING, None, PLACE_RUNNERS, "延长办理时限"),
    Transition("review", FINISHED, None, CITIZEN, "申请人评价"),
    Transition("close_followup", FINISHED, None, PLACE_RUNNERS, "差评回访整改完成"),
)}
ACTION_LABELS = {action: t.label for action, t in TRANSITIONS.items()}


# What staff may do to a case, by the staff API's names (docs/api.md "Staff side"): each is
# POST /staff/cases/{number}/<name>, except resolve-escalation, which is
# POST /staff/escalations/{id}/resolve. In the order they are offered, each with the
# transitions it may take (check accepts or sends the one-time notice).
STAFF_ACTIONS: dict[str, tuple[str, ...]] = {
    "assign": ("assign",),
    "check": ("accept", "notify_missing"),
    "reject": ("reject",),
    "handover": ("handover",),
    "agreement": ("agreement",),
    "start": ("start",),
    "progress": ("progress",),
    "complete": ("complete",),
    "return": ("return", "return_held"),
    "escalate": ("escalate",),
    "forward": ("forward",),
    "resolve-escalation": ("resolve_escalation",),
    "review-followup": ("close_followup",),
    "visit-schedule": ("visit_schedule",),
    "visit-decline": ("visit_decline",),
    "visit-record": ("visit_record",),
    "suspend": ("suspend",),
    "resume": ("resume",),
    "extend": ("extend",),
    "terminate": ("terminate",),
    "renew": ("renew",),
}


def open_tasks(case: Case) -> list[str]:
    """The departments whose task is not done: a case completes only without any."""
    return [t.department.name for t in case.tasks if not t.done]


def open_escalations(case: Case) -> list:
    return [e for e in case.escalations if e.resolved_at is None]


def originals_held(case: Case) -> list:
    """The case's materials whose originals the hall holds now (received, not returned)."""
    return [cm for cm in case.materials
            if cm.received_at and cm.received_original and cm.returned_at is None]


def visit_in(case: Case, *statuses: str) -> bool:
    return case.visit is not None and case.visit.status in statuses


def followup_awaited(case: Case) -> bool:
    """A bad review waits for its follow-up (回访整改)."""
    review = case.review
    return review is not None and review.needs_followup and review.followup_closed_at is None


# What an action needs of the case besides its status and help type: the conditions on which
# its service refuses whatever the request says. (What depends on the request itself — a note,
# a reason, the materials listed, the agent named — is the request's to get right.)
PRECONDITIONS: dict[str, Callable[[Case], bool]] = {
    "handover": lambda case: bool(case.materials),  # receipts list at least one material
    "agreement": lambda case: case.agreement_signed_at is None,
    "complete": lambda case: not open_tasks(case),
    "resolve-escalation": lambda case: bool(open_escalations(case)),
    "forward": lambda case: case.place is not None and case.place.level == "village",
    "review-followup": followup_awaited,
    # 上门代办: a visit to arrange (or rearrange, or decline), or one arranged to record.
    "visit-schedule": lambda case: visit_in(case, "requested", "scheduled"),
    "visit-decline": lambda case: visit_in(case, "requested", "scheduled"),
    "visit-record": lambda case: visit_in(case, "scheduled"),
    # The clock: one suspension at a time; an extension only on or before the due date.
    "suspend": lambda case: case.suspended_since is None,
    "resume": lambda case: case.suspended_since is not None,
    "extend": lambda case: case.due_date is not None and today() <= case.due_date,
    # Originals are returned after completion, or after an end while the hall still holds some.
    "return": lambda case: case.status == "completed" or bool(originals_held(case)),
    "renew": lambda case: (case.commission_valid_until is not None
                           and case.commission_valid_until < today()),
}


def available_actions(case: Case, staff: Staff) -> list[str]:
    """The actions (STAFF_ACTIONS' names, in that order) this staff member may take on the case
    now: each one offered is one its service would not refuse for who asks, the case's status
    and help type, or its state; each one left out, the service would refuse. None for a case
    out of the staff member's scope (an agent: cases assigned to them), for read-only roles and
    for a stopped account."""
    if not staff.active or staff.role in READ_ONLY_ROLES or not sees_case(staff, case):
        return []
    if staff.role in AGENTS and case.agent_id != staff.id:
        return []  # the village agent of a forwarded case: its contact, no longer its worker
    return [name for name, actions in STAFF_ACTIONS.items()
            if any(staff.role in TRANSITIONS[a].actors and TRANSITIONS[a].allows(case)
                   for a in actions)
            and PRECONDITIONS.get(name, lambda case: True)(case)]


def actor_kind(actor: Actor) -> str:
    if isinstance(actor, Staff):
        return actor.role
    return "citizen" if isinstance(actor, Citizen) else SYSTEM


def permit(action: str, actor: Actor) -> Transition:
    """Refuse an actor the table does not name for this action, before looking at anything else
    (so that a refusal says nothing about the case or the request)."""
    transition = TRANSITIONS[action]
    if actor_kind(actor) not in transition.actors:
        raise Forbidden("您无权进行此操作", {"action": action})
    return transition


def apply(session: Session, case: Case, action: str, actor: Actor, now: datetime,
          note: str | None = None) -> CaseEvent:
    """Move the case by `action` if the table allows it, and record the event."""
    transition = permit(action, actor)
    if not transition.allows(case):
        raise InvalidState(f"办件当前状态为“{case.status_label if case.status else '新建'}”，"
                           f"不能{transition.label}",
                           {"status": case.status, "action": action})
    event = CaseEvent(action=action, from_status=case.status,
                      to_status=transition.target or case.status, at=now, note=note,
                      staff=actor if isinstance(actor, Staff) else None,
                      by_citizen=isinstance(actor, Citizen))
    # No flush between the status and what the caller sets beside it (a finish time, a due
    # date, an agent): the audit log records one action as one change, whether or not the
    # case's events were loaded already.
    with session.no_autoflush:
        case.events.append(event)
        case.status = event.to_status
    return event


# The plain moves ---------------------------------------------------------------------------

def start(session: Session, case: Case, staff: Staff, now: datetime) -> Case:
    apply(session, case, "start", staff, now)
    notify_progress(session, case, now, TRANSITIONS["start"].label)
    return case


def notify_progress(session: Session, case: Case, now: datetime, note: str | None) -> None:
    """The applicant hears of the step just recorded (one message per step)."""
    notifications.queue_case_message(session, case, "case_progress", now,
                                     subject=notifications.case_step(case), note=note)


def progress(session: Session, case: Case, staff: Staff, note: str | None,
             task_code: str | None, done: bool | None, now: datetime) -> Case:
    if not (note and note.strip()) and task_code is None:
        raise InvalidInput("请填写进展说明", {"note": ["必填"]})
    label = note
    if task_code is not None:
        task = next((t for t in case.tasks if t.department.code == task_code), None)
        if task is None:
            raise InvalidInput("该办件没有此部门的任务", {"task": [f"未知的部门任务 {task_code}"]})
        if done is not None:
            task.done, task.done_at = done, (now if done else None)
        if note:
            task.note = note
        state = "（已完成）" if task.done else ""
        label = f"{task.department.name}{state}" + (f"：{note}" if note else "")
    apply(session, case, "progress", staff, now, label)
    notify_progress(session, case, now, label)
    return case


def complete(session: Session, case: Case, staff: Staff, note: str | None, now: datetime) -> Case:
    remaining = open_tasks(case)
    if remaining and case.status == "in_progress":
        raise InvalidState("还有部门任务未完成，不能办结", {"open_tasks": remaining})
    apply(session, case, "complete", staff, now, note)
    case.finished_at = now
    issue(session, case, "completion", now, staff=staff)
    notifications.queue_case_message(
        session, case, "case_completed", now,
        tip="请到大厅领取办理结果和原件" if case.help_type == "proxy" else "您的事项已办结",
        note=note)
    notifications.queue_case_message(session, case, "review_invite", now,
                                     tip="请对本次帮办代办服务作出评价")
    return case


def withdraw(session: Session, case: Case, citizen: Citizen, now: datetime,
             note: str | None = None) -> Case:
    apply(session, case, "withdraw", citizen, now, note)
    case.finished_at = now
    return case


def assign(session: Session, case: Case, manager: Staff, username: str, now: datetime) -> Case:
    permit("assign", manager)
    agent = session.scalar(select(Staff).where(Staff.username == username))
    registered = agent is not None and session.scalar(
        select(registered_at(agent.id, case.place_id)))
    if not registered or not agent.active or agent.role != "agent":
        raise InvalidInput("该人员不是本场所登记备案的帮办代办员",
                           {"agent": [f"{username} 未在{case.place.name}登记备案"]})
    apply(session, case, "assign", manager, now, f"由 {agent.name} 负责")
    case.agent = agent
    notifications.queue_staff_message(session, case, "case_assigned", [agent.id], now,
                                      subject=notifications.case_step(case))
    return case
