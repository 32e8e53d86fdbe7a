"""What ``push-many`` prints: its ``--json`` object (``$defs/pushMany`` of the schema: one ``push`` object
per merchant and the run's verdict), or one table with a row per merchant, then the run's API calls.

Each merchant's object and exit code are ``push``'s own (``push_output``, ``push_run.settle``); the
run's exit code is the most severe merchant's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from criteo_catalog_sdk.cli import output
from criteo_catalog_sdk.cli.exit_codes import ExitCode, most_severe
from criteo_catalog_sdk.cli.verdict import Problem, error_of

if TYPE_CHECKING:
    from criteo_catalog_sdk.budget import AppBudget
    from criteo_catalog_sdk.cli.push_request import PushRequest
    from criteo_catalog_sdk.push.result import PushResult

__all__ = ["ALWAYS", "COLUMNS", "MerchantOutcome", "RunTotals", "complain", "emit_json", "print_table", "run_code"]

#: The counts of each merchant's row, as ``push``'s counts name them; the others than :data:`ALWAYS` are
#: shown when a merchant has some (as ``push``'s summary shows its rows).
COLUMNS: Final = ("upserted", "refreshed", "deleted", "rejected", "unchanged", "pending")
ALWAYS: Final = frozenset({"upserted", "rejected", "pending"})


@dataclass(frozen=True, slots=True)
class MerchantOutcome:
    """How one merchant's push ended: its exit code, its problems (most important first; a push that
    stopped early: the error that stopped it), its object in ``push``'s shape without ``errors``, and its
    result when it finished (its rejected products are streamed from there)."""

    request: PushRequest
    code: ExitCode
    problems: list[Problem]
    entry: dict[str, Any]
    result: PushResult | None = None

    @property
    def label(self) -> str:
        """``merchant N``, as every line about it starts."""
        return f"merchant {self.request.merchant_id}"

    def errors(self) -> Iterator[dict[str, Any]]:
        """Its rejected products and unreadable lines, one object each (streamed)."""
        if self.result is not None:
            yield from (output.outcome_error(o) for o in self.result.rejected())


@dataclass(frozen=True, slots=True)
class RunTotals:
    """The whole run: API calls of every merchant, how long it took, the application budget they shared
    (``None``: none on this side, or a dry run)."""

    calls: int
    seconds: float
    budget: AppBudget | None
    dry_run: bool

    @property
    def per_minute(self) -> float:
        """API calls per minute over the run (a run shorter than a minute counts as one minute)."""
        return self.calls / max(self.seconds / 60, 1.0)

    def line(self) -> str:
        """The run's calls, in one line."""
        if self.dry_run:
            return "dry run: no API call made"
        text = f"API calls: {self.calls:,} in {self.seconds:,.1f} s ({self.per_minute:,.0f}/min)"
        if self.budget is None:
            return text + "; no application call budget on this side (--app-budget off)"
        return text + (
            f"; every merchant's calls waited for one application budget of {self.budget.calls_per_minute:,}"
            f" calls/min ({self.budget.where})"
        )

    def to_dict(self) -> dict[str, Any]:
        """The run's ``calls`` and ``appBudget`` members."""
        budget = self.budget
        return {
            "calls": {"total": self.calls, "seconds": round(self.seconds, 3), "perMinute": round(self.per_minute, 1)},
            "appBudget": None if budget is None else {"where": budget.where, "callsPerMinute": budget.calls_per_minute},
        }


def run_code(outcomes: Iterable[MerchantOutcome]) -> ExitCode:
    """The run's exit code: the most severe merchant's."""
    return most_severe(*(o.code for o in outcomes))


def _deprecations(outcomes: Iterable[MerchantOutcome]) -> list[str]:
    found: dict[str, None] = {}
    for outcome in outcomes:
        for note in outcome.entry["notes"]:
            if note["kind"] == "deprecation":
                found[note["message"]] = None
    return list(found)


def _run_error(outcomes: list[MerchantOutcome]) -> dict[str, Any] | None:
    """The most severe merchant's error (the first of equals), its message naming the merchant."""
    worst = run_code(outcomes)
    for outcome in outcomes:
        error = error_of(outcome.problems)
        if outcome.code == worst and error is not None:
            return {"type": error["type"], "message": f"{outcome.label}: {error['message']}"}
    return None


def emit_json(manifest: str, api_version: str, outcomes: list[MerchantOutcome], totals: RunTotals) -> None:
    """Print the run's one JSON object; each merchant's rejected products are streamed into its object."""
    import sys

    code = run_code(outcomes)
    head = {
        "command": "push-many",
        "ok": code == ExitCode.OK,
        "exitCode": int(code),
        "manifest": manifest,
        "apiVersion": api_version,
        "dryRun": totals.dry_run,
        **totals.to_dict(),
        "notes": [output.note_object("deprecation", message) for message in _deprecations(outcomes)],
        "error": _run_error(outcomes),
    }
    merchants = (output.json_chunks(o.entry, "errors", o.errors()) for o in outcomes)
    for chunk in output.json_chunks(head, "merchants", merchants):
        sys.stdout.write(chunk)
    sys.stdout.write("\n")
    sys.stdout.flush()


def print_table(api_version: str, outcomes: list[MerchantOutcome], totals: RunTotals) -> None:
    """The human output on stdout: one row per merchant (its counts, exit code and what failed, by name;
    the messages are the lines on stderr), the run's API calls, then the merchants' notes, a refused
    deletion first among them. Refreshed, deleted and unchanged counts have a column when some merchant
    has some."""
    from rich.markup import escape
    from rich.measure import Measurement
    from rich.table import Table
    from rich.text import Text

    out = output.console()
    title = "Dry run (nothing sent)" if totals.dry_run else "push-many result"
    table = Table(title=f"{title}: {len(outcomes)} merchants, API {api_version}", header_style="bold")
    table.add_column("merchant", justify="right", no_wrap=True)
    columns = [c for c in COLUMNS if c in ALWAYS or any(o.entry["counts"][c] for o in outcomes)]
    for column in columns:
        name = "would be sent" if totals.dry_run and column == "pending" else column
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("exit", justify="right", no_wrap=True)
    table.add_column("error", no_wrap=True)
    for outcome in outcomes:
        counts = outcome.entry["counts"]
        error = error_of(outcome.problems)
        cell = Text("")
        if error is not None and error["type"] == "DeletionRefused":  # the one thing that must not be missed
            cell = Text("DELETION REFUSED", style="bold red")
        elif error is not None:
            cell = Text(error["type"])
        code = Text(str(int(outcome.code)), style="" if outcome.code == ExitCode.OK else "bold")
        table.add_row(str(outcome.request.merchant_id), *(f"{counts[c]:,}" for c in columns), code, cell)
    # Never a count or a failure cut to fit: a narrow terminal wraps the lines instead.
    out.width = max(out.width, Measurement.get(out, out.options.update_width(1000), table).maximum)
    out.print(table)
    out.print(totals.line(), markup=False)
    for outcome in outcomes:
        for note in sorted(outcome.entry["notes"], key=lambda n: n["kind"] != "refusal"):
            if note["kind"] == "refusal":
                out.print(f"{outcome.label}: [bold red]DELETION REFUSED[/bold red] {escape(note['message'])}")
            elif note["kind"] != "deprecation":  # that one is a line on stderr, once
                kind = "note" if note["kind"] == "feed" else note["kind"]
                out.print(f"{outcome.label}: {kind}: {note['message']}", markup=False)
    if any(o.entry["counts"]["rejected"] for o in outcomes):
        out.print("rejected products: see each merchant's report-out, or --json", markup=False)


def complain(outcomes: list[MerchantOutcome]) -> None:
    """One line on stderr per problem of each merchant (naming it), and each deprecation once."""
    for outcome in outcomes:
        for problem in outcome.problems:
            output.notice("Error", f"{outcome.label}: {problem.message}")
    for message in _deprecations(outcomes):
        output.notice("warning", message)
