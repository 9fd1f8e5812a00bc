"""docs/api.md "Lists", for the three lists that used to answer everything at once: `GET /cases`
and `GET /bookings` (the citizen's) and `GET /staff/escalations` honour `page` and `per_page`,
and `total` counts every row, not the rows of the page."""
from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa

from backend.models import Slot
from backend.services.slots import generate_slots
from tests.helpers import assert_error, bearer

API = "/api/v1"
BAD_PAGING = [("page=0", "page"), ("page=abc", "page"), ("per_page=0", "per_page"),
              ("per_page=101", "per_page"), ("per_page=ten", "per_page")]


@pytest.fixture
def citizen(client, demo):
    answer = client.post(f"{API}/auth/wechat-login", json={"code": "pager"}).get_json()
    return bearer(answer["token"])


@pytest.fixture
def staff_login(client, demo):
    passwords = {username: password for username, _, password in demo.passwords}

    def login(username):
        answer = client.post(f"{API}/staff/login",
                             json={"username": username, "password": passwords[username]})
        assert answer.status_code == 200, answer.get_json()
        return bearer(answer.get_json()["token"])
    return login


def apply(client, headers) -> str:
    body = {"item": "QYKB-001", "place": "BS-HALL", "help_type": "assist",
            "applicant": {"name": "张三", "phone": "13800138000"}, "materials": []}
    answer = client.post(f"{API}/cases", json=body, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["number"]


def pages(client, url, headers, per_page):
    """Pages 1 and 2 of a list, each as (items, total)."""
    found = []
    for page in (1, 2):
        answer = client.get(f"{url}page={page}&per_page={per_page}", headers=headers)
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        found.append((body["items"], body["total"]))
    return found


def test_my_cases_come_a_page_at_a_time_newest_first(client, citizen, clock):
    numbers = []
    for _ in range(3):
        numbers.append(apply(client, citizen))
        clock.advance(minutes=5)
    (first, total1), (second, total2) = pages(client, f"{API}/cases?", citizen, 2)
    assert total1 == total2 == 3
    assert [c["number"] for c in first] == numbers[:0:-1]
    assert [c["number"] for c in second] == numbers[:1]
    default = client.get(f"{API}/cases", headers=citizen).get_json()
    assert (len(default["items"]), default["total"]) == (3, 3)


def test_my_bookings_come_a_page_at_a_time_newest_first(client, session, citizen, clock):
    generate_slots(session, clock.now(), 14)
    session.commit()
    codes = []
    for day in ("2026-12-01", "2026-12-02", "2026-12-03"):
        slot = session.scalar(sa.select(Slot.id).where(
            Slot.place.has(code="BS-HALL"), Slot.date == date.fromisoformat(day),
            Slot.start_time == time(9)))
        answer = client.post(f"{API}/bookings", json={"slot": slot, "item": "JS-001"},
                             headers=citizen)
        assert answer.status_code == 201, answer.get_json()
        codes.append(answer.get_json()["code"])
    (first, total1), (second, total2) = pages(client, f"{API}/bookings?", citizen, 2)
    assert total1 == total2 == 3
    # Booked at the same moment: the later booking is still the newer one.
    assert [b["code"] for b in first] == codes[:0:-1]
    assert [b["code"] for b in second] == codes[:1]


def test_escalations_come_a_page_at_a_time_in_the_order_raised(client, citizen, staff_login,
                                                               clock):
    agent, manager = staff_login("agent2"), staff_login("manager")  # agent2 works QYKB-001
    raised = []
    for _ in range(3):
        number = apply(client, citizen)
        answer = client.post(f"{API}/staff/cases/{number}/escalate", json={"note": "部门不受理"},
                             headers=agent)
        assert answer.status_code == 201, answer.get_json()
        raised.append(answer.get_json()["id"])
        clock.advance(minutes=5)
    url = f"{API}/staff/escalations?open=true&"
    (first, total1), (second, total2) = pages(client, url, manager, 2)
    assert total1 == total2 == 3
    assert [e["id"] for e in first + second] == raised
    assert len(first) == 2
    # Resolved ones leave the open list and its total, and stay in the whole one.
    client.post(f"{API}/staff/escalations/{raised[0]}/resolve", json={"note": "已协调"},
                headers=manager)
    assert client.get(f"{API}/staff/escalations?per_page=1", headers=manager).get_json()[
        "total"] == 2
    everything = client.get(f"{API}/staff/escalations?open=false&per_page=1",
                            headers=manager).get_json()
    assert (len(everything["items"]), everything["total"]) == (1, 3)


@pytest.mark.parametrize("query, field", BAD_PAGING)
@pytest.mark.parametrize("path, who", [("/cases", "citizen"), ("/bookings", "citizen"),
                                       ("/staff/escalations", "manager")])
def test_bad_paging_is_invalid_input(client, citizen, staff_login, path, who, query, field):
    headers = citizen if who == "citizen" else staff_login(who)
    error = assert_error(client.get(f"{API}{path}?{query}", headers=headers), 422,
                         "invalid_input")
    assert field in error["details"]["query"]


@pytest.mark.parametrize("path", ["/cases", "/bookings", "/staff/escalations"])
def test_the_served_document_declares_the_paging(client, path):
    operation = client.get(f"{API}/openapi.json").get_json()["paths"][path]["get"]
    parameters = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
    assert {"page", "per_page"} <= set(parameters)
    assert parameters["per_page"]["schema"]["maximum"] == 100
    assert parameters["page"]["schema"]["minimum"] == 1
    assert "422" in operation["responses"]


def test_the_served_document_says_what_a_review_followup_takes(client):
    document = client.get(f"{API}/openapi.json").get_json()
    body = document["paths"]["/staff/cases/{number}/review-followup"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    assert set(schema["properties"]) == {"callback", "fix"}
    assert set(schema["required"]) == {"callback", "fix"}
    assert all(schema["properties"][name]["maxLength"] == 500 for name in ("callback", "fix"))
