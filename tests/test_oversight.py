"""The dashboard's figures, the registry's compliance gaps and announcements, per role and scope.
Today is Monday 2026-11-30 (the clock fixture)."""
from __future__ import annotations

import copy
from datetime import date, time

import pytest
from sqlalchemy import func, select, update

from backend.errors import Forbidden, InvalidInput, InvalidState, NotFound
from backend.infrastructure import audit
from backend.models import AuditLog, Booking, Citizen, Notification, Place, ServiceItem, Slot
from backend.services import cases
from backend.services.announcements import (
    AnnouncementInput, create_announcement, end_announcement, list_announcements,
    update_announcement,
)
from backend.services.catalog import import_catalog
from backend.services.compliance import SelfServiceGap, StationGap, compliance_gaps
from backend.services.dashboard import dashboard
from backend.services.notifications import message_row, queue
from backend.services.staff import unregister_agent
from backend.services.scope import SYSTEM
from tests.factories import new_case, new_staff
from tests.test_reports import CATALOG, at

TODAY = date(2026, 11, 30)


@pytest.fixture
def staff(session, clock):
    catalog = copy.deepcopy(CATALOG)
    catalog["places"][1]["self_service_devices"] = True
    import_catalog(session, SYSTEM, catalog, today=TODAY)
    now = at("2026-11-01", 8)
    made = {name: new_staff(session, now, name, role, places, department)
            for name, role, places, department in [
                ("admin1", "district_admin", (), None),
                ("inspector1", "inspector", (), None),
                ("manager_town", "place_manager", ("BS-TOWN",), None),
                ("manager_hall", "place_manager", ("BS-HALL",), None),
                ("agent1", "agent", ("BS-HALL",), "RSJ"), ("agent2", "agent", ("BS-HALL",), "RSJ"),
                ("agent3", "agent", ("BS-TOWN",), "RSJ")]}
    session.commit()
    return made


@pytest.fixture
def busy(session, staff, make_citizen):
    """Today's sessions and bookings, cases red, amber and normal, an escalation and an open
    bad-review follow-up."""
    def case(when, status, agent="agent1", place="BS-HALL"):
        return new_case(session, when, make_citizen(), status, "assist", agent=agent, place=place)

    red = case(at("2026-11-16"), "in_progress")  # due 11-23
    amber = case(at("2026-11-24"), "accepted")  # amber from 11-30, due 12-01
    case(at("2026-11-30", 8), "accepted", agent="agent2")  # normal
    case(at("2026-11-27"), "submitted", agent="agent3", place="BS-TOWN")
    done = case(at("2026-11-20"), "completed", agent="agent2")
    cases.review(session, done, done.citizen, 1, "不满意", at("2026-11-27"))
    cases.escalate(session, red, red.agent, "需要协调不动产登记", at("2026-11-27", 15))
    assert (red.due_date, amber.amber_on) == (date(2026, 11, 23), TODAY)

    citizens = [make_citizen() for _ in range(3)]
    item = session.scalar(select(ServiceItem).where(ServiceItem.code == "SB-001"))
    places = {p.code: p for p in session.scalars(select(Place))}
    for place, start, kind, capacity, statuses in [
            ("BS-HALL", time(9), "regular", 4, ["checked_in", "booked", "cancelled"]),
            ("BS-HALL", time(10), "regular", 4, []),
            ("BS-HALL", time(17), "extended", 2, ["no_show"]),
            ("BS-TOWN", time(9), "regular", 3, [])]:
        slot = Slot(place=places[place], date=TODAY, start_time=start,
                    end_time=start.replace(hour=start.hour + 1), kind=kind, capacity=capacity,
                    booked=sum(s != "cancelled" for s in statuses))
        session.add(slot)
        for n, status in enumerate(statuses):
            session.add(Booking(code=f"T{start.hour:02d}{n}", citizen=citizens[n], slot=slot,
                                place=places[place], item=item, status=status,
                                created_at=at("2026-11-29")))
    session.commit()
    return staff


def board(session, who):
    return dashboard(session, who, TODAY, calendar_horizon_days=90)


def test_the_district_dashboard(session, busy):
    figures = board(session, busy["admin1"])
    assert [(s.place_code, s.kind, s.slots, s.capacity, s.booked, s.checked_in, s.no_show)
            for s in figures.sessions] == [
        ("BS-HALL", "regular", 2, 8, 2, 1, 0), ("BS-HALL", "extended", 1, 2, 1, 0, 1),
        ("BS-TOWN", "regular", 1, 3, 0, 0, 0)]
    assert figures.sessions[1].kind_label == "错时延时"
    assert {k: v for k, v in figures.cases_by_status.items() if v} == {
        "submitted": 1, "accepted": 2, "in_progress": 1, "completed": 1}
    assert (figures.red_count, figures.amber_count) == (1, 1)
    assert [(c.state, c.agent_username) for c in figures.deadline_cases] == [
        ("red", "agent1"), ("amber", "agent1")]
    assert [(a.username, a.open_cases, a.amber, a.red) for a in figures.agent_loads] == [
        ("agent1", 2, 1, 1), ("agent2", 1, 0, 0), ("agent3", 1, 0, 0)]
    assert figures.open_escalation_count == 1
    assert figures.open_escalations[0].note == "需要协调不动产登记"
    assert figures.followup_count == 1
    followup = figures.followups[0]
    assert (followup.score, followup.followup_due, followup.overdue) == (1, date(2026, 12, 18), False)
    assert figures.compliance is not None
    assert any("2027年" in w for w in figures.calendar_warnings)  # 90 days reach 2027
    assert figures.undelivered_messages == 0


def test_the_dashboard_counts_the_messages_that_could_not_be_sent(session, busy, clock):
    hall, town = (session.scalar(select(Place.id).where(Place.code == code))
                  for code in ("BS-HALL", "BS-TOWN"))
    queue(session, [message_row("case_progress", f"N{n}", {}, clock.now(),
                                staff_id=busy["agent1"].id, place_id=place)
                    for n, place in enumerate((hall, hall, town))])
    session.commit()
    viewers = ("admin1", "manager_hall", "manager_town")
    before = [board(session, busy[name]).undelivered_messages for name in viewers]
    # N0 at the hall and N2 at the town fail; N1 stays pending (not counted).
    session.execute(update(Notification).where(Notification.subject.in_(("N0", "N2")))
                    .values(status="failed", errcode=40003, errmsg="invalid openid"))
    session.commit()
    after = [board(session, busy[name]).undelivered_messages for name in viewers]
    assert [a - b for a, b in zip(after, before)] == [2, 1, 1]


def test_a_dashboard_shows_only_what_the_role_may_see(session, busy):
    town = board(session, busy["manager_town"])
    assert [s.place_code for s in town.sessions] == ["BS-TOWN"]
    assert sum(town.cases_by_status.values()) == 1
    assert [a.username for a in town.agent_loads] == ["agent3"]
    assert (town.open_escalation_count, town.followup_count, town.compliance) == (0, 0, None)

    agent2 = board(session, busy["agent2"])
    assert {s.place_code for s in agent2.sessions} == {"BS-HALL"}
    assert {k: v for k, v in agent2.cases_by_status.items() if v} == {"accepted": 1,
                                                                      "completed": 1}
    assert (agent2.red_count, agent2.amber_count, agent2.open_escalation_count) == (0, 0, 0)
    assert [a.username for a in agent2.agent_loads] == ["agent2"]
    assert agent2.followup_count == 1  # the bad review of agent2's own case

    assert board(session, busy["inspector1"]).compliance is not None


def test_no_calendar_warning_within_a_known_year(session, busy, clock):
    figures = dashboard(session, busy["admin1"], TODAY, calendar_horizon_days=20)
    assert figures.calendar_warnings == []  # 20 days stay within 2026, whose notice is known


def test_the_registry_gaps(session, staff):
    catalog = copy.deepcopy(CATALOG)
    catalog["places"][1]["self_service_devices"] = True
    catalog["rota"] = [{"place": "BS-HALL", "date": "2026-12-05", "agent": "agent1"},
                       {"place": "BS-TOWN", "date": "2026-11-30", "agent": "agent3"},
                       {"place": "BS-TOWN", "date": "2026-12-01", "agent": "agent3"}]
    import_catalog(session, SYSTEM, catalog, today=TODAY)
    session.commit()

    gaps = compliance_gaps(session, staff["admin1"], TODAY, days=14)
    assert gaps.stations_without_agent == [
        StationGap("BS-HALL", "博山区政务服务中心", "MZJ", "区民政局")]
    # The town's self-service area is staffed on 11-30 and 12-01 only; working days to 12-13:
    assert gaps.self_service_unstaffed == [SelfServiceGap("BS-TOWN", "城东街道便民服务中心", [
        date(2026, 12, d) for d in (2, 3, 4, 7, 8, 9, 10, 11)])]
    assert [(a.place_code, a.username) for a in gaps.agents_never_on_rota] == [
        ("BS-HALL", "agent2")]
    assert gaps.count == 3

    # An ended registration leaves the station without a current agent.
    unregister_agent(session, SYSTEM, "agent3", ["BS-TOWN"], "RSJ", TODAY)
    session.commit()
    gaps = compliance_gaps(session, staff["manager_town"], TODAY)
    assert [(g.place_code, g.department_code) for g in gaps.stations_without_agent] == [
        ("BS-TOWN", "RSJ")]
    assert gaps.agents_never_on_rota == []
    with pytest.raises(Forbidden):
        compliance_gaps(session, staff["agent1"], TODAY)


# Announcements ------------------------------------------------------------------------------

def notice(place=None, starts="2026-11-30", ends="2026-12-31", title="元旦假期服务安排",
           body="1月1日至3日上午9:00-12:00提供节假日预约服务。"):
    return AnnouncementInput(title, body, place, date.fromisoformat(starts),
                             date.fromisoformat(ends))


@pytest.mark.parametrize("who, place, outcome", [
    ("admin1", None, "ok"), ("admin1", "BS-TOWN", "ok"),
    ("manager_hall", "BS-HALL", "ok"), ("manager_hall", "BS-TOWN", Forbidden),
    ("manager_hall", None, Forbidden),
    ("agent1", "BS-HALL", Forbidden), ("inspector1", None, Forbidden),
])
def test_who_may_publish_an_announcement(session, staff, clock, who, place, outcome):
    def count():
        return session.scalar(select(func.count()).select_from(AuditLog))

    before = count()
    audit.act_as(session, staff[who].id)
    if outcome == "ok":
        made = create_announcement(session, staff[who], notice(place), clock.now(), TODAY)
        assert (made.place.code if made.place else None) == place
        assert count() > before  # audited as that staff member
    else:
        with pytest.raises(outcome):
            create_announcement(session, staff[who], notice(place), clock.now(), TODAY)
        assert count() == before


@pytest.mark.parametrize("data, field", [
    (notice(title=""), "title"), (notice(title="长" * 51), "title"),
    (notice(body="长" * 501), "body"), (notice(ends="2026-11-01", starts="2026-10-01"), "ends_on"),
    (notice(ends="2026-11-29"), "ends_on"), (notice(ends="2027-12-31"), "ends_on"),
    (notice(place="NOPE"), "place"),
])
def test_a_bad_announcement_is_refused(session, staff, clock, data, field):
    with pytest.raises(InvalidInput) as refused:
        create_announcement(session, staff["admin1"], data, clock.now(), TODAY)
    assert field in refused.value.details


def test_an_announcement_is_updated_and_ended(session, staff, clock):
    made = create_announcement(session, staff["manager_hall"], notice("BS-HALL"), clock.now(), TODAY)
    session.commit()
    with pytest.raises(NotFound):  # another place's manager does not see it
        update_announcement(session, staff["manager_town"], made.id, notice("BS-TOWN"), TODAY)
    update_announcement(session, staff["manager_hall"], made.id,
                        notice("BS-HALL", title="春节服务安排"), TODAY)
    assert made.title == "春节服务安排"
    end_announcement(session, staff["manager_hall"], made.id, clock.now())
    assert made.ended_at == clock.now()
    with pytest.raises(InvalidState):
        end_announcement(session, staff["manager_hall"], made.id, clock.now())
    items, total = list_announcements(session, staff["manager_town"])
    assert (items, total) == ([], 0)


def test_citizens_read_the_current_announcements(client, session, staff, clock):
    admin, manager = staff["admin1"], staff["manager_hall"]
    everywhere = create_announcement(session, admin, notice(), clock.now(), TODAY)
    hall = create_announcement(session, manager, notice("BS-HALL", title="大厅延时服务",
                                                        starts="2026-11-01"), clock.now(), TODAY)
    create_announcement(session, admin, notice("BS-TOWN", title="街道公告"), clock.now(), TODAY)
    create_announcement(session, admin, notice(starts="2026-12-01", title="未开始"), clock.now(),
                        TODAY)
    ended = create_announcement(session, admin, notice(title="已撤下"), clock.now(), TODAY)
    end_announcement(session, admin, ended.id, clock.now())
    session.commit()

    answer = client.get("/api/v1/announcements?place=BS-HALL")
    assert answer.status_code == 200
    assert answer.json == {"total": 2, "items": [
        {"id": everywhere.id, "title": "元旦假期服务安排", "body": everywhere.body, "place": None,
         "starts_on": "2026-11-30", "ends_on": "2026-12-31"},
        {"id": hall.id, "title": "大厅延时服务", "body": hall.body,
         "place": {"code": "BS-HALL", "name": "博山区政务服务中心"},
         "starts_on": "2026-11-01", "ends_on": "2026-12-31"}]}
    assert client.get("/api/v1/announcements").json["total"] == 3
    refused = client.get("/api/v1/announcements?place=NOPE")
    assert refused.status_code == 422 and refused.json["error"]["code"] == "invalid_input"

    clock.advance(days=32)  # 2027-01-01: every one has ended
    assert client.get("/api/v1/announcements").json == {"items": [], "total": 0}


def test_the_catalogue_file_marks_self_service_places(session, staff):
    assert session.scalar(select(Place.self_service_devices).where(Place.code == "BS-TOWN")) is True
    assert session.scalar(select(Place.self_service_devices).where(Place.code == "BS-HALL")) is False
    assert session.scalar(select(func.count()).select_from(Citizen)) == 0


def test_report_min_cases_comes_from_the_environment(monkeypatch, tmp_path):
    from backend.config import ConfigError, load_config
    monkeypatch.setenv("REPORT_MIN_CASES", "25")
    assert load_config(str(tmp_path), {"SECRET_KEY": "k"})["REPORT_MIN_CASES"] == 25
    monkeypatch.setenv("REPORT_MIN_CASES", "0")
    with pytest.raises(ConfigError, match="REPORT_MIN_CASES"):
        load_config(str(tmp_path), {"SECRET_KEY": "k"})
