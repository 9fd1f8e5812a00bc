"""The served OpenAPI document is the contract: schemathesis sends generated requests to every
operation (in-process, over WSGI) as a citizen and as staff, and checks each answer against
the document with all its checks: no 5xx, no status, header or body outside what is served.

Run by .ci/run (not by `make test`), bounded by CONTRACT_EXAMPLES per operation (about two
minutes on the CI machine with the default)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import flask_migrate
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks

from backend.extensions import db
from backend.infrastructure.tokens import issue_token
from backend.models import Staff
from backend.services.citizens import citizen_for_openid
from backend.services.demo import seed_demo
from tests.conftest import make_test_app

EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "200"))


def _demo_app():
    """The app on a fresh SQLite database holding the Boshan demo and one citizen."""
    folder = Path(tempfile.mkdtemp(prefix="banban-contract-"))
    # Limits off: the run is one client sending thousands of requests (tests/ test them).
    app = make_test_app(f"sqlite:///{folder / 'contract.db'}", RATELIMIT_ENABLED=False)
    with app.app_context():
        flask_migrate.upgrade()
        now = app.extensions["banban.clock"].now()
        seed_demo(db.session, now, rota_days=21)
        app.config["CONTRACT_CITIZEN_ID"] = citizen_for_openid(db.session, "contract", None,
                                                               now).id
        db.session.commit()
        db.session.remove()
    return app


APP = _demo_app()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)


def _headers(path: str) -> dict[str, str]:
    """A fresh token for each request (a generated logout must not end the run): the district
    admin for staff routes, the citizen for the rest."""
    with APP.app_context():
        if path.removeprefix("/api/v1").startswith("/staff/"):
            staff = db.session.query(Staff).filter_by(username="admin").one()
            token, _ = issue_token("staff", staff.id, staff.session_stamp)
        else:
            token, _ = issue_token("citizen", APP.config["CONTRACT_CITIZEN_ID"])
        db.session.remove()
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
          derandomize=True)
def test_every_answer_is_in_the_served_schema(case):
    # Every check but two that judge the requests rather than the answers: schema-valid data may
    # still break a rule no JSON Schema states (an ID number's GB 11643 checksum, a control
    # character in a note, a date past the window) and is rightly refused with 422; and unknown
    # query parameters are ignored, as HTTP APIs do (the negative check also counts the bearer
    # token as a header it removed, which these requests always carry).
    case.call_and_validate(headers=_headers(case.path),
                           excluded_checks=[checks.positive_data_acceptance,
                                            checks.negative_data_rejection])
