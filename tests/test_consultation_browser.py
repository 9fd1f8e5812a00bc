"""The guide's phone-sized floor log and a registration approval, in a real browser (Playwright
driving Debian's chromium, docs/testing.md): the hall guide logs two questions in a few taps on a
phone-sized screen; a place manager proposes a registration that the district admin first
refuses with a reason, then (proposed again) approves. A full-page screenshot of every page
visited is kept under the folder the run prints."""
from __future__ import annotations

from sqlalchemy import select

from backend.models import AgentRegistration, FloorQuestion, RegistrationProposal, Staff
from backend.services.scope import SYSTEM
from backend.services.staff import set_password
from tests.test_admin_browser import (  # noqa: F401  (the browser's fixtures)
    PASSWORD, Visit, browser_context_args, browser_type_launch_args, portal, shots_folder,
)


def test_a_guide_logs_floor_questions_in_a_few_taps_on_a_phone(page, portal, shots_folder,
                                                                session):
    set_password(session, SYSTEM, session.scalar(select(Staff).where(
        Staff.username == "guide1")), PASSWORD)
    session.commit()
    page.set_viewport_size({"width": 390, "height": 844})
    visit = Visit(page, portal, shots_folder, "guide")
    visit.sign_in("guide1")
    visit.go("/admin/floor-log/", "floor-log")
    page.get_by_label("事项（可不选）").select_option(label="城乡居民基本养老保险参保登记")
    page.get_by_label("材料要求").check()
    page.get_by_role("button", name="引导至窗口").click()
    visit.shot("logged-referred")
    assert "已登记：材料要求，引导至窗口" in page.content()
    page.get_by_label("窗口位置").check()
    page.get_by_role("button", name="当场解答").click()
    visit.shot("logged-resolved")
    assert page.locator(".logged-today li").count() == 2
    # The page fits the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    session.expire_all()
    logged = session.scalars(select(FloorQuestion).order_by(FloorQuestion.id)).all()
    assert [(q.kind, q.outcome, q.item.code if q.item else None) for q in logged] == [
        ("materials", "referred", "SB-001"), ("where", "resolved", None)]
    # Cases are not the guide's: the window is refused.
    page.goto(portal + "/admin/window/")
    assert "无权" in page.content() or page.locator("text=403").count()


def test_the_district_admin_refuses_then_approves_a_managers_registration(
        page, portal, shots_folder, session):
    visit = Visit(page, portal, shots_folder, "approval")

    def propose() -> None:
        visit.sign_in("manager")
        visit.go("/admin/registration/register/", "register")
        page.get_by_label("帮办代办员").select_option(label="李帮办（agent1）")
        page.get_by_label("场所（可多选）").select_option(value="BS-HALL")
        page.get_by_label("部门").select_option(value="YBJ")
        page.get_by_role("button", name="登记").click()
        visit.shot("proposed")
        assert "已提交区政务服务管理办审批" in page.content()

    propose()
    visit.sign_in("admin")
    visit.go("/admin/compliance/", "compliance")
    assert page.locator(".gaps-proposals").count() == 1
    visit.go("/admin/proposals/", "proposals")
    row = page.locator("tr.proposal").first
    row.get_by_role("button", name="退回").click()
    visit.shot("refused-without-reason")
    assert "退回须写明理由" in page.content()
    page.locator("tr.proposal").first.get_by_label("理由").fill("医保窗口另有人选")
    page.locator("tr.proposal").first.get_by_role("button", name="退回").click()
    visit.shot("refused")
    assert "医保窗口另有人选" in page.content()

    propose()
    visit.sign_in("admin")
    visit.go("/admin/proposals/", "proposals-again")
    page.locator("tr.proposal", has_text="待审批").get_by_role("button", name="批准").click()
    visit.shot("approved")
    assert "已批准，登记备案生效" in page.content()
    session.expire_all()
    statuses = session.scalars(select(RegistrationProposal.status)
                               .order_by(RegistrationProposal.id)).all()
    assert statuses == ["refused", "approved"]
    current = {(r.station.place.code, r.station.department.code)
               for r in session.scalars(select(AgentRegistration).where(
                   AgentRegistration.staff.has(username="agent1"),
                   AgentRegistration.ended_on.is_(None)))}
    assert ("BS-HALL", "YBJ") in current
