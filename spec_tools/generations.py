"""Criteo API generations as folders of ``openapi/``: names, their Python package names, the index.

A generation is a folder ``openapi/<name>/`` holding ``published.yaml`` (Criteo's Catalog slice),
``overlay.yaml`` (our corrections) and ``catalog.yaml`` (the effective spec). Its generated code lives
in ``criteo_catalog_sdk/_generated/<module>/``, where ``<module>`` is :func:`module_name` of its name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

#: A generation name: a tier (``preview``, ``experimental``) or a dated release (``2027-01``).
_NAME = re.compile(r"[a-z][a-z0-9]*|[0-9]{4}-[0-9]{2}")


def check_name(name: str) -> str:
    """``name`` if it is a valid generation name, else ``ValueError``."""
    if _NAME.fullmatch(name) is None:
        raise ValueError(f"{name!r} is not a generation name (a lower-case tier such as 'experimental', or 'YYYY-MM')")
    return name


def module_name(name: str) -> str:
    """The Python package name of a generation's generated code: ``preview`` -> ``preview``,
    ``2027-01`` -> ``v2027_01`` (a package name cannot start with a digit or hold a dash)."""
    check_name(name)
    return name if name[0].isalpha() else "v" + name.replace("-", "_")


def index_source(names: Sequence[str]) -> str:
    """The text of ``_generated/__init__.py``: which package holds which generation."""
    entries = {name: module_name(name) for name in sorted(names)}
    return (
        '"""Generated code, one package per Criteo API generation (written by `make generate`; do not edit)."""\n'
        "\n"
        f"GENERATIONS: dict[str, str] = {json.dumps(entries, indent=4)}\n"
    )


def to_json(source: Path, target: Path) -> None:
    """Write a YAML (or JSON) document as indented JSON, keys in document order."""
    from spec_tools.yamlio import load_document

    text = json.dumps(load_document(source), indent=1, ensure_ascii=False)
    target.write_text(text + "\n", encoding="utf-8")


def generation_dirs(root: Path) -> list[Path]:
    """The generation folders of an ``openapi/`` folder (those holding a ``published.yaml``), sorted."""
    return sorted(path.parent for path in root.glob("*/published.yaml"))
