"""Who may change staff accounts and the registry, asked of the services themselves
(docs/architecture.md, "Services take the actor and refuse"; habit 9).

Each service is called directly by every kind of actor: an agent, the manager of the place
concerned, the manager of another place, a district admin, an inspector, and the system (the
commands). A refusal raises the DomainError the API and the admin answer with and writes
nothing, not even a flush; a permitted call does its work. Then the rules that are not about
the actor's role: nobody stops their own account or changes their own role, and what a role
change does to the registry, the cases and the sessions.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

import pytest
import sqlalchemy as sa

from backend.errors import Forbidden, InvalidInput, NotFound
from backend.models import LoginThrottle, Staff
from backend.services import cases as case_service
from backend.services.catalog import import_catalog
from backend.services.scope import SYSTEM
from backend.services.staff import (
    activate_staff, change_role, create_staff, deactivate_staff, register_agent, set_password,
    staff_named, unlock_sign_in, unregister_agent, verify_password,
)
from backend.models import RegistrationProposal
from tests.factories import trained, STAFF_PASSWORD, new_case
from tests.helpers import every_row

TODAY = date(2026, 11, 30)  # the clock fixture's Monday
NEW_PASSWORD = "Copper-lantern-93-meadow"

CATALOG = {
    "places": [
        {"code": "HALL", "name": "区政务服务中心", "level": "district"},
        {"code": "TOWN", "name": "城东街道便民服务中心", "level": "town", "parent": "HALL"},
    ],
    "departments": [{"code": "RSJ", "name": "区人社局"}, {"code": "MZJ", "name": "区民政局"}],
    "stations": [{"place": "HALL", "department": "RSJ"}, {"place": "HALL", "department": "MZJ"},
                 {"place": "TOWN", "department": "RSJ"}],
    "items": [{"code": "SB-001", "name": "城乡居民基本养老保险参保登记", "department": "RSJ",
               "category": "社会保险", "commitment_days": 5, "help_types": ["assist", "proxy"],
               "places": ["HALL", "TOWN"],
               "materials": [{"code": "SFZ", "name": "居民身份证", "copies": 1, "original": True}]}],
}

# username, role, places, department: the actors, and "target", the agent acted upon.
PEOPLE = [
    ("agent", "agent", ["HALL"], "RSJ"),
    ("own_manager", "place_manager", ["HALL"], None),
    ("other_manager", "place_manager", ["TOWN"], None),
    ("district_admin", "district_admin", [], None),
    ("inspector", "inspector", [], None),
    ("target", "agent", ["HALL"], "RSJ"),
]
ACTORS = ["agent", "own_manager", "other_manager", "district_admin", "inspector", "system"]


@pytest.fixture
def hall(session, clock):
    """The hall and a town, everyone of PEOPLE; committed."""
    import_catalog(session, SYSTEM, CATALOG, today=TODAY)
    for username, role, places, department in PEOPLE:
        create_staff(session, SYSTEM, username=username, password=STAFF_PASSWORD, role=role,
                     name=None, place_codes=places, department_code=department, now=clock.now(), training=trained(clock.now()))
    session.commit()


def actor(session, name: str):
    return SYSTEM if name == "system" else staff_named(session, name)


def target(session) -> Staff:
    return staff_named(session, "target")


def current_registrations(session, username: str) -> list[tuple[str, str]] | None:
    """(place, department) of the account's current registrations; None without the account."""
    staff = session.scalar(sa.select(Staff).where(Staff.username == username))
    return None if staff is None else [(r.station.place.code, r.station.department.code)
                                       for r in staff.registrations if r.ended_on is None]


# Each service: how to set the scene, the call, and how its work shows ------------------------

@dataclass(frozen=True)
class Service:
    name: str
    call: Callable[..., object]  # (session, actor, now) → result
    done: Callable[[object], bool]  # (session) → whether the work was done
    permitted: frozenset[str]
    prepare: Callable[[object, object], None] = lambda session, clock: None


ACCOUNTS = frozenset({"district_admin", "system"})
REGISTRY = frozenset({"own_manager", "district_admin", "system"})


def _deactivated(session, clock):
    target(session).active = False
    session.commit()


def _locked(session, clock):
    session.add(LoginThrottle(username="target", failures=0, last_attempt_at=clock.now(),
                              locked_until=clock.now() + timedelta(minutes=15)))
    session.commit()


SERVICES = [
    Service("create_staff", lambda s, a, now: create_staff(
        s, a, username="newone", password=NEW_PASSWORD, role="agent", name="新帮办",
        place_codes=["HALL"], department_code="MZJ", now=now, training=trained(now)),
        lambda s: current_registrations(s, "newone") == [("HALL", "MZJ")], ACCOUNTS),
    Service("register_agent",
            lambda s, a, now: register_agent(s, a, "target", ["HALL"], "MZJ", TODAY),
            # At once for the district office; a place manager's waits as a proposal.
            lambda s: current_registrations(s, "target") == [("HALL", "RSJ"), ("HALL", "MZJ")]
            or s.scalar(sa.select(RegistrationProposal.status)) == "pending",
            REGISTRY),
    Service("unregister_agent",
            lambda s, a, now: unregister_agent(s, a, "target", ["HALL"], "RSJ", TODAY),
            lambda s: current_registrations(s, "target") == [], REGISTRY),
    Service("deactivate_staff", lambda s, a, now: deactivate_staff(s, a, target(s)),
            lambda s: not target(s).active, ACCOUNTS),
    Service("activate_staff", lambda s, a, now: activate_staff(s, a, target(s)),
            lambda s: target(s).active, ACCOUNTS, prepare=_deactivated),
    Service("set_password", lambda s, a, now: set_password(s, a, target(s), NEW_PASSWORD),
            lambda s: verify_password(target(s), NEW_PASSWORD), ACCOUNTS),
    Service("unlock_sign_in", lambda s, a, now: unlock_sign_in(s, a, "target"),
            lambda s: s.get(LoginThrottle, "target") is None, ACCOUNTS, prepare=_locked),
    Service("change_role", lambda s, a, now: change_role(s, a, target(s), "place_manager", on=TODAY),
            lambda s: target(s).role == "place_manager"
            and current_registrations(s, "target") == [], ACCOUNTS),
]


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("service", SERVICES, ids=[s.name for s in SERVICES])
def test_each_staff_service_refuses_whoever_may_not(hall, session, clock, service, who):
    service.prepare(session, clock)
    acting = actor(session, who)
    before = every_row(session)

    if who in service.permitted:
        service.call(session, acting, clock.now())
        assert service.done(session), (service.name, who)
        return
    with pytest.raises(Forbidden) as refused:
        service.call(session, acting, clock.now())
    assert refused.value.status == 403 and refused.value.message
    # Nothing written, nothing waiting to be.
    assert not (session.new or session.dirty or session.deleted)
    assert every_row(session) == before
    assert not service.done(session)


def test_the_permitted_refusal_messages_are_the_ones_the_admin_shows(hall, session):
    with pytest.raises(Forbidden, match="只有区政务服务管理办可以管理工作人员账号"):
        deactivate_staff(session, actor(session, "own_manager"), target(session))
    with pytest.raises(Forbidden, match="您不管理城东街道便民服务中心（TOWN）"):
        register_agent(session, actor(session, "own_manager"), "target", ["HALL", "TOWN"], "RSJ",
                       TODAY)
    with pytest.raises(Forbidden, match="只有场所管理员或区政务服务管理办可以办理登记备案"):
        unregister_agent(session, actor(session, "inspector"), "target", ["HALL"], "RSJ", TODAY)


def test_a_place_manager_registers_only_where_it_runs_every_place_named(hall, session):
    manager = actor(session, "own_manager")
    before = every_row(session)

    with pytest.raises(Forbidden):
        register_agent(session, manager, "target", ["HALL", "TOWN"], "RSJ", TODAY)

    assert every_row(session) == before
    # The district admin runs both.
    register_agent(session, actor(session, "district_admin"), "target", ["HALL", "TOWN"], "RSJ",
                   TODAY)
    assert current_registrations(session, "target") == [("HALL", "RSJ"), ("TOWN", "RSJ")]


def test_a_place_manager_registers_only_the_agents_of_its_places(hall, session, clock):
    """Another place's agent does not exist for a manager, even at the manager's own place (the
    registration form lists none: scope.registrable_staff)."""
    create_staff(session, SYSTEM, username="town_agent", password=STAFF_PASSWORD, role="agent",
                 name=None, place_codes=["TOWN"], department_code="RSJ", now=clock.now(), training=trained(clock.now()))
    session.commit()
    before = every_row(session)

    with pytest.raises(NotFound):
        register_agent(session, actor(session, "own_manager"), "town_agent", ["HALL"], "RSJ",
                       TODAY)

    assert every_row(session) == before
    # The district admin registers anyone anywhere.
    register_agent(session, actor(session, "district_admin"), "town_agent", ["HALL"], "RSJ",
                   TODAY)
    assert current_registrations(session, "town_agent") == [("TOWN", "RSJ"), ("HALL", "RSJ")]


# Not oneself ---------------------------------------------------------------------------------

@pytest.mark.parametrize("call, message", [
    (lambda s, me: deactivate_staff(s, me, me), "不能停用自己的账号"),
    (lambda s, me: change_role(s, me, me, "inspector", on=TODAY), "不能更改自己的角色"),
], ids=["deactivate", "change_role"])
def test_nobody_stops_their_own_account_or_changes_their_own_role(hall, session, call, message):
    me = actor(session, "district_admin")
    before = every_row(session)

    with pytest.raises(Forbidden, match=message):
        call(session, me)

    assert every_row(session) == before
    assert me.active and me.role == "district_admin"


def test_a_district_admin_may_set_their_own_password(hall, session):
    me = actor(session, "district_admin")
    set_password(session, me, me, NEW_PASSWORD)
    assert verify_password(me, NEW_PASSWORD)


# What a role change does ---------------------------------------------------------------------

def test_an_agent_who_stops_being_one_keeps_its_history_and_its_cases_are_listed(
        hall, session, clock, make_citizen):
    case = new_case(session, clock.now(), make_citizen(), "accepted", "assist",
                    item="SB-001", place="HALL", agent="target")
    session.commit()
    stamp = target(session).session_stamp

    change = change_role(session, SYSTEM, target(session), "place_manager", on=TODAY)
    session.commit()

    assert (change.changed, change.previous, change.registered) == (True, "agent", [])
    staff = target(session)
    assert staff.role == "place_manager" and staff.session_stamp != stamp
    assert [(r.station.place.code, r.registered_on, r.ended_on)
            for r in staff.registrations] == [("HALL", TODAY, TODAY)]  # ended, kept
    assert [c.number for c in case_service.cases_to_reassign(session)] == [case.number]


def test_becoming_an_agent_registers_at_the_department_station_of_each_place(hall, session):
    manager = staff_named(session, "own_manager")

    change = change_role(session, actor(session, "district_admin"), manager, "agent",
                         department_code="MZJ", on=TODAY)

    assert change.changed and [r.station.department.code for r in change.registered] == ["MZJ"]
    assert manager.role == "agent" and manager.department.code == "MZJ"
    assert current_registrations(session, "own_manager") == [("HALL", "MZJ")]


@pytest.mark.parametrize("username, role, department, problem", [
    ("other_manager", "agent", "MZJ", "区民政局（MZJ）未在城东街道便民服务中心（TOWN）设站"),
    ("other_manager", "agent", None, "帮办代办员须指定所属部门"),
    ("other_manager", "agent", "NOPE", "未知的部门 NOPE"),
    ("inspector", "place_manager", None, "帮办代办员和场所管理员至少需要一个场所"),
    ("target", "boss", None, "角色应为"),
], ids=["no-station", "no-department", "unknown-department", "no-place", "unknown-role"])
def test_a_role_change_the_account_cannot_take_is_refused_whole(hall, session, username, role,
                                                                department, problem):
    before = every_row(session)

    with pytest.raises(InvalidInput) as refused:
        change_role(session, SYSTEM, staff_named(session, username), role,
                    department_code=department, on=TODAY)

    assert refused.value.status == 422
    assert any(problem in reason for reasons in refused.value.details.values()
               for reason in reasons), refused.value.details
    assert not (session.new or session.dirty or session.deleted)
    assert every_row(session) == before


def test_a_deactivated_account_does_not_become_an_agent(hall, session):
    manager = staff_named(session, "own_manager")
    manager.active = False
    session.commit()

    with pytest.raises(InvalidInput, match="已停用"):
        change_role(session, SYSTEM, manager, "agent", department_code="RSJ", on=TODAY)
    assert manager.role == "place_manager"


def test_the_same_role_again_changes_nothing(hall, session):
    before = every_row(session)

    change = change_role(session, SYSTEM, target(session), "agent", on=TODAY)

    assert not change.changed
    assert every_row(session) == before


def test_a_role_given_back_does_not_bring_old_sessions_back(hall, session):
    stamp = target(session).session_stamp
    change_role(session, SYSTEM, target(session), "place_manager", on=TODAY)
    change_role(session, SYSTEM, target(session), "agent", on=TODAY)
    staff = target(session)
    assert staff.role == "agent" and staff.session_stamp != stamp
    # Registered again, a new entry beside the ended one.
    assert [(r.station.department.code, r.ended_on) for r in staff.registrations] == [
        ("RSJ", TODAY), ("RSJ", None)]
