"""Criteo's documented examples (seed 001, read by ``spec_tools.seed_examples`` from ``openapi/evidence/``) as
the exchanges the clients' tests replay: each answer's status, its body as bytes, and the path requested."""

from __future__ import annotations

import json
from dataclasses import dataclass

from spec_tools.seed_examples import load_examples
from tests.fakes.mock_criteo import DOC_TOKEN, REPORT


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
