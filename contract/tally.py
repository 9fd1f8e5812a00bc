"""What each role of the contract run sent and reached, for the summary `conftest.py` prints."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class RoleTally:
    requests: int = 0
    server_errors: int = 0
    violations: int = 0  # answers a check refused that were not 5xx (status, headers, body)
    operations: set[str] = field(default_factory=set)
    reached: set[str] = field(default_factory=set)  # operations that answered a 2xx


TALLIES: dict[str, RoleTally] = defaultdict(RoleTally)


def record(role: str, case, response, failed: bool) -> None:
    """One request of the run. A 2xx counts for its operation only when sent with the
    operation's own method (the coverage phase also tries methods the path does not serve)."""
    tally = TALLIES[role]
    operation = case.operation.label
    tally.operations.add(operation)
    if response is None:
        return
    tally.requests += 1
    if response.status_code >= 500:
        tally.server_errors += 1
    elif failed:
        tally.violations += 1
    elif 200 <= response.status_code < 300 and case.method.upper() == case.operation.method.upper():
        tally.reached.add(operation)
