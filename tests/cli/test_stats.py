"""``criteo-catalog stats MERCHANT_ID`` against the simulator."""

from __future__ import annotations

from pathlib import Path

from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

from .conftest import FAST, invoke, one_json, one_line, products, write_feed


def test_stats_json_and_human(sim: CriteoSimulator, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "f.jsonl", products(3))
    assert invoke(sim, "push", feed, "--merchant-id", str(sim.merchant_id), *FAST).exit_code == 0
    result = invoke(sim, "stats", str(sim.merchant_id), "--hours", "2", "--json")
    assert result.exit_code == 0, result.output
    data = one_json(result, "stats")
    assert (data["merchantId"], data["hours"], data["apiVersion"]) == (sim.merchant_id, 2, "preview")
    assert data["stats"]["data"]["statisticsRecordList"] and data["records"]
    assert max(r["total"] or 0 for r in data["records"]) == 3
    human = invoke(sim, "stats", str(sim.merchant_id))
    assert human.exit_code == 0 and "total" in human.stdout


def test_stats_uses_the_api_version(sim: CriteoSimulator) -> None:
    result = invoke(sim, "--api-version", "experimental", "stats", "5", "--json")
    assert one_json(result, "stats")["apiVersion"] == "experimental"
    (request,) = sim.control.requests("stats")
    assert request["path"].startswith("/experimental/")


def test_deprecated_and_decommissioned_generations(sim: CriteoSimulator) -> None:
    sim.control.deprecate("preview", "2027-06-30")
    result = invoke(sim, "stats", "5", "--json")
    (note,) = [n for n in one_json(result, "stats")["notes"] if n["kind"] == "deprecation"]
    assert one_line(result.stderr) == f"warning: {note['message']}"
    sim.control.decommission("preview")
    gone = invoke(sim, "stats", "5", "--json")
    assert gone.exit_code == 3 and one_json(gone, "failure")["error"]["type"] == "ApiVersionGoneError"
    assert "--api-version" in one_line(gone.stderr)


def test_missing_credentials_exit_2_before_any_request(sim: CriteoSimulator) -> None:
    env = {"CRITEO_CLIENT_ID": "", "CRITEO_CLIENT_SECRET": "", "CRITEO_API_URL": sim.base_url}
    result = invoke(None, "stats", "5", "--json", env=env)
    assert result.exit_code == 2
    assert one_json(result, "failure")["error"]["type"] == "UsageError"
    expected = "Error: missing credentials: --client-id / CRITEO_CLIENT_ID, --client-secret / CRITEO_CLIENT_SECRET"
    assert one_line(result.stderr) == expected
    assert sim.control.requests() == []
