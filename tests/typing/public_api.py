"""Checked by mypy with the package (``[tool.mypy] files``), not run: the public names keep their types.

The package loads some of its names on first use (a module ``__getattr__``, typed ``Any``); a name that
type checkers could no longer see would silently become ``Any`` for users. ``assert_type`` fails then.
"""

from typing import assert_type

import criteo_catalog_sdk
from criteo_catalog_sdk import UNSET, CatalogClient, Product, PushResult, ReportOkResponse, Unset, models

assert_type(Product, type[models.Product])
assert_type(ReportOkResponse, type[models.ReportOkResponse])
assert_type(UNSET, Unset)
assert_type(criteo_catalog_sdk.Price, type[models.Price])
assert_type(CatalogClient, type[criteo_catalog_sdk.client.CatalogClient])
assert_type(PushResult, type[criteo_catalog_sdk.push.result.PushResult])
