from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.catalog_error_response import CatalogErrorResponse
from ...models.report_ok_response import ReportOkResponse
from ...types import Response


def _get_kwargs(
    operation_token: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/experimental/catalog/products/batch/report/{operation_token}".format(
            operation_token=quote(str(operation_token), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | CatalogErrorResponse | ReportOkResponse | None:
    if response.status_code == 200:
        response_200 = ReportOkResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = CatalogErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = CatalogErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = CatalogErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = CatalogErrorResponse.from_dict(response.json())

        return response_404

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
) -> Response[Any | CatalogErrorResponse | ReportOkResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    operation_token: str,
    *,
    client: AuthenticatedClient,
) -> Response[Any | CatalogErrorResponse | ReportOkResponse]:
    """/experimental/catalog/products/batch/report/{operation-token}

     Get the report of an asynchronous batch operation previously requested

    Args:
        operation_token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | CatalogErrorResponse | ReportOkResponse]
    """

    kwargs = _get_kwargs(
        operation_token=operation_token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    operation_token: str,
    *,
    client: AuthenticatedClient,
) -> Any | CatalogErrorResponse | ReportOkResponse | None:
    """/experimental/catalog/products/batch/report/{operation-token}

     Get the report of an asynchronous batch operation previously requested

    Args:
        operation_token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | CatalogErrorResponse | ReportOkResponse
    """

    return sync_detailed(
        operation_token=operation_token,
        client=client,
    ).parsed


async def asyncio_detailed(
    operation_token: str,
    *,
    client: AuthenticatedClient,
) -> Response[Any | CatalogErrorResponse | ReportOkResponse]:
    """/experimental/catalog/products/batch/report/{operation-token}

     Get the report of an asynchronous batch operation previously requested

    Args:
        operation_token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | CatalogErrorResponse | ReportOkResponse]
    """

    kwargs = _get_kwargs(
        operation_token=operation_token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    operation_token: str,
    *,
    client: AuthenticatedClient,
) -> Any | CatalogErrorResponse | ReportOkResponse | None:
    """/experimental/catalog/products/batch/report/{operation-token}

     Get the report of an asynchronous batch operation previously requested

    Args:
        operation_token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | CatalogErrorResponse | ReportOkResponse
    """

    return (
        await asyncio_detailed(
            operation_token=operation_token,
            client=client,
        )
    ).parsed
