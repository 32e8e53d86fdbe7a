"""The settings of a whole-catalog push, defined once: both clients, the pipeline and the CLI use them.

``client.push(products, merchant_id=..., delta=True)`` and
``client.push(products, merchant_id=..., options=PushOptions(delta=True))`` are the same push: keyword
settings are :class:`PushOptions` fields, laid over ``options`` (or the defaults). An unknown keyword is a
``TypeError`` naming the known ones; a value out of range an
:class:`~criteo_catalog_sdk.errors.InvalidRequestError` naming the setting and its range.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Final, Literal

from criteo_catalog_sdk.errors import InvalidRequestError

__all__ = [
    "DEFAULT_MAX_DELETE_FRACTION",
    "DEFAULT_PARALLEL",
    "EMPTY_BODY",
    "MAX_REQUEST_BYTES",
    "MIN_BATCH_BYTES",
    "InvalidSettingError",
    "PushOptions",
    "UnknownFields",
]

#: Merchants pushed at once by ``push_many`` in one process (the application budget is what really
#: bounds them).
DEFAULT_PARALLEL: Final = 16

#: Criteo's request size limit (facts section 3: 16 MB per request).
MAX_REQUEST_BYTES: Final = 16_000_000
#: A batch's request body without entries (``wire.batch_body`` wraps the entries in it).
EMPTY_BODY: Final = b'{"entries":[]}'
#: The smallest batch body that holds an entry: ``{"entries":[x]}``.
MIN_BATCH_BYTES: Final = len(EMPTY_BODY) + 1

#: What to do with a field the Product schema does not know: report the product (default), drop the
#: field, or send it as is.
UnknownFields = Literal["reject", "drop", "keep"]
_UNKNOWN_FIELDS: Final = ("reject", "drop", "keep")

#: ``delete_missing`` deletes at most this share of the products the state holds for the merchant,
#: unless told otherwise: a truncated or wrong feed must not wipe a catalog.
DEFAULT_MAX_DELETE_FRACTION: Final = 0.10
#: Criteo's per-merchant budget (facts section 3).
DEFAULT_RATE_LIMIT: Final = 3000.0


@dataclass(frozen=True, slots=True, kw_only=True)
class PushOptions:
    """How a push runs.

    - Batches are sized to spend few API calls (Criteo allows 250 a minute per application): as many
      products as one second of the merchant's budget (``rate_limit``) and ``max_batch_bytes`` (default
      8 MB, half of Criteo's 16 MB request limit) allow; ``batch_size`` is a cap on entries, not a size.
    - ``rate_limit``: products per second for the merchant (Criteo's default budget: 3000);
      ``concurrency``: batches in flight; ``max_bytes_in_flight``: their request bodies together at most
      (default 16 MB: four batches of Criteo's 3000/s, about 2 MB each, or two of 8 MB; a batch larger
      than the bound is sent alone), which bounds the memory bodies take whatever the batches' size.
    - ``delta``: send only products new or changed since the last push with the same ``state``, or
      whose last accepted upsert is older than ``refresh_after`` days (default: spread per product
      between 20 and 25 days, before Criteo's 30-day expiry), or whose ``expirationDate`` comes first.
    - ``delete_missing``: delete the products of the state absent from the input; refused (nothing
      deleted, the push goes on and says why) when the input yields no valid product, when some inputs
      were unreadable, or when the deletions would exceed ``max_delete_fraction`` (0..1, default 0.10;
      1 allows all) of the products the state holds for the merchant.
    - ``wait``: poll every batch's report and reconcile (otherwise products stay ``pending``);
      ``report_timeout``: seconds to poll one report.
    - ``dry_run``: check and batch, send nothing, change no state.
    - ``unknown_fields``: ``reject`` (default), ``drop`` or ``keep`` fields the Product schema lacks.
    """

    batch_size: int = 10_000
    max_batch_bytes: int = 8_000_000
    rate_limit: float = DEFAULT_RATE_LIMIT
    concurrency: int = 4
    max_bytes_in_flight: int = MAX_REQUEST_BYTES
    delta: bool = False
    refresh_after: float | None = None
    delete_missing: bool = False
    max_delete_fraction: float = DEFAULT_MAX_DELETE_FRACTION
    wait: bool = True
    report_timeout: float = 3600.0
    dry_run: bool = False
    unknown_fields: UnknownFields = "reject"

    def __post_init__(self) -> None:
        _check(type(self.batch_size) is int and self.batch_size >= 1, "batch_size", "an integer >= 1")
        _check(
            type(self.max_batch_bytes) is int and MIN_BATCH_BYTES <= self.max_batch_bytes <= MAX_REQUEST_BYTES,
            "max_batch_bytes",
            f"an integer from {MIN_BATCH_BYTES} to {MAX_REQUEST_BYTES} (Criteo's request limit)",
        )
        _check(type(self.concurrency) is int and self.concurrency >= 1, "concurrency", "an integer >= 1")
        _check(
            type(self.max_bytes_in_flight) is int and self.max_bytes_in_flight >= 1,
            "max_bytes_in_flight",
            "an integer >= 1 (bytes)",
        )
        _check(_number(self.rate_limit) and self.rate_limit > 0, "rate_limit", "a number > 0 (products/s)")
        _check(_number(self.report_timeout) and self.report_timeout >= 0, "report_timeout", "seconds >= 0")
        _check(
            _number(self.max_delete_fraction) and 0 <= self.max_delete_fraction <= 1,
            "max_delete_fraction",
            "a number from 0 to 1 (1 allows deleting every product of the state)",
        )
        _check(
            self.refresh_after is None or (_number(self.refresh_after) and self.refresh_after > 0),
            "refresh_after",
            "a number of days > 0, or None for the default spread of 20 to 25 days",
        )
        _check(self.unknown_fields in _UNKNOWN_FIELDS, "unknown_fields", f"one of {', '.join(_UNKNOWN_FIELDS)}")
        for name in ("delta", "delete_missing", "wait", "dry_run"):
            _check(type(getattr(self, name)) is bool, name, "True or False")

    def replace(self, **settings: Any) -> PushOptions:
        """A copy with some settings changed; an unknown name is a ``TypeError`` naming the known ones."""
        if not settings:
            return self
        unknown = sorted(set(settings) - _FIELDS)
        if unknown:
            raise TypeError(f"unknown push setting(s) {', '.join(unknown)}; known: {', '.join(sorted(_FIELDS))}")
        return dataclasses.replace(self, **settings)

    @classmethod
    def of(cls, options: PushOptions | None = None, **settings: Any) -> PushOptions:
        """``options`` (or the defaults) with ``settings`` laid over them."""
        return (options if options is not None else cls()).replace(**settings)

    def to_dict(self) -> dict[str, Any]:
        """The settings as a JSON-ready dict (recorded with each run in the journal)."""
        return dataclasses.asdict(self)


_FIELDS: Final = frozenset(f.name for f in dataclasses.fields(PushOptions))


def _number(value: object) -> bool:
    return type(value) in (int, float) and value == value


class InvalidSettingError(InvalidRequestError):
    """A push setting out of its range: ``setting`` names it, ``expected`` says what it must be (the
    command line words its options' errors from them)."""

    def __init__(self, setting: str, expected: str) -> None:
        super().__init__(f"push setting {setting} must be {expected}")
        self.setting = setting
        self.expected = expected


def _check(ok: bool, name: str, expected: str) -> None:
    if not ok:
        raise InvalidSettingError(name, expected)
