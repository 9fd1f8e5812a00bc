"""Catalogue import at the service level: `import_catalog(session, SYSTEM, data)` (docs/api.md "Catalogue
file").

A file is checked whole, every problem is listed with its JSON path, and a bad file writes
nothing; a good file is upserted by code and importing it again changes nothing."""
from __future__ import annotations

import copy
import json
from collections import Counter
from datetime import time

import pytest
import sqlalchemy as sa

from backend.errors import FileInvalid
from backend.extensions import db
from backend.models import Material, Place, RotaEntry, ScheduleRule, ServiceItem, Station
from backend.services.catalog import import_catalog
from backend.services.scope import SYSTEM
from backend.services.demo import CATALOG_FILE

# A small but complete catalogue: a district hall, a town with a village, three departments,
# a single-department item and a multi-department item, and 5+X rules at the hall.
CATALOG = {
    "places": [
        {"code": "BS-HALL", "name": "博山区政务服务中心", "level": "district", "parent": None,
         "address": "博山区中心路1号", "phone": "0533-4100000",
         "latitude": 36.49, "longitude": 117.86},
        {"code": "BS-CD", "name": "城东街道便民服务中心", "level": "town", "parent": None},
        {"code": "BS-CD-V01", "name": "城东街道东关社区便民服务站", "level": "village",
         "parent": "BS-CD"},
    ],
    "departments": [
        {"code": "RSJ", "name": "区人力资源和社会保障局"},
        {"code": "MZJ", "name": "区民政局"},
        {"code": "SWJ", "name": "区税务局"},
    ],
    "stations": [
        {"place": "BS-HALL", "department": "RSJ"},
        {"place": "BS-CD", "department": "MZJ"},
    ],
    "items": [
        {"code": "SB-001", "name": "城乡居民基本养老保险参保登记", "department": "RSJ",
         "category": "社会保险", "commitment_days": 5, "fee": None,
         "help_types": ["assist", "proxy"], "places": ["BS-HALL", "BS-CD"],
         "departments_involved": [],
         "materials": [
             {"code": "SFZ", "name": "居民身份证", "copies": 1, "original": True,
              "required": True, "how_to_obtain": "户籍所在地派出所"},
             {"code": "HKB", "name": "户口簿", "copies": 1, "original": False,
              "required": True, "how_to_obtain": None},
         ]},
        {"code": "QY-001", "name": "企业开办全链条服务", "department": "SWJ",
         "category": "企业开办", "commitment_days": 3, "fee": "免费",
         "help_types": ["proxy"], "places": ["BS-HALL"],
         "departments_involved": ["RSJ", "MZJ"], "materials": []},
    ],
    "schedules": [
        {"place": "BS-HALL", "kind": "regular", "weekdays": [1, 2, 3, 4, 5],
         "start": "09:00", "end": "12:00", "slot_minutes": 30, "capacity": 4},
        {"place": "BS-HALL", "kind": "extended", "weekdays": [1, 2, 3, 4, 5],
         "start": "12:00", "end": "13:30", "slot_minutes": 30, "capacity": 2},
        {"place": "BS-HALL", "kind": "weekend", "weekdays": [6],
         "start": "09:00", "end": "12:00", "slot_minutes": 30, "capacity": 2},
        {"place": "BS-CD", "kind": "regular", "start": "09:00", "end": "11:00",
         "slot_minutes": 60, "capacity": 2},
    ],
    "rota": [],
}


@pytest.fixture
def catalog() -> dict:
    return copy.deepcopy(CATALOG)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    rows = {}
    for table in db.metadata.sorted_tables:
        query = sa.select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(row) for row in db.session.execute(query)]
    return rows


@pytest.fixture
def imported(session, catalog):
    """The catalogue above, imported and committed."""
    import_catalog(session, SYSTEM, catalog)
    session.commit()
    return catalog


@pytest.fixture
def refused(session):
    """Import a file that must be refused; return its problems as (path, message) pairs,
    having checked that nothing at all was written."""
    def refuse(data) -> list[tuple[str, str]]:
        before = snapshot()
        with pytest.raises(FileInvalid) as caught:
            import_catalog(session, SYSTEM, data)
        assert not (session.new or session.dirty or session.deleted)
        session.commit()
        assert snapshot() == before
        return [(p.path, p.message) for p in caught.value.problems]
    return refuse


def paths(problems: list[tuple[str, str]]) -> list[str]:
    return [path for path, _ in problems]


# A good file ----------------------------------------------------------------------------------

def test_api_example_imports(session, example_catalog):
    result = import_catalog(session, SYSTEM, example_catalog)
    session.commit()

    assert result.created == Counter(places=1, departments=1, stations=1, items=1, materials=1,
                                     schedules=1)
    assert not +result.updated and not +result.deleted
    assert result.changed is True
    assert result.summary() == "新增：场所 1，部门 1，部门站所 1，事项 1，材料 1，排班规则 1"

    place = session.scalar(sa.select(Place))
    assert (place.code, place.name, place.level, place.parent, place.address, place.phone) == (
        "BS-HALL", "博山区政务服务中心", "district", None, "博山区中心路1号", "0533-4100000")
    item = session.scalar(sa.select(ServiceItem))
    assert (item.code, item.name, item.department.code, item.category, item.commitment_days,
            item.fee, item.help_types) == (
        "SB-001", "城乡居民基本养老保险参保登记", "RSJ", "社会保险", 5, None, ["assist", "proxy"])
    assert [p.code for p in item.places] == ["BS-HALL"]
    assert item.departments_involved == []
    [material] = item.materials
    assert (material.code, material.name, material.copies, material.original, material.required,
            material.how_to_obtain) == ("SFZ", "居民身份证", 1, True, True, "户籍所在地派出所")
    [rule] = session.scalars(sa.select(ScheduleRule)).all()
    assert (rule.place.code, rule.kind, rule.weekdays, rule.start_time, rule.end_time,
            rule.slot_minutes, rule.capacity) == (
        "BS-HALL", "regular", "1,2,3,4,5", time(9, 0), time(12, 0), 30, 4)
    [station] = session.scalars(sa.select(Station)).all()
    assert (station.place.code, station.department.code) == ("BS-HALL", "RSJ")


def test_parents_help_types_and_departments_involved_are_stored(session, imported):
    village = session.scalar(sa.select(Place).where(Place.code == "BS-CD-V01"))
    assert village.parent.code == "BS-CD"
    hall = session.scalar(sa.select(Place).where(Place.code == "BS-HALL"))
    assert (hall.latitude, hall.longitude) == (36.49, 117.86)
    item = session.scalar(sa.select(ServiceItem).where(ServiceItem.code == "QY-001"))
    assert (item.offers_assist, item.offers_proxy, item.help_types) == (False, True, ["proxy"])
    assert [d.code for d in item.departments_involved] == ["MZJ", "RSJ"]
    assert item.department.code == "SWJ" and item.fee == "免费"
    item = session.scalar(sa.select(ServiceItem).where(ServiceItem.code == "SB-001"))
    assert [(m.code, m.position) for m in item.materials] == [("SFZ", 0), ("HKB", 1)]
    assert [p.code for p in item.places] == ["BS-CD", "BS-HALL"]
    cd_rule = session.scalar(sa.select(ScheduleRule).join(Place).where(Place.code == "BS-CD"))
    assert cd_rule.weekdays is None


def test_second_import_of_the_same_file_changes_nothing(session, imported):
    before = snapshot()

    result = import_catalog(session, SYSTEM, copy.deepcopy(imported))
    session.commit()

    assert result.changed is False
    assert result.summary() == "无变化"
    assert snapshot() == before


def test_second_import_of_the_demo_catalogue_changes_nothing(session):
    data = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    import_catalog(session, SYSTEM, data)
    session.commit()
    before = snapshot()

    result = import_catalog(session, SYSTEM, data)
    session.commit()

    assert result.changed is False
    assert snapshot() == before


def test_import_is_an_upsert_by_code_not_a_replacement(session, imported):
    # A file naming only one place leaves everything else where it was.
    result = import_catalog(session, SYSTEM, {"places": [imported["places"][0]]})
    session.commit()
    assert result.changed is False
    assert session.scalar(sa.select(sa.func.count()).select_from(Place)) == 3
    assert session.scalar(sa.select(sa.func.count()).select_from(ServiceItem)) == 2


def test_update_is_applied_and_counted(session, imported):
    changed = copy.deepcopy(imported)
    item = changed["items"][0]
    item["name"] = "城乡居民养老保险参保登记（更名）"
    item["materials"] = [item["materials"][0],
                         {"code": "PHOTO", "name": "近期免冠照片", "copies": 2, "original": True,
                          "required": False, "how_to_obtain": "照相馆"}]
    changed["schedules"][0]["capacity"] = 6

    result = import_catalog(session, SYSTEM, changed)
    session.commit()

    assert result.created == Counter(materials=1)
    assert result.updated == Counter(items=1, schedules=1)
    assert result.deleted == Counter(materials=1)
    assert result.summary() == "新增：材料 1；更新：事项 1，排班规则 1；删除：材料 1"
    sb = session.scalar(sa.select(ServiceItem).where(ServiceItem.code == "SB-001"))
    assert sb.name == "城乡居民养老保险参保登记（更名）"
    assert [(m.code, m.copies, m.required) for m in sb.materials] == [
        ("SFZ", 1, True), ("PHOTO", 2, False)]
    assert session.scalar(sa.select(Material.id).where(Material.code == "HKB")) is None
    rule = session.scalar(sa.select(ScheduleRule).where(ScheduleRule.kind == "regular",
                                                        ScheduleRule.capacity == 6))
    assert (rule.place.code, rule.start_time) == ("BS-HALL", time(9, 0))


def test_moving_a_village_to_another_town_updates_its_parent(session, imported):
    changed = copy.deepcopy(imported)
    changed["places"].append({"code": "BS-ST", "name": "山头街道便民服务中心", "level": "town"})
    changed["places"][2]["parent"] = "BS-ST"

    result = import_catalog(session, SYSTEM, changed)
    session.commit()

    assert result.created == Counter(places=1)
    assert result.updated == Counter(places=1)
    village = session.scalar(sa.select(Place).where(Place.code == "BS-CD-V01"))
    assert village.parent.code == "BS-ST"


def test_material_order_follows_the_file(session, imported):
    changed = copy.deepcopy(imported)
    changed["items"][0]["materials"].reverse()

    result = import_catalog(session, SYSTEM, changed)
    session.commit()

    assert result.updated == Counter(materials=2)
    sb = session.scalar(sa.select(ServiceItem).where(ServiceItem.code == "SB-001"))
    assert [m.code for m in sb.materials] == ["HKB", "SFZ"]


def rules_of(session, place_code: str) -> list[tuple]:
    return sorted((r.kind, r.weekdays, r.start_time, r.end_time, r.slot_minutes, r.capacity)
                  for r in session.scalars(sa.select(ScheduleRule).join(Place)
                                           .where(Place.code == place_code)))


def test_schedules_in_the_file_replace_that_places_rules(session, imported):
    cd_rules = rules_of(session, "BS-CD")
    new_rule = {"place": "BS-HALL", "kind": "regular", "weekdays": [5, 1, 1],
                "start": "08:30", "end": "12:00", "slot_minutes": 30, "capacity": 5}

    result = import_catalog(session, SYSTEM, {"schedules": [new_rule]})
    session.commit()

    assert result.created == Counter(schedules=1)
    assert result.deleted == Counter(schedules=3)
    assert rules_of(session, "BS-HALL") == [
        ("regular", "1,5", time(8, 30), time(12, 0), 30, 5)]
    assert rules_of(session, "BS-CD") == cd_rules


def test_a_rule_listed_again_is_kept_not_recreated(session, imported):
    kept = session.scalar(sa.select(ScheduleRule).where(ScheduleRule.kind == "regular",
                                                        ScheduleRule.capacity == 4))
    evening = {"place": "BS-HALL", "kind": "extended", "start": "17:00", "end": "18:00",
               "slot_minutes": 30, "capacity": 1}

    result = import_catalog(session, SYSTEM, {"schedules": [imported["schedules"][0], evening]})
    session.commit()

    assert (result.created, result.deleted) == (Counter(schedules=1), Counter(schedules=2))
    assert sorted(r.id for r in session.scalars(
        sa.select(ScheduleRule).join(Place).where(Place.code == "BS-HALL")))[0] == kept.id


def test_a_file_without_schedules_keeps_every_rule(session, imported):
    before = snapshot()["schedule_rule"]
    assert import_catalog(session, SYSTEM, {"departments": imported["departments"]}).changed is False
    session.commit()
    assert snapshot()["schedule_rule"] == before


def test_rota_entries_are_imported_once(session, imported, make_staff):
    make_staff("agent1")
    rota = {"rota": [{"place": "BS-HALL", "date": "2026-12-05", "agent": "agent1"}]}

    first = import_catalog(session, SYSTEM, copy.deepcopy(rota))
    session.commit()
    second = import_catalog(session, SYSTEM, copy.deepcopy(rota))
    session.commit()

    assert first.created == Counter(rota=1)
    assert second.changed is False
    assert [(e["place"], e["date"], e["agent"]) for e in rota["rota"]] == [
        (r.place.code, r.date.isoformat(), r.staff.username)
        for r in session.scalars(sa.select(RotaEntry))]


# A bad file: every problem, with its path, and nothing written ----------------------------------

def _set(path: str, value):
    """An edit of the catalogue: `_set("items.0.department", "NOPE")`."""
    *parents, last = [int(k) if k.isdigit() else k for k in path.split(".")]

    def edit(data):
        target = data
        for key in parents:
            target = target[key]
        target[last] = value
    return edit


def _append(section: str, entry: dict):
    return lambda data: data[section].append(copy.deepcopy(entry))


def _schedule(**kw) -> dict:
    rule = {"place": "BS-HALL", "kind": "regular", "weekdays": [1, 2, 3, 4, 5],
            "start": "09:00", "end": "12:00", "slot_minutes": 30, "capacity": 4}
    rule.update(kw)
    return rule


SINGLE_PROBLEMS = {
    # unknown codes
    "unknown item department": (_set("items.0.department", "NOPE"), "$.items[0].department"),
    "unknown parent": (_set("places.2.parent", "NOPE"), "$.places[2].parent"),
    "unknown station place": (_set("stations.0.place", "NOPE"), "$.stations[0].place"),
    "unknown station department": (_set("stations.1.department", "NOPE"),
                                   "$.stations[1].department"),
    "unknown item place": (_set("items.0.places", ["BS-HALL", "NOPE"]), "$.items[0].places[1]"),
    "unknown department involved": (_set("items.1.departments_involved", ["RSJ", "NOPE"]),
                                    "$.items[1].departments_involved[1]"),
    "unknown schedule place": (_set("schedules.3.place", "NOPE"), "$.schedules[3].place"),
    # duplicate codes
    "duplicate place": (_append("places", {"code": "BS-CD", "name": "重名", "level": "town"}),
                        "$.places[3].code"),
    "duplicate department": (_append("departments", {"code": "MZJ", "name": "重名"}),
                             "$.departments[3].code"),
    "duplicate item": (_append("items", CATALOG["items"][1]), "$.items[2].code"),
    # levels and parents
    "bad level": (_set("places.1.level", "city"), "$.places[1].level"),
    "village without parent": (_set("places.2.parent", None), "$.places[2].parent"),
    "village under the district": (_set("places.2.parent", "BS-HALL"), "$.places[2].parent"),
    "own parent": (_set("places.1.parent", "BS-CD"), "$.places[1].parent"),
    "village under a village": (
        _append("places", {"code": "BS-CD-V02", "name": "西关社区", "level": "village",
                           "parent": "BS-CD-V01"}), "$.places[3].parent"),
    # times
    "hour without leading zero": (_set("schedules.0.start", "9:00"), "$.schedules[0].start"),
    "24:00": (_set("schedules.0.end", "24:00"), "$.schedules[0].end"),
    "time without minutes": (_set("schedules.0.end", "12"), "$.schedules[0].end"),
    "end before start": (_set("schedules.3.end", "08:00"), "$.schedules[3].end"),
    "end equals start": (_set("schedules.3.end", "09:00"), "$.schedules[3].end"),
    "slot_minutes not dividing": (_set("schedules.0.slot_minutes", 40),
                                  "$.schedules[0].slot_minutes"),
    # capacity
    "capacity 0": (_set("schedules.0.capacity", 0), "$.schedules[0].capacity"),
    "negative capacity": (_set("schedules.0.capacity", -2), "$.schedules[0].capacity"),
    "capacity as text": (_set("schedules.0.capacity", "4"), "$.schedules[0].capacity"),
    "fractional capacity": (_set("schedules.0.capacity", 4.5), "$.schedules[0].capacity"),
    "boolean capacity": (_set("schedules.0.capacity", True), "$.schedules[0].capacity"),
    # overlapping rules of one place
    "regular overlaps regular": (_append("schedules", _schedule(weekdays=[3], start="11:00")),
                                 "$.schedules[4]"),
    "extended overlaps regular": (
        _append("schedules", _schedule(kind="extended", weekdays=[2], start="10:00",
                                       end="11:00")), "$.schedules[4]"),
    "every-day rule overlaps": (_append("schedules", _schedule(place="BS-CD", weekdays=None,
                                                               start="10:00", end="10:30")),
                                "$.schedules[4]"),
    # help types
    "unknown help type": (_set("items.0.help_types", ["assist", "delivery"]),
                          "$.items[0].help_types[1]"),
    "no help type": (_set("items.0.help_types", []), "$.items[0].help_types"),
    "repeated help type": (_set("items.0.help_types", ["proxy", "proxy"]),
                           "$.items[0].help_types"),
    # departments involved
    "lead department involved": (_set("items.1.departments_involved", ["RSJ", "SWJ"]),
                                 "$.items[1].departments_involved[1]"),
    # unknown keys
    "unknown top-level key": (_set("services", []), "$.services"),
    "unknown place key": (_set("places.0.area", 12), "$.places[0].area"),
    "unknown item key": (_set("items.0.online", True), "$.items[0].online"),
    "unknown material key": (_set("items.0.materials.0.colour", "白"),
                             "$.items[0].materials[0].colour"),
    "unknown schedule key": (_set("schedules.0.room", "A"), "$.schedules[0].room"),
}


@pytest.mark.parametrize("edit, path", SINGLE_PROBLEMS.values(), ids=SINGLE_PROBLEMS.keys())
def test_each_problem_is_found_with_its_path(refused, catalog, edit, path):
    edit(catalog)
    problems = refused(catalog)
    assert paths(problems) == [path]
    assert all(message for _, message in problems)


@pytest.mark.parametrize("edit, path", SINGLE_PROBLEMS.values(), ids=SINGLE_PROBLEMS.keys())
def test_a_bad_update_leaves_the_database_unchanged(refused, imported, edit, path):
    changed = copy.deepcopy(imported)
    changed["items"][0]["name"] = "这次不应写入"
    edit(changed)
    assert paths(refused(changed)) == [path]


@pytest.mark.parametrize("code_path, code", [
    ("items.0.department", "NOPE-DEPT"), ("places.2.parent", "NOPE-PARENT"),
    ("schedules.0.place", "NOPE-PLACE"),
])
def test_a_problem_message_names_the_unknown_code(refused, catalog, code_path, code):
    _set(code_path, code)(catalog)
    [(_, message)] = refused(catalog)
    assert code in message


def test_a_duplicate_material_code_is_found(refused, catalog):
    catalog["items"][0]["materials"][1]["code"] = "SFZ"
    found = paths(refused(catalog))
    assert "$.items[0].materials[1].code" in found
    assert set(found) <= {"$.items[0].materials[0].code", "$.items[0].materials[1].code"}


def test_the_overlap_message_names_the_other_rule(refused, catalog):
    catalog["schedules"].append(_schedule(kind="extended", weekdays=[5], start="11:30",
                                          end="12:00"))
    [(path, message)] = refused(catalog)
    assert path == "$.schedules[4]" and "$.schedules[0]" in message


@pytest.mark.parametrize("rule", [
    _schedule(kind="weekend"),  # same weekdays and hours as the regular rule
    _schedule(kind="holiday", weekdays=None),
    _schedule(kind="extended", start="07:30", end="09:00"),  # ends where the regular begins
    _schedule(kind="regular", weekdays=[6, 7]),  # same hours, other weekdays
    _schedule(place="BS-CD", kind="weekend", weekdays=None, start="09:00", end="11:00",
              slot_minutes=60),
], ids=["regular-vs-weekend", "regular-vs-holiday", "adjacent", "other-weekdays", "other-kind"])
def test_rules_that_cannot_meet_do_not_overlap(session, catalog, rule):
    catalog["schedules"].append(rule)
    assert import_catalog(session, SYSTEM, catalog).created["schedules"] == 5


@pytest.mark.parametrize("raw", [[], [CATALOG], "catalogue", 42, None, True],
                         ids=["list", "list-of-object", "string", "number", "null", "bool"])
def test_a_file_that_is_not_an_object_is_refused(refused, raw):
    problems = refused(raw)
    assert paths(problems) == ["$"]


def test_five_reference_problems_are_all_reported(refused, catalog):
    catalog["items"][0]["department"] = "NOPE"                       # unknown department
    catalog["places"].append({"code": "BS-HALL", "name": "重复", "level": "district"})  # dup
    catalog["places"][2]["parent"] = "BS-HALL"                       # village under district
    catalog["schedules"].append(_schedule(weekdays=[1], start="11:30"))  # overlap
    catalog["items"][1]["departments_involved"] = ["SWJ"]            # lead involved

    assert sorted(paths(refused(catalog))) == sorted([
        "$.items[0].department", "$.places[3].code", "$.places[2].parent", "$.schedules[4]",
        "$.items[1].departments_involved[0]"])


def test_five_problems_of_different_kinds_are_all_reported_in_one_go(refused, catalog):
    # Two shape problems (bad time, zero capacity), an unknown top-level key, and two
    # reference problems (unknown department, duplicate item): a user fixing the file must
    # see all five at once, not the shape problems first and the rest on the next try.
    catalog["schedules"][0]["start"] = "9:00"
    catalog["schedules"][3]["capacity"] = 0
    catalog["extra"] = {}
    catalog["items"][0]["department"] = "NOPE"
    catalog["items"].append(copy.deepcopy(CATALOG["items"][1]))

    assert sorted(paths(refused(catalog))) == sorted([
        "$.schedules[0].start", "$.schedules[3].capacity", "$.extra",
        "$.items[0].department", "$.items[2].code"])


def test_a_bad_file_on_an_empty_database_leaves_every_table_empty(refused, catalog):
    catalog["items"][1]["places"] = ["NOWHERE"]
    refused(catalog)
    assert all(rows == [] for name, rows in snapshot().items() if name != "alembic_version")


def test_a_town_with_villages_cannot_stop_being_a_town(refused, imported):
    # The village BS-CD-V01 (not in this file) belongs to BS-CD; were BS-CD a department hall,
    # the database would hold a village without a town.
    town = dict(imported["places"][1], level="department_hall")
    problems = refused({"places": [town]})
    assert problems and all(path.startswith("$.places[0]") for path in paths(problems))


# The rota: agents on duty must be agents of that place ------------------------------------------

@pytest.fixture
def rota_file():
    def make(agent: str, place: str = "BS-HALL") -> dict:
        return {"rota": [{"place": place, "date": "2026-12-05", "agent": agent}]}
    return make


def test_rota_with_an_unknown_agent_is_refused(refused, imported, rota_file):
    [(path, message)] = refused(rota_file("ghost"))
    assert path == "$.rota[0].agent" and "ghost" in message


def test_rota_with_an_agent_of_another_place_is_refused(refused, imported, rota_file, make_staff):
    make_staff("agent3", places=("BS-CD",), department="MZJ")
    [(path, message)] = refused(rota_file("agent3"))
    assert path == "$.rota[0].agent" and "BS-HALL" in message


@pytest.mark.parametrize("role", ["inspector", "district_admin"])
def test_rota_naming_a_non_agent_is_refused(refused, imported, rota_file, make_staff, role):
    make_staff("someone", role=role, places=())
    assert paths(refused(rota_file("someone"))) == ["$.rota[0].agent"]


def test_rota_with_an_inactive_agent_is_refused(session, refused, imported, rota_file,
                                                make_staff):
    make_staff("agent1").active = False
    session.commit()
    assert paths(refused(rota_file("agent1"))) == ["$.rota[0].agent"]


def test_rota_at_an_unknown_place_is_refused(refused, imported, rota_file, make_staff):
    make_staff("agent1")
    assert paths(refused(rota_file("agent1", place="NOPE"))) == [
        "$.rota[0].place", "$.rota[0].agent"]


def test_rota_with_a_bad_date_is_refused(refused, imported, make_staff):
    make_staff("agent1")
    data = {"rota": [{"place": "BS-HALL", "date": "2026-12-32", "agent": "agent1"}]}
    assert paths(refused(data)) == ["$.rota[0].date"]
