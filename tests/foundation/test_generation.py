"""Generation is deterministic, and check-generated catches any drift or hand edit."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow

OVERLAYS = ROOT / "openapi"
GENERATOR = ROOT / ".tools" / "generator" / "bin" / "openapi-python-client"


@pytest.fixture(scope="module", autouse=True)
def _needs_generator() -> None:
    if not GENERATOR.exists():
        pytest.fail("the generator environment is missing: run `make install`")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def _generate(out: Path) -> None:
    subprocess.run(["tools/generate.sh", "openapi", str(out)], cwd=ROOT, check=True)


def test_two_generations_are_byte_identical_and_match_the_committed_tree(tmp_path: Path) -> None:
    _generate(tmp_path / "one")
    _generate(tmp_path / "two")
    first, second = _tree(tmp_path / "one"), _tree(tmp_path / "two")
    assert first == second
    assert first == _tree(ROOT / "criteo_catalog_sdk" / "_generated")
    for generation in ("preview", "experimental"):
        for name in ("models/product.py", "catalog.json", "published.json"):
            assert f"{generation}/{name}" in first
    assert "README.md" in first and "__init__.py" in first


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of what check-generated reads, so that the test can break it."""
    copy = tmp_path / "repo"
    for name in ("openapi", "spec_tools", "tools", "criteo_catalog_sdk/_generated"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "generator-config.yaml", copy)
    (copy / ".tools").symlink_to(ROOT / ".tools")
    return copy


def _check(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["tools/check-generated.sh"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHON_BIN": str(ROOT / ".venv" / "bin" / "python"), "PYTHONPATH": str(repo)},
    )


def test_check_generated_passes_on_the_committed_tree(repo_copy: Path) -> None:
    result = _check(repo_copy)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_generated_fails_on_a_one_byte_edit(repo_copy: Path) -> None:
    target = repo_copy / "criteo_catalog_sdk" / "_generated" / "preview" / "models" / "price.py"
    data = bytearray(target.read_bytes())
    data[-2] = ord("#") if data[-2] != ord("#") else ord(" ")
    target.write_bytes(bytes(data))
    result = _check(repo_copy)
    assert result.returncode != 0
    assert "price.py" in result.stdout


def test_check_generated_fails_on_an_added_or_removed_file(repo_copy: Path) -> None:
    (repo_copy / "criteo_catalog_sdk" / "_generated" / "experimental" / "models" / "extra.py").write_text("x = 1\n")
    assert _check(repo_copy).returncode != 0
    (repo_copy / "criteo_catalog_sdk" / "_generated" / "experimental" / "models" / "extra.py").unlink()
    (repo_copy / "criteo_catalog_sdk" / "_generated" / "experimental" / "models" / "price.py").unlink()
    assert _check(repo_copy).returncode != 0


def test_check_generated_fails_when_the_effective_spec_is_stale(repo_copy: Path) -> None:
    overlay = repo_copy / "openapi" / "experimental" / "overlay.yaml"
    overlay.write_text(overlay.read_text().replace("minItems: 1", "minItems: 2"))
    result = _check(repo_copy)
    assert result.returncode != 0
    assert "make spec" in result.stderr
    # The committed overlays are untouched (the edit went to the copy), and still one and the same.
    assert filecmp.cmp(OVERLAYS / "preview" / "overlay.yaml", OVERLAYS / "experimental" / "overlay.yaml", shallow=False)
