"""The secrets audit: every log line, text and file a run leaves is searched for the client secret and
for every access or refresh token that was issued."""

from __future__ import annotations

import json
import logging
import re
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ._support import SECRET


class LogCapture(logging.Handler):
    """Every log record of the process, formatted with its traceback, at DEBUG."""

    LOGGERS = ("", "criteo_catalog_sdk", "httpx", "httpcore", "hpack", "asyncio", "hypothesis")

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []
        self._levels: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the formatted record."""
        try:
            self.lines.append(self.format(record))
        except Exception:  # a record that cannot be formatted must not break the code under test
            self.lines.append(f"<unformattable {record.name} record: {record.msg!r}>")

    def install(self) -> None:
        """Attach to the root logger and put every interesting logger at DEBUG."""
        for name in self.LOGGERS:
            lg = logging.getLogger(name)
            self._levels[name] = lg.level
            lg.setLevel(logging.DEBUG)
        logging.getLogger().addHandler(self)

    def uninstall(self) -> None:
        """Detach and restore the levels."""
        logging.getLogger().removeHandler(self)
        for name, level in self._levels.items():
            logging.getLogger(name).setLevel(level)

    def text(self) -> str:
        """Everything logged so far."""
        return "\n".join(self.lines)


_TOKEN_FIELD = re.compile(rb'"(?:access_token|refresh_token)"\s*:\s*"([^"\\]{8,})')


def tokens_of_token_response(body: bytes) -> set[str]:
    """The access and refresh tokens of an OAuth2 token response body, also of a body cut short (then
    the part of a token that arrived, if it is 8 characters or more)."""
    found = {m.group(1).decode("utf-8", "replace") for m in _TOKEN_FIELD.finditer(body)}
    try:
        data = json.loads(body)
    except ValueError:
        return found
    if isinstance(data, dict):
        found |= {v for k in ("access_token", "refresh_token") if isinstance(v := data.get(k), str) and v}
    return found


@dataclass
class SecretAudit:
    """Collects everything the SDK produced during a test and asserts that no credential is in it.

    Needles: the client secret and every access/refresh token the simulator issued (collected by a spy on
    the token responses, in this process and in push subprocesses). Haystacks: logs at DEBUG, reprs,
    exception texts and tracebacks, state files (SQLite, with WAL), exports and subprocess output.
    """

    secrets: list[str] = field(default_factory=lambda: [SECRET])
    tokens: set[str] = field(default_factory=set)
    token_bodies: list[bytes] = field(default_factory=list)  # every token response the SDK received
    haystacks: list[tuple[str, bytes]] = field(default_factory=list)
    log: LogCapture = field(default_factory=LogCapture)

    def text(self, label: str, value: str | bytes) -> None:
        """Audit a text."""
        self.haystacks.append((label, value if isinstance(value, bytes) else value.encode("utf-8", "replace")))

    def obj(self, label: str, value: object) -> None:
        """Audit an object's ``repr`` and ``str``."""
        self.text(f"repr({label})", repr(value))
        self.text(f"str({label})", str(value))

    def exception(self, label: str, exc: BaseException) -> None:
        """Audit an exception: message, repr, args, attributes (error reporters dump them), the whole
        chained traceback."""
        self.obj(label, exc)
        self.text(f"vars({label})", repr(vars(exc)))
        self.text(f"traceback({label})", "".join(traceback.format_exception(exc)))
        for i, arg in enumerate(exc.args):
            self.text(f"{label}.args[{i}]", repr(arg))
        cause = exc.__cause__ or exc.__context__
        if cause is not None and cause is not exc:
            self.exception(f"{label}.__cause__", cause)

    def file(self, label: str, path: Path) -> None:
        """Audit a file's bytes (and an SQLite file's -wal and -journal companions)."""
        for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-journal")):
            if candidate.exists():
                self.text(f"{label}:{candidate.name}", candidate.read_bytes())

    def add_tokens(self, tokens: Iterable[str]) -> None:
        """More needles: tokens the simulator issued."""
        self.tokens.update(t for t in tokens if t)

    def token_file(self, path: Path) -> None:
        """Read the tokens a push subprocess's spy wrote (one per line)."""
        if path.exists():
            self.add_tokens(line.strip() for line in path.read_text().splitlines())

    def verify(self) -> dict[str, int]:
        """Assert that no needle is in any haystack; return the audit's size."""
        self.text("logs", self.log.text())
        needles = [s.encode() for s in self.secrets] + [t.encode() for t in sorted(self.tokens)]
        leaks = [
            f"{needle[:6]!r}... in {label}" for label, hay in self.haystacks for needle in needles if needle in hay
        ]
        assert not leaks, "credentials leaked: " + "; ".join(leaks[:10])
        return {
            "haystacks": len(self.haystacks),
            "bytes_scanned": sum(len(h) for _, h in self.haystacks),
            "log_lines": len(self.log.lines),
            "tokens_checked": len(self.tokens),
        }
