"""python -m samplegen --out DIR --count N --seed S [--formats 2008,2019,2021] [--scans K] [--losses SHARE] [--breaks SHARE]"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from samplegen.content import FORMATS
from samplegen.generate import generate
from samplegen.losses import KINDS


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samplegen", description=__doc__)
    ap.add_argument(
        "--out", type=Path, required=True, help="output folder (pdf/, scan/, truth/, MANIFEST.tsv)"
    )
    ap.add_argument("--count", type=int, required=True, help="number of text reports")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated, taken in turn")
    ap.add_argument("--scans", type=int, default=0, help="also scan the first K reports")
    ap.add_argument(
        "--losses", type=float, default=0.0, help="share of reports (0-1) printed with one injected loss"
    )
    ap.add_argument(
        "--loss-kinds", default=",".join(KINDS), help="comma-separated kinds the losses are drawn from"
    )
    ap.add_argument(
        "--breaks",
        type=float,
        default=0.0,
        help="share of the other reports with a table broken before a body row",
    )
    args = ap.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    kinds = [k.strip() for k in args.loss_kinds.split(",") if k.strip()]
    start = time.perf_counter()
    try:
        paths = generate(
            args.out, args.count, args.seed, formats, args.scans, args.losses, kinds, args.breaks
        )
    except ValueError as e:
        ap.error(str(e))
    print(f"wrote {len(paths)} PDFs to {args.out} in {time.perf_counter() - start:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
