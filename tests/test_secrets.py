"""The client secret and access tokens never show in logs, reprs or exception text, even at DEBUG."""

from __future__ import annotations

import logging
import traceback

import httpx
import pytest

from criteo_catalog_sdk import AuthenticationError, CatalogClient, CriteoError, RetryPolicy
from criteo_catalog_sdk._logging import redact
from criteo_catalog_sdk.auth import Secret
from criteo_catalog_sdk.config import settings_from_env
from tests.fakes.mock_criteo import CLIENT_ID, DOC_TOKEN, SECRET, FakeAPI, problem, sync_client
from tests.fakes.scripted_criteo import ScriptedCriteo, rate_limited, server_error


def _exception_texts(errors: list[BaseException]) -> str:
    parts = []
    for error in errors:
        parts += [str(error), repr(error), "".join(traceback.format_exception(error))]
        parts += [repr(arg) for arg in error.args]
        if isinstance(error, AuthenticationError):
            parts.append(error.body)
    return "\n".join(parts)


def _assert_clean(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        assert secret not in text


def test_nothing_leaks_over_the_wire_at_debug(criteo: ScriptedCriteo, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx, httpcore, uvicorn
    errors: list[BaseException] = []
    quick = RetryPolicy(attempts=2, initial_wait=0.01, max_wait=0.01, jitter=0)
    with CatalogClient(CLIENT_ID, SECRET, base_url=criteo.url, retry=quick) as client:
        token = client.delete_products(1, ["x"])
        criteo.revoke_all()
        client.get_report(token)
        criteo.faults["report"].extend([rate_limited(1), server_error(503), server_error(503)])
        try:
            client.get_report(token)
        except CriteoError as exc:
            errors.append(exc)
        criteo.revoke_all()
        criteo.faults["token"].append(server_error(500))
        criteo.faults["token"].append(server_error(500))
        try:
            client.get_report(token)
        except CriteoError as exc:
            errors.append(exc)
        reprs = [repr(client), str(client), repr(client._auth), repr(vars(client._auth))]
    with CatalogClient(CLIENT_ID, "another-Secret-777", base_url=criteo.url, retry=quick) as wrong:
        try:
            wrong.get_report(token)
        except CriteoError as exc:
            errors.append(exc)
    assert len(errors) == 3
    assert criteo.issued, "the scenario issued tokens"
    secrets = [SECRET, "another-Secret-777", *criteo.issued]
    _assert_clean(caplog.text, secrets)
    _assert_clean("\n".join(r.getMessage() for r in caplog.records), secrets)
    _assert_clean("\n".join(reprs), secrets)
    _assert_clean(_exception_texts(errors), secrets)
    assert any("/oauth2/token" in r.getMessage() for r in caplog.records)  # logging did happen


def test_nothing_leaks_in_process(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    api = FakeAPI()
    api.script("report", problem(401, "not-authenticated", "User is not authenticated", type_="authentication"))
    api.script("batch", problem(403, "not-authorized", "User is not authorized", type_="authorization"))
    client, _ = sync_client(api)
    errors: list[BaseException] = []
    client.get_report(DOC_TOKEN)
    try:
        client.delete_products(1, ["p"])
    except CriteoError as exc:
        errors.append(exc)
    api.token_queue.append(httpx.Response(400, json={"error": "invalid_client", "error_description": f"bad {SECRET}"}))
    client._auth.invalidate()
    try:
        client.get_report(DOC_TOKEN)
    except CriteoError as exc:
        errors.append(exc)
    secrets = [SECRET, *api.issued]
    _assert_clean(caplog.text, secrets)
    _assert_clean(_exception_texts(errors), secrets)
    _assert_clean(repr(client) + repr(client._auth) + repr(client._auth._token), secrets)
    assert "***" in str(errors[-1])  # the echoed secret was scrubbed, the rest of the reason kept


def test_settings_and_secret_reprs() -> None:
    settings = settings_from_env({"CRITEO_CLIENT_ID": "id", "CRITEO_CLIENT_SECRET": SECRET})
    assert SECRET not in repr(settings)
    assert SECRET not in repr(Secret(SECRET)) + str(Secret(SECRET))
    assert Secret(SECRET).reveal() == SECRET


@pytest.mark.parametrize(
    "line",
    [
        "Authorization: Bearer abc.def-ghi",
        "headers={'authorization': 'Bearer abc.def-ghi'}",
        "Authorization: Basic abc.def-ghi",  # not Bearer: the whole value goes
        "headers={'authorization': 'Token abc.def-ghi'}",
        "authorization=abc.def-ghi",
        "client_secret=abc.def-ghi&grant_type=client_credentials",
        '{"access_token": "abc.def-ghi", "expires_in": 900}',
    ],
)
def test_redacting_filter_scrubs_credential_shapes(line: str, caplog: pytest.LogCaptureFixture) -> None:
    assert "abc.def-ghi" not in redact(line)
    with caplog.at_level(logging.DEBUG, logger="criteo_catalog_sdk"):
        logging.getLogger("criteo_catalog_sdk").debug("got %s", line)
    assert "abc.def-ghi" not in caplog.text
    assert "got" in caplog.text
