"""Every answer the API gives a test is checked against the document the API serves.

`make_test_app` installs `ContractClient` as the app's test client, so every request a test makes
through `app.test_client()` (the `client` fixture included) has its answer validated with
openapi-core: its status must be one the operation documents, its body must match that status'
schema (required fields present, enums, nullability, no undocumented field). A field that stops
being sent, a new error code or an undocumented status fails the test that caused it.

Answers outside the document (the admin portal, the docs page, an unknown path or method) are
not operations; under /api/v1 their body must still be the one error shape.
"""
from __future__ import annotations

import json
import weakref

from flask.testing import FlaskClient
from jsonschema_path import SchemaPath
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_schema_validator import OAS31Validator

from miniprogram_api import PREFIX

UNDOCUMENTED = {f"{PREFIX}/openapi.json", f"{PREFIX}/docs"}
_BY_APP: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_BY_TEXT: dict[str, "Contract"] = {}


class _AnsweredRequest(WerkzeugOpenAPIRequest):
    """The request as openapi-core sees it, without its body (already read by the app; answers
    are validated, not requests)."""

    @property
    def body(self):
        return None


class Contract:
    """The served document, as openapi-core validates against it."""

    def __init__(self, document: dict):
        self.document = document
        self.openapi = OpenAPI(SchemaPath.from_dict(document))
        error = {**document["components"]["schemas"]["Error"],
                 "components": document["components"]}
        self.error_validator = OAS31Validator(error)

    @classmethod
    def served_by(cls, app) -> "Contract":
        """The document this app serves (fetched once per app, parsed once per text)."""
        contract = _BY_APP.get(app)
        if contract is None:
            text = FlaskClient(app).get(f"{PREFIX}/openapi.json").get_data(as_text=True)
            contract = _BY_TEXT.get(text)
            if contract is None:
                contract = _BY_TEXT[text] = cls(json.loads(text))
            _BY_APP[app] = contract
        return contract

    def check(self, response) -> None:
        request = response.request
        if not request.path.startswith(PREFIX + "/") or request.path in UNDOCUMENTED \
                or request.path.startswith(f"{PREFIX}/docs/"):
            return
        if response.mimetype == "application/pdf":
            self._check_binary(request, response)
            return
        openapi_request = _AnsweredRequest(request)
        try:
            self.openapi.validate_response(openapi_request, WerkzeugOpenAPIResponse(response))
        except (PathNotFound, OperationNotFound):
            self._check_error_shape(request, response)
        except Exception as exc:  # openapi-core's validation errors, with their causes
            raise AssertionError(
                f"{request.method} {request.path} answered {response.status_code}, which the "
                f"served OpenAPI document does not allow: {_explain(exc)}\n"
                f"body: {response.get_data(as_text=True)[:2000]}") from None

    def _check_binary(self, request, response) -> None:
        """A file (a paper's PDF): its operation must declare this status with this media type
        (openapi-core reads bodies as text, so the bytes themselves are not validated)."""
        segments = request.path.removeprefix(PREFIX).split("/")
        for template, item in self.document["paths"].items():
            parts = template.split("/")
            if len(parts) == len(segments) and all(
                    p == s or (p.startswith("{") and (p.endswith("}") or p.endswith("}.pdf"))
                               and s.endswith(p[p.index("}") + 1:]))
                    for p, s in zip(parts, segments)):
                operation = item.get(request.method.lower(), {})
                content = operation.get("responses", {}).get(str(response.status_code), {})
                if response.mimetype in content.get("content", {}):
                    return
        raise AssertionError(f"{request.method} {request.path} answered {response.status_code} "
                             f"{response.mimetype}, which the served document does not declare")

    def _check_error_shape(self, request, response) -> None:
        if response.status_code < 400:
            raise AssertionError(f"{request.method} {request.path} answered "
                                 f"{response.status_code} but is not in the document")
        errors = sorted(self.error_validator.iter_errors(json.loads(response.get_data())),
                        key=str)
        if errors:
            raise AssertionError(f"{request.method} {request.path}: error body does not match "
                                 f"the Error schema: {errors[0].message}")


def _explain(exc: BaseException) -> str:
    parts = [f"{type(exc).__name__}: {exc}"]
    for inner in getattr(exc, "schema_errors", None) or []:
        parts.append(f"  at {'/'.join(map(str, inner.absolute_path)) or '(root)'}: {inner.message}")
    if exc.__cause__ is not None:
        parts.append(_explain(exc.__cause__))
    return "\n".join(parts)


class ContractClient(FlaskClient):
    """A test client whose every answer is validated against the served document."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if not kwargs.get("buffered") and response.is_streamed and response.direct_passthrough:
            return response  # a file download (the docs page's assets): not an API answer
        Contract.served_by(self.application).check(response)
        return response
