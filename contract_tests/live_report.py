"""The live conformance run's reports: ``conformance.md`` for people, ``conformance.json`` for tools."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from contract_tests import specs
from contract_tests.live_settings import EXCERPT, Observation, Settings


def _excerpt(body: Any) -> str:
    text = json.dumps(body, sort_keys=True, ensure_ascii=False) if body is not None else "(no body)"
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "..."


def deviation_table(observations: list[Observation]) -> list[dict[str, Any]]:
    """The distinct deviations from the published spec: what, where an overlay action would go, the evidence."""
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for o in observations:
        for problem in o.published_problems:
            key = (problem.target, str(problem) if problem.kind != "body" else f"{problem.pointer}: {problem.message}")
            entry = grouped.setdefault(
                key,
                {
                    "deviation": str(problem),
                    "overlay_target": problem.target,
                    "checks": [],
                    "evidence": {"request": o.request, "status": o.status, "body": o.body},
                },
            )
            if o.check not in entry["checks"]:
                entry["checks"].append(o.check)
    return list(grouped.values())


def write_reports(
    settings: Settings, observations: list[Observation], skipped: list[str] | None = None
) -> tuple[Path, Path]:
    """Write the conformance report as Markdown (for people) and JSON (for tools)."""
    settings.out_dir.mkdir(parents=True, exist_ok=True)
    violations = [o for o in observations if o.violates]
    deviations = [o for o in observations if o.published_errors]
    table = deviation_table(observations)
    skipped = skipped or []

    def plain(o: Observation) -> dict[str, Any]:
        data = asdict(o)
        data.pop("published_problems")
        return data

    payload = {
        "server": settings.base_url,
        "api_version": specs.generation(settings.api_version).name,
        "checked_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "conforms_to_effective_spec": not violations,
        "violations": [plain(o) for o in violations],
        "published_spec_deviations": [plain(o) for o in deviations],
        "deviations": table,
        "skipped": skipped,
        "observations": [plain(o) for o in observations],
    }
    json_path = settings.out_dir / "conformance.json"
    json_path.write_text(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    lines = [
        f"# Conformance of {settings.base_url} (API generation {payload['api_version']})",
        "",
        f"Checked at {payload['checked_at']}: {len(observations)} exchanges, {len(violations)} violations of the "
        f"effective spec or documented behaviour, {len(table)} distinct deviations from the published spec.",
        "",
        "| check | request | status | effective spec and documented behaviour | published spec |",
        "|---|---|---|---|---|",
    ]
    for o in observations:
        effective = "; ".join(o.effective_errors + o.expectation_errors) or "ok"
        published = "; ".join(o.published_errors) or "ok"
        lines.append(f"| {o.check} | `{o.request[:80]}` | {o.status} | {_cell(effective)} | {_cell(published)} |")
    if violations:
        lines += ["", "## Violations (the server breaks the effective spec or a documented behaviour)", ""]
        for o in violations:
            lines += [f"### {o.check}: `{o.request[:120]}` -> {o.status}", ""]
            lines += [f"- {error}" for error in o.effective_errors + o.expectation_errors]
            lines += ["", "Evidence (response body):", "", "```json", _excerpt(o.body), "```", ""]
    if table:
        lines += ["", "## Deviations from the published spec (candidate overlay actions)", ""]
        for entry in table:
            evidence = entry["evidence"]
            lines += [
                f"### {entry['deviation']}",
                "",
                f"- overlay target: `{entry['overlay_target']}`",
                f"- seen in: {', '.join(entry['checks'])}",
                f"- evidence: `{evidence['request'][:120]}` -> {evidence['status']}",
                "",
                "```json",
                _excerpt(evidence["body"]),
                "```",
                "",
            ]
    notes = [(o, note) for o in observations for note in o.notes]
    if notes:
        lines += ["", "## Notes (neither spec is broken; worth a look)", ""]
        lines += [f"- {o.check} `{o.request[:80]}`: {note}" for o, note in notes]
    if skipped:
        lines += ["", "## Skipped", ""] + [f"- {reason}" for reason in skipped]
    md_path = settings.out_dir / "conformance.md"
    md_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return md_path, json_path


def _cell(text: str) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 400 else text[:400] + "..."
