"""One problem with one product, as the SDK reports it (its own checks, feed errors, Criteo's reports)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Issue"]


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem with a product: a client-side check that failed, or an error/warning from a report.

    ``type`` is one of the SDK's codes (``MissingField``, ``TooLong``, ``WrongType``, ``InvalidValue``,
    ``NonAsciiId``, ``InvalidId``, ``UnknownField``, ``Unserializable``, ``EntryTooLarge``,
    ``PayloadTooLarge``, ``ParseError``, ``DuplicateId``, ``BatchRejected``, ``BatchFailed``,
    ``ReportLost``) or, for stage ``api``, Criteo's own report type (``OverlargeBigImage``...).
    """

    type: str
    message: str
    field: str | None = None
    length: int | None = None
    limit: int | None = None
    is_server_related: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """The issue as a JSON-ready dict, without the absent attributes."""
        d: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.field is not None:
            d["field"] = self.field
        if self.length is not None:
            d["length"] = self.length
        if self.limit is not None:
            d["limit"] = self.limit
        if self.is_server_related is not None:
            d["isServerRelated"] = self.is_server_related
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Issue:
        """Rebuild an issue from :meth:`to_dict`'s output."""
        return cls(
            type=str(d["type"]),
            message=str(d.get("message", "")),
            field=d.get("field"),
            length=d.get("length"),
            limit=d.get("limit"),
            is_server_related=d.get("isServerRelated"),
        )

    def __str__(self) -> str:
        return f"{self.type}: {self.message}"
