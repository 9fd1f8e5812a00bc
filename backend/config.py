"""Configuration from the environment, with defaults that need nothing set on a laptop."""
from __future__ import annotations

import ipaddress
import json
import os
import secrets
from pathlib import Path
from typing import Any, Sequence

from cryptography.fernet import Fernet
from sqlalchemy.engine import url as sa_url

DEFAULTS: dict[str, Any] = {
    "TIMEZONE": "Asia/Shanghai",
    "WECHAT_API_BASE_URL": "https://api.weixin.qq.com",
    "WECHAT_APPID": None,
    "WECHAT_SECRET": None,
    "WECHAT_TEMPLATES": {},
    "REDIS_URL": None,
    # The dispatcher of subscribe messages (dispatch-notifications): messages claimed per batch,
    # sent at once, how long a claimed message is its dispatcher's before it is due again (a
    # dispatcher that died), and the retries of a message WeChat may take later (45009, network
    # errors, timeouts): after 30 s, 60 s, 120 s ... at most an hour apart, then failed.
    "NOTIFY_BATCH_SIZE": 200,
    "NOTIFY_CONCURRENCY": 8,
    "NOTIFY_LEASE_SECONDS": 300,
    "NOTIFY_MAX_ATTEMPTS": 6,
    "NOTIFY_RETRY_SECONDS": 30,
    # Booking rules (docs/domain.md "Appointments"); every number is configuration.
    "BOOKING_WINDOW_DAYS": 14,
    "BOOKING_CLOSE_MINUTES": 30,
    "CANCEL_DEADLINE_MINUTES": 60,
    "MAX_ACTIVE_BOOKINGS": 3,
    "NO_SHOW_LIMIT": 3,
    "NO_SHOW_LOOKBACK_DAYS": 90,
    "NO_SHOW_BLOCK_DAYS": 30,
    "CHECK_IN_EARLY_MINUTES": 60,
    "NO_SHOW_AFTER_MINUTES": 30,
    # Seats kept offline (a schedule's `reserved` and `walk_in`): reserved seats are released to
    # everyone this many hours before their slot; special groups include everyone this old.
    "RESERVED_RELEASE_HOURS": 24,
    "SPECIAL_GROUP_AGE": 60,
    # The longest date range one slot listing may ask for.
    "SLOT_LIST_MAX_DAYS": 31,
    # How long a slot listing's answer may be served from the cache (per place and query; in
    # Redis when REDIS_URL is set); a change of a place's slots refreshes it at once. 0: off.
    "SLOT_LIST_CACHE_SECONDS": 2,
    # Case numbers read PREFIX-YYYYMMDD-NNNN (BS: 博山).
    "CASE_NUMBER_PREFIX": "BS",
    # How far ahead the calendar must be confirmed before the admins are warned.
    "CALENDAR_HORIZON_DAYS": 90,
    # Inspection reports rank only units with at least this many cases in the period; the
    # others are listed as 样本不足 (too small a sample to rank fairly).
    "REPORT_MIN_CASES": 10,
    # The statutory working days within which the originals of a finished or ended case are
    # returned; after them the agent and the place's managers are warned each working day.
    "ORIGINALS_RETURN_DAYS": 5,
    # A training record is current for this many days from the day of the training: a
    # registration (登记备案) needs a current one.
    "TRAINING_VALID_DAYS": 365,
    # The CJK TrueType font the printable papers (PDF) are drawn in (fonts-wqy-microhei).
    "PDF_FONT_PATH": "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "PASSWORD_HASH_METHOD": "scrypt",
    # Staff sign-in (API and admin): this many wrong passwords in a row lock the account for
    # this many minutes (等级保护: 限制非法登录次数).
    "STAFF_LOGIN_FAILURE_LIMIT": 5,
    "STAFF_LOGIN_LOCKOUT_MINUTES": 15,
    # How long a sign-in lasts: staff (API token and admin session) for a working day,
    # citizens (the mini-program keeps its token) a week.
    "STAFF_TOKEN_MAX_AGE_SECONDS": 9 * 3600,
    "CITIZEN_TOKEN_MAX_AGE_SECONDS": 7 * 24 * 3600,
    # An admin session left idle this long ends (the sign-in's own limit above still holds).
    "ADMIN_IDLE_MINUTES": 30,
    # Subscribe messages: the most messages of one one-time template a WeChat user's accepts can
    # add up to. Each accept of wx.requestSubscribeMessage allows one message; a mini-program
    # posting the same accept again and again would otherwise build a quota WeChat refuses
    # (43101) message after message. Ten covers what one person waits for at once: three
    # bookings' two reminders each, a case's steps.
    "SUBSCRIPTION_QUOTA_MAX": 10,
    # Limits per client (Flask-Limiter notation; several joined by ";"). Staff sign-in: failed
    # attempts per client address, whatever the username (API and admin together). Citizens:
    # per citizen, never per address (carriers put thousands behind one address): every
    # signed-in request, and case creation and bookings at a human pace. The WeChat login,
    # before anyone is signed in, per client address and generously (a citizen's token lasts a
    # week, so each signs in about once a week; a script asking WeChat a hundred times a second
    # stops at once).
    "WECHAT_LOGIN_RATE_LIMIT": "120 per minute;1200 per hour",
    # Failed staff sign-ins per address (a right password always gets through): fifty staff
    # behind a hall's one address, each typing wrong until their own name locks (5), make 250.
    "STAFF_LOGIN_ADDRESS_RATE_LIMIT": "250 per 15 minutes",
    "CITIZEN_RATE_LIMIT": "120 per minute",
    "CASE_CREATE_RATE_LIMIT": "3 per minute;20 per day",
    "BOOKING_RATE_LIMIT": "10 per minute;60 per day",
    # Transport: served over HTTPS (Secure cookies, HSTS), and how many proxies (nginx: 1) in
    # front set X-Forwarded-For / -Proto that we may trust.
    "SERVED_OVER_HTTPS": False,
    "SESSION_COOKIE_SECURE": False,
    "HSTS_MAX_AGE_SECONDS": 365 * 24 * 3600,
    "PROXY_FIX_HOPS": 0,
    # A production deployment: refuses to start with development defaults (see check_config).
    "PRODUCTION": False,
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
    "STAFF_TOKEN_MAX_AGE_SECONDS", "CITIZEN_TOKEN_MAX_AGE_SECONDS", "ADMIN_IDLE_MINUTES",
    "STAFF_LOGIN_FAILURE_LIMIT", "STAFF_LOGIN_LOCKOUT_MINUTES",
    "STAFF_LOGIN_ADDRESS_RATE_LIMIT", "WECHAT_LOGIN_RATE_LIMIT", "CITIZEN_RATE_LIMIT",
    "CASE_CREATE_RATE_LIMIT", "BOOKING_RATE_LIMIT", "SERVED_OVER_HTTPS", "SESSION_COOKIE_SECURE",
    "HSTS_MAX_AGE_SECONDS", "PROXY_FIX_HOPS", "PRODUCTION",
    # The booking rules and the calendar's horizon (docs/domain.md: every number is configuration).
    "BOOKING_WINDOW_DAYS", "BOOKING_CLOSE_MINUTES", "CANCEL_DEADLINE_MINUTES",
    "MAX_ACTIVE_BOOKINGS", "NO_SHOW_LIMIT", "NO_SHOW_LOOKBACK_DAYS", "NO_SHOW_BLOCK_DAYS",
    "CHECK_IN_EARLY_MINUTES", "NO_SHOW_AFTER_MINUTES", "RESERVED_RELEASE_HOURS",
    "SPECIAL_GROUP_AGE", "SLOT_LIST_MAX_DAYS",
    "SLOT_LIST_CACHE_SECONDS", "CALENDAR_HORIZON_DAYS", "CASE_NUMBER_PREFIX",
    # Reports.
    "REPORT_MIN_CASES",
    # Custody of originals; the papers' font.
    "ORIGINALS_RETURN_DAYS", "PDF_FONT_PATH",
    # Training behind registrations.
    "TRAINING_VALID_DAYS",
    # Subscribe messages.
    "SUBSCRIPTION_QUOTA_MAX",
    # The notification dispatcher.
    "NOTIFY_BATCH_SIZE", "NOTIFY_CONCURRENCY", "NOTIFY_LEASE_SECONDS", "NOTIFY_MAX_ATTEMPTS",
    "NOTIFY_RETRY_SECONDS",
)
# The ranges an integer setting must fall in (inclusive); others are at least 0.
INT_RANGES = {
    "BOOKING_WINDOW_DAYS": (1, 366), "MAX_ACTIVE_BOOKINGS": (1, 100), "NO_SHOW_LIMIT": (1, 100),
    "NO_SHOW_LOOKBACK_DAYS": (1, 3660), "SLOT_LIST_MAX_DAYS": (1, 366),
    "SLOT_LIST_CACHE_SECONDS": (0, 60),
    "RESERVED_RELEASE_HOURS": (0, 24 * 31), "SPECIAL_GROUP_AGE": (1, 150),
    "DATABASE_POOL_SIZE": (1, 1000), "STAFF_LOGIN_FAILURE_LIMIT": (1, 100),
    "STAFF_TOKEN_MAX_AGE_SECONDS": (60, 366 * 24 * 3600),
    "CITIZEN_TOKEN_MAX_AGE_SECONDS": (60, 366 * 24 * 3600),
    "ADMIN_IDLE_MINUTES": (1, 24 * 60),
    "REPORT_MIN_CASES": (1, 100000),
    "ORIGINALS_RETURN_DAYS": (1, 60),
    "TRAINING_VALID_DAYS": (1, 3660),
    "SUBSCRIPTION_QUOTA_MAX": (1, 1000),
    "NOTIFY_BATCH_SIZE": (1, 10000), "NOTIFY_CONCURRENCY": (1, 256),
    "NOTIFY_LEASE_SECONDS": (30, 24 * 3600), "NOTIFY_MAX_ATTEMPTS": (1, 100),
    "NOTIFY_RETRY_SECONDS": (1, 3600),
}
JSON_VARS = {"WECHAT_TEMPLATES"}
# The mini-program's credentials come as a pair; any WeChat variable set means WeChat is meant,
# and then the demo login must never answer.
WECHAT_CREDENTIALS = ("WECHAT_APPID", "WECHAT_SECRET")
WECHAT_VARS = (*WECHAT_CREDENTIALS, "WECHAT_TEMPLATES", "WECHAT_API_BASE_URL")
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


class ConfigError(RuntimeError):
    """The configuration cannot be run as given: start-up stops, naming the variable."""

    def __init__(self, variable: str, chinese: str, english: str):
        self.variable = variable
        super().__init__(f"配置错误（{variable}）：{chinese}\n"
                         f"Configuration error ({variable}): {english}")


def _from_env(name: str, value: str) -> Any:
    """An environment value, typed like the setting's default."""
    default = DEFAULTS.get(name)
    if name in JSON_VARS:
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise ConfigError(name, "不是有效的 JSON", "is not valid JSON")
    if isinstance(default, bool):
        if value.strip().lower() not in TRUE | FALSE:
            raise ConfigError(name, "应为 true 或 false", "must be true or false")
        return value.strip().lower() in TRUE
    if isinstance(default, int):
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(name, "应为整数", "must be an integer")
        low, high = INT_RANGES.get(name, (0, 10**9))
        if not low <= number <= high:
            raise ConfigError(name, f"应在 {low} 至 {high} 之间", f"must be from {low} to {high}")
        return number
    if name == "CASE_NUMBER_PREFIX" and not (value.isascii() and value.isalnum()
                                             and len(value) <= 8):
        raise ConfigError(name, "应为不超过8位的字母或数字", "must be at most 8 letters or digits")
    return value


def read_env(name: str) -> Any:
    """One setting as start-up reads it from the environment (checked and typed), or its
    default: for gunicorn.conf.py, which runs before any app is made."""
    value = os.environ.get(name)
    return _from_env(name, value) if value else DEFAULTS.get(name)


def create_private_file(path: Path, text: str = "") -> None:
    """Create a file only its owner can read (keys, the SQLite database, demo passwords),
    whatever the umask; an existing file is made private too."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _instance_secret(instance: Path, name: str, make) -> str:
    """Read a key kept in the instance folder, creating it on first run."""
    path = instance / name
    if not path.exists():
        create_private_file(path, make())
    return path.read_text().strip()


def _private_sqlite_file(url: str) -> None:
    """SQLite makes its file with the umask's mode (0644): make it first, owner-only. Its
    journal and WAL files take the database file's mode."""
    database = sa_url.make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        path = Path(database)
        if not path.exists() and path.parent.is_dir():
            create_private_file(path)


def load_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    instance = Path(instance_path)
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    config = dict(DEFAULTS)
    given = set()  # settings given by the environment or the caller, not defaulted
    for name in ENV_VARS:
        value = os.environ.get(name)
        if value:
            config[name] = _from_env(name, value)
            given.add(name)
    config.update(overrides or {})
    given |= {name for name, value in (overrides or {}).items() if value}
    check_config(config, given)

    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = f"sqlite:///{instance / 'banban.db'}"
    config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    if config["DATABASE_URL"].startswith("sqlite"):
        _private_sqlite_file(config["DATABASE_URL"])
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
    try:
        Fernet(config["DATA_KEY"].encode())
    except (ValueError, TypeError):
        raise ConfigError("DATA_KEY", "不是有效的密钥（32字节的 URL 安全 Base64 编码）",
                          "is not a valid key (32 url-safe base64-encoded bytes)")
    config["BABEL_DEFAULT_TIMEZONE"] = config["TIMEZONE"]
    if config["SERVED_OVER_HTTPS"]:
        config["SESSION_COOKIE_SECURE"] = True
        config["PREFERRED_URL_SCHEME"] = "https"
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    # Flask-Limiter: Redis shared by every process when there is one, else each process counts
    # (None: backend.infrastructure.ratelimit's in-process storage).
    config.setdefault("RATELIMIT_STORAGE_URI", config.get("REDIS_URL"))
    config.setdefault("RATELIMIT_KEY_PREFIX", "banban")
    return config


def wechat_configured(config: dict[str, Any]) -> bool:
    """WeChat is meant as soon as any WeChat variable is set; demo login only when none is."""
    return any(config.get(name) and (name != "WECHAT_API_BASE_URL"
                                     or config[name] != DEFAULTS[name])
               for name in WECHAT_VARS)


def check_config(config: dict[str, Any], given: set[str]) -> None:
    """Refuse a configuration that would run half-set: a WeChat variable without the
    credentials (the demo login would answer), or production on development defaults."""
    if wechat_configured(config):
        for name in WECHAT_CREDENTIALS:
            if not config.get(name):
                others = "、".join(n for n in WECHAT_VARS if config.get(n) and n != name)
                raise ConfigError(
                    name, f"已设置 {others}，但未设置 {name}；微信配置须完整，否则不能启动",
                    f"{others} is set but {name} is not; set every WeChat variable or none")
    from .domain.message_templates import TemplatesInvalid, load_templates
    try:
        load_templates(config.get("WECHAT_TEMPLATES"), demo=not wechat_configured(config))
    except TemplatesInvalid as exc:
        raise ConfigError("WECHAT_TEMPLATES", str(exc), "is not a valid template setting")
    if config.get("PRODUCTION") or config.get("SERVED_OVER_HTTPS"):
        for name in ("SECRET_KEY", "DATA_KEY"):
            if name not in given:
                raise ConfigError(
                    name, "生产环境须明确设置，不能使用首次运行时自动生成的密钥",
                    "must be set explicitly in production, not generated on first run")
        if not wechat_configured(config):
            raise ConfigError(
                "WECHAT_APPID", "生产环境须配置微信小程序凭证（否则演示登录会对外开放）",
                "must be set in production (without it the demo login would be open)")


def check_server(database_url: str | None, workers: int, binds: Sequence[str] = (),
                 proxy_hops: int = 0) -> None:
    """What only the server knows (gunicorn.conf.py): SQLite, the default, cannot be shared by
    several worker processes; and behind trusted proxies (PROXY_FIX_HOPS) the application's
    port must be one only the proxy reaches (loopback or a unix socket): a client reaching it
    directly could name any address in X-Forwarded-For and escape every limit per address."""
    if workers > 1 and (not database_url or database_url.startswith("sqlite")):
        raise ConfigError(
            "DATABASE_URL", f"SQLite 数据库不能供 {workers} 个工作进程同时使用，请配置 PostgreSQL",
            f"a SQLite database cannot serve {workers} worker processes; use PostgreSQL")
    exposed = [bind for bind in binds if not _reached_by_this_host_only(bind)]
    if proxy_hops and exposed:
        shown = "、".join(exposed)
        raise ConfigError(
            "PROXY_FIX_HOPS",
            f"信任代理转发的客户端地址时，应用端口只能绑定本机回环地址或 unix 套接字，"
            f"不能绑定 {shown}（否则绕过代理直连的客户端可伪造 X-Forwarded-For）",
            f"with trusted proxies the application may listen on loopback or a unix socket "
            f"only, not {shown} (a client reaching it directly could forge X-Forwarded-For)")


def _reached_by_this_host_only(bind: str) -> bool:
    """gunicorn's bind (`HOST:PORT`, `[IPv6]:PORT`, `unix:PATH`, `fd://N`) is loopback or a
    socket of this host."""
    if bind.startswith(("unix:", "fd://")):
        return True
    host = bind.rsplit(":", 1)[0] if ":" in bind else bind
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # "" (every address) or a name only the resolver knows
        return False
