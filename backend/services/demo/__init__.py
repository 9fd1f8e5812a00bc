"""The Boshan demo: catalogue, staff for every role, agent registrations and a rota
(`seed_demo`, cheap: the tests and benchmarks load it), and on an empty database the history of
a season in the district's halls (`history.seed_history`, which `seed-demo` runs)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...domain.schedules import ROTA_KINDS, serves
from ...models import ScheduleRule, Staff
from ..calendar import load_calendar
from ..catalog import ImportResult, import_catalog
from ..scope import SYSTEM
from ..staff import create_staff, generate_password
from .queue_day import seed_queue_day
from ..training import Training

CATALOG_FILE = Path(__file__).resolve().parents[2] / "demo" / "catalog.json"

# username, role, name, places, department
DEMO_STAFF = [
    ("admin", "district_admin", "区政务服务管理办管理员", [], None),
    ("inspector", "inspector", "督查员", [], None),
    ("manager", "place_manager", "张经理", ["BS-HALL"], "XZSPFWJ"),
    ("agent1", "agent", "李帮办", ["BS-HALL"], "RSJ"),
    ("agent2", "agent", "王代办", ["BS-HALL"], "SCJGJ"),
    ("agent3", "agent", "赵帮办", ["BS-CD"], "MZJ"),
    ("agent4", "agent", "刘代办", ["BS-CD"], "RSJ"),
    ("guide1", "guide", "孙引导", ["BS-HALL"], None),
]


@dataclass
class DemoResult:
    catalog: ImportResult
    rota: ImportResult
    passwords: list[tuple[str, str, str]]  # (username, role, password) of accounts made now


def seed_demo(session: Session, now: datetime, rota_days: int) -> DemoResult:
    """Load the demo as the system would (`seed-demo`); the caller regenerates the slots."""
    catalog = import_catalog(session, SYSTEM,
                             json.loads(CATALOG_FILE.read_text(encoding="utf-8")),
                             today=now.date())

    passwords = []
    for username, role, name, places, department in DEMO_STAFF:
        # New accounts only; an agent is registered at its station as it is created.
        if session.scalar(select(Staff.id).where(Staff.username == username)) is None:
            password = generate_password()
            create_staff(session, SYSTEM, username=username, password=password, role=role,
                         name=name, place_codes=places, department_code=department, now=now,
                         training=demo_training(username, role, now))
            passwords.append((username, role, password))

    rota = import_catalog(session, SYSTEM, {"rota": demo_rota(session, now, rota_days)},
                          today=now.date())
    # The hall's windows, and today's queue up to now.
    seed_queue_day(session, now)
    return DemoResult(catalog, rota, passwords)


def demo_training(username: str, role: str, now: datetime) -> Training | None:
    """The course the demo's agents and guides took a month before (a registration needs a
    current training record)."""
    if role not in ("agent", "guide"):
        return None
    return Training(course="帮办代办业务与服务规范用语培训", trained_on=(now - timedelta(days=30)).date(),
                    hours="12", provider="博山区政务服务管理办公室",
                    certificate_number=f"BSPX-2026-{username}")


def demo_rota(session: Session, now: datetime, days: int) -> list[dict]:
    """Agents of each place take turns (轮休) on the days its off-hours sessions run. Whose turn
    a day is depends on the date alone, so that the rota of a day is the same whichever day it
    is computed from (a later `seed-demo` changes nothing the history's rota already holds)."""
    calendar = load_calendar(session)
    rules = session.scalars(select(ScheduleRule).where(ScheduleRule.kind.in_(ROTA_KINDS))).all()
    agents = session.scalars(select(Staff).where(Staff.role == "agent").options(
        selectinload(Staff.places)).order_by(Staff.username)).all()
    rota = []
    for place_code in sorted({r.place.code for r in rules}):
        place_agents = [a.username for a in agents if place_code in {p.code for p in a.places}]
        if not place_agents:
            continue
        for offset in range(days):
            day = calendar.day(now.date() + timedelta(days=offset))
            if any(serves(r, day) for r in rules if r.place.code == place_code):
                rota.append({"place": place_code, "date": day.date.isoformat(),
                             "agent": place_agents[day.date.toordinal() % len(place_agents)]})
    return rota


from .history import (  # noqa: E402  (the history loads the plain demo above at its start)
    DEFAULT_SEED, HISTORY_SIZES, HistoryResult, HistorySize, is_empty, seed_history,
)

__all__ = ["CATALOG_FILE", "DEMO_STAFF", "DemoResult", "seed_demo", "demo_rota", "DEFAULT_SEED",
           "HISTORY_SIZES", "HistoryResult", "HistorySize", "is_empty", "seed_history"]
