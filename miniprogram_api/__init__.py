"""The JSON API for the mini-program, under /api/v1, documented by the OpenAPI it generates."""
from __future__ import annotations

from flask import Flask, Request, send_from_directory
from flask.sessions import SecureCookieSessionInterface
from flask_smorest import Api as _Api
import swagger_ui_bundle

from . import ratelimits, slot_listing
from .errors import register_error_handlers
from .openapi import ContractPlugin, describe_fields
from .schemas import ErrorSchema

PREFIX = "/api/v1"


class Api(_Api):
    ERROR_SCHEMA = ErrorSchema
    # Each operation lists the errors it can answer (openapi.py), not a catch-all `default`.
    DEFAULT_ERROR_RESPONSE_NAME = None

    # Our handlers give every error, API or not, the one shape of docs/api.md (see errors.py).
    def _register_error_handlers(self):
        pass

    # Lists answer {"items", "total"} (docs/api.md), not flask-smorest's pagination header.
    def _register_pagination_header(self):
        pass


class CookieSessionOutsideTheApi(SecureCookieSessionInterface):
    """The API signs in with bearer tokens, never a cookie: its requests get Flask's null
    session (nothing read, signed or written), the admin's the signed cookie as before."""

    def open_session(self, app: Flask, request: Request):
        if request.path.startswith(PREFIX + "/"):
            return None
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    from .views import bookings, cases, catalog, citizens, staff, staff_cases, subscriptions

    api = Api(app, spec_kwargs={
        "extra_plugins": [ContractPlugin(app, PREFIX)],
        "servers": [{"url": PREFIX, "description": "本服务（地址相对于提供本文档的主机）"}],
        "info": {
            "description": "博山区政务服务“帮办代办”微信小程序接口：群众预约、申请帮办代办、查看办件进度，"
                           "工作人员现场签到与办件处理。错误统一返回 "
                           "{\"error\": {\"code\", \"message\", \"details\"}}：code 为稳定的错误码，"
                           "message 为中文说明。",
            "contact": {"name": "博山区政务服务管理办公室"},
            "license": {"name": "专有软件，仅供博山区政务服务使用",
                        "identifier": "LicenseRef-Proprietary"},
        },
    })
    describe_fields(api)
    for blueprint in (catalog.blp, citizens.blp, bookings.blp, cases.blp, staff.blp,
                      staff_cases.blp, subscriptions.blp):
        api.register_blueprint(blueprint, url_prefix=PREFIX)
    app.extensions["banban.api"] = api

    # The interactive docs page loads Swagger UI from the installed package, not from a CDN.
    @app.get(f"{PREFIX}/docs/static/<path:filename>")
    def swagger_ui_static(filename):
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)

    register_error_handlers(app, PREFIX)
    ratelimits.init_app(app)
    app.session_interface = CookieSessionOutsideTheApi()
    slot_listing.init_app(app, PREFIX)
