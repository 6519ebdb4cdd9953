"""Accuracy on generated reports: every format, scored by ../shared/eval/score.py per format.

    python -m bench.eval_generated [--count 300] [--seed 11] [--scans 0]

The generator (`samplegen`) writes reports with exact truth; the pipeline ingests them; the
scorer measures doc, heading, cell, prose and appendix rates for each format separately.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from pipeline import ReadOptions, ingest
from samplegen.generate import generate

from .common import print_table, score, write_json


def evaluate(count: int, seed: int, scans: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="eval-generated-"))
    start = time.perf_counter()
    generate(work / "gen", count, seed, ["2008", "2019", "2021"], scans)
    generated_s = time.perf_counter() - start
    start = time.perf_counter()
    summary = ingest(work / "gen", work / "out", ReadOptions())
    ingest_s = time.perf_counter() - start
    by_format: dict[str, Path] = {}
    for truth in sorted((work / "gen" / "truth").glob("*.json")):
        kind = "scan" if truth.stem.endswith("_scan") else "text"
        fmt = json.loads(truth.read_text(encoding="utf-8"))["format"]
        folder = by_format.setdefault(f"{fmt}/{kind}", work / "truth" / f"{fmt}-{kind}")
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(truth, folder / truth.name)
    rates = {name: score(work / "out", folder) for name, folder in sorted(by_format.items())}
    shutil.rmtree(work, ignore_errors=True)
    return {
        "count": count,
        "seed": seed,
        "scans": scans,
        "reports": summary.files,
        "pages": summary.pages,
        "failed": summary.failed,
        "generate_s": generated_s,
        "ingest_s": ingest_s,
        "rates": rates,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--scans", type=int, default=0)
    args = ap.parse_args(argv)
    result = evaluate(args.count, args.seed, args.scans)
    rows = [
        (group, measure, f"{v['hits']}/{v['total']}", f"{100 * v['rate']:.1f}%")
        for group, measures in result["rates"].items()
        for measure, v in measures.items()
        if measure != "extra"
    ]
    print_table(
        f"generated reports: {result['reports']} files, {result['pages']} pages, seed {args.seed}", rows
    )
    write_json("eval_generated", result)
    return result


if __name__ == "__main__":
    main()
