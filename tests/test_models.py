"""Every documented response body parses through the generated models and round-trips."""

from __future__ import annotations

from typing import Any

import pytest

from criteo_catalog_sdk.models import BatchAcceptedResponse, CatalogErrorResponse, ReportOkResponse
from spec_tools.seed_examples import load_examples

WITH_BODY = [e for e in load_examples() if e.response_body is not None]


def _model_for(status: int, endpoint: str) -> Any:
    if status >= 400:
        return CatalogErrorResponse
    return BatchAcceptedResponse if endpoint == "batch" else ReportOkResponse


def test_the_seed_has_the_expected_number_of_bodies() -> None:
    # 9 batch sections (one without body: 413) and 10 report sections (one without body: 413).
    assert len(WITH_BODY) == 17


@pytest.mark.parametrize("example", WITH_BODY, ids=lambda e: e.case_id)
def test_documented_body_round_trips(example: Any) -> None:
    model = _model_for(example.status, example.endpoint)
    parsed = model.from_dict(example.response_body)
    assert parsed.to_dict() == example.response_body


def test_documented_report_exposes_its_fields() -> None:
    failed = next(e for e in WITH_BODY if e.endpoint == "report" and e.response_body.get("status") == "FAILED")
    report = ReportOkResponse.from_dict(failed.response_body)
    assert report.status == "FAILED"
    assert report.number_of_products_with_errors == "1"
    assert report.error_details[0].product_id == "test-v3-1615818478409"
    assert report.error_details[0].errors[0].type_ == "OverlargeBigImage"


def test_the_package_exports_every_model_without_loading_them_at_import() -> None:
    """``import criteo_catalog_sdk`` leaves the generated models unloaded (a quarter of its time); each name
    of ``criteo_catalog_sdk.models`` is still the package's, loaded on first use, star import included."""
    import criteo_catalog_sdk
    import criteo_catalog_sdk.models as models
    from criteo_catalog_sdk._model_names import MODEL_NAMES
    from tests.fresh_imports import loaded_by

    generated = ["criteo_catalog_sdk._generated.preview.models"]
    assert loaded_by("import criteo_catalog_sdk", generated) == []
    assert loaded_by("import criteo_catalog_sdk; criteo_catalog_sdk.Product", generated) == generated
    assert set(MODEL_NAMES) <= set(criteo_catalog_sdk.__all__) and models.__all__ == list(MODEL_NAMES)
    for name in MODEL_NAMES:
        assert getattr(criteo_catalog_sdk, name) is getattr(models, name)
    assert criteo_catalog_sdk.models is models
    star: dict[str, object] = {}
    exec("from criteo_catalog_sdk import *", star)  # what a user's star import gets
    assert star["Product"] is models.Product and star["UNSET"] is models.UNSET
