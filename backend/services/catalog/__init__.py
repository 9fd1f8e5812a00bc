"""The catalogue (places, departments, stations, items and their materials, schedules, rota), by
concern; callers use the names re-exported here (`from backend.services import catalog`).

- file: the catalogue file (docs/api.md "Catalogue file") checked whole, imported by code and
  exported; its entries' shapes in `schemas`
- reads: the public catalogue as the API and the admin read it
- edits: one change at a time (the rota, a place's schedule, stations, items), each checked by
  the file's own rules
"""
from .edits import (
    add_rota_entry, add_station, create_item, delete_station, remove_rota_entry,
    replace_schedules, update_item,
)
from .file import (
    ImportResult, export_catalog, import_catalog, item_entry, schedule_entry, validate_catalog,
)
from .reads import get_item, list_items, list_places

__all__ = [
    "add_rota_entry", "add_station", "create_item", "delete_station", "remove_rota_entry",
    "replace_schedules", "update_item", "ImportResult", "export_catalog", "import_catalog",
    "item_entry", "schedule_entry", "validate_catalog", "get_item", "list_items", "list_places",
]
