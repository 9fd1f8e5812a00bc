"""Answers written by orjson read exactly as Flask's own JSON would have written them."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import Decimal

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from backend.jsonio import JSONProvider

SAMPLE = {"name": "博山区政务服务中心", "b": 1, "a": [1.5, None, True],
          "on": date(2026, 12, 7), "at": datetime(2026, 12, 7, 1, 2, 3, tzinfo=timezone.utc),
          "fee": Decimal("1.10"), "nested": {"z": 1, "y": {"x": "值"}}, "ids": {2: "二"}}


REFERENCE, TESTED = Flask("reference"), Flask("tested")  # providers hold their app weakly


def flask_wrote(obj) -> str:
    provider = DefaultJSONProvider(REFERENCE)
    provider.ensure_ascii = False
    return provider.dumps(obj, separators=(",", ":"))


def test_orjson_writes_what_flask_wrote():
    provider = JSONProvider(TESTED)
    assert provider.dumps(SAMPLE) == flask_wrote(SAMPLE)
    with TESTED.app_context():
        response = provider.response(SAMPLE)
    assert response.mimetype == "application/json"
    assert response.get_data(as_text=True) == flask_wrote(SAMPLE)


def test_an_integer_beyond_64_bits_is_written_too():
    provider = JSONProvider(TESTED)
    big = {"slot": 10 ** 30}
    assert json.loads(provider.dumps(big)) == big


def test_the_app_answers_through_orjson(app):
    assert isinstance(app.json, JSONProvider)
    answer = app.test_client().get("/api/v1/places")
    assert answer.status_code == 200 and "\\u" not in answer.get_data(as_text=True)
