from __future__ import annotations

import functools
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from spec_tools.generations import generation_dirs, index_source, module_name
from spec_tools.yamlio import load_document

ROOT = Path(__file__).resolve().parents[2]
OPENAPI = ROOT / "openapi"
PREVIEW = OPENAPI / "preview"
#: Every committed generation (a folder of openapi/ with a published.yaml).
GENERATIONS = [path.name for path in generation_dirs(OPENAPI)]
#: What the update-spec tests start from, whatever else has been added since.
BASELINE = ("preview", "experimental")


@dataclass(frozen=True)
class GenerationSpecs:
    """One committed generation's three documents."""

    name: str
    published: dict[str, Any]
    overlay: dict[str, Any]
    effective: dict[str, Any]


@functools.cache
def specs_of(name: str) -> GenerationSpecs:
    folder = OPENAPI / name
    return GenerationSpecs(
        name,
        load_document(folder / "published.yaml"),
        load_document(folder / "overlay.yaml"),
        load_document(folder / "catalog.yaml"),
    )


@pytest.fixture(scope="session")
def published() -> dict[str, Any]:
    return specs_of("preview").published


@pytest.fixture(scope="session")
def effective() -> dict[str, Any]:
    return specs_of("preview").effective


@pytest.fixture(scope="session")
def overlay() -> dict[str, Any]:
    return specs_of("preview").overlay


def copy_repository(target: Path, generations: Iterable[str] | None = None) -> Path:
    """A copy of what the spec tooling reads and writes (``.venv`` and ``.tools`` linked, not copied).

    With ``generations``, the copy holds only those generations (folders, packages and index), as if
    they were the only ones committed.
    """
    ignore = shutil.ignore_patterns("__pycache__")
    keep = None if generations is None else set(generations)
    for name in ("spec_tools", "tools", "criteo_catalog_sdk"):
        shutil.copytree(ROOT / name, target / name, ignore=ignore)
    shutil.copytree(
        OPENAPI,
        target / "openapi",
        ignore=lambda folder, names: [n for n in names if Path(folder) == OPENAPI and _dropped(OPENAPI / n, keep)],
    )
    for name in ("generator-config.yaml", "Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, target / name)
    for name in (".venv", ".tools"):
        (target / name).symlink_to(ROOT / name)
    if keep is not None:
        generated = target / "criteo_catalog_sdk" / "_generated"
        modules = {module_name(name) for name in keep}
        for package in generated.iterdir():
            if package.is_dir() and package.name not in modules:
                shutil.rmtree(package)
        (generated / "__init__.py").write_text(index_source(sorted(keep)), encoding="utf-8")
    return target


def _dropped(folder: Path, keep: set[str] | None) -> bool:
    return keep is not None and (folder / "published.yaml").exists() and folder.name not in keep


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (bytecode caches aside), by relative path."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
