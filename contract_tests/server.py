"""Check any server that claims to be Criteo's Catalog API against the effective spec, with schemathesis.

    python -m contract_tests.server --base-url http://127.0.0.1:8787 --token TOKEN
    python -m contract_tests.server --base-url https://api.criteo.com \\
        --client-id ID --client-secret SECRET            # read-only unless --allow-writes
    python -m contract_tests.server ... --api-version 2027-01   # another API generation's spec and paths

Every phase (examples, coverage, fuzzing, stateful), every check (``contract_tests.hooks`` replaces
``positive_data_acceptance`` by its narrow variant), positive and negative data, seeded and bounded: see
``contract_tests.harness``. Writes JUnit XML (``--junit``, default ``reports/contract-server-junit.xml``).

Without ``--token``, a token is fetched from ``BASE_URL/oauth2/token`` with the client credentials
(``--client-id``/``--client-secret``, or ``CRITEO_CLIENT_ID``/``CRITEO_CLIENT_SECRET``). Against anything
but a loopback address the run is **read-only** (GET operations only: fuzzing the batch endpoint would
write products into a real catalog) unless ``--allow-writes`` says otherwise.

Exit status: 0 when every check passed, 1 when some failed (each is printed with a reproduction),
2 when the run could not be made (no token, server unreachable, bad arguments).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from contract_tests import specs
from contract_tests.harness import DEFAULT_SEED, MODES, PHASES, HarnessSettings, Spec, run, write_junit
from contract_tests.specs import ROOT, TOKEN_PATH
from criteo_catalog_sdk.api_versions import ENV_API_VERSION
from criteo_catalog_sdk.config import is_loopback_host
from criteo_catalog_sdk.errors import ConfigurationError

DEFAULT_JUNIT = ROOT / "reports" / "contract-server-junit.xml"


def is_loopback(base_url: str) -> bool:
    """True for ``localhost`` and loopback IP addresses (the SDK's own rule)."""
    return is_loopback_host(urlsplit(base_url).hostname or "")


def fetch_token(base_url: str, client_id: str, client_secret: str, timeout: float = 30.0) -> str:
    """An access token from ``base_url``'s OAuth2 client-credentials endpoint; RuntimeError otherwise."""
    response = httpx.post(
        base_url.rstrip("/") + TOKEN_PATH,
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret},
        timeout=timeout,
    )
    try:
        token = response.json().get("access_token")
    except (ValueError, AttributeError):
        token = None
    if response.status_code != 200 or not isinstance(token, str) or not token:
        raise RuntimeError(f"the token endpoint answered {response.status_code} without an access_token")
    return token


def parser() -> argparse.ArgumentParser:
    """The command line."""
    p = argparse.ArgumentParser(prog="python -m contract_tests.server", description=__doc__.split("\n\n")[0])
    p.add_argument("--base-url", default=None, help="API root (default: $CRITEO_API_URL)")
    p.add_argument("--token", default=None, help="bearer token (default: fetched with the client credentials)")
    p.add_argument("--client-id", default=None, help="default: $CRITEO_CLIENT_ID")
    p.add_argument("--client-secret", default=None, help="default: $CRITEO_CLIENT_SECRET")
    p.add_argument(
        "--api-version",
        default=None,
        help=f"the API generation whose spec and paths to check (default: ${ENV_API_VERSION})",
    )
    p.add_argument("--spec", default="effective", help="effective (default), published, or a path")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--max-examples", type=int, default=10, help="per operation and phase")
    p.add_argument("--mode", choices=MODES, default="all")
    p.add_argument("--phases", default=",".join(PHASES), help=f"comma list of {', '.join(PHASES)}")
    p.add_argument("--max-failures", type=int, default=None)
    p.add_argument("--request-timeout", type=float, default=10.0)
    writes = p.add_mutually_exclusive_group()
    writes.add_argument("--read-only", action="store_true", help="GET operations only")
    writes.add_argument("--allow-writes", action="store_true", help="also fuzz the batch endpoint of a remote server")
    p.add_argument("--junit", type=Path, default=DEFAULT_JUNIT, help="JUnit XML report path")
    return p


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Run the contract checks; 0 when all pass, 1 on failures, 2 when the run could not be made."""
    env = os.environ if env is None else env
    args = parser().parse_args(argv)
    base_url = (args.base_url or env.get("CRITEO_API_URL") or "").rstrip("/")
    if not base_url:
        print("contract_tests.server: --base-url (or CRITEO_API_URL) is required", file=sys.stderr)
        return 2
    try:
        where = specs.generation(args.api_version or env.get(ENV_API_VERSION, "").strip() or None)
    except ConfigurationError as exc:
        print(f"contract_tests.server: {exc}", file=sys.stderr)
        return 2
    spec: Spec | None = {"effective": None, "published": where.published()}.get(args.spec, Path(args.spec))
    spec_name = f"{where.name} {args.spec} spec" if args.spec in ("effective", "published") else None
    try:
        settings = HarnessSettings(
            seed=args.seed,
            max_examples=args.max_examples,
            mode=args.mode,
            phases=tuple(p.strip() for p in args.phases.split(",") if p.strip()),
            read_only=args.read_only or not (args.allow_writes or is_loopback(base_url)),
            request_timeout=args.request_timeout,
            max_failures=args.max_failures,
        )
    except ValueError as exc:
        print(f"contract_tests.server: {exc}", file=sys.stderr)
        return 2
    token = args.token or env.get("CRITEO_ACCESS_TOKEN")
    if not token:
        client_id = args.client_id or env.get("CRITEO_CLIENT_ID", "")
        secret = args.client_secret or env.get("CRITEO_CLIENT_SECRET", "")
        if not client_id or not secret:
            print("contract_tests.server: give --token, or client credentials to fetch one", file=sys.stderr)
            return 2
        try:
            token = fetch_token(base_url, client_id, secret)
        except (httpx.HTTPError, RuntimeError) as exc:
            print(f"contract_tests.server: no token from {base_url}: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 2
    if settings.read_only:
        print("contract_tests.server: read-only run (GET operations only)")
    result = run(
        base_url=base_url, token=token, settings=settings, spec=spec, api_version=where.name, spec_name=spec_name
    )
    junit = write_junit(result, args.junit)
    print(result.summary())
    print(f"JUnit report: {junit}")
    if result.errors and not result.findings and not sum(result.responses.values()):
        return 2  # not one answer: the server is unreachable (or the schema could not be loaded)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
