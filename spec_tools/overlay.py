"""Apply an OpenAPI Overlay 1.0 document (https://spec.openapis.org/overlay/v1.0.0.html).

Semantics, per the specification, with two deliberate choices noted:

* actions run in order; each ``target`` is a JSONPath expression (filters allowed);
* ``remove: true`` deletes every node the target selects from its parent;
* ``update`` on an object is merged recursively: objects merge, any other value replaces
  (so an update can replace a ``required`` list outright); ``update`` on an array appends
  the update value as one new element;
* choice 1: an action whose target selects nothing is reported (the specification lets it pass
  silently). A correction that no longer applies means Criteo changed the spec: ``make spec`` prints
  it so the maintainer can retire or adapt the action, and the test suite asserts that every action
  applies to the committed published spec;
* choice 2: the root (``$``) can be updated but not removed.

oas-patch was considered (the issue suggests it): it treats ``remove: false`` as a removal, extends
arrays on merge so a ``required`` list cannot be replaced, and ignores targets that match nothing,
so a small module of our own is used instead.
"""

from __future__ import annotations

import copy
from typing import Any

from jsonpath_ng import DatumInContext, Fields
from jsonpath_ng.ext import parse  # type: ignore[attr-defined]


class OverlayError(ValueError):
    """The overlay is malformed or one of its actions cannot be applied."""


def apply_overlay(document: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of ``document`` with every action of ``overlay`` applied in order.

    Actions whose target selects nothing are skipped; use :func:`apply_overlay_reporting` to learn which.
    """
    return apply_overlay_reporting(document, overlay)[0]


def apply_overlay_reporting(document: dict[str, Any], overlay: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Apply ``overlay`` like :func:`apply_overlay`; also return one message per action that matched nothing."""
    version = str(overlay.get("overlay", ""))
    if not version.startswith("1."):
        raise OverlayError(f"unsupported overlay version {version!r}: expected 1.x")
    actions = overlay.get("actions")
    if not isinstance(actions, list) or not actions:
        raise OverlayError("an overlay needs a non-empty 'actions' list")
    result = copy.deepcopy(document)
    unmatched: list[str] = []
    for position, action in enumerate(actions):
        if not _apply_action(result, action, position):
            unmatched.append(f"action #{position} ({action['target']}) selects nothing: skipped")
    return result, unmatched


def apply_one(document: dict[str, Any], action: Any, position: int = 0) -> tuple[dict[str, Any], str | None]:
    """Apply one action to a copy of ``document``: ``(result, None)``, or ``(document, why)`` when the
    action is moot, ``why`` being ``"selects nothing"`` or ``"changes nothing"``."""
    result = copy.deepcopy(document)
    if not _apply_action(result, action, position):
        return document, "selects nothing"
    if result == document:
        return document, "changes nothing"
    return result, None


def _apply_action(document: dict[str, Any], action: Any, position: int) -> bool:
    """Apply one action; return False when its target selects nothing."""
    if not isinstance(action, dict) or not isinstance(action.get("target"), str):
        raise OverlayError(f"action #{position} needs a string 'target'")
    target = action["target"]
    try:
        expression = parse(target)
    except Exception as exc:  # jsonpath-ng raises several unrelated exception types
        raise OverlayError(f"action #{position}: invalid JSONPath {target!r}: {exc}") from exc
    matches = expression.find(document)
    if not matches:
        return False
    if action.get("remove") is True:
        # Remove from the deepest/last match first so that list indices stay valid.
        for match in reversed(matches):
            _remove(match, target, position)
    elif "update" in action:
        for match in matches:
            _update(match.value, action["update"], target, position)
    else:
        raise OverlayError(f"action #{position}: needs 'update' or 'remove: true'")
    return True


def _remove(match: DatumInContext, target: str, position: int) -> None:
    if match.context is None:
        raise OverlayError(f"action #{position}: cannot remove the document root")
    parent = match.context.value
    if isinstance(parent, dict) and isinstance(match.path, Fields):
        for field in match.path.fields:
            parent.pop(field, None)
        return
    if isinstance(parent, list):
        # Find the item itself rather than trusting an index: jsonpath-ng's Index API differs between
        # versions, and filter matches carry no index at all. Equal scalars are interchangeable.
        for index, item in enumerate(parent):
            if item is match.value:
                del parent[index]
                return
        for index, item in enumerate(parent):
            if item == match.value:
                del parent[index]
                return
    raise OverlayError(f"action #{position}: cannot remove {target!r} from its parent")


def _update(node: Any, update: Any, target: str, position: int) -> None:
    if isinstance(node, list):
        node.append(copy.deepcopy(update))
    elif isinstance(node, dict) and isinstance(update, dict):
        _merge(node, update)
    else:
        raise OverlayError(f"action #{position}: {target!r} selects a scalar; update its parent instead")


def _merge(node: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(node.get(key), dict):
            _merge(node[key], value)
        else:
            node[key] = copy.deepcopy(value)
