"""A bare baseline for bench/booking_storm.py: the least a booking server must do.

Same tables as the product (slot, booking), plain SQLAlchemy Core, no auth, no ORM, no
schemas, no booking rules:

- ``POST /book`` with ``{"slot": id, "citizen": id}``: in one transaction, the capacity claim
  ``UPDATE slot SET booked = booked + 1 WHERE id = :id AND active AND booked < capacity`` and,
  if it took a seat, an INSERT of a minimal booking row (the item and place ids come from the
  environment, prepared by the bench setup). Answers 201 ``{"code"}`` or 409
  ``{"error": {"code": "slot_full"}}`` (``duplicate_booking`` if the partial unique index of
  the product's table refuses a second active booking of one citizen on one slot).
- ``GET /slots?place_id=&from=&to=``: the active slots of a place in a date range, from one
  SELECT served by the (place_id, date, start_time) unique index, as JSON shaped like the
  product's answer: ``{"items": [{id, date, start, end, kind, capacity, remaining}], "total"}``.

Run it like the product: ``gunicorn --chdir bench 'baseline_app:create_app()'`` with
``DATABASE_URL``, ``BASELINE_ITEM_ID`` and ``BASELINE_PLACE_ID`` set.
"""
from __future__ import annotations

import os
import secrets
from datetime import date, datetime, timezone

import sqlalchemy as sa
from flask import Flask, jsonify, request
from sqlalchemy.exc import IntegrityError

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

CLAIM = sa.text("UPDATE slot SET booked = booked + 1 "
                "WHERE id = :id AND active AND booked < capacity")
INSERT = sa.text("INSERT INTO booking (code, citizen_id, slot_id, place_id, item_id, status, "
                 "created_at) VALUES (:code, :citizen, :slot, :place, :item, 'booked', :now)")
SLOTS = sa.text("SELECT id, date, start_time, end_time, kind, capacity, booked FROM slot "
                "WHERE place_id = :place AND date BETWEEN :first AND :last AND active "
                "ORDER BY date, start_time")


def _error(status: int, code: str):
    response = jsonify({"error": {"code": code, "message": code, "details": {}}})
    response.status_code = status
    return response


def create_app() -> Flask:
    app = Flask(__name__)
    threads = int(os.environ.get("BASELINE_POOL_SIZE", "8"))
    engine = sa.create_engine(os.environ["DATABASE_URL"], pool_size=threads, max_overflow=threads)
    item_id = int(os.environ["BASELINE_ITEM_ID"])
    place_id = int(os.environ["BASELINE_PLACE_ID"])

    @app.post("/book")
    def book():
        body = request.get_json(silent=True) or {}
        slot, citizen = body.get("slot"), body.get("citizen")
        if not isinstance(slot, int) or not isinstance(citizen, int):
            return _error(400, "invalid_input")
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        try:
            with engine.begin() as conn:
                if conn.execute(CLAIM, {"id": slot}).rowcount != 1:
                    raise _Full()
                conn.execute(INSERT, {"code": code, "citizen": citizen, "slot": slot,
                                      "place": place_id, "item": item_id,
                                      "now": datetime.now(timezone.utc)})
        except _Full:
            return _error(409, "slot_full")
        except IntegrityError:
            return _error(409, "duplicate_booking")
        return jsonify({"code": code}), 201

    @app.get("/slots")
    def slots():
        try:
            place = int(request.args["place_id"])
            first = date.fromisoformat(request.args["from"])
            last = date.fromisoformat(request.args["to"])
        except (KeyError, ValueError):
            return _error(400, "invalid_input")
        with engine.connect() as conn:
            rows = conn.execute(SLOTS, {"place": place, "first": first, "last": last}).all()
        items = [{"id": r.id, "date": r.date.isoformat(), "start": r.start_time.strftime("%H:%M"),
                  "end": r.end_time.strftime("%H:%M"), "kind": r.kind, "capacity": r.capacity,
                  "remaining": max(r.capacity - r.booked, 0)} for r in rows]
        return jsonify({"items": items, "total": len(items)})

    return app


class _Full(Exception):
    pass
