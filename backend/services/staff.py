"""Staff accounts and agent registrations."""
from __future__ import annotations

import re
import secrets
import logging
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from ..errors import InvalidInput, RateLimited
from ..models import ROLES, AgentRegistration, Department, Place, Staff, Station

log = logging.getLogger(__name__)

USERNAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,49}$")
MIN_PASSWORD_LENGTH = 10


def check_password_strength(password: str, username: str, name: str | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"密码太短：至少需要{MIN_PASSWORD_LENGTH}个字符",
                           {"password": ["too_short"]})
    if username and username.lower() in password.lower():
        raise InvalidInput("密码太弱：不能包含用户名", {"password": ["contains_username"]})
    if zxcvbn(password[:100], user_inputs=[username, name or ""])["score"] < 3:
        raise InvalidInput("密码太弱：请避免常见词、姓名、用户名、连续或重复字符，可使用更长的短语",
                           {"password": ["too_weak"]})


def generate_password() -> str:
    # 16 URL-safe characters: well beyond the strength check, easy to copy.
    return secrets.token_urlsafe(12)


def create_staff(session: Session, *, username: str, password: str, role: str, name: str | None,
                 place_codes: list[str] = (), department_code: str | None = None,
                 now: datetime) -> Staff:
    problems: dict[str, list[str]] = {}
    if not USERNAME_PATTERN.match(username or ""):
        problems["username"] = ["用户名应以字母开头，由3至50位字母、数字、_ . - 组成"]
    elif session.scalar(select(Staff.id).where(Staff.username == username)):
        problems["username"] = [f"用户名 {username} 已存在"]
    if role not in ROLES:
        problems["role"] = ["角色应为：" + "、".join(ROLES)]
    if name is not None and not 1 <= len(name) <= 50:
        problems["name"] = ["姓名应为1至50个字符"]
    places = []
    for code in place_codes:
        place = session.scalar(select(Place).where(Place.code == code))
        if place is None:
            problems.setdefault("place", []).append(f"未知的场所 {code}")
        else:
            places.append(place)
    department = None
    if department_code:
        department = session.scalar(select(Department).where(Department.code == department_code))
        if department is None:
            problems["department"] = [f"未知的部门 {department_code}"]
    if role in ("agent", "place_manager") and not place_codes:
        problems.setdefault("place", []).append("帮办代办员和场所管理员至少需要一个场所")
    if problems:
        raise InvalidInput("账号信息有误", problems)
    check_password_strength(password, username, name)

    staff = Staff(username=username, name=name or username, role=role, places=places,
                  department=department, password_hash=generate_password_hash(
                      password, current_app.config["PASSWORD_HASH_METHOD"]),
                  active=True, created_at=now)
    session.add(staff)
    session.flush()
    return staff


def verify_password(staff: Staff, password: str) -> bool:
    return staff.active and check_password_hash(staff.password_hash, password)


def _dummy_hash() -> str:
    cache = current_app.extensions.setdefault("banban.staff", {})
    if "dummy_hash" not in cache:
        cache["dummy_hash"] = generate_password_hash(
            "not-a-password", current_app.config["PASSWORD_HASH_METHOD"])
    return cache["dummy_hash"]


def authenticate(session: Session, username: str, password: str, now: datetime) -> Staff | None:
    """The active staff member with these credentials, or None; never says which was wrong.

    Wrong passwords are counted per account and the count is committed here, whatever the
    caller does next: the STAFF_LOGIN_FAILURE_LIMIT-th in a row locks the account for
    STAFF_LOGIN_LOCKOUT_MINUTES, during which every attempt, even with the right password, is
    refused with RateLimited. A successful sign-in starts the count again."""
    staff = session.scalar(select(Staff).where(Staff.username == username))
    if staff is None:
        # Hash anyway, so that an unknown username takes as long as a wrong password.
        check_password_hash(_dummy_hash(), password)
        return None
    if staff.locked_until is not None and staff.locked_until > now:
        until = staff.locked_until.astimezone(now.tzinfo)
        raise RateLimited(f"登录失败次数过多，账号已暂时锁定，请于{until:%H:%M}后再试",
                          {"locked_until": until.isoformat()})
    if verify_password(staff, password):
        if staff.failed_logins or staff.locked_until is not None:
            staff.failed_logins, staff.locked_until = 0, None
            session.commit()
        return staff
    # Counted in the database, so that attempts in parallel or on other servers all count.
    failures = session.execute(
        update(Staff).where(Staff.id == staff.id)
        .values(failed_logins=Staff.failed_logins + 1).returning(Staff.failed_logins)).scalar()
    if failures >= current_app.config["STAFF_LOGIN_FAILURE_LIMIT"]:
        until = now + timedelta(minutes=current_app.config["STAFF_LOGIN_LOCKOUT_MINUTES"])
        session.execute(update(Staff).where(Staff.id == staff.id)
                        .values(failed_logins=0, locked_until=until))
        log.warning("staff account %s locked until %s after %d wrong passwords in a row",
                    username, until.isoformat(), failures)
    session.commit()
    return None


def register_agent(session: Session, staff: Staff, station: Station, on: date) -> AgentRegistration:
    """Record an agent named by a station with the district office (登记备案); idempotent."""
    registration = session.scalar(select(AgentRegistration).where(
        AgentRegistration.staff_id == staff.id, AgentRegistration.station_id == station.id))
    if registration is None:
        registration = AgentRegistration(staff=staff, station=station, registered_on=on)
        session.add(registration)
        session.flush()
    return registration
