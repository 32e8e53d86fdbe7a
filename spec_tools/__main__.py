"""Command line of the spec tooling: ``python -m spec_tools {update,apply,slice,diff,...} ...`` (see the Makefile)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from spec_tools.diffing import summarize_changes
from spec_tools.generations import index_source, module_name, to_json
from spec_tools.overlay import apply_overlay_reporting
from spec_tools.slicer import slice_catalog
from spec_tools.update import EFFECTIVE_HEADER, UpdateRequest, read_source, run_update
from spec_tools.yamlio import load_document, parse_document, write_document


def _apply(args: argparse.Namespace) -> int:
    effective, unmatched = apply_overlay_reporting(load_document(args.spec), load_document(args.overlay))
    for message in unmatched:
        print(f"warning: overlay {message}; the published spec changed, review openapi/overlay.yaml", file=sys.stderr)
    write_document(effective, args.out, EFFECTIVE_HEADER)
    return 0


def _update(args: argparse.Namespace) -> int:
    request = UpdateRequest(args.source, Path(args.root), args.generation or None, args.derive_from or None)
    return run_update(request)


def _slice(args: argparse.Namespace) -> int:
    out = Path(args.out)
    old = load_document(out) if out.exists() else {}
    new = slice_catalog(parse_document(read_source(args.source)))
    write_document(new, out, f"# Catalog slice of {args.source} (`python -m spec_tools slice`).\n")
    print(f"wrote {out}")
    print("\n".join(summarize_changes(old, new)) or "no semantic change")
    return 0


def _module_name(args: argparse.Namespace) -> int:
    print(module_name(args.generation))
    return 0


def _index(args: argparse.Namespace) -> int:
    print(index_source(args.generations), end="")
    return 0


def _to_json(args: argparse.Namespace) -> int:
    to_json(Path(args.source), Path(args.target))
    return 0


def _diff(args: argparse.Namespace) -> int:
    lines = summarize_changes(load_document(args.old), load_document(args.new))
    print("\n".join(lines) or "no semantic change")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one sub-command."""
    parser = argparse.ArgumentParser(prog="python -m spec_tools")
    commands = parser.add_subparsers(dest="command", required=True)
    update_cmd = commands.add_parser(
        "update",
        help="add or refresh one generation from Criteo's whole document (make update-spec)",
        description="Exit codes: 0 done; 1 written but cannot work (one error line per problem); "
        "2 bad input, nothing written.",
    )
    update_cmd.add_argument("source", help="URL or path of the whole MarketingSolutions document (JSON or YAML)")
    update_cmd.add_argument("--generation", help="the generation, when the document does not say it unambiguously")
    update_cmd.add_argument(
        "--derive-from", help="a new generation's overlay derives from this one's (default: newest)"
    )
    update_cmd.add_argument("--root", default=".", help="the repository root (default: the current folder)")
    update_cmd.set_defaults(run=_update)
    apply_cmd = commands.add_parser("apply", help="apply an overlay: published + overlay -> effective")
    apply_cmd.add_argument("--spec", required=True)
    apply_cmd.add_argument("--overlay", required=True)
    apply_cmd.add_argument("--out", required=True)
    apply_cmd.set_defaults(run=_apply)
    slice_cmd = commands.add_parser("slice", help="only slice the whole MarketingSolutions document (no generation)")
    slice_cmd.add_argument("source", help="URL or path of the whole document (JSON or YAML)")
    slice_cmd.add_argument("--out", required=True)
    slice_cmd.set_defaults(run=_slice)
    diff_cmd = commands.add_parser("diff", help="semantic summary of changes between two documents")
    diff_cmd.add_argument("old")
    diff_cmd.add_argument("new")
    diff_cmd.set_defaults(run=_diff)
    module_cmd = commands.add_parser("module-name", help="the Python package name of a generation")
    module_cmd.add_argument("generation")
    module_cmd.set_defaults(run=_module_name)
    index_cmd = commands.add_parser("index", help="the _generated/__init__.py listing the generations")
    index_cmd.add_argument("generations", nargs="+")
    index_cmd.set_defaults(run=_index)
    json_cmd = commands.add_parser("to-json", help="a YAML document as JSON (package data)")
    json_cmd.add_argument("source")
    json_cmd.add_argument("target")
    json_cmd.set_defaults(run=_to_json)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
