"""Proof that the harness can fail: the simulator in a deliberately broken mode, and each breach caught.

The simulator's test-only switch (``Settings.break_contract``, CLI ``--break-contract NAME``; names in
``criteo_catalog_sdk.simulator.config.CONTRACT_BREAKS``) makes it answer in breach of the effective spec.
For each breach: the schemathesis harness reports it (check and message named), the user-facing runner
exits 1 with it in its JUnit XML, and the SDK raises ``ResponseValidationError`` where the breach makes
an answer unreadable. The live mode's side of the proof is in ``test_live.py``. Also here: the one
schemathesis exemption (``contract_tests/hooks.py``) is as narrow as it says.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest

from contract_tests import harness, hooks, server
from contract_tests.conftest import STATIC_TOKEN, LoopbackSimulator, make_app
from contract_tests.specs import GENERATIONS, generation
from criteo_catalog_sdk import CatalogClient, PollPolicy, ResponseValidationError, RetryPolicy
from criteo_catalog_sdk.api_versions import OP_BATCH, OP_REPORT, OP_STATS
from criteo_catalog_sdk.simulator.config import CONTRACT_BREAKS, Settings
from criteo_catalog_sdk.simulator.runner import SimulatorProcess

# The simulator's default generation (the one its breaches are proven on).
WHERE = generation()
BATCH, REPORT, STATS = WHERE.label(OP_BATCH), WHERE.label(OP_REPORT), WHERE.label(OP_STATS)

# breach -> (phases, mode, the operation it shows on, the check that must fail, words the message must hold)
CAUGHT_BY = {
    "202-without-token": (
        ("fuzzing",),
        "positive",
        BATCH,
        "response_schema_conformance",
        '"operationToken" is a required property',
    ),
    "report-status-outside-enum": (
        ("stateful",),
        "positive",
        REPORT,
        "response_schema_conformance",
        '"COMPLETED" is not one of',
    ),
    "counter-not-numeric": (
        ("fuzzing",),
        "positive",
        STATS,
        "response_schema_conformance",
        "is not valid under any of the schemas",
    ),
    "json-as-text-plain": (("fuzzing",), "positive", STATS, "content_type_conformance", "Received: text/plain"),
    "error-without-envelope": (
        ("fuzzing",),
        "negative",
        BATCH,
        "response_schema_conformance",
        '"errors" is a required property',
    ),
}


def test_every_breach_has_a_proof() -> None:
    assert set(CAUGHT_BY) == set(CONTRACT_BREAKS)
    with pytest.raises(ValueError, match="unknown break_contract"):
        Settings(break_contract=frozenset({"no-such-breach"}))


@pytest.mark.parametrize("breach", sorted(CAUGHT_BY))
def test_the_harness_names_the_breach(breach: str) -> None:
    phases, mode, operation, check, words = CAUGHT_BY[breach]
    settings = harness.HarnessSettings(seed=harness.DEFAULT_SEED, max_examples=5, mode=mode, phases=phases)
    result = harness.run(app=make_app(breach), token=STATIC_TOKEN, settings=settings)
    assert not result.ok
    named = [f for f in result.findings if f.operation == operation and f.check == check]
    assert named, result.summary()
    assert any(words in f.message for f in named), named[0].message
    assert all(f.reproduce for f in named)  # each comes with a way to replay it
    # And nothing but this breach is reported: the harness does not cry wolf (test_server.py's clean
    # runs of every phase and mode are the control).
    assert {f.check for f in result.findings} == {check}, result.summary()


def test_the_runner_exits_1_over_a_socket_and_its_junit_names_the_breach(
    loopback: LoopbackSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loopback.control.configure(break_contract=["report-status-outside-enum"])
    junit = tmp_path / "junit.xml"
    argv = ["--base-url", loopback.base_url, "--token", loopback.token, "--phases", "stateful", "--mode", "positive"]
    assert server.main([*argv, "--max-examples", "5", "--junit", str(junit)], env={}) == 1
    out = capsys.readouterr().out
    assert f"FAIL [stateful] {REPORT}" in out
    assert '"COMPLETED" is not one of' in out
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and int(suite.get("failures", "0")) >= 1
    failures = [f.text or "" for f in suite.iter("failure")]
    assert any("response_schema_conformance" in text and "COMPLETED" in text for text in failures)


def test_the_sdk_refuses_what_it_cannot_read(loopback: LoopbackSimulator) -> None:
    def client() -> CatalogClient:
        return CatalogClient(
            "a", "b", base_url=loopback.base_url, retry=RetryPolicy(attempts=1), polling=PollPolicy(initial_delay=0)
        )

    loopback.control.configure(break_contract=["202-without-token"])
    with client() as sdk, pytest.raises(ResponseValidationError, match="operationToken"):
        sdk.delete_products(123, ["sku-1"])
    # A counter that is not a number is read as unknown, with a note (the one lenient report reader):
    # the harness, not the SDK, is what flags the breach.
    loopback.control.configure(break_contract=["counter-not-numeric"])
    with client() as sdk:
        token = sdk.delete_products(123, ["sku-1"])
        report = sdk.get_report(token)
        assert report.number_of_products_in_the_batch is None and "numberOfProductsInTheBatch" in report.notes[0]
        stats = sdk.get_merchant_stats(123)
        assert stats.records[0].total is None and "total" in stats.notes[0]
    # An unknown status is tolerated on purpose (the SDK treats it as not final): the harness, not the
    # SDK, is what flags it (test_the_harness_names_the_breach).
    loopback.control.configure(break_contract=["report-status-outside-enum"])
    with client() as sdk:
        report = sdk.get_report(sdk.delete_products(123, ["sku-1"]))
        assert report.status == "COMPLETED" and not report.is_done


def test_the_hidden_cli_switch() -> None:
    with SimulatorProcess(["--static-token", "t", "--break-contract", "202-without-token"]) as process:
        answer = httpx.post(
            process.base_url + WHERE.batch_path,
            json={"entries": [{"merchantId": 1, "method": "delete", "productId": "p"}]},
            headers={"Authorization": "Bearer t"},
        )
        assert answer.status_code == 202 and answer.json() == {}
        settings = httpx.get(process.base_url + "/_simulator/settings").json()
        assert settings["break_contract"] == ["202-without-token"]


# -- the exemption is narrow -------------------------------------------------------------------------------


def envelope(*codes: str) -> bytes:
    problems = [
        {"traceId": "t", "type": "validation", "code": c, "instance": WHERE.batch_path, "title": "x", "detail": ""}
        for c in codes
    ]
    return json.dumps({"errors": problems, "warnings": []}).encode()


@pytest.mark.parametrize(
    ("operation_id", "status", "body", "exempt"),
    [
        (OP_BATCH, 400, envelope("duplicate-product"), True),
        (OP_BATCH, 400, envelope("duplicate-product", "duplicate-product"), True),
        (OP_BATCH, 400, envelope("duplicate-product", "json-format"), False),
        (OP_BATCH, 400, envelope("json-format"), False),
        (OP_BATCH, 400, envelope(), False),
        (OP_BATCH, 400, b"duplicate-product", False),
        (OP_BATCH, 422, envelope("duplicate-product"), False),
        (OP_BATCH, 403, envelope("duplicate-product"), False),
        (OP_REPORT, 400, envelope("catalog-operation-token-is-malformed"), False),
        (OP_REPORT, 400, envelope("duplicate-product"), False),
        (OP_STATS, 400, envelope("duplicate-product"), False),
        (None, 400, envelope("duplicate-product"), False),
    ],
)
def test_only_duplicate_product_on_the_batch_is_exempt(
    operation_id: str | None, status: int, body: bytes, exempt: bool
) -> None:
    assert hooks.is_exempt_rejection(operation_id, status, body) is exempt


@pytest.mark.parametrize("name", GENERATIONS)
def test_the_exemption_finds_each_generations_batch_by_operation_id(name: str) -> None:
    where = generation(name)
    schema = harness.load_schema(harness.HarnessSettings(), app=make_app(), api_version=name)
    for operation_id in (OP_BATCH, OP_REPORT):
        method, _, template = where.label(operation_id).partition(" ")
        case = schema[template][method].Case()
        assert hooks.operation_id_of(case) == operation_id
        exempt = hooks.is_exempt_rejection(hooks.operation_id_of(case), 400, envelope("duplicate-product"))
        assert exempt is (operation_id == OP_BATCH)


def test_the_harness_swaps_the_stock_check_for_the_narrow_one() -> None:
    config = harness.build_config(harness.HarnessSettings(), base_url=None, headers={})
    checks = config.projects.get_default().checks_config_for()
    assert checks.get_by_name(name=hooks.REPLACED_CHECK).enabled is False
    assert checks.get_by_name(name=hooks.CHECK_NAME).enabled is True
    assert checks.get_by_name(name="negative_data_rejection").enabled is True
