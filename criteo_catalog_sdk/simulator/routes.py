"""Which simulated operation a raw request path is for (pure).

The table is built from the served generations' :class:`~criteo_catalog_sdk.api_versions.ApiVersion`
objects: each operation's method and path template come from that generation's spec, so no path is
spelled here. Matching uses the raw (still percent-escaped) path, so that an escaped ``/`` inside an
operation token or merchant id stays inside its path segment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from criteo_catalog_sdk.api_versions import ApiVersion, OperationPath

TOKEN_PATH = "/oauth2/token"  # noqa: S105 - a path, not a secret
CONTROL_PREFIX = "/_simulator"
API_ROUTES = ("batch", "report", "stats")


@dataclass(frozen=True, slots=True)
class Route:
    """Which operation a request is for."""

    name: str  # token, batch, report, stats, control, unknown
    allowed: str = ""  # the method the path accepts
    argument: str = ""  # the raw path parameter
    generation: str | None = None  # the API generation of batch, report and stats routes


@dataclass(frozen=True, slots=True)
class _Template:
    """A path template with one parameter, split around it."""

    prefix: str
    suffix: str
    route: Route

    def argument(self, path: str) -> str | None:
        """The raw parameter if ``path`` fits the template (one path segment, possibly empty), else None."""
        if len(path) < len(self.prefix) + len(self.suffix) or not path.startswith(self.prefix):
            return None
        if not path.endswith(self.suffix):
            return None
        value = path[len(self.prefix) : len(path) - len(self.suffix)]
        return None if "/" in value else value


class RouteTable:
    """Matches raw paths to the operations of every served generation, the token and control endpoints."""

    def __init__(self, versions: Iterable[ApiVersion]) -> None:
        self._exact: dict[str, Route] = {TOKEN_PATH: Route("token", "POST")}
        self._templates: list[_Template] = []
        owners: dict[str, str] = {}
        for version in versions:
            operations: tuple[tuple[str, OperationPath | None], ...] = (
                ("batch", version.batch),
                ("report", version.report),
                ("stats", version.stats),
            )
            for name, operation in operations:
                if operation is None:
                    continue  # e.g. a generation without a statistics operation: its path is unknown (404)
                template = operation.template
                if template in owners or template == TOKEN_PATH or template.startswith(CONTROL_PREFIX):
                    other = owners.get(template, "the simulator itself")
                    raise ValueError(f"generations {other} and {version.name} both serve {template}")
                owners[template] = version.name
                route = Route(name, operation.method, "", version.name)
                if operation.parameter is None:
                    self._exact[template] = route
                else:
                    prefix, _, suffix = template.partition("{" + operation.parameter + "}")
                    self._templates.append(_Template(prefix, suffix, route))

    def match(self, path: str) -> Route:
        """The route of a raw path (``unknown`` when nothing serves it)."""
        exact = self._exact.get(path)
        if exact is not None:
            return exact
        for template in self._templates:
            argument = template.argument(path)
            if argument is not None:
                route = template.route
                return Route(route.name, route.allowed, argument, route.generation)
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            return Route("control")
        return Route("unknown")
