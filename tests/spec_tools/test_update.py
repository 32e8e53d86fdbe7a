"""`make update-spec`, run whole in a copy of the repository on synthetic documents, offline.

The copy starts from the baseline generations (preview, experimental), whatever else is committed.
Each failure mode is broken once and must exit non-zero with one `error:` line per problem.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from spec_tools.generations import module_name

from .conftest import BASELINE, copy_repository, tree
from .documents import dated_document, experimental_document, preview_document, write

pytestmark = pytest.mark.slow

MAKE = ["make", "--no-print-directory", "-s", "-o", ".venv/.installed", "-o", ".tools/generator/.installed"]
REPORT = "/preview/catalog/products/batch/report/{operation-token}"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_repository(tmp_path / "repo", BASELINE)


def _environ() -> dict[str, str]:
    # An outer `make test` must not pass its flags down; the copy imports its own package.
    drop = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTHONPATH"}
    return {key: value for key, value in os.environ.items() if key not in drop}


def update_spec(repo: Path, document: dict[str, Any], *variables: str) -> subprocess.CompletedProcess[str]:
    source = write(document, repo.parent / "marketing-solutions.json")
    command = [*MAKE, "update-spec", f"SOURCE={source}", *variables]
    return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=_environ())


def _errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def _generation_files(repo: Path, name: str) -> dict[str, bytes]:
    files = {f"openapi/{k}": v for k, v in tree(repo / "openapi" / name).items()}
    package = repo / "criteo_catalog_sdk" / "_generated" / module_name(name)
    return files | {f"package/{k}": v for k, v in tree(package).items()}


def _python(repo: Path, code: str) -> str:
    result = subprocess.run(
        [str(repo / ".venv" / "bin" / "python"), "-c", code],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**_environ(), "PYTHONPATH": str(repo)},
        check=True,
    )
    return result.stdout.strip()


# Run in the copy: its SDK and simulator, after update-spec added 2027-01 (string merchant ids, a report
# parameter named `id`, no statistics operation).
PUSH_THROUGH_BOTH = """
from criteo_catalog_sdk import CatalogClient
from criteo_catalog_sdk.simulator.config import Settings, SimulatorConfig
from criteo_catalog_sdk.simulator.handle import SimulatorControl
from criteo_catalog_sdk.simulator.runner import SimulatorServer

def product(pid):
    return {"id": pid, "title": pid, "description": pid, "link": "https://example.com/" + pid,
            "imageLink": "https://example.com/" + pid + ".jpg", "availability": "in stock",
            "price": {"value": "9.99", "currency": "EUR"}}

import json
import httpx

sent = []  # the merchantId of every batch's first entry, as the SDK wrote it

def capture(request):
    if request.method == "POST" and request.url.path.endswith("/batch"):
        sent.append(json.loads(request.content)["entries"][0]["merchantId"])

config = SimulatorConfig(port=0, settings=Settings(accepted_seconds=0, processing_seconds=0),
                         api_versions=("preview", "2027-01"))
lines = []
with SimulatorServer(config) as server:
    for version, ids in (("2027-01", "abc"), ("preview", ["old"])):
        http = httpx.Client(event_hooks={"request": [capture]})
        with http, CatalogClient("id", "secret", base_url=server.base_url, api_version=version,
                                 http_client=http) as client:
            result = client.push([product(i) for i in ids], merchant_id=123)
        lines.append(f"{version} {result.summary.upserted} {result.summary.rejected} {sent.pop()!r}")
    with SimulatorControl(server.base_url) as control:
        lines.append(",".join(sorted(control.catalog(123))))
print(" | ".join(lines))
"""


def test_a_new_dated_generation_is_added_works_and_leaves_the_others_alone(repo: Path) -> None:
    others = {name: _generation_files(repo, name) for name in BASELINE}
    result = update_spec(repo, dated_document("2027-01"))
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "generation 2027-01 (new)" in out
    assert "overlay derived from openapi/experimental/overlay.yaml (the newest existing generation" in out
    assert "semantic changes against openapi/experimental/published.yaml" in out
    for line in (
        "~ field ProductsCustomBatchRequestEntry.merchantId: type integer(int32) -> string",
        "~ parameter GetCatalogProductsBatchReport path operation-token: renamed to id",
        "- operation GetCatalogMerchantStats (GET /experimental/catalog/stats/merchants/{merchant-id})",
    ):
        assert f"  {line}\n" in out
    dropped = [line for line in out.splitlines() if line.startswith("  dropped action #")]
    assert len(dropped) == 5 and all("selects nothing" in line for line in dropped)
    assert sum(line.startswith("  adapted action #") for line in out.splitlines()) == 2
    overlay = (repo / "openapi" / "2027-01" / "overlay.yaml").read_text()
    assert overlay.startswith("# Overlay of the 2027-01 generation, DERIVED by `make update-spec`")
    assert all(line.removeprefix("  dropped ") in overlay for line in dropped)
    assert "checked 2027-01: package criteo_catalog_sdk._generated.v2027_01 imports" in out
    # The SDK of the copy sees the new generation as it is.
    seen = _python(
        repo,
        "from criteo_catalog_sdk.api_versions import get_api_version, API_VERSIONS;"
        "v = get_api_version('2027-01');"
        "print(v.merchant_id_type, v.report.parameter, v.stats, repr(v.merchant_id_value(123)), sorted(API_VERSIONS))",
    )
    assert seen == "string id None '123' ['2027-01', 'experimental', 'preview']"
    assert {name: _generation_files(repo, name) for name in BASELINE} == others
    # ...and pushes through it to a simulator that serves it next to preview, over loopback.
    assert _python(repo, PUSH_THROUGH_BOTH) == "2027-01 3 0 '123' | preview 1 0 123 | a,b,c,old"
    # What update-spec wrote is what `make generate` writes, and rerunning it changes nothing.
    checked = subprocess.run(["tools/check-generated.sh"], cwd=repo, capture_output=True, text=True, env=_environ())
    assert checked.returncode == 0, checked.stdout + checked.stderr
    after = _generation_files(repo, "2027-01")
    again = update_spec(repo, dated_document("2027-01"))
    assert again.returncode == 0, again.stderr
    assert "generation 2027-01 (refreshed)" in again.stdout
    assert "no semantic change against the previous openapi/2027-01/published.yaml" in again.stdout
    assert _generation_files(repo, "2027-01") == after


def test_refreshing_preview_prints_the_semantic_diff_and_regenerates_preview_only(repo: Path) -> None:
    experimental = _generation_files(repo, "experimental")
    overlay = (repo / "openapi" / "preview" / "overlay.yaml").read_bytes()
    bumped = preview_document()
    bumped["components"]["schemas"]["Product"]["properties"]["energyLabel"] = {"type": "string"}
    result = update_spec(repo, bumped)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "generation preview (refreshed)" in result.stdout
    assert "semantic changes against the previous openapi/preview/published.yaml:\n" in result.stdout
    assert "  + field Product.energyLabel: string\n" in result.stdout
    assert (
        "energy_label" in (repo / "criteo_catalog_sdk" / "_generated" / "preview" / "models" / "product.py").read_text()
    )
    assert (repo / "openapi" / "preview" / "overlay.yaml").read_bytes() == overlay
    assert _generation_files(repo, "experimental") == experimental
    published = (repo / "openapi" / "preview" / "published.yaml").read_text()
    assert published.startswith("# Criteo's Catalog slice of the MarketingSolutions preview document")
    assert "marketing-solutions.json" in published.splitlines()[2]


def test_the_experimental_document_is_no_semantic_change(repo: Path) -> None:
    before = _generation_files(repo, "experimental")
    result = update_spec(repo, experimental_document())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no semantic change against the previous openapi/experimental/published.yaml" in result.stdout
    after = _generation_files(repo, "experimental")
    assert {k: v for k, v in after.items() if not k.endswith("published.yaml")} == {
        k: v for k, v in before.items() if not k.endswith("published.yaml")
    }


def test_a_document_that_does_not_say_its_generation_needs_generation(repo: Path) -> None:
    document = experimental_document()
    document["info"]["version"] = "Preview"
    before = tree(repo / "openapi")
    errors = _errors(update_spec(repo, document))
    assert errors == [
        f"error: {repo.parent / 'marketing-solutions.json'}: info.version 'Preview' says preview but the catalog paths"
        " are under /experimental/; say which with GENERATION=<name>, e.g. GENERATION=2027-01"
    ]
    assert tree(repo / "openapi") == before
    result = update_spec(repo, document, "GENERATION=experimental")
    assert result.returncode == 0, result.stderr
    assert "GENERATION=experimental overrides what the document says (nothing clear)" in result.stdout


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (["GENERATION=Preview 2"], "'Preview 2' is not a generation name"),
        (["DERIVE_FROM=beta"], "DERIVE_FROM=beta: no such generation (have: experimental, preview)"),
    ],
)
def test_bad_variables_are_one_line_and_write_nothing(repo: Path, variables: list[str], message: str) -> None:
    before = tree(repo)
    document = dated_document("2027-01") if variables[0].startswith("DERIVE") else preview_document()
    errors = _errors(update_spec(repo, document, *variables))
    assert len(errors) == 1 and message in errors[0]
    assert tree(repo) == before


def test_a_document_without_catalog_operations_fails_cleanly_and_writes_nothing(repo: Path) -> None:
    document = preview_document()
    document["info"]["version"] = "2026-07"
    document["paths"] = {path: item for path, item in document["paths"].items() if "/catalog/" not in path}
    before = tree(repo)
    errors = _errors(update_spec(repo, document))
    assert len(errors) == 1
    assert "no catalog operations (info.version '2026-07'): no SubmitCatalogProductsBatch or" in errors[0]
    assert tree(repo) == before


def test_an_overlay_action_that_no_longer_applies_fails_without_regenerating(repo: Path) -> None:
    generated = tree(repo / "criteo_catalog_sdk" / "_generated")
    document = preview_document()
    del document["components"]["schemas"]["Product"]["properties"]["googleProductCategory"]
    errors = _errors(update_spec(repo, document))
    assert any(
        "openapi/preview/overlay.yaml: action #" in e
        and "($.components.schemas.Product.properties.googleProductCategory) selects nothing" in e
        for e in errors
    ), errors
    assert errors[-1] == "error: openapi/preview is written but cannot work: fix overlay.yaml, then `make generate`"
    assert tree(repo / "criteo_catalog_sdk" / "_generated") == generated
    assert "googleProductCategory" not in (repo / "openapi" / "preview" / "published.yaml").read_text()


def test_a_link_that_no_longer_resolves_fails(repo: Path) -> None:
    document = preview_document()
    item = document["paths"].pop(REPORT)
    item["get"]["parameters"][0]["name"] = "token"
    document["paths"][REPORT.replace("{operation-token}", "{token}")] = item
    errors = _errors(update_spec(repo, document))
    assert (
        "error: openapi/preview/catalog.yaml: link GetReport of SubmitCatalogProductsBatch 202:"
        " GetCatalogProductsBatchReport has no parameter 'operation-token' (it has: token)"
    ) in errors


def test_an_effective_spec_that_is_not_valid_openapi_fails(repo: Path) -> None:
    document = preview_document()
    del document["paths"]["/preview/catalog/products/batch"]["post"]["responses"]["202"]["description"]
    errors = _errors(update_spec(repo, document))
    assert any(e.startswith("error: openapi/preview/catalog.yaml: not valid OpenAPI at paths/") for e in errors), errors


def test_a_generation_the_sdk_cannot_use_fails_after_regenerating(repo: Path) -> None:
    # Criteo renames merchantId (its messages already call it catalogId, D7): the SDK cannot send a batch.
    document = dated_document("2027-07")
    entry = document["components"]["schemas"]["ProductsCustomBatchRequestEntry"]
    entry["properties"]["catalogId"] = entry["properties"].pop("merchantId")
    entry["required"] = ["catalogId", "method"]
    errors = _errors(update_spec(repo, document))
    assert len(errors) == 1
    assert errors[0].startswith("error: the regenerated package does not work: error: KeyError:")
    assert "merchantId" in errors[0]


def test_without_source_the_default_is_the_generation_documents_url(repo: Path) -> None:
    def planned(*variables: str) -> str:
        command = [*MAKE, "-n", "update-spec", *variables]
        return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=_environ(), check=True).stdout

    assert "update 'https://api.criteo.com/preview/marketingsolutions/open-api-specifications.json'" in planned()
    experimental = planned("GENERATION=experimental")
    assert "'https://api.criteo.com/experimental/marketingsolutions/open-api-specifications.json'" in experimental
    assert "--generation 'experimental'" in experimental
