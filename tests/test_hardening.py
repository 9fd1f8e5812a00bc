"""Issue 21's findings (the second security pass), each as a regression test: what a sign-in
costs whoever the name, limits that fit a hall, the WeChat login's limit, and the headers on
every answer. (The spreadsheet's text cells: tests/test_reports.py; the registry form's scope:
tests/test_admin_work.py; the subscription quota's cap: tests/test_notifications.py.)"""
from __future__ import annotations

import pytest

from backend.extensions import db
from backend.services import staff as staff_service
from backend.services.catalog import import_catalog
from backend.services.scope import SYSTEM
from backend.services.staff import authenticate, create_staff, deactivate_staff
from tests.helpers import assert_error

PASSWORD = "Lk8#pz-Qm2vT-wq"


@pytest.fixture
def agents(session, example_catalog, clock):
    """agent1 active, agent2 deactivated (same password)."""
    import_catalog(session, SYSTEM, example_catalog)
    made = {username: create_staff(session, SYSTEM, username=username, password=PASSWORD,
                                   role="agent", name="李帮办", place_codes=["BS-HALL"],
                                   department_code="RSJ", now=clock.now())
            for username in ("agent1", "agent2")}
    deactivate_staff(session, SYSTEM, made["agent2"])
    session.commit()
    return made


# 5. A sign-in costs one password hash whoever the name ----------------------------------------

@pytest.fixture
def hashes(monkeypatch):
    """Counts the password checks a sign-in makes (each a full scrypt/pbkdf2 hash)."""
    calls = []
    real = staff_service.check_password_hash

    def counted(stored, password):
        calls.append(stored)
        return real(stored, password)
    monkeypatch.setattr(staff_service, "check_password_hash", counted)
    return calls


@pytest.mark.parametrize("username, password, signed_in", [
    ("agent1", PASSWORD, True),          # active, right password
    ("agent1", "wrong-password-1", False),
    ("agent2", PASSWORD, False),         # deactivated, right password
    ("agent2", "wrong-password-1", False),
    ("nobody", PASSWORD, False),         # unknown
])
def test_every_sign_in_costs_one_password_hash(session, agents, clock, hashes, username,
                                               password, signed_in):
    staff = authenticate(session, username, password, clock.now())
    assert (staff is not None) == signed_in
    assert len(hashes) == 1


def test_a_deactivated_account_is_refused_as_a_wrong_password_is(client, agents, hashes):
    answers = [client.post("/api/v1/staff/login", json={"username": name, "password": PASSWORD})
               for name in ("agent2", "nobody")]
    for answer in answers:
        assert_error(answer, 401, "unauthorized")
    assert answers[0].get_json() == answers[1].get_json()
    assert len(hashes) == 2
