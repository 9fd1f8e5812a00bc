"""The scheduler process's plan: every job of `jobs run`, at fixed ids, in the halls' time zone,
never piled up on itself."""
from datetime import datetime

from backend.entrypoints.jobs import JOBS
from backend.entrypoints.scheduler import build_scheduler
from tests.conftest import TZ


def test_every_job_is_scheduled_once_with_a_fixed_id(app):
    scheduler = build_scheduler(app)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == set(JOBS)
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time >= 30
        assert str(job.trigger.timezone) == "Asia/Shanghai"


def next_fire(app, job_id, after):
    job = build_scheduler(app).get_job(job_id)
    return job.trigger.get_next_fire_time(None, after)


def test_the_schedules_in_local_time(app):
    sunday_afternoon = datetime(2026, 12, 6, 17, 58, tzinfo=TZ)
    assert next_fire(app, "send-reminders", sunday_afternoon) == datetime(2026, 12, 6, 18, 0,
                                                                          tzinfo=TZ)
    assert next_fire(app, "deadline-warnings", sunday_afternoon) == datetime(
        2026, 12, 7, 8, 30, tzinfo=TZ)
    assert next_fire(app, "generate-slots", sunday_afternoon).hour == 0
    trigger = build_scheduler(app).get_job("dispatch-notifications").trigger
    first = trigger.get_next_fire_time(None, sunday_afternoon)
    assert (trigger.get_next_fire_time(first, first) - first).total_seconds() == 30
