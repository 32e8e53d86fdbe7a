"""Deterministic YAML reading and writing for OpenAPI documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml


class _SpecDumper(yaml.SafeDumper):
    """A dumper that never emits aliases (``&id001``): the output must be plain, diffable YAML."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line descriptions read best as literal blocks; single lines keep the default style.
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_SpecDumper.add_representer(str, _str_representer)


def load_document(source: str | Path) -> dict[str, Any]:
    """Read a JSON or YAML OpenAPI (or Overlay) document from a path."""
    text = Path(source).read_text(encoding="utf-8")
    return parse_document(text)


def parse_document(text: str) -> dict[str, Any]:
    """Parse JSON or YAML text into a mapping, refusing anything that is not a mapping."""
    stripped = text.lstrip()
    data = json.loads(text) if stripped.startswith("{") else yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError("an OpenAPI document must be a mapping at the top level")
    return data


def dump_document(document: dict[str, Any]) -> str:
    """Serialise a document as YAML in a stable form: insertion order kept, no aliases, no wrapping."""
    return yaml.dump(
        document,
        Dumper=_SpecDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,
    )


def write_document(document: dict[str, Any], target: str | Path, header: str = "") -> None:
    """Write ``document`` as YAML to ``target``, prefixed by an optional comment header."""
    Path(target).write_text(header + dump_document(document), encoding="utf-8")
