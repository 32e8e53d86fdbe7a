from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch_accepted_response import BatchAcceptedResponse
from ...models.catalog_error_response import CatalogErrorResponse
from ...models.products_custom_batch_request import ProductsCustomBatchRequest
from ...types import Response


def _get_kwargs(
    *,
    body: ProductsCustomBatchRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/preview/catalog/products/batch",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | BatchAcceptedResponse | CatalogErrorResponse | None:
    if response.status_code == 202:
        response_202 = BatchAcceptedResponse.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = CatalogErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = CatalogErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = CatalogErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = cast(Any, None)
        return response_413

    if response.status_code == 429:
        response_429 = CatalogErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = CatalogErrorResponse.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = CatalogErrorResponse.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | BatchAcceptedResponse | CatalogErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ProductsCustomBatchRequest,
) -> Response[Any | BatchAcceptedResponse | CatalogErrorResponse]:
    """/preview/catalog/products/batch

     Queue a batch of product inserts and deletes for asynchronous processing. The answer carries a token
    with which the outcome of the batch can later be fetched from the report endpoint.

    Args:
        body (ProductsCustomBatchRequest): A batch of product operations to run against one or
            more catalogs.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | BatchAcceptedResponse | CatalogErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ProductsCustomBatchRequest,
) -> Any | BatchAcceptedResponse | CatalogErrorResponse | None:
    """/preview/catalog/products/batch

     Queue a batch of product inserts and deletes for asynchronous processing. The answer carries a token
    with which the outcome of the batch can later be fetched from the report endpoint.

    Args:
        body (ProductsCustomBatchRequest): A batch of product operations to run against one or
            more catalogs.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | BatchAcceptedResponse | CatalogErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ProductsCustomBatchRequest,
) -> Response[Any | BatchAcceptedResponse | CatalogErrorResponse]:
    """/preview/catalog/products/batch

     Queue a batch of product inserts and deletes for asynchronous processing. The answer carries a token
    with which the outcome of the batch can later be fetched from the report endpoint.

    Args:
        body (ProductsCustomBatchRequest): A batch of product operations to run against one or
            more catalogs.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | BatchAcceptedResponse | CatalogErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ProductsCustomBatchRequest,
) -> Any | BatchAcceptedResponse | CatalogErrorResponse | None:
    """/preview/catalog/products/batch

     Queue a batch of product inserts and deletes for asynchronous processing. The answer carries a token
    with which the outcome of the batch can later be fetched from the report endpoint.

    Args:
        body (ProductsCustomBatchRequest): A batch of product operations to run against one or
            more catalogs.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | BatchAcceptedResponse | CatalogErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
