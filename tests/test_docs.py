"""The repository explains itself: `docs/api.md` lists exactly the routes the app serves and the
commands it has, and nothing in the repository sends its reader to a file outside it.

How `docs/api.md` is read (its opening paragraph says the same): a table row whose first cell is
`METHOD[, METHOD] /path` is a served route, relative to `/api/v1`; rows under a `## ` heading that
says "coming" (or 即将) name routes not yet served and must not be served."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import make_test_app

ROOT = Path(__file__).resolve().parent.parent
API_DOC = ROOT / "docs" / "api.md"
METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")
ROUTE_CELL = re.compile(rf"((?:{'|'.join(METHODS)})(?:, (?:{'|'.join(METHODS)}))*) (/\S*)")
COMING_HEADING = re.compile(r"coming|即将", re.IGNORECASE)


def normalise(path: str) -> str:
    """`/cases/{number}` and `/cases/{code}` are the same route."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def documented_routes(text: str) -> tuple[set[str], set[str]]:
    """("METHOD /path", ...) served, and the same for the coming section."""
    served: set[str] = set()
    coming: set[str] = set()
    in_coming = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("## "):
            in_coming = bool(COMING_HEADING.search(line))
        if not line.startswith("|"):
            continue
        cell = line.split("|")[1].strip().strip("`").strip()
        first_word = re.split(r"[ ,]", cell, maxsplit=1)[0]
        if first_word not in METHODS:
            continue
        match = ROUTE_CELL.fullmatch(cell)
        assert match, f"docs/api.md line {number}: a route cell must read `METHOD[, METHOD] /path`"
        routes = {f"{method} {normalise(match[2])}" for method in match[1].split(", ")}
        (coming if in_coming else served).update(routes)
    return served, coming


@pytest.fixture(scope="module")
def served_app(tmp_path_factory):
    # The document and the commands come from the code alone: an empty SQLite file is database
    # enough.
    return make_test_app(f"sqlite:///{tmp_path_factory.mktemp('docs') / 'docs.db'}")


@pytest.fixture(scope="module")
def served_routes(served_app) -> set[str]:
    doc = served_app.test_client().get("/api/v1/openapi.json").get_json()
    return {f"{method.upper()} {normalise(path)}"
            for path, item in doc["paths"].items()
            for method in item if method.upper() in METHODS}


def test_the_parser_finds_both_sides_of_the_contract_and_the_coming_routes():
    served, coming = documented_routes(API_DOC.read_text(encoding="utf-8"))
    assert "POST /auth/wechat-login" in served and "POST /staff/cases/{}/assign" in served
    assert "POST /consultations" in served and "POST /tickets" in served
    # Every route named for a coming issue is built now; a coming section would read so:
    _, coming = documented_routes("## Coming, not yet served\n\n| route | send |\n| --- | --- |\n"
                                  "| `GET, POST /surveys` | |\n")
    assert coming == {"GET /surveys", "POST /surveys"}


def test_docs_api_lists_every_served_route_and_nothing_else(served_routes):
    served, _ = documented_routes(API_DOC.read_text(encoding="utf-8"))
    assert sorted(served_routes - served) == [], "served, but missing from docs/api.md"
    assert sorted(served - served_routes) == [], "docs/api.md says served, but it is not"


def test_no_coming_route_is_served_yet(served_routes):
    _, coming = documented_routes(API_DOC.read_text(encoding="utf-8"))
    assert sorted(coming & served_routes) == [], (
        "built: move these rows out of docs/api.md's coming section")


def documented_commands(text: str) -> set[str]:
    """The first word of each command in the table under "## Command line"."""
    section = text.split("\n## Command line\n", 1)[1].split("\n## ", 1)[0]
    return {match[1] for match in re.finditer(r"^\| `([a-z-]+)[ `]", section, re.MULTILINE)}


def test_docs_api_lists_every_command_and_every_job(served_app):
    text = API_DOC.read_text(encoding="utf-8")
    assert documented_commands(text) == set(served_app.cli.commands)
    run = served_app.cli.commands["jobs"].commands["run"]
    jobs = {choice for param in run.params for choice in getattr(param.type, "choices", ())}
    assert jobs and all(f"`{job}`" in text for job in jobs)


# Files that lived beside the repository while it was young; the repository must not need them.
# Spelled in pieces so that this file does not cite them itself.
OUTSIDE = re.compile(
    r"\b(?:" + "|".join(("DESIGN", "API", "STYLE", "WECHAT", "BROWSER")) + r")\.md\b"
    r"|\bshared" + "/")


def tracked_files() -> list[Path]:
    try:
        # Tracked files, and new ones not ignored (so a file is checked before its commit).
        names = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()
        files = [ROOT / name for name in names]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: walk the tree
        files = [p for p in ROOT.rglob("*") if p.is_file() and not any(
            part.startswith(".") or part == "node_modules" for part in p.relative_to(ROOT).parts)]
    return [p for p in files if p.exists() and (
        p.suffix == ".py" or p.name in ("README.md", "Makefile")
        and p.parent == ROOT or p.relative_to(ROOT).parts[0] == "docs" and p.suffix == ".md")]


def test_nothing_cites_a_file_outside_the_repository():
    files = tracked_files()
    assert ROOT / "README.md" in files and API_DOC in files
    citations = [
        f"{path.relative_to(ROOT)}:{number}: {match[0]}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in [OUTSIDE.search(line)] if match
    ]
    assert citations == [], "cite docs/ instead:\n" + "\n".join(citations)
