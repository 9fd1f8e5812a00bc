"""The JSON API for the mini-program, under /api/v1, documented by the OpenAPI it generates."""
from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import (
    Blueprint, Flask, Request, make_response, render_template, send_from_directory, url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_smorest import Api as _Api

from . import ratelimits, slot_listing
from .errors import register_error_handlers
from .openapi import ContractPlugin, describe_fields
from .schemas import ErrorSchema

PREFIX = "/api/v1"

# The docs page runs Swagger UI from our own files only (its start script included, see
# static/api_docs.js); it reads the document and sends "try it out" requests to this origin.
DOCS_PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'")
# Swagger UI 5 (the first to read OpenAPI 3.1, our document's version), its files from the
# pinned flask-swagger-ui package: only its `dist` folder, neither its blueprint nor its page.
SWAGGER_UI_FILES = Path(flask_swagger_ui.__file__).resolve().parent / "dist"
# The docs page and its start script.
docs_page = Blueprint("api_docs_page", __name__, template_folder="templates",
                      static_folder="static", static_url_path=PREFIX + "/docs/page")


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

    # flask-smorest's Swagger UI page starts it with an inline script, which a policy refusing
    # inline scripts would block: ours starts it from a file, under DOCS_PAGE_POLICY.
    def _openapi_swagger_ui(self):
        response = make_response(render_template(
            "api_docs.html", title=self.spec.title, swagger_ui_url=self._swagger_ui_url,
            spec_url=url_for(f"{self._make_doc_blueprint_name()}.openapi_json")))
        response.headers["Content-Security-Policy"] = DOCS_PAGE_POLICY
        return response


class CookieSessionOutsideTheApi(SecureCookieSessionInterface):
    """The API signs in with bearer tokens, never a cookie: its requests get Flask's null
    session (nothing read, signed or written), the admin's the signed cookie as before."""

    def open_session(self, app: Flask, request: Request):
        if request.path.startswith(PREFIX + "/"):
            return None
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    from .views import (
        bookings, cases, catalog, citizens, consultations, staff, staff_cases, subscriptions,
        tickets,
    )

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
                      staff_cases.blp, subscriptions.blp, tickets.blp, consultations.blp,
                      consultations.staff_blp):
        api.register_blueprint(blueprint, url_prefix=PREFIX)
    app.extensions["banban.api"] = api

    app.register_blueprint(docs_page)

    # The interactive docs page loads Swagger UI from the installed package, not from a CDN.
    @app.get(f"{PREFIX}/docs/static/<path:filename>")
    def swagger_ui_static(filename):
        return send_from_directory(SWAGGER_UI_FILES, filename)

    register_error_handlers(app, PREFIX)
    ratelimits.init_app(app)
    app.session_interface = CookieSessionOutsideTheApi()
    slot_listing.init_app(app, PREFIX)
