"""Client settings from arguments or the environment, and the URL safety rule.

Environment: ``CRITEO_CLIENT_ID``, ``CRITEO_CLIENT_SECRET`` (required), ``CRITEO_API_URL`` (optional,
default ``https://api.criteo.com``), ``CRITEO_API_VERSION`` (optional: the API generation, see
:mod:`criteo_catalog_sdk.api_versions`). Credentials are only ever sent over https, or over plain http to a
loopback host (127.0.0.0/8, ::1, localhost) such as a local simulator.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from criteo_catalog_sdk.errors import ConfigurationError, InsecureTransportError

__all__ = [
    "DEFAULT_BASE_URL",
    "ENV_API_URL",
    "ENV_API_VERSION",
    "ENV_CLIENT_ID",
    "ENV_CLIENT_SECRET",
    "TOKEN_PATH",
    "Settings",
    "check_url",
    "is_loopback_host",
    "settings_from_env",
    "uses_tls",
]

DEFAULT_BASE_URL = "https://api.criteo.com"
TOKEN_PATH = "/oauth2/token"  # noqa: S105 - a path
ENV_CLIENT_ID = "CRITEO_CLIENT_ID"
ENV_CLIENT_SECRET = "CRITEO_CLIENT_SECRET"  # noqa: S105 - the variable's name, not a secret
ENV_API_URL = "CRITEO_API_URL"
ENV_API_VERSION = "CRITEO_API_VERSION"


@dataclass(frozen=True)
class Settings:
    """Where and as whom to connect. The secret is left out of ``repr``."""

    client_id: str
    client_secret: str = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    token_url: str | None = None
    api_version: str | None = None

    @property
    def effective_token_url(self) -> str:
        """``token_url``, or ``base_url`` + ``/oauth2/token``."""
        return self.token_url or self.base_url.rstrip("/") + TOKEN_PATH


def settings_from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Read :class:`Settings` from ``CRITEO_CLIENT_ID``, ``CRITEO_CLIENT_SECRET``, ``CRITEO_API_URL`` and
    ``CRITEO_API_VERSION``."""
    env = os.environ if environ is None else environ
    missing = [name for name in (ENV_CLIENT_ID, ENV_CLIENT_SECRET) if not env.get(name, "").strip()]
    if missing:
        raise ConfigurationError(f"missing environment variable(s): {', '.join(missing)}")
    return Settings(
        client_id=env[ENV_CLIENT_ID].strip(),
        client_secret=env[ENV_CLIENT_SECRET].strip(),
        base_url=env.get(ENV_API_URL, "").strip() or DEFAULT_BASE_URL,
        api_version=env.get(ENV_API_VERSION, "").strip() or None,
    )


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` is ``localhost`` or a loopback address (127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def uses_tls(*urls: str) -> bool:
    """Whether an ``httpx`` client that only ever talks to ``urls`` (checked by :func:`check_url`; it
    follows no redirects) uses TLS: its ``verify``. When none is https, no TLS is ever used, so no CA
    bundle need be loaded: ``httpx``'s default loads certifi's certificates into a new SSL context, about
    0.1 s of CPU for each client, a microsecond per product of a 100,000-product push to a local simulator.
    An https client keeps ``httpx``'s verification as it is."""
    return any(httpx.URL(url).scheme == "https" for url in urls)


def check_url(url: str, what: str) -> str:
    """Validate a base or token URL and return it without a trailing slash.

    Raises :class:`InsecureTransportError` for plain http to a host that is not loopback, and
    :class:`ConfigurationError` for anything that is not an absolute http(s) URL.
    """
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ConfigurationError(f"{what} is not a valid URL ({type(exc).__name__})") from None
    # Checked first so that the messages below, which quote the URL, never quote embedded credentials.
    if parsed.userinfo:
        raise ConfigurationError(f"{what} must not embed credentials")
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError(f"{what} must be an absolute http(s) URL, got {url!r}")
    if parsed.query or parsed.fragment:
        raise ConfigurationError(f"{what} must not have a query or fragment, got {url!r}")
    if parsed.scheme == "http" and not is_loopback_host(parsed.host):
        raise InsecureTransportError(
            f"refusing to send credentials over plain http to {parsed.host!r}: use https "
            "(plain http is allowed only to loopback hosts: 127.0.0.0/8, ::1, localhost)"
        )
    return url.rstrip("/")
