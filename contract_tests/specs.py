"""The specs the harness judges against, per API generation.

Every Criteo API generation this installation knows (``criteo_catalog_sdk.api_versions.API_VERSIONS``:
preview, experimental, dated releases) has two specs: the effective one (published + overlay: what
the SDK and the simulator promise) and the published one (Criteo's text as-is). Requests must satisfy
both (strict in what we send); answers must satisfy the effective one, and every way they break the
published one is a deviation worth an overlay action. :func:`generation` gives one generation's specs
and where its operations live, read from its spec by operationId: nothing here spells a path. The
checks made against a spec are in ``contract_tests.spec_checks``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from criteo_catalog_sdk.api_versions import API_VERSIONS, DEFAULT_API_VERSION, ApiVersion, get_api_version
from spec_tools.diffing import same_contract
from spec_tools.seed_examples import DOCUMENTED_GENERATION

ROOT = Path(__file__).resolve().parent.parent

TOKEN_PATH = "/oauth2/token"
TERMINAL_STATUSES = frozenset({"VALIDATED", "VALIDATED_WITH_ERRORS", "FAILED"})
#: Every generation the installed SDK knows, and the one used when none is named.
GENERATIONS: tuple[str, ...] = API_VERSIONS
DEFAULT_GENERATION = DEFAULT_API_VERSION


@dataclass(frozen=True)
class Generation:
    """One API generation as the harness sees it: its two specs and where its catalog operations live."""

    version: ApiVersion

    @property
    def name(self) -> str:
        """``preview``, ``experimental``, ``2027-01``..."""
        return self.version.name

    @property
    def batch_path(self) -> str:
        """The batch operation's path."""
        return self.version.batch.template

    @property
    def report_template(self) -> str:
        """The report operation's path template."""
        return self.version.report.template

    @property
    def report_parameter(self) -> str:
        """The name of the report's path parameter (``operation-token``; ``id`` in 2027-01)."""
        return self.version.report.parameter or ""

    @property
    def stats_template(self) -> str | None:
        """The statistics operation's path template; None where the generation has none."""
        return self.version.stats.template if self.version.stats else None

    @property
    def operations(self) -> tuple[tuple[str, str], ...]:
        """``(method, template)`` of each catalog operation, lower-case methods."""
        return tuple((op.method.lower(), op.template) for op in self.version.operations)

    def label(self, operation_id: str) -> str:
        """``METHOD template`` of an operation, as schemathesis names it (``POST`` and the path template)."""
        found = next(op for op in self.version.operations if op.operation_id == operation_id)
        return f"{found.method} {found.template}"

    def report_path(self, token: str) -> str:
        """The concrete report path of ``token``, escaped as the SDK escapes it."""
        return self.version.report.path(token)

    def stats_path(self, merchant_id: str) -> str:
        """The concrete statistics path of a merchant (the generation must have the operation)."""
        return self.version.stats_operation().path(merchant_id)

    @property
    def effective_file(self) -> Path:
        """``openapi/<generation>/catalog.yaml``."""
        return ROOT / "openapi" / self.name / "catalog.yaml"

    @property
    def published_file(self) -> Path:
        """``openapi/<generation>/published.yaml``."""
        return ROOT / "openapi" / self.name / "published.yaml"

    def effective(self) -> dict[str, Any]:
        """The effective spec (a fresh copy: callers may change it)."""
        return copy.deepcopy(dict(self.version.spec))

    def published(self) -> dict[str, Any]:
        """The published spec (a fresh copy: callers may change it)."""
        return copy.deepcopy(dict(self.version.published))

    @property
    def documented(self) -> bool:
        """Whether Criteo's documented examples (seed 001, written for preview) apply here: the contract
        is preview's once paths are set aside (experimental's, facts section 8)."""
        return same_contract(get_api_version(DOCUMENTED_GENERATION).published, self.version.published)


@cache
def generation(name: str | None = None) -> Generation:
    """The generation called ``name`` (default: the SDK's default generation)."""
    return Generation(get_api_version(name or DEFAULT_GENERATION))


def effective(name: str | None = None) -> dict[str, Any]:
    """The effective spec of a generation (default: the default generation), a fresh copy."""
    return generation(name).effective()


def published(name: str | None = None) -> dict[str, Any]:
    """The published spec of a generation (default: the default generation), a fresh copy."""
    return generation(name).published()
