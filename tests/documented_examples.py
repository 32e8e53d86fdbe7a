"""Criteo's documented examples (seed 001, read by ``spec_tools.seed_examples`` from ``openapi/evidence/``) as
the exchanges the clients' tests replay: each answer's status, its body as bytes, and the path requested."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from spec_tools.seed_examples import load_examples
from tests.fakes.mock_criteo import DOC_TOKEN, REPORT

# Seed 001 verbatim (merchantId as a string, a null, no channel), "Examples for the batch endpoint", 202 request.
DOCUMENTED_PRODUCT: dict[str, Any] = {
    "id": "id",
    "title": "myTitle",
    "description": "myDescription",
    "link": "https://www.advertiser.com/myProduct",
    "imageLink": "https://www.advertiser.com/300x200/myProduct",
    "brand": "",
    "googleProductCategory": None,
    "gtin": "123456789",
    "price": {"currency": "EUR", "value": "49.99"},
    "availability": "in stock",
}
DOCUMENTED_BATCH: dict[str, Any] = {
    "entries": [
        {"batchId": 0, "merchantId": "123", "method": "insert", "product": DOCUMENTED_PRODUCT, "feedId": "string"}
    ]
}


@dataclass(frozen=True)
class Example:
    endpoint: str
    status: int
    body: bytes
    path: str
    position: int

    @property
    def id(self) -> str:
        return f"{self.endpoint}-{self.status}-{self.position}"


def documented_examples() -> list[Example]:
    return [
        Example(
            example.endpoint,
            example.status,
            b"" if example.response_body is None else json.dumps(example.response_body).encode(),
            example.request_path or REPORT + DOC_TOKEN,
            example.position,
        )
        for example in load_examples()
    ]
