"""OAuth2 client credentials: the token endpoint, bearer-token checks and merchant permissions."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs

from criteo_catalog_sdk.ids import as_merchant_id
from criteo_catalog_sdk.simulator.config import Settings
from criteo_catalog_sdk.simulator.state import AccessToken, Store

STATIC_CLIENT = "static-token"


@dataclass(frozen=True, slots=True)
class TokenRequest:
    """What a POST /oauth2/token asked for."""

    grant_type: str
    client_id: str
    client_secret: str
    refresh_token: str


class OAuthError(Exception):
    """An RFC 6749 error answer."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description

    def body(self) -> dict[str, str]:
        """The JSON body."""
        return {"error": self.error, "error_description": self.description}


def _basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    if not authorization or authorization[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    client_id, _, secret = decoded.partition(":")
    return client_id, secret


def parse_token_request(body: bytes, content_type: str, authorization: str | None) -> TokenRequest:
    """Read a form-encoded (or JSON) token request; client credentials may also come as HTTP Basic."""
    fields: dict[str, str] = {}
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OAuthError(400, "invalid_request", "The body is not UTF-8.") from exc
    if "json" in content_type.lower():
        try:
            data = json.loads(text) if text.strip() else {}
        except ValueError as exc:
            raise OAuthError(400, "invalid_request", "The body is not valid JSON.") from exc
        if not isinstance(data, dict):
            raise OAuthError(400, "invalid_request", "The body must be a JSON object.")
        fields = {str(k): str(v) for k, v in data.items() if isinstance(v, str | int)}
    else:
        fields = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
    basic = _basic_credentials(authorization)
    client_id = fields.get("client_id", "")
    secret = fields.get("client_secret", "")
    if basic is not None and not client_id:
        client_id, secret = basic
    return TokenRequest(fields.get("grant_type", ""), client_id, secret, fields.get("refresh_token", ""))


class Authenticator:
    """Issues and checks tokens, decides which merchants a client may manage."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def issue(self, request: TokenRequest, settings: Settings, now: float) -> dict[str, object]:
        """Answer a token request (raise :class:`OAuthError` to refuse)."""
        if request.grant_type == "client_credentials":
            if not request.client_id or not request.client_secret:
                raise OAuthError(401, "invalid_client", "client_id and client_secret are required.")
            if (
                settings.credentials is not None
                and settings.credentials.get(request.client_id) != request.client_secret
            ):
                raise OAuthError(401, "invalid_client", "Unknown client or wrong secret.")
            client_id = request.client_id
        elif request.grant_type == "refresh_token":
            found = self.store.get_token(request.refresh_token) if request.refresh_token else None
            if found is None or found.kind != "refresh" or found.revoked:
                raise OAuthError(400, "invalid_grant", "Unknown or revoked refresh token.")
            client_id = found.client_id
        elif not request.grant_type:
            raise OAuthError(400, "invalid_request", "grant_type is required.")
        else:
            raise OAuthError(400, "unsupported_grant_type", f"grant_type {request.grant_type!r} is not supported.")
        access = AccessToken(f"sim-{secrets.token_urlsafe(24)}", client_id, now + settings.token_ttl)
        refresh = AccessToken(f"simr-{secrets.token_urlsafe(24)}", client_id, float("inf"), kind="refresh")
        self.store.put_token(access)
        self.store.put_token(refresh)
        return {
            "access_token": access.token,
            "token_type": "Bearer",
            "expires_in": settings.token_ttl,
            # Criteo's own generated SDKs read refresh_token unguarded (facts section 5).
            "refresh_token": refresh.token,
        }

    def verify(self, authorization: str | None, settings: Settings, now: float) -> AccessToken | None:
        """The valid access token of an ``Authorization: Bearer`` header, or None (401)."""
        if not authorization or authorization[:7].lower() != "bearer ":
            return None
        token = authorization[7:].strip()
        if not token:
            return None
        if token in settings.static_tokens:
            return AccessToken(token, STATIC_CLIENT, float("inf"))
        found = self.store.get_token(token)
        if found is None or found.kind != "access" or found.revoked or now >= found.expires_at:
            return None
        return found

    @staticmethod
    def may_manage(settings: Settings, client_id: str, merchant: int) -> bool:
        """Whether ``client_id`` may manage ``merchant`` (a merchant id, see ``ids.as_merchant_id``)."""
        if as_merchant_id(merchant) is None:
            return False
        allowed: frozenset[int] | None = settings.client_merchants.get(client_id, settings.merchants)
        return allowed is None or merchant in allowed
