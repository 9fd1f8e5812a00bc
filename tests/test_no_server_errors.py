"""Bad input is never a 5xx (docs/api.md "Conventions": every error is 4xx with the one error
shape).

Regression tests for what fuzzing the served OpenAPI document (schemathesis) and hand-made nasty
bodies found:

- JSON the parser itself chokes on: nesting deeper than Python's recursion limit
  (RecursionError) and integers longer than 4300 digits (ValueError from
  sys.int_max_str_digits). webargs only turns json.JSONDecodeError into a 400.
- Lone UTF-16 surrogates written as JSON escapes (`"\\ud800"`): Python keeps them in the str,
  and the first `.encode("utf-8")` fails — in the SQLite/psycopg driver, in hashlib, in the
  password check, or when the error answer echoes the value (or an unknown key) back.
- NUL characters (`\\u0000` in JSON, `%00` in a path or query): PostgreSQL text cannot hold
  them, so psycopg raises DataError (a 500). SQLite stores them, so there most of these
  answer 2xx today; the tests ask for a 4xx everywhere, so that both databases refuse the
  same input (where the value is only looked up and not found, SQLite already answers 4xx).
"""
from __future__ import annotations

import json

import pytest

from backend.services.slots import generate_slots
from tests.helpers import CJK, bearer

API = "/api/v1"
SURROGATE = "\ud800"
NUL = "a\u0000b"
DEEP_ARRAY = "[" * 10000 + "]" * 10000
DEEP_OBJECT = '{"a":' * 10000 + "1" + "}" * 10000
HUGE_INTEGER = '{"slot": ' + "9" * 5000 + "}"


def problem(response) -> str | None:
    """None for a 4xx with docs/api.md's one error shape and a Chinese message, else what is
    wrong."""
    text = response.get_data(as_text=True)[:200]
    if not 400 <= response.status_code < 500:
        return f"{response.status_code} {text}"
    body = response.get_json(silent=True)
    if not (isinstance(body, dict) and set(body) == {"error"} and isinstance(body["error"], dict)
            and set(body["error"]) == {"code", "message", "details"}
            and isinstance(body["error"]["details"], dict)
            and CJK.search(str(body["error"]["message"]))):
        return f"{response.status_code}, not the error shape: {text}"
    return None


def send(client, method, path, headers=None, body=None, raw=None):
    """`body` is sent as ASCII-only JSON (so lone surrogates travel as `\\ud800` escapes)."""
    data = raw if raw is not None else (None if body is None else json.dumps(body))
    return client.open(f"{API}{path}", method=method, data=data, headers=headers or {},
                       content_type="application/json" if data is not None else None)


def problem_of(client, method, path, headers=None, body=None, raw=None) -> str | None:
    """What is wrong with the answer. When the error handler itself fails, the test app
    (TESTING=True) raises instead of answering 500: that counts as a 5xx too."""
    try:
        return problem(send(client, method, path, headers, body, raw))
    except Exception as exc:  # noqa: BLE001
        return f"raised {type(exc).__name__}: {exc} (a 500 outside tests)"


@pytest.fixture
def world(client, session, clock, demo):
    """The demo with its slots (as `seed-demo` makes them), a citizen with a booking and a submitted assist case at BS-HALL assigned to
    agent1, and everyone's request headers."""
    generate_slots(session, clock.now(), 14)
    session.commit()
    passwords = {username: password for username, _, password in demo.passwords}
    headers = {}
    login = client.post(f"{API}/auth/wechat-login", json={"code": "fuzz"})
    assert login.status_code == 200, login.get_data(as_text=True)
    headers["citizen"] = bearer(login.get_json()["token"])
    for username in ("manager", "agent1"):
        login = client.post(f"{API}/staff/login",
                            json={"username": username, "password": passwords[username]})
        assert login.status_code == 200, login.get_data(as_text=True)
        headers[username] = bearer(login.get_json()["token"])

    slots = client.get(f"{API}/places/BS-HALL/slots").get_json()["items"]
    free = [s["id"] for s in slots if s["remaining"] > 0 and s["date"] > "2026-11-30"]
    booking = client.post(f"{API}/bookings", json={"slot": free[0], "item": "SB-001"},
                          headers=headers["citizen"])
    assert booking.status_code == 201, booking.get_data(as_text=True)

    case = client.post(f"{API}/cases", headers=headers["citizen"], json={
        "item": "SB-001", "place": "BS-HALL", "help_type": "assist",
        "applicant": {"name": "张三", "phone": "13800138000"}, "materials": ["SFZ"]})
    assert case.status_code == 201, case.get_data(as_text=True)
    number = case.get_json()["number"]
    assigned = client.post(f"{API}/staff/cases/{number}/assign", json={"agent": "agent1"},
                           headers=headers["manager"])
    assert assigned.status_code == 200, assigned.get_data(as_text=True)
    return {"headers": headers, "case": number, "booking": booking.get_json()["code"],
            "slot": free[1]}


def body_routes(client, world):
    """Every operation of the served OpenAPI document that takes a JSON body, with its path
    parameters filled in and the headers of a caller allowed to reach it."""
    spec = client.get(f"{API}/openapi.json").get_json()
    routes = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "requestBody" not in operation:
                continue
            local = path.removeprefix(API).format(
                number=world["case"], code=world["booking"], escalation_id=1, relative_id=1,
                consultation_id=1)
            if local in ("/auth/wechat-login", "/staff/login"):
                who = None
            elif local.startswith("/staff/"):
                who = "manager"
            else:
                who = "citizen"
            routes.append((method.upper(), local, world["headers"].get(who, {})))
    assert len(routes) >= 20
    return routes


# JSON the parser cannot read ----------------------------------------------------------------

@pytest.mark.parametrize("raw", [DEEP_ARRAY, DEEP_OBJECT, HUGE_INTEGER],
                         ids=["deeply-nested-array", "deeply-nested-object", "5000-digit-integer"])
def test_unparseable_json_is_a_client_error_on_every_route(client, world, raw):
    failures = []
    for method, path, headers in body_routes(client, world):
        found = problem_of(client, method, path, headers, raw=raw)
        if found:
            failures.append(f"{method} {path}: {found}")
    assert not failures, "\n".join(failures)


# Lone surrogates ----------------------------------------------------------------------------

def test_an_unknown_key_with_a_lone_surrogate_is_a_client_error_on_every_route(client, world):
    # The 422 "未知字段" answer echoes the key back; encoding that answer failed.
    failures = []
    for method, path, headers in body_routes(client, world):
        found = problem_of(client, method, path, headers, body={SURROGATE: 1})
        if found:
            failures.append(f"{method} {path}: {found}")
    assert not failures, "\n".join(failures)


def _case_body(**changes):
    body = {"item": "SB-001", "place": "BS-HALL", "help_type": "assist",
            "applicant": {"name": "张三"}, "materials": ["SFZ"]}
    body.update(changes)
    return body


# (method, path, who, body); {case} is the world's case number, {slot} a free slot id.
SURROGATE_CASES = {
    "login-code": ("POST", "/auth/wechat-login", None, {"code": SURROGATE}),
    "profile-name": ("PATCH", "/me", "citizen", {"name": SURROGATE}),
    "booking-item": ("POST", "/bookings", "citizen", {"slot": "{slot}", "item": SURROGATE}),
    "case-item": ("POST", "/cases", "citizen", _case_body(item=SURROGATE)),
    "case-place": ("POST", "/cases", "citizen", _case_body(place=SURROGATE)),
    "case-applicant-name": ("POST", "/cases", "citizen",
                            _case_body(applicant={"name": SURROGATE})),
    "case-materials": ("POST", "/cases", "citizen", _case_body(materials=[SURROGATE])),
    "case-booking": ("POST", "/cases", "citizen", _case_body(booking=SURROGATE)),
    "case-special-group": ("POST", "/cases", "citizen", _case_body(special_group=SURROGATE)),
    "supplement-materials": ("POST", "/cases/{case}/supplement", "citizen",
                             {"materials": [SURROGATE]}),
    "staff-login-username": ("POST", "/staff/login", None,
                             {"username": SURROGATE, "password": "x"}),
    "staff-login-password": ("POST", "/staff/login", None,
                             {"username": "agent1", "password": SURROGATE}),
    "assign-agent": ("POST", "/staff/cases/{case}/assign", "manager", {"agent": SURROGATE}),
    "check-missing-material": ("POST", "/staff/cases/{case}/check", "agent1",
                               {"missing": [{"material": SURROGATE}]}),
    "check-missing-note": ("POST", "/staff/cases/{case}/check", "agent1",
                           {"missing": [{"material": "SFZ", "note": SURROGATE}]}),
    "check-note": ("POST", "/staff/cases/{case}/check", "agent1",
                   {"missing": [{"material": "SFZ"}], "note": SURROGATE}),
    "handover-material": ("POST", "/staff/cases/{case}/handover", "agent1",
                          {"materials": [{"material": SURROGATE, "copies": 1, "original": True}],
                           "citizen_confirmed": True}),
    "progress-task": ("POST", "/staff/cases/{case}/progress", "agent1",
                      {"note": "进展", "task": SURROGATE}),
    "return-material": ("POST", "/staff/cases/{case}/return", "agent1",
                        {"materials": [{"material": SURROGATE, "copies": 1, "original": True}]}),
    "escalate-note": ("POST", "/staff/cases/{case}/escalate", "agent1", {"note": SURROGATE}),
}


def _fill(value, world):
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    if value == "{slot}":
        return world["slot"]
    return value


@pytest.mark.parametrize("case", list(SURROGATE_CASES.values()), ids=list(SURROGATE_CASES))
def test_a_lone_surrogate_in_a_string_is_a_client_error(client, world, case):
    method, path, who, body = case
    headers = world["headers"][who] if who else {}
    found = problem_of(client, method, path.format(case=world["case"]), headers,
                       body=_fill(body, world))
    assert found is None, found


# NUL characters (PostgreSQL only) -----------------------------------------------------------

NUL_PATHS = {
    "item-code": ("GET", "/items/a%00b", None),
    "slots-place": ("GET", "/places/a%00b/slots", None),
    "items-q": ("GET", "/items?q=a%00b", None),
    "items-place": ("GET", "/items?place=a%00b", None),
    "items-category": ("GET", "/items?category=a%00b", None),
    "places-parent": ("GET", "/places?parent=a%00b", None),
    "case-number": ("GET", "/cases/a%00b", "citizen"),
    "cancel-booking-code": ("POST", "/bookings/a%00b/cancel", "citizen"),
    "staff-case-number": ("GET", "/staff/cases/a%00b", "manager"),
    "staff-cases-place": ("GET", "/staff/cases?place=a%00b", "manager"),
    "check-in-code": ("POST", "/staff/bookings/a%00b/check-in", "manager"),
}


@pytest.mark.parametrize("case", list(NUL_PATHS.values()), ids=list(NUL_PATHS))
def test_a_nul_in_a_path_or_query_is_a_client_error(client, world, case):
    method, path, who = case
    headers = world["headers"][who] if who else {}
    found = problem_of(client, method, path, headers)
    assert found is None, found


NUL_BODIES = {
    "profile-name": ("PATCH", "/me", "citizen", {"name": NUL}),
    "booking-item": ("POST", "/bookings", "citizen", {"slot": "{slot}", "item": NUL}),
    "booking-note": ("POST", "/bookings", "citizen",
                     {"slot": "{slot}", "item": "SB-001", "note": NUL}),
    "case-item": ("POST", "/cases", "citizen", _case_body(item=NUL)),
    "case-place": ("POST", "/cases", "citizen", _case_body(place=NUL)),
    "case-applicant-name": ("POST", "/cases", "citizen", _case_body(applicant={"name": NUL})),
    "case-booking": ("POST", "/cases", "citizen", _case_body(booking=NUL)),
    "case-special-group": ("POST", "/cases", "citizen", _case_body(special_group=NUL)),
    "complete-note": ("POST", "/staff/cases/{case}/complete", "agent1", {"note": NUL}),
    "staff-login-username": ("POST", "/staff/login", None, {"username": NUL, "password": "x"}),
    "assign-agent": ("POST", "/staff/cases/{case}/assign", "manager", {"agent": NUL}),
    "check-note": ("POST", "/staff/cases/{case}/check", "agent1",
                   {"missing": [{"material": "SFZ"}], "note": NUL}),
    "check-missing-note": ("POST", "/staff/cases/{case}/check", "agent1",
                           {"missing": [{"material": "SFZ", "note": NUL}]}),
    "escalate-note": ("POST", "/staff/cases/{case}/escalate", "agent1", {"note": NUL}),
}


@pytest.mark.parametrize("case", list(NUL_BODIES.values()), ids=list(NUL_BODIES))
def test_a_nul_in_a_string_is_a_client_error(client, world, case):
    method, path, who, body = case
    headers = world["headers"][who] if who else {}
    found = problem_of(client, method, path.format(case=world["case"]), headers,
                       body=_fill(body, world))
    assert found is None, found
