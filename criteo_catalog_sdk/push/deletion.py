"""Whether ``delete_missing`` may delete what the input no longer has: the mass-deletion guard (pure).

A feed that is empty, cut in half or wrong must not wipe a merchant's catalog. Deleting is refused
(nothing deleted; the push's upserts still go; the refusal is a note of the result and makes the CLI
exit non-zero) when:

- the input was not read to its end;
- some input lines were unreadable (their products cannot be told from missing ones);
- the input yielded no valid product at all;
- the deletions would exceed ``max_delete_fraction`` of the products the state holds for the merchant.
"""

from __future__ import annotations

import math

from criteo_catalog_sdk.push.journal import DeletionCounts

__all__ = ["deletion_refusal"]

_OPTION = "--max-delete-fraction / max_delete_fraction"


def _percent(fraction: float) -> str:
    return f"{fraction:.0%}" if fraction >= 0.01 or fraction == 0 else f"{fraction:.2%}"


def deletion_refusal(counts: DeletionCounts, max_fraction: float) -> str | None:
    """Why the missing products must not be deleted (one line naming the counts, the fraction and the
    option), or ``None`` when they may be."""
    missing, held = counts.missing, counts.held
    if missing == 0:
        return None
    what = f"delete_missing: nothing deleted: {missing:,} of the {held:,} products the state holds are not in the input"
    if not counts.input_complete:
        return f"{what}, but the input was not read to its end"
    if counts.unreadable:
        return (
            f"{what}, but {counts.unreadable:,} input lines were unreadable (their products cannot be told from"
            " missing ones); fix the feed"
        )
    if counts.valid == 0:
        return f"{what}, and the input has no valid product at all: deleting would empty the catalog"
    fraction = missing / held if held else 1.0
    if fraction > max_fraction:
        needed = math.ceil(fraction * 100) / 100
        return (
            f"{what} ({_percent(fraction)}), over the allowed {_percent(max_fraction)} ({_OPTION} {max_fraction:g});"
            f" if the feed is right, push again with {_OPTION} {min(needed, 1):g} (1 allows deleting everything)"
        )
    return None
