"""The catalogue API under /api/v1 (docs/api.md "Citizen side": /places, /items, /items/{code}),
its one error shape, and the OpenAPI document and docs page it serves."""
from __future__ import annotations

import re

import pytest

from backend.services.catalog import import_catalog
from backend.services.scope import SYSTEM

PLACE_FIELDS = {"code", "name", "level", "parent", "address", "phone", "latitude", "longitude"}
ITEM_FIELDS = {"code", "name", "department", "category", "help_types", "commitment_days", "fee",
               "places", "departments_involved", "materials"}
MATERIAL_FIELDS = {"code", "name", "copies", "original", "required", "how_to_obtain"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _place(code, name, level, parent=None, **kw):
    return {"code": code, "name": name, "level": level, "parent": parent, **kw}


def _item(code, name, category="社会保险", department="RSJ", **kw):
    item = {"code": code, "name": name, "department": department, "category": category,
            "commitment_days": 5, "help_types": ["assist", "proxy"], "places": ["BS-HALL"]}
    item.update(kw)
    return item


CATALOG = {
    "places": [
        _place("BS-HALL", "博山区政务服务中心", "district", address="博山区中心路1号",
               phone="0533-4100000", latitude=36.494, longitude=117.861),
        _place("BS-TAX", "博山区税务分大厅", "department_hall", "BS-HALL"),
        _place("BS-HOUSING", "博山区不动产登记分大厅", "department_hall"),
        _place("BS-CD", "城东街道便民服务中心", "town"),
        _place("BS-ST", "山头街道便民服务中心", "town"),
        _place("BS-CD-V01", "东关社区便民服务站", "village", "BS-CD", phone="0533-4200001"),
        _place("BS-CD-V02", "西关社区便民服务站", "village", "BS-CD"),
        _place("BS-ST-V01", "山头村便民服务站", "village", "BS-ST"),
    ],
    "departments": [{"code": "RSJ", "name": "区人力资源和社会保障局"},
                    {"code": "MZJ", "name": "区民政局"},
                    {"code": "SWJ", "name": "区税务局"},
                    {"code": "GAJ", "name": "公安博山分局"}],
    "items": [
        _item("SB-001", "城乡居民基本养老保险参保登记", places=["BS-HALL", "BS-CD"],
              materials=[
                  {"code": "SFZ", "name": "居民身份证", "copies": 1, "original": True,
                   "required": True, "how_to_obtain": "户籍所在地派出所"},
                  {"code": "HKB", "name": "户口簿", "copies": 2, "original": False,
                   "required": True},
                  {"code": "A-PHOTO", "name": "近期免冠照片", "copies": 2, "original": True,
                   "required": False, "how_to_obtain": "照相馆"},
              ]),
        _item("SB-002", "异地就医备案", places=["BS-HALL"]),
        _item("DB-001", "最低生活保障申请", "低保办理", "MZJ", places=["BS-CD", "BS-CD-V01"],
              help_types=["proxy"], commitment_days=20),
        _item("QY-001", "企业开办全链条服务", "企业开办", "SWJ", fee="免费",
              departments_involved=["RSJ", "GAJ"]),
        _item("PCT-1", "社保缴费比例100%确认", "社会保险"),
        _item("PCT-2", "社保缴费比例1000元确认", "社会保险"),
        _item("UND_1", "下划线编码事项", "其他"),
        _item("UNE-2", "连字符编码事项", "其他"),
    ],
}


@pytest.fixture
def catalog(session):
    import_catalog(session, SYSTEM, CATALOG)
    session.commit()


@pytest.fixture
def get(client):
    """GET a path under /api/v1 and return (status, JSON body)."""
    def do(path: str, **params):
        response = client.get("/api/v1" + path, query_string=params)
        return response.status_code, response.get_json()
    return do


def codes(body) -> list[str]:
    return [entry["code"] for entry in body["items"]]


def assert_error(body, code: str) -> dict:
    """The one error shape of docs/api.md, with a Chinese message; returns the details."""
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert CJK.search(body["error"]["message"])
    assert isinstance(body["error"]["details"], dict)
    return body["error"]["details"]


# GET /places ------------------------------------------------------------------------------------

def test_places_lists_every_place_in_code_order(catalog, get):
    status, body = get("/places")
    assert status == 200
    assert body["total"] == 8
    assert codes(body) == sorted(p["code"] for p in CATALOG["places"])


def test_a_place_has_the_api_fields(catalog, get):
    _, body = get("/places", level="village", parent="BS-CD")
    place = body["items"][0]
    assert PLACE_FIELDS <= set(place)
    assert {k: place[k] for k in PLACE_FIELDS} == {
        "code": "BS-CD-V01", "name": "东关社区便民服务站", "level": "village",
        "parent": {"code": "BS-CD", "name": "城东街道便民服务中心"},
        "address": None, "phone": "0533-4200001", "latitude": None, "longitude": None}


def test_a_place_without_parent_has_null_parent_and_its_coordinates(catalog, get):
    _, body = get("/places", level="district")
    [hall] = body["items"]
    assert (hall["parent"], hall["address"], hall["phone"], hall["latitude"],
            hall["longitude"]) == (None, "博山区中心路1号", "0533-4100000", 36.494, 117.861)


@pytest.mark.parametrize("params, expected", [
    ({"level": "village"}, ["BS-CD-V01", "BS-CD-V02", "BS-ST-V01"]),
    ({"level": "department_hall"}, ["BS-HOUSING", "BS-TAX"]),
    ({"parent": "BS-CD"}, ["BS-CD-V01", "BS-CD-V02"]),
    ({"parent": "BS-HALL"}, ["BS-TAX"]),
    ({"level": "village", "parent": "BS-ST"}, ["BS-ST-V01"]),
    ({"level": "town", "parent": "BS-CD"}, []),
])
def test_places_filters(catalog, get, params, expected):
    status, body = get("/places", **params)
    assert status == 200
    assert (codes(body), body["total"]) == (expected, len(expected))


@pytest.mark.parametrize("page, per_page, expected", [
    (1, 3, ["BS-CD", "BS-CD-V01", "BS-CD-V02"]),
    (2, 3, ["BS-HALL", "BS-HOUSING", "BS-ST"]),
    (3, 3, ["BS-ST-V01", "BS-TAX"]),
    (4, 3, []),
    (1, 100, ["BS-CD", "BS-CD-V01", "BS-CD-V02", "BS-HALL", "BS-HOUSING", "BS-ST", "BS-ST-V01",
              "BS-TAX"]),
])
def test_places_pagination_keeps_the_full_total(catalog, get, page, per_page, expected):
    status, body = get("/places", page=page, per_page=per_page)
    assert status == 200
    assert (codes(body), body["total"]) == (expected, 8)


def test_pagination_counts_only_the_filtered_places(catalog, get):
    _, body = get("/places", level="village", per_page=1, page=2)
    assert (codes(body), body["total"]) == (["BS-CD-V02"], 3)


@pytest.mark.parametrize("params, field", [
    ({"per_page": 0}, "per_page"), ({"per_page": 101}, "per_page"), ({"per_page": -1}, "per_page"),
    ({"page": 0}, "page"), ({"page": "abc"}, "page"), ({"per_page": "ten"}, "per_page"),
    ({"level": "city"}, "level"),
])
def test_bad_list_options_are_invalid_input_naming_the_field(catalog, get, params, field):
    status, body = get("/places", **params)
    assert status == 422
    details = assert_error(body, "invalid_input")
    assert field in details.get("query", details)


def test_unknown_parent_is_invalid_input(catalog, get):
    status, body = get("/places", parent="NOPE")
    assert status == 422
    details = assert_error(body, "invalid_input")
    assert "NOPE" in str(details["parent"])


# GET /items -------------------------------------------------------------------------------------

def test_items_lists_every_item_in_summary_form(catalog, get):
    status, body = get("/items")
    assert status == 200
    assert body["total"] == 8
    assert codes(body) == sorted(i["code"] for i in CATALOG["items"])
    qy = next(i for i in body["items"] if i["code"] == "QY-001")
    assert {k: qy[k] for k in ("code", "name", "category", "department", "help_types",
                                "commitment_days", "fee")} == {
        "code": "QY-001", "name": "企业开办全链条服务", "category": "企业开办",
        "department": {"code": "SWJ", "name": "区税务局"}, "help_types": ["assist", "proxy"],
        "commitment_days": 5, "fee": "免费"}


@pytest.mark.parametrize("params, expected", [
    ({"place": "BS-CD"}, ["DB-001", "SB-001"]),
    ({"place": "BS-CD-V01"}, ["DB-001"]),
    ({"place": "BS-ST"}, []),
    ({"category": "低保办理"}, ["DB-001"]),
    ({"category": "社会"}, []),  # category is an exact filter
    ({"place": "BS-HALL", "category": "企业开办"}, ["QY-001"]),
    ({"q": "sb-00"}, ["SB-001", "SB-002"]),  # code, any case
    ({"q": "就医"}, ["SB-002"]),  # name
    ({"q": "低保"}, ["DB-001"]),  # category only
    ({"q": "其他"}, ["UND_1", "UNE-2"]),  # category only
    ({"q": "开办"}, ["QY-001"]),
    ({"q": "企业开办", "place": "BS-CD"}, []),
    ({"q": "保障", "category": "低保办理"}, ["DB-001"]),
])
def test_items_filters(catalog, get, params, expected):
    status, body = get("/items", **params)
    assert status == 200
    assert (codes(body), body["total"]) == (expected, len(expected))


@pytest.mark.parametrize("q, expected", [
    ("100%", ["PCT-1"]),  # "%" is a percent sign, not "anything"
    ("%", ["PCT-1"]),
    ("_", ["UND_1"]),  # "_" is an underscore, not "any one character"
    ("\\", []),
])
def test_items_q_treats_wildcards_literally(catalog, get, q, expected):
    status, body = get("/items", q=q)
    assert status == 200
    assert codes(body) == expected


def test_items_pagination(catalog, get):
    _, body = get("/items", per_page=3, page=3)
    assert (codes(body), body["total"]) == (["UND_1", "UNE-2"], 8)


def test_items_at_an_unknown_place_is_invalid_input(catalog, get):
    status, body = get("/items", place="NOPE")
    assert status == 422
    assert "NOPE" in str(assert_error(body, "invalid_input")["place"])


def test_items_q_longer_than_50_is_invalid_input(catalog, get):
    status, body = get("/items", q="社" * 51)
    assert status == 422
    assert "q" in assert_error(body, "invalid_input")["query"]


# GET /items/{code} ------------------------------------------------------------------------------

def test_item_detail_has_exactly_the_api_fields(catalog, get):
    status, body = get("/items/SB-001")
    assert status == 200
    assert set(body) == ITEM_FIELDS
    assert {k: v for k, v in body.items() if k != "materials"} == {
        "code": "SB-001", "name": "城乡居民基本养老保险参保登记",
        "department": {"code": "RSJ", "name": "区人力资源和社会保障局"}, "category": "社会保险",
        "help_types": ["assist", "proxy"], "commitment_days": 5, "fee": None,
        "places": [{"code": "BS-CD", "name": "城东街道便民服务中心"},
                   {"code": "BS-HALL", "name": "博山区政务服务中心"}],
        "departments_involved": []}


def test_item_materials_come_in_file_order(catalog, get):
    _, body = get("/items/SB-001")
    assert body["materials"] == [
        {"code": "SFZ", "name": "居民身份证", "copies": 1, "original": True, "required": True,
         "how_to_obtain": "户籍所在地派出所"},
        {"code": "HKB", "name": "户口簿", "copies": 2, "original": False, "required": True,
         "how_to_obtain": None},
        {"code": "A-PHOTO", "name": "近期免冠照片", "copies": 2, "original": True,
         "required": False, "how_to_obtain": "照相馆"},
    ]
    assert all(set(m) == MATERIAL_FIELDS for m in body["materials"])


def test_item_detail_of_a_multi_department_matter(catalog, get):
    _, body = get("/items/QY-001")
    assert body["departments_involved"] == [{"code": "GAJ", "name": "公安博山分局"},
                                            {"code": "RSJ", "name": "区人力资源和社会保障局"}]
    assert (body["fee"], body["materials"]) == ("免费", [])


def test_item_detail_help_types_as_offered(catalog, get):
    _, body = get("/items/DB-001")
    assert (body["help_types"], body["commitment_days"]) == (["proxy"], 20)


def test_unknown_item_is_not_found(catalog, get):
    status, body = get("/items/NOPE")
    assert status == 404
    assert assert_error(body, "not_found") == {"item": "NOPE"}


# Errors: one shape, Chinese messages ------------------------------------------------------------

def test_unknown_path_under_the_api_is_not_found_in_the_api_shape(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.is_json
    assert assert_error(response.get_json(), "not_found") == {}


@pytest.mark.parametrize("method, path", [
    ("post", "/places"), ("delete", "/places"), ("post", "/items"), ("put", "/items/SB-001"),
])
def test_wrong_method_is_method_not_allowed_with_allow_header(catalog, client, method, path):
    response = getattr(client, method)("/api/v1" + path, json={})
    assert response.status_code == 405
    assert_error(response.get_json(), "method_not_allowed")
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert "GET" in allowed and method.upper() not in allowed


@pytest.mark.parametrize("method, path", [
    ("get", "/items/NOPE"), ("get", "/nothing"), ("post", "/places"),
    ("get", "/places?per_page=0"), ("get", "/places?page=abc"), ("get", "/places?parent=NOPE"),
    ("get", "/items?place=NOPE"), ("get", "/places?level=city"),
])
def test_every_error_message_is_chinese(catalog, client, method, path):
    response = getattr(client, method)("/api/v1" + path)
    assert response.status_code >= 400
    body = response.get_json()
    assert CJK.search(body["error"]["message"])
    for messages in _leaf_messages(body["error"]["details"]):
        assert CJK.search(messages), messages


def _leaf_messages(details):
    if isinstance(details, dict):
        for value in details.values():
            yield from _leaf_messages(value)
    elif isinstance(details, list):
        for value in details:
            yield from _leaf_messages(value)
    elif isinstance(details, str) and not re.fullmatch(r"[A-Za-z0-9_-]+", details):
        yield details  # a code like "NOPE" echoed back is not a message


# OpenAPI document and docs page -----------------------------------------------------------------

@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _api_paths(spec) -> dict[str, dict]:
    """The document's paths as full paths from the server root."""
    base = (spec.get("servers") or [{"url": ""}])[0]["url"].rstrip("/")
    return {base + path: operations for path, operations in spec["paths"].items()}


def _resolve(spec, schema: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = spec["components"]["schemas"][name]
    return schema


def _response_schema(spec, path: str) -> dict:
    operation = _api_paths(spec)[path]["get"]
    return _resolve(spec, operation["responses"]["200"]["content"]["application/json"]["schema"])


def test_openapi_is_a_version_3_document_with_the_catalogue_paths(spec):
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/places", "/api/v1/items", "/api/v1/items/{code}"} <= set(_api_paths(spec))


def test_openapi_place_list_lists_the_place_fields(spec):
    page = _response_schema(spec, "/api/v1/places")
    assert {"items", "total"} <= set(page["properties"])
    place = _resolve(spec, page["properties"]["items"]["items"])
    assert PLACE_FIELDS <= set(place["properties"])


def test_openapi_item_detail_lists_the_item_fields(spec):
    item = _response_schema(spec, "/api/v1/items/{code}")
    assert ITEM_FIELDS <= set(item["properties"])
    material = _resolve(spec, item["properties"]["materials"]["items"])
    assert MATERIAL_FIELDS <= set(material["properties"])


def test_openapi_list_queries_document_their_options(spec):
    def names(path):
        return {p["name"] for p in _api_paths(spec)[path]["get"]["parameters"]}
    assert {"level", "parent", "page", "per_page"} <= names("/api/v1/places")
    assert {"place", "category", "q", "page", "per_page"} <= names("/api/v1/items")


def test_docs_page_uses_swagger_ui_served_locally(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "/api/v1/docs/static/swagger-ui-bundle.js" in html
    assert "/api/v1/openapi.json" in html
    assert not re.search(r"https?://", html)  # nothing from a CDN


@pytest.mark.parametrize("asset", ["swagger-ui-bundle.js", "swagger-ui.css",
                                   "swagger-ui-standalone-preset.js"])
def test_swagger_ui_assets_are_served_locally(client, asset):
    response = client.get(f"/api/v1/docs/static/{asset}")
    assert response.status_code == 200
    assert len(response.data) > 10_000
    response.close()
