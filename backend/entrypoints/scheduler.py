"""The scheduler process (`flask --app backend scheduler`): runs the jobs of
backend/entrypoints/jobs.py on their schedules, in the halls' time zone. One per deployment,
never inside the web workers (APScheduler 3 keeps its job store in the process). Every job is
idempotent, so a second scheduler started by mistake changes nothing: each effect still happens
once.

Each job has a fixed id, `coalesce` (runs missed while the process was down or busy become one),
`max_instances=1` (a slow run is not started again on top of itself) and a misfire grace (a run
late by less than that still happens)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from .jobs import JobFailed, run_job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    id: str            # a fixed job id; also the job's name for `jobs run`
    job: str
    trigger: dict[str, Any]
    misfire_grace_seconds: int


# What runs when (local time, TIMEZONE).
SCHEDULES = (
    Schedule("generate-slots", "generate-slots", {"cron": {"hour": 0, "minute": 15}}, 6 * 3600),
    Schedule("mark-no-shows", "mark-no-shows", {"interval": {"minutes": 10}}, 600),
    # Every 5 minutes on the clock: the run at 18:00 queues the reminders of the next day's
    # bookings (later runs, those booked after it), every run those of slots starting within
    # the hour.
    Schedule("send-reminders", "send-reminders", {"cron": {"minute": "*/5"}}, 300),
    # Every day at 08:30; the job itself does nothing on a day that is not a statutory working
    # day (make-up Saturdays count, holidays do not).
    Schedule("deadline-warnings", "deadline-warnings", {"cron": {"hour": 8, "minute": 30}},
             6 * 3600),
    # 行政许可法 §32, every day at 08:15 (before the deadline warnings, which then see the
    # cases it accepted): late checks become acceptances by law, any day; the 4th-day warnings
    # go out on working days only.
    Schedule("acceptance-deadlines", "acceptance-deadlines", {"cron": {"hour": 8, "minute": 15}},
             6 * 3600),
    # Every day at 08:45; the job does nothing on a day that is not a statutory working day.
    Schedule("originals-overdue", "originals-overdue", {"cron": {"hour": 8, "minute": 45}},
             6 * 3600),
    # Every day at 08:50; the job does nothing on a day that is not a statutory working day.
    Schedule("consultation-overdue", "consultation-overdue", {"cron": {"hour": 8, "minute": 50}},
             6 * 3600),
    Schedule("dispatch-notifications", "dispatch-notifications", {"interval": {"seconds": 30}},
             30),
    # Just after midnight: the day before's unserved tickets close.
    Schedule("close-tickets", "close-tickets", {"cron": {"hour": 0, "minute": 5}}, 6 * 3600),
)


def _trigger(spec: dict[str, Any], timezone: str):
    (kind, args), = spec.items()
    if kind == "cron":
        return CronTrigger(timezone=timezone, **args)
    return IntervalTrigger(timezone=timezone, **args)


def build_scheduler(app: Flask) -> BlockingScheduler:
    timezone = app.config["TIMEZONE"]
    scheduler = BlockingScheduler(timezone=timezone)
    for schedule in SCHEDULES:
        scheduler.add_job(_runner(app, schedule.job), _trigger(schedule.trigger, timezone),
                          id=schedule.id, name=schedule.job, coalesce=True, max_instances=1,
                          misfire_grace_time=schedule.misfire_grace_seconds,
                          replace_existing=True)
    return scheduler


def _runner(app: Flask, name: str):
    def run() -> None:
        with app.app_context():
            try:
                run_job(name)   # logs its summary, or the failure with its traceback
            except JobFailed:
                pass            # logged; the job runs again at its next time
    run.__name__ = f"job_{name.replace('-', '_')}"
    return run
