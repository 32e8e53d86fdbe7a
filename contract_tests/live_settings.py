"""What the live conformance run reads from the environment, and what it records of each exchange."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from contract_tests import spec_checks
from contract_tests.specs import ROOT
from criteo_catalog_sdk.api_versions import ENV_API_VERSION

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
    notes: list[str] = field(default_factory=list)  # oddities that break neither spec nor a documented status
    published_problems: list[spec_checks.SpecProblem] = field(default_factory=list)

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


def decode_body(response: httpx.Response) -> Any:
    """The JSON body, None when there is none, or ``spec_checks.NOT_JSON``."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return spec_checks.NOT_JSON


def shown_body(body: Any, response: httpx.Response) -> Any:
    """What the report shows of a body (the text of one that is not JSON)."""
    if body is spec_checks.NOT_JSON:
        return {"<not JSON>": response.content.decode("utf-8", errors="replace")[:EXCERPT]}
    return body


def unknown_operation_token(partner_id: int) -> str:
    """A well-formed token (Criteo's unsigned JWT-like shape) for an operation that does not exist."""

    def encode(part: dict[str, Any]) -> str:
        raw = json.dumps(part, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    payload = {"partnerId": partner_id, "operationId": str(uuid.uuid4()), "exp": int(time.time()) + 86_400}
    return f"{encode({'alg': 'none'})}.{encode(payload)}."
