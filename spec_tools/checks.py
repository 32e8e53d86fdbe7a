"""Why a generation's specs cannot work, one line per problem (empty lists: they can).

Used by ``make update-spec`` before it regenerates anything, and by the tests for every committed
generation. Each check is pure: documents in, messages out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spec_tools.operations import find_operation, iter_operations, parameters, resolve
from spec_tools.overlay import apply_one

_LOCATIONS = ("path", "query", "header", "cookie")
_MAX_MESSAGE = 160


def overlay_action_problems(published: dict[str, Any], overlay: dict[str, Any]) -> list[str]:
    """One message per overlay action that is moot on ``published``: its target selects nothing, or it
    changes nothing (actions run in order, each on the result of the previous ones)."""
    problems: list[str] = []
    document = published
    for position, action in enumerate(overlay.get("actions") or []):
        document, moot = apply_one(document, action, position)
        if moot is not None:
            target = action.get("target") if isinstance(action, dict) else None
            problems.append(f"action #{position} ({target}) {moot}: retire or adapt it")
    return problems


def link_problems(document: dict[str, Any]) -> list[str]:
    """One message per OpenAPI link whose operation is missing or whose parameters that operation lacks.

    A link's parameter name may be qualified by its location (``path.id``), as OpenAPI allows.
    """
    problems: list[str] = []
    for where, name, link in _links(document):
        label = f"link {name} of {where}"
        operation_id = link.get("operationId")
        if not isinstance(operation_id, str):
            problems.append(f"{label} has no operationId (operationRef is not supported)")
            continue
        target = find_operation(document, operation_id)
        if target is None:
            problems.append(f"{label} names operation {operation_id}, which the spec does not have")
            continue
        declared = parameters(document, target)
        for parameter in link.get("parameters") or {}:
            location, _, bare = str(parameter).rpartition(".")
            if location not in _LOCATIONS:
                location, bare = "", str(parameter)
            if not any(bare == n and (not location or location == w) for w, n in declared):
                known = ", ".join(sorted(n for _, n in declared)) or "none"
                problems.append(f"{label}: {operation_id} has no parameter {parameter!r} (it has: {known})")
    return problems


def spec_problems(document: dict[str, Any]) -> list[str]:
    """Why ``document`` is not valid OpenAPI 3.0 (openapi-spec-validator), one short line per error."""
    # Imported here: it takes a quarter of a second, and `python -m spec_tools` runs often in generate.sh.
    from openapi_spec_validator import OpenAPIV30SpecValidator
    from referencing.exceptions import Unresolvable

    try:
        errors = list(OpenAPIV30SpecValidator(document).iter_errors())
    except Unresolvable as exc:
        return [f"not valid OpenAPI: unresolvable reference {getattr(exc, 'ref', exc)}"]
    lines = []
    for error in errors:
        where = "/".join(str(part) for part in error.absolute_path) or "<root>"
        message = " ".join(str(error.message).split())
        if len(message) > _MAX_MESSAGE:
            message = message[: _MAX_MESSAGE - 3] + "..."
        lines.append(f"not valid OpenAPI at {where}: {message}")
    return lines


def _links(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every link of every response: (``operation status``, link name, the link object)."""
    for op in iter_operations(document):
        for status, response in (op.operation.get("responses") or {}).items():
            response = resolve(document, response)
            if not isinstance(response, dict):
                continue
            for name, link in (response.get("links") or {}).items():
                link = resolve(document, link)
                if isinstance(link, dict):
                    yield f"{op.key} {status}", str(name), link
