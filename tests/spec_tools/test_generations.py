"""spec_tools.generations: names, which generation a document is, which one is the newest."""

from __future__ import annotations

import pytest

from spec_tools.generations import GenerationError, check_name, detect_generation, module_name, newest, recency


@pytest.mark.parametrize(
    ("version", "paths", "expected"),
    [
        ("Preview", ["/preview/catalog/products/batch"], "preview"),
        ("EXPERIMENTAL", ["/experimental/catalog/a", "/experimental/catalog/b"], "experimental"),
        ("2027-01", ["/2027-01/marketing-solutions/catalog/products/batch"], "2027-01"),
        (" preview ", ["/preview/catalog/products/batch"], "preview"),
    ],
)
def test_the_generation_is_read_from_info_version_and_the_paths(version: str, paths: list[str], expected: str) -> None:
    assert detect_generation({"info": {"version": version}}, paths) == expected


@pytest.mark.parametrize(
    ("version", "paths", "message"),
    [
        (
            "Preview",
            ["/experimental/catalog/a"],
            "info.version 'Preview' says preview but the catalog paths are under /experimental/",
        ),
        ("1.0.0", ["/preview/catalog/a"], "cannot tell the generation: info.version '1.0.0' is not a generation name"),
        ("Preview", ["/preview/a", "/experimental/b"], "not under one generation name (/experimental/, /preview/)"),
        ("2027-01", ["/Catalog/a"], "not under one generation name (/Catalog/)"),
        (None, ["/preview/a"], "info.version '' is not a generation name"),
    ],
)
def test_a_document_that_does_not_say_is_a_clear_error(version: str | None, paths: list[str], message: str) -> None:
    with pytest.raises(GenerationError) as caught:
        detect_generation({"info": {"version": version}} if version else {}, paths)
    assert message in str(caught.value)


@pytest.mark.parametrize("name", ["preview", "experimental", "2027-01", "beta2"])
def test_valid_names(name: str) -> None:
    assert check_name(name) == name


@pytest.mark.parametrize("name", ["Preview", "2027-1", "27-01", "pre view", "", "../x", "2027_01"])
def test_invalid_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="is not a generation name"):
        check_name(name)


def test_module_names_are_python_identifiers() -> None:
    assert [module_name(n) for n in ("preview", "experimental", "2027-01")] == ["preview", "experimental", "v2027_01"]


def test_recency_tiers_then_dated_releases() -> None:
    names = ["2027-01", "preview", "2026-07", "beta", "experimental"]
    assert sorted(names, key=recency) == ["preview", "experimental", "beta", "2026-07", "2027-01"]
    assert newest(["preview", "experimental"]) == "experimental"
    assert newest(["preview", "experimental", "2026-07"]) == "2026-07"
    assert newest([]) is None
