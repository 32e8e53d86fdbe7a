"""The simulated Criteo Catalog API, without any transport: requests in, :class:`Reply` out.

The ASGI layer (``app.py``) only reads bodies, routes and applies transport faults; every decision
about what Criteo would answer is taken here, so it is unit-tested without a network.
"""

from __future__ import annotations

import math
import re
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote

from criteo_catalog_sdk.ids import as_merchant_id
from criteo_catalog_sdk.simulator import errors, operation_token
from criteo_catalog_sdk.simulator.auth import Authenticator, OAuthError, parse_token_request
from criteo_catalog_sdk.simulator.catalog import WindowCounters
from criteo_catalog_sdk.simulator.clock import AdjustableClock
from criteo_catalog_sdk.simulator.config import Settings
from criteo_catalog_sdk.simulator.faults import FaultPlan
from criteo_catalog_sdk.simulator.generations import Generation, build_generations, check_served
from criteo_catalog_sdk.simulator.lifecycle import gone_problem, lifecycle_headers
from criteo_catalog_sdk.simulator.operations import Timing, build_operation
from criteo_catalog_sdk.simulator.products import ProductLimits
from criteo_catalog_sdk.simulator.ratelimit import RateDecision, RateLimiter
from criteo_catalog_sdk.simulator.replies import (
    Reply,
    RequestRecord,
    error_reply,
    json_reply,
    payload_too_large,
    with_call_budget,
)
from criteo_catalog_sdk.simulator.reports import render_report, render_stats
from criteo_catalog_sdk.simulator.routes import Route
from criteo_catalog_sdk.simulator.state import AccessToken, Store
from criteo_catalog_sdk.simulator.validation import (
    InvalidJson,
    json_format_problem,
    merchant_id_of,
    parse_json,
)

# The report endpoint answers 413 for "a corrupted token such as the payload is really too heavy".
MAX_OPERATION_TOKEN_LENGTH = 4096
DEFAULT_LAST_NUM_HOURS = 24
MAX_LAST_NUM_HOURS = 1000


@dataclass
class CatalogService:
    """Criteo's behaviour: tokens, batches, reports, stats, and the state behind them."""

    settings: Settings
    store: Store
    clock: AdjustableClock = field(default_factory=AdjustableClock)
    faults: FaultPlan = field(default_factory=FaultPlan)
    # Served generations by name, each with its own validator; one backend (store, tokens) for all.
    generations: dict[str, Generation] = field(default_factory=build_generations)
    requests: deque[RequestRecord] = field(default_factory=lambda: deque(maxlen=10_000))

    def __post_init__(self) -> None:
        self.auth = Authenticator(self.store)
        check_served(self.settings.lifecycle_generations, self.generations)
        self._rebuild_limiters()

    # --- settings -------------------------------------------------------------------------------------
    def _rebuild_limiters(self) -> None:
        self.product_limiter = RateLimiter(self.settings.rate_limit)
        self.call_limiter = RateLimiter(self.settings.calls_per_minute / 60.0, burst_seconds=60.0)

    def configure(self, settings: Settings) -> None:
        """Replace the runtime settings (rate-limit buckets restart full when a rate changes)."""
        check_served(settings.lifecycle_generations, self.generations)
        old = self.settings
        self.settings = settings
        if (old.rate_limit, old.calls_per_minute) != (settings.rate_limit, settings.calls_per_minute):
            self._rebuild_limiters()

    def reset(self, settings: Settings | None = None) -> None:
        """Forget all state, faults and clock changes; optionally install new settings."""
        self.store.reset()
        self.requests.clear()
        self.faults.clear()
        self.faults.reseed(self.faults.seed)
        self.clock.reset()
        if settings is not None:
            self.settings = settings
        self._rebuild_limiters()

    def now(self) -> float:
        """Simulated time."""
        return self.clock.now()

    def settle(self) -> None:
        """Apply the catalog changes of every operation processed by now."""
        self.store.apply_due(self.now())

    # --- OAuth ----------------------------------------------------------------------------------------
    def token(self, body: bytes, content_type: str, authorization: str | None) -> Reply:
        """POST /oauth2/token."""
        try:
            request = parse_token_request(body, content_type, authorization)
            answer = self.auth.issue(request, self.settings, self.now())
        except OAuthError as exc:
            headers = (("www-authenticate", 'Basic realm="criteo-simulator"'),) if exc.status == 401 else ()
            return json_reply(exc.status, exc.body(), (*headers, ("cache-control", "no-store")))
        return json_reply(200, answer, (("cache-control", "no-store"), ("pragma", "no-cache")))

    def authenticate(self, authorization: str | None, instance: str) -> AccessToken | Reply:
        """The caller's access token, or the 401 to answer."""
        token = self.auth.verify(authorization, self.settings, self.now())
        if token is None:
            return error_reply(401, [errors.not_authenticated()], instance)
        return token

    def revoke(self, authorization: str | None) -> int:
        """Revoke the access token presented in an Authorization header (fault injection)."""
        if authorization and authorization[:7].lower() == "bearer ":
            return self.store.revoke_tokens(authorization[7:].strip())
        return 0

    # --- API calls ----------------------------------------------------------------------------------------
    def api_call(
        self,
        route: Route,
        authorization: str | None,
        instance: str,
        query: str = "",
        body: bytes = b"",
        record: RequestRecord | None = None,
        *,
        lose: bool = False,
    ) -> Reply:
        """One call of a batch, report or stats route: authentication, the application's call budget
        (every authenticated call spends it, and every answer then carries its ``x-ratelimit-*``, except a
        429 of the product budget, which describes that budget), then the operation. ``lose``: a report
        call loses its operation first (fault injection)."""
        principal = self.authenticate(authorization, instance)
        if isinstance(principal, Reply):
            return principal
        if record is not None:
            record.client_id = principal.client_id
        decision = self.spend_call(principal)
        if decision is not None and not decision.allowed:
            return self.rate_limited(decision, instance)
        if route.name == "batch":
            reply = self.submit(principal, body, instance, str(route.generation))
        elif route.name == "report":
            operation_id = self.operation_of(route.argument) if lose else None
            if operation_id is not None:
                self.store.mark_lost(operation_id)
            reply = self.report(principal, route.argument, instance)
        else:
            reply = self.stats(principal, route.argument, query, instance)
        return reply if decision is None else with_call_budget(reply, self.rate_headers(decision))

    # --- budgets --------------------------------------------------------------------------------------
    def spend_call(self, principal: AccessToken) -> RateDecision | None:
        """Count one API call against the caller's application budget (None when the budget is off)."""
        return self.call_limiter.take_all({principal.client_id: 1}, self.now())

    def rate_headers(self, decision: RateDecision) -> list[tuple[str, str]]:
        """``x-ratelimit-*`` describing ``decision`` (and ``Retry-After`` on a refusal, when enabled)."""
        headers = [
            ("x-ratelimit-limit", str(decision.limit)),
            ("x-ratelimit-remaining", str(decision.remaining)),
            ("x-ratelimit-reset", str(int(decision.reset_at))),
        ]
        if not decision.allowed and self.settings.retry_after_header:
            headers.append(("retry-after", str(decision.retry_after_seconds)))
        return headers

    def rate_limited(self, decision: RateDecision, instance: str) -> Reply:
        """429 stating the wait in its title, with the x-ratelimit-* headers of the limit that refused."""
        problem = errors.too_many_requests(decision.retry_after_seconds)
        return error_reply(429, [problem], instance, self.rate_headers(decision))

    def injected_429(self, instance: str) -> Reply:
        """A 429 decided by the fault plan (one-second wait)."""
        now = self.now()
        limit = math.floor(self.settings.rate_limit) or 1
        return self.rate_limited(RateDecision(False, limit, 0, 1.0, math.ceil(now + 1.0)), instance)

    # --- generations ----------------------------------------------------------------------------------
    def lifecycle_headers(self, api_version: str) -> tuple[tuple[str, str], ...]:
        """``Deprecation``/``Sunset`` when the generation is deprecated, else nothing."""
        return lifecycle_headers(api_version, self.settings.deprecated)

    def gone(self, api_version: str, instance: str) -> Reply | None:
        """The 410 every call of a decommissioned generation gets (None while it is served)."""
        decommissioned = self.settings.decommissioned
        if api_version not in decommissioned:
            return None
        served = tuple(name for name in self.generations if name not in decommissioned)
        return error_reply(410, [gone_problem(api_version, served)], instance)

    # --- batch ----------------------------------------------------------------------------------------
    def submit(self, principal: AccessToken, body: bytes, instance: str, api_version: str) -> Reply:
        """The batch operation of generation ``api_version``, judged by that generation's effective spec
        (the body is already known to be under the size limit)."""
        validator = self.generations[api_version].validator
        try:
            data = parse_json(body)
            problems = validator.validate(data)
            if problems:  # judged again on the exact parse (integers beyond 64 bits), for the exact message
                data = parse_json(body, exact=True)
                problems = validator.validate(data)
        except InvalidJson as exc:
            problem = json_format_problem(str(exc))
            return error_reply(400, [errors.batch_problem(problem.code, problem.detail)], instance)
        if problems:
            return error_reply(400, [errors.batch_problem(p.code, p.detail) for p in problems], instance)
        entries: list[dict[str, Any]] = data["entries"]
        demand = Counter(merchant_id_of(entry) for entry in entries)
        for merchant in demand:
            if not self.auth.may_manage(self.settings, principal.client_id, merchant):
                return error_reply(403, [errors.not_authorized()], instance)
        now = self.now()
        # Apply what earlier batches did as they finish, so pending changes never pile up in memory.
        self.store.apply_due(now)
        decision = self.product_limiter.take_all(demand, now)
        if decision is not None and not decision.allowed:
            return self.rate_limited(decision, instance)
        operation_id = str(uuid.uuid4())
        partner = merchant_id_of(entries[0])
        timing = Timing(
            self.settings.accepted_seconds, self.settings.processing_seconds, self.settings.retention_seconds
        )
        claims = operation_token.OperationClaims(partner, operation_id, int(now + timing.retention_seconds))
        token = operation_token.encode(claims)
        operation = build_operation(
            entries,
            operation_id=operation_id,
            token=token,
            client_id=principal.client_id,
            now=now,
            timing=timing,
            limits=ProductLimits(self.settings.max_id_length),
        )
        self.store.add_operation(operation)
        if "202-without-token" in self.settings.break_contract:  # TEST-ONLY fault (config.CONTRACT_BREAKS)
            return json_reply(202, {}, products=len(entries))
        return json_reply(202, {"operationToken": token}, products=len(entries))

    # --- report ---------------------------------------------------------------------------------------
    def operation_of(self, raw_token: str) -> str | None:
        """The operation id named by a raw (path-escaped) operation token, if it decodes."""
        try:
            return operation_token.decode(unquote(raw_token)).operation_id
        except operation_token.MalformedToken:
            return None

    def report(self, principal: AccessToken, raw_token: str, instance: str) -> Reply:
        """The report operation (any generation: operations are shared)."""
        if len(raw_token) > MAX_OPERATION_TOKEN_LENGTH:
            return payload_too_large()
        token = unquote(raw_token)
        try:
            claims = operation_token.decode(token)
        except operation_token.MalformedToken:
            if operation_token.has_token_shape(token):
                # Shaped like a token (the effective spec's pattern) but naming no operation we could
                # have issued: unknown, as Criteo answers for operations it cannot find.
                return error_reply(404, [errors.operation_not_found(token)], instance)
            return error_reply(400, [errors.malformed_operation_token()], instance)
        if not self.auth.may_manage(self.settings, principal.client_id, claims.partner_id):
            return error_reply(403, [errors.not_authorized()], instance)
        operation = self.store.get_operation(claims.operation_id)
        if operation is None or operation.lost or operation.merchant_id != claims.partner_id:
            return error_reply(404, [errors.operation_not_found(claims.operation_id)], instance)
        now = self.now()
        if operation.expired(now):
            return error_reply(400, [errors.report_expired(operation.operation_id)], instance)
        body = render_report(operation, now, self.settings.response_shape)
        breaks = self.settings.break_contract
        if breaks:  # TEST-ONLY faults (config.CONTRACT_BREAKS)
            if "report-status-outside-enum" in breaks:
                body["status"] = "COMPLETED"
            if "counter-not-numeric" in breaks:
                body["numberOfProductsInTheBatch"] = "n/a"
        return json_reply(200, body)

    # --- stats ----------------------------------------------------------------------------------------
    def stats(self, principal: AccessToken, raw_merchant: str, query: str, instance: str) -> Reply:
        """The stats operation (``?lastNumHours=N``), where a generation has one."""
        text = unquote(raw_merchant)
        # Not a merchant id at all: no merchant these credentials may manage (403). A 400 would be as
        # plausible, but the spec types merchant-id as a bare string, so any text is a valid request.
        merchant = as_merchant_id(text) or 0
        hours = DEFAULT_LAST_NUM_HOURS
        values = parse_qs(query, keep_blank_values=True).get("lastNumHours")
        if values is not None:
            value = values[0].strip()
            if not re.fullmatch(r"[+-]?[0-9]+", value) or not 1 <= int(value) <= MAX_LAST_NUM_HOURS:
                detail = f"lastNumHours: expected an integer from 1 to {MAX_LAST_NUM_HOURS}"
                return error_reply(400, [errors.invalid_parameter(detail)], instance)
            hours = int(value)
        if not self.auth.may_manage(self.settings, principal.client_id, merchant):
            return error_reply(403, [errors.not_authorized()], instance)
        now = self.now()
        self.store.apply_due(now)
        start = now - hours * 3600
        window = self.store.window(merchant, start, now) if hours else WindowCounters()
        body = render_stats(self.store.counters(merchant), window, start, now, self.settings.response_shape)
        if "counter-not-numeric" in self.settings.break_contract:  # TEST-ONLY fault (config.CONTRACT_BREAKS)
            for record in body["data"]["statisticsRecordList"]:
                record["total"] = "n/a"
        return json_reply(200, body)
