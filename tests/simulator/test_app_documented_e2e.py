"""Criteo's documented request/response pairs (seed 001, kept in openapi/evidence/), sent raw over loopback.

Each documented answer must come back: same status, and for error envelopes the same type, code,
instance, title and detail (the 429 wait aside); successful answers carry the documented fields.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

EVIDENCE = Path(__file__).resolve().parents[2] / "openapi" / "evidence" / "001_2cbfebc927b2f6db.txt"
BATCH = "/preview/catalog/products/batch"


def parse_examples() -> dict[str, list[dict[str, Any]]]:
    """{"batch": [{"status", "request", "response"}...], "report": [...]} from the evidence file."""
    text = EVIDENCE.read_text(encoding="utf-8")
    out: dict[str, list[dict[str, Any]]] = {}
    for endpoint, body in re.findall(r"## Examples for the `(\w+)` endpoint(.*?)(?=\n## |\Z)", text, re.S):
        examples = []
        for status, section in re.findall(r"### \*\*`(\d+)`\*\*(.*?)(?=### \*\*`|\Z)", body, re.S):
            blocks = re.findall(r"```(\w+) Example (Request|Response)[^\n]*\n(.*?)```", section, re.S)
            example: dict[str, Any] = {"status": int(status), "request": None, "response": None}
            for language, kind, content in blocks:
                if kind == "Request":
                    example["request"] = content.strip() if language == "http" else _json_or_none(content)
                else:
                    example["response"] = json.loads(content)
            examples.append(example)
        out[endpoint] = examples
    return out


def _json_or_none(content: str) -> Any:
    try:
        return json.loads(content)
    except ValueError:  # the 413 example elides its entries with "{...}"
        return None


EXAMPLES = parse_examples()


def test_the_evidence_was_parsed() -> None:
    assert [e["status"] for e in EXAMPLES["batch"]] == [202, 400, 400, 401, 403, 404, 413, 429, 500, 503]
    assert [e["status"] for e in EXAMPLES["report"]] == [200, 200, 200, 400, 403, 404, 413, 429, 500, 503]


def assert_envelope(response: httpx.Response, documented: dict[str, Any]) -> None:
    got = response.json()
    assert set(got) == {"errors", "warnings"} and got["warnings"] == []
    assert len(got["errors"]) == len(documented["errors"])
    for mine, theirs in zip(got["errors"], documented["errors"], strict=True):
        assert re.fullmatch(r"00000000-0000-0000-[0-9a-f]{4}-[0-9a-f]{12}", mine["traceId"])
        for key in ("type", "code", "instance", "detail"):
            if key == "instance" and documented is EXAMPLES["report"][4]["response"]:
                continue  # the documented 403 names another token than the one requested
            assert mine[key] == theirs[key], key
        if theirs["code"] == "too-many-requests":
            assert re.fullmatch(r"Too many requests\. Retry in \d+ seconds", mine["title"])
        else:
            assert mine["title"] == theirs["title"]


def batch_example(status: int, index: int = 0) -> dict[str, Any]:
    return [e for e in EXAMPLES["batch"] if e["status"] == status][index]


@pytest.fixture
def http(criteo_simulator: CriteoSimulator) -> httpx.Client:
    client = httpx.Client(base_url=criteo_simulator.base_url, headers=criteo_simulator.headers(), timeout=10)
    yield client  # type: ignore[misc]
    client.close()


def post_raw(http: httpx.Client, body: Any, **headers: str) -> httpx.Response:
    return http.post(BATCH, content=json.dumps(body), headers={"content-type": "application/json", **headers})


def test_batch_202(http: httpx.Client) -> None:
    response = post_raw(http, batch_example(202)["request"])
    assert response.status_code == 202
    assert set(response.json()) == set(batch_example(202)["response"]) == {"operationToken"}
    assert re.fullmatch(r"eyJhbGciOiJub25lIn0\.[A-Za-z0-9_-]+\.", response.json()["operationToken"])


@pytest.mark.parametrize("index", [0, 1])
def test_batch_400(http: httpx.Client, index: int) -> None:
    example = batch_example(400, index)
    response = post_raw(http, example["request"])
    assert response.status_code == 400
    assert_envelope(response, example["response"])


def test_batch_401(http: httpx.Client) -> None:
    example = batch_example(401)
    response = post_raw(http, example["request"], authorization="Bearer an-invalid-token")
    assert response.status_code == 401
    assert_envelope(response, example["response"])


def test_batch_403(http: httpx.Client, criteo_simulator: CriteoSimulator) -> None:
    criteo_simulator.control.configure(merchants=[1])  # merchant 123 is not ours
    example = batch_example(403)
    response = post_raw(http, example["request"])
    assert response.status_code == 403
    assert_envelope(response, example["response"])


def test_batch_413_has_no_body(http: httpx.Client, criteo_simulator: CriteoSimulator) -> None:
    criteo_simulator.control.configure(max_body_bytes=4000)
    request = batch_example(202)["request"]
    entry = request["entries"][0]
    big = {"entries": [{**entry, "product": {**entry["product"], "id": f"id-{i}"}} for i in range(20)]}
    response = post_raw(http, big)
    assert response.status_code == 413
    assert response.content == b""


def test_batch_429(http: httpx.Client, criteo_simulator: CriteoSimulator) -> None:
    criteo_simulator.control.configure(rate_limit=1)
    example = batch_example(429)
    assert post_raw(http, example["request"]).status_code == 202
    response = post_raw(http, example["request"])
    assert response.status_code == 429
    assert_envelope(response, example["response"])
    assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(response.headers)
    assert "retry-after" not in response.headers


@pytest.mark.parametrize("status", [500, 503])
def test_batch_5xx(http: httpx.Client, criteo_simulator: CriteoSimulator, status: int) -> None:
    criteo_simulator.control.fail_next(str(status), route="batch")
    example = batch_example(status)
    response = post_raw(http, example["request"])
    assert response.status_code == status
    assert_envelope(response, example["response"])


def report_example(status: int, index: int = 0) -> dict[str, Any]:
    return [e for e in EXAMPLES["report"] if e["status"] == status][index]


def report_path(example: dict[str, Any]) -> str:
    return str(example["request"]).split()[-1]


def test_report_200s(http: httpx.Client, criteo_simulator: CriteoSimulator) -> None:
    control = criteo_simulator.control
    control.freeze()
    accepted, validated, failed = (report_example(200, i)["response"] for i in range(3))
    token = post_raw(http, batch_example(202)["request"]).json()["operationToken"]
    url = f"{BATCH}/report/{token}"
    first = http.get(url)
    assert first.status_code == 200 and first.json() | {"importRequestTimestamp": ""} == accepted | {
        "importRequestTimestamp": ""
    }
    control.advance(60)
    done = http.get(url).json()
    assert set(done) == set(validated) and done["status"] == "VALIDATED"
    assert done["numberOfProductsUpserted"] == "1"
    # The FAILED example: one product whose image link is too long.
    product = {**batch_example(202)["request"]["entries"][0]["product"]}
    product.update(id="test-v3-1615818478409", imageLink="https://www.advertiser.com/" + "x" * 2015)
    token = post_raw(http, {"entries": [{"merchantId": 123, "method": "insert", "product": product}]}).json()[
        "operationToken"
    ]
    control.advance(60)
    got = http.get(f"{BATCH}/report/{token}").json()
    # Same answer but for the timestamp and the length (ours is the link's own; Criteo's after a rewrite).
    assert got["errorDetails"][0]["errors"][0]["message"] == '{"Length":2042}'
    blank = {"importRequestTimestamp": "", "errorDetails": []}
    assert got | blank == failed | blank
    got["errorDetails"][0]["errors"][0]["message"] = '{"Length":1042}'
    assert got["errorDetails"] == failed["errorDetails"]


@pytest.mark.parametrize("status", [400, 403, 404])
def test_report_errors(http: httpx.Client, criteo_simulator: CriteoSimulator, status: int) -> None:
    if status == 403:
        criteo_simulator.control.configure(merchants=[1])  # partner 12 is not ours
    example = report_example(status)
    response = http.get(report_path(example))
    assert response.status_code == status
    assert_envelope(response, example["response"])


def test_report_413(http: httpx.Client) -> None:
    response = http.get(f"{BATCH}/report/{'eyJ' * 3000}.")
    assert response.status_code == 413 and response.content == b""


@pytest.mark.parametrize("status", [429, 500, 503])
def test_report_faults(http: httpx.Client, criteo_simulator: CriteoSimulator, status: int) -> None:
    criteo_simulator.control.fail_next(str(status), route="report")
    example = report_example(status)
    response = http.get(report_path(example))
    assert response.status_code == status
    assert_envelope(response, example["response"])
