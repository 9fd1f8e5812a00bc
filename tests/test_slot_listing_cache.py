"""The slot listing's short cache (backend/infrastructure/slot_listings.py): an answer is served
for SLOT_LIST_CACHE_SECONDS at most, every change of a place's slots refreshes it once
committed, it is shared through Redis, and it never breaks the listing.

"Behind the cache's back" below is a change written with plain SQL, which nothing announces:
what the listing then answers shows whether it came from the cache."""
from __future__ import annotations

import copy
import logging
import os
import socket
from contextlib import contextmanager
from datetime import date, time

import pytest
import sqlalchemy as sa

from backend import uow
from backend.extensions import db
from backend.models import Slot
from backend.services.booking import BookingRules, SlotFull, book
from backend.services.catalog import import_catalog
from backend.services.scope import SYSTEM
from backend.services.slots import change_and_regenerate, generate_slots
from tests.conftest import _empty_tables, make_test_app
from tests.helpers import bearer

REDIS_URL = os.environ.get("TEST_REDIS_URL")
LISTING = "/api/v1/places/BS-HALL/slots"
DAY = "?from=2026-12-01&to=2026-12-01"


def _listings(app):
    return app.extensions["banban.slot_listings"]


def _hall(session, catalog, clock):
    import_catalog(session, SYSTEM, catalog)
    generate_slots(session, clock.now(), 14)
    session.commit()


def _slot(session, day="2026-12-01", start="09:00") -> Slot:
    return session.scalar(sa.select(Slot).where(Slot.date == date.fromisoformat(day),
                                                Slot.start_time == time.fromisoformat(start)))


def behind_the_back(session, sql: str = "UPDATE slot SET capacity = capacity + 5") -> None:
    session.execute(sa.text(sql))
    session.commit()


def remaining(client, query=DAY) -> dict[int, int]:
    response = client.get(LISTING + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return {s["id"]: s["remaining"] for s in response.get_json()["items"]}


def capacities(client, query=DAY) -> list[int]:
    return [s["capacity"] for s in client.get(LISTING + query).get_json()["items"]]


def login(client, code="wx-cache-1") -> dict:
    answer = client.post("/api/v1/auth/wechat-login", json={"code": code}).get_json()
    return bearer(answer["token"])


_REDIS_APPS: dict[str, object] = {}


@pytest.fixture(params=["memory"] + (["redis"] if REDIS_URL else []))
def app(request, app, database_url):
    """The tests' app, its listing cache in the process; and when TEST_REDIS_URL is set, an app
    of the same database with its cache in Redis (a Redis that does not answer then fails the
    test), in a context of its own on top (the tests' app empties the tables after)."""
    if request.param == "memory":
        yield app
        return
    redis_app = _REDIS_APPS.get(database_url)
    if redis_app is None:
        redis_app = _REDIS_APPS[database_url] = make_test_app(database_url, REDIS_URL=REDIS_URL)
    assert _listings(redis_app).store.redis.ping(), "Redis of TEST_REDIS_URL does not answer"
    config = dict(redis_app.config)
    with redis_app.app_context():
        _listings(redis_app).clear()
        yield redis_app
        _listings(redis_app).clear()
        redis_app.extensions["banban.limiter"].reset()
        db.session.remove()
    redis_app.config.clear()
    redis_app.config.update(config)


@pytest.fixture
def hall(session, example_catalog, clock):
    _hall(session, example_catalog, clock)
    return example_catalog


def test_an_answer_is_served_for_its_seconds_then_computed_again(client, hall, clock):
    first = client.get(LISTING + DAY)
    assert first.status_code == 200 and capacities(client) == [4] * 6
    behind_the_back(db.session)
    again = client.get(LISTING + DAY)
    assert again.get_data() == first.get_data()  # the same bytes: from the cache
    clock.advance(seconds=1.9)
    assert capacities(client) == [4] * 6
    clock.advance(seconds=0.1)  # 2 s old: no longer served
    assert capacities(client) == [9] * 6


def test_each_query_and_place_is_cached_on_its_own(client, hall, clock):
    assert capacities(client) == [4] * 6
    behind_the_back(db.session)
    assert capacities(client, "?from=2026-12-02&to=2026-12-02") == [9] * 6
    assert capacities(client) == [4] * 6
    # A refusal is not kept: a place that appears is listed at once.
    assert client.get("/api/v1/places/BS-NEW/slots").status_code == 404
    catalog = {"places": [{"code": "BS-NEW", "name": "新场所", "level": "town", "parent": None}],
               "schedules": [{"place": "BS-NEW", "kind": "regular", "weekdays": None,
                              "start": "09:00", "end": "10:00", "slot_minutes": 30,
                              "capacity": 3}]}
    _hall(db.session, catalog, clock)
    assert client.get("/api/v1/places/BS-NEW/slots" + DAY).get_json()["total"] == 2


def test_zero_seconds_turns_the_cache_off(app, client, hall):
    app.config["SLOT_LIST_CACHE_SECONDS"] = 0
    assert capacities(client) == [4] * 6
    behind_the_back(db.session)
    assert capacities(client) == [9] * 6


def test_a_booking_a_cancellation_and_a_move_refresh_the_listing_at_once(client, session, hall):
    headers = login(client)
    slot, other = _slot(session), _slot(session, start="10:00")
    before = remaining(client)
    assert before[slot.id] == 4 and before[other.id] == 4

    booked = client.post("/api/v1/bookings", json={"slot": slot.id, "item": "SB-001"},
                         headers=headers)
    assert booked.status_code == 201
    assert remaining(client)[slot.id] == 3

    code = booked.get_json()["code"]
    moved = client.post(f"/api/v1/bookings/{code}/reschedule", json={"slot": other.id},
                        headers=headers)
    assert moved.status_code == 200
    after_move = remaining(client)
    assert (after_move[slot.id], after_move[other.id]) == (4, 3)

    assert client.post(f"/api/v1/bookings/{code}/cancel", headers=headers).status_code == 200
    assert remaining(client)[other.id] == 4


def test_a_retried_booking_refreshes_nothing_twice_and_shows_one_seat_taken(client, session,
                                                                             hall):
    headers = {**login(client), "Idempotency-Key": "retry-1"}
    slot = _slot(session)
    remaining(client)
    body = {"slot": slot.id, "item": "SB-001"}
    first = client.post("/api/v1/bookings", json=body, headers=headers)
    retry = client.post("/api/v1/bookings", json=body, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert first.get_json()["code"] == retry.get_json()["code"]
    assert remaining(client)[slot.id] == 3


def test_regenerated_slots_refresh_the_listing(client, session, hall, clock):
    assert capacities(client) == [4] * 6
    changed = copy.deepcopy(hall)
    changed["schedules"][0]["capacity"] = 7
    change_and_regenerate(session, SYSTEM, lambda s: import_catalog(s, SYSTEM, changed),
                          clock.now(), 14)
    session.commit()
    assert capacities(client) == [7] * 6

    # A booked slot the schedule no longer offers is withdrawn, its booking cancelled by the
    # hall: both seen at once.
    book(session, login_citizen(client, session), _slot(session, start="11:30").id, "SB-001",
         None, None, clock.now(), BookingRules())
    session.commit()
    changed["schedules"][0]["end"] = "11:00"
    change_and_regenerate(session, SYSTEM, lambda s: import_catalog(s, SYSTEM, changed),
                          clock.now(), 14)
    session.commit()
    listed = client.get(LISTING + DAY).get_json()["items"]
    assert [s["start"] for s in listed] == ["09:00", "09:30", "10:00", "10:30"]


def login_citizen(client, session) -> int:
    from backend.infrastructure.tokens import read_token
    headers = login(client, "wx-cache-direct")
    return read_token("citizen", headers["Authorization"].split()[1])[0]


def test_orm_and_bulk_changes_of_slots_refresh_the_listing(client, session, hall):
    assert capacities(client) == [4] * 6
    _slot(session).capacity = 6  # the ORM, as the slot generation writes
    session.commit()
    assert capacities(client) == [6, 4, 4, 4, 4, 4]
    session.execute(sa.update(Slot).values(capacity=Slot.capacity + 1))  # a bulk statement
    session.commit()
    assert capacities(client) == [7, 5, 5, 5, 5, 5]


def test_the_refresh_comes_only_after_the_commit(app, client, session, hall, clock):
    listings = _listings(app)
    slot = _slot(session)
    citizen = login_citizen(client, session)
    version = listings.store.find("BS-HALL", b"")[0]

    # A listing looked up while the booking's transaction is open reads the seat still free,
    # and is stored under the versions it read: the commit that follows has made it stale.
    query = DAY[1:].encode()
    with uow.unit_of_work():
        book(session, citizen, slot.id, "SB-001", None, None, clock.now(), BookingRules())
        assert listings.store.find("BS-HALL", b"")[0] == version  # not before the commit
        found = listings.find("BS-HALL", query, clock.now().timestamp(), 2)
    assert listings.store.find("BS-HALL", b"")[0] != version
    listings.keep(found, b'{"items": [], "total": 0}', 2)  # what that reader computed
    assert listings.find("BS-HALL", query, clock.now().timestamp(), 2).body is None
    assert remaining(client)[slot.id] == 3

    # A change rolled back announces nothing, in its own transaction or the next one.
    version = listings.store.find("BS-HALL", b"")[0]
    full = _slot(session, start="09:30")
    behind_the_back(session, f"UPDATE slot SET booked = capacity WHERE id = {full.id}")
    with pytest.raises(SlotFull), uow.unit_of_work():
        book(session, citizen, full.id, "SB-001", None, None, clock.now(), BookingRules())
    with uow.unit_of_work():
        session.execute(sa.text("SELECT 1"))
    assert listings.store.find("BS-HALL", b"")[0] == version


def test_other_places_keep_their_cached_listings(client, session, hall, clock):
    catalog = {"places": [{"code": "BS-TOWN", "name": "镇便民服务中心", "level": "town",
                           "parent": None}],
               "schedules": [{"place": "BS-TOWN", "kind": "regular", "weekdays": None,
                              "start": "09:00", "end": "10:00", "slot_minutes": 30,
                              "capacity": 3}]}
    _hall(session, catalog, clock)
    town = "/api/v1/places/BS-TOWN/slots" + DAY
    assert [s["capacity"] for s in client.get(town).get_json()["items"]] == [3, 3]
    assert capacities(client) == [4] * 6
    behind_the_back(session)
    headers = login(client)
    assert client.post("/api/v1/bookings", json={"slot": _slot(session).id, "item": "SB-001"},
                       headers=headers).status_code == 201
    assert capacities(client) == [9] * 6  # BS-HALL's booking refreshed BS-HALL's listings
    assert [s["capacity"] for s in client.get(town).get_json()["items"]] == [3, 3]


@contextmanager
def own_apps(database_url: str, count: int, **overrides):
    """Apps of the test's own (as many processes would be), their tables emptied after."""
    apps = [make_test_app(database_url, **overrides) for _ in range(count)]
    try:
        yield apps
    finally:
        for app in apps:
            with app.app_context():
                app.extensions["banban.limiter"].reset()
                db.session.remove()
                _empty_tables()
                db.engine.dispose()


@pytest.mark.skipif(not REDIS_URL, reason="needs TEST_REDIS_URL")
def test_two_apps_share_the_cache_through_redis(database_url, example_catalog, clock):
    with own_apps(database_url, 2, REDIS_URL=REDIS_URL) as (first, second):
        _listings(first).clear()  # what a test before left in Redis
        with first.app_context():
            _hall(db.session, example_catalog, clock)
            slot_id = _slot(db.session).id
            assert capacities(first.test_client()) == [4] * 6
            behind_the_back(db.session)
        with second.app_context():
            # The second app serves what the first one cached ...
            assert capacities(second.test_client()) == [4] * 6
            client = second.test_client()
            assert client.post("/api/v1/bookings", json={"slot": slot_id, "item": "SB-001"},
                               headers=login(client)).status_code == 201
        with first.app_context():
            # ... and the second one's booking refreshes the first one's listing.
            listed = first.test_client().get(LISTING + DAY).get_json()["items"]
            assert [(s["capacity"], s["remaining"]) for s in listed][0] == (9, 8)


def test_an_unreachable_redis_leaves_the_listing_uncached_but_answering(
        database_url, example_catalog, clock, caplog):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The limits keep their counters in the process: only the cache meets the closed port.
    with own_apps(database_url, 1, REDIS_URL=f"redis://127.0.0.1:{port}/0",
                  RATELIMIT_STORAGE_URI=None) as (app,), app.app_context():
        _hall(db.session, example_catalog, clock)
        client = app.test_client()
        with caplog.at_level(logging.WARNING, "backend.infrastructure.slot_listings"):
            assert capacities(client) == [4] * 6
            behind_the_back(db.session)
            assert capacities(client) == [9] * 6  # computed: nothing was cached
            slot = _slot(db.session)
            booked = client.post("/api/v1/bookings", json={"slot": slot.id, "item": "SB-001"},
                                 headers=login(client))
            assert booked.status_code == 201  # committed; the refresh failed quietly
            assert remaining(client)[slot.id] == 8
        assert "slot listing cache unavailable" in caplog.text


@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
def test_an_answer_from_the_cache_is_the_one_flask_gave(database_url, example_catalog, clock,
                                                        https):
    from flask import request, request_started
    overrides = ({"SERVED_OVER_HTTPS": True, "WECHAT_APPID": "wx-test-app",
                  "WECHAT_SECRET": "wx-test-secret"} if https else {})
    with own_apps(database_url, 1, **overrides) as (app,), app.app_context():
        _hall(db.session, example_catalog, clock)
        client = app.test_client()
        reached_flask = []
        with request_started.connected_to(lambda sender, **kw: reached_flask.append(
                request.path), app):
            computed = client.get(LISTING + DAY)
            cached = client.get(LISTING + DAY)
        assert reached_flask.count(LISTING) == 1  # the second answer never reached Flask
        assert cached.status_code == computed.status_code == 200
        assert cached.get_data() == computed.get_data()
        assert sorted(cached.headers.items()) == sorted(computed.headers.items())
        assert ("Strict-Transport-Security" in cached.headers) == https
