"""Run report and review page generation times (targets: run report < 10 s for 10,000 reports,
review page < 2 s for a 10-page report).

The 10,000-report dataset is built from real ingested rows: the corpus (text PDFs and the two
hostile files) and 40 generated reports are ingested once, then every table is replicated with
new report ids (sha256 of id + copy number), new source paths and years spread over 2008-2024,
so each copy is a distinct report as far as any reader can tell (copy 0 is the seed itself, so
a real PDF can be reviewed against the big dataset).
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import ReadOptions, ingest
from pipeline.store.dataset import read
from pipeline.store.schema import TABLES
from pipeline.views.review import write_review
from pipeline.views.runreport import write_run_report
from samplegen.generate import generate

from .common import CORPUS, OUT, peak_rss_mb, print_table, timed, write_json

TARGET_REPORTS = 10_000
SAMPLES = OUT / "samples-html"
REPEAT = 3


def seed_dataset(work: Path) -> tuple[Path, list[Path]]:
    """Ingest the corpus and 40 generated reports; return the dataset and the folders ingested."""
    if not (SAMPLES / "pdf").is_dir():
        generate(SAMPLES, 40, seed=11, formats=["2008", "2019", "2021"], scans=0)
    dataset = work / "seed"
    folders = [f for f in (CORPUS / "pdf", CORPUS / "bad", SAMPLES / "pdf") if f.is_dir()]
    for folder in folders:
        ingest(folder, dataset, ReadOptions())
    return dataset, folders


def _new_ids(ids: pa.Array, copy: int) -> pa.Array:
    return pa.array(
        [None if i is None else hashlib.sha256(f"{i}:{copy}".encode()).hexdigest() for i in ids.to_pylist()],
        pa.string(),
    )


def replicate(seed: Path, out: Path, target: int = TARGET_REPORTS, per_part: int = 1000) -> int:
    """Write a dataset of about `target` reports made of copies of the seed dataset's reports."""
    tables = {name: read(seed, name) for name in TABLES}
    originals = tables["reports"]["report_id"].unique()
    per_copy = tables["reports"].num_rows
    copies = -(-target // per_copy)
    parts: dict[str, list[pa.Table]] = {name: [] for name in TABLES}
    part_no = 0

    def flush() -> None:
        nonlocal part_no
        for name in (*(t for t in TABLES if t != "reports"), "reports"):
            (out / name).mkdir(parents=True, exist_ok=True)
            if parts[name]:
                pq.write_table(
                    pa.concat_tables(parts[name]), out / name / f"part-bench-{part_no:03d}.parquet"
                )
            parts[name] = []
        part_no += 1

    for copy in range(copies):
        if copy == 0:  # the seed reports themselves, so a real PDF can be reviewed against the big dataset
            for name, table in tables.items():
                parts[name].append(table)
            continue
        mapping = _new_ids(originals, copy)
        for name, table in tables.items():
            index = pc.index_in(table["report_id"], value_set=originals)
            table = table.set_column(
                table.schema.get_field_index("report_id"), "report_id", pc.take(mapping, index)
            )
            if name == "reports":
                years = pc.add(
                    pc.cast(pc.add(table["year"], copy % 17), pa.int16()), pa.scalar(0, pa.int16())
                )
                table = table.set_column(
                    table.schema.get_field_index("year"),
                    "year",
                    pc.if_else(pc.greater(years, 2024), pc.subtract(years, pa.scalar(17, pa.int16())), years),
                )
                table = table.set_column(
                    table.schema.get_field_index("source_path"),
                    "source_path",
                    pc.binary_join_element_wise(f"copy{copy:04d}", table["source_path"], "/"),
                )
            parts[name].append(table)
        if (copy + 1) * per_copy // per_part != copy * per_copy // per_part:
            flush()
    flush()
    return copies * per_copy


def _pages_of(dataset: Path, pdf: Path) -> int:
    rows = read(dataset, "reports", ["source_path", "pages"]).to_pylist()
    return next((r["pages"] for r in rows if r["source_path"] == pdf.name), 0)


def main() -> None:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-html-") as tmp:
        work = Path(tmp)
        seed, folders = seed_dataset(work)
        big = work / "big"
        start = time.perf_counter()
        reports = replicate(seed, big)
        results["build_10k_seconds"] = round(time.perf_counter() - start, 2)
        facts = read(big, "facts", ["report_id"]).num_rows
        results["dataset"] = {
            "reports": reports,
            "facts": facts,
            "seed_reports": read(seed, "reports").num_rows,
        }
        seconds, out = timed(lambda: write_run_report(big, work / "report.html"), REPEAT)
        results["run_report"] = {
            "reports": reports,
            "seconds": round(seconds, 3),
            "html_kb": round(out.stat().st_size / 1024),
            "target_seconds": 10,
        }
        seconds, out = timed(lambda: write_run_report(seed, work / "seed-report.html"), REPEAT)
        results["run_report_seed"] = {
            "reports": results["dataset"]["seed_reports"],
            "seconds": round(seconds, 3),
        }
        pdfs = sorted((p for f in folders for p in f.glob("*.pdf")), key=lambda p: -_pages_of(seed, p))
        reviewed = [p for p in pdfs if _pages_of(seed, p) >= 10][:2] or pdfs[:1]
        results["review"] = []
        for pdf in reviewed:
            pages = _pages_of(seed, pdf)
            for name, dataset in (("seed", seed), ("10k", big)):
                seconds, out = timed(
                    lambda d=dataset, p=pdf: write_review(d, str(p), work / "review.html"), REPEAT
                )
                assert isinstance(out, Path), out
                results["review"].append(
                    {
                        "pdf": pdf.name,
                        "pages": pages,
                        "dataset": name,
                        "seconds": round(seconds, 3),
                        "html_kb": round(out.stat().st_size / 1024),
                        "target_seconds": 2,
                    }
                )
    results["peak_rss_mb"] = round(peak_rss_mb())
    print_table(
        "HTML generation (best of 3)",
        [
            ("what", "input", "seconds", "HTML KB"),
            (
                "run report",
                f"{reports:,} reports, {facts:,} facts",
                results["run_report"]["seconds"],
                results["run_report"]["html_kb"],
            ),
            (
                "run report",
                f"{results['dataset']['seed_reports']} reports",
                results["run_report_seed"]["seconds"],
                "",
            ),
            *(
                (
                    "review page",
                    f"{r['pdf']} ({r['pages']} pages, {r['dataset']} dataset)",
                    r["seconds"],
                    r["html_kb"],
                )
                for r in results["review"]
            ),
        ],
    )
    print(
        f"  building the {reports:,}-report dataset took {results['build_10k_seconds']} s; "
        f"peak RSS {results['peak_rss_mb']} MB"
    )
    print(f"  wrote {write_json('html', results)}")


if __name__ == "__main__":
    main()
