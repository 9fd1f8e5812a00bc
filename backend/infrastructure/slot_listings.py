"""The slot listing's short cache: the answer of `GET /api/v1/places/<code>/slots` (its JSON body,
so neither the query nor the serialization is repeated), kept per place and query for at most
SLOT_LIST_CACHE_SECONDS (0: off). In Redis when REDIS_URL is set, shared by every process of the
deployment (gunicorn's workers, the jobs, the commands); else in the process.

It only ever shows seats: a booking claims its seat with its own conditional UPDATE
(services/booking.py), whatever a listing said.

Fresh when seats change. Each place has a version, and the global one stands for every place; a
cached answer carries the versions read before its query ran, and is served only while they are
still the current ones and it is younger than the setting. Whatever changes a place's slots
(booked, capacity, open or not) bumps that place's version once its transaction has committed:
never before, or a listing read in between would store the old seats under the new version.
ORM changes to `Slot` rows are seen by a session hook; Core statements on the slot table call
`slots_changed` (as the audit log's `record`); an ORM bulk statement on the table bumps every
place. A listing whose query ran before the commit was stored under the old version, which the
bump has made stale: no order of events can keep an old answer alive, only one at most
SLOT_LIST_CACHE_SECONDS old (the limit on everything: another process's change with no Redis
to tell it, a bump that did not reach Redis).

The cache must never break the listing: when Redis does not answer, the listing is computed as
if there were no cache (and Redis is left alone for a second before it is asked again)."""
from __future__ import annotations

import itertools
import logging
import threading
import time
from dataclasses import dataclass
from itertools import chain
from typing import Iterable

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..models import Place, Slot

log = logging.getLogger(__name__)

EXTENSION = "banban.slot_listings"
EVERY_PLACE = None  # `slots_changed(session, EVERY_PLACE)`: the global version
_CHANGES = "slot_listing_changes"  # session.info: (the app's listings, places changed)
_SLOT_TABLE = Slot.__table__.name
# Queries longer than this (a client adding parameters of its own) are answered, not cached.
MAX_QUERY = 256


@dataclass
class Lookup:
    """One listing looked up: the cached body if it may be served; else what storing the
    freshly computed body needs (`tag` None: the store did not answer, store nothing)."""
    place: str
    query: bytes
    tag: bytes | None
    stamp: float
    body: bytes | None = None


def _entry(tag: bytes, stamp: float, body: bytes) -> bytes:
    return b"%s|%r|%s" % (tag, stamp, body)


def _served(entry: bytes | None, tag: bytes, now: float, seconds: float) -> bytes | None:
    """The entry's body if it was stored under these versions less than `seconds` ago."""
    if entry is None:
        return None
    stored_tag, stamp, body = entry.split(b"|", 2)
    age = now - float(stamp)
    return body if stored_tag == tag and 0 <= age < seconds else None


class MemoryStore:
    """The process's own cache (no Redis): other processes' changes show once an answer is
    SLOT_LIST_CACHE_SECONDS old."""

    MAX_ENTRIES = 2048

    def __init__(self) -> None:
        self.versions: dict[str | None, int] = {}
        self.entries: dict[tuple[str, bytes], bytes] = {}
        self.counter = itertools.count(1)  # thread-safe in CPython: versions are never reused

    def tag(self, place: str) -> bytes:
        return b"%d.%d" % (self.versions.get(EVERY_PLACE, 0), self.versions.get(place, 0))

    def find(self, place: str, query: bytes) -> tuple[bytes, bytes | None]:
        return self.tag(place), self.entries.get((place, query))

    def keep(self, place: str, query: bytes, entry: bytes, seconds: float) -> None:
        if len(self.entries) >= self.MAX_ENTRIES:
            self.entries.clear()  # a few thousand distinct queries within seconds: start over
        self.entries[(place, query)] = entry

    def bump(self, places: Iterable[str | None]) -> None:
        for place in places:
            self.versions[place] = next(self.counter)

    def clear(self) -> None:
        self.entries.clear()
        self.versions.clear()


class RedisStore:
    """The cache every process shares: one round trip to look up (the versions and the entry
    together), one to store, one per commit that changed slots."""

    PREFIX = "banban:slot-listing"
    # Redis drops an entry a little after it stops being served (the clock that decides is the
    # app's, which tests move by hand); the versions are kept (one small key per place).
    EXPIRY_MARGIN_SECONDS = 10

    def __init__(self, url: str, timeout: float = 0.5):
        import redis
        self.redis = redis.Redis.from_url(url, socket_timeout=timeout,
                                          socket_connect_timeout=timeout)

    def _version_key(self, place: str | None) -> str:
        return f"{self.PREFIX}:v" if place is None else f"{self.PREFIX}:v:{place}"

    def _entry_key(self, place: str, query: bytes) -> bytes:
        return b"%s:e:%s?%s" % (self.PREFIX.encode(), place.encode(), query)

    def find(self, place: str, query: bytes) -> tuple[bytes, bytes | None]:
        every, this, entry = self.redis.mget(self._version_key(EVERY_PLACE),
                                             self._version_key(place),
                                             self._entry_key(place, query))
        return b"%s.%s" % (every or b"0", this or b"0"), entry

    def keep(self, place: str, query: bytes, entry: bytes, seconds: float) -> None:
        self.redis.set(self._entry_key(place, query), entry,
                       ex=int(seconds) + self.EXPIRY_MARGIN_SECONDS)

    def bump(self, places: Iterable[str | None]) -> None:
        pipe = self.redis.pipeline(transaction=False)
        for place in places:
            pipe.incr(self._version_key(place))
        pipe.execute()

    def clear(self) -> None:
        keys = list(self.redis.scan_iter(match=f"{self.PREFIX}:*", count=1000))
        if keys:
            self.redis.delete(*keys)


class SlotListings:
    """The app's slot-listing cache (`app.extensions["banban.slot_listings"]`)."""

    PAUSE_SECONDS = 1.0  # after a store failure, how long to compute without asking it

    def __init__(self, store: MemoryStore | RedisStore):
        self.store = store
        self.paused_until = 0.0
        self.lock = threading.Lock()

    @classmethod
    def from_config(cls, config) -> SlotListings:
        url = config.get("REDIS_URL")
        return cls(RedisStore(url) if url else MemoryStore())

    def _available(self) -> bool:
        return time.monotonic() >= self.paused_until

    def _failed(self, doing: str) -> None:
        with self.lock:
            self.paused_until = time.monotonic() + self.PAUSE_SECONDS
        log.warning("slot listing cache unavailable (%s): listings computed uncached", doing,
                    exc_info=True)

    def find(self, place: str, query: bytes, now: float, seconds: float) -> Lookup:
        """The listing of `place` for `query` as cached, if it may still be served at `now`
        (app clock, seconds); else what `keep` needs once it is computed."""
        if len(query) > MAX_QUERY or not self._available():
            return Lookup(place, query, None, now)
        try:
            tag, entry = self.store.find(place, query)
            body = _served(entry, tag, now, seconds)
        except Exception:  # noqa: BLE001 - any store failure: compute the listing
            self._failed("lookup")
            return Lookup(place, query, None, now)
        return Lookup(place, query, tag, now, body)

    def keep(self, lookup: Lookup, body: bytes, seconds: float) -> None:
        """Store a listing computed after `lookup` (under the versions it read)."""
        if lookup.tag is None or not self._available():
            return
        try:
            self.store.keep(lookup.place, lookup.query, _entry(lookup.tag, lookup.stamp, body),
                            seconds)
        except Exception:  # noqa: BLE001
            self._failed("store")

    def changed(self, places: set[str | None]) -> None:
        """Make the cached listings of these places (None: of every place) stale. Called after
        the commit of the change; a failure is logged, never raised (the change is committed)."""
        try:
            self.store.bump(sorted(places, key=lambda p: (p is not None, p or "")))
        except Exception:  # noqa: BLE001
            self._failed("refresh")

    def clear(self) -> None:
        self.store.clear()


def init_app(app: Flask) -> SlotListings:
    listings = SlotListings.from_config(app.config)
    app.extensions[EXTENSION] = listings
    return listings


# -- Changes, published when their transaction commits ------------------------------------------

def _pending(session: Session) -> set[str | None] | None:
    """The places changed in the session's transaction, or None outside an app with a cache."""
    pending = session.info.get(_CHANGES)
    if pending is None:
        if not has_app_context() or EXTENSION not in current_app.extensions:
            return None
        pending = session.info[_CHANGES] = (current_app.extensions[EXTENSION], set())
    return pending[1]


def slots_changed(session: Session, place_code: str | None) -> None:
    """A Core statement in this session changed the slots (seats, capacity, open or not) of the
    place `place_code` (EVERY_PLACE: of any place): its cached listings are refreshed when the
    session's transaction commits. ORM changes to `Slot` need no call (a hook sees them)."""
    places = _pending(session)
    if places is not None:
        places.add(place_code)


@event.listens_for(Session, "after_flush")
def _slot_rows_flushed(session: Session, flush_context) -> None:
    place_ids = {obj.place_id for obj in chain(session.new, session.dirty, session.deleted)
                 if isinstance(obj, Slot)}
    if not place_ids:
        return
    places = _pending(session)
    if places is None:
        return
    codes = session.connection().execute(
        select(Place.code).where(Place.id.in_(place_ids))).scalars().all()
    # A slot whose place is gone with it (or not found): every place, to be safe.
    places.update(codes if len(codes) == len(place_ids) else [EVERY_PLACE])


@event.listens_for(Session, "do_orm_execute")
def _bulk_slot_statement(state) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) == _SLOT_TABLE:
            slots_changed(state.session, EVERY_PLACE)


@event.listens_for(Session, "after_commit")
def _publish(session: Session) -> None:
    # A savepoint's release is not the commit: the change is not visible to others yet.
    if session.in_nested_transaction():
        return
    pending = session.info.pop(_CHANGES, None)
    if pending is not None and pending[1]:
        listings, places = pending
        listings.changed(places)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    # The outermost transaction ended without a commit (rolled back, closed): nothing changed.
    # (After a commit, `_publish` has already taken the changes.)
    if transaction.parent is None:
        session.info.pop(_CHANGES, None)
