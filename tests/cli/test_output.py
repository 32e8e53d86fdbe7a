"""The --json building blocks and the shipped JSON Schema."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from jsonschema import Draft202012Validator, ValidationError

from criteo_catalog_sdk.cli.exit_codes import ExitCode
from criteo_catalog_sdk.cli.output import SCHEMA_FILE, emit_json, error_object, failure_object, output_schema
from criteo_catalog_sdk.issue import Issue

from .conftest import assert_schema


def test_the_schema_ships_as_package_data_and_is_valid_draft_2020_12() -> None:
    schema = output_schema()
    assert resources.files("criteo_catalog_sdk.cli").joinpath(SCHEMA_FILE).is_file()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert set(schema["$defs"]) >= {"push", "validate", "report", "stats", "failure", "productError", "note"}
    codes = schema["$defs"]["exitCode"]["enum"]
    assert codes == [int(c) for c in ExitCode]


def test_the_schema_can_fail() -> None:
    good = failure_object("push", ExitCode.USAGE, "UsageError", "bad")
    assert_schema(good, "failure")
    for broken in ({**good, "exitCode": 7}, {**good, "extra": 1}, {k: v for k, v in good.items() if k != "error"}):
        with pytest.raises(ValidationError):
            assert_schema(broken, "failure")


def test_error_object() -> None:
    issues = [Issue("TooLong", "title is 600 characters long", "title", 600, 500), Issue("MissingField", "x", "link")]
    obj = error_object(17, "SKU-1", "client", issues)
    assert obj == {
        "line": 17,
        "productId": "SKU-1",
        "field": "title",
        "stage": "client",
        "type": "TooLong",
        "message": "title is 600 characters long; x",
        "issues": [i.to_dict() for i in issues],
    }
    Draft202012Validator({"$ref": "#/$defs/productError", "$defs": output_schema()["$defs"]}).validate(obj)


def test_emit_json_streams_errors_into_one_object(capsys: pytest.CaptureFixture[str]) -> None:
    emit_json({"a": 1, "errors": "replaced"}, errors=({"n": i} for i in range(3)))
    assert json.loads(capsys.readouterr().out) == {"a": 1, "errors": [{"n": 0}, {"n": 1}, {"n": 2}]}
    emit_json({}, errors=iter(()))
    assert json.loads(capsys.readouterr().out) == {"errors": []}
    emit_json({"plain": True})
    assert json.loads(capsys.readouterr().out) == {"plain": True}
