"""The inspection report and the dashboard read well on a 1366×768 screen, in a real browser
(docs/testing.md): the figures grouped under their headers, no header squeezed narrower than its
words, numbers right-aligned, the unit's column staying in view while the figures scroll, and
every chart label inside its chart. Screenshots go with the other browser tests'."""
from __future__ import annotations

import base64
import re

from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.infrastructure.audit import SYSTEM, act_as
from backend.models import Place
from backend.services.slots import generate_slots
from tests.page_text import english_words
from tests.test_admin_browser import (  # noqa: F401  (the browser's fixtures)
    SHOTS, Visit, browser_context_args, browser_type_launch_args, portal,
)

SCREEN = {"width": 1366, "height": 768}
REPORT = "/admin/report/?start=2026-10-01&end=2026-11-30&kind=place"


@pytest.fixture
def screen(page, portal, request):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(SCREEN)
    visit = Visit(page, portal, SHOTS, "layout-" + re.sub(r"\W+", "-", request.node.name[5:]))
    visit.sign_in("admin")
    return visit


def squeezed_headers(page, table: str) -> list[dict]:
    """The table's header cells whose text overflows them or wraps onto more than two lines."""
    return page.eval_on_selector_all(f"{table} thead th", """cells => cells.map(th => {
        const range = document.createRange();
        range.selectNodeContents(th);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        return {text: th.innerText, lines: tops.size, overflow: th.scrollWidth > th.clientWidth};
    }).filter(h => h.overflow || h.lines > 2)""")


def test_the_report_reads_well_on_a_laptop_screen(page, screen):
    screen.go(REPORT, "report")
    assert page.locator("h4").count() == 1
    groups = page.locator(".report-units thead tr").first.locator("th.group").all_inner_texts()
    assert groups == ["预约", "办件", "时限", "评价"]
    for table in (".report-total", ".report-units"):
        assert squeezed_headers(page, table) == []
        aligned = page.eval_on_selector_all(f"{table} tbody td.num",
                                            "cells => cells.map(c => getComputedStyle(c).textAlign)")
        assert aligned and set(aligned) == {"right"}

    scroller = page.locator(".report-units").locator("xpath=..")
    assert scroller.evaluate("s => s.scrollWidth > s.clientWidth")  # the figures do scroll
    row = page.locator(".report-units tbody tr").first
    unit, last = row.locator("td.unit"), row.locator("td.num").last
    before = unit.bounding_box()["x"], last.bounding_box()["x"]
    scroller.evaluate("s => s.scrollLeft = s.scrollWidth")
    screen.shot("report-scrolled")
    after = unit.bounding_box()["x"], last.bounding_box()["x"]
    assert after[0] == pytest.approx(before[0], abs=1)  # the unit stays in view
    assert after[1] < before[1] - 200  # the figures moved under it
    assert row.locator("td.rank").bounding_box()["x"] < after[0]


def chart_labels_outside(page, name: str) -> list[str]:
    """The texts of a chart drawn on the page that do not fit inside the chart's box, as the
    browser lays them out (the SVG put in a page of its own, fonts as installed)."""
    uri = page.locator(f"img.chart[data-chart={name}]").get_attribute("src")
    svg = base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")
    page.goto("about:blank")  # away from the admin's CSP, which refuses the chart's own style
    page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
    return page.eval_on_selector_all("svg text", """texts => {
        const box = document.querySelector('svg').getBoundingClientRect();
        return texts.filter(t => t.textContent.trim()).filter(t => {
            const r = t.getBoundingClientRect();
            return r.left < box.left - 0.5 || r.right > box.right + 0.5
                || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5;
        }).map(t => t.textContent);
    }""")


@pytest.mark.parametrize("path, charts", [
    ("/admin/", ("sessions", "cases", "loads")),
    (REPORT, ("on_time", "cases", "satisfaction")),
])
def test_no_chart_label_is_cut(page, screen, path, charts):
    screen.go(path, "charts")
    drawn = [name for name in charts if page.locator(f"img.chart[data-chart={name}]").count()]
    assert drawn
    for name in drawn:
        screen.go(path, f"chart-{name}")
        assert chart_labels_outside(page, name) == [], name


def test_the_dashboards_figures_are_right_aligned(page, screen):
    screen.go("/admin/", "dashboard")
    aligned = page.eval_on_selector_all(".dashboard-sessions td.num",
                                        "cells => cells.map(c => getComputedStyle(c).textAlign)")
    assert aligned and set(aligned) == {"right"}
    assert squeezed_headers(page, ".dashboard-sessions") == []




def test_the_operation_log_reads_in_chinese(page, screen, session, clock):
    act_as(session, SYSTEM)  # as the daily job would
    generate_slots(session, clock.now() + timedelta(days=1), 14)
    session.commit()
    act_as(session, None)
    screen.go("/admin/staff/create/", "create")
    for field, value in (("username", "inspector2"), ("name", "钱督查"),
                         ("password", "Quiet-lantern-93-harbour")):
        page.locator(f"#{field}").fill(value)
    page.locator("#role").select_option("inspector")
    page.get_by_role("button", name="创建").click()
    screen.go("/admin/audit-log/", "log")
    table = page.locator("table.audit-log").inner_text()
    assert "区政务服务管理办管理员（区政务服务管理办）" in table and "工作人员 inspector2" in table
    assert "角色：督查人员" in table and "系统" not in table
    assert english_words(table, {"inspector2"}) == []
    page.get_by_role("link", name="一并显示系统操作").click()
    screen.shot("with-system")
    table = page.locator("table.audit-log").inner_text()
    assert "系统" in table and "预约时段" in table
    assert english_words(table, set(session.scalars(select(Place.code))) | {"inspector2"}) == []
