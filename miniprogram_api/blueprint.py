"""The API's Blueprint: flask-smorest's, with a JSON parser that refuses what it cannot read."""
from __future__ import annotations

import json
from functools import wraps

import flask_smorest
from flask import request

from backend.errors import InvalidInput
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
        decorator = super().arguments(flask_smorest.utils.resolve_schema_instance(schema),
                                      *args, **kwargs)
        if kwargs.get("location", "json") != "json" or not kwargs.get("required", True):
            return decorator

        # A body the served document declares required is required: webargs alone would
        # read a missing one as {} (and a route whose fields are all optional would run).
        def require_body(view):
            parse = decorator(view)

            @wraps(parse)
            def wrapper(*a, **kw):
                if not request.get_data(cache=True):
                    raise InvalidInput("缺少请求体", {"json": ["请求体不能为空"]})
                return parse(*a, **kw)
            return wrapper
        return require_body
