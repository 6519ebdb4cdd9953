"""Text-PDF throughput and accuracy: the pipeline against plain pdfplumber, in the same run.

Baseline time = pdfplumber `extract_text` + `extract_tables` on every page (what a user of
pdfplumber would run). Baseline accuracy = pdfplumber's words and table cells fed through the
pipeline's own downstream stages, scored by ../shared/eval/score.py like the pipeline's output.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from pipeline import ReadOptions
from pipeline.core.identity import file_sha256
from pipeline.core.model import Document, ReportResult, SourceFile
from pipeline.extract.document import read_document
from pipeline.process import document_result
from pipeline.store.parts import write_results
from samplegen.generate import generate

from .common import CORPUS, ROOT, print_table, score, write_json
from .plumber_baseline import pdfplumber_document, plain_pdfplumber

REPEAT = 3


SAMPLES = ROOT / "bench" / "out" / "samples"


def text_inputs() -> tuple[list[Path], Path | None]:
    """Text PDFs to measure on (the corpus and 60 generated reports), and their truth."""
    if not (SAMPLES / "pdf").is_dir():
        generate(SAMPLES, 60, seed=7, formats=["2008", "2019", "2021"], scans=0)
    files: list[Path] = []
    truth_dir = Path(tempfile.mkdtemp(prefix="bench-truth-"))
    have_truth = False
    for folder, truth in ((CORPUS / "pdf", CORPUS / "truth"), (SAMPLES / "pdf", SAMPLES / "truth")):
        if not folder.is_dir():
            continue
        for pdf in sorted(folder.glob("*.pdf")):
            files.append(pdf)
            t = truth / f"{pdf.stem}.json"
            if t.is_file():
                shutil.copy(t, truth_dir / t.name)
                have_truth = True
    return files, (truth_dir if have_truth else None)


def _result(path: Path, doc: Document) -> ReportResult:
    source = SourceFile(file_sha256(path), path.name, path.stat().st_size, path.stat().st_mtime)
    return document_result(source, doc, 0.0)


def main() -> dict[str, Any]:
    files, truth = text_inputs()
    if not files:
        print("no text PDFs to measure (neither ../shared/corpus/pdf nor bench/out/samples)")
        return {}
    pages = 0
    ours = baseline = float("inf")
    for _ in range(REPEAT):  # interleaved, so both see the same machine load
        start = time.perf_counter()
        docs = [read_document(p, ReadOptions(ocr="never")) for p in files]
        ours = min(ours, time.perf_counter() - start)
        start = time.perf_counter()
        pages = sum(plain_pdfplumber(str(p)) for p in files)
        baseline = min(baseline, time.perf_counter() - start)
    start = time.perf_counter()
    results = [_result(p, d) for p, d in zip(files, docs, strict=True) if isinstance(d, Document)]
    downstream = time.perf_counter() - start
    plumber_results = [_result(p, pdfplumber_document(str(p))) for p in files]
    work = Path(tempfile.mkdtemp(prefix="bench-text-"))
    accuracy = {}
    if truth:
        accuracy = {
            "pipeline": score(write_results(work / "ours", results, "bench"), truth),
            "pdfplumber": score(write_results(work / "plumber", plumber_results, "bench"), truth),
        }
    report = {
        "files": len(files),
        "pages": pages,
        "pipeline_extract_s": ours,
        "pipeline_total_s": ours + downstream,
        "pdfplumber_text_tables_s": baseline,
        "pipeline_pages_per_s": pages / (ours + downstream),
        "pdfplumber_pages_per_s": pages / baseline,
        "speedup_vs_pdfplumber": baseline / (ours + downstream),
        "accuracy": accuracy,
    }
    print_table(
        f"text PDFs: {len(files)} files, {pages} pages (best of {REPEAT})",
        [
            ("pipeline (extract + segment + facts)", f"{report['pipeline_pages_per_s']:.1f} pages/s"),
            ("pdfplumber extract_text + extract_tables", f"{report['pdfplumber_pages_per_s']:.1f} pages/s"),
            ("speed-up", f"{report['speedup_vs_pdfplumber']:.2f}x"),
        ]
        + [
            (f"{who} {measure}", f"{v['hits']}/{v['total']} = {100 * v['rate']:.1f}%")
            for who, measures in accuracy.items()
            for measure, v in measures.items()
        ],
    )
    write_json("text", report)
    return report


if __name__ == "__main__":
    main()
