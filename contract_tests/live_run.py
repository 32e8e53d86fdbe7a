"""The live conformance run's checks, in order: token, no token, malformed and unknown report tokens, stats,
the documented rejections and a one-product write followed to its report, and the optional fuzzing."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx

from contract_tests import spec_checks, specs
from contract_tests.live_settings import Observation, Settings, decode_body, shown_body, unknown_operation_token
from contract_tests.specs import TERMINAL_STATUSES

TERMINAL = set(TERMINAL_STATUSES)
RETRYABLE_STATUSES = {429, 500, 502, 503, 504}


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
        body = decode_body(response)
        content_type = response.headers.get("content-type")
        headers = dict(response.headers)
        status = response.status_code
        observation = Observation(check, f"{method.upper()} {path}", status, shown_body(body, response))
        effective = spec_checks.response_problems(
            self.effective, method, template, status, body, content_type=content_type, headers=headers
        )
        published = spec_checks.response_problems(
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
        body = decode_body(response)
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
        shown = shown_body(body, response)
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
        problems = spec_checks.strict_request_errors(self.published, "post", self.where.batch_path, body)
        problems += spec_checks.strict_request_errors(self.effective, "post", self.where.batch_path, body)
        if problems:
            raise RuntimeError(f"the live check's own request breaks a spec: {problems}")
        accepted = self._post_batch("batch-submit", body, {202})
        token = accepted.body.get("operationToken") if isinstance(accepted.body, dict) else None
        if accepted.status != 202 or not isinstance(token, str) or not token:
            return
        path = self.where.report_path(token)
        # The overlay's link feeds operationToken to the report's path parameter: it must fit there.
        unusable = spec_checks.parameter_errors(self.effective, "get", self.where.report_template, path)
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
