"""Live conformance run: check a real server (Criteo, or any server claiming to be it) against the spec.

    make contract-test-live            # or: python -m contract_tests.live [--api-version GENERATION]

The API generation checked (its spec and its paths) is ``--api-version``, else ``CRITEO_API_VERSION``,
else the SDK's default one. Environment: ``CRITEO_API_URL`` (default ``https://api.criteo.com``), ``CRITEO_CLIENT_ID``,
``CRITEO_CLIENT_SECRET``, optionally ``CRITEO_TEST_MERCHANT_ID`` (stats, and the target of writes)
and ``CRITEO_CONTRACT_ALLOW_WRITES=1`` (submit a one-product batch and follow its report; also send
the two documented invalid batches, which write nothing). Tuning: ``CRITEO_CONTRACT_REPORTS`` (output
folder, default ``reports/``), ``CRITEO_CONTRACT_REPORT_DEADLINE`` (seconds to wait for a final report,
default 600), ``CRITEO_CONTRACT_POLL_INTERVAL`` (first wait before polling, default 3 s as Criteo
advises), ``CRITEO_CONTRACT_FUZZ_EXAMPLES=N`` (also fuzz the two GET operations with schemathesis,
positive data only, N examples each; default 0: off).

Read-only checks: the token endpoint; a call without a token; the report of a malformed token and
of a well-formed unknown one; the merchant's stats (where the generation has them). Every answer is
checked against the generation's **effective** spec (``openapi/<generation>/catalog.yaml``: status
declared, body, formats, Content-Type, declared headers; a failure there is a violation, exit 1) and its
**published** one (``openapi/<generation>/published.yaml``: a failure there is a deviation, recorded with
its evidence and the spec location an overlay action would target).
Documented statuses (seed 001) are expectations too: answering 200 where Criteo documents 401 is a
violation even if the spec declares 200. Reports go to ``reports/conformance.{md,json}``.

Exit status: 0 when the server conforms (or, without credentials, the run is skipped with a message),
1 on a violation, 2 when the server cannot be reached at all or the generation is unknown.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from contract_tests import specs
from contract_tests.specs import ROOT, TERMINAL_STATUSES
from criteo_catalog_sdk.api_versions import ENV_API_VERSION
from criteo_catalog_sdk.errors import ConfigurationError

TERMINAL = set(TERMINAL_STATUSES)
EXCERPT = 2000
RETRYABLE_STATUSES = {429, 500, 502, 503, 504}


@dataclass
class Observation:
    """One exchange with the server and what the two specs say about it."""

    check: str
    request: str
    status: int | None
    body: Any
    effective_errors: list[str] = field(default_factory=list)
    published_errors: list[str] = field(default_factory=list)
    expectation_errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # oddities that break neither spec nor a documented status
    published_problems: list[specs.SpecProblem] = field(default_factory=list)

    @property
    def violates(self) -> bool:
        """True when the server broke the effective spec or a documented behaviour."""
        return bool(self.effective_errors or self.expectation_errors)


@dataclass
class Settings:
    """What the live run needs, read from the environment."""

    base_url: str
    client_id: str
    client_secret: str
    merchant_id: str | None
    allow_writes: bool
    report_deadline: float
    out_dir: Path
    poll_interval: float = 3.0
    fuzz_examples: int = 0
    api_version: str | None = None  # None: the SDK's default generation

    @classmethod
    def from_env(cls, env: Mapping[str, str], api_version: str | None = None) -> Settings | None:
        """None when the credentials are missing (the run is then skipped); ``api_version`` (the command
        line's) wins over ``CRITEO_API_VERSION``."""
        client_id, secret = env.get("CRITEO_CLIENT_ID", ""), env.get("CRITEO_CLIENT_SECRET", "")
        if not client_id or not secret:
            return None
        return cls(
            base_url=(env.get("CRITEO_API_URL") or "https://api.criteo.com").rstrip("/"),
            client_id=client_id,
            client_secret=secret,
            merchant_id=env.get("CRITEO_TEST_MERCHANT_ID") or None,
            allow_writes=env.get("CRITEO_CONTRACT_ALLOW_WRITES") == "1",
            report_deadline=float(env.get("CRITEO_CONTRACT_REPORT_DEADLINE") or "600"),
            out_dir=Path(env.get("CRITEO_CONTRACT_REPORTS") or str(ROOT / "reports")),
            poll_interval=float(env.get("CRITEO_CONTRACT_POLL_INTERVAL") or "3"),
            fuzz_examples=int(env.get("CRITEO_CONTRACT_FUZZ_EXAMPLES") or "0"),
            api_version=api_version or env.get(ENV_API_VERSION, "").strip() or None,
        )

    def __repr__(self) -> str:
        return (
            f"Settings(base_url={self.base_url!r}, api_version={self.api_version!r}, merchant_id={self.merchant_id!r},"
            " client_secret=<redacted>)"
        )


def _decode(response: httpx.Response) -> Any:
    """The JSON body, None when there is none, or ``specs.NOT_JSON``."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return specs.NOT_JSON


def _shown(body: Any, response: httpx.Response) -> Any:
    """What the report shows of a body (the text of one that is not JSON)."""
    if body is specs.NOT_JSON:
        return {"<not JSON>": response.content.decode("utf-8", errors="replace")[:EXCERPT]}
    return body


def unknown_operation_token(partner_id: int) -> str:
    """A well-formed token (Criteo's unsigned JWT-like shape) for an operation that does not exist."""

    def encode(part: dict[str, Any]) -> str:
        raw = json.dumps(part, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    payload = {"partnerId": partner_id, "operationId": str(uuid.uuid4()), "exp": int(time.time()) + 86_400}
    return f"{encode({'alg': 'none'})}.{encode(payload)}."


class LiveRun:
    """Runs the checks in order and collects observations."""

    def __init__(self, settings: Settings, http: httpx.Client) -> None:
        self.settings = settings
        self.http = http
        self.where = specs.generation(settings.api_version)
        self.effective = self.where.effective()
        self.published = self.where.published()
        self.observations: list[Observation] = []
        self.skipped: list[str] = []
        self._token: str | None = None

    # -- helpers ------------------------------------------------------------------------------
    def _observe(
        self,
        check: str,
        method: str,
        template: str,
        path: str,
        response: httpx.Response,
        expected: set[int] | None = None,
    ) -> Observation:
        body = _decode(response)
        content_type = response.headers.get("content-type")
        headers = dict(response.headers)
        status = response.status_code
        observation = Observation(check, f"{method.upper()} {path}", status, _shown(body, response))
        effective = specs.response_problems(
            self.effective, method, template, status, body, content_type=content_type, headers=headers
        )
        published = specs.response_problems(
            self.published, method, template, status, body, content_type=content_type, headers=headers
        )
        observation.effective_errors = [str(p) for p in effective]
        observation.published_errors = [str(p) for p in published]
        observation.published_problems = published
        if expected is not None and status not in expected:
            observation.expectation_errors.append(
                f"expected status {sorted(expected)} (Criteo's documented behaviour), got {status}"
            )
        self.observations.append(observation)
        return observation

    def _unanswered(self, check: str, request: str, exc: httpx.HTTPError) -> Observation:
        observation = Observation(
            check, request, None, None, expectation_errors=[f"no answer: {type(exc).__name__}: {exc}"[:300]]
        )
        self.observations.append(observation)
        return observation

    def _get(self, check: str, template: str, path: str, expected: set[int], **kwargs: Any) -> Observation:
        shown = path + (f"?{httpx.QueryParams(kwargs['params'])}" if kwargs.get("params") else "")
        try:
            response = self.http.get(path, **kwargs)
        except httpx.HTTPError as exc:
            return self._unanswered(check, f"GET {shown}", exc)
        return self._observe(check, "get", template, shown, response, expected)

    def _post_batch(self, check: str, body: Any, expected: set[int], auth: bool = True) -> Observation:
        try:
            response = self.http.post(self.where.batch_path, json=body, headers=self._auth() if auth else {})
        except httpx.HTTPError as exc:
            return self._unanswered(check, f"POST {self.where.batch_path}", exc)
        return self._observe(check, "post", self.where.batch_path, self.where.batch_path, response, expected)

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    def _expect_code(self, observation: Observation, code: str) -> None:
        """The documented problem code of an error answer (checked only when the status is the documented one)."""
        body = observation.body
        codes = (
            {p.get("code") for p in body.get("errors", []) if isinstance(p, dict)} if isinstance(body, dict) else set()
        )
        if codes and code not in codes:
            observation.notes.append(f"problem codes {sorted(map(str, codes))}; Criteo documents {code!r} here")

    # -- checks -------------------------------------------------------------------------------
    def check_token(self) -> bool:
        """POST /oauth2/token with client credentials: 200 and a bearer access token (facts section 5)."""
        response = self.http.post(
            "/oauth2/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.settings.client_id,
                "client_secret": self.settings.client_secret,
            },
        )
        body = _decode(response)
        problems: list[str] = []
        if response.status_code != 200:
            problems.append(f"token endpoint answered {response.status_code} (credentials refused?)")
        elif not isinstance(body, dict) or not isinstance(body.get("access_token"), str) or not body["access_token"]:
            problems.append("token answer has no string access_token")
        else:
            if str(body.get("token_type", "")).lower() != "bearer":
                problems.append(f"token_type is {body.get('token_type')!r}, expected Bearer")
            expires_in = body.get("expires_in")
            if type(expires_in) is not int or expires_in <= 0:
                problems.append(f"expires_in is {expires_in!r}, expected a positive integer")
            self._token = body["access_token"]
        # Never keep a token itself in the report.
        shown = _shown(body, response)
        if isinstance(shown, dict):
            shown = {k: ("<redacted>" if "token" in k and k != "token_type" else v) for k, v in shown.items()}
        self.observations.append(
            Observation("token", "POST /oauth2/token", response.status_code, shown, expectation_errors=problems)
        )
        return self._token is not None

    def check_without_token(self) -> None:
        """A call without a token: 401 with the error envelope (facts section 4)."""
        self._get("no-token", self.where.report_template, self.where.report_path(unknown_operation_token(0)), {401})

    def check_malformed_report_token(self) -> None:
        """GET report/invalidToken: 400 catalog-operation-token-is-malformed (seed 001, report 400)."""
        path = self.where.report_path("invalidToken")
        observed = self._get("report-malformed-token", self.where.report_template, path, {400}, headers=self._auth())
        if observed.status == 400:
            self._expect_code(observed, "catalog-operation-token-is-malformed")

    def check_unknown_report_token(self) -> None:
        """GET report of a well-formed unknown token: 404 (seed 001, report 404) or 403 (other partner)."""
        merchant = self.settings.merchant_id or ""
        partner = int(merchant) if merchant.isdigit() else 0
        path = self.where.report_path(unknown_operation_token(partner))
        template = self.where.report_template
        observed = self._get("report-unknown-token", template, path, {403, 404}, headers=self._auth())
        if observed.status == 404:
            self._expect_code(observed, "catalog-operation-not-found")

    def check_stats(self) -> None:
        """GET stats of the test merchant over 24 hours: 200 with the statistics body."""
        merchant, template = self.settings.merchant_id, self.where.stats_template
        if template is None:
            self.skipped.append(f"stats: the {self.where.name} generation has no statistics operation")
            return
        if merchant is None:
            self.skipped.append("stats: set CRITEO_TEST_MERCHANT_ID")
            return
        path = self.where.stats_path(merchant)
        self._get("stats", template, path, {200}, params={"lastNumHours": 24}, headers=self._auth())

    def check_documented_rejections(self) -> None:
        """The two documented invalid batches (seed 001, batch 400s): rejected with 400, nothing written."""
        empty = self._post_batch("batch-empty", {"entries": []}, {400})
        if empty.status == 400:
            self._expect_code(empty, "batch-empty")
        missing = self._post_batch("batch-required-fields", {"entries": [{"batchId": "123"}]}, {400})
        if missing.status == 400:
            self._expect_code(missing, "required-field")

    def check_write_and_report(self) -> None:
        """Submit a one-product batch (published form) and follow its report to a terminal status."""
        merchant = self.settings.merchant_id
        if not self.settings.allow_writes:
            self.skipped.append("writes: set CRITEO_CONTRACT_ALLOW_WRITES=1 (and CRITEO_TEST_MERCHANT_ID)")
            return
        if not (merchant and merchant.isdigit()):
            self.skipped.append("writes: CRITEO_TEST_MERCHANT_ID must be a merchant id (digits)")
            return
        self.check_documented_rejections()
        product_id = f"criteo-catalog-sdk-contract-{uuid.uuid4().hex[:12]}"
        body = {
            "entries": [
                {
                    "merchantId": self.where.version.merchant_id_value(int(merchant)),
                    "method": "insert",
                    "product": {
                        "id": product_id,
                        "title": "criteo-catalog-sdk contract test product",
                        "link": f"https://example.com/products/{product_id}",
                        "imageLink": f"https://example.com/images/{product_id}.jpg",
                        "channel": "online",
                        "expirationDate": time.strftime("%Y-%m-%d", time.gmtime(time.time() + 2 * 86_400)),
                    },
                }
            ]
        }
        # Strict in what we send: the request itself must satisfy both specs.
        problems = specs.strict_request_errors(self.published, "post", self.where.batch_path, body)
        problems += specs.strict_request_errors(self.effective, "post", self.where.batch_path, body)
        if problems:
            raise RuntimeError(f"the live check's own request breaks a spec: {problems}")
        accepted = self._post_batch("batch-submit", body, {202})
        token = accepted.body.get("operationToken") if isinstance(accepted.body, dict) else None
        if accepted.status != 202 or not isinstance(token, str) or not token:
            return
        path = self.where.report_path(token)
        # The overlay's link feeds operationToken to the report's path parameter: it must fit there.
        unusable = specs.parameter_errors(self.effective, "get", self.where.report_template, path)
        if unusable:
            accepted.effective_errors.append(
                f"operationToken cannot be the report's {self.where.report_parameter} (the GetReport link): "
                + "; ".join(unusable)
            )
        self._follow_report(path, product_id)

    def _follow_report(self, path: str, product_id: str) -> None:
        deadline, wait = time.monotonic() + self.settings.report_deadline, self.settings.poll_interval
        seen: list[str] = []
        while time.monotonic() < deadline:
            time.sleep(min(wait, max(0.0, deadline - time.monotonic())))
            wait = min(max(wait, 0.05) * 1.5, 30.0)
            observed = self._get(
                "batch-report", self.where.report_template, path, {200, *RETRYABLE_STATUSES}, headers=self._auth()
            )
            if observed.violates or observed.status is None:
                return  # broken: polling on would only repeat it (or last until the deadline)
            if observed.status != 200 or not isinstance(observed.body, dict):
                continue
            status = observed.body.get("status")
            seen.append(str(status))
            if status in TERMINAL:
                self._check_final_report(observed, product_id, seen)
                return
        self.observations.append(
            Observation(
                "batch-report",
                f"GET {path}",
                None,
                None,
                expectation_errors=[f"no final status within {self.settings.report_deadline:g} s (saw {seen})"],
            )
        )

    @staticmethod
    def _check_final_report(observation: Observation, product_id: str, seen: list[str]) -> None:
        """Facts section 6: the counters of a one-product batch, ids lower-cased. Notes, not violations."""
        body = observation.body
        in_batch = body.get("numberOfProductsInTheBatch")
        if in_batch is not None and str(in_batch) != "1":
            observation.notes.append(f"numberOfProductsInTheBatch is {in_batch!r} for a one-product batch")
        for detail in body.get("errorDetails") or []:
            if isinstance(detail, dict) and detail.get("productId") not in (product_id.lower(), product_id):
                observation.notes.append(f"errorDetails names product {detail.get('productId')!r}, not ours")
        order = ["ACCEPTED", "IN_PROGRESS", "FINAL"]
        ranks = [order.index(s) if s in order else 2 for s in seen]
        if ranks != sorted(ranks):
            observation.notes.append(f"statuses went backwards: {seen}")

    def check_fuzz(self) -> None:
        """Optional: schemathesis on the GET operations with the live token (positive data, bounded)."""
        if self.settings.fuzz_examples <= 0:
            return
        from contract_tests.harness import HarnessSettings, run

        settings = HarnessSettings(
            max_examples=self.settings.fuzz_examples, mode="positive", phases=("coverage", "fuzzing"), read_only=True
        )
        result = run(base_url=self.settings.base_url, token=self._token, settings=settings, api_version=self.where.name)
        for finding in result.findings:
            self.observations.append(
                Observation(
                    f"fuzz:{finding.check}",
                    finding.request or finding.operation,
                    finding.status,
                    finding.response_excerpt,
                    effective_errors=[f"{finding.title}: {(finding.message.strip().splitlines() or [''])[0]}"],
                )
            )
        for error in result.errors:
            self.observations.append(Observation("fuzz:error", "", None, None, expectation_errors=[error[:500]]))

    def run(self) -> list[Observation]:
        """Run every check the settings allow."""
        if self.check_token():
            self.check_without_token()
            self.check_malformed_report_token()
            self.check_unknown_report_token()
            self.check_stats()
            self.check_write_and_report()
            self.check_fuzz()
        return self.observations


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


def main(env: Mapping[str, str] | None = None, argv: Sequence[str] = ()) -> int:
    """Run the live checks; 0 when the server conforms (or no credentials), 1 on a violation, 2 if unreachable
    or the generation is unknown."""
    parser = argparse.ArgumentParser(prog="python -m contract_tests.live", description="Live conformance run.")
    parser.add_argument(
        "--api-version", default=None, help=f"the API generation to check (default: ${ENV_API_VERSION})"
    )
    args = parser.parse_args(list(argv))
    settings = Settings.from_env(dict(os.environ if env is None else env), api_version=args.api_version)
    if settings is not None:
        try:
            specs.generation(settings.api_version)
        except ConfigurationError as exc:
            print(f"live contract tests: {exc}", file=sys.stderr)
            return 2
    if settings is None:
        print("live contract tests skipped: set CRITEO_CLIENT_ID and CRITEO_CLIENT_SECRET (and CRITEO_API_URL,")
        print("CRITEO_TEST_MERCHANT_ID, CRITEO_CONTRACT_ALLOW_WRITES=1 for more) to check a live server.")
        return 0
    try:
        with httpx.Client(base_url=settings.base_url, timeout=30.0) as http:
            live = LiveRun(settings, http)
            observations = live.run()
    except httpx.HTTPError as exc:
        print(f"live contract tests: cannot talk to {settings.base_url}: {type(exc).__name__}", file=sys.stderr)
        return 2
    md_path, _ = write_reports(settings, observations, live.skipped)
    violations = [o for o in observations if o.violates]
    print(f"{settings.base_url}, API generation {live.where.name}:")
    for o in observations:
        mark = "FAIL" if o.violates else "ok  "
        print(f"{mark} {o.check:24} {o.request[:70]:70} -> {o.status}")
        for error in o.effective_errors + o.expectation_errors:
            print(f"       violation: {error}")
    for reason in live.skipped:
        print(f"skip {reason}")
    deviations = deviation_table(observations)
    print(f"{len(violations)} violation(s), {len(deviations)} deviation(s) from the published spec; report: {md_path}")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main(argv=sys.argv[1:]))
