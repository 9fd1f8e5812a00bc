"""The JSON API for the mini-program, under /api/v1, documented by the OpenAPI it generates."""
from __future__ import annotations

from flask import Flask, send_from_directory
from flask_smorest import Api as _Api
import swagger_ui_bundle

from . import ratelimits
from .errors import register_error_handlers
from .schemas import ErrorSchema

PREFIX = "/api/v1"


class Api(_Api):
    ERROR_SCHEMA = ErrorSchema

    # Our handlers give every error, API or not, the one shape of API.md (see errors.py).
    def _register_error_handlers(self):
        pass


def init_app(app: Flask) -> None:
    from .views import bookings, cases, catalog, citizens, staff, staff_cases

    api = Api(app, spec_kwargs={"info": {"description": "帮办代办微信小程序接口。错误统一返回 "
                                                        "{\"error\": {\"code\", \"message\", \"details\"}}。"}})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for blueprint in (catalog.blp, citizens.blp, bookings.blp, cases.blp, staff.blp,
                      staff_cases.blp):
        api.register_blueprint(blueprint, url_prefix=PREFIX)
    app.extensions["banban.api"] = api

    # The interactive docs page loads Swagger UI from the installed package, not from a CDN.
    @app.get(f"{PREFIX}/docs/static/<path:filename>")
    def swagger_ui_static(filename):
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)

    register_error_handlers(app, PREFIX)
    ratelimits.init_app(app)
