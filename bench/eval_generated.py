"""Accuracy on generated reports, per format, per injected loss, per producer and per scan degradation
class, scored by ../shared/eval/score.py.

    python -m bench.eval_generated [--count 300] [--seed 11] [--scans 0] [--scan-classes mild,…]
                                   [--losses 0.5] [--breaks 0]
                                   [--producers chromium,weasyprint,libreoffice,gs,reportlab] [--jobs N]
                                   [--keep DIR]

The generator (`samplegen`) writes reports with exact truth, a share of them (`--losses`) printed with one
injected loss each (a table deleted, a header row alone at a page foot, a header band split, a header
garbled, rules removed, a page turned: samplegen/losses.py), and of the others a share (`--breaks`) with
their tables broken before a body row. With `--producers` the reports are printed by those producers in
turn (headless Chromium, WeasyPrint, LibreOffice, a ghostscript re-distill, reportlab; with the archive
variations), each loss the way its producer prints it (samplegen/lossproduce.py). The pipeline ingests
them; the scorer measures each group apart: reports with no loss (`none`), with forced body breaks
(`page_break`), producer reports whose steered page end left a header row or band alone at a page foot
with nothing injected (`steered_header`), and each loss kind, per format; and, with `--producers`, each
producer and producer/format, with the page breaks their tables got (bench/page_breaks.py); with `--scans K`,
each scan degradation class (`--scan-classes`, samplegen/scan.py: each of the first K reports is scanned once
per class) and class/format, with its pages and the pipeline's seconds (reports.seconds) over them.

`flagged` is the contract's measure: of the cell misses, those an analyst is warned of. `silent` counts the
reports with a miss nobody is warned of (a cell miss not flagged, or a 统计表 cell missed in a report that is
`ok` with no `errors` row). `false alarms` counts the reports of the groups where nothing is lost that have
an `errors` row or a status other than `ok`.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pipeline import ReadOptions, ingest
from pipeline.store.lock import LockBusy
from samplegen.generate import generate
from samplegen.losses import KINDS
from samplegen.plan import Injections
from samplegen.scan import SCAN_CLASSES

from .common import print_table, scorer, write_json
from .page_breaks import count_breaks

NOTHING_LOST = ("none", "page_break")
GROUPS = (*NOTHING_LOST, "steered_header", *KINDS)
MEASURES = ("doc", "heading", "cell", "prose", "appendix", "flagged")
# truth notes of a producer report (samplegen/tablebreaks.describe_parts) whose table broke in its header
# the note of a report whose drawn loss its producer did not print (samplegen/generate.py)
DROPPED = re.compile(
    r"^an injected (\w+) loss was drawn for this report but .* did not print it as it should"
)
HEADER_BREAK = re.compile(
    r"^(t2|t3|t4|统计表): .*(its header rows alone end the page|the header band is split)"
)


def group_of(truth: dict[str, Any]) -> str:
    if truth.get("losses"):
        return str(truth["losses"][0]["kind"])
    if truth.get("producer") and any(HEADER_BREAK.match(n) for n in truth.get("notes", [])):
        return "steered_header"
    return "page_break" if truth.get("page_breaks") else "none"


def evaluate(
    count: int,
    seed: int,
    scans: int,
    losses: float,
    breaks: float,
    producers: list[str] | None = None,
    keep: Path | None = None,
    jobs: int = 1,
    scan_classes: Sequence[str] = ("mild",),
) -> dict[str, Any]:
    module = scorer()
    if module is None:
        raise SystemExit("../shared/eval/score.py is not beside this clone")
    work = Path(tempfile.mkdtemp(prefix="eval-generated-")) if keep is None else keep
    try:
        start = time.perf_counter()
        generate(
            work / "gen",
            count,
            seed,
            formats=["2008", "2019", "2021"],
            scans=scans,
            losses=losses,
            breaks=breaks,
            producers=producers,
            jobs=jobs,
            scan_classes=scan_classes,
        )
        generated_s = time.perf_counter() - start
        start = time.perf_counter()
        summary = ingest(work / "gen", work / "out", ReadOptions())
        ingest_s = time.perf_counter() - start
        if isinstance(summary, LockBusy):  # a fresh folder: nobody else can hold it
            raise SystemExit(f"dataset busy: {summary}")
        truths = _truths(work / "gen" / "truth")
        alarms = _alarms(module, work / "out")
        rows = {}
        folders = _split(truths, work / "truth", lambda name, t: (_kind(name, t), group_of(t)))
        for (fmt, group), folder in sorted(
            folders.items(), key=lambda kv: (kv[0][0], GROUPS.index(kv[0][1]))
        ):
            rows[f"{fmt} {group}"] = _score_group(module, work / "out", folder, fmt, group, alarms)
        for group in GROUPS:  # every format together
            parts = [r for key, r in rows.items() if key.endswith(f" {group}")]
            if parts:
                rows[f"all {group}"] = _sum(parts, "all", group)
        by_producer = _by_producer(module, work, truths, alarms, Injections.of(losses, KINDS, breaks))
        by_class = _by_scan_class(module, work, truths, alarms)
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return {
        **by_producer,
        **by_class,
        "count": count,
        "seed": seed,
        "scans": scans,
        "scan_classes": list(scan_classes),
        "losses": losses,
        "breaks": breaks,
        "producers": producers,
        "reports": summary.files,
        "pages": summary.pages,
        "failed": summary.failed,
        "generate_s": generated_s,
        "ingest_s": ingest_s,
        "groups": rows,
    }


def _truths(src: Path) -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(src.glob("*.json"))}


def _kind(name: str, truth: dict[str, Any]) -> str:
    return f"{truth['format']}/{'scan' if 'scan' in truth else 'text'}"


def _split(truths: dict[str, dict[str, Any]], dst: Path, keys: Any) -> dict[Any, Path]:
    """Truth files written into one folder per key (keys(name, truth) gives one, or a list of them, or
    None): score.py scores a folder."""
    out: dict[Any, Path] = {}
    for name, truth in truths.items():
        got = keys(name, truth)
        for key in got if isinstance(got, list) else [got] if got is not None else []:
            label = "-".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
            folder = out.setdefault(key, dst / label.replace("/", "-"))
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
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
    """One group's measures; false alarms where nothing is lost (for a producer group: over its reports
    of the groups where nothing is lost)."""
    result = module.score(processed, folder, verbose=True)
    summary = result["summary"]
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    files = [t["file"] for t in truths]
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
    elif group not in GROUPS:  # a producer
        row["false_alarms"] = sorted(
            t["file"] for t in truths if group_of(t) in NOTHING_LOST and alarms.get(t["file"], True)
        )
        row["nothing_lost"] = sum(group_of(t) in NOTHING_LOST for t in truths)
    if "false_alarms" in row:  # of them, the reports the scorer finds nothing missed in
        missed = {d["file"] for d in result["documents"] if d["misses"]}
        row["alarms_no_miss"] = [f for f in row["false_alarms"] if f not in missed]
    return row


def _sum(rows: list[dict[str, Any]], fmt: str, group: str) -> dict[str, Any]:
    out: dict[str, Any] = {"format": fmt, "group": group, "reports": sum(r["reports"] for r in rows)}
    for m in MEASURES:
        out[m] = [sum(r[m][0] for r in rows), sum(r[m][1] for r in rows)]
    out["silent"] = sorted(f for r in rows for f in r["silent"])
    if "false_alarms" in rows[0]:
        out["false_alarms"] = sorted(f for r in rows for f in r["false_alarms"])
    return out


def _keyed_rows(
    module: Any,
    work: Path,
    truths: dict[str, dict[str, Any]],
    alarms: dict[str, bool],
    key_of: Callable[[dict[str, Any]], str],
    folder: str,
) -> dict[str, dict[str, Any]]:
    """Each key (a producer, a scan class) and key/format scored apart (_score_group: false alarms over
    its reports where nothing is lost)."""

    def keys(name: str, truth: dict[str, Any]) -> list[str]:
        return [key_of(truth), f"{key_of(truth)}/{truth['format']}"]

    folders = _split(truths, work / folder, keys)
    return {
        key: _score_group(
            module, work / "out", path, key.split("/", 1)[1] if "/" in key else "all", key, alarms
        )
        for key, path in sorted(folders.items())
    }


def scan_class_of(truth: dict[str, Any]) -> str:
    """The degradation class of a scan's truth (samplegen/scan.py; a mild scan's truth names none)."""
    return str(truth["scan"].get("class", "mild"))


def _by_scan_class(
    module: Any, work: Path, truths: dict[str, dict[str, Any]], alarms: dict[str, bool]
) -> dict[str, Any]:
    """Per scan degradation class and class/format: the measures, the pages scanned and the pipeline's
    seconds over them (reports.seconds)."""
    scans = {n: t for n, t in truths.items() if "scan" in t}
    if not scans:
        return {}
    rows = _keyed_rows(module, work, scans, alarms, scan_class_of, "truth-scan")
    order = {c: i for i, c in enumerate(SCAN_CLASSES)}
    rows = dict(sorted(rows.items(), key=lambda kv: (order[kv[0].split("/")[0]], kv[0])))
    seconds = {
        Path(str(r["source_path"])).name: float(r.get("seconds") or 0.0)
        for r in module.load(work / "out", "reports")
    }
    pages: Counter[str] = Counter()
    spent: Counter[str] = Counter()
    for t in scans.values():
        for key in (scan_class_of(t), f"{scan_class_of(t)}/{t['format']}"):
            pages[key] += len(t["scan"]["rotation_deg_per_page"])
            spent[key] += seconds.get(t["file"], 0.0)
    return {"scan_rows": rows, "scan_pages": dict(pages), "scan_seconds": dict(spent)}


def _by_producer(
    module: Any, work: Path, truths: dict[str, dict[str, Any]], alarms: dict[str, bool], inj: Injections
) -> dict[str, Any]:
    """Per producer and producer/format (text reports): the measures, pages, the loss kinds printed, and
    the page breaks the tables got (page_breaks.py)."""
    texts = {n: t for n, t in truths.items() if "scan" not in t and t.get("producer")}
    if not texts:
        return {}
    rows = _keyed_rows(module, work, texts, alarms, lambda t: str(t["producer"]), "truth-producer")
    pages: Counter[str] = Counter()
    groups: dict[str, Counter[str]] = {}
    for t in texts.values():
        pages[t["producer"]] += _pages(t)
        groups.setdefault(t["producer"], Counter())[group_of(t)] += 1
    dropped: dict[str, Counter[str]] = {}
    for t in texts.values():
        for note in t["notes"]:
            if m := DROPPED.match(note):
                dropped.setdefault(t["producer"], Counter())[m.group(1)] += 1
    return {
        "producer_rows": rows,
        "producer_pages": dict(pages),
        "producer_groups": {p: dict(c) for p, c in sorted(groups.items())},
        "producer_losses_dropped": {p: dict(c) for p, c in sorted(dropped.items())},
        "page_breaks": count_breaks(work / "gen" / "pdf", list(texts.values()), inj),
    }


def _pages(truth: dict[str, Any]) -> int:
    m = re.search(r"(\d+) pages", truth.get("render_note", ""))
    return int(m.group(1)) if m else 0


def _rate(pair: list[int]) -> str:
    hits, total = pair
    return f"{100 * hits / total:5.1f}% {hits}/{total}" if total else "-"


def _print_rows(
    title: str,
    first: tuple[str, ...],
    rows: list[tuple[tuple[str, ...], dict[str, Any]]],
    no_miss: bool = False,
) -> None:
    """One line per row; `no_miss`: a last column, the false alarms on reports nothing was missed in."""
    print(f"\n## {title}")
    head = (*first, "n", "cell", "heading", "doc", "prose", "appendix", "flagged", "silent", "false alarms")
    head = (*head, "alarm, no miss") if no_miss else head
    lines = [head]
    for lead, row in rows:
        alarms = row.get("false_alarms")
        last = (str(len(row.get("alarms_no_miss", []))),) if no_miss else ()
        lines.append(
            (
                *lead,
                str(row["reports"]),
                _rate(row["cell"]),
                _rate(row["heading"]),
                _rate(row["doc"]),
                _rate(row["prose"]),
                _rate(row["appendix"]),
                f"{row['flagged'][0]}/{row['flagged'][1]}",
                str(len(row["silent"])),
                "" if alarms is None else str(len(alarms)),
                *last,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for line in lines:
        print("  " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)))


def print_groups(result: dict[str, Any]) -> None:
    title = (
        f"generated reports: {result['reports']} files, {result['pages']} pages, seed {result['seed']}, "
        f"losses {result['losses']}, breaks {result['breaks']}"
        + (f", producers {','.join(result['producers'])}" if result.get("producers") else "")
    )
    _print_rows(
        title, ("format", "group"), [((r["format"], r["group"]), r) for r in result["groups"].values()]
    )


def print_producers(result: dict[str, Any]) -> None:
    rows = result["producer_rows"]
    _print_rows(
        "per producer (and producer/format); false alarms of its reports where nothing is lost",
        ("producer", "pages"),
        [
            (
                (key, str(result["producer_pages"].get(key, "")) if "/" not in key else ""),
                row,
            )
            for key, row in rows.items()
        ],
    )
    mix = [("producer", "groups (reports)", "losses dropped")]
    for producer, groups in result["producer_groups"].items():
        shown = ", ".join(f"{g} {n}" for g, n in sorted(groups.items(), key=lambda kv: GROUPS.index(kv[0])))
        lost = result["producer_losses_dropped"].get(producer, {})
        mix.append((producer, shown, ", ".join(f"{k} {n}" for k, n in sorted(lost.items())) or "0"))
    print_table(
        "what each producer printed (a loss it did not print is dropped, the report printed without it)", mix
    )
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


def print_scan_classes(result: dict[str, Any]) -> None:
    rows = result["scan_rows"]
    _print_rows(
        "per scan degradation class (and class/format); pages, the pipeline's seconds per page",
        ("class", "pages", "s/page"),
        [
            (
                (
                    key,
                    str(result["scan_pages"].get(key, "")),
                    f"{result['scan_seconds'].get(key, 0.0) / max(1, result['scan_pages'].get(key, 0)):.1f}",
                ),
                row,
            )
            for key, row in rows.items()
        ],
        no_miss=True,
    )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--scans", type=int, default=0, help="also scan the first K reports")
    ap.add_argument(
        "--scan-classes",
        default="mild",
        help=f"comma-separated, from {','.join(SCAN_CLASSES)}: each of the K reports scanned once per class",
    )
    ap.add_argument("--losses", type=float, default=0.5, help="share of reports with one injected loss")
    ap.add_argument("--breaks", type=float, default=0.0, help="share of the others with forced body breaks")
    ap.add_argument("--producers", help="comma-separated samplegen producers; default: reportlab as before")
    ap.add_argument("--keep", type=Path, help="keep the generated reports and the dataset in this folder")
    ap.add_argument("--jobs", type=int, default=1, help="reports the producers print at once")
    args = ap.parse_args(argv)
    producers = [p.strip() for p in args.producers.split(",") if p.strip()] if args.producers else None
    classes = [c.strip() for c in args.scan_classes.split(",") if c.strip()]
    result = evaluate(
        args.count, args.seed, args.scans, args.losses, args.breaks, producers, args.keep, args.jobs, classes
    )
    print_groups(result)
    if result.get("producer_rows"):
        print_producers(result)
    if result.get("scan_rows"):
        print_scan_classes(result)
    write_json("eval_generated", result)
    return result


if __name__ == "__main__":
    main()
