"""The catalogue file (docs/api.md "Catalogue file"): checked whole, imported by code, exported."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, selectinload

from ... import fields as f
from ...clock import get_clock
from ...domain.schedules import KINDS_BY_DAY
from ...errors import FileInvalid, Problem
from ...models import (
    PLACE_LEVELS, CaseMaterial, Department, Material, NoticeLine, Place, Queue, ReceiptLine,
    RotaEntry, ScheduleRule, ServiceItem, Staff, Station,
)
from .. import scope
from .schemas import ENTRY_SCHEMAS, CatalogFile

# Which parent levels each place level may have (a village belongs to its town).
ALLOWED_PARENTS = {
    "district": {None},
    "department_hall": {None, "district"},
    "town": {None, "district"},
    "village": {"town"},
}
# The kind of day each slot kind serves: rules of kinds that share one can overlap.
DAY_GROUP = {kind: day for day, kinds in KINDS_BY_DAY.items() for kind in kinds}


# Who may change the catalogue: the district (and the system, for commands).
CATALOGUE_EDITORS_ONLY = "只有区政务服务管理办可以修改服务目录"

SECTION_LABELS = {"places": "场所", "departments": "部门", "stations": "部门站所", "items": "事项",
                  "materials": "材料", "schedules": "排班规则", "rota": "轮班",
                  "queues": "取号队列"}


@dataclass
class ImportResult:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated or +self.deleted)

    def summary(self) -> str:
        if not self.changed:
            return "无变化"
        parts = []
        for label, counter in (("新增", self.created), ("更新", self.updated), ("删除", self.deleted)):
            if +counter:
                parts.append(label + "：" + "，".join(f"{SECTION_LABELS[k]} {v}" for k, v in counter.items()))
        return "；".join(parts)


def _codes(session: Session, model) -> dict[str, Any]:
    return {obj.code: obj for obj in session.scalars(select(model))}


def _entries(data: dict, section: str):
    """(index, entry) of the entries that passed their own checks."""
    return [(i, e) for i, e in enumerate(data[section]) if e is not None]


def _raw_codes(raw: dict, section: str) -> set[str]:
    # Codes of entries refused for other reasons still exist as far as references go, so that
    # one bad entry is reported once, not again by everything that names it.
    return {e["code"] for e in raw.get(section) or []
            if isinstance(e, dict) and isinstance(e.get("code"), str)}


def _check_references(data: dict, raw: dict, session: Session) -> list[Problem]:
    problems: list[Problem] = []
    add = lambda path, message: problems.append(Problem(path, message))  # noqa: E731

    db_places = {p.code: p for p in session.scalars(select(Place).options(
        selectinload(Place.parent)))}
    levels = {code: p.level for code, p in db_places.items()}
    seen: dict[str, set[str]] = defaultdict(set)

    def unique(section: str, i: int, code: str) -> None:
        if code in seen[section]:
            add(f"$.{section}[{i}].code", f"编码 {code} 在文件中重复")
        seen[section].add(code)

    for i, p in _entries(data, "places"):
        unique("places", i, p["code"])
        levels[p["code"]] = p["level"]
    known_places = levels.keys() | _raw_codes(raw, "places")
    for i, d in _entries(data, "departments"):
        unique("departments", i, d["code"])
    departments = (set(session.scalars(select(Department.code))) | seen["departments"]
                   | _raw_codes(raw, "departments"))

    def check_parent(path: str, level: str, parent_level: str | None) -> None:
        if parent_level not in ALLOWED_PARENTS[level]:
            if level == "village":
                add(path, "村（社区）服务点必须隶属于一个镇（街道）")
            else:
                add(path, f"{PLACE_LEVELS[level]}不能隶属于{PLACE_LEVELS.get(parent_level)}")

    in_file = {}
    for i, p in _entries(data, "places"):
        in_file[p["code"]] = i
        parent = p["parent"]
        if parent == p["code"]:
            add(f"$.places[{i}].parent", "上级场所不能是自身")
        elif parent is not None and parent not in known_places:
            add(f"$.places[{i}].parent", f"未知的上级场所 {parent}")
        elif parent is None or parent in levels:
            check_parent(f"$.places[{i}].parent", p["level"], levels[parent] if parent else None)
    # A level change must not leave the places already below it with a parent they cannot have.
    for code, place in db_places.items():
        if code not in in_file and place.parent and place.parent.code in in_file:
            i = in_file[place.parent.code]
            if levels[place.parent.code] not in ALLOWED_PARENTS[place.level]:
                add(f"$.places[{i}].level",
                    f"{place.name}（{code}）隶属于本场所，本场所不能改为{PLACE_LEVELS[levels[place.parent.code]]}")

    station_pairs = set()
    for i, s in _entries(data, "stations"):
        if s["place"] not in known_places:
            add(f"$.stations[{i}].place", f"未知的场所 {s['place']}")
        if s["department"] not in departments:
            add(f"$.stations[{i}].department", f"未知的部门 {s['department']}")
        pair = (s["place"], s["department"])
        if pair in station_pairs:
            add(f"$.stations[{i}]", "重复的部门站所")
        station_pairs.add(pair)

    for i, item in _entries(data, "items"):
        base = f"$.items[{i}]"
        unique("items", i, item["code"])
        if item["department"] not in departments:
            add(f"{base}.department", f"未知的部门 {item['department']}")
        if len(set(item["help_types"])) != len(item["help_types"]):
            add(f"{base}.help_types", "服务方式重复")
        for j, code in enumerate(item["places"]):
            if code not in known_places:
                add(f"{base}.places[{j}]", f"未知的场所 {code}")
        if len(set(item["places"])) != len(item["places"]):
            add(f"{base}.places", "场所重复")
        for j, code in enumerate(item["departments_involved"]):
            if code not in departments:
                add(f"{base}.departments_involved[{j}]", f"未知的部门 {code}")
            elif code == item["department"]:
                add(f"{base}.departments_involved[{j}]", "协办部门不应包含牵头部门")
        if len(set(item["departments_involved"])) != len(item["departments_involved"]):
            add(f"{base}.departments_involved", "部门重复")
        material_codes = Counter(m["code"] for m in item["materials"])
        for j, m in enumerate(item["materials"]):
            if material_codes[m["code"]] > 1:
                add(f"{base}.materials[{j}].code", f"材料编码 {m['code']} 在本事项中重复")
    in_use = _materials_in_use(session, {item["code"] for _, item in _entries(data, "items")})
    for i, item in _entries(data, "items"):
        listed = {m["code"] for m in item["materials"]}
        for code, name in in_use.get(item["code"], []):
            if code not in listed:
                add(f"$.items[{i}].materials",
                    f"材料“{name}”（{code}）已有办件使用，不能删除或改换编码")

    rules_by_place: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for i, rule in _entries(data, "schedules"):
        if rule["place"] not in known_places:
            add(f"$.schedules[{i}].place", f"未知的场所 {rule['place']}")
        rules_by_place[rule["place"]].append((i, rule))
    for rules in rules_by_place.values():
        for a in range(len(rules)):
            for b in range(a + 1, len(rules)):
                (i, r1), (j, r2) = rules[a], rules[b]
                if _overlap(r1, r2):
                    add(f"$.schedules[{j}]", f"与 $.schedules[{i}] 的时段重叠")

    known_items = set(session.scalars(select(ServiceItem.code))) | _raw_codes(raw, "items")
    queue_codes: set[tuple[str, str]] = set()
    for i, entry in _entries(data, "queues"):
        if entry["place"] not in known_places:
            add(f"$.queues[{i}].place", f"未知的场所 {entry['place']}")
        if (entry["place"], entry["code"]) in queue_codes:
            add(f"$.queues[{i}].code", f"场所 {entry['place']} 的队列编码 {entry['code']} 在文件中重复")
        queue_codes.add((entry["place"], entry["code"]))
        for j, code in enumerate(entry["items"]):
            if code not in known_items:
                add(f"$.queues[{i}].items[{j}]", f"未知的事项 {code}")

    agents = {s.username: s for s in session.scalars(
        select(Staff).options(selectinload(Staff.places)))}
    for i, entry in _entries(data, "rota"):
        if entry["place"] not in known_places:
            add(f"$.rota[{i}].place", f"未知的场所 {entry['place']}")
        agent = agents.get(entry["agent"])
        if agent is None or not agent.active:
            add(f"$.rota[{i}].agent", f"未知的帮办代办员 {entry['agent']}")
        elif agent.role not in scope.PLACE_STAFF:
            add(f"$.rota[{i}].agent", f"{entry['agent']} 不是帮办代办员")
        elif entry["place"] not in {p.code for p in agent.places}:
            add(f"$.rota[{i}].agent", f"{entry['agent']} 不在场所 {entry['place']} 任职")
    return problems


def _materials_in_use(session: Session, item_codes: set[str]) -> dict[str, list[tuple[str, str]]]:
    """item code → (code, name) of its materials that cases, notices or receipts name: removing
    one would break their history."""
    if not item_codes:
        return {}
    used = or_(exists().where(CaseMaterial.material_id == Material.id),
               exists().where(NoticeLine.material_id == Material.id),
               exists().where(ReceiptLine.material_id == Material.id))
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item_code, code, name in session.execute(
            select(ServiceItem.code, Material.code, Material.name)
            .join(Material, Material.item_id == ServiceItem.id)
            .where(ServiceItem.code.in_(item_codes), used)
            .order_by(ServiceItem.code, Material.position)):
        found[item_code].append((code, name))
    return found


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _overlap(r1: dict, r2: dict) -> bool:
    if DAY_GROUP[r1["kind"]] != DAY_GROUP[r2["kind"]]:
        return False
    days1 = set(r1["weekdays"] or range(1, 8))
    days2 = set(r2["weekdays"] or range(1, 8))
    if not days1 & days2:
        return False
    return (_minutes(r1["start"]) < _minutes(r2["end"])
            and _minutes(r2["start"]) < _minutes(r1["end"]))


def validate_catalog(raw: Any, session: Session) -> dict:
    """Check the whole file; raise FileInvalid listing every problem, or return it parsed."""
    if not isinstance(raw, dict):
        raise FileInvalid([Problem("$", "目录文件应为 JSON 对象")])
    problems: list[Problem] = []
    try:
        top = CatalogFile().load(raw)
    except f.ValidationError as exc:
        problems += [Problem(p, m) for p, m in f.flatten_errors(exc.messages)]
        top = {k: v for k, v in raw.items() if k in ENTRY_SCHEMAS and isinstance(v, list)}
    data: dict[str, list] = {}
    for section, schema in ENTRY_SCHEMAS.items():
        data[section] = []
        for i, entry in enumerate(top.get(section) or []):
            try:
                data[section].append(schema().load(entry))
            except f.ValidationError as exc:
                problems += [Problem(p, m) for p, m in
                             f.flatten_errors(exc.messages, f"$.{section}[{i}]")]
                data[section].append(None)  # keeps the indexes of the entries after it
    problems += _check_references(data, raw, session)
    if problems:
        raise FileInvalid(problems)
    return data


def _assign(obj: Any, result: ImportResult, kind: str, **values: Any) -> None:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    if changed and obj.id is not None:
        result.updated[kind] += 1


def _upsert(session: Session, model, existing: dict, code: str, result: ImportResult, kind: str,
            **values: Any):
    obj = existing.get(code)
    if obj is None:
        obj = model(code=code, **values)
        session.add(obj)
        existing[code] = obj
        result.created[kind] += 1
    else:
        _assign(obj, result, kind, **values)
    return obj


def import_catalog(session: Session, actor: scope.Actor, raw: Any,
                   today: date | None = None) -> ImportResult:
    """Validate the whole file, then upsert it by code: the system's or a district admin's to
    do. A file that may change schedules or the rota goes through `slots.change_and_regenerate`
    (a change withdraws slots and cancels their bookings there). `today` (default: the app's
    clock) divides the rota's history from what the file replaces."""
    scope.require_role(actor, scope.DISTRICT_ADMINS, CATALOGUE_EDITORS_ONLY)
    data = validate_catalog(raw, session)
    result = ImportResult()

    places = _codes(session, Place)
    new_places = {p["code"] for p in data["places"]} - places.keys()
    for p in data["places"]:
        _upsert(session, Place, places, p["code"], result, "places", name=p["name"],
                level=p["level"], address=p["address"], phone=p["phone"],
                latitude=p["latitude"], longitude=p["longitude"],
                self_service_devices=p["self_service_devices"])
    session.flush()
    for p in data["places"]:
        parent = places[p["parent"]] if p["parent"] else None
        if p["code"] in new_places:
            places[p["code"]].parent = parent
        else:
            _assign(places[p["code"]], result, "places", parent=parent)

    departments = _codes(session, Department)
    for d in data["departments"]:
        _upsert(session, Department, departments, d["code"], result, "departments", name=d["name"])
    session.flush()

    stations = {(s.place_id, s.department_id) for s in session.scalars(select(Station))}
    for s in data["stations"]:
        place, department = places[s["place"]], departments[s["department"]]
        if (place.id, department.id) not in stations:
            session.add(Station(place=place, department=department))
            stations.add((place.id, department.id))
            result.created["stations"] += 1

    items = {i.code: i for i in session.scalars(select(ServiceItem).options(
        selectinload(ServiceItem.materials), selectinload(ServiceItem.places),
        selectinload(ServiceItem.departments_involved)))}
    for entry in data["items"]:
        item = _upsert(
            session, ServiceItem, items, entry["code"], result, "items", name=entry["name"],
            category=entry["category"], department=departments[entry["department"]],
            commitment_days=entry["commitment_days"], fee=entry["fee"],
            offers_assist="assist" in entry["help_types"],
            offers_proxy="proxy" in entry["help_types"],
            places=sorted((places[c] for c in entry["places"]), key=lambda p: p.code),
            departments_involved=sorted((departments[c] for c in entry["departments_involved"]),
                                        key=lambda d: d.code),
        )
        _import_materials(session, item, entry["materials"], result)

    _import_schedules(session, data["schedules"], places, result)

    _import_rota(session, data["rota"], places, today or get_clock().now().date(), result)
    _import_queues(session, data["queues"], places, result)
    session.flush()
    return result


def _import_queues(session: Session, entries: list[dict], places: dict[str, Place],
                   result: ImportResult) -> None:
    """Queues upserted by place and code. A queue the file no longer lists stays (its tickets
    keep their history); the admin's windows say which queues are called."""
    if not entries:
        return
    session.flush()
    existing = {(q.place_id, q.code): q for q in session.scalars(
        select(Queue).options(selectinload(Queue.items)))}
    items = {i.code: i for i in session.scalars(select(ServiceItem).where(
        ServiceItem.code.in_({c for e in entries for c in e["items"]})))}
    for e in entries:
        place = places[e["place"]]
        values = dict(name=e["name"], green_channel=e["green_channel"],
                      service_minutes=e["service_minutes"],
                      items=sorted({items[c] for c in e["items"]}, key=lambda i: i.code))
        queue = existing.get((place.id, e["code"]))
        if queue is None:
            session.add(Queue(place=place, code=e["code"], **values))
            result.created["queues"] += 1
        else:
            _assign(queue, result, "queues", **values)


def _import_materials(session: Session, item: ServiceItem, entries: list[dict],
                      result: ImportResult) -> None:
    existing = {m.code: m for m in item.materials}
    wanted = {m["code"] for m in entries}
    for position, m in enumerate(entries):
        values = dict(name=m["name"], copies=m["copies"], original=m["original"],
                      required=m["required"], how_to_obtain=m["how_to_obtain"], position=position)
        material = existing.get(m["code"])
        if material is None:
            item.materials.append(Material(code=m["code"], **values))
            result.created["materials"] += 1
        else:
            _assign(material, result, "materials", **values)
    for code, material in existing.items():
        if code not in wanted:
            item.materials.remove(material)
            result.deleted["materials"] += 1


def _rule_key(place_id: int, kind: str, weekdays: str | None, start: time, end: time) -> tuple:
    return (place_id, kind, weekdays, start, end)


def _import_schedules(session: Session, entries: list[dict], places: dict[str, Place],
                      result: ImportResult) -> None:
    """The file's rules for a place become that place's whole weekly schedule."""
    listed = {places[e["place"]].id for e in entries}
    if not listed:
        return
    existing = {
        _rule_key(r.place_id, r.kind, r.weekdays, r.start_time, r.end_time): r
        for r in session.scalars(select(ScheduleRule).where(ScheduleRule.place_id.in_(listed)))
    }
    keep = set()
    for e in entries:
        weekdays = ",".join(str(d) for d in sorted(set(e["weekdays"]))) if e["weekdays"] else None
        key = _rule_key(places[e["place"]].id, e["kind"], weekdays, e["start"], e["end"])
        keep.add(key)
        rule = existing.get(key)
        if rule is None:
            session.add(ScheduleRule(place_id=key[0], kind=e["kind"], weekdays=weekdays,
                                     start_time=e["start"], end_time=e["end"],
                                     slot_minutes=e["slot_minutes"], capacity=e["capacity"],
                                     reserved=e["reserved"], walk_in=e["walk_in"]))
            result.created["schedules"] += 1
        else:
            _assign(rule, result, "schedules", slot_minutes=e["slot_minutes"],
                    capacity=e["capacity"], reserved=e["reserved"], walk_in=e["walk_in"])
    for key, rule in existing.items():
        if key not in keep:
            session.delete(rule)
            result.deleted["schedules"] += 1


def _import_rota(session: Session, entries: list[dict], places: dict[str, Place], today: date,
                 result: ImportResult) -> None:
    """Like schedules, the file's rota entries for a place become that place's rota from today
    on: days it no longer lists go. Earlier days are history, kept whatever the file says, and
    places it does not mention keep theirs."""
    listed = {places[e["place"]].id for e in entries}
    if not listed:
        return
    agents = dict(session.execute(select(Staff.username, Staff.id).where(
        Staff.username.in_({e["agent"] for e in entries}))).all())
    wanted = {(places[e["place"]].id, e["date"], agents[e["agent"]])
              for e in entries if e["date"] >= today}
    existing = {(r.place_id, r.date, r.staff_id): r for r in session.scalars(
        select(RotaEntry).where(RotaEntry.place_id.in_(listed), RotaEntry.date >= today))}
    for place_id, day, staff_id in sorted(wanted - existing.keys()):
        session.add(RotaEntry(place_id=place_id, date=day, staff_id=staff_id))
        result.created["rota"] += 1
    for key in sorted(existing.keys() - wanted):
        session.delete(existing[key])
        result.deleted["rota"] += 1


def export_catalog(session: Session, today: date) -> dict:
    """The whole catalogue in the catalogue file's format (docs/api.md), the rota from `today` on:
    importing it again changes nothing."""
    places = session.scalars(select(Place).options(selectinload(Place.parent))
                             .order_by(Place.code)).all()
    items = session.scalars(select(ServiceItem).options(
        selectinload(ServiceItem.materials), selectinload(ServiceItem.places),
        selectinload(ServiceItem.departments_involved), selectinload(ServiceItem.department))
        .order_by(ServiceItem.code)).all()
    stations = session.scalars(select(Station).options(
        selectinload(Station.place), selectinload(Station.department))).all()
    rules = session.scalars(select(ScheduleRule).options(selectinload(ScheduleRule.place))
                            .order_by(ScheduleRule.place_id, ScheduleRule.start_time,
                                      ScheduleRule.id)).all()
    rota = session.execute(select(Place.code, RotaEntry.date, Staff.username)
                           .join(Place, Place.id == RotaEntry.place_id)
                           .join(Staff, Staff.id == RotaEntry.staff_id)
                           .where(RotaEntry.date >= today)
                           .order_by(RotaEntry.date, Place.code, Staff.username)).all()
    return {
        "places": [{"code": p.code, "name": p.name, "level": p.level,
                    "parent": p.parent.code if p.parent else None, "address": p.address,
                    "phone": p.phone, "latitude": p.latitude, "longitude": p.longitude,
                    "self_service_devices": p.self_service_devices} for p in places],
        "departments": [{"code": d.code, "name": d.name} for d in
                        session.scalars(select(Department).order_by(Department.code))],
        "stations": sorted(({"place": s.place.code, "department": s.department.code}
                            for s in stations), key=lambda s: (s["place"], s["department"])),
        "items": [item_entry(i) for i in items],
        "schedules": [schedule_entry(r) for r in rules],
        "rota": [{"place": place, "date": day.isoformat(), "agent": agent}
                 for place, day, agent in rota],
        "queues": [queue_entry(q) for q in session.scalars(
            select(Queue).options(selectinload(Queue.place), selectinload(Queue.items))
            .order_by(Queue.place_id, Queue.code))],
    }


def queue_entry(queue: Queue) -> dict:
    """A queue as the catalogue file writes it."""
    return {"place": queue.place.code, "code": queue.code, "name": queue.name,
            "items": [i.code for i in queue.items], "green_channel": queue.green_channel,
            "service_minutes": queue.service_minutes}


def schedule_entry(rule: ScheduleRule) -> dict:
    """A schedule rule as the catalogue file writes it."""
    return {"place": rule.place.code, "kind": rule.kind,
            "weekdays": sorted(rule.weekday_set) if rule.weekdays else None,
            "start": rule.start_time.strftime("%H:%M"), "end": rule.end_time.strftime("%H:%M"),
            "slot_minutes": rule.slot_minutes, "capacity": rule.capacity,
            "reserved": rule.reserved, "walk_in": rule.walk_in}


def item_entry(item: ServiceItem) -> dict:
    """An item as the catalogue file writes it."""
    return {"code": item.code, "name": item.name, "department": item.department.code,
            "category": item.category, "commitment_days": item.commitment_days, "fee": item.fee,
            "help_types": item.help_types, "places": [p.code for p in item.places],
            "departments_involved": [d.code for d in item.departments_involved],
            "materials": [{"code": m.code, "name": m.name, "copies": m.copies,
                           "original": m.original, "required": m.required,
                           "how_to_obtain": m.how_to_obtain} for m in item.materials]}
