"""Live conformance run: check a real server (Criteo, or any server claiming to be it) against the spec.

    make contract-test-live            # or: python -m contract_tests.live

Environment: ``CRITEO_API_URL`` (default ``https://api.criteo.com``), ``CRITEO_CLIENT_ID``,
``CRITEO_CLIENT_SECRET``, optionally ``CRITEO_TEST_MERCHANT_ID`` (stats, and the target of writes)
and ``CRITEO_CONTRACT_ALLOW_WRITES=1`` (submit a one-product batch and follow its report).

Read-only checks: the token endpoint; a call without a token; the report of a malformed token and
of a well-formed unknown one; the merchant's stats. Every answer is validated against the
**effective** spec (``openapi/catalog.yaml``: a failure there is a violation, exit 1) and the
**published** one (``openapi/published.yaml``: a failure there is a deviation, recorded with its
evidence as input for new overlay actions). Reports go to ``reports/conformance.{md,json}``.
Without credentials the run is skipped with a message and exit 0.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from spec_tools.validation import request_errors, response_errors
from spec_tools.yamlio import load_document

ROOT = Path(__file__).resolve().parent.parent
BATCH_PATH = "/preview/catalog/products/batch"
REPORT_TEMPLATE = "/preview/catalog/products/batch/report/{operation-token}"
STATS_TEMPLATE = "/preview/catalog/stats/merchants/{merchant-id}"
TERMINAL = {"VALIDATED", "VALIDATED_WITH_ERRORS", "FAILED"}
EXCERPT = 2000


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

    @classmethod
    def from_env(cls, env: dict[str, str]) -> Settings | None:
        """None when the credentials are missing (the run is then skipped)."""
        client_id, secret = env.get("CRITEO_CLIENT_ID", ""), env.get("CRITEO_CLIENT_SECRET", "")
        if not client_id or not secret:
            return None
        return cls(
            base_url=env.get("CRITEO_API_URL", "https://api.criteo.com").rstrip("/"),
            client_id=client_id,
            client_secret=secret,
            merchant_id=env.get("CRITEO_TEST_MERCHANT_ID") or None,
            allow_writes=env.get("CRITEO_CONTRACT_ALLOW_WRITES") == "1",
            report_deadline=float(env.get("CRITEO_CONTRACT_REPORT_DEADLINE", "600")),
            out_dir=Path(env.get("CRITEO_CONTRACT_REPORTS", str(ROOT / "reports"))),
        )

    def __repr__(self) -> str:
        return f"Settings(base_url={self.base_url!r}, merchant_id={self.merchant_id!r}, client_secret=<redacted>)"


def _decode(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return {"<not JSON>": response.text[:EXCERPT]}


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
        self.effective = load_document(ROOT / "openapi" / "catalog.yaml")
        self.published = load_document(ROOT / "openapi" / "published.yaml")
        self.observations: list[Observation] = []
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
        observation = Observation(check, f"{method} {path}", response.status_code, body)
        observation.effective_errors = response_errors(self.effective, method, template, response.status_code, body)
        observation.published_errors = response_errors(self.published, method, template, response.status_code, body)
        if body is not None and "json" not in response.headers.get("content-type", ""):
            observation.effective_errors.append(
                f"Content-Type {response.headers.get('content-type')!r} for a JSON body"
            )
        if expected is not None and response.status_code not in expected:
            observation.expectation_errors.append(
                f"expected status {sorted(expected)} (Criteo's documented behaviour), got {response.status_code}"
            )
        self.observations.append(observation)
        return observation

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

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
            problems.append(f"token endpoint answered {response.status_code}")
        elif not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
            problems.append("token answer has no string access_token")
        else:
            if str(body.get("token_type", "")).lower() != "bearer":
                problems.append(f"token_type is {body.get('token_type')!r}, expected Bearer")
            if not isinstance(body.get("expires_in"), int) or body["expires_in"] <= 0:
                problems.append(f"expires_in is {body.get('expires_in')!r}, expected a positive integer")
            self._token = body["access_token"]
        # Never keep the token itself in the report.
        shown = {k: ("<redacted>" if "token" in k else v) for k, v in body.items()} if isinstance(body, dict) else body
        self.observations.append(
            Observation("token", "POST /oauth2/token", response.status_code, shown, expectation_errors=problems)
        )
        return self._token is not None

    def check_without_token(self) -> None:
        """A call without a token: 401 with the error envelope (facts section 4)."""
        path = REPORT_TEMPLATE.replace("{operation-token}", quote(unknown_operation_token(0), safe=""))
        response = self.http.get(path)
        self._observe("no-token", "get", REPORT_TEMPLATE, path, response, expected={401})

    def check_malformed_report_token(self) -> None:
        """GET report/invalidToken: 400 catalog-operation-token-is-malformed (seed 001, report 400)."""
        path = REPORT_TEMPLATE.replace("{operation-token}", "invalidToken")
        response = self.http.get(path, headers=self._auth())
        self._observe("report-malformed-token", "get", REPORT_TEMPLATE, path, response, expected={400})

    def check_unknown_report_token(self) -> None:
        """GET report of a well-formed unknown token: 404 (seed 001, report 404) or 403 (other partner)."""
        partner = int(self.settings.merchant_id) if (self.settings.merchant_id or "").isdigit() else 0
        path = REPORT_TEMPLATE.replace("{operation-token}", quote(unknown_operation_token(partner), safe=""))
        response = self.http.get(path, headers=self._auth())
        self._observe("report-unknown-token", "get", REPORT_TEMPLATE, path, response, expected={403, 404})

    def check_stats(self) -> None:
        """GET stats of the test merchant over 24 hours: 200 with the statistics body."""
        merchant = self.settings.merchant_id
        if merchant is None:
            return
        path = STATS_TEMPLATE.replace("{merchant-id}", quote(merchant, safe=""))
        response = self.http.get(path, params={"lastNumHours": 24}, headers=self._auth())
        self._observe("stats", "get", STATS_TEMPLATE, f"{path}?lastNumHours=24", response, expected={200})

    def check_write_and_report(self) -> None:
        """Submit a one-product batch (published form) and follow its report to a terminal status."""
        merchant = self.settings.merchant_id
        if not (self.settings.allow_writes and merchant and merchant.isdigit()):
            return
        product_id = f"criteo-catalog-sdk-contract-{uuid.uuid4().hex[:12]}"
        body = {
            "entries": [
                {
                    "merchantId": int(merchant),
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
        # Strict in what we send: the request itself must satisfy the published spec.
        problems = request_errors(self.published, "post", BATCH_PATH, body)
        if problems:
            raise RuntimeError(f"the live check's own request breaks the published spec: {problems}")
        response = self.http.post(BATCH_PATH, json=body, headers=self._auth())
        accepted = self._observe("batch-submit", "post", BATCH_PATH, BATCH_PATH, response, expected={202})
        token = accepted.body.get("operationToken") if isinstance(accepted.body, dict) else None
        if response.status_code != 202 or not isinstance(token, str):
            return
        path = REPORT_TEMPLATE.replace("{operation-token}", quote(token, safe=""))
        deadline, wait = time.monotonic() + self.settings.report_deadline, 3.0
        while time.monotonic() < deadline:
            time.sleep(min(wait, max(0.0, deadline - time.monotonic())))
            wait = min(wait * 1.5, 30.0)
            report = self.http.get(path, headers=self._auth())
            observed = self._observe("batch-report", "get", REPORT_TEMPLATE, path, report, expected={200, 429, 503})
            if (
                report.status_code == 200
                and isinstance(observed.body, dict)
                and observed.body.get("status") in TERMINAL
            ):
                return
        self.observations.append(
            Observation("batch-report", f"GET {path}", None, None, expectation_errors=["no terminal status in time"])
        )

    def run(self) -> list[Observation]:
        """Run every check the settings allow."""
        if self.check_token():
            self.check_without_token()
            self.check_malformed_report_token()
            self.check_unknown_report_token()
            self.check_stats()
            self.check_write_and_report()
        return self.observations


def _excerpt(body: Any) -> str:
    text = json.dumps(body, sort_keys=True) if body is not None else "(no body)"
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "..."


def write_reports(settings: Settings, observations: list[Observation]) -> tuple[Path, Path]:
    """Write the conformance report as Markdown (for people) and JSON (for tools)."""
    settings.out_dir.mkdir(parents=True, exist_ok=True)
    violations = [o for o in observations if o.violates]
    deviations = [o for o in observations if o.published_errors]
    payload = {
        "server": settings.base_url,
        "checked_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "conforms_to_effective_spec": not violations,
        "violations": [asdict(o) for o in violations],
        "published_spec_deviations": [asdict(o) for o in deviations],
        "observations": [asdict(o) for o in observations],
    }
    json_path = settings.out_dir / "conformance.json"
    json_path.write_text(json.dumps(payload, indent=2, sort_keys=True), encoding="utf-8")
    lines = [
        f"# Conformance of {settings.base_url}",
        "",
        f"Checked at {payload['checked_at']}: {len(observations)} exchanges, {len(violations)} violations of the "
        f"effective spec or documented behaviour, {len(deviations)} deviations from the published spec.",
        "",
        "| check | request | status | effective spec | published spec |",
        "|---|---|---|---|---|",
    ]
    for o in observations:
        effective = "; ".join(o.effective_errors + o.expectation_errors) or "ok"
        published = "; ".join(o.published_errors) or "ok"
        lines.append(f"| {o.check} | `{o.request[:80]}` | {o.status} | {effective} | {published} |")
    if deviations:
        lines += ["", "## Deviations from the published spec (candidate overlay actions)", ""]
        for o in deviations:
            lines += [f"### {o.check}: `{o.request[:120]}` -> {o.status}", ""]
            lines += [f"- {error}" for error in o.published_errors]
            lines += ["", "Evidence (response body):", "", "```json", _excerpt(o.body), "```", ""]
    md_path = settings.out_dir / "conformance.md"
    md_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return md_path, json_path


def main(env: dict[str, str] | None = None) -> int:
    """Run the live checks; 0 when the server conforms (or no credentials), 1 on a violation, 2 if unreachable."""
    settings = Settings.from_env(dict(os.environ if env is None else env))
    if settings is None:
        print("live contract tests skipped: set CRITEO_CLIENT_ID and CRITEO_CLIENT_SECRET (and CRITEO_API_URL,")
        print("CRITEO_TEST_MERCHANT_ID, CRITEO_CONTRACT_ALLOW_WRITES=1 for more) to check a live server.")
        return 0
    try:
        with httpx.Client(base_url=settings.base_url, timeout=30.0) as http:
            observations = LiveRun(settings, http).run()
    except httpx.HTTPError as exc:
        print(f"live contract tests: cannot talk to {settings.base_url}: {type(exc).__name__}", file=sys.stderr)
        return 2
    md_path, _ = write_reports(settings, observations)
    violations = [o for o in observations if o.violates]
    for o in observations:
        mark = "FAIL" if o.violates else "ok  "
        print(f"{mark} {o.check:24} {o.request[:70]:70} -> {o.status}")
        for error in o.effective_errors + o.expectation_errors:
            print(f"       violation: {error}")
    print(f"{len(violations)} violation(s); report: {md_path}")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
