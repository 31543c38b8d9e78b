"""Test support: national bodies checked against the gateway's OpenAPI document (adapters/yibao/adapters/http/
openapi.py) with jsonschema, the schema of each transaction's request and reply taken from the document itself."""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft202012Validator


class OpenApiCheck:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._validators: dict[str, Draft202012Validator] = {}

    def problems(self, schema_name: str, body: Any) -> list[str]:
        """Every way `body` (as JSON decodes it) breaks the component `schema_name`, with its JSON path."""
        validator = self._validators.get(schema_name)
        if validator is None:  # the document is the root resource, so its "#/components/…" references resolve
            root = {**self.document, "$ref": f"#/components/schemas/{schema_name}"}
            validator = self._validators[schema_name] = Draft202012Validator(root)
        plain = json.loads(json.dumps(body, default=str)) if not isinstance(body, bytes) else json.loads(body)
        return [f"{e.json_path}: {e.message[:300]}" for e in validator.iter_errors(plain)]

    def check_request(self, infno: str, body: Any) -> None:
        assert not self.problems(f"Request_{infno}", body), self.problems(f"Request_{infno}", body)

    def check_reply(self, infno: str, raw: bytes) -> None:
        assert not self.problems(f"Reply_{infno}", raw), self.problems(f"Reply_{infno}", raw)
