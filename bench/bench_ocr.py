"""OCR throughput and accuracy: the pipeline against `ocrmypdf --skip-text -l chi_sim` + pdfplumber.

Both read the same scans in the same run, each in its own worker process (one core, tesseract
single-threaded: OMP_THREAD_LIMIT=1 for both). Speed is pages per CPU-second of the worker and
everything it started (tesseract, ghostscript…): pages per second per core. Peak memory is the
largest resident set of the worker itself and of any process it started.

Accuracy: the pipeline's dataset, and pdfplumber's words and ruled tables on ocrmypdf's output
fed through the pipeline's own downstream stages, both scored by ../shared/eval/score.py; then
the pipeline's wrong cells joined with its facts (bench/ocr_flags.py). A resolution sweep on a
few table pages backs the choice of core.config.OCR_DPI.

    python -m bench.bench_ocr            # writes bench/out/ocr.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GOVREPORT_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
OUT = ROOT / "bench" / "out"
SWEEP_PAGES = (("2024_huaian-hongze", 3), ("2024_huaian-city", 4), ("2023_huaian-hongze", 4))
SWEEP_TEXT_PAGES = (("2024_huaian-hongze", 1), ("2024_huaian-city", 2))
SWEEP_DPI = tuple(int(d) for d in os.environ.get("SWEEP_DPI", "150,200,300").split(","))


# --- workers (run in their own process, so that their CPU and memory are theirs alone) ------


def _write_results(results: list[Any], out: Path) -> None:
    from pipeline.store.parts import write_results

    write_results(out, results, "bench")


def worker_pipeline(files: list[Path], out: Path) -> int:
    from pipeline import ReadOptions, process_file

    results = [process_file(f, f.parent, ReadOptions()) for f in files]
    _write_results(results, out)
    return sum(len(r.pages) for r in results)


def document_to_result(path: Path, doc: Any) -> Any:
    """The pipeline's analysis of a Document, as `process_file` does after extraction."""
    from pipeline.core.identity import file_sha256
    from pipeline.core.model import SourceFile
    from pipeline.process import document_result

    source = SourceFile(file_sha256(path), path.name, path.stat().st_size, path.stat().st_mtime)
    return document_result(source, doc, 0.0)


def pdfplumber_document(path: Path) -> Any:
    """pdfplumber's words and ruled tables as a Document, so the same stages read both."""
    import pdfplumber

    from pipeline.core.model import BBox, Document, Page
    from pipeline.layout.grid import boxes_to_table
    from pipeline.layout.lines import Glyph, glyphs_to_lines, is_page_furniture, outside
    from pipeline.layout.page import tables_in_order

    pages = []
    with pdfplumber.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            page.extract_text()  # what a pdfplumber user runs, timed with the rest
            chars = [
                Glyph(c["text"], BBox(c["x0"], c["top"], c["x1"], c["bottom"]), c["size"]) for c in page.chars
            ]
            tables = [
                t for f in page.find_tables() if (t := boxes_to_table(f.cells, chars, number)) is not None
            ]
            words = [
                Glyph(w["text"], BBox(w["x0"], w["top"], w["x1"], w["bottom"]), w["bottom"] - w["top"])
                for w in page.extract_words()
            ]
            body = outside(words, [t.bbox for t in tables])
            lines = tuple(line for line in glyphs_to_lines(body) if not is_page_furniture(line, page.height))
            pages.append(
                Page(number, page.width, page.height, lines, tuple(tables), "ocr", len(chars), "ocrmypdf")
            )
            page.close()
    return Document(tuple(pages), tuple(tables_in_order(pages)))


def worker_baseline(files: list[Path], out: Path) -> int:
    """ocrmypdf adds a text layer to each scan, then pdfplumber reads text and tables."""
    work = Path(tempfile.mkdtemp(prefix="bench-ocrmypdf-"))
    results, pages = [], 0
    for f in files:
        layered = work / f.name
        subprocess.run(
            ["ocrmypdf", "--skip-text", "-l", "chi_sim", "--jobs", "1", "--quiet", str(f), str(layered)],
            check=True,
        )
        doc = pdfplumber_document(layered)
        pages += len(doc.pages)
        results.append(document_to_result(f, doc))
    _write_results(results, out)
    shutil.rmtree(work, ignore_errors=True)
    return pages


# --- the measuring parent -----------------------------------------------------------------------


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants now (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    tree, grew = {root}, True
    while grew:
        more = {p for p, pp in parents.items() if pp in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(rss.get(p, 0) for p in tree) / 2**20


def run_worker(kind: str, files: list[Path], out: Path) -> dict[str, Any]:
    """Run a worker process: its CPU with its children's (wait4), and the peak of the memory
    the worker and its children hold together, sampled every 50 ms. (A child's own ru_maxrss is
    no use: Linux counts the parent's pages it was forked with.)"""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    cmd = [sys.executable, "-m", "bench.bench_ocr", "--worker", kind, "--out", str(out), *map(str, files)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], _tree_rss_mb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    report = json.loads(proc.stdout.read() or b"{}")
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    if status != 0:
        raise RuntimeError(f"{kind} worker failed ({status})")
    cpu = usage.ru_utime + usage.ru_stime
    return {
        "pages": report["pages"],
        "wall_s": time.perf_counter() - start,
        "cpu_s": cpu,
        "pages_per_s_per_core": report["pages"] / cpu,
        "worker_python_peak_mb": report["self_maxrss_mb"],
        "worker_tree_peak_mb": peak[0],
    }


def score(processed: Path, truth: Path) -> dict[str, Any]:
    from bench.ocr_flags import load_scorer

    summary = load_scorer(SHARED / "eval" / "score.py").score(processed, truth)["summary"]
    return {k: v for k, v in summary.items() if "[" not in k and v["total"]}


def dpi_sweep() -> list[dict[str, Any]]:
    """At each resolution: table numbers and labels read right, body text's character overlap
    with the text layer, and the CPU it all took (the scans are compared with their originals)."""
    import pypdfium2 as pdfium

    from pipeline.core.config import OCR_PAGE_TIMEOUT_S
    from pipeline.core.model import PipelineError
    from pipeline.core.text import squash
    from pipeline.extract.decide import agreement
    from pipeline.extract.pdf_reader import read_text_page
    from pipeline.ocr.engines import engine_for
    from pipeline.ocr.page import ocr_page

    engine = engine_for("tesseract")
    assert not isinstance(engine, PipelineError), engine
    rows = []
    for dpi in SWEEP_DPI:
        numbers = [0, 0]
        labels = [0, 0]
        overlap: list[float] = []
        cpu = 0.0
        for name, number in SWEEP_PAGES + SWEEP_TEXT_PAGES:
            text_doc = pdfium.PdfDocument(str(CORPUS / "pdf" / f"{name}.pdf"))
            printed = read_text_page(text_doc[number - 1], number)[0]
            text_doc.close()
            scan = pdfium.PdfDocument(str(CORPUS / "scan" / f"{name}_scan.pdf"))
            before = _cpu()
            page = ocr_page(scan[number - 1], number, engine, "bench", OCR_PAGE_TIMEOUT_S, dpi)
            cpu += _cpu() - before
            scan.close()
            if (name, number) in SWEEP_TEXT_PAGES:
                overlap.append(
                    agreement("".join(x.text for x in printed.lines), "".join(x.text for x in page.lines))
                )
                continue
            cells = [c for t in page.tables for c in t.cells]
            for want in (c for t in printed.tables for c in t.cells if c.text):
                got = [c.text for c in cells if c.bbox.contains_point(*want.bbox.center)]
                tally = numbers if re.fullmatch(r"[\d.,]+", want.text) else labels
                tally[1] += 1
                tally[0] += [squash(g) for g in got] == [squash(want.text)]
        rows.append(
            {
                "dpi": dpi,
                "numbers_right": numbers[0],
                "numbers": numbers[1],
                "labels_right": labels[0],
                "labels": labels[1],
                "body_text_overlap": round(sum(overlap) / len(overlap), 4),
                "cpu_s_per_page": cpu / len(SWEEP_PAGES + SWEEP_TEXT_PAGES),
            }
        )
    return rows


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main(only: str = "*") -> dict[str, Any]:
    scans = sorted((CORPUS / "scan").glob(f"{only}.pdf"))
    if not scans:
        print("no scans to measure (../shared/corpus/scan is missing)")
        return {}
    have_ocrmypdf = shutil.which("ocrmypdf") is not None
    work = Path(tempfile.mkdtemp(prefix="bench-ocr-"))
    outs = {"pipeline": work / "pipeline"}
    if have_ocrmypdf:
        outs["ocrmypdf+pdfplumber"] = work / "baseline"
    else:
        print("ocrmypdf is not installed (scripts/system-deps.sh --bench): no baseline")
    runs = {
        name: run_worker("pipeline" if name == "pipeline" else "baseline", scans, out)
        for name, out in outs.items()
    }
    truth = work / "truth"
    truth.mkdir()
    for scan in scans:
        if (CORPUS / "truth" / f"{scan.stem}.json").is_file():
            shutil.copy(CORPUS / "truth" / f"{scan.stem}.json", truth)
    accuracy = {name: score(out, truth) for name, out in outs.items()}
    from bench.ocr_flags import load_scorer, wrong_cells

    wrong = wrong_cells(work / "pipeline", truth, load_scorer(SHARED / "eval" / "score.py"))
    sweep = dpi_sweep()
    report = {
        "scans": [s.name for s in scans],
        "runs": runs,
        "accuracy": accuracy,
        "pipeline_wrong_cells": wrong,
        "pipeline_wrong_cells_unflagged": [w for w in wrong if not w["flagged"]],
        "dpi_sweep": sweep,
        "machine_cores": os.cpu_count(),
        "load_average_after": os.getloadavg(),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "ocr.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    _print(report)
    shutil.rmtree(work, ignore_errors=True)
    return report


def _print(report: dict[str, Any]) -> None:
    print(f"\n## OCR: {len(report['scans'])} scanned reports, one worker each, tesseract single-threaded")
    print(
        f"  {'':22} {'pages':>5} {'CPU s':>7} {'pages/s/core':>12} {'wall s':>7}  peak MB: python / with children"
    )
    for name, r in report["runs"].items():
        print(
            f"  {name:22} {r['pages']:5d} {r['cpu_s']:7.1f} {r['pages_per_s_per_core']:12.3f} "
            f"{r['wall_s']:7.1f}  {r['worker_python_peak_mb']:14.0f} / {r['worker_tree_peak_mb']:.0f}"
        )
    for name, measures in report["accuracy"].items():
        line = ", ".join(
            f"{m} {v['hits']}/{v['total']} = {100 * v['rate']:.1f}%" for m, v in measures.items()
        )
        print(f"  {name:22} {line}")
    wrong, unflagged = report["pipeline_wrong_cells"], report["pipeline_wrong_cells_unflagged"]
    print(
        f"  pipeline wrong cells: {len(wrong)}, not flagged by a check or confidence < 0.9: {len(unflagged)}"
    )
    for row in report["dpi_sweep"]:
        print(
            f"  dpi {row['dpi']}: numbers {row['numbers_right']}/{row['numbers']}, labels "
            f"{row['labels_right']}/{row['labels']}, body text overlap {row['body_text_overlap']:.3f}, "
            f"{row['cpu_s_per_page']:.2f} CPU s/page"
        )


def _worker_main(args: argparse.Namespace) -> None:
    files = [Path(f) for f in args.files]
    pages = (worker_pipeline if args.worker == "pipeline" else worker_baseline)(files, Path(args.out))
    me = resource.getrusage(resource.RUSAGE_SELF)
    json.dump(
        {"pages": pages, "self_maxrss_mb": me.ru_maxrss / 1024},
        sys.stdout,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", choices=("pipeline", "baseline"))
    parser.add_argument("--out")
    parser.add_argument("--only", default="*", help="scans to measure, a glob on the name (default: all)")
    parser.add_argument("files", nargs="*")
    parsed = parser.parse_args()
    if parsed.worker:
        _worker_main(parsed)
    else:
        main(parsed.only)
