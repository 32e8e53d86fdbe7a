"""The outcome of a push: one :class:`ProductOutcome` per input product, a :class:`Summary`, exports.

Outcomes of a large push are not held in a Python list: :class:`PushResult` takes a callable that
streams them (from the SQLite journal, see :meth:`criteo_catalog_sdk.push.journal.Journal.outcomes`),
so a result for ten million products costs the same memory as one for ten. Small, in-memory results
(tests, dry runs) use :meth:`PushResult.from_outcomes`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from os import PathLike
from typing import IO, Any, Literal

from criteo_catalog_sdk.issue import Issue

#: What happened to one input product. ``refreshed``: unchanged, but sent again so that it does not
#: expire (see ``PushOptions.refresh_after``); ``pending``: its batch was accepted but its report not
#: awaited (``wait=False``) or not yet final.
OutcomeStatus = Literal["upserted", "refreshed", "deleted", "rejected", "superseded", "unchanged", "pending"]
#: Who rejected it: the SDK before sending (``client``) or Criteo (``api``).
Stage = Literal["client", "api"]

OUTCOME_STATUSES: tuple[OutcomeStatus, ...] = (
    "upserted",
    "refreshed",
    "deleted",
    "rejected",
    "superseded",
    "unchanged",
    "pending",
)


NoteKind = Literal["refusal", "warning", "deprecation", "feed"]


class Note(str):
    """A remark about the whole push, as its text (a ``str``) with a ``kind``: a ``refusal`` (something
    asked for was not done, e.g. deleting missing products), a ``warning`` (e.g. a report never final),
    a ``deprecation`` (the API generation is being retired), or a ``feed`` remark (e.g. an attribute
    that maps to no Product field)."""

    __slots__ = ("kind",)
    kind: NoteKind

    def __new__(cls, kind: NoteKind, message: str) -> Note:
        """A note of ``kind`` saying ``message``."""
        note = super().__new__(cls, message)
        note.kind = kind
        return note

    @property
    def message(self) -> str:
        """The text of the note."""
        return str.__str__(self)

    def to_dict(self) -> dict[str, str]:
        """The note as a JSON-ready dict."""
        return {"kind": self.kind, "message": self.message}

    def __repr__(self) -> str:
        return f"Note({self.kind!r}, {self.message!r})"


@dataclass(frozen=True, slots=True)
class ProductOutcome:
    """What happened to one input product (or one unreadable input line).

    ``position`` is where the product came from: the line number in a feed file, or the 1-based index
    in an iterable (deletes are numbered after the products). ``product_id`` is the id as given
    (Criteo's reports lowercase it; the SDK maps it back), ``None`` for an unreadable line.
    A product can be ``upserted`` and carry ``warnings``; it then counts as warned too.
    """

    position: int
    product_id: str | None
    status: OutcomeStatus
    stage: Stage | None = None
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()

    @property
    def warned(self) -> bool:
        """Whether Criteo attached warnings to the product."""
        return bool(self.warnings)

    def to_dict(self) -> dict[str, Any]:
        """The outcome as a JSON-ready dict."""
        d: dict[str, Any] = {"position": self.position, "productId": self.product_id, "status": self.status}
        if self.stage is not None:
            d["stage"] = self.stage
        if self.errors:
            d["errors"] = [i.to_dict() for i in self.errors]
        if self.warnings:
            d["warnings"] = [i.to_dict() for i in self.warnings]
        return d


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts of outcomes; ``total`` counts every input product (and unreadable line) once."""

    total: int = 0
    upserted: int = 0
    refreshed: int = 0
    deleted: int = 0
    rejected_client: int = 0
    rejected_api: int = 0
    warned: int = 0
    superseded: int = 0
    unchanged: int = 0
    pending: int = 0

    @property
    def rejected(self) -> int:
        """Products rejected by the SDK or by Criteo."""
        return self.rejected_client + self.rejected_api

    @property
    def ok(self) -> bool:
        """True when nothing was rejected and nothing is left pending."""
        return self.rejected == 0 and self.pending == 0

    def to_dict(self) -> dict[str, int]:
        """The counts as a dict (``rejected`` included)."""
        return {
            "total": self.total,
            "upserted": self.upserted,
            "refreshed": self.refreshed,
            "deleted": self.deleted,
            "rejected": self.rejected,
            "rejectedClient": self.rejected_client,
            "rejectedApi": self.rejected_api,
            "warned": self.warned,
            "superseded": self.superseded,
            "unchanged": self.unchanged,
            "pending": self.pending,
        }

    @classmethod
    def of(cls, outcomes: Iterable[ProductOutcome]) -> Summary:
        """Count a stream of outcomes."""
        c = dict.fromkeys(OUTCOME_STATUSES, 0)
        total = client = api = warned = 0
        for o in outcomes:
            total += 1
            c[o.status] += 1
            if o.status == "rejected":
                if o.stage == "api":
                    api += 1
                else:
                    client += 1
            if o.warnings:
                warned += 1
        return cls(
            total=total,
            upserted=c["upserted"],
            refreshed=c["refreshed"],
            deleted=c["deleted"],
            rejected_client=client,
            rejected_api=api,
            warned=warned,
            superseded=c["superseded"],
            unchanged=c["unchanged"],
            pending=c["pending"],
        )


class PushResult:
    """The result of a push: a summary and every product's outcome, streamable and exportable.

    ``outcomes`` is a zero-argument callable returning a fresh iterator each time (the journal's
    query), so iterating twice, or exporting to JSON and then CSV, never needs the outcomes in memory.
    ``rejected_outcomes``, if given, is the same for the rejected ones only (the journal picks them in
    SQL); otherwise :meth:`rejected` filters ``outcomes``.
    """

    def __init__(
        self,
        summary: Summary,
        outcomes: Callable[[], Iterable[ProductOutcome]],
        *,
        merchant_id: int | None = None,
        run_id: int | None = None,
        operations: Sequence[str] = (),
        batches: int = 0,
        notes: Sequence[Note | str] = (),
        resumed: bool = False,
        closer: Callable[[], None] | None = None,
        rejected_outcomes: Callable[[], Iterable[ProductOutcome]] | None = None,
    ) -> None:
        self.summary = summary
        self.merchant_id = merchant_id
        self.run_id = run_id
        #: Operation tokens of the batches Criteo accepted (to fetch their reports later).
        self.operations: tuple[str, ...] = tuple(operations)
        #: Batches sent and accepted (a dry run: batches that would be sent).
        self.batches = batches
        #: Remarks about the whole push (why ``delete_missing`` deleted nothing, a deprecation...).
        self.notes: tuple[Note, ...] = tuple(n if isinstance(n, Note) else Note("warning", n) for n in notes)
        #: Whether the push resumed an interrupted one from its state file.
        self.resumed = resumed
        self._outcomes = outcomes
        self._rejected = rejected_outcomes
        self._closer = closer

    def close(self) -> None:
        """Release what the outcomes are read from (the push's journal); iterating afterwards fails."""
        closer, self._closer = self._closer, None
        if closer is not None:
            closer()

    def __enter__(self) -> PushResult:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @classmethod
    def from_outcomes(cls, outcomes: Iterable[ProductOutcome], *, merchant_id: int | None = None) -> PushResult:
        """A result over outcomes held in memory (small pushes, tests)."""
        items = tuple(outcomes)
        return cls(Summary.of(items), lambda: items, merchant_id=merchant_id)

    def __iter__(self) -> Iterator[ProductOutcome]:
        return iter(self._outcomes())

    def rejected(self) -> Iterator[ProductOutcome]:
        """The rejected products only, by position."""
        if self._rejected is not None:
            return iter(self._rejected())
        return (o for o in self if o.status == "rejected")

    @property
    def ok(self) -> bool:
        """True when nothing was rejected and nothing is left pending."""
        return self.summary.ok

    def __repr__(self) -> str:
        return f"PushResult({self.summary!r})"

    def to_json(self, dest: str | PathLike[str] | IO[str]) -> None:
        """Write ``{"merchantId", "summary", "outcomes": [...]}``, streaming the outcomes."""
        with _open_text(dest) as fp:
            write_json(self, fp, merchant_id=self.merchant_id)

    def to_csv(self, dest: str | PathLike[str] | IO[str]) -> None:
        """Write one CSV row per product (see :data:`CSV_COLUMNS`)."""
        with _open_text(dest) as fp:
            write_csv(self, fp)


def write_json(result: PushResult, fp: IO[str], *, merchant_id: int | None = None) -> None:
    """Stream a result as one JSON document; memory stays flat whatever the number of outcomes."""
    fp.write('{"merchantId": ')
    fp.write(json.dumps(merchant_id))
    fp.write(', "summary": ')
    fp.write(json.dumps(result.summary.to_dict()))
    fp.write(', "outcomes": [')
    first = True
    for o in result:
        fp.write("\n  " if first else ",\n  ")
        fp.write(json.dumps(o.to_dict(), ensure_ascii=False))
        first = False
    fp.write("\n]}\n" if not first else "]}\n")


#: Columns of the CSV export. Several issues of one product are joined with ``"; "`` in each column.
CSV_COLUMNS = (
    "position",
    "product_id",
    "status",
    "stage",
    "error_type",
    "field",
    "length",
    "limit",
    "message",
    "warning_type",
    "warning_message",
)


def _join(values: Iterable[object]) -> str:
    return "; ".join("" if v is None else str(v) for v in values)


def write_csv(result: Iterable[ProductOutcome], fp: IO[str]) -> None:
    """Write one row per product; a product with several issues gets them joined in each column."""
    w = csv.writer(fp, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for o in result:
        e = o.errors
        w.writerow(
            (
                o.position,
                o.product_id or "",
                o.status,
                o.stage or "",
                _join(i.type for i in e),
                _join(i.field for i in e) if any(i.field for i in e) else "",
                _join(i.length for i in e) if any(i.length is not None for i in e) else "",
                _join(i.limit for i in e) if any(i.limit is not None for i in e) else "",
                _join(i.message for i in e),
                _join(i.type for i in o.warnings),
                _join(i.message for i in o.warnings),
            )
        )


class _open_text:
    """Open a path for writing, or pass an already open text stream through (left open)."""

    def __init__(self, dest: str | PathLike[str] | IO[str]) -> None:
        self._dest = dest
        self._owned: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        if isinstance(self._dest, str | PathLike):
            self._owned = open(self._dest, "w", encoding="utf-8", newline="")
            return self._owned
        return self._dest

    def __exit__(self, *exc: object) -> None:
        if self._owned is not None:
            self._owned.close()


__all__ = [
    "CSV_COLUMNS",
    "OUTCOME_STATUSES",
    "Issue",
    "Note",
    "NoteKind",
    "OutcomeStatus",
    "ProductOutcome",
    "PushResult",
    "Stage",
    "Summary",
    "write_csv",
    "write_json",
]
