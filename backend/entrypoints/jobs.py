"""The background jobs (docs/domain.md "Jobs"). Each is a plain function that runs in a unit of work
of its own, audited as the system's, and returns a one-line summary in Chinese; `jobs run NAME`,
the scheduler and the tests call these same functions. Every job is idempotent: it selects what
is due and not yet done, and marks it done in the same transaction.

A job that fails is rolled back and logged with its traceback, and the failure is raised again as
JobFailed for the caller to report (the command line exits non-zero; the scheduler logs it and
runs the job again at its next time)."""
from __future__ import annotations

import logging
from typing import Callable

from flask import current_app

from ..clock import get_clock
from ..extensions import db
from ..infrastructure.audit import SYSTEM
from ..infrastructure.dispatch import Dispatcher, DispatchSettings
from ..services import cases, consultation, notifications
from ..services.queue import calling as queue_calling
from ..services.booking import BookingRules, mark_no_shows
from ..services.calendar import load_calendar
from ..services.slots import generate_slots
from ..uow import unit_of_work

log = logging.getLogger(__name__)


class JobFailed(RuntimeError):
    def __init__(self, name: str, cause: BaseException):
        super().__init__(f"后台任务 {name} 失败：{cause.__class__.__name__}: {cause}")
        self.name = name


def generate_slots_job() -> str:
    """Extend the slots to the end of the booking window (daily)."""
    with unit_of_work(actor=SYSTEM) as session:
        result = generate_slots(session, get_clock().now(),
                                current_app.config["BOOKING_WINDOW_DAYS"])
    return result.summary()


def mark_no_shows_job() -> str:
    """Bookings not checked in after their slot become no-shows (every 10 minutes)."""
    with unit_of_work(actor=SYSTEM) as session:
        marked = mark_no_shows(session, get_clock().now(),
                               BookingRules.from_config(current_app.config))
    return f"标记未到 {len(marked)} 个预约"


def send_reminders_job() -> str:
    """From 18:00 the reminders of the next day's bookings; all day, those of the slots starting
    within the hour (every few minutes)."""
    with unit_of_work(actor=SYSTEM) as session:
        queued = notifications.queue_reminders(session, get_clock().now())
    return f"排入预约提醒 {queued} 条"


def deadline_warnings_job() -> str:
    """On statutory working days: cases turning amber or red warn their agent and the place's
    managers (08:30)."""
    with unit_of_work(actor=SYSTEM) as session:
        now = get_clock().now()
        if not load_calendar(session).is_working_day(now.date()):
            return "今天不是工作日，不发送时限预警"
        late = cases.amber_and_red_cases(session, now.date(), notifications.CHUNK)
        queued = notifications.queue_deadline_warnings(session, late, now)
    return f"排入时限预警 {queued} 条"


def acceptance_deadlines_job() -> str:
    """行政许可法 §32 (daily, 08:15): cases not checked within 5 working days of receipt are
    accepted by law from that day; on working days, those at their 4th working day warn their
    agent and the place's managers."""
    with unit_of_work(actor=SYSTEM) as session:
        now = get_clock().now()
        deemed = cases.deem_overdue_acceptances(session, now)
        calendar = load_calendar(session)
        queued = 0
        if calendar.is_working_day(now.date()):
            queued = notifications.queue_acceptance_warnings(
                session, cases.acceptances_due(session, calendar, now.date()), now)
    return f"依法视为受理 {deemed} 件；排入受理期限预警 {queued} 条"


def originals_overdue_job() -> str:
    """On statutory working days (08:45): each finished or ended case whose originals are not
    returned within ORIGINALS_RETURN_DAYS working days warns its agent and the place's managers,
    once a day."""
    with unit_of_work(actor=SYSTEM) as session:
        now = get_clock().now()
        if not load_calendar(session).is_working_day(now.date()):
            return "今天不是工作日，不发送原件退还预警"
        queued = cases.warn_overdue_returns(session, now,
                                            current_app.config["ORIGINALS_RETURN_DAYS"])
    return f"排入原件退还预警 {queued} 条"


def close_tickets_job() -> str:
    """Tickets of earlier days still open close (00:05, and safe at any hour): unserved ones
    are cancelled by the day's end."""
    with unit_of_work(actor=SYSTEM) as session:
        closed = queue_calling.close_day(session, get_clock().now())
    return f"日终关闭排队号 {closed} 个"


def consultation_overdue_job() -> str:
    """On statutory working days (08:50): each open consultation unanswered after its working
    day warns the place's managers, once per question."""
    with unit_of_work(actor=SYSTEM) as session:
        now = get_clock().now()
        if not load_calendar(session).is_working_day(now.date()):
            return "今天不是工作日，不发送咨询超时预警"
        warned, queued = consultation.warn_overdue(session, now)
    return f"超时未答复咨询 {warned} 条；排入预警 {queued} 条"


def dispatch_notifications_job() -> str:
    """Queue the confirmations of new bookings, then send every message due by now (every 30
    seconds). Messages are claimed and recorded in units of their own
    (backend.infrastructure.dispatch)."""
    with unit_of_work(actor=SYSTEM) as session:
        confirmations = notifications.queue_booking_confirmations(session, get_clock().now())
    result = dispatcher().run()
    return f"排入预约确认 {confirmations} 条；{result.summary()}"


def dispatcher() -> Dispatcher:
    return Dispatcher(db.engine, current_app.extensions["banban.wechat"],
                      current_app.extensions["banban.templates"], get_clock(),
                      DispatchSettings.from_config(current_app.config))


JOBS: dict[str, Callable[[], str]] = {
    "generate-slots": generate_slots_job,
    "mark-no-shows": mark_no_shows_job,
    "send-reminders": send_reminders_job,
    "deadline-warnings": deadline_warnings_job,
    "acceptance-deadlines": acceptance_deadlines_job,
    "originals-overdue": originals_overdue_job,
    "consultation-overdue": consultation_overdue_job,
    "dispatch-notifications": dispatch_notifications_job,
    "close-tickets": close_tickets_job,
}


def run_job(name: str) -> str:
    """Run one job now; its summary, or JobFailed (logged) when it could not finish."""
    try:
        summary = JOBS[name]()
    except Exception as exc:
        log.exception("job %s failed", name)
        raise JobFailed(name, exc) from exc
    log.info("job %s: %s", name, summary)
    return summary
