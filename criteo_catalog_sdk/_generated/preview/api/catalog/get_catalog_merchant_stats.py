from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.catalog_error_response import CatalogErrorResponse
from ...models.statistics_ok_response import StatisticsOkResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    merchant_id: str,
    *,
    last_num_hours: int | Unset = 24,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["lastNumHours"] = last_num_hours

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/preview/catalog/stats/merchants/{merchant_id}".format(
            merchant_id=quote(str(merchant_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CatalogErrorResponse | StatisticsOkResponse | None:
    if response.status_code == 200:
        response_200 = StatisticsOkResponse.from_dict(response.json())

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
) -> Response[CatalogErrorResponse | StatisticsOkResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    merchant_id: str,
    *,
    client: AuthenticatedClient,
    last_num_hours: int | Unset = 24,
) -> Response[CatalogErrorResponse | StatisticsOkResponse]:
    """/preview/catalog/stats/merchants/{merchant-id}

     Retrieve counters describing the state of a merchant's catalog (products added, updated, deleted,
    displayable, missing data and so on) over a recent time window.

    Args:
        merchant_id (str):
        last_num_hours (int | Unset):  Default: 24.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogErrorResponse | StatisticsOkResponse]
    """

    kwargs = _get_kwargs(
        merchant_id=merchant_id,
        last_num_hours=last_num_hours,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    merchant_id: str,
    *,
    client: AuthenticatedClient,
    last_num_hours: int | Unset = 24,
) -> CatalogErrorResponse | StatisticsOkResponse | None:
    """/preview/catalog/stats/merchants/{merchant-id}

     Retrieve counters describing the state of a merchant's catalog (products added, updated, deleted,
    displayable, missing data and so on) over a recent time window.

    Args:
        merchant_id (str):
        last_num_hours (int | Unset):  Default: 24.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogErrorResponse | StatisticsOkResponse
    """

    return sync_detailed(
        merchant_id=merchant_id,
        client=client,
        last_num_hours=last_num_hours,
    ).parsed


async def asyncio_detailed(
    merchant_id: str,
    *,
    client: AuthenticatedClient,
    last_num_hours: int | Unset = 24,
) -> Response[CatalogErrorResponse | StatisticsOkResponse]:
    """/preview/catalog/stats/merchants/{merchant-id}

     Retrieve counters describing the state of a merchant's catalog (products added, updated, deleted,
    displayable, missing data and so on) over a recent time window.

    Args:
        merchant_id (str):
        last_num_hours (int | Unset):  Default: 24.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogErrorResponse | StatisticsOkResponse]
    """

    kwargs = _get_kwargs(
        merchant_id=merchant_id,
        last_num_hours=last_num_hours,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    merchant_id: str,
    *,
    client: AuthenticatedClient,
    last_num_hours: int | Unset = 24,
) -> CatalogErrorResponse | StatisticsOkResponse | None:
    """/preview/catalog/stats/merchants/{merchant-id}

     Retrieve counters describing the state of a merchant's catalog (products added, updated, deleted,
    displayable, missing data and so on) over a recent time window.

    Args:
        merchant_id (str):
        last_num_hours (int | Unset):  Default: 24.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogErrorResponse | StatisticsOkResponse
    """

    return (
        await asyncio_detailed(
            merchant_id=merchant_id,
            client=client,
            last_num_hours=last_num_hours,
        )
    ).parsed
