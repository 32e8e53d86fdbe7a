"""Reading operations and their parameters out of an OpenAPI document (one definition for every tool).

An operation is found by its operationId, never by its path: the path is what differs between Criteo's
API generations (``/preview/catalog/...``, ``/2027-01/marketing-solutions/catalog/...``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_TEMPLATE_PARAMETER = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True)
class Operation:
    """One operation of a document: where it lives and its object (as in the document, not a copy)."""

    path: str
    method: str
    item: dict[str, Any]  # the path item, for path-level parameters
    operation: dict[str, Any]

    @property
    def operation_id(self) -> str | None:
        """The operationId, if the operation declares one."""
        value = self.operation.get("operationId")
        return value if isinstance(value, str) else None

    @property
    def key(self) -> str:
        """How tools name it: its operationId, else ``METHOD path``."""
        return self.operation_id or f"{self.method.upper()} {self.path}"

    @property
    def where(self) -> str:
        """``METHOD path``."""
        return f"{self.method.upper()} {self.path}"


def iter_operations(document: dict[str, Any]) -> Iterator[Operation]:
    """Every operation of ``document``, in document order."""
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield Operation(path, method, item, operation)


def find_operation(document: dict[str, Any], operation_id: str) -> Operation | None:
    """The operation whose operationId is ``operation_id`` (the first, if the document repeats it)."""
    return next((op for op in iter_operations(document) if op.operation_id == operation_id), None)


def resolve(document: dict[str, Any], node: Any) -> Any:
    """``node`` with its local ``$ref`` chain followed (``#/components/...``); other nodes as they are."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            return node
        seen.add(ref)
        target: Any = document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                return node
            target = target[part]
        node = target
    return node


def parameters(document: dict[str, Any], op: Operation) -> dict[tuple[str, str], dict[str, Any]]:
    """The operation's parameters by ``(in, name)``, references resolved, path-level ones included
    (an operation-level parameter overrides a path-level one of the same location and name)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for source in (op.item.get("parameters") or [], op.operation.get("parameters") or []):
        for raw in source:
            parameter = resolve(document, raw)
            if isinstance(parameter, dict) and isinstance(parameter.get("name"), str):
                found[(str(parameter.get("in")), parameter["name"])] = parameter
    return found


def path_parameter_names(document: dict[str, Any], op: Operation) -> list[str]:
    """The names of the operation's path parameters, in the order the path template has them."""
    declared = {name for (where, name) in parameters(document, op) if where == "path"}
    in_template = _TEMPLATE_PARAMETER.findall(op.path)
    return [name for name in in_template if name in declared] + sorted(declared - set(in_template))
