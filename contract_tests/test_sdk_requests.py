"""SDK request side: generated valid inputs go through the public clients into a capturing transport.

Per API generation (every one the SDK knows, each at its own paths, ``api_version=``): strict in what we
send, every captured request must satisfy that generation's effective spec **and** its published one
(formats included: int32 merchant ids, int64 fields; merchantId in the generation's JSON type). An input
the effective spec accepts may be refused before sending, but only with :class:`InvalidRequestError` and
only for a rule Criteo documents and JSON Schema cannot express (a product id repeated in a batch, an
insert without its product, a delete without its id, a merchant id out of 1..2**31-1), or, per product,
for one of the SDK's documented checks (each refused entry listed with its issues: length limits, URLs,
id rules...).

Inputs come from the effective spec through schemathesis (``contract_tests.strategies``); seeds are
fixed (``derandomize``), so the runs are reproducible. The default generation gets the full example
budget, the others a third of it (``strategies.budget``): the same code, at other paths and types.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Callable
from functools import cache
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from contract_tests import spec_checks, specs, strategies
from contract_tests.capture import DOCUMENTED_TOKEN, CapturingCriteo
from contract_tests.specs import GENERATIONS, Generation, generation
from criteo_catalog_sdk import InvalidBatchError, InvalidRequestError, ProductsCustomBatchRequest
from criteo_catalog_sdk.api_versions import OP_BATCH, OP_REPORT, OP_STATS
from criteo_catalog_sdk.ids import MERCHANT_ID_MAX
from criteo_catalog_sdk.push.validation import validate_product

EXAMPLES = settings(
    max_examples=50,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: a failure is reported as found
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
WITH_STATS = [name for name in GENERATIONS if generation(name).stats_template is not None]
# Rules the SDK enforces before sending that the effective spec cannot state (facts sheet, section 3).
DOCUMENTED_REFUSALS = ("repeated in one batch", "merchant id")
# The SDK's per-product checks (criteo_catalog_sdk.issue.Issue types) a refused entry may cite.
PRODUCT_CHECKS = frozenset(
    {
        "MissingField",
        "TooLong",
        "WrongType",
        "InvalidValue",
        "NonAsciiId",
        "InvalidId",
        "UnknownField",
        "Unserializable",
    }
)


@cache
def documents(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The effective and published specs of generation ``name``."""
    return generation(name).effective(), generation(name).published()


def explore(where: Generation, strategy: st.SearchStrategy[Any], check: Callable[[Any], None], examples: int) -> None:
    strategies.explore(where, strategy, check, EXAMPLES, examples)


def assert_strictly_valid(request: httpx.Request, where: Generation, operation_id: str) -> Any:
    """The captured request satisfies both specs of ``where`` at its operation; returns its JSON body, if any."""
    method, _, template = where.label(operation_id).partition(" ")
    assert request.method == method
    assert request.url.host == "catalog-contract.invalid"
    path = request.url.raw_path.decode("ascii").partition("?")[0]
    query = request.url.query.decode("ascii")
    for document in documents(where.name):
        assert spec_checks.parameter_errors(document, method, template, path, query) == []
    assert request.headers["authorization"] == "Bearer contract-token"
    assert request.headers["accept"] == "application/json"
    if not request.content:
        assert method.upper() == "GET"
        return None
    assert request.headers["content-type"] == "application/json"
    body = json.loads(request.content)
    for document, name in zip(documents(where.name), ("effective", "published"), strict=True):
        problems = spec_checks.strict_request_errors(document, method, template, body)
        assert problems == [], f"the {where.name} {name} spec rejects what the SDK sent: {problems}: {body}"
    return body


def no_nulls(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, dict):
        return all(no_nulls(v) for v in value.values())
    if isinstance(value, list):
        return all(no_nulls(v) for v in value)
    return True


def product_id(entry: dict[str, Any]) -> Any:
    return entry["product"]["id"] if entry.get("method") == "insert" else entry.get("productId")


def _valid_product(product: dict[str, Any], index: int) -> dict[str, Any]:
    """The generated product with what the SDK's checks refuse taken out (kept: everything else)."""
    product = {
        **product,
        "id": f"p-{index}",
        "title": "t",
        "link": "https://shop.example/p",
        "imageLink": "https://i/p",
    }
    for _ in range(len(product)):
        _, issues = validate_product(product)
        if not issues:
            break
        for issue in issues:
            field = issue.field or ""
            top = field if field in product else field.split(".")[0].split("[")[0]
            product.pop(top, None)
    return product


def satisfy_documented_rules(body: dict[str, Any]) -> list[dict[str, Any]]:
    """An effective-valid batch adjusted to the rules the SDK checks (unique ids, inserts with a product,
    merchant ids in range, products that pass the SDK's per-product checks)."""
    entries: list[dict[str, Any]] = copy.deepcopy(body["entries"])
    for index, entry in enumerate(entries):
        merchant = int(entry["merchantId"])
        if not 1 <= merchant <= MERCHANT_ID_MAX:  # partner ids are positive int32s (the spec allows any)
            entry["merchantId"] = 1 + abs(merchant) % (MERCHANT_ID_MAX - 1)
        if entry["method"] == "insert":
            entry["product"] = _valid_product(entry.get("product") or {}, index)
        else:
            entry["productId"] = f"d-{index}"
    return entries


def check_raw_batch(where: Generation, body: dict[str, Any]) -> None:
    """The effective-valid batch as given: sent in published form, or refused for a documented rule."""
    criteo = CapturingCriteo(where)
    with criteo.client() as client:
        try:
            token = client.submit_batch(body["entries"])
        except InvalidRequestError as refused:
            per_product = isinstance(refused, InvalidBatchError) and refused.rejections
            if per_product:
                assert {i.type for _, _, issues in refused.rejections for i in issues} <= PRODUCT_CHECKS, refused
            else:
                assert any(reason in str(refused) for reason in DOCUMENTED_REFUSALS), refused
            assert criteo.requests == []
            return
    assert token == DOCUMENTED_TOKEN
    sent = assert_strictly_valid(criteo.take(), where, OP_BATCH)
    assert len(sent["entries"]) == len(body["entries"])
    for given_entry, sent_entry in zip(body["entries"], sent["entries"], strict=True):
        assert sent_entry["method"] == given_entry["method"]
        # The published type of the generation: the int32 where it is an integer (never "123", D2),
        # the digits where it is a string (2027-01).
        assert sent_entry["merchantId"] == where.version.merchant_id_value(int(given_entry["merchantId"]))
        assert no_nulls(sent_entry)  # null fields are dropped (D4)
        if sent_entry["method"] == "insert":
            assert sent_entry["product"]["id"] == given_entry["product"]["id"]
            assert sent_entry["product"]["channel"] == "online"  # required by the published spec (D3)
        else:
            assert sent_entry["productId"] == given_entry["productId"]


def check_repaired_batch(where: Generation, body: dict[str, Any]) -> None:
    """The batch adjusted to the documented rules is always sent, in published form."""
    entries = satisfy_documented_rules(body)
    criteo = CapturingCriteo(where)
    with criteo.client() as client:
        client.submit_batch(entries)
    sent = assert_strictly_valid(criteo.take(), where, OP_BATCH)
    assert [product_id(e) for e in sent["entries"]] == [str(product_id(e)) for e in entries]


def check_model_round_trip(where: Generation, body: dict[str, Any]) -> None:
    """``from_dict(to_dict(x)) == x``; nothing lost or added; a model batch goes out like the dict one."""
    model = ProductsCustomBatchRequest.from_dict(body)
    assert ProductsCustomBatchRequest.from_dict(model.to_dict()) == model
    assert model.to_dict() == body
    rebuilt = ProductsCustomBatchRequest.from_dict({"entries": satisfy_documented_rules(body)})
    criteo = CapturingCriteo(where)
    with criteo.client() as client:
        client.submit_batch(rebuilt.entries)
    assert_strictly_valid(criteo.take(), where, OP_BATCH)


@pytest.mark.parametrize("name", GENERATIONS)
def test_submit_batch(name: str) -> None:
    """One generated batch, three properties (generation is the costly part, so it is shared). The public
    models (``criteo_catalog_sdk.models``) are the default generation's: their round trip is checked there."""
    where = generation(name)

    def check(case: Any) -> None:
        check_raw_batch(where, case.body)
        check_repaired_batch(where, case.body)
        if where.name == specs.DEFAULT_GENERATION:
            check_model_round_trip(where, case.body)

    explore(where, strategies.request_cases(OP_BATCH, where=where), check, examples=50)


@pytest.mark.parametrize("name", GENERATIONS)
def test_the_async_client_sends_the_same_bytes(name: str) -> None:
    where = generation(name)

    def check(case: Any) -> None:
        entries = satisfy_documented_rules(case.body)
        sync, asynchronous = CapturingCriteo(where), CapturingCriteo(where)
        with sync.client() as client:
            client.submit_batch(entries)

        async def send() -> None:
            async with asynchronous.async_client() as client:
                await client.submit_batch(entries)

        asyncio.run(send())
        assert sync.take().content == asynchronous.take().content

    explore(where, strategies.request_cases(OP_BATCH, where=where), check, examples=10)


@pytest.mark.parametrize("name", GENERATIONS)
def test_get_report_sends_a_path_both_specs_accept(name: str) -> None:
    where = generation(name)

    def check(case: Any) -> None:
        token = case.path_parameters[where.report_parameter]
        criteo = CapturingCriteo(where)
        with criteo.client() as client:
            report = client.get_report(token)
        assert report.status == "VALIDATED"
        request = criteo.take()
        assert_strictly_valid(request, where, OP_REPORT)
        assert spec_checks.match_path(where.report_template, request.url.raw_path.decode()) == {
            where.report_parameter: token
        }

    explore(where, strategies.request_cases(OP_REPORT, where=where), check, examples=50)


@pytest.mark.parametrize("name", WITH_STATS)
def test_get_merchant_stats_sends_a_path_and_query_both_specs_accept(name: str) -> None:
    where = generation(name)
    parameter = where.version.stats_operation().parameter or ""

    def check(drawn: tuple[Any, bool]) -> None:
        case, as_int = drawn
        merchant: int | str = case.path_parameters[parameter]
        hours = case.query.get("lastNumHours") if case.query else None
        if as_int:
            merchant = int(merchant)
        criteo = CapturingCriteo(where)
        with criteo.client() as client:
            try:
                stats = (
                    client.get_merchant_stats(merchant) if hours is None else client.get_merchant_stats(merchant, hours)
                )
            except InvalidRequestError as refused:
                assert not 1 <= int(merchant) <= MERCHANT_ID_MAX and "merchant id" in str(refused)
                assert criteo.requests == []
                return
        assert stats.records == ()
        request = criteo.take()
        assert_strictly_valid(request, where, OP_STATS)
        # lastNumHours is optional in the spec: the SDK always sends it (24 unless told), as the docs ask.
        assert request.url.params["lastNumHours"] == str(24 if hours is None else hours)
        assert request.url.path.rsplit("/", 1)[1] == str(int(merchant))

    explore(where, st.tuples(strategies.request_cases(OP_STATS, where=where), st.booleans()), check, examples=50)


# -- gaps of the SDK found by the properties above, fixed, and pinned here ------------------------------------


def sent_entry(where: Generation, entry: dict[str, Any]) -> dict[str, Any]:
    """The entry the SDK sends for ``entry`` (valid under the effective spec), checked against both specs."""
    effective, _ = documents(where.name)
    assert spec_checks.strict_request_errors(effective, "post", where.batch_path, {"entries": [entry]}) == []
    criteo = CapturingCriteo(where)
    with criteo.client() as client:
        client.submit_batch([entry])
    sent: dict[str, Any] = assert_strictly_valid(criteo.take(), where, OP_BATCH)["entries"][0]
    return sent


@pytest.mark.parametrize("name", GENERATIONS)
def test_a_delete_with_a_product_is_sent_in_published_form(name: str) -> None:
    # The effective (and published) spec allow a product on a delete entry; the published one requires
    # channel in every product. Criteo deletes by productId: the SDK sends the delete without the product.
    entry = {
        "merchantId": 123,
        "method": "delete",
        "productId": "sku-1",
        "product": {"id": "sku-1", "title": "t", "link": "https://x/p", "imageLink": "https://x/i"},
    }
    where = generation(name)
    sent = sent_entry(where, entry)
    merchant = where.version.merchant_id_value(123)
    assert sent == {"merchantId": merchant, "method": "delete", "productId": "sku-1"}


@pytest.mark.parametrize("name", GENERATIONS)
def test_multipack_given_as_a_string_is_sent_as_the_integer(name: str) -> None:
    # D10: the effective spec accepts "5" (Criteo's text says so); the published one types it int64,
    # and the overlay promises that the SDK sends the integer.
    product = {"id": "sku-1", "title": "t", "link": "https://x/p", "imageLink": "https://x/i", "multipack": "5"}
    entry = {"merchantId": 123, "method": "insert", "product": product}
    assert sent_entry(generation(name), entry)["product"]["multipack"] == 5
