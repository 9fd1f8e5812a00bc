"""The rota is per place, like schedules (docs/api.md "Catalogue file"): the entries a file lists
for a place become its rota from today on, earlier days are history, places the file does not
mention keep theirs, and a day dropped withdraws its off-hours slots and cancels their bookings by
the hall, with the reason the citizen reads in `GET /bookings`."""
from __future__ import annotations

import copy
from datetime import date, time

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import Booking, RotaEntry, Slot
from backend.services.slots import ROTA_CANCEL_REASON
from tests.helpers import bearer
from tests.factories import TRAINING_OPTIONS

PASSWORD = "Lantern-harbour-47-quartz"
D = date.fromisoformat
# Monday 2026-11-30 is the clock's today; 12-05 and 12-12 are Saturdays.
HALL_FILE = {
    "places": [{"code": "HALL", "name": "区政务服务中心", "level": "district"},
               {"code": "TOWN", "name": "城东街道便民服务中心", "level": "town", "parent": "HALL"}],
    "departments": [{"code": "RSJ", "name": "区人社局"}],
    "stations": [{"place": "HALL", "department": "RSJ"}, {"place": "TOWN", "department": "RSJ"}],
    "items": [{"code": "SB-001", "name": "城乡居民基本养老保险参保登记", "department": "RSJ",
               "category": "社会保险", "commitment_days": 5, "help_types": ["assist"],
               "places": ["HALL", "TOWN"]}],
    "schedules": [
        {"place": place, "kind": kind, "weekdays": weekdays, "start": start, "end": end,
         "slot_minutes": 60, "capacity": 2}
        for place in ("HALL", "TOWN")
        for kind, weekdays, start, end in (("regular", [1, 2, 3, 4, 5], "09:00", "11:00"),
                                           ("extended", [2], "17:00", "19:00"),
                                           ("weekend", [6], "09:00", "12:00"))],
    "rota": [],
}


def rota(*entries: tuple[str, str]) -> list[dict]:
    return [{"place": place, "date": day, "agent": "agent-" + place.lower()}
            for place, day in entries]


@pytest.fixture
def run(cli):
    """A command that must succeed; its standard output."""
    def run(*args: str, input: str | None = None) -> str:
        result = cli(*args, input=input)
        assert result.exit_code == 0, result.output
        db.session.expire_all()
        return result.stdout
    return run


@pytest.fixture
def hall(run, write_json):
    """The hall and the town, each with an agent on duty on both Saturdays and Tuesday 12-01."""
    run("catalog-import", write_json(dict(HALL_FILE, rota=[]), "catalogue.json"))
    for place in ("HALL", "TOWN"):
        run("create-user", f"agent-{place.lower()}", "--role", "agent", "--department", "RSJ",
            "--place", place, *TRAINING_OPTIONS, input=PASSWORD + "\n")
    data = dict(HALL_FILE, rota=rota(*[(place, day) for place in ("HALL", "TOWN")
                                       for day in ("2026-12-01", "2026-12-05", "2026-12-12")]))
    run("catalog-import", write_json(data, "with-rota.json"))
    return data


def import_file(run, write_json, data) -> list[str]:
    return run("catalog-import", write_json(data, "changed.json")).splitlines()


def on_duty(place: str) -> list[str]:
    return [d.isoformat() for d in db.session.scalars(
        sa.select(RotaEntry.date).join(RotaEntry.place).where(RotaEntry.place.has(code=place))
        .order_by(RotaEntry.date))]


def open_slots(place: str, day: str) -> list[tuple[time, str]]:
    return [(s.start_time, s.kind) for s in db.session.scalars(
        sa.select(Slot).where(Slot.place.has(code=place), Slot.date == D(day),
                              Slot.active.is_(True)).order_by(Slot.start_time))]


@pytest.fixture
def citizen(client):
    return bearer(client.post("/api/v1/auth/wechat-login",
                              json={"code": "old-li"}).get_json()["token"])


def book(client, citizen, place: str, day: str, start: str) -> dict:
    slot = db.session.scalar(sa.select(Slot.id).where(
        Slot.place.has(code=place), Slot.date == D(day),
        Slot.start_time == time.fromisoformat(start)))
    answer = client.post("/api/v1/bookings", headers=citizen,
                         json={"slot": slot, "item": "SB-001", "help_type": "assist"})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_the_rota_makes_the_off_hours_slots(hall):
    assert on_duty("HALL") == ["2026-12-01", "2026-12-05", "2026-12-12"]
    assert open_slots("HALL", "2026-12-05") == [
        (time(9), "weekend"), (time(10), "weekend"), (time(11), "weekend")]
    assert [kind for _, kind in open_slots("HALL", "2026-12-01")] == ["regular"] * 2 + [
        "extended"] * 2


def test_a_saturday_dropped_from_the_file_is_cancelled_by_the_hall(hall, run, write_json,
                                                                    client, citizen):
    saturday = book(client, citizen, "HALL", "2026-12-05", "10:00")
    other_saturday = book(client, citizen, "HALL", "2026-12-12", "10:00")
    in_town = book(client, citizen, "TOWN", "2026-12-05", "10:00")
    changed = copy.deepcopy(hall)
    changed["rota"] = [e for e in changed["rota"]
                       if (e["place"], e["date"]) != ("HALL", "2026-12-05")]

    output = import_file(run, write_json, changed)

    assert output[0] == "删除：轮班 1"
    assert output[1] == "预约时段：新增时段 0，更新 0，撤下 3，因调整取消预约 1"
    assert on_duty("HALL") == ["2026-12-01", "2026-12-12"]
    assert open_slots("HALL", "2026-12-05") == []
    mine = {b["code"]: b for b in client.get("/api/v1/bookings", headers=citizen)
            .get_json()["items"]}
    cancelled = mine[saturday["code"]]
    assert (cancelled["status"], cancelled["cancelled_by"], cancelled["cancel_reason"]) == (
        "cancelled", "hall", ROTA_CANCEL_REASON)
    assert cancelled["cancelled_at"] is not None
    # The same Saturday in the town, and the hall's other Saturday, are untouched.
    assert mine[in_town["code"]]["status"] == mine[other_saturday["code"]]["status"] == "booked"
    # The seat was released with the booking: the slot is withdrawn with nothing booked.
    slot = db.session.get(Slot, saturday["slot"]["id"])
    assert (slot.active, slot.booked) == (False, 0)


def test_a_day_added_to_the_file_opens_its_slots(hall, run, write_json):
    changed = copy.deepcopy(hall)
    changed["rota"] += rota(("HALL", "2026-12-08"))  # a Tuesday: extended hours

    output = import_file(run, write_json, changed)

    assert output[0] == "新增：轮班 1"
    assert output[1] == "预约时段：新增时段 2，更新 0，撤下 0，因调整取消预约 0"
    assert on_duty("HALL") == ["2026-12-01", "2026-12-05", "2026-12-08", "2026-12-12"]
    assert [kind for _, kind in open_slots("HALL", "2026-12-08")][-2:] == ["extended"] * 2


def test_a_place_the_file_does_not_mention_keeps_its_rota(hall, run, write_json):
    changed = copy.deepcopy(hall)
    changed["rota"] = rota(("HALL", "2026-12-12"))

    import_file(run, write_json, changed)

    assert on_duty("HALL") == ["2026-12-12"]
    assert on_duty("TOWN") == ["2026-12-01", "2026-12-05", "2026-12-12"]
    assert open_slots("TOWN", "2026-12-05") != []


def test_a_file_without_a_rota_keeps_every_rota(hall, run, write_json):
    changed = dict(copy.deepcopy(hall), rota=[])
    assert import_file(run, write_json, changed) == [
        "无变化", "预约时段：新增时段 0，更新 0，撤下 0，因调整取消预约 0"]
    assert on_duty("HALL") == ["2026-12-01", "2026-12-05", "2026-12-12"]


def test_the_same_file_twice_changes_nothing(hall, run, write_json, client, citizen):
    book(client, citizen, "HALL", "2026-12-05", "09:00")
    changed = copy.deepcopy(hall)
    changed["rota"] = [e for e in changed["rota"] if e["date"] != "2026-12-12"]
    import_file(run, write_json, changed)
    before = {t.name: db.session.execute(sa.select(t).order_by(*t.primary_key.columns)).all()
              for t in db.metadata.sorted_tables}

    output = import_file(run, write_json, changed)

    assert output[:2] == ["无变化", "预约时段：新增时段 0，更新 0，撤下 0，因调整取消预约 0"]
    db.session.expire_all()
    assert {t.name: db.session.execute(sa.select(t).order_by(*t.primary_key.columns)).all()
            for t in db.metadata.sorted_tables} == before


def test_days_before_today_are_history(hall, run, write_json, clock):
    clock.advance(days=6)  # Sunday 12-06: Tuesday 12-01 and Saturday 12-05 are past
    changed = copy.deepcopy(hall)
    changed["rota"] = rota(("HALL", "2026-12-12"), ("HALL", "2026-11-01"))

    output = import_file(run, write_json, changed)

    assert output[0] == "无变化"  # the past entry is neither added nor needed
    assert on_duty("HALL") == ["2026-12-01", "2026-12-05", "2026-12-12"]


def test_a_booking_cancelled_by_the_hall_is_not_counted_against_the_citizen(
        hall, run, write_json, client, citizen, session):
    """Three active bookings is the limit; the hall's cancellation frees a place."""
    codes = [book(client, citizen, "HALL", "2026-12-05", start)["code"]
             for start in ("09:00",)] + [book(client, citizen, "HALL", day, "09:00")["code"]
                                         for day in ("2026-12-07", "2026-12-08")]
    changed = copy.deepcopy(hall)
    changed["rota"] = [e for e in changed["rota"] if e["date"] != "2026-12-05"]
    import_file(run, write_json, changed)

    assert session.scalar(sa.select(Booking.status).where(Booking.code == codes[0])) == "cancelled"
    book(client, citizen, "HALL", "2026-12-09", "09:00")
