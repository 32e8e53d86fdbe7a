"""Derive a new generation's overlay from an existing generation's overlay.

A new generation of Criteo's API usually keeps most of the catalog contract: the corrections of the
generation it evolves from mostly still apply. Deriving (rather than starting empty) keeps them, and
what does not carry over is made visible instead of silently lost:

* an action that is moot in the new published slice (its target selects nothing, or it changes
  nothing) is dropped and listed;
* an action that targets a path parameter by name (``parameters[?(@.name == 'operation-token')]``),
  where the new operation no longer has that name but has exactly one path parameter, is retargeted
  to it (``operation-token`` -> ``id``);
* an OpenAPI link whose ``parameters`` name a path parameter the target operation does not have,
  where that operation has exactly one path parameter, is renamed to it, by the same rule.

The base overlay's text is kept (comments, anchors, folded descriptions): dropped actions are cut out
and renames are edited in place, then the result is parsed back and compared with the intended
document; if a layout defeats the text edit, the intended document is written in plain YAML instead.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any, cast

import yaml

from spec_tools.operations import find_operation, parameters, path_parameter_names
from spec_tools.overlay import OverlayError, apply_one
from spec_tools.yamlio import dump_document, parse_document

_NAME_FILTER = re.compile(r"""parameters\[\?\(@\.name\s*==\s*(['"])(?P<name>[^'"]+)\1\)\]""")
_OPERATION_FILTER = re.compile(r"""operationId\s*==\s*(['"])(?P<op>[^'"]+)\1""")
_LOCATIONS = ("path", "query", "header", "cookie")


@dataclass
class Derivation:
    """A derived overlay: its text, the base's actions dropped and adapted (``action #N (target)[: what]``)."""

    text: str
    dropped: list[str] = field(default_factory=list)
    adapted: list[str] = field(default_factory=list)


@dataclass
class _Edit:
    """One text replacement: ``text[start:end]`` becomes ``replacement``."""

    start: int
    end: int
    replacement: str


def derive_overlay(
    base_text: str, base_published: dict[str, Any], new_published: dict[str, Any], header: str
) -> Derivation:
    """The overlay for ``new_published`` derived from ``base_text`` (the overlay of ``base_published``).

    ``header`` (comment lines) goes first, followed by the lists of dropped and adapted actions.
    """
    base = parse_document(base_text)
    actions = base.get("actions")
    if not isinstance(actions, list) or not all(isinstance(action, dict) for action in actions):
        raise OverlayError("the base overlay's 'actions' must be a list of mappings")
    root = yaml.compose(base_text)
    action_nodes = _mapping_value(root, "actions")
    result = Derivation(text="")
    kept: list[dict[str, Any]] = []
    edits: list[_Edit] = []
    document = copy.deepcopy(new_published)
    for position, original in enumerate(actions):
        action = copy.deepcopy(original)
        node = action_nodes.value[position] if isinstance(action_nodes, yaml.SequenceNode) else None
        notes = _retarget(action, base_published, new_published)
        notes += _rename_link_parameters(action, base_published, new_published)
        after, moot = apply_one(document, action, position)
        label = f"action #{position} ({original.get('target')})"
        if moot is not None:
            result.dropped.append(f"{label}: {moot}")
            if node is not None:
                edits.append(_cut_item(base_text, node))
            continue
        document = after
        kept.append(action)
        result.adapted.extend(f"{label}: {note}" for note in notes)
        if notes and node is not None:
            edits.extend(_rewrite(node, original, action))
    intended = {**base, "actions": kept}
    body = _apply_edits(base_text, edits)
    if not _parses_to(body, intended):
        body = dump_document(intended)  # the base's layout defeated the text edit: plain YAML
    result.text = header + _summary(result) + body
    return result


def _retarget(action: dict[str, Any], base_doc: dict[str, Any], new_doc: dict[str, Any]) -> list[str]:
    """Rename the path parameter a target filters on by name, where the new operation renamed it."""
    target = str(action.get("target", ""))
    operation, name = _OPERATION_FILTER.search(target), _NAME_FILTER.search(target)
    if operation is None or name is None:
        return []
    renamed = _renamed_path_parameter(operation.group("op"), name.group("name"), base_doc, new_doc)
    if renamed is None:
        return []
    start, end = name.span("name")
    action["target"] = target[:start] + renamed + target[end:]
    return [f"target's path parameter {name.group('name')} -> {renamed}"]


def _rename_link_parameters(action: dict[str, Any], base_doc: dict[str, Any], new_doc: dict[str, Any]) -> list[str]:
    """Rename link parameters naming a path parameter the linked operation no longer has."""
    notes: list[str] = []
    for link_name, link in _links_in(action.get("update")):
        operation_id, values = link.get("operationId"), link.get("parameters")
        if not isinstance(operation_id, str) or not isinstance(values, dict):
            continue
        renamed_values: dict[str, Any] = {}
        for key, value in values.items():
            location, _, bare = str(key).rpartition(".")
            if location not in _LOCATIONS:
                location, bare = "", str(key)
            renamed = (
                None if location not in ("", "path") else _renamed_path_parameter(operation_id, bare, base_doc, new_doc)
            )
            if renamed is None:
                renamed_values[key] = value
                continue
            new_key = f"{location}.{renamed}" if location else renamed
            renamed_values[new_key] = value
            notes.append(f"link {link_name} parameter {key} -> {new_key}")
        link["parameters"] = renamed_values
    return notes


def _renamed_path_parameter(
    operation_id: str, name: str, base_doc: dict[str, Any], new_doc: dict[str, Any]
) -> str | None:
    """The new name of path parameter ``name`` of ``operation_id``: the new operation's only path
    parameter, when ``name`` was a path parameter of the base operation and the new one has no ``name``."""
    base_op, new_op = find_operation(base_doc, operation_id), find_operation(new_doc, operation_id)
    if base_op is None or new_op is None or name not in path_parameter_names(base_doc, base_op):
        return None
    if any(existing == name for _, existing in parameters(new_doc, new_op)):
        return None
    candidates = path_parameter_names(new_doc, new_op)
    return candidates[0] if len(candidates) == 1 else None


def _links_in(node: Any) -> list[tuple[str, dict[str, Any]]]:
    """The link objects anywhere inside an update payload (under a ``links`` key)."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "links" and isinstance(value, dict):
                found.extend((str(name), link) for name, link in value.items() if isinstance(link, dict))
            else:
                found.extend(_links_in(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_links_in(item))
    return found


def _summary(result: Derivation) -> str:
    lines = ["# Dropped from the base (moot on this generation's published.yaml):"]
    lines += [f"#   - {line}" for line in result.dropped] or ["#   (none)"]
    lines.append("# Adapted (a path parameter renamed in this generation):")
    lines += [f"#   - {line}" for line in result.adapted] or ["#   (none)"]
    return "\n".join(lines) + "\n#\n"


# --- Text editing -------------------------------------------------------------------------------


def _mapping_value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return cast(yaml.Node, value_node)
    return None


def _cut_item(text: str, node: yaml.Node) -> _Edit:
    """Cut a block-sequence item's lines; comment lines after it belong to what follows, so they stay."""
    lines = text.splitlines(keepends=True)
    first, end = node.start_mark.line, node.end_mark
    # The item ends where the next token starts: on that token's line, or at the end of the text.
    at_next_token = end.line >= len(lines) or not lines[end.line][: end.column].strip()
    last = min(end.line - 1 if at_next_token else end.line, len(lines) - 1)
    while last > first and (not lines[last].strip() or lines[last].lstrip().startswith("#")):
        last -= 1
    start = sum(len(line) for line in lines[:first])
    end = start + sum(len(line) for line in lines[first : last + 1])
    return _Edit(start, end, "")


def _rewrite(node: yaml.Node, original: dict[str, Any], adapted: dict[str, Any]) -> list[_Edit]:
    """In-place edits turning the text of ``original`` into ``adapted``: the target, link parameter keys."""
    edits: list[_Edit] = []
    target_node = _mapping_value(node, "target")
    if adapted.get("target") != original.get("target") and isinstance(target_node, yaml.ScalarNode):
        edits.append(_replace_scalar(target_node, str(adapted["target"])))
    before, after = _links_in(original.get("update")), _links_in(adapted.get("update"))
    for (name, old_link), (_, new_link) in zip(before, after, strict=True):
        old_keys, new_keys = list(old_link.get("parameters") or {}), list(new_link.get("parameters") or {})
        parameters_node = _mapping_value(_find_link_node(node, name) or node, "parameters")
        if old_keys == new_keys or not isinstance(parameters_node, yaml.MappingNode):
            continue
        for (key_node, _), old_key, new_key in zip(parameters_node.value, old_keys, new_keys, strict=False):
            if old_key != new_key and isinstance(key_node, yaml.ScalarNode) and key_node.value == old_key:
                edits.append(_replace_scalar(key_node, new_key))
    return edits


def _find_link_node(node: yaml.Node, name: str) -> yaml.Node | None:
    """The node of link ``name`` anywhere below ``node``."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == "links":
                found = _mapping_value(value_node, name)
                if found is not None:
                    return found
            deeper = _find_link_node(value_node, name)
            if deeper is not None:
                return deeper
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            deeper = _find_link_node(item, name)
            if deeper is not None:
                return deeper
    return None


def _replace_scalar(node: yaml.ScalarNode, value: str) -> _Edit:
    # A single-line flow scalar in whatever quoting YAML needs for it.
    rendered = yaml.safe_dump(value, default_flow_style=True, width=10_000).removesuffix("\n...\n").strip()
    return _Edit(node.start_mark.index, node.end_mark.index, rendered)


def _parses_to(text: str, intended: dict[str, Any]) -> bool:
    try:
        return parse_document(text) == intended
    except (yaml.YAMLError, ValueError):
        return False


def _apply_edits(text: str, edits: list[_Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text
