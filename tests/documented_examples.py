"""Criteo's documented examples (seed 001, ``tests/data/seed_001.txt``) as exchanges the clients' tests replay."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from tests.fakes.mock_criteo import BATCH, DOC_TOKEN, REPORT

SEED_FILE = Path(__file__).parent / "data" / "seed_001.txt"
_ENDPOINT = re.compile(r"^## Examples for the `(\w+)` endpoint", re.MULTILINE)
_STATUS = re.compile(r"^### \*\*`(\d{3})`\*\*", re.MULTILINE)
_RESPONSE = re.compile(r"```json Example Response[^\n]*\n(.*?)```", re.DOTALL)
_GET = re.compile(r"HTTP GET (\S+)")


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
    text = SEED_FILE.read_text(encoding="utf-8")
    examples: list[Example] = []
    heads = list(_ENDPOINT.finditer(text))
    for i, head in enumerate(heads):
        section = text[head.end() : heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        statuses = list(_STATUS.finditer(section))
        for j, status in enumerate(statuses):
            chunk = section[status.end() : statuses[j + 1].start() if j + 1 < len(statuses) else len(section)]
            response = _RESPONSE.search(chunk)
            get = _GET.search(chunk)
            if "Doesn't apply" in chunk:
                continue
            body = json.dumps(json.loads(response.group(1))).encode() if response else b""
            path = get.group(1) if get else (BATCH if head.group(1) == "batch" else REPORT + DOC_TOKEN)
            examples.append(Example(head.group(1), int(status.group(1)), body, path, j))
    return examples
