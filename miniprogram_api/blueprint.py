"""The API's Blueprint: flask-smorest's, with a JSON parser that refuses what it cannot read."""
from __future__ import annotations

import json

import flask_smorest
from webargs.flaskparser import FlaskParser, abort


class Parser(FlaskParser):
    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except json.JSONDecodeError:
            raise
        except (RecursionError, ValueError):
            # Nesting too deep, or an integer too long to convert: not JSON we can read.
            raise json.JSONDecodeError("unreadable JSON", "x", 0) from None

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(400, exc=error, messages={"json": ["请求体不是有效的 JSON"]})


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = Parser()

    def arguments(self, schema, *args, **kwargs):
        # One schema instance per route, made here: given a class, webargs would build a new
        # instance (binding every field) on each request. Schemas keep no state between loads.
        return super().arguments(flask_smorest.utils.resolve_schema_instance(schema),
                                 *args, **kwargs)
