"""Pages of one large scanned report spread over the workers: 1 worker vs 2, same rows.

    python -m bench.bench_pages            (GOVREPORT_BENCH_PAGES=12 by default)
    GOVREPORT_BENCH_PHASES=speedup python -m bench.bench_pages     (rerun one phase, keep the others)

The report: the first `PAGES` pages of the corpus scans (2024 淮安市, 2024 and 2023 洪泽区, in
turn) as one image-only PDF, built once under /tmp. Each measured run is the real CLI in a
subprocess (bench_archive.measured_run: wall and CPU time of the run and its workers, load
average before and after). Configurations, alternated, best of `REPEAT`:

    local-1-whole  1 worker, --split-pages 0 (the file read whole: what a run did before)
    local-1-split  1 worker, split (the cost of splitting, with nothing to gain)
    local-2-whole  2 workers, --split-pages 0 (one of them idle)
    local-2-split  2 workers, split
    dask-2-split   a 2-worker Dask LocalCluster, split

Every run must give the same rows (timing columns aside). The machine is shared: the load
average is recorded with each run; `cores_used` says how much CPU the run got.

Also measured: how many workers are busy at once in a 2-worker split run (`concurrency`,
sampled), and (`decision`): what deciding the split in the parent would cost — the page count,
and a character count of every page with PDFium — against the worker's decision, which reads
the pages before the first OCR page anyway; and the fixed cost of a chunk.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import psutil
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from bench.bench_archive import fresh, measured_run
from bench.common import CORPUS, OUT, write_json

PAGES = int(os.environ.get("GOVREPORT_BENCH_PAGES", "12"))
REPEAT = int(os.environ.get("GOVREPORT_BENCH_REPEAT", "2"))
SCANS = ("2024_huaian-city_scan.pdf", "2024_huaian-hongze_scan.pdf", "2023_huaian-hongze_scan.pdf")
CACHE = Path(tempfile.gettempdir()) / f"govreport-bench-pages-{PAGES}"
CONFIGS: dict[str, tuple[str, ...]] = {
    "local-1-whole": ("--workers", "1", "--split-pages", "0"),
    "local-1-split": ("--workers", "1"),
    "local-2-whole": ("--workers", "2", "--split-pages", "0"),
    "local-2-split": ("--workers", "2"),
    "dask-2-split": ("--workers", "2", "--executor", "dask"),
}
VOLATILE = {"run_id", "ingested_at", "seconds", "at", "file_mtime", "source_mtimes"}


def build_report() -> Path | None:
    """One scanned PDF of PAGES pages from the corpus scans (cached); None without the corpus."""
    src = CACHE / "src"
    target = src / f"scan-{PAGES}-pages.pdf"
    if target.is_file():
        return src
    sources = [CORPUS / "scan" / name for name in SCANS]
    if not all(p.is_file() for p in sources):
        return None
    out = pdfium.PdfDocument.new()
    while len(out) < PAGES:
        for path in sources:
            doc = pdfium.PdfDocument(str(path))
            take = min(len(doc), PAGES - len(out))
            out.import_pages(doc, list(range(take)))
            doc.close()
            if len(out) >= PAGES:
                break
    src.mkdir(parents=True, exist_ok=True)
    out.save(str(target))
    out.close()
    return src


def rows(out: Path) -> dict[str, pd.DataFrame]:
    """The per-report tables without timing columns, in a canonical order."""
    tables = {}
    for name in ("reports", "facts", "sections", "pages", "checks", "errors"):
        frame = pd.read_parquet(out / name)
        frame = frame.drop(columns=[c for c in frame.columns if c in VOLATILE]).astype(str)
        frame = frame[sorted(frame.columns)]
        tables[name] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return tables


def same_rows(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> bool:
    return all(a[name].equals(b[name]) for name in a)


def speedup_phase(src: Path, work: Path) -> dict[str, Any]:
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label in CONFIGS}
    reference: dict[str, pd.DataFrame] | None = None
    identical = True
    for _ in range(REPEAT):
        for label, options in CONFIGS.items():
            out = fresh(work, f"out-{label}")
            runs[label].append(measured_run(src, out, "--no-report", *options))
            got = rows(out)
            reference = reference or got
            identical = identical and same_rows(reference, got)
    best = {label: min(rs, key=lambda r: r["seconds"]) for label, rs in runs.items()}
    loads = [r[k] for rs in runs.values() for r in rs for k in ("load_before", "load_after")]
    seconds = {label: best[label]["seconds"] for label in CONFIGS}
    return {
        "pages": PAGES,
        "runs": runs,
        "best_seconds": seconds,
        "cpu_seconds": {label: best[label]["cpu_seconds"] for label in CONFIGS},
        "cores_used": {label: best[label]["cores_used"] for label in CONFIGS},
        "split_2_over_whole_1": round(seconds["local-1-whole"] / seconds["local-2-split"], 2),
        "split_2_over_split_1": round(seconds["local-1-split"] / seconds["local-2-split"], 2),
        "split_2_over_whole_2": round(seconds["local-2-whole"] / seconds["local-2-split"], 2),
        "dask_2_over_whole_1": round(seconds["local-1-whole"] / seconds["dask-2-split"], 2),
        "same_rows_everywhere": identical,
        "load_average_range": [min(loads), max(loads)],
        "cores": os.cpu_count(),
    }


def concurrency_phase(src: Path, work: Path) -> dict[str, Any]:
    """How many workers are busy at once in a 2-worker split run, sampled every 0.25 s: whether
    the pages really run side by side, whatever CPU the shared machine gives them."""
    out = fresh(work, "out-concurrency")
    command = [sys.executable, "-m", "pipeline", "ingest", str(src), "--dataset", str(out)]
    proc = subprocess.Popen([*command, "--workers", "2", "--no-report", "--quiet"], stdout=subprocess.DEVNULL)
    samples: Counter[int] = Counter()
    load = os.getloadavg()[0]
    while proc.poll() is None:
        with contextlib.suppress(psutil.Error):
            workers = [
                k for k in psutil.Process(proc.pid).children() if "pipeline.run.workers" in k.cmdline()
            ]
            samples[sum(1 for w in workers if _busy(w))] += 1
        time.sleep(0.25)
    total = sum(samples.values()) or 1
    return {
        "samples": total,
        "share_by_workers_busy": {str(n): round(c / total, 2) for n, c in sorted(samples.items())},
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }


def _busy(worker: psutil.Process) -> bool:
    """Running or waiting for a CPU, or waiting for its OCR engine; an idle worker sleeps on its pipe."""
    with contextlib.suppress(psutil.Error):
        return worker.status() == psutil.STATUS_RUNNING or bool(worker.children())
    return False


def _ms(fn: Callable[[], object], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return round(best * 1e3, 2)


def _char_counts(path: str) -> list[int]:
    doc = pdfium.PdfDocument(path)
    try:
        counts = []
        for i in range(len(doc)):
            page = doc[i]
            text = page.get_textpage()
            counts.append(pdfium_c.FPDFText_CountChars(text.raw))
            text.close()
            page.close()
        return counts
    finally:
        doc.close()


def _page_count(path: str) -> int:
    doc = pdfium.PdfDocument(path)
    try:
        return len(doc)
    finally:
        doc.close()


def decision_phase(report: Path) -> dict[str, Any]:
    """What a decision in the parent would cost, and what a chunk costs beyond its pages."""
    from pipeline import ReadOptions
    from pipeline.extract.pdf_reader import read_pages

    text = CORPUS / "pdf" / "2020_pingtan-syq_80595.pdf"  # 11 text pages
    out: dict[str, Any] = {}
    for name, path in (("scan", report), ("text", text)):
        pages = _page_count(str(path))
        out[f"page_count_ms_{name}"] = _ms(partial(_page_count, str(path)))
        probe = _ms(partial(_char_counts, str(path)))
        out[f"char_probe_ms_per_page_{name}"] = round(probe / pages, 2)
    loop = _hostile_loop()
    if loop is not None:
        start = time.perf_counter()
        doc = pdfium.PdfDocument(str(loop))
        doc[0].close()
        out["hostile_loop_page_load_s"] = round(time.perf_counter() - start, 2)
        doc.close()
    # a chunk's fixed cost: opening the file and deciding a page (a text-only read of a scanned
    # page, no OCR), and sending one OCR page back (pickle + unpickle)
    out["chunk_open_and_decide_ms"] = _ms(partial(read_pages, str(report), ReadOptions(ocr="never"), 0, 1))
    page = read_pages(str(report), ReadOptions(), 0, 1)
    blob = pickle.dumps(page)
    out["ocr_page_pickled_kb"] = round(len(blob) / 1024, 1)
    out["ocr_page_unpickle_ms"] = _ms(partial(pickle.loads, blob))
    out["ocr_page_seconds"] = round(page[0].seconds, 2)
    return out


def _hostile_loop() -> Path | None:
    """tests/hostile.py's parser-loop file (2 million stroked paths on one page), if importable."""
    try:
        from tests.hostile import parser_loop
    except ImportError:
        return None
    path = CACHE / "loop.pdf"
    parser_loop(path)
    return path


def main() -> None:
    src = build_report()
    if src is None:
        print("bench_pages: the corpus scans are not here; skipped")
        return
    phases = os.environ.get("GOVREPORT_BENCH_PHASES", "decision,speedup,concurrency").split(",")
    work = CACHE / "runs"
    work.mkdir(exist_ok=True)
    previous = OUT / "pages.json"
    results: dict[str, Any] = json.loads(previous.read_text(encoding="utf-8")) if previous.exists() else {}
    results["report"] = (
        f"{PAGES} image-only pages from {', '.join(SCANS)}"  # a phase not rerun keeps its last results
    )
    if "decision" in phases:
        results["decision"] = decision_phase(next(src.glob("*.pdf")))
    if "speedup" in phases:
        results["speedup"] = speedup_phase(src, work)
    if "concurrency" in phases:
        results["concurrency"] = concurrency_phase(src, work)
    shutil.rmtree(work, ignore_errors=True)
    path = write_json("pages", results)
    print_table(results)
    print(f"written {path}")


def print_table(r: dict[str, Any]) -> None:
    s, d = r["speedup"], r["decision"]
    lines = [
        (
            label,
            f"{s['best_seconds'][label]} s, {s['cpu_seconds'][label]} CPU s, {s['cores_used'][label]} cores busy",
        )
        for label in CONFIGS
    ]
    lines += [
        ("2 workers split / 1 worker whole", f"{s['split_2_over_whole_1']}×"),
        ("2 workers split / 2 workers whole", f"{s['split_2_over_whole_2']}×"),
        ("Dask 2 split / 1 worker whole", f"{s['dask_2_over_whole_1']}×"),
        ("same rows in every run", str(s["same_rows_everywhere"])),
        ("load average during the runs", f"{s['load_average_range'][0]}–{s['load_average_range'][1]}"),
        ("decision costs", ", ".join(f"{k}={v}" for k, v in d.items())),
        ("workers busy at once, 2 workers", str(r["concurrency"]["share_by_workers_busy"])),
    ]
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
