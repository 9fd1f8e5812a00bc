"""One unit of work owns the commit (backend/uow.py): services only flush, so a service composed
into a larger unit of work that fails leaves nothing behind; jobs run in units of their own and
report a failure instead of exiting."""
from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from backend.entrypoints import jobs
from backend.infrastructure.audit import SYSTEM
from backend.models import AgentRegistration, AuditLog, Booking, Slot, Staff
from backend.services.booking import BookingRules, book
from backend.services.catalog import import_catalog
from backend.services.slots import generate_slots
from backend.services.staff import create_staff
from backend.uow import unit_of_work
from tests.factories import trained


class Interrupted(Exception):
    pass


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def hall(session, example_catalog, clock):
    import_catalog(session, SYSTEM, example_catalog)
    generate_slots(session, clock.now(), 14)
    session.commit()


def test_services_composed_in_a_failing_unit_of_work_leave_nothing(session, hall, clock,
                                                                   make_citizen):
    citizen = make_citizen()
    slot = session.scalar(sa.select(Slot).order_by(Slot.date.desc()).limit(1))

    with pytest.raises(Interrupted):
        with unit_of_work(actor=SYSTEM):
            create_staff(session, SYSTEM, username="wangfang", password="Lantern-harbour-47-quartz",
                         role="agent", name="王芳", place_codes=["BS-HALL"],
                         department_code="RSJ", now=clock.now(), training=trained(clock.now()))
            book(session, citizen.id, slot.id, "SB-001", None, None, clock.now(), BookingRules())
            raise Interrupted

    session.expire_all()
    assert (count(session, Staff), count(session, AgentRegistration), count(session, Booking),
            count(session, AuditLog)) == (0, 0, 0, 0)
    assert session.get(Slot, slot.id).booked == 0
    assert session.info.get("audit_actor") is None  # the block's actor does not outlive it


def test_a_unit_of_work_commits_what_its_services_flushed(session, hall, clock):
    with unit_of_work(actor=SYSTEM):
        create_staff(session, SYSTEM, username="wangfang", password="Lantern-harbour-47-quartz",
                     role="agent", name="王芳", place_codes=["BS-HALL"], department_code="RSJ",
                     now=clock.now(), training=trained(clock.now()))
    session.rollback()  # nothing left to lose: it was committed
    assert (count(session, Staff), count(session, AgentRegistration)) == (1, 1)
    assert count(session, AuditLog) == 3  # the account, its training and registration, by the system


def test_a_failing_job_is_logged_and_reported(session, hall, monkeypatch, caplog, cli):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")
    monkeypatch.setattr(jobs, "mark_no_shows", broken)

    with caplog.at_level(logging.ERROR, logger="backend.entrypoints.jobs"):
        with pytest.raises(jobs.JobFailed, match="mark-no-shows"):
            jobs.run_job("mark-no-shows")
    assert "job mark-no-shows failed" in caplog.text and "database went away" in caplog.text

    result = cli("jobs", "run", "mark-no-shows")
    assert result.exit_code == 1
    assert "后台任务 mark-no-shows 失败" in result.stderr


def test_a_job_run_twice_does_its_work_once(session, hall, clock):
    clock.advance(days=1)
    first = jobs.run_job("generate-slots")
    second = jobs.run_job("generate-slots")
    assert first.startswith("新增时段 6")
    assert second.startswith("新增时段 0，更新 0，撤下 0")
