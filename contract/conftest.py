"""The contract run's summary: per role, the requests sent, the 5xx, the answers outside the
document, and the operations that answered a 2xx (and which never did); then the operations no
role brought to a 2xx."""
from __future__ import annotations

from contract.tally import TALLIES


def pytest_terminal_summary(terminalreporter):
    if not TALLIES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("contract run: what each role reached")
    every, reached = set(), set()
    for role, tally in TALLIES.items():
        every |= tally.operations
        reached |= tally.reached
        missed = sorted(tally.operations - tally.reached)
        write(f"{role}: {tally.requests} requests, {tally.server_errors} x 5xx, "
              f"{tally.violations} schema violations, {len(tally.reached)} of "
              f"{len(tally.operations)} operations reached 2xx")
        if missed:
            write(f"  never 2xx: {', '.join(missed)}")
    write(f"all roles: {len(reached)} of {len(every)} operations reached 2xx")
    if every - reached:
        write(f"  never 2xx: {', '.join(sorted(every - reached))}")
