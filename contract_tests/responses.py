"""Answers fed to the public client for the SDK response tests, and how the effective spec judges them.

``fetch`` has a capturing transport answer one route of a generation with a body and returns what the
public client returns (or raises), everything a user may read touched; ``problems`` is what the
generation's effective spec says of that answer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from contract_tests import spec_checks, strategies
from contract_tests.capture import DOCUMENTED_TOKEN, CapturingCriteo
from contract_tests.specs import GENERATIONS, Generation, generation
from criteo_catalog_sdk import Report, Stats

EXAMPLES = settings(
    max_examples=30,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
WITH_STATS = [name for name in GENERATIONS if generation(name).stats_template is not None]
COUNTERS = (
    "importRequestTimestamp",
    "numberOfProductsInTheBatch",
    "numberOfProductsUpserted",
    "numberOfProductsDeleted",
    "numberOfProductsWithErrors",
    "numberOfProductsWithWarnings",
)
STATS_COUNTERS = {
    "added": "added",
    "blacklisted": "blacklisted",
    "deleted": "deleted",
    "displayable": "displayable",
    "missingDescription": "missing_description",
    "missingImage": "missing_image",
    "missingName": "missing_name",
    "missingPrice": "missing_price",
    "missingUrl": "missing_url",
    "nonDisplayable": "non_displayable",
    "outOfStock": "out_of_stock",
    "total": "total",
    "updated": "updated",
    "variant": "variant",
}


def as_int(value: Any) -> int | None:
    return None if value is None else int(value)


def read_report(report: Report) -> None:
    """Touch everything a user may read (details are parsed lazily)."""
    report.error_details, report.warning_details, report.is_done, report.succeeded, repr(report)


def read_stats(stats: Stats) -> None:
    stats.latest, stats.records, stats.errors, stats.warnings, repr(stats)


def explore(where: Generation, strategy: st.SearchStrategy[Any], check: Callable[[Any], None], examples: int) -> None:
    strategies.explore(where, strategy, check, EXAMPLES, examples)


def operation_of(where: Generation, route: str) -> tuple[str, str]:
    """``(method, template)`` of a route of ``where``."""
    if route == "batch":
        return "post", where.batch_path
    return "get", where.report_template if route == "report" else str(where.stats_template)


def problems(where: Generation, route: str, status: int, body: Any) -> list[spec_checks.SpecProblem]:
    """How the effective spec of ``where`` judges ``body`` as the ``status`` answer of ``route``."""
    method, template = operation_of(where, route)
    return spec_checks.response_problems(
        effective(where.name), method, template, status, body, content_type="application/json"
    )


@cache
def effective(name: str) -> dict[str, Any]:
    return generation(name).effective()


def fetch(route: str, status: int, body: Any, where: Generation | None = None) -> Any:
    """What the public client of ``where`` returns (or raises) when ``route`` answers ``status`` with ``body``."""
    criteo = CapturingCriteo(where or generation())
    criteo.answer(route, status, strategies.to_wire(body) if not isinstance(body, bytes) else body)
    with criteo.client() as client:
        if route == "batch":
            return client.submit_batch([{"merchantId": 1, "method": "delete", "productId": "p"}])
        if route == "report":
            report = client.get_report(DOCUMENTED_TOKEN)
            read_report(report)
            return report
        stats = client.get_merchant_stats(1)
        read_stats(stats)
        return stats


ROUTES = {
    "BatchAcceptedResponse": ("batch", 202),
    "ReportOkResponse": ("report", 200),
    "StatisticsOkResponse": ("stats", 200),
}


def routes(where: Generation) -> list[str]:
    """The response schemas of ``ROUTES`` that ``where`` has (no statistics in a generation without them)."""
    return [name for name, (route, _) in sorted(ROUTES.items()) if route != "stats" or where.stats_template]
