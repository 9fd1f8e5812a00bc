"""Staff accounts and agent registrations.

Every service here that changes who works where takes the acting staff member, or
`scope.SYSTEM` for the commands, right after the session, and refuses (Forbidden) what that
actor may not do: accounts are the district office's (`scope.DISTRICT_ADMINS`), the registry
is run place by place (`scope.may_manage`), and nobody stops their own account or changes
their own role."""
from __future__ import annotations

import logging
import math
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Iterable, Union

from flask import current_app
from sqlalchemy import and_, case, delete, exists, or_, select, update
from sqlalchemy.orm import Session, aliased
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from ..clock import get_clock
from ..errors import InvalidInput, InvalidState, NotFound, RateLimited
from ..extensions import upsert_insert
from ..models import (
    ROLES, AgentRegistration, Department, LoginThrottle, Place, RegistrationProposal, Staff,
    Station,
)
from ..uow import unit_of_work
from . import scope
from .scope import Actor
from .training import Training, add_record, check_training, current_since, is_trained

log = logging.getLogger(__name__)

VILLAGE = "village"
USERNAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,49}$")
MIN_PASSWORD_LENGTH = 10

# The refusals of the actors who may not do this.
ACCOUNTS_ONLY = "只有区政务服务管理办可以管理工作人员账号"
REGISTRY_ONLY = "只有场所管理员或区政务服务管理办可以办理登记备案"
NOT_ONESELF_DEACTIVATE = "不能停用自己的账号"
NOT_ONESELF_ROLE = "不能更改自己的角色"


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


def create_staff(session: Session, actor: Actor, *, username: str, password: str, role: str,
                 name: str | None, place_codes: list[str] = (),
                 department_code: str | None = None, now: datetime,
                 training: Training | None = None) -> Staff:
    """A staff account, made by a district admin or the system. An agent is also registered
    (登记备案) at its department's station in each of its places, in the same unit of work, at
    once (the district office is the registrar): it needs a current training record, given here
    as `training` (recorded for any role when given); every problem is listed before anything
    is written."""
    scope.require_role(actor, scope.DISTRICT_ADMINS, ACCOUNTS_ONLY)
    problems: dict[str, list[str]] = {}
    if not USERNAME_PATTERN.match(username or ""):
        problems["username"] = ["用户名应以字母开头，由3至50位字母、数字、_ . - 组成"]
    elif session.scalar(select(Staff.id).where(Staff.username == username)):
        problems["username"] = [f"用户名 {username} 已存在"]
    if role not in ROLES:
        problems["role"] = ["角色应为：" + "、".join(ROLES)]
    if name is not None and not 1 <= len(name) <= 50:
        problems["name"] = ["姓名应为1至50个字符"]
    places = _places(session, place_codes, problems)
    department = _department(session, department_code, problems)
    stations = _placement(session, role, places, bool(place_codes), department,
                          bool(department_code), problems)
    if training is not None:
        problems.update(check_training(training, now.date()))
        if "trained_on" not in problems and training.trained_on < current_since(now.date()):
            problems["trained_on"] = ["培训记录已过有效期，不能据此登记备案"]
    elif role in scope.AGENTS:
        problems["training"] = ["帮办代办员登记备案须有有效的培训记录（课程、日期、学时、培训机构）"]
    if problems:
        raise InvalidInput("账号信息有误", problems)
    check_password_strength(password, username, name)

    staff = Staff(username=username, name=name or username, role=role, places=places,
                  department=department, password_hash=generate_password_hash(
                      password, current_app.config["PASSWORD_HASH_METHOD"]),
                  active=True, created_at=now)
    session.add(staff)
    session.flush()
    if training is not None:
        add_record(session, staff, training, actor, now)
    _register(session, staff, stations, now.date())
    return staff


# Where an agent is registered: a department's station, or a village point itself (村代办员,
# who belongs to no department).
Post = Union[Station, Place]


def _placement(session: Session, role: str, places: list[Place], places_named: bool,
               department: Department | None, department_named: bool,
               problems: dict[str, list[str]]) -> list[Post]:
    """What a role asks of an account's places and department, for a new account and a role
    change alike: place staff need a place, an agent a department stationed in each of its
    places, or, with no department, village points only (村代办员). Returns the posts an agent
    is registered at."""
    if role in scope.PLACE_STAFF and not places_named:
        problems.setdefault("place", []).append("帮办代办员和场所管理员至少需要一个场所")
    if role not in scope.AGENTS:
        return []
    if not department_named:
        if places and all(place.level == VILLAGE for place in places):
            return list(places)
        problems.setdefault("department", []).append(
            "帮办代办员须指定所属部门（--department）；只有村代办员（仅在村级代办点）可不属于任何部门")
        return []
    return _stations(session, places, department, problems) if department is not None else []


def _village_points(places: list[Place], problems: dict[str, list[str]]) -> list[Place]:
    """Registration with no department: at village points only."""
    others = [f"{place.name}（{place.code}）不是村级代办点，登记备案须指定部门"
              for place in places if place.level != VILLAGE]
    if others:
        problems.setdefault("department", []).extend(others)
    return places


def _places(session: Session, codes: Iterable[str], problems: dict[str, list[str]]) -> list[Place]:
    places = []
    for code in dict.fromkeys(codes):
        place = session.scalar(select(Place).where(Place.code == code))
        if place is None:
            problems.setdefault("place", []).append(f"未知的场所 {code}")
        else:
            places.append(place)
    return places


def _department(session: Session, code: str | None,
                problems: dict[str, list[str]]) -> Department | None:
    if not code:
        return None
    department = session.scalar(select(Department).where(Department.code == code))
    if department is None:
        problems.setdefault("department", []).append(f"未知的部门 {code}")
    return department


def _stations(session: Session, places: list[Place], department: Department,
              problems: dict[str, list[str]]) -> list[Station]:
    """The department's station in each place; a place where it has none is a problem."""
    stations = []
    for place in places:
        station = session.scalar(select(Station).where(
            Station.place_id == place.id, Station.department_id == department.id))
        if station is None:
            problems.setdefault("place", []).append(
                f"{department.name}（{department.code}）未在{place.name}（{place.code}）设站，"
                "不能在此登记备案")
        else:
            stations.append(station)
    return stations


def verify_password(staff: Staff, password: str) -> bool:
    # The hash first, whatever the account's state: a stopped account must take as long to
    # refuse as an active one, or the time of the answer tells which names are stopped.
    matches = check_password_hash(staff.password_hash, password)
    return matches and staff.active


def _dummy_hash() -> str:
    cache = current_app.extensions.setdefault("banban.staff", {})
    if "dummy_hash" not in cache:
        cache["dummy_hash"] = generate_password_hash(
            "not-a-password", current_app.config["PASSWORD_HASH_METHOD"])
    return cache["dummy_hash"]


def authenticate(session: Session, username: str, password: str, now: datetime) -> Staff | None:
    """The active staff member with these credentials, or None; never says which was wrong.

    Sign-in is throttled by the username typed (等级保护: 限制非法登录次数): the
    STAFF_LOGIN_FAILURE_LIMIT-th wrong password within STAFF_LOGIN_LOCKOUT_MINUTES locks the
    name for that long, and every attempt meanwhile, right password or not, is refused with
    RateLimited. Attempts are counted in units of work of their own, committed whatever the
    caller does next."""
    limit = current_app.config["STAFF_LOGIN_FAILURE_LIMIT"]
    window = timedelta(minutes=current_app.config["STAFF_LOGIN_LOCKOUT_MINUTES"])
    with unit_of_work(session):
        failures = _take_attempt(session, username, now, limit, window)
    staff = session.scalar(select(Staff).where(Staff.username == username))
    if staff is None:
        # Hash anyway, so that an unknown username takes as long as a wrong password.
        check_password_hash(_dummy_hash(), password)
    elif verify_password(staff, password):
        # The name's count starts again; stale names of others go.
        with unit_of_work(session):
            session.execute(delete(LoginThrottle).where(or_(
                LoginThrottle.username == username,
                and_(LoginThrottle.last_attempt_at < now - timedelta(days=1),
                     or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < now)))))
        return staff
    if failures >= limit:
        until = now + window
        with unit_of_work(session):
            session.execute(update(LoginThrottle).where(LoginThrottle.username == username)
                            .values(failures=0, locked_until=until))
        log.warning("staff sign-in as %r locked until %s after %d wrong passwords",
                    username, until.isoformat(), failures)
    return None


def _take_attempt(session: Session, username: str, now: datetime, limit: int,
                  window: timedelta) -> int:
    """Count this attempt as a wrong password until it proves right (the caller commits that
    before the password is checked): attempts made at the same moment all count, and none beyond
    the limit gets to guess. Returns the wrong passwords within the window, this one included."""
    throttle = LoginThrottle.__table__.c
    since = now - window
    statement = upsert_insert(session, LoginThrottle).values(
        username=username, failures=1, last_attempt_at=now, locked_until=None)
    statement = statement.on_conflict_do_update(
        index_elements=[throttle.username],
        set_={"failures": case((throttle.last_attempt_at > since, throttle.failures + 1),
                               else_=1),
              "last_attempt_at": now, "locked_until": None},
        # Not while locked, nor beyond the limit (attempts still being checked) within the window.
        where=and_(or_(throttle.locked_until.is_(None), throttle.locked_until <= now),
                   or_(throttle.failures < limit, throttle.last_attempt_at <= since)),
    ).returning(throttle.failures)
    failures = session.execute(statement).scalar()
    if failures is not None:
        return failures
    locked_until = session.scalar(select(throttle.locked_until)
                                  .where(throttle.username == username))
    if locked_until is not None and locked_until > now:
        until = locked_until.astimezone(now.tzinfo)
        raise RateLimited(f"登录失败次数过多，已暂时锁定，请于{until:%H:%M}后再试",
                          {"locked_until": until.isoformat()},
                          retry_after=max(1, math.ceil((locked_until - now).total_seconds())))
    raise RateLimited("登录尝试过于频繁，请稍后再试", retry_after=1)


# The registry (登记备案) -----------------------------------------------------------------------

# Aliases: the condition never correlates with the tables of the query around it.
_registration, _station = aliased(AgentRegistration), aliased(Station)


def registered_at(staff_id, place_id, department_id=None):
    """SQL condition: the staff member holds a current registration at the place (at a station of
    that department, when given; a village agent's registration has none); columns or values.
    The one definition behind assignment, the default agent and the list of cases to reassign."""
    by_department = ([_registration.station_id == _station.id,
                      _station.department_id == department_id] if department_id else [])
    return exists().where(_registration.staff_id == staff_id, _registration.ended_on.is_(None),
                          _registration.place_id == place_id, *by_department)


def _agent(session: Session, username: str, actor: Actor = scope.SYSTEM) -> Staff:
    """The agent of this username, among the accounts the actor may register
    (`scope.registrable_staff`): any other does not exist for them."""
    staff = session.scalar(select(Staff).where(Staff.username == username,
                                               scope.registrable_staff(actor)))
    if staff is None:
        raise _no_such_staff(username)
    if staff.role not in scope.AGENTS:
        raise InvalidInput(f"{staff} 不是帮办代办员，不能登记备案",
                           {"username": [f"角色为{staff.role_label}"]})
    return staff


def _registration_stations(session: Session, place_codes: Iterable[str],
                           department_code: str | None) -> list[Post]:
    """The department's station in each place; with no department, the village points named
    (a village agent's registration)."""
    problems: dict[str, list[str]] = {}
    if not place_codes:
        problems["place"] = ["至少需要一个场所"]
    places = _places(session, place_codes, problems)
    if department_code:
        department = _department(session, department_code, problems)
        posts = _stations(session, places, department, problems) if department else []
    else:
        posts = _village_points(places, problems)
    if problems:
        raise InvalidInput("登记备案信息有误", problems)
    return posts


def _post_place(post: Post) -> Place:
    return post.place if isinstance(post, Station) else post


def _post_name(post: Post) -> str:
    place = _post_place(post)
    where = post.department.name if isinstance(post, Station) else "村代办点"
    return f"{place.name}（{place.code}）的{where}"


def _current_registration(session: Session, staff: Staff, post: Post
                          ) -> AgentRegistration | None:
    at = (AgentRegistration.station_id == post.id if isinstance(post, Station) else
          and_(AgentRegistration.place_id == post.id, AgentRegistration.station_id.is_(None)))
    return session.scalar(select(AgentRegistration).where(
        AgentRegistration.staff_id == staff.id, at, AgentRegistration.ended_on.is_(None)))


def _require_runs(actor: Actor, posts: list[Post]) -> None:
    """Refuse an actor who does not run the place of every one of these posts."""
    for post in posts:
        place = _post_place(post)
        scope.require_manages(actor, place,
                              f"您不管理{place.name}（{place.code}），不能办理该场所的登记备案")


def _require_active(staff: Staff) -> None:
    if not staff.active:
        raise InvalidInput(f"{staff} 的账号已停用，不能登记备案", {"username": ["账号已停用"]})


@dataclass
class RegistrationChange:
    staff: Staff
    changed: list[AgentRegistration] = field(default_factory=list)
    unchanged: list[AgentRegistration] = field(default_factory=list)
    # A place manager's registrations wait for the district office (RegistrationProposal).
    proposed: list[RegistrationProposal] = field(default_factory=list)


def _require_trained(session: Session, staff: Staff, on: date) -> None:
    if not is_trained(session, staff, on):
        raise InvalidInput(f"{staff} 没有有效的培训记录，不能登记备案",
                           {"training": ["请先登记培训记录（课程、日期、学时、培训机构）"]})


def register_agent(session: Session, actor: Actor, username: str, place_codes: Iterable[str],
                   department_code: str | None, on: date) -> RegistrationChange:
    """Register an agent at the department's station in each place (登记备案), or, with no
    department, at each village point as its village agent (村代办员), and give it those
    places; the actor must run every one of them, and a place manager may register only the
    agents of the places they run (`scope.registrable_staff`). The agent needs a current
    training record. A district admin's (or the system's) registration takes effect at once; a
    place manager's is a proposal (`RegistrationProposal`) that a district admin decides
    (`decide_proposal`). A current registration, or a pending proposal, stays as it is: running
    it twice changes nothing."""
    scope.require_role(actor, scope.PLACE_RUNNERS, REGISTRY_ONLY)
    stations = _registration_stations(session, place_codes, department_code)
    _require_runs(actor, stations)
    staff = _agent(session, username, actor)
    _require_active(staff)
    _require_trained(session, staff, on)
    if actor != scope.SYSTEM and actor.role not in scope.DISTRICT_ADMINS:
        return _propose(session, actor, staff, stations)
    return _register(session, staff, stations, on)


def _propose(session: Session, actor: Staff, staff: Staff,
             posts: list[Post]) -> RegistrationChange:
    """A place manager's registration: a pending proposal per post (a station, or a village
    point) not yet current (one already pending is reused), stamped by the app's clock."""
    result = RegistrationChange(staff)
    for post in posts:
        registration = _current_registration(session, staff, post)
        if registration is not None:
            result.unchanged.append(registration)
            continue
        station = post if isinstance(post, Station) else None
        pending = session.scalar(select(RegistrationProposal).where(
            RegistrationProposal.staff_id == staff.id,
            RegistrationProposal.place_id == _post_place(post).id,
            RegistrationProposal.station_id == station.id if station else
            RegistrationProposal.station_id.is_(None),
            RegistrationProposal.status == "pending"))
        if pending is None:
            pending = RegistrationProposal(staff=staff, station=station, place=_post_place(post),
                                           status="pending", proposed_by=actor,
                                           proposed_at=get_clock().now())
            session.add(pending)
        result.proposed.append(pending)
    session.flush()
    return result


def decide_proposal(session: Session, actor: Actor, proposal_id: int, approve: bool,
                    reason: str | None, now: datetime) -> RegistrationProposal:
    """A district admin approves a pending proposal (the registration takes effect today; the
    agent must still hold a current training record) or refuses it with a reason."""
    scope.require_role(actor, scope.DISTRICT_ADMINS, "只有区政务服务管理办可以审批登记备案")
    proposal = session.get(RegistrationProposal, proposal_id)
    if proposal is None:
        raise NotFound("未找到该登记备案申请", {"proposal": [proposal_id]})
    if proposal.status != "pending":
        raise InvalidState(f"该申请{proposal.status_label}", {"status": proposal.status})
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > 500:
        raise InvalidInput("理由最多500个字符", {"reason": ["最多500个字符"]})
    if approve:
        _require_active(proposal.staff)
        _register(session, proposal.staff, [proposal.station or proposal.place], now.date())
        proposal.status = "approved"
    else:
        if reason is None:
            raise InvalidInput("退回须写明理由", {"reason": ["不能为空"]})
        proposal.status = "refused"
    proposal.decided_by_id = None if actor == scope.SYSTEM else actor.id
    proposal.decided_at, proposal.reason = now, reason
    session.flush()
    return proposal


def _register(session: Session, staff: Staff, posts: list[Post],
              on: date) -> RegistrationChange:
    """Register the agent at each post where it is not currently registered, giving it the
    post's place; the agent needs a current training record."""
    result = RegistrationChange(staff)
    if posts:
        _require_trained(session, staff, on)
    for post in posts:
        registration = _current_registration(session, staff, post)
        if registration is not None:
            result.unchanged.append(registration)
            continue
        place = _post_place(post)
        registration = AgentRegistration(
            staff=staff, station=post if isinstance(post, Station) else None, place=place,
            registered_on=on)
        session.add(registration)
        result.changed.append(registration)
        if place not in staff.places:
            staff.places.append(place)
    session.flush()
    return result


def unregister_agent(session: Session, actor: Actor, username: str, place_codes: Iterable[str],
                     department_code: str | None, on: date) -> RegistrationChange:
    """End the agent's current registration at the department's station in each place (the
    actor must run every one of them); the row stays, with its dates. The agent keeps its
    places (and so its cases there), which are then listed for reassignment."""
    scope.require_role(actor, scope.PLACE_RUNNERS, REGISTRY_ONLY)
    staff = _agent(session, username)
    stations = _registration_stations(session, place_codes, department_code)
    _require_runs(actor, stations)
    current = {post: _current_registration(session, staff, post) for post in stations}
    missing = [f"{staff} 当前未在{_post_name(post)}登记备案"
               for post, r in current.items() if r is None]
    if missing:
        raise InvalidInput("没有可注销的登记备案", {"place": missing})
    result = RegistrationChange(staff)
    for registration in current.values():
        registration.ended_on = on
        result.changed.append(registration)
    session.flush()
    return result


# The account's lifecycle (等级保护: a leaked credential is revoked in one step) -----------------

def staff_named(session: Session, username: str) -> Staff:
    staff = session.scalar(select(Staff).where(Staff.username == username))
    if staff is None:
        raise _no_such_staff(username)
    return staff


def _no_such_staff(username: str) -> NotFound:
    return NotFound(f"没有用户名为 {username} 的工作人员账号", {"username": [username]})


def end_sessions(session: Session, staff: Staff) -> None:
    """End every admin session and API token of this staff member, on every device, at once:
    they all carry `Staff.session_stamp`, which this changes."""
    session.execute(update(Staff).where(Staff.id == staff.id)
                    .values(session_version=Staff.session_version + 1))
    session.refresh(staff, ["session_version"])


def deactivate_staff(session: Session, actor: Actor, staff: Staff) -> bool:
    """Refuse every sign-in of this account from now on, and end its sessions; False if it was
    inactive already. A district admin's (never their own account) or the system's."""
    scope.require_role(actor, scope.DISTRICT_ADMINS, ACCOUNTS_ONLY)
    scope.require_other(actor, staff, NOT_ONESELF_DEACTIVATE)
    if not staff.active:
        return False
    staff.active = False
    session.flush()
    end_sessions(session, staff)
    return True


def activate_staff(session: Session, actor: Actor, staff: Staff) -> bool:
    """Let a deactivated account sign in again (its old sessions stay ended); a district
    admin's or the system's."""
    scope.require_role(actor, scope.DISTRICT_ADMINS, ACCOUNTS_ONLY)
    if staff.active:
        return False
    staff.active = True
    session.flush()
    return True


def set_password(session: Session, actor: Actor, staff: Staff, password: str) -> None:
    """A new password, under the same strength rules as a new account's, set by a district
    admin or the system; every session and token issued before ends."""
    scope.require_role(actor, scope.DISTRICT_ADMINS, ACCOUNTS_ONLY)
    check_password_strength(password, staff.username, staff.name)
    staff.password_hash = generate_password_hash(
        password, current_app.config["PASSWORD_HASH_METHOD"])
    session.flush()
    end_sessions(session, staff)


@dataclass
class RoleChange:
    staff: Staff
    previous: str  # the role before; the same as the staff member's if nothing changed
    registered: list[AgentRegistration] = field(default_factory=list)
    ended: list[AgentRegistration] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.previous != self.staff.role


def change_role(session: Session, actor: Actor, staff: Staff, role: str, *,
                department_code: str | None = None, on: date) -> RoleChange:
    """Give a staff member another role, as a district admin (never one's own) or the system.

    Every session and token of the person ends. An agent who stops being one has its current
    registrations ended (the registry keeps them, with their dates); its open cases stay with it
    and are listed for reassignment, as after `unregister_agent`. Becoming an agent asks what a
    new agent's account asks (a department, by default the account's own, stationed in each of
    its places) and registers it there. `department_code`, when given, becomes the account's
    department. Every problem is listed before anything is written; the same role again
    changes nothing."""
    scope.require_role(actor, scope.DISTRICT_ADMINS, ACCOUNTS_ONLY)
    scope.require_other(actor, staff, NOT_ONESELF_ROLE)
    if role not in ROLES:
        raise InvalidInput("角色有误", {"role": ["角色应为：" + "、".join(ROLES)]})
    result = RoleChange(staff, previous=staff.role)
    if role == staff.role:
        return result
    problems: dict[str, list[str]] = {}
    department = (_department(session, department_code, problems) if department_code
                  else staff.department)
    stations = _placement(session, role, list(staff.places), bool(staff.places), department,
                          department is not None or bool(department_code), problems)
    if role in scope.AGENTS and stations and not is_trained(session, staff, on):
        problems["training"] = [f"{staff} 没有有效的培训记录，不能作为帮办代办员登记备案"]
    if problems:
        raise InvalidInput("角色变更信息有误", problems)
    if role in scope.AGENTS:
        _require_active(staff)

    if staff.role in scope.AGENTS:
        for registration in staff.registrations:
            if registration.ended_on is None:
                registration.ended_on = on
                result.ended.append(registration)
    staff.role = role
    staff.department = department
    session.flush()
    if role in scope.AGENTS:
        result.registered = _register(session, staff, stations, on).changed
    # The session stamp carries the role already; the version too, so that a later change
    # back to this role does not bring the old sessions back.
    end_sessions(session, staff)
    return result


def sign_in_locked_until(session: Session, username: str, now: datetime) -> datetime | None:
    """Until when sign-in as this username is locked after wrong passwords, if it is now."""
    return session.scalar(select(LoginThrottle.locked_until).where(
        LoginThrottle.username == username, LoginThrottle.locked_until > now))


def unlock_sign_in(session: Session, actor: Actor, username: str) -> bool:
    """Lift the sign-in lock of this username and forget its wrong passwords, for a district
    admin or the system; False if there was nothing to lift."""
    scope.require_role(actor, scope.DISTRICT_ADMINS, ACCOUNTS_ONLY)
    throttle = session.get(LoginThrottle, username)
    if throttle is None:
        return False
    session.delete(throttle)  # through the ORM, so that the audit log sees it
    session.flush()
    return True
