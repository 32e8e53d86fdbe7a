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

This module is the command; the settings and observations are in ``live_settings``, the checks in
``live_run``, the reports in ``live_report``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence

import httpx

from contract_tests import specs
from contract_tests.live_report import deviation_table, write_reports
from contract_tests.live_run import LiveRun
from contract_tests.live_settings import Settings
from criteo_catalog_sdk.api_versions import ENV_API_VERSION
from criteo_catalog_sdk.errors import ConfigurationError


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
