"""The ``push-many`` manifest: one TOML file listing the merchants to push, read and checked whole
before anything is sent (no I/O beyond reading the file).

::

    [defaults]                          # push settings of every merchant, named as push's options
    delta = true
    max-delete-fraction = 0.05

    [[merchant]]
    id = 123
    feed = "feeds/123.xml.gz"           # relative paths are relative to the manifest's folder
    state = "state/123.db"              # optional, as push --state (recommended: resume, delta)
    report-out = "reports/123.jsonl"    # optional, as push --report-out
    format = "xml"                      # optional, as push --format; delimiter likewise
    delete-missing = true               # a merchant's own settings win over [defaults]

Every problem is one :class:`~criteo_catalog_sdk.cli.exit_codes.CommandError` (exit 2) naming the
manifest, the table (``[defaults]``, or the merchant) and the key: TOML syntax (with its line and
column), unknown keys (with the allowed ones), values of the wrong type or out of range (checked by
``PushOptions`` itself, as push's options are), a merchant id out of range or listed twice, two
merchants sharing a state file or a report.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from criteo_catalog_sdk.cli.exit_codes import CommandError, ExitCode
from criteo_catalog_sdk.cli.push_options import PUSH_FIELDS, setting_problem
from criteo_catalog_sdk.errors import InvalidRequestError
from criteo_catalog_sdk.ids import merchant_id_problem
from criteo_catalog_sdk.push.feeds.items import FORMATS
from criteo_catalog_sdk.push.options import PushOptions

__all__ = ["DEFAULTS_KEYS", "MERCHANT_KEYS", "Manifest", "ManifestMerchant", "read_manifest"]

#: Push settings a manifest may give, by their option names (a dry run is the command's ``--dry-run``).
SETTING_KEYS: Final = {name.replace("_", "-"): name for name in PUSH_FIELDS if name != "dry_run"}
#: How a merchant's feed is read (as push's ``--format`` and ``--delimiter``).
FEED_KEYS: Final = ("format", "delimiter")
DEFAULTS_KEYS: Final = (*SETTING_KEYS, *FEED_KEYS)
MERCHANT_KEYS: Final = ("id", "feed", "state", "report-out", *DEFAULTS_KEYS)
_TOP_KEYS: Final = ("defaults", "merchant")


@dataclass(frozen=True, slots=True)
class ManifestMerchant:
    """One merchant of a manifest: its feed and how to read it, its local outputs (paths resolved
    against the manifest's folder), its push settings. ``label`` names it in messages."""

    merchant_id: int
    feed: str
    state: str | None
    report_out: str | None
    feed_format: str | None
    delimiter: str | None
    options: PushOptions
    #: ``unknown-fields`` was given: the feed keeps its unmapped attributes for it to judge (as push).
    keep_unmapped: bool
    label: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """A checked manifest: its path and its merchants, in the file's order."""

    path: str
    merchants: tuple[ManifestMerchant, ...]

    def select(self, only: Iterable[int]) -> list[ManifestMerchant]:
        """The merchants ``only`` names (all of them when it names none); an id the manifest does not
        list is a usage error."""
        wanted = set(only)
        if not wanted:
            return list(self.merchants)
        listed = {m.merchant_id for m in self.merchants}
        missing = sorted(wanted - listed)
        if missing:
            ids = ", ".join(str(m) for m in missing)
            raise CommandError(
                f"--only {ids}: not in the manifest {self.path} (it lists {', '.join(map(str, sorted(listed)))})",
                ExitCode.USAGE,
                kind="UsageError",
            )
        return [m for m in self.merchants if m.merchant_id in wanted]


def refuse(path: str, where: str, message: str) -> CommandError:
    """The one-line error of a manifest problem (exit 2)."""
    return CommandError(f"manifest {path}: {where}{message}", ExitCode.USAGE, kind="ManifestError")


def read_manifest(path: str) -> Manifest:
    """Read and check the manifest at ``path``; any problem is a :class:`CommandError` (exit 2)."""
    try:
        with open(path, "rb") as fp:
            data = tomllib.load(fp)
    except OSError as exc:
        raise refuse(path, "", f"cannot be read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise refuse(path, "", f"not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise refuse(path, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    _known(path, "", data, _TOP_KEYS)
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise refuse(path, "", "defaults must be a table ([defaults])")
    _known(path, "[defaults]: ", defaults, DEFAULTS_KEYS)
    _settings(path, "[defaults]: ", defaults)  # its own mistakes are named there, not on every merchant
    tables = data.get("merchant")
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise refuse(path, "", "list the merchants to push as [[merchant]] tables, at least one")
    folder = os.path.dirname(path)
    merchants = [_merchant(path, folder, i, table, defaults) for i, table in enumerate(tables, 1)]
    _distinct(path, merchants)
    return Manifest(path, tuple(merchants))


def _known(path: str, where: str, table: Mapping[str, Any], allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    unknown = [key for key in table if key not in allowed]
    if unknown:
        raise refuse(path, where, f"unknown key {unknown[0]!r}; allowed: {', '.join(allowed)}")


def _merchant(
    path: str, folder: str, index: int, table: Mapping[str, Any], defaults: Mapping[str, Any]
) -> ManifestMerchant:
    where = f"[[merchant]] #{index}: "
    _known(path, where, table, MERCHANT_KEYS)
    if "id" not in table:
        raise refuse(path, where, "id is missing (the merchant's Criteo partner id)")
    problem = merchant_id_problem(table["id"])
    if problem is not None:
        raise refuse(path, where, f"id: {problem}")
    merchant_id = int(table["id"])
    label = f"merchant {merchant_id}"
    where = f"{label}: "
    merged = {**defaults, **table}

    def text(key: str, required: bool = False) -> str | None:
        value = table.get(key)
        if value is None and required:
            raise refuse(path, where, f"{key} is missing")
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise refuse(path, where, f"{key} must be a non-empty string, got {value!r}")
        return None if value is None else os.path.join(folder, os.path.expanduser(value))

    feed = text("feed", required=True)
    assert feed is not None  # noqa: S101 - required above
    feed_format, delimiter = _feed_reading(path, where, merged)
    return ManifestMerchant(
        merchant_id=merchant_id,
        feed=feed,
        state=text("state"),
        report_out=text("report-out"),
        feed_format=feed_format,
        delimiter=delimiter,
        options=_settings(path, where, merged),
        keep_unmapped="unknown-fields" in merged,
        label=label,
    )


def _feed_reading(path: str, where: str, merged: Mapping[str, Any]) -> tuple[str | None, str | None]:
    from criteo_catalog_sdk.push.feeds.detect import parse_delimiter

    feed_format = merged.get("format")
    if feed_format is not None and feed_format not in FORMATS:
        raise refuse(path, where, f"format: {feed_format!r} is not one of {', '.join(FORMATS)}")
    delimiter = merged.get("delimiter")
    if delimiter is not None:
        try:
            if not isinstance(delimiter, str):
                raise ValueError(f"the delimiter must be a string, got {delimiter!r}")
            delimiter = parse_delimiter(delimiter)
        except ValueError as exc:
            raise refuse(path, where, f"delimiter: {exc}") from None
    return feed_format, delimiter


def _settings(path: str, where: str, table: Mapping[str, Any]) -> PushOptions:
    """The push settings of a table, checked by ``PushOptions`` (one definition of each rule)."""
    settings = {SETTING_KEYS[key]: value for key, value in table.items() if key in SETTING_KEYS}
    try:
        return PushOptions(**settings)
    except InvalidRequestError as exc:
        name, message = setting_problem(exc)
        key = name.replace("_", "-") if name is not None else None
        got = f", got {settings[name]!r}" if name is not None else ""
        raise refuse(path, where, f"{key + ': ' if key else ''}{message}{got}") from None


def _distinct(path: str, merchants: list[ManifestMerchant]) -> None:
    """A merchant listed once; no local output (state file, report) written by two merchants."""
    seen: dict[int, ManifestMerchant] = {}
    outputs: dict[str, tuple[ManifestMerchant, str]] = {}
    for merchant in merchants:
        if merchant.merchant_id in seen:
            raise refuse(path, "", f"{merchant.label} is listed twice")
        seen[merchant.merchant_id] = merchant
        for key, value in (("state", merchant.state), ("report-out", merchant.report_out)):
            if value is None:
                continue
            real = os.path.normcase(os.path.realpath(value))
            if real in outputs:
                other, other_key = outputs[real]
                if other is merchant:
                    raise refuse(path, "", f"{merchant.label}: state and report-out are one file: {value}")
                same = f"the same {key}" if key == other_key else f"one file as {other_key} and {key}"
                raise refuse(path, "", f"{other.label} and {merchant.label} share {same}: {value}")
            outputs[real] = (merchant, key)
