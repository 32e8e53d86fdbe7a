"""Server-side contract run: schemathesis's engine, in-process, against an ASGI app or a base URL.

This is what ``st run`` does (every phase: examples, coverage, fuzzing, stateful), driven from Python so
that the same run works against the simulator's ASGI app in-process (no socket), against a server over
a real socket, and inside pytest, with the harness's own choices fixed in one place:

- the spec: the effective one of the chosen API generation (``api_version=``; default: the SDK's default
  generation), unless told otherwise (``spec=``: a document or a file);
- every check, with the built-in ``positive_data_acceptance`` replaced by ``contract_tests.hooks``'s
  narrow ``criteo_positive_data_acceptance`` (one documented 400 exempt, nothing else);
- positive and negative data; the stateful phase follows the overlay's link from the 202's
  ``operationToken`` to the report;
- seeded, bounded (``max_examples`` per operation and phase), shrinking off, no example database and no
  schemathesis cache, one worker: the same seed against the same server gives the same requests.

:func:`run` returns a :class:`HarnessResult` (findings, errors, what was sent and answered) and
:func:`write_junit` turns it into JUnit XML for CI.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from contract_tests import hooks, specs

PHASES: tuple[str, ...] = ("examples", "coverage", "fuzzing", "stateful")
MODES = ("positive", "negative", "all")
DEFAULT_SEED = 20_240_601
EXCERPT = 1500


@dataclass(frozen=True)
class HarnessSettings:
    """How a run generates and what it checks. The defaults are the CI run's."""

    seed: int = DEFAULT_SEED
    max_examples: int = 10  # per operation, per phase (fuzzing) / per scenario (stateful)
    mode: str = "all"  # positive, negative or all
    phases: tuple[str, ...] = PHASES
    read_only: bool = False  # GET operations only (no batch submitted: nothing written to a catalog)
    request_timeout: float = 10.0
    max_failures: int | None = None  # stop after this many failures (None: run everything)
    stateful_max_steps: int = 10

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        unknown = set(self.phases) - set(PHASES)
        if unknown:
            raise ValueError(f"unknown phases {sorted(unknown)}: expected some of {PHASES}")
        if self.max_examples < 1:
            raise ValueError("max_examples must be at least 1")


@dataclass(frozen=True)
class Finding:
    """One failed check: where, which check, what it said and the exchange that showed it."""

    phase: str
    operation: str
    check: str
    title: str
    message: str
    status: int | None
    request: str
    response_excerpt: str
    reproduce: str

    def headline(self) -> str:
        """One line naming the violation."""
        return f"[{self.phase}] {self.operation}: {self.check}: {self.title} (status {self.status})"


@dataclass
class HarnessResult:
    """What a run found and did."""

    target: str
    spec: str
    settings: HarnessSettings
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # (phase, "METHOD /template") -> test cases sent
    cases: Counter[tuple[str, str]] = field(default_factory=Counter)
    # (phase, "METHOD /template", status) -> answers
    responses: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    # "phase operation" -> (test cases, seconds, failure messages): the JUnit test cases
    scenarios: dict[str, list[Any]] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        """No failed check and no error."""
        return not self.findings and not self.errors

    def answered(self, phase: str, operation: str, status: int) -> int:
        """How many answers of ``status`` ``operation`` gave in ``phase`` (e.g. the report's 200s when stateful)."""
        return self.responses[(phase, operation, status)]

    def summary(self) -> str:
        """A human-readable report of the run."""
        total = sum(self.cases.values())
        lines = [
            f"schemathesis contract run against {self.target} ({self.spec}, seed {self.settings.seed}, "
            f"mode {self.settings.mode}, max {self.settings.max_examples} examples, phases "
            f"{','.join(self.settings.phases)}): {total} test cases in {self.elapsed:.1f} s, "
            f"{len(self.findings)} failure(s), {len(self.errors)} error(s)",
        ]
        lines += [
            f"  FAIL {f.headline()}\n       {_indent(f.message)}\n       reproduce: {f.reproduce}"
            for f in self.findings
        ]
        lines += [f"  ERROR {error}" for error in self.errors]
        return "\n".join(lines)


def _indent(text: str) -> str:
    return text.strip().replace("\n", "\n       ")


def build_config(settings: HarnessSettings, *, base_url: str | None, headers: Mapping[str, str]) -> SchemathesisConfig:
    """The schemathesis configuration of a run."""
    generation: dict[str, Any] = {
        "mode": settings.mode,
        "max-examples": settings.max_examples,
        "no-shrink": True,
        "database": "none",
    }
    data: dict[str, Any] = {
        "seed": settings.seed,
        "headers": dict(headers),
        "generation": generation,
        "checks": {hooks.REPLACED_CHECK: {"enabled": False}, hooks.CHECK_NAME: {"enabled": True}},
        "phases": {
            phase: (
                {"enabled": phase in settings.phases, "max-steps": settings.stateful_max_steps}
                if phase == "stateful"
                else {"enabled": phase in settings.phases}
            )
            for phase in PHASES
        },
        "cache": {"enabled": False},
        "workers": 1,
        "request-timeout": settings.request_timeout,
        "continue-on-failure": True,
        "warnings": False,
    }
    if settings.max_failures is not None:
        data["max-failures"] = settings.max_failures
    if base_url is not None:
        data["base-url"] = base_url.rstrip("/")
    return SchemathesisConfig.from_dict(data)


Spec = Path | str | Mapping[str, Any]


def resolve_spec(spec: Spec | None, api_version: str | None) -> tuple[Any, str]:
    """The document (or file path) to load, and how to name it: ``spec`` if given (a document, or a file),
    else the effective spec of generation ``api_version`` (default: the SDK's default generation)."""
    if spec is None:
        where = specs.generation(api_version)
        return where.effective(), f"{where.name} effective spec"
    if isinstance(spec, Mapping):
        return dict(spec), "given spec"
    return str(spec), Path(spec).name


def load_schema(
    settings: HarnessSettings,
    *,
    base_url: str | None = None,
    app: Any = None,
    token: str | None = None,
    spec: Spec | None = None,
    api_version: str | None = None,
) -> Any:
    """The schemathesis schema of ``spec`` (see :func:`resolve_spec`), bound to ``base_url`` or to the ASGI ``app``."""
    if (base_url is None) == (app is None):
        raise ValueError("give exactly one of base_url and app")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    config = build_config(settings, base_url=base_url, headers=headers)
    source, _ = resolve_spec(spec, api_version)
    schema: Any = (
        schemathesis.openapi.from_dict(source, config=config)
        if isinstance(source, dict)
        else schemathesis.openapi.from_path(source, config=config)
    )
    if app is not None:
        schema.app = app
    if settings.read_only:
        schema = schema.include(method="GET")
    return schema


def _label(case: Any) -> str:
    return f"{case.operation.method.upper()} {case.operation.path}"


def _excerpt(content: bytes | None) -> str:
    if not content:
        return "(no body)"
    text = content.decode("utf-8", errors="replace")
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "..."


def _record(result: HarnessResult, phase: str, recorder: Any, scenario: str, elapsed: float) -> None:
    cases = 0
    for case_id, node in recorder.cases.items():
        label = _label(node.value)
        result.cases[(phase, label)] += 1
        cases += 1
        interaction = recorder.interactions.get(case_id)
        if interaction is not None and interaction.response is not None:
            result.responses[(phase, label, interaction.response.status_code)] += 1
    messages: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for case_id, checks in recorder.checks.items():
        for check in checks:
            info = check.failure_info
            if info is None:
                continue
            failure = info.failure
            node = recorder.cases.get(failure.case_id or case_id) or recorder.cases.get(case_id)
            operation = _label(node.value) if node is not None else (failure.operation or scenario)
            key = (operation, check.name, failure.title)
            if key in seen:  # the same failure seen again on another case of the scenario
                continue
            seen.add(key)
            interaction = recorder.interactions.get(failure.case_id or case_id)
            response = interaction.response if interaction is not None else None
            request = f"{interaction.request.method} {interaction.request.uri}" if interaction is not None else ""
            finding = Finding(
                phase=phase,
                operation=operation,
                check=check.name,
                title=failure.title,
                message=failure.message,
                status=response.status_code if response is not None else None,
                request=request,
                response_excerpt=_excerpt(response.content if response is not None else None),
                reproduce=info.code_sample,
            )
            result.findings.append(finding)
            messages.append(f"{finding.headline()}\n{finding.message}\n{request}\n{finding.response_excerpt}")
    entry = result.scenarios.setdefault(f"{phase} {scenario}", [0, 0.0, []])
    entry[0] += cases
    entry[1] += elapsed
    entry[2].extend(messages)


def consume(result: HarnessResult, stream: Iterable[events.EngineEvent]) -> HarnessResult:
    """Fold the engine's events into ``result``."""
    for event in stream:
        if isinstance(event, events.ScenarioFinished):
            _record(result, str(event.phase.value), event.recorder, event.recorder.label, event.elapsed_time)
        elif isinstance(event, events.FuzzScenarioFinished):  # pragma: no cover - the "st fuzz" engine only
            _record(result, "fuzz", event.recorder, event.recorder.label, event.elapsed_time)
        elif isinstance(event, events.NonFatalError):
            result.errors.append(f"[{event.phase}] {event.label}: {type(event.value).__name__}: {event.value}")
        elif isinstance(event, events.FatalError):
            result.errors.append(f"fatal: {type(event.exception).__name__}: {event.exception}")
        elif isinstance(event, events.EngineFinished):
            for failure in event.failures:  # checks that run once at the end of the run
                result.findings.append(
                    Finding(
                        "after-run",
                        failure.operation or "",
                        "after_run",
                        failure.title,
                        failure.message,
                        None,
                        "",
                        "",
                        "",
                    )
                )
    return result


def run(
    *,
    base_url: str | None = None,
    app: Any = None,
    token: str | None = None,
    settings: HarnessSettings | None = None,
    spec: Spec | None = None,
    api_version: str | None = None,
    spec_name: str | None = None,
) -> HarnessResult:
    """Run the contract checks against ``base_url`` (a real server) or ``app`` (an ASGI app, in-process),
    judged by ``spec`` or by the effective spec of generation ``api_version`` (see :func:`resolve_spec`);
    ``spec_name`` names the spec in the summary and the JUnit report."""
    settings = settings or HarnessSettings()
    schema = load_schema(settings, base_url=base_url, app=app, token=token, spec=spec, api_version=api_version)
    target = base_url or f"ASGI app {type(app).__name__}"
    result = HarnessResult(target=target, spec=spec_name or resolve_spec(spec, api_version)[1], settings=settings)
    started = time.monotonic()
    consume(result, from_schema(schema).execute())
    result.elapsed = time.monotonic() - started
    return result


def write_junit(result: HarnessResult, path: Path | str, suite: str = "contract-server") -> Path:
    """Write ``result`` as JUnit XML: one test case per phase and operation, its failures inside."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    failures = sum(1 for _, (_, _, messages) in result.scenarios.items() if messages)
    root = ET.Element("testsuites")
    element = ET.SubElement(
        root,
        "testsuite",
        name=f"{suite}: {result.target}",
        tests=str(len(result.scenarios) + len(result.errors)),
        failures=str(failures),
        errors=str(len(result.errors)),
        time=f"{result.elapsed:.3f}",
    )
    properties = ET.SubElement(element, "properties")
    for name, value in (
        ("seed", result.settings.seed),
        ("mode", result.settings.mode),
        ("max_examples", result.settings.max_examples),
        ("phases", ",".join(result.settings.phases)),
        ("spec", result.spec),
    ):
        ET.SubElement(properties, "property", name=name, value=str(value))
    for name, (cases, elapsed, messages) in sorted(result.scenarios.items()):
        phase, _, operation = name.partition(" ")
        case = ET.SubElement(
            element,
            "testcase",
            classname=f"{suite}.{phase}",
            name=f"{operation} ({cases} cases)",
            time=f"{elapsed:.3f}",
        )
        if messages:
            failure = ET.SubElement(case, "failure", message=messages[0].splitlines()[0])
            failure.text = "\n\n".join(messages)
    for index, error in enumerate(result.errors):
        case = ET.SubElement(element, "testcase", classname=f"{suite}.errors", name=f"error {index + 1}")
        ET.SubElement(case, "error", message=error.splitlines()[0]).text = error
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path
