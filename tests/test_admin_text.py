"""What the admin says to the people who use it: no page names a command of the command line
(they cannot run one), for every role; a warning tells each reader what they can do about it, or
who will (the missing holiday notice: a district admin is asked to enter it on 节假日安排, the
others told that the district office will)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import select

from backend.entrypoints.jobs import JOBS
from backend.models import Staff
from backend.services import cases
from backend.services.cases import Applicant
from backend.services.scope import SYSTEM
from backend.services.slots import generate_slots
from backend.services.staff import set_password
from tests.page_text import visible_text

PASSWORD = "Hq7#vLm2pX9w-Tz"
WARNING_2027 = "2027年的节假日调休安排尚未录入"
# Not pages to read: downloads, sign-out, and what only a form posts to.
NOT_READ = re.compile(r"/(logout|xlsx|export|action|delete)(/|$)")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def page_key(href: str) -> str | None:
    """An admin page worth reading, as its path and the record it shows (`id`): a list's sort,
    filter and page links are the same page."""
    url = urlsplit(href)
    if url.netloc or not url.path.startswith("/admin") or NOT_READ.search(url.path):
        return None
    record = parse_qs(url.query).get("id")
    return url.path + (f"?{urlencode({'id': record[0]})}" if record else "")


def crawl(client, start: str = "/admin/", per_path: int = 2) -> dict[str, str]:
    """Every admin page reachable by links from `start`, with at most `per_path` records of each
    kind: URL -> HTML."""
    seen: dict[str, str] = {}
    records: dict[str, int] = {}
    queue = [start]
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or not response.mimetype == "text/html":
            seen[url] = ""
            continue
        seen[url] = html = response.get_data(as_text=True)
        for href in links(html):
            key = page_key(href)
            if key is None or key in seen or key in queue:
                continue
            path = key.split("?")[0]
            if "?" in key:
                if records.get(path, 0) >= per_path:
                    continue
                records[path] = records.get(path, 0) + 1
            queue.append(key)
    return seen


def command_names(app) -> set[str]:
    names = {"flask"} | set(app.cli.commands) | set(JOBS)
    for command in app.cli.commands.values():
        names |= set(getattr(command, "commands", {}))
    return names


@pytest.fixture
def portal(session, demo, clock, client, make_citizen):
    for staff in session.scalars(select(Staff)):
        set_password(session, SYSTEM, staff, PASSWORD)
    generate_slots(session, clock.now(), 14)
    cases.create_case(session, make_citizen(), item_code="SB-001", place_code="BS-HALL",
                      help_type="proxy", applicant=Applicant(name="申请人"),
                      material_codes=["SFZ"], booking_code=None, special_group=None,
                      now=clock.now(), number_prefix="BS")
    session.commit()

    def sign_in(username: str):
        client.post("/admin/logout", data={})
        assert client.post("/admin/login", data={"username": username, "password": PASSWORD}
                           ).status_code == 302
        return client
    return sign_in


@pytest.mark.parametrize("username", ["admin", "inspector", "manager", "agent1"])
def test_no_page_names_a_command(app, portal, username):
    pages = crawl(portal(username))
    assert len(pages) > 5
    words = re.compile(r"(?<![\w-])(" + "|".join(
        re.escape(name) for name in sorted(command_names(app), key=len, reverse=True))
        + r")(?![\w-])")
    named = {url: words.findall(visible_text(html)) for url, html in pages.items()}
    assert {url: found for url, found in named.items() if found} == {}
    # The crawl reached the pages a command would be named on.
    assert any(WARNING_2027 in visible_text(html) for html in pages.values())


def test_the_district_admin_is_asked_to_enter_the_notice_there(portal):
    html = portal("admin").get("/admin/").get_data(as_text=True)
    warning = visible_text(html.split('calendar-warning', 1)[1].split("</div>", 1)[0])
    assert WARNING_2027 in warning and "请在国务院办公厅发布通知后，在“节假日安排”页面录入" in warning
    assert re.search(r'<a class="alert-link calendar-enter" href="/admin/calendar/">', html)


@pytest.mark.parametrize("username", ["inspector", "manager", "agent1"])
def test_the_others_are_told_who_will_enter_it(portal, username):
    html = portal(username).get("/admin/").get_data(as_text=True)
    warning = visible_text(html.split('calendar-warning', 1)[1].split("</div>", 1)[0])
    assert WARNING_2027 in warning and "由区政务服务管理办在国务院办公厅发布通知后录入" in warning
    assert "calendar-enter" not in html and "请在" not in warning



@pytest.mark.parametrize("username", ["admin", "manager"])
def test_every_page_has_one_heading(portal, username):
    """The page's own heading, not the menu's name above it as well."""
    pages = crawl(portal(username))
    headings = {url: re.findall(r"<h4[ >].*?</h4>", html, re.S) for url, html in pages.items()
                if html}
    assert {url: found for url, found in headings.items() if len(found) != 1} == {}
