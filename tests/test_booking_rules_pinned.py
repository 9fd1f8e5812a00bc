"""The booking claim (one SQL statement) and the refusal diagnosis (`_refuse`, which says why a
claim took no seat) encode the same rules twice, for speed. This test pins them together: over a
grid of slots, times, items, help types and citizens, the claim takes a seat exactly when the
diagnosis finds nothing wrong but a full slot, and the slot has room. Changing one rule without
the other fails here."""
from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select, update

from backend.errors import DomainError
from backend.models import Citizen, Slot
from backend.services import booking as service
from backend.services.catalog import import_catalog
from backend.services.slots import generate_slots
from backend.services.scope import SYSTEM
from tests.conftest import TZ

RULES = service.BookingRules()


@pytest.fixture
def world(session, example_catalog, clock, make_citizen):
    example_catalog["places"].append({"code": "TOWN", "name": "城东街道便民服务中心",
                                      "level": "town", "parent": "BS-HALL"})
    example_catalog["items"].append(dict(example_catalog["items"][0], code="SB-002",
                                         name="仅代办、仅在城东的事项", help_types=["proxy"],
                                         places=["TOWN"]))
    example_catalog["items"].append(dict(example_catalog["items"][0], code="SB-003",
                                         name="仅代办的事项", help_types=["proxy"]))
    import_catalog(session, SYSTEM, example_catalog)
    generate_slots(session, clock.now(), 20)
    session.commit()
    return make_citizen()


def outcome(session, citizen_id: int, slot_id: int, item: str, help_type: str | None,
            now: datetime) -> tuple[bool, str]:
    """(whether the claim takes a seat, what the diagnosis says), rolled back after."""
    conn = session.connection()
    open_from = service.earliest_open_start(now, RULES)
    claimed = conn.execute(service._CLAIM_FOR_BOOKING[help_type]["open"], {
        "slot_id": slot_id, "citizen_id": citizen_id, "item_code": item, "now": now,
        "open_date": open_from.date(), "open_time": open_from.time(),
        "last_date": now.date() + timedelta(days=RULES.window_days),
        **service.seat_terms(now, RULES)}).one_or_none()
    session.rollback()
    try:
        service._refuse(session.connection(), citizen_id, slot_id, item, help_type, now, RULES)
    except DomainError as refusal:
        said = refusal.code
    session.rollback()
    return claimed is not None, said


SLOT_DAYS = [0, 1, 14, 15]  # today, tomorrow, the window's last day, beyond it
STARTS = ["09:00", "09:30", "10:00"]  # at 09:00 + offsets below: closed, closing, open
NOWS = [timedelta(minutes=0), timedelta(minutes=1), timedelta(minutes=-1)]
ITEMS = [("SB-001", None), ("SB-001", "assist"), ("SB-001", "proxy"), ("SB-003", "assist"),
         ("SB-002", None), ("NOPE", None)]
STATES = ["open", "inactive", "full", "blocked", "was_blocked"]


def test_the_claim_and_the_diagnosis_agree(world, session, clock):
    citizen = world
    today = clock.now().date()
    checked = 0
    for days, start, item_help, state in itertools.product(SLOT_DAYS, STARTS, ITEMS, STATES):
        slot = session.scalar(select(Slot).where(
            Slot.date == today + timedelta(days=days), Slot.start_time == time.fromisoformat(start),
            Slot.place.has(code="BS-HALL")))
        if slot is None:  # a weekend day: no slot
            continue
        session.execute(update(Slot).where(Slot.id == slot.id).values(
            active=state != "inactive", booked=slot.capacity if state == "full" else 0))
        blocked = {"blocked": clock.now() + timedelta(days=3),
                   "was_blocked": clock.now() - timedelta(minutes=1)}.get(state)
        session.execute(update(Citizen).where(Citizen.id == citizen.id)
                        .values(blocked_until=blocked))
        session.commit()
        for offset in NOWS:
            now = datetime.combine(today, time(8, 30), TZ) + offset
            took, said = outcome(session, citizen.id, slot.id, *item_help, now)
            has_room = state != "full"
            assert took == (said == "slot_full" and has_room), (
                days, start, item_help, state, offset, took, said)
            checked += 1
    assert checked > 500
