"""Read Criteo's documented request/response examples (seed 001) into structured cases.

The examples page (``openapi/evidence/001_2cbfebc927b2f6db.txt``) is Markdown: per endpoint, one
``### `status` `` section per example with a request (JSON body or an ``HTTP GET`` line) and a
response (JSON, or "No body."). A few request bodies are elided with ``{...}`` and are kept as
``None``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

EXAMPLES_FILE = Path(__file__).resolve().parent.parent / "openapi" / "evidence" / "001_2cbfebc927b2f6db.txt"
# The generation the examples were documented for, and the paths the documentation shows; :meth:`DocumentedExample.at`
# moves an example to another generation's path, for generations whose contract is the documented one
# (``spec_tools.diffing.same_contract``).
DOCUMENTED_GENERATION = "preview"
BATCH_PATH = "/preview/catalog/products/batch"
REPORT_PATH = "/preview/catalog/products/batch/report/{operation-token}"
OPERATION_IDS = {"batch": "SubmitCatalogProductsBatch", "report": "GetCatalogProductsBatchReport"}

_SECTION = re.compile(r"^### \*\*`(\d{3})`\*\*\s*$", re.MULTILINE)
_FENCE = re.compile(r"```(\w+)[^\n]*\n(.*?)```", re.DOTALL)
_HTTP_LINE = re.compile(r"HTTP GET (\S+)")


@dataclass(frozen=True)
class DocumentedExample:
    """One documented exchange: which endpoint, the request, the status and the response body."""

    endpoint: str  # "batch" or "report"
    status: int
    method: str
    path_template: str
    request_path: str  # the concrete path requested
    request_body: Any | None  # parsed JSON, or None (GET, or elided in the docs)
    response_body: Any | None  # parsed JSON, or None ("No body.")
    position: int  # order within its endpoint, for test ids

    @property
    def case_id(self) -> str:
        """A short id for test parametrisation, e.g. ``report-200-1``."""
        return f"{self.endpoint}-{self.status}-{self.position}"

    @property
    def operation_id(self) -> str:
        """The operation the example exercises (stable across generations, unlike its path)."""
        return OPERATION_IDS[self.endpoint]

    def at(self, template: str) -> DocumentedExample:
        """The same exchange at another path template (another generation's), the path parameter's value kept."""
        request_path = self.request_path
        if request_path:
            value = _parameter_value(self.path_template, request_path)
            request_path = template if value is None else re.sub(r"\{[^}]+\}", lambda _: value, template, count=1)
        return replace(self, path_template=template, request_path=request_path)


def _parameter_value(template: str, path: str) -> str | None:
    """The value a concrete path gives the template's (single) path parameter; None when it has none."""
    head, brace, rest = template.partition("{")
    if not brace:
        return None
    tail = rest.partition("}")[2]
    return path[len(head) : len(path) - len(tail)] if path.startswith(head) and path.endswith(tail) else ""


def load_examples(path: Path = EXAMPLES_FILE) -> list[DocumentedExample]:
    """Parse every documented example of the examples page."""
    text = path.read_text(encoding="utf-8")
    report_start = text.index("## Examples for the `report` endpoint")
    examples: list[DocumentedExample] = []
    for endpoint, chunk in (("batch", text[:report_start]), ("report", text[report_start:])):
        examples.extend(_parse_endpoint(endpoint, chunk))
    return examples


def _parse_endpoint(endpoint: str, chunk: str) -> list[DocumentedExample]:
    found: list[DocumentedExample] = []
    headers = list(_SECTION.finditer(chunk))
    for index, header in enumerate(headers):
        end = headers[index + 1].start() if index + 1 < len(headers) else len(chunk)
        body = chunk[header.end() : end]
        status = int(header.group(1))
        if "Doesn't apply" in body:
            continue
        request_part, _, response_part = body.partition("**Response**")
        request_body = _json_block(request_part)
        http_line = _HTTP_LINE.search(request_part)
        if endpoint == "batch":
            method, template, request_path = "POST", BATCH_PATH, BATCH_PATH
        else:
            method, template = "GET", REPORT_PATH
            request_path = http_line.group(1) if http_line else ""
        found.append(
            DocumentedExample(
                endpoint=endpoint,
                status=status,
                method=method,
                path_template=template,
                request_path=request_path,
                request_body=request_body,
                response_body=_json_block(response_part),
                position=sum(1 for e in found if e.status == status),
            )
        )
    return found


def _json_block(part: str) -> Any | None:
    for match in _FENCE.finditer(part):
        if match.group(1) != "json":
            continue
        try:
            return json.loads(match.group(2))
        except json.JSONDecodeError:
            return None  # the docs elide some bodies with "{...}"
    return None
