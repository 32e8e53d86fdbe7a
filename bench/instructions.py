"""B2's sides counted in instructions, which a machine's speed swings do not move (needs valgrind).

    .venv/bin/python -m bench.instructions [--products 20000] [floor sdk unchecked]

CPU time on a shared machine moves by 2-3x within minutes, and even ratios measured in one run move
with it (B2: 5.4-8.1x in one hour). The number of instructions a side executes does not: each side
runs in a child process under ``valgrind --tool=cachegrind --cache-sim=no``, once with the products
and once without (the imports and the input), and the difference over the products is the side's
instructions per product. Instructions are not time (the floor's C code retires more of them per
cycle than the interpreter does, so time ratios come out higher), but two versions of the SDK path
compare exactly. Not part of ``make bench``: valgrind runs the code about 50 times slower.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

from bench import catalog, push_cpu
from bench.common import PYTHON, ROOT, outside_collector

SIDES = {"floor": push_cpu.floor, "sdk": push_cpu.sdk, "unchecked": push_cpu.unchecked}
#: The side a child runs to count what every side shares (imports, the input products).
NOTHING = "nothing"
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")
_SEEDED = {**os.environ, "PYTHONHASHSEED": "0"}


def instructions_of(report: str) -> int:
    """The total instruction count of a cachegrind report (its ``I refs`` line)."""
    found = _REFS.search(report)
    if found is None:
        raise ValueError("no 'I refs' line in valgrind's report")
    return int(found.group(1).replace(",", ""))


def count(side: str, products: int) -> int:
    """Instructions of a child process that builds ``products`` products and runs ``side`` on them."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    command += [PYTHON, "-m", "bench.instructions", "--child", side, "--products", str(products)]
    # One hash seed for every child: string hashes steer dict and set work (about 1 % per product).
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, env=_SEEDED)
    return instructions_of(done.stderr)


def child(side: str, products: int) -> None:
    """The counted process: the products, a warm-up on a few, then the side once (or nothing)."""
    items = catalog.products(products)
    for run in SIDES.values():  # the same imports and warm-up in every child, ``nothing`` included
        run(items[:100])
    with outside_collector():  # as B2: the input out of the collector's passes
        if side != NOTHING:
            SIDES[side](items)


def main(argv: list[str] | None = None) -> int:
    """Command line: print each side's instructions per product and its ratio to the floor."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("sides", nargs="*", help=f"the sides to count, of {', '.join(SIDES)} (default: all)")
    ap.add_argument("--products", type=int, default=20_000)
    ap.add_argument("--child", choices=[*SIDES, NOTHING], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, args.products)
        return 0
    unknown = sorted(set(args.sides) - set(SIDES))
    if unknown:
        ap.error(f"unknown side {unknown[0]!r} (choose from {', '.join(SIDES)})")
    if shutil.which("valgrind") is None:
        print("bench.instructions needs valgrind (apt-get install valgrind)", file=sys.stderr)
        return 2
    base = count(NOTHING, args.products)
    sides = dict.fromkeys(["floor", *(args.sides or SIDES)])  # the floor first: the ratios' denominator
    per_product = {side: (count(side, args.products) - base) / args.products for side in sides}
    for side, value in per_product.items():
        print(f"{side:10s} {value:10,.0f} instructions/product  {value / per_product['floor']:.2f}x the floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
