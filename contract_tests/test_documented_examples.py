"""Criteo's documented examples (seed 001, ``spec_tools.seed_examples.load_examples``), one case each.

For every documented request/response pair, the expected outcome is written down in ``EXPECTED``:

- which spec accepts the request (effective / published; ``None`` when the docs elide it);
- which spec accepts the response (the effective one must accept them all: that is its purpose);
- what the SDK does with the documented request (sends it in published form, or refuses it) and with the
  documented response (the value it returns, or the typed error it raises);
- what the simulator answers to the documented request, under the condition the docs describe (an
  invalid bearer, a merchant the credentials may not manage, a rate limit, an injected 500...).

A new or changed example in the evidence file fails ``test_every_example_has_an_expected_outcome``.

Criteo documented these exchanges for preview. They apply, each moved to the generation's own path, to
every generation whose contract is preview's once paths are set aside (``Generation.documented``:
experimental, facts section 8, whose slice differs from preview's by its prefix only); a generation that
changed the contract (2027-01: merchantId a string, the report's parameter renamed) is not judged by them.
The simulator's side runs for the documented generations the simulator serves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from contract_tests import spec_checks
from contract_tests.capture import CapturingCriteo
from contract_tests.conftest import SIMULATED_GENERATIONS, LoopbackSimulator
from contract_tests.specs import GENERATIONS, Generation, generation
from criteo_catalog_sdk import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    InvalidBatchError,
    MalformedOperationTokenError,
    OperationNotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    Report,
    ServerError,
)
from spec_tools.seed_examples import DocumentedExample, load_examples

EXAMPLES = {example.case_id: example for example in load_examples()}
#: The generations the examples apply to.
DOCUMENTED = [name for name in GENERATIONS if generation(name).documented]
LONG_TOKEN = "a" * 3000 + "." + "b" * 3000 + "."  # "any corrupted token such as the payload is really too heavy"


@dataclass(frozen=True)
class Expected:
    """The expected outcome of one documented exchange."""

    request_effective: bool | None  # None: the docs elide the request
    request_published: bool | None
    response_published: bool  # the effective spec accepts every documented response
    sdk_request: str  # "sent", "refused" or "elided"
    sdk_answer: type[Exception] | str  # the error raised, or "token" / a report status
    simulator: str  # "as documented", "404" (the example needs Criteo's own state), "elided"
    condition: str = ""  # how the simulator is put in the documented situation


def batch_error(sdk_answer: type[Exception], condition: str) -> Expected:
    """A documented batch error: the 202's request (effective only), the envelope (effective only)."""
    return Expected(True, False, False, "sent", sdk_answer, "as documented", condition)


def report_error(sdk_answer: type[Exception], condition: str = "") -> Expected:
    """A documented report error: a well-formed token (both specs), the envelope (effective only)."""
    return Expected(True, True, False, "sent", sdk_answer, "as documented", condition)


EXPECTED: dict[str, Expected] = {
    # D2, D3, D4: merchantId "123", no channel, googleProductCategory null: effective yes, published no.
    "batch-202-0": Expected(True, False, True, "sent", "token", "as documented"),
    # D6: the effective spec has minItems 1; the published one accepts an empty batch.
    "batch-400-0": Expected(False, True, False, "refused", BadRequestError, "as documented"),
    # batchId as a string and no merchantId/method: both specs reject it.
    "batch-400-1": Expected(False, False, False, "refused", BadRequestError, "as documented"),
    "batch-401-0": batch_error(AuthenticationError, "invalid bearer"),
    "batch-403-0": batch_error(PermissionDeniedError, "merchant not managed"),
    "batch-413-0": Expected(None, None, False, "elided", PayloadTooLargeError, "elided"),
    "batch-429-0": batch_error(RateLimitError, "rate limit"),
    "batch-500-0": batch_error(ServerError, "fault 500"),
    "batch-503-0": batch_error(ServerError, "fault 503"),
    # D1: documented reports lack warningDetails and numberOfProductsWithWarnings.
    "report-200-0": Expected(True, True, False, "sent", "ACCEPTED", "404"),
    "report-200-1": Expected(True, True, False, "sent", "VALIDATED", "404"),
    "report-200-2": Expected(True, True, False, "sent", "FAILED", "404"),
    # The effective spec declares the token's shape: "invalidToken" is an invalid request there. The SDK
    # treats tokens as opaque (facts section 6) and sends it; the server answers the malformed-token 400.
    "report-400-0": Expected(False, True, False, "sent", MalformedOperationTokenError, "as documented"),
    "report-403-0": report_error(PermissionDeniedError, "merchant not managed"),
    "report-404-0": report_error(OperationNotFoundError),
    "report-413-0": Expected(
        None, None, False, "elided", PayloadTooLargeError, "as documented", condition="long token"
    ),
    "report-429-0": report_error(RateLimitError, "fault 429"),
    "report-500-0": report_error(ServerError, "fault 500"),
    "report-503-0": report_error(ServerError, "fault 503"),
}
CASES = sorted(EXAMPLES)
SDK_CASES = [(name, case) for name in DOCUMENTED for case in CASES]
SIMULATED_CASES = [(name, case) for name in DOCUMENTED if name in SIMULATED_GENERATIONS for case in CASES]


def example_at(name: str, case_id: str) -> tuple[Generation, DocumentedExample]:
    """Generation ``name`` and the example ``case_id`` moved to its paths."""
    where = generation(name)
    example = EXAMPLES[case_id]
    template = where.batch_path if example.method == "POST" else where.report_template
    return where, example.at(template)


def request_of(example: DocumentedExample) -> Any:
    """The documented request body (typed Any, for indexing)."""
    return example.request_body


def response_of(example: DocumentedExample) -> Any:
    """The documented response body (typed Any, for indexing)."""
    return example.response_body


def token_of(example: DocumentedExample) -> str:
    return LONG_TOKEN if example.status == 413 else example.request_path.rsplit("/", 1)[1]


def test_every_example_has_an_expected_outcome() -> None:
    assert set(EXPECTED) == set(EXAMPLES)
    assert len(EXAMPLES) == 19  # 10 batch and 10 report sections, one "doesn't apply"


def test_the_examples_apply_to_preview_and_experimental() -> None:
    # Facts section 8: experimental is preview's contract under another prefix.
    assert {"preview", "experimental"} <= set(DOCUMENTED)


@pytest.mark.parametrize(("name", "case_id"), SDK_CASES)
def test_which_spec_accepts_the_request(name: str, case_id: str) -> None:
    where, example = example_at(name, case_id)
    expected = EXPECTED[case_id]
    documents = ((where.effective(), expected.request_effective), (where.published(), expected.request_published))
    for document, accepts in documents:
        if example.method == "POST":
            if example.request_body is None:
                assert accepts is None
                continue
            problems = spec_checks.strict_request_errors(document, "post", example.path_template, example.request_body)
        else:
            if not example.request_path:
                assert accepts is None
                continue
            problems = spec_checks.parameter_errors(document, "get", example.path_template, example.request_path)
        assert (problems == []) is accepts, problems


@pytest.mark.parametrize(("name", "case_id"), SDK_CASES)
def test_which_spec_accepts_the_response(name: str, case_id: str) -> None:
    where, example = example_at(name, case_id)
    expected = EXPECTED[case_id]
    content_type = "application/json" if example.response_body is not None else None
    args = (example.method, example.path_template, example.status, example.response_body)
    assert spec_checks.response_problems(where.effective(), *args, content_type=content_type) == []
    published = spec_checks.response_problems(where.published(), *args, content_type=content_type)
    assert (published == []) is expected.response_published, published


@pytest.mark.parametrize(("name", "case_id"), SDK_CASES)
def test_what_the_sdk_does_with_the_request(name: str, case_id: str) -> None:
    where, example = example_at(name, case_id)
    expected = EXPECTED[case_id]
    criteo = CapturingCriteo(where)
    with criteo.client() as client:
        if expected.sdk_request == "elided":
            return
        if example.method == "POST":
            if expected.sdk_request == "refused":
                with pytest.raises(InvalidBatchError):
                    client.submit_batch(request_of(example)["entries"])
                assert criteo.requests == []
                return
            client.submit_batch(request_of(example)["entries"])
            sent = json.loads(criteo.take().content)
            # Strict in what we send: the documented request goes out in the published form.
            assert spec_checks.strict_request_errors(where.published(), "post", where.batch_path, sent) == []
            assert sent["entries"][0]["merchantId"] == where.version.merchant_id_value(123)
            assert sent["entries"][0]["product"]["channel"] == "online"
            assert "googleProductCategory" not in sent["entries"][0]["product"]
        else:
            client.get_report(token_of(example))
            assert criteo.take().url.raw_path.decode() == example.request_path


@pytest.mark.parametrize(("name", "case_id"), SDK_CASES)
def test_what_the_sdk_does_with_the_response(name: str, case_id: str) -> None:
    where, example = example_at(name, case_id)
    expected = EXPECTED[case_id]
    criteo = CapturingCriteo(where)
    route = "batch" if example.method == "POST" else "report"
    body = b"" if example.response_body is None else json.dumps(example.response_body).encode()
    criteo.answer(route, example.status, body, {} if not body else None)
    request_body = example.request_body if example.request_body is not None else EXAMPLES["batch-202-0"].request_body
    with criteo.client() as client:
        if isinstance(expected.sdk_answer, type):
            with pytest.raises(expected.sdk_answer) as raised:
                if route == "batch":
                    client.submit_encoded_batch(json.dumps(request_body).encode())
                else:
                    client.get_report(token_of(example))
            error = raised.value
            assert isinstance(error, ApiError)
            if example.response_body is not None:
                assert [p.code for p in error.problems] == [p["code"] for p in response_of(example)["errors"]]
            if isinstance(error, RateLimitError):
                assert error.retry_after == 5.0  # "Too many requests. Retry in 5 seconds"
            if isinstance(error, AuthenticationError):
                assert criteo.token_requests == 2  # a fresh token was tried once before giving up
        elif route == "batch":
            assert (
                client.submit_encoded_batch(json.dumps(request_body).encode()) == response_of(example)["operationToken"]
            )
        else:
            report = client.get_report(token_of(example))
            assert isinstance(report, Report) and report.status == expected.sdk_answer
            assert report.warning_details == () and report.number_of_products_with_warnings is None
            if report.status == "FAILED":
                assert report.error_details[0].errors[0].type == "OverlargeBigImage"


def _arrange(sim: LoopbackSimulator, where: Generation, example: DocumentedExample, condition: str) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {sim.token}"}
    route = "batch" if example.method == "POST" else "report"
    if condition == "invalid bearer":
        headers["Authorization"] = "Bearer not-a-valid-token"
    elif condition == "merchant not managed":
        sim.control.configure(merchants=[999])
    elif condition == "rate limit":
        sim.control.configure(rate_limit=1)  # one product per second: a second batch at once is over it
        httpx.post(sim.base_url + where.batch_path, json=example.request_body, headers=headers).raise_for_status()
    elif condition.startswith("fault "):
        sim.control.fail_next(condition.removeprefix("fault "), route=route)
    return headers


@pytest.mark.parametrize(("name", "case_id"), SIMULATED_CASES)
def test_what_the_simulator_answers(name: str, case_id: str, loopback: LoopbackSimulator) -> None:
    where, example = example_at(name, case_id)
    expected = EXPECTED[case_id]
    if expected.simulator == "elided":
        return
    headers = _arrange(loopback, where, example, expected.condition)
    with httpx.Client(base_url=loopback.base_url, headers=headers, timeout=10) as http:
        if example.method == "POST":
            response = http.post(example.path_template, json=example.request_body)
        else:
            response = http.get(where.report_path(token_of(example)))
    body: Any = response.json() if response.content else None
    template = example.path_template
    problems = spec_checks.response_problems(
        where.effective(),
        example.method,
        template,
        response.status_code,
        body,
        content_type=response.headers.get("content-type"),
    )
    assert problems == [], problems  # whatever it answers, the simulator keeps the effective spec
    if expected.simulator == "404":
        # The documented 200s are reports of Criteo's own operations: unknown to the simulator.
        assert response.status_code == 404 and body["errors"][0]["code"] == "catalog-operation-not-found"
        return
    assert response.status_code == example.status
    if example.response_body is None:
        assert body is None
    elif example.status >= 400:
        assert [p["code"] for p in body["errors"]] == [p["code"] for p in response_of(example)["errors"]]
        assert [p["detail"] for p in body["errors"]] == [p["detail"] for p in response_of(example)["errors"]]
    else:
        assert set(body) == set(response_of(example))


@pytest.mark.parametrize("name", [name for name in DOCUMENTED if name in SIMULATED_GENERATIONS])
def test_the_simulator_reports_in_the_documented_shape(name: str, loopback: LoopbackSimulator) -> None:
    # The documented 200s cannot be replayed (Criteo's operations), but their shape can: a report of the
    # documented batch has exactly the documented keys (no warning fields, counters as strings).
    where = generation(name)
    headers = {"Authorization": f"Bearer {loopback.token}"}
    with httpx.Client(base_url=loopback.base_url, headers=headers, timeout=10) as http:
        token = http.post(where.batch_path, json=EXAMPLES["batch-202-0"].request_body).json()["operationToken"]
        report = http.get(where.report_path(token)).json()
    for documented in (response_of(EXAMPLES[f"report-200-{i}"]) for i in range(3)):
        assert set(report) == set(documented)
    assert all(isinstance(report[key], str) for key in report if key.startswith("numberOf"))
