"""Criteo API generations as folders of ``openapi/``: names, their Python package names, the index.

A generation is a folder ``openapi/<name>/`` holding ``published.yaml`` (Criteo's Catalog slice),
``overlay.yaml`` (our corrections) and ``catalog.yaml`` (the effective spec). Its generated code lives
in ``criteo_catalog_sdk/_generated/<module>/``, where ``<module>`` is :func:`module_name` of its name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

#: A generation name: a tier (``preview``, ``experimental``) or a dated release (``2027-01``).
_NAME = re.compile(r"[a-z][a-z0-9]*|[0-9]{4}-[0-9]{2}")


def check_name(name: str) -> str:
    """``name`` if it is a valid generation name, else ``ValueError``."""
    if _NAME.fullmatch(name) is None:
        raise ValueError(f"{name!r} is not a generation name (a lower-case tier such as 'experimental', or 'YYYY-MM')")
    return name


#: Criteo's tiers, oldest first: Experimental replaced Preview (facts section 8).
TIERS = ("preview", "experimental")


class GenerationError(ValueError):
    """The document does not say which generation it is, or says it ambiguously."""


def recency(name: str) -> tuple[int, int, str]:
    """A sort key, oldest first: the known tiers in :data:`TIERS` order, other tiers by name, then dated
    releases by date (a dated release is what the tiers lead to)."""
    if name in TIERS:
        return (0, TIERS.index(name), name)
    return (2, 0, name) if name[:1].isdigit() else (1, 0, name)


def newest(names: Iterable[str]) -> str | None:
    """The most recent of ``names`` by :func:`recency` (``None`` when there is none)."""
    return max(names, key=recency, default=None)


def detect_generation(document: dict[str, Any], catalog_paths: Iterable[str]) -> str:
    """The generation a whole document belongs to, read twice: from ``info.version`` ("Preview" ->
    ``preview``, "2027-01" -> ``2027-01``, case-insensitive) and from the first segment of its catalog
    paths (``/2027-01/marketing-solutions/...``). Both must be readable and agree, else
    :class:`GenerationError` (the caller then asks for the generation explicitly)."""
    version = str((document.get("info") or {}).get("version", "")).strip()
    from_version = version.lower() if _NAME.fullmatch(version.lower()) else None
    segments = sorted({path.lstrip("/").split("/", 1)[0] for path in catalog_paths})
    from_paths = segments[0] if len(segments) == 1 and _NAME.fullmatch(segments[0]) else None
    if from_version is not None and from_version == from_paths:
        return from_version
    where = ", ".join(f"/{segment}/" for segment in segments)
    if from_version and from_paths:
        raise GenerationError(f"info.version {version!r} says {from_version} but the catalog paths are under {where}")
    unreadable = [] if from_version else [f"info.version {version!r} is not a generation name"]
    if from_paths is None:
        unreadable.append(f"the catalog paths are not under one generation name ({where})")
    raise GenerationError("cannot tell the generation: " + " and ".join(unreadable))


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
