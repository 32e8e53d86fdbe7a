"""The SDK's logger (``criteo_catalog_sdk``) and its environment switch.

One DEBUG line per HTTP request (method, path, status, attempt, duration), one INFO line per retry
(attempt, wait, reason). Messages never hold headers, bodies or credentials; a redacting filter on the
logger also scrubs anything that looks like a bearer token or a client secret, as a second line of
defence. ``CRITEO_CATALOG_LOG=debug`` (or ``info``, ``warning``) attaches a stderr handler without code.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from collections.abc import Mapping

__all__ = ["ENV_VAR", "RedactingFilter", "configure_from_env", "logger"]

ENV_VAR = "CRITEO_CATALOG_LOG"

logger = logging.getLogger("criteo_catalog_sdk")

_SECRET_PATTERNS = (
    re.compile(r"(?i)(bearer\s+)[^\s'\",]+"),
    re.compile(r"(?i)((?:client_secret|access_token|refresh_token)[\"']?\s*[=:]\s*[\"']?)[^\s&'\",}]+"),
    # Any scheme (Basic, Digest, Token...), up to the end of the quoted value or of the line.
    re.compile(r"(?i)(authorization[\"']?\s*[=:]\s*[\"']?)[^'\"\r\n}]+"),
)


def redact(text: str) -> str:
    """``text`` with bearer tokens, client secrets and Authorization values replaced by ``***``."""
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(r"\1***", text)
    return text


class RedactingFilter(logging.Filter):
    """Scrubs credentials from a record's formatted message (runs only for enabled records)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message in place; never drops a record."""
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


logger.addFilter(RedactingFilter())

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}
_configured = False
_configure_lock = threading.Lock()


def configure_from_env(environ: Mapping[str, str] | None = None) -> None:
    """Attach a stderr handler at the level named by ``CRITEO_CATALOG_LOG`` (once per process)."""
    global _configured
    if _configured:
        return
    env = os.environ if environ is None else environ
    level = _LEVELS.get(env.get(ENV_VAR, "").strip().lower())
    with _configure_lock:
        if _configured:
            return
        _configured = True
        if level is None:
            return
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(RedactingFilter())
        logger.addHandler(handler)
        logger.setLevel(level)
