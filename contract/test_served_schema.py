"""The served OpenAPI document is the contract: schemathesis sends requests to every operation
(in-process, over WSGI) as each role of the living demo, and checks each answer against the
document with all its checks: no 5xx, no status, header or body outside what is served.

The database holds a few weeks of the demo's history (`contract/world.py`); this run's copy of
the document carries real requests as examples, so the case actions, bookings and sign-ins
reach the business logic before the generated requests fuzz around them. Run by .ci/run (not
by `make test`), bounded by CONTRACT_EXAMPLES generated requests per operation and role; the
summary (`contract/conftest.py`) prints what each role reached."""
from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks

from backend.extensions import db
from backend.infrastructure.tokens import issue_token
from backend.models import Staff
from contract import tally
from contract.world import build, owner_of, with_examples

EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "100"))
# Anonymous requests mostly meet the sign-in check; fewer of them say all there is to say.
ANONYMOUS_EXAMPLES = max(1, EXAMPLES // 4)

WORLD = build()
APP = WORLD.app
DOCUMENT = with_examples(APP.test_client().get("/api/v1/openapi.json").get_json(), WORLD)


def _schema():
    schema = schemathesis.openapi.from_dict(DOCUMENT)
    schema.app = APP
    schema.location = "/api/v1/openapi.json"
    return schema


STAFF = r"^/staff/"
anonymous = _schema()
citizen = _schema().exclude(path_regex=STAFF)
staff = _schema().include(path_regex=STAFF)


def _token(role: str, case) -> dict[str, str]:
    """A fresh token for each request (a generated logout must not end the run). The citizen
    acts as the demo citizen who owns the case or booking in the path, if any."""
    if role == "anonymous":
        return {}
    with APP.app_context():
        if role == "citizen":
            token, _ = issue_token("citizen", owner_of(WORLD, case.path_parameters or {})
                                   or WORLD.citizen_id)
        else:
            member = db.session.query(Staff).filter_by(username=role).one()
            token, _ = issue_token("staff", member.id, member.session_stamp)
        db.session.remove()
    return {"Authorization": f"Bearer {token}"}


def _send(role: str, case) -> None:
    # Every check but two that judge the requests rather than the answers: schema-valid data may
    # still break a rule no JSON Schema states (an ID number's GB 11643 checksum, a control
    # character in a note, a date past the window) and is rightly refused with 422; and unknown
    # query parameters are ignored, as HTTP APIs do (the negative check also counts the bearer
    # token as a header it removed, which these requests always carry).
    # Sent and validated here rather than by `call_and_validate`, which answers a 401 by signing
    # in again and replaying: the anonymous role must stay anonymous. For the same reason a
    # generated Authorization header (which may replay a token an earlier answer held) goes.
    if case.headers:
        case.headers.pop("Authorization", None)
    headers = _token(role, case)
    response = None
    try:
        response = case.call(headers=headers)
        case.validate_response(response, headers=headers, transport_kwargs={"headers": headers},
                               excluded_checks=[checks.positive_data_acceptance,
                                                checks.negative_data_rejection])
    except BaseException:
        tally.record(role, case, response, failed=True)
        raise
    tally.record(role, case, response, failed=False)


SETTINGS = {"deadline": None, "suppress_health_check": list(HealthCheck), "derandomize": True}


@anonymous.parametrize()
@settings(max_examples=ANONYMOUS_EXAMPLES, **SETTINGS)
def test_anonymous(case):
    _send("anonymous", case)


@citizen.parametrize()
@settings(max_examples=EXAMPLES, **SETTINGS)
def test_citizen(case):
    _send("citizen", case)


@staff.parametrize()
@settings(max_examples=EXAMPLES, **SETTINGS)
def test_district_admin(case):
    _send("admin", case)


@staff.parametrize()
@settings(max_examples=ANONYMOUS_EXAMPLES, **SETTINGS)
def test_place_manager(case):
    _send("manager", case)


# Defined last, so it runs after every role has been through every operation.
REACHED_AT_LEAST = 35


def test_the_run_reached_the_business_logic():
    """The point of the seeded world: most operations answer a 2xx to some role (the summary
    lists the rest). Only a whole run can say so; a run narrowed with -k skips this."""
    roles = {"anonymous": anonymous, "citizen": citizen, "admin": staff, "manager": staff}
    for role, role_schema in roles.items():
        expected = {result.ok().label for result in role_schema.get_all_operations()}
        if tally.TALLIES[role].operations != expected:
            pytest.skip(f"only part of the run was selected ({role})")
    reached = set().union(*(t.reached for t in tally.TALLIES.values()))
    assert len(reached) >= REACHED_AT_LEAST, sorted(reached)
    assert not any(t.server_errors or t.violations for t in tally.TALLIES.values())
