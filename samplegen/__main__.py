"""python -m samplegen --out DIR --count N --seed S [--formats 2008,2019,2021] [--scans K]
[--scan-classes mild,lowres,photocopy,phone,faint,seal,turned]
[--losses SHARE [--loss-kinds KIND,…]] [--breaks SHARE]
[--producers chromium,weasyprint,libreoffice,gs,reportlab] [--variations on|off] [--jobs N]"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from samplegen.content import FORMATS
from samplegen.generate import generate
from samplegen.losses import KINDS
from samplegen.producers import PRODUCERS
from samplegen.scan import SCAN_CLASSES


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
        "--scan-classes",
        default="mild",
        help=f"comma-separated degradation classes from {','.join(SCAN_CLASSES)}: each of the K reports "
        "is scanned once per class (mild: <name>_scan.pdf, another: <name>_scan_<class>.pdf)",
    )
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
    ap.add_argument(
        "--producers",
        help=f"comma-separated, taken in turn per round of formats, from {','.join(PRODUCERS)}; "
        "without it every report is printed by reportlab exactly as before",
    )
    ap.add_argument(
        "--variations",
        choices=("on", "off"),
        help="archive variations (orphan or no titles, metadata lines, radicals); default: on with --producers",
    )
    ap.add_argument("--jobs", type=int, default=1, help="reports printed at once by the producers")
    args = ap.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    kinds = [k.strip() for k in args.loss_kinds.split(",") if k.strip()]
    producers = [p.strip() for p in args.producers.split(",") if p.strip()] if args.producers else None
    variations = None if args.variations is None else args.variations == "on"
    scan_classes = [c.strip() for c in args.scan_classes.split(",") if c.strip()]
    start = time.perf_counter()
    try:
        paths = generate(
            args.out,
            args.count,
            args.seed,
            formats=formats,
            scans=args.scans,
            losses=args.losses,
            loss_kinds=kinds,
            breaks=args.breaks,
            producers=producers,
            variations=variations,
            jobs=args.jobs,
            scan_classes=scan_classes,
        )
    except ValueError as e:
        ap.error(str(e))
    print(f"wrote {len(paths)} PDFs to {args.out} in {time.perf_counter() - start:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
