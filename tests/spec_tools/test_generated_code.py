"""Generation is deterministic, and check-generated catches any drift or hand edit."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
from pathlib import Path

import pytest

from spec_tools.generations import module_name

from .conftest import GENERATIONS, ROOT, copy_repository, tree

pytestmark = pytest.mark.slow

OVERLAYS = ROOT / "openapi"
GENERATOR = ROOT / ".tools" / "generator" / "bin" / "openapi-python-client"


@pytest.fixture(scope="module", autouse=True)
def _needs_generator() -> None:
    if not GENERATOR.exists():
        pytest.fail("the generator environment is missing: run `make install`")


def _generate(out: Path) -> None:
    subprocess.run(["tools/generate.sh", "openapi", str(out)], cwd=ROOT, check=True)


@pytest.fixture(scope="module")
def generated_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "out"
    _generate(out)
    return out


def test_two_generations_are_byte_identical_and_match_the_committed_tree(generated_once: Path, tmp_path: Path) -> None:
    _generate(tmp_path / "two")
    first, second = tree(generated_once), tree(tmp_path / "two")
    assert first == second
    assert first == tree(ROOT / "criteo_catalog_sdk" / "_generated")
    assert {"preview", "experimental"} <= set(GENERATIONS)
    for generation in GENERATIONS:
        for name in ("models/product.py", "catalog.json", "published.json"):
            assert f"{module_name(generation)}/{name}" in first
    assert "README.md" in first and "__init__.py" in first


def test_regenerating_one_generation_keeps_the_others_byte_for_byte(generated_once: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(generated_once, out)
    marker = out / module_name("preview") / "models" / "price.py"
    marker.write_bytes(marker.read_bytes() + b"# kept\n")  # only a copy can keep this
    subprocess.run(["tools/generate.sh", "openapi", str(out), "experimental"], cwd=ROOT, check=True)
    assert marker.read_bytes().endswith(b"# kept\n")
    marker.write_bytes(marker.read_bytes().removesuffix(b"# kept\n"))
    assert tree(out) == tree(ROOT / "criteo_catalog_sdk" / "_generated")


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of what check-generated reads, so that the test can break it."""
    return copy_repository(tmp_path / "repo")


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
