"""JSON written by orjson (Flask's JSON provider interface): the slot listing and every answer
spend a tenth of the CPU the standard library takes to write them. What it writes is what
Flask wrote: keys sorted, Chinese as UTF-8 rather than escaped, dates, datetimes, decimals and
dataclasses through Flask's own conversions; what orjson cannot write (an integer beyond 64
bits, echoed back in an error's details) the standard library writes. Requests are still read
by the standard library: orjson would read such an integer as a float."""
from __future__ import annotations

from typing import Any

import orjson
from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider

# Flask's conversions decide dates and datetimes (HTTP dates) and dataclasses, as before.
_OPTIONS = (orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
            | orjson.OPT_PASSTHROUGH_DATACLASS)


class JSONProvider(DefaultJSONProvider):
    ensure_ascii = False

    def _bytes(self, obj: Any) -> bytes:
        try:
            return orjson.dumps(obj, default=self.default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().dumps(obj, separators=(",", ":")).encode()

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:  # options orjson does not have (indent=..., cls=...): the standard library
            return super().dumps(obj, **kwargs)
        return self._bytes(obj).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(self._bytes(obj), mimetype=self.mimetype)


def init_app(app: Flask) -> None:
    app.json = JSONProvider(app)
