"""One error shape for the API: {"error": {"code", "message", "details"}} (docs/api.md)."""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, request
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from backend.errors import DomainError, ServiceUnavailable
from backend.extensions import db

log = logging.getLogger(__name__)

# Stable codes and Chinese messages for the HTTP errors the framework raises by itself.
HTTP_ERRORS = {
    400: ("invalid_input", "请求格式有误"),
    401: ("unauthorized", "请先登录"),
    403: ("forbidden", "无权进行此操作"),
    404: ("not_found", "请求的资源不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    413: ("invalid_input", "请求内容过大"),
    415: ("invalid_input", "请求内容应为 JSON"),
    422: ("invalid_input", "请求参数有误"),
    429: ("rate_limited", "请求过于频繁，请稍后再试"),
    500: ("internal_error", "服务器内部错误，请稍后再试"),
}

# Every stable code an answer may carry: the `code` enum of the document's error schemas.
# A test checks that every DomainError and every entry of HTTP_ERRORS is listed here.
ERROR_CODES = (
    "invalid_input", "unauthorized", "forbidden", "not_found", "slot_full", "duplicate_booking",
    "invalid_state", "too_late", "outside_booking_window", "booking_limit", "booking_blocked",
    "rate_limited", "duplicate_ticket", "service_unavailable", "wechat_unavailable", "method_not_allowed",
    "internal_error", "http_error",
)


def _printable(value: Any) -> Any:
    """Error details may echo what the client sent; keep them encodable (no lone surrogates)."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_printable(v) for v in value]
    return value


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None,
                   headers: dict | None = None):
    response = jsonify({"error": {"code": code, "message": message,
                                  "details": _printable(details or {})}})
    response.status_code = status
    if headers:
        response.headers.update(headers)
    return response


# PostgreSQL SQLSTATEs of a server that is going away or cannot take us: connection exceptions
# (class 08), shutdowns and restarts (57P01-57P03), too many connections (53300).
_SERVER_GONE = ("08", "57P01", "57P02", "57P03", "53300")
# SQLite: the file cannot be opened, or another writer holds it past the busy timeout.
_SQLITE_UNAVAILABLE = {"SQLITE_CANTOPEN", "SQLITE_BUSY", "SQLITE_LOCKED"}


def database_unavailable(exc: Exception) -> bool:
    """The database is down, restarting, unreachable or out of connections: a 503, worth a retry.
    Anything else the database raises (a missing table, a deadlock) is a fault of ours."""
    if isinstance(exc, sa_exc.TimeoutError):  # no pooled connection came free in time
        return True
    if not isinstance(exc, sa_exc.DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    if hasattr(orig, "sqlstate"):  # psycopg; no SQLSTATE: no answer from a server at all
        return orig.sqlstate is None or orig.sqlstate.startswith(_SERVER_GONE)
    return getattr(orig, "sqlite_errorname", None) in _SQLITE_UNAVAILABLE


def register_error_handlers(app: Flask, prefix: str) -> None:
    def is_api() -> bool:
        return request.path == prefix or request.path.startswith(prefix + "/")

    @app.before_request
    def refuse_nul_in_the_url():
        # PostgreSQL cannot hold a NUL in text, so a NUL in a path or query can match nothing.
        if is_api() and ("\x00" in request.path
                         or any("\x00" in k + v for k, v in request.args.items(multi=True))):
            return error_response(400, "invalid_input", "请求地址包含无效字符")

    @app.errorhandler(DomainError)
    def handle_domain_error(exc: DomainError):
        db.session.rollback()
        retry = getattr(exc, "retry_after", None)
        return error_response(exc.status, exc.code, exc.message, exc.details,
                              {"Retry-After": str(retry)} if retry else None)

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException):
        db.session.rollback()
        if not is_api():
            return exc
        code, message = HTTP_ERRORS.get(exc.code, ("http_error", exc.description or "请求失败"))
        # webargs (through flask-smorest) puts the field messages on `data`.
        details = (getattr(exc, "data", None) or {}).get("messages") or {}
        headers = dict(exc.get_headers()) if exc.code == 405 else None
        if headers:
            headers.pop("Content-Type", None)
        return error_response(exc.code or 500, code, message, details, headers)

    @app.errorhandler(sa_exc.OperationalError)
    @app.errorhandler(sa_exc.TimeoutError)
    def handle_database_error(exc: Exception):
        if not database_unavailable(exc):
            return handle_unexpected(exc)
        # A dead connection found on use has already made SQLAlchemy drop every pooled
        # connection as old as it, so the next request connects afresh.
        db.session.rollback()
        log.warning("database unavailable on %s %s", request.method, request.path,
                    exc_info=exc)
        if not is_api():
            raise exc
        return error_response(ServiceUnavailable.status, ServiceUnavailable.code,
                              ServiceUnavailable.message)

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        if not is_api():
            raise exc
        return error_response(500, "internal_error", "服务器内部错误，请稍后再试")
