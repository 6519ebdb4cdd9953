"""Accuracy on generated reports, per format and per injected loss, scored by ../shared/eval/score.py.

    python -m bench.eval_generated [--count 300] [--seed 11] [--scans 0] [--losses 0.5] [--breaks 0]

The generator (`samplegen`) writes reports with exact truth, a share of them (`--losses`) printed with one
injected loss each (a table deleted, a header row alone at a page foot, a header band split, a header
garbled, rules removed, a page turned: samplegen/losses.py), and of the others a share (`--breaks`) with
their tables broken before a body row. The pipeline ingests them; the scorer measures each group apart:
reports with no loss (`none`), with forced body breaks (`page_break`), and each loss kind, per format.

`flagged` is the contract's measure: of the cell misses, those an analyst is warned of. `silent` counts the
reports with a miss nobody is warned of (a cell miss not flagged, or a 统计表 cell missed in a report that is
`ok` with no `errors` row). `false alarms` counts the reports of the groups where nothing is lost that have
an `errors` row or a status other than `ok`.
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
from pipeline.store.lock import LockBusy
from samplegen.generate import generate
from samplegen.losses import KINDS

from .common import scorer, write_json

NOTHING_LOST = ("none", "page_break")
GROUPS = (*NOTHING_LOST, *KINDS)
MEASURES = ("doc", "heading", "cell", "prose", "appendix", "flagged")


def group_of(truth: dict[str, Any]) -> str:
    if truth.get("losses"):
        return str(truth["losses"][0]["kind"])
    return "page_break" if truth.get("page_breaks") else "none"


def evaluate(count: int, seed: int, scans: int, losses: float, breaks: float) -> dict[str, Any]:
    module = scorer()
    if module is None:
        raise SystemExit("../shared/eval/score.py is not beside this clone")
    work = Path(tempfile.mkdtemp(prefix="eval-generated-"))
    try:
        start = time.perf_counter()
        generate(work / "gen", count, seed, ["2008", "2019", "2021"], scans, losses=losses, breaks=breaks)
        generated_s = time.perf_counter() - start
        start = time.perf_counter()
        summary = ingest(work / "gen", work / "out", ReadOptions())
        ingest_s = time.perf_counter() - start
        if isinstance(summary, LockBusy):  # a fresh folder: nobody else can hold it
            raise SystemExit(f"dataset busy: {summary}")
        folders = _split_truth(work / "gen" / "truth", work / "truth")
        alarms = _alarms(module, work / "out")
        rows = {}
        for (fmt, group), folder in sorted(
            folders.items(), key=lambda kv: (kv[0][0], GROUPS.index(kv[0][1]))
        ):
            rows[f"{fmt} {group}"] = _score_group(module, work / "out", folder, fmt, group, alarms)
        for group in GROUPS:  # every format together
            parts = [r for key, r in rows.items() if key.endswith(f" {group}")]
            if parts:
                rows[f"all {group}"] = _sum(parts, group)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "count": count,
        "seed": seed,
        "scans": scans,
        "losses": losses,
        "breaks": breaks,
        "reports": summary.files,
        "pages": summary.pages,
        "failed": summary.failed,
        "generate_s": generated_s,
        "ingest_s": ingest_s,
        "groups": rows,
    }


def _split_truth(src: Path, dst: Path) -> dict[tuple[str, str], Path]:
    """Truth files copied into one folder per (format/kind, group): score.py scores a folder."""
    out: dict[tuple[str, str], Path] = {}
    for path in sorted(src.glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        fmt = f"{truth['format']}/{'scan' if path.stem.endswith('_scan') else 'text'}"
        folder = out.setdefault((fmt, group_of(truth)), dst / f"{fmt.replace('/', '-')}-{group_of(truth)}")
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, folder / path.name)
    return out


def _alarms(module: Any, processed: Path) -> dict[str, bool]:
    """File name -> whether its report raises an alarm (an `errors` row, or a status other than ok)."""
    errored = {e.get("report_id") for e in module.load(processed, "errors")}
    return {
        Path(str(r["source_path"])).name: r.get("status") != "ok" or r["report_id"] in errored
        for r in module.load(processed, "reports")
    }


def _score_group(
    module: Any, processed: Path, folder: Path, fmt: str, group: str, alarms: dict[str, bool]
) -> dict[str, Any]:
    result = module.score(processed, folder, verbose=True)
    summary = result["summary"]
    files = [json.loads(p.read_text(encoding="utf-8"))["file"] for p in sorted(folder.glob("*.json"))]
    silent = [
        d["file"]
        for d in result["documents"]
        if any(m.startswith("flagged: SILENT") for m in d["misses"])
        or (any(m.startswith("appendix: ") for m in d["misses"]) and not alarms.get(d["file"], True))
    ]
    row: dict[str, Any] = {
        "format": fmt,
        "group": group,
        "reports": len(files),
        "silent": sorted(silent),
        **{m: [summary.get(m, {}).get("hits", 0), summary.get(m, {}).get("total", 0)] for m in MEASURES},
    }
    if group in NOTHING_LOST:
        row["false_alarms"] = sorted(f for f in files if alarms.get(f, True))
    return row


def _sum(rows: list[dict[str, Any]], group: str) -> dict[str, Any]:
    out: dict[str, Any] = {"format": "all", "group": group, "reports": sum(r["reports"] for r in rows)}
    for m in MEASURES:
        out[m] = [sum(r[m][0] for r in rows), sum(r[m][1] for r in rows)]
    out["silent"] = sorted(f for r in rows for f in r["silent"])
    if group in NOTHING_LOST:
        out["false_alarms"] = sorted(f for r in rows for f in r["false_alarms"])
    return out


def _rate(pair: list[int]) -> str:
    hits, total = pair
    return f"{100 * hits / total:5.1f}% {hits}/{total}" if total else "-"


def print_groups(result: dict[str, Any]) -> None:
    print(
        f"\n## generated reports: {result['reports']} files, {result['pages']} pages, seed {result['seed']}, "
        f"losses {result['losses']}, breaks {result['breaks']}"
    )
    head = (
        "format",
        "group",
        "n",
        "cell",
        "heading",
        "doc",
        "prose",
        "appendix",
        "flagged",
        "silent",
        "false alarms",
    )
    lines = [head]
    for row in result["groups"].values():
        alarms = row.get("false_alarms")
        lines.append(
            (
                row["format"],
                row["group"],
                str(row["reports"]),
                _rate(row["cell"]),
                _rate(row["heading"]),
                _rate(row["doc"]),
                _rate(row["prose"]),
                _rate(row["appendix"]),
                f"{row['flagged'][0]}/{row['flagged'][1]}",
                str(len(row["silent"])),
                "" if alarms is None else str(len(alarms)),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for line in lines:
        print("  " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--scans", type=int, default=0, help="also scan the first K reports")
    ap.add_argument("--losses", type=float, default=0.5, help="share of reports with one injected loss")
    ap.add_argument("--breaks", type=float, default=0.0, help="share of the others with forced body breaks")
    args = ap.parse_args(argv)
    result = evaluate(args.count, args.seed, args.scans, args.losses, args.breaks)
    print_groups(result)
    write_json("eval_generated", result)
    return result


if __name__ == "__main__":
    main()
