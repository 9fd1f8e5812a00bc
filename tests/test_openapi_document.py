"""The served OpenAPI document is precise enough to generate the mini-program's client from:
ids, security, error answers, required and nullable fields, enums, patterns, examples."""
from __future__ import annotations

import re

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

import backend.services.booking  # noqa: F401  (its DomainErrors must be loaded to be listed)
import backend.infrastructure.wechat  # noqa: F401
from backend.errors import DomainError
from miniprogram_api.errors import ERROR_CODES, HTTP_ERRORS
from miniprogram_api.openapi import OPERATIONS

METHODS = {"get", "post", "patch", "put", "delete"}


@pytest.fixture
def doc(client):
    return client.get("/api/v1/openapi.json").get_json()


def operations(doc):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def schema_validator(doc, schema):
    return OAS31Validator({**schema, "components": doc["components"]})


def test_the_document_is_valid_openapi_3_1_with_server_contact_and_license(doc):
    validate(doc)
    assert doc["openapi"] == "3.1.0"
    assert doc["servers"] == [{"url": "/api/v1", "description": doc["servers"][0]["description"]}]
    assert doc["info"]["contact"]["name"] and doc["info"]["license"]["identifier"]


def test_every_operation_has_a_unique_camel_case_id_a_chinese_summary_and_description(doc):
    ids = [operation["operationId"] for _, operation in operations(doc)]
    assert len(ids) == len(set(ids)) == len(OPERATIONS)
    for name, operation in operations(doc):
        assert re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*", operation["operationId"]), name
        for text in (operation["summary"], operation["description"]):
            assert re.search(r"[\u4e00-\u9fff]", text), name


def test_security_names_the_citizen_or_staff_scheme_and_public_routes_say_none(doc):
    assert set(doc["components"]["securitySchemes"]) == {"citizenAuth", "staffAuth"}
    public = {"listPlaces", "listItems", "getItem", "listSlots", "wechatLogin", "staffLogin",
              "listAnnouncements", "getPlaceQueue", "listItemFaq"}
    for name, operation in operations(doc):
        if operation["operationId"] in public:
            assert operation["security"] == [], name
            assert "401" not in operation["responses"] or operation["operationId"].endswith("Login")
        else:
            expected = "staffAuth" if " /staff/" in name else "citizenAuth"
            assert operation["security"] == [{expected: []}], name
            assert {"401", "503"} <= set(operation["responses"]), name
        assert any(s.startswith("4") for s in operation["responses"]), name
        assert "default" not in operation["responses"], name


def _domain_errors(cls=DomainError):
    for sub in cls.__subclasses__():
        yield sub
        yield from _domain_errors(sub)


def test_the_error_code_enum_lists_every_code_the_server_can_send(doc):
    sent = {cls.code for cls in _domain_errors()} | {code for code, _ in HTTP_ERRORS.values()}
    sent |= {"invalid_input", "http_error"}
    assert sent == set(ERROR_CODES)
    error = doc["components"]["schemas"]["ErrorBody"]
    assert error["properties"]["code"]["enum"] == list(ERROR_CODES)
    assert set(error["required"]) == {"code", "message", "details"}
    details = doc["components"]["schemas"]["ValidationError"]["properties"]["error"]
    assert details["properties"]["details"] == {"$ref": "#/components/schemas/FieldErrors"}


def _answer_schemas(doc) -> set[str]:
    """Names of the component schemas reachable from an answer."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in found:
                    found.add(name)
                    walk(doc["components"]["schemas"][name])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    for _, operation in operations(doc):
        walk(operation["responses"])
    walk(doc["components"]["responses"])
    return found


def test_every_field_of_an_answer_is_required(doc):
    # Always sent (null when empty): a generated client need not guess.
    for name in _answer_schemas(doc) - {"FieldErrors"}:
        schema = doc["components"]["schemas"][name]
        assert set(schema.get("required", [])) == set(schema["properties"]), name


def test_requests_have_no_null_defaults_and_times_have_a_pattern(doc):
    text = str(doc)
    assert "'default': None" not in text
    slot = doc["components"]["schemas"]["Slot"]["properties"]
    for field in ("start", "end"):
        assert slot[field]["type"] == "string"
        assert re.fullmatch(slot[field]["pattern"], "09:30")
        assert not re.fullmatch(slot[field]["pattern"], "24:00")


def test_references_that_can_be_absent_are_null_or_the_reference(doc):
    schemas = doc["components"]["schemas"]
    for schema, field in [("Place", "parent"), ("Case", "agent"), ("Staff", "department"),
                          ("Case", "review"), ("Escalation", "resolved_by"),
                          ("Case", "agreement"), ("Review", "followup")]:
        options = schemas[schema]["properties"][field]["anyOf"]
        assert {"type": "null"} in options and any("$ref" in o for o in options), (schema, field)
    assert "$ref" in schemas["Case"]["properties"]["applicant"]


def test_fixed_value_sets_are_enums(doc):
    schemas = doc["components"]["schemas"]
    assert schemas["Booking"]["properties"]["help_type"]["enum"] == ["assist", "proxy", None]
    assert schemas["Booking"]["properties"]["cancelled_by"]["enum"] == ["citizen", "hall", None]
    timeline = schemas["TimelineEntry"]["properties"]
    assert "submitted" in timeline["status"]["enum"] and "accept" in timeline["action"]["enum"]


def test_idempotency_key_is_documented_with_its_limits_on_signed_in_writes(doc):
    for name, operation in operations(doc):
        headers = [p for p in operation.get("parameters", []) if p["in"] == "header"]
        if operation["operationId"] in ("createBooking", "createCase"):
            assert headers[0]["schema"] == {"type": "string", "minLength": 1, "maxLength": 100}
        if operation["security"] == []:
            assert not headers, name


def test_examples_match_their_schemas(doc):
    checked = 0
    for name, operation in operations(doc):
        media = [operation.get("requestBody", {}).get("content", {}).get("application/json", {})]
        media += [response.get("content", {}).get("application/json", {})
                  for response in operation["responses"].values()]
        for content in media:
            if "example" in content:
                errors = list(schema_validator(doc, content["schema"]).iter_errors(
                    content["example"]))
                assert not errors, f"{name}: {errors[0].message}"
                checked += 1
    assert checked >= 12


def test_an_idempotency_key_on_an_anonymous_route_is_ignored_not_a_500(client):
    response = client.post("/api/v1/auth/wechat-login", json={"code": "demo"},
                           headers={"Idempotency-Key": "k1"})
    assert response.status_code == 200
