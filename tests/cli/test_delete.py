"""``criteo-catalog delete --merchant-id N ID...`` against the simulator."""

from __future__ import annotations

from pathlib import Path

from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

from .conftest import FAST, invoke, one_json, one_line, products, write_feed


def test_delete_reports_each_product(sim: CriteoSimulator, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "f.jsonl", products(4, "A"))
    assert invoke(sim, "push", feed, "--merchant-id", str(sim.merchant_id), *FAST).exit_code == 0
    result = invoke(sim, "delete", "--merchant-id", str(sim.merchant_id), "A1", "A2", "--json", *FAST)
    assert result.exit_code == 0, result.output
    data = one_json(result, "push")
    assert data["command"] == "delete" and (data["counts"]["total"], data["counts"]["deleted"]) == (2, 2)
    assert set(sim.control.catalog(sim.merchant_id)) == {"a0", "a3"}
    human = invoke(sim, "delete", "--merchant-id", str(sim.merchant_id), "A0", *FAST)
    assert human.exit_code == 0 and "Delete result" in human.stdout and "deleted" in human.stdout


def test_an_invalid_id_is_rejected_and_the_others_go(sim: CriteoSimulator) -> None:
    result = invoke(sim, "delete", "--merchant-id", str(sim.merchant_id), "ok-1", "café", "--json", *FAST)
    assert result.exit_code == 1
    data = one_json(result, "push")
    (error,) = data["errors"]
    assert (error["line"], error["productId"], error["stage"], error["type"]) == (2, "café", "client", "NonAsciiId")
    assert data["counts"]["deleted"] == 1


def test_a_dry_run_sends_nothing(sim: CriteoSimulator) -> None:
    result = invoke(sim, "delete", "--merchant-id", "5", "X", "--dry-run", "--json")
    assert result.exit_code == 0 and one_json(result, "push")["dryRun"]
    assert sim.control.requests() == []


def test_delete_uses_the_api_version_and_a_410_exits_3(sim: CriteoSimulator) -> None:
    result = invoke(sim, "--api-version", "experimental", "delete", "--merchant-id", "5", "X", "--json", *FAST)
    assert one_json(result, "push")["apiVersion"] == "experimental"
    assert all(r["apiVersion"] == "experimental" for r in sim.control.requests("batch"))
    sim.control.decommission("experimental")
    gone = invoke(sim, "--api-version", "experimental", "delete", "--merchant-id", "5", "X", *FAST)
    assert gone.exit_code == 3 and "decommissioned the experimental API generation" in one_line(gone.stderr)
