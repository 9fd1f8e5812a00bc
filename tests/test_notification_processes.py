"""Jobs and the dispatcher in real processes (`flask --app backend jobs run ...`), on the test
database: two dispatchers never send a message twice, a dispatcher killed mid-batch loses
nothing and sends nothing twice once another takes over, and two processes running the same
jobs at once have each effect once. The processes read the system clock: the rows they work on
are made due by it."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time as wallclock
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from backend.clock import FixedClock
from backend.domain.message_templates import TEMPLATE_KEYS, load_templates
from backend.entrypoints.jobs import run_job
from backend.infrastructure.wechat import WeChat
from backend.models import AuditLog, Booking, Notification, Place, ServiceItem, Slot
from backend.services import notifications
from backend.services.catalog import import_catalog
from backend.services.scope import SYSTEM
from tests.conftest import DATA_KEY, TZ

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = {key: f"tmpl-{key}" for key in TEMPLATE_KEYS}


def job_process(database_url: str, fake, *args: str, **settings) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
           "DATA_KEY": DATA_KEY, "WECHAT_APPID": fake.appid, "WECHAT_SECRET": fake.secret,
           "WECHAT_API_BASE_URL": fake.url, "WECHAT_TEMPLATES": json.dumps(TEMPLATES),
           **{name: str(value) for name, value in settings.items()}}
    env.pop("REDIS_URL", None)
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "backend", "jobs", "run",
                             *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err[-3000:]
    return out


def real_now() -> datetime:
    return datetime.now(TZ)


@pytest.fixture
def due_messages(session, make_citizen):
    """`n` confirmations due by the system clock, each to its own citizen with one quota."""
    def make(n: int) -> set[str]:
        now = real_now() - timedelta(minutes=1)
        templates = load_templates(TEMPLATES, demo=False)
        rows = []
        for i in range(n):
            citizen = make_citizen(f"o-proc-{i}")
            notifications.accept_subscriptions(session, citizen.openid, ["booking_confirmed"],
                                               templates, TEMPLATE_KEYS, now, cap=10)
            rows.append(notifications.message_row(
                "booking_confirmed", f"booking:CODE{i:04d}",
                {"booking_code": f"CODE{i:04d}", "item": "事项", "place": "大厅",
                 "slot_time": now.isoformat()}, now, citizen_id=citizen.id))
        notifications.queue(session, rows)
        session.commit()
        return {f"CODE{i:04d}" for i in range(n)}
    return make


def delivered_codes(fake) -> list[str]:
    return [body["data"]["character_string4"]["value"] for body in fake.delivered]


def statuses(session) -> dict[str, int]:
    session.rollback()
    return dict(session.execute(select(Notification.status, func.count())
                                .group_by(Notification.status)).all())


def test_two_dispatchers_send_every_message_exactly_once(database_url, session, fake_wechat,
                                                         due_messages):
    codes = due_messages(120)
    settings = {"NOTIFY_BATCH_SIZE": 10, "NOTIFY_CONCURRENCY": 4}
    first = job_process(database_url, fake_wechat, "dispatch-notifications", **settings)
    second = job_process(database_url, fake_wechat, "dispatch-notifications", **settings)
    outputs = [finish(first), finish(second)]

    delivered = delivered_codes(fake_wechat)
    assert sorted(delivered) == sorted(codes)          # every one, none twice
    assert statuses(session) == {"sent": len(codes)}
    assert all("已发送" in out for out in outputs)


def test_a_dispatcher_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
        app, database_url, session, fake_wechat, due_messages):
    codes = due_messages(60)
    fake_wechat.hold_sends_after(25)
    concurrency = 4
    victim = job_process(database_url, fake_wechat, "dispatch-notifications",
                         NOTIFY_BATCH_SIZE=10, NOTIFY_CONCURRENCY=concurrency)
    # Every sending thread is blocked inside a send, and every message delivered before is
    # recorded: the kill lands outside the one window the README names (WeChat accepted a
    # message, its record not yet committed).
    deadline = wallclock.monotonic() + 60
    while fake_wechat.held < concurrency or statuses(session).get("sent", 0) < 25:
        assert victim.poll() is None, victim.communicate()[1][-3000:]
        assert wallclock.monotonic() < deadline, "the dispatcher never reached the held sends"
        wallclock.sleep(0.02)
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=30)     # reaps it and closes its pipes
    fake_wechat.release_held()               # the held requests' sender is gone: not delivered
    assert len(fake_wechat.delivered) == 25
    left = statuses(session)
    assert left.get("sending", 0) >= concurrency     # claimed, not finished: the lease holds them

    # Another dispatcher after the lease: takes over what the dead one held, and the rest.
    fake_wechat.hold_sends_after(10**6)
    app.extensions["banban.wechat"] = adapter = WeChat(fake_wechat.appid, fake_wechat.secret,
                                                       base_url=fake_wechat.url, timeout=2.0)
    app.extensions["banban.templates"] = load_templates(TEMPLATES, demo=False)
    app.extensions["banban.clock"] = FixedClock(
        real_now() + timedelta(seconds=app.config["NOTIFY_LEASE_SECONDS"] + 60))
    try:
        run_job("dispatch-notifications")
    finally:
        adapter.close()
    assert sorted(delivered_codes(fake_wechat)) == sorted(codes)
    assert statuses(session) == {"sent": len(codes)}


def test_two_processes_running_the_jobs_at_once_have_each_effect_once(
        database_url, session, fake_wechat, example_catalog, make_citizen):
    import_catalog(session, SYSTEM, example_catalog, today=real_now().date())
    place = session.scalar(select(Place))
    item = session.scalar(select(ServiceItem))
    soon = (real_now() + timedelta(minutes=40)).replace(second=0, microsecond=0)
    past = (real_now() - timedelta(hours=3)).replace(second=0, microsecond=0)
    slots = {}
    for name, start in (("soon", soon), ("past", past)):
        # Half an hour, but never past midnight: a slot is one day's (late in the evening, an
        # end after midnight would read as before the start, and the soon slot as long past).
        later = start + timedelta(minutes=30)
        end = later.time() if later.date() == start.date() else time(23, 59, 59)
        slots[name] = Slot(place_id=place.id, date=start.date(), start_time=start.time(),
                           end_time=end, kind="extended", capacity=50, booked=20, active=True)
        session.add(slots[name])
    session.flush()
    for i in range(20):
        for name, slot in slots.items():
            session.add(Booking(code=f"{name[:1].upper()}{i:07d}", citizen=make_citizen(),
                                slot_id=slot.id, place_id=place.id, item_id=item.id,
                                status="booked", created_at=real_now() - timedelta(days=1),
                                confirmation_queued=True))
    session.commit()

    processes = [job_process(database_url, fake_wechat, name)
                 for name in ("send-reminders", "mark-no-shows") for _ in range(2)]
    outputs = [finish(process) for process in processes]

    session.rollback()
    reminders = session.scalars(select(Notification.subject)
                                .where(Notification.event == "booking_reminder")).all()
    # From 23:20 the soon slot is tomorrow's, and tomorrow's bookings get the evening one too.
    kinds = ["soon"] + (["evening"] if soon.date() > real_now().date() else [])
    assert sorted(reminders) == sorted(f"booking:S{i:07d}:{kind}" for i in range(20)
                                       for kind in kinds)
    no_shows = session.scalar(select(func.count()).select_from(Booking)
                              .where(Booking.status == "no_show"))
    assert no_shows == 20
    audited = session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.entity == "booking", AuditLog.changes.contains('"no_show"')))
    assert audited == 20                      # each no-show marked (and audited) once
    # The two runs' own counts: what one queued, the other found queued.
    queued = [int(re.search(r"排入预约提醒 (\d+) 条", out).group(1)) for out in outputs[:2]]
    assert sum(queued) == 20 * len(kinds)
