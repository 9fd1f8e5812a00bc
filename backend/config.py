"""Configuration from the environment, with defaults that need nothing set on a laptop."""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

DEFAULTS: dict[str, Any] = {
    "TIMEZONE": "Asia/Shanghai",
    "WECHAT_API_BASE_URL": "https://api.weixin.qq.com",
    "WECHAT_APPID": None,
    "WECHAT_SECRET": None,
    "WECHAT_TEMPLATES": {},
    "REDIS_URL": None,
    # Booking rules (DESIGN.md "Appointments"); every number is configuration.
    "BOOKING_WINDOW_DAYS": 14,
    "BOOKING_CLOSE_MINUTES": 30,
    "CANCEL_DEADLINE_MINUTES": 60,
    "MAX_ACTIVE_BOOKINGS": 3,
    "NO_SHOW_LIMIT": 3,
    "NO_SHOW_LOOKBACK_DAYS": 90,
    "NO_SHOW_BLOCK_DAYS": 30,
    "CHECK_IN_EARLY_MINUTES": 60,
    "NO_SHOW_AFTER_MINUTES": 30,
    # The longest date range one slot listing may ask for.
    "SLOT_LIST_MAX_DAYS": 31,
    # Case numbers read PREFIX-YYYYMMDD-NNNN (BS: 博山).
    "CASE_NUMBER_PREFIX": "BS",
    # How far ahead the calendar must be confirmed before the admins are warned.
    "CALENDAR_HORIZON_DAYS": 90,
    "PASSWORD_HASH_METHOD": "scrypt",
    # Staff sign-in (API and admin): this many wrong passwords in a row lock the account for
    # this many minutes (等级保护: 限制非法登录次数).
    "STAFF_LOGIN_FAILURE_LIMIT": 5,
    "STAFF_LOGIN_LOCKOUT_MINUTES": 15,
    "TOKEN_MAX_AGE_SECONDS": 7 * 24 * 3600,
    # Connections kept per process: at least the server's threads per process (gunicorn
    # --threads), or connections are opened and closed on every request that finds none idle.
    "DATABASE_POOL_SIZE": 10,
    # Flask-Admin / Flask-Babel: the portal is Chinese only.
    "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
    "FLASK_ADMIN_SWATCH": "cerulean",
    # flask-smorest / OpenAPI
    "API_TITLE": "帮办代办 小程序接口",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/api/v1/docs/static/",
    "JSON_AS_ASCII": False,
    # No request of ours needs more; larger bodies are refused before they are parsed.
    "MAX_CONTENT_LENGTH": 1024 * 1024,
}

# Variables read from the environment; JSON ones are decoded.
ENV_VARS = (
    "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DATA_KEY", "WECHAT_APPID", "WECHAT_SECRET",
    "WECHAT_API_BASE_URL", "WECHAT_TEMPLATES", "TIMEZONE", "DATABASE_POOL_SIZE",
)
JSON_VARS = {"WECHAT_TEMPLATES"}


def _instance_secret(instance: Path, name: str, make) -> str:
    """Read a key kept in the instance folder, creating it on first run."""
    path = instance / name
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    config = dict(DEFAULTS)
    for name in ENV_VARS:
        value = os.environ.get(name)
        if value:
            config[name] = json.loads(value) if name in JSON_VARS else value
    config.update(overrides or {})

    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = f"sqlite:///{instance / 'banban.db'}"
    config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    if not config["DATABASE_URL"].startswith("sqlite"):
        # A server's connections: no ping before each checkout (a round trip per request); a
        # connection found dead fails its request with 503 service_unavailable and the pool
        # drops every connection of its age (see miniprogram_api.errors). Renewed hourly.
        pool = int(config["DATABASE_POOL_SIZE"])
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_size": pool, "max_overflow": pool, "pool_recycle": 3600,
            **config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _instance_secret(instance, "secret_key", lambda: secrets.token_hex(32))
    if not config.get("DATA_KEY"):
        config["DATA_KEY"] = _instance_secret(instance, "data_key", lambda: Fernet.generate_key().decode())
    config["BABEL_DEFAULT_TIMEZONE"] = config["TIMEZONE"]
    return config
