"""Accuracy on generated reports: every format, scored by ../shared/eval/score.py per format.

    python -m bench.eval_generated [--count 300] [--seed 11] [--scans 0] [--producers chromium,gs,…]

The generator (`samplegen`) writes reports with exact truth; the pipeline ingests them; the
scorer measures doc, heading, cell, prose and appendix rates for each format separately.
With --producers the reports are printed by those producers (taken in turn), scored per producer and
per producer and format, and the page breaks their tables got are counted per producer (page_breaks.py).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline import ReadOptions, ingest
from samplegen.generate import generate

from .common import print_table, score, write_json
from .page_breaks import count_breaks


def evaluate(
    count: int,
    seed: int,
    scans: int,
    producers: list[str] | None = None,
    keep: Path | None = None,
    jobs: int = 1,
) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="eval-generated-")) if keep is None else keep
    start = time.perf_counter()
    generate(work / "gen", count, seed, ["2008", "2019", "2021"], scans, producers, jobs=jobs)
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
    by_producer = _by_producer(work) if producers else {}
    if keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return {
        **by_producer,
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


def _by_producer(work: Path) -> dict[str, Any]:
    """Scores per producer and per producer/format, and the page breaks counted per producer."""
    truths = [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted((work / "gen" / "truth").glob("*.json"))
    ]
    folders: dict[str, Path] = {}
    for truth in truths:
        if "scan" in truth or "producer" not in truth:
            continue
        for group in (truth["producer"], f"{truth['producer']}/{truth['format']}"):
            folder = folders.setdefault(group, work / "truth-producer" / group.replace("/", "-"))
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{Path(truth['file']).stem}.json").write_text(
                json.dumps(truth, ensure_ascii=False), "utf-8"
            )
    pages: Counter[str] = Counter()
    for t in truths:
        if "scan" not in t and t.get("producer"):
            pages[t["producer"]] += _pages(t)
    reports = Counter(t.get("producer") for t in truths if "scan" not in t and t.get("producer"))
    return {
        "producer_rates": {g: score(work / "out", f) for g, f in sorted(folders.items())},
        "producer_reports": dict(reports),
        "producer_pages": pages,
        "page_breaks": count_breaks(work / "gen" / "pdf", [t for t in truths if "scan" not in t]),
    }


def _pages(truth: dict[str, Any]) -> int:
    m = re.search(r"(\d+) pages", truth.get("render_note", ""))
    return int(m.group(1)) if m else 0


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--scans", type=int, default=0)
    ap.add_argument("--producers", help="comma-separated samplegen producers; default: reportlab as before")
    ap.add_argument("--keep", type=Path, help="keep the generated reports and the dataset in this folder")
    ap.add_argument("--jobs", type=int, default=1, help="reports the producers print at once")
    args = ap.parse_args(argv)
    producers = [p.strip() for p in args.producers.split(",") if p.strip()] if args.producers else None
    result = evaluate(args.count, args.seed, args.scans, producers, args.keep, args.jobs)
    rows = [
        (group, measure, f"{v['hits']}/{v['total']}", f"{100 * v['rate']:.1f}%")
        for group, measures in result["rates"].items()
        for measure, v in measures.items()
        if measure != "extra"
    ]
    print_table(
        f"generated reports: {result['reports']} files, {result['pages']} pages, seed {args.seed}", rows
    )
    if producers:
        _print_producers(result)
    write_json("eval_generated", result)
    return result


def _print_producers(result: dict[str, Any]) -> None:
    measures = ("cell", "heading", "doc", "prose", "appendix", "flagged")
    rows = [("group", "reports", "pages", *measures)]
    for group, rates in result["producer_rates"].items():
        producer = group.split("/")[0]
        n = result["producer_reports"].get(producer, 0) if "/" not in group else ""
        pages = result["producer_pages"].get(producer, 0) if "/" not in group else ""
        cells = [
            f"{100 * rates[m]['rate']:.1f}% ({rates[m]['hits']}/{rates[m]['total']})" if m in rates else "-"
            for m in measures
        ]
        rows.append((group, n, pages, *cells))
    print_table("per producer (and producer/format)", rows)
    brk = [("producer", "breaks", "header-only", "split header", "cut rows", "empty fragments", "covered")]
    for producer, b in result["page_breaks"].items():
        cov = ", ".join(f"{s} {c['covered']}/{c['possible']}" for s, c in b["coverage"].items())
        brk.append(
            (
                producer,
                b["breaks"],
                b.get("header_only", 0),
                b.get("split_header", 0),
                b.get("cut_row", 0),
                b.get("empty_fragment", 0),
                cov,
            )
        )
    print_table("page breaks the tables got (positions covered / possible, per table shape)", brk)


if __name__ == "__main__":
    main()
