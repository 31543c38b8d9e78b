"""schemathesis against the national JSON entry, driven by its own OpenAPI document: for every transaction at
every address the document gives, bodies generated from the request schema never get an HTTP 500 or a reply
outside the document — a refusal is national JSON with infcode -1, as docs/http.md says. (The document itself and
replies of real visits are checked in test_openapi.py.)"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

EXAMPLES = 2  # per address; ~3 addresses a transaction, ~100 transactions


def test_every_transaction_answers_within_its_document(http_served: str) -> None:
    api = schemathesis.openapi.from_url(http_served + "/openapi.json")
    api.config.update(base_url=http_served)
    failures: list[str] = []
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) > 100
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, phases=[Phase.generate], database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def answers_within_the_document(case: schemathesis.Case) -> None:
            case.call_and_validate()

        try:
            answers_within_the_document()
        except Exception as failure:  # collect every address's, then fail once naming them all
            failures.append(f"{operation.label}: {str(failure)[:600]}")
    assert not failures, "\n\n".join(failures)
