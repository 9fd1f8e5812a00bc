"""The machine's load, printed beside every benchmark's figures: a ratio measured while
something else used the cores is not the same figure."""
from __future__ import annotations

import os


def machine_load() -> str:
    one, five, fifteen = os.getloadavg()
    return (f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min) "
            f"on {os.cpu_count()} cores")


def print_load(when: str) -> None:
    print(f"machine {when}: {machine_load()}", flush=True)
