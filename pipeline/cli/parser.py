"""The command line's options: every default from core/config.py, said once in each help text."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from pathlib import Path

from pipeline.core import config
from pipeline.core.config import VERSION

MAX_SCALE = 8.0  # review page images: 8 px per point is 576 dpi, far past legible
MAX_QUALITY = 95  # Pillow's JPEG quality above 95 only grows the file
EPILOG = (
    "Exit codes: 0 all files ok; 1 some files failed (see the errors table); 2 could not run (a bad option "
    "value, an output it cannot write); 3 locked by another run; 130/143 stopped by Ctrl-C/SIGTERM (what "
    "was finished is committed)."
)


def memory_mb(text: str) -> int:
    """'1536', '1536M', '1.5G' → MiB; 0 is "no limit", so a size that rounds down to 0 is refused."""
    value = text.strip().upper().removesuffix("B")
    scale = {"G": 1024, "M": 1, "K": 1 / 1024}.get(value[-1:])
    try:
        number = float(value[:-1]) if scale else float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a size such as 1536M or 1.5G (got {text!r})") from None
    mib = number * (scale or 1)
    if not math.isfinite(mib) or mib < 0 or (0 < mib < 1):
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or at least 1M (got {text!r})")
    return int(mib)


def whole(minimum: int) -> Callable[[str], int]:
    """An integer option of at least `minimum`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number (got {text!r})") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum} (got {text})")
        return value

    parse.__name__ = "whole number"
    return parse


def seconds(zero: bool) -> Callable[[str], float]:
    """A finite number of seconds, positive (or 0 too, where 0 has a documented meaning)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number of seconds (got {text!r})") from None
        if not math.isfinite(value) or value < 0 or (value == 0 and not zero):
            bound = "0 or more" if zero else "more than 0"
            raise argparse.ArgumentTypeError(f"must be a finite number, {bound} (got {text})")
        return value

    parse.__name__ = "seconds"
    return parse


def scale(text: str) -> float:
    value = seconds(zero=False)(text)
    if value > MAX_SCALE:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_SCALE:g} (got {text})")
    return value


def quality(text: str) -> int:
    value = whole(1)(text)
    if value > MAX_QUALITY:
        raise argparse.ArgumentTypeError(f"must be 1 to {MAX_QUALITY} (got {text})")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Turn folders of 政府信息公开工作年度报告 PDFs into a Parquet dataset.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
    sub = parser.add_subparsers(dest="command", required=True)
    ing = sub.add_parser(
        "ingest",
        help="ingest a folder of PDFs into a dataset folder",
        description="Bring the dataset in --out up to date with every *.pdf under SRC: new and changed files are "
        "processed, unchanged ones skipped (same size, mtime and pipeline version). Results are committed in "
        "batches; a run killed at any point is finished by the next one, and SIGINT/SIGTERM stop it cleanly "
        "(what was finished is committed). A file that fails gets a `failed` report row and an errors row; "
        "a file that cannot be read tonight, or changes while read, keeps the rows an earlier run committed "
        "and is read again next run; entries that are not readable files (links to nothing, FIFOs, folders "
        "that cannot be listed) are reported as `skipped`. Values out of range, or an --out that cannot be "
        "written, stop the run before it starts (exit 2).",
        epilog=EPILOG,
    )
    ing.add_argument("src", type=Path, help="folder of PDFs (searched recursively) or one PDF file")
    ing.add_argument(
        "--out", type=Path, default=config.DATASET, help=f"dataset folder (default: {config.DATASET})"
    )
    ing.add_argument(
        "--ocr",
        choices=config.OCR_MODES,
        default=config.OCR_MODE,
        help="auto: OCR only pages whose text layer is missing or garbled; always: OCR every page; "
        "never: use the text layer only (default: %(default)s)",
    )
    ing.add_argument(
        "--ocr-engine",
        default=config.OCR_ENGINE,
        metavar="ENGINE",
        help="tesseract; none (pages that need OCR are left empty with an ocr_unavailable error: a quick "
        "pass that flags every scan); record:DIR or replay:DIR (tesseract's readings written to, or read "
        "back from, DIR) (default: %(default)s)",
    )
    ing.add_argument(
        "--ocr-timeout",
        type=seconds(zero=False),
        default=config.OCR_PAGE_TIMEOUT_S,
        metavar="SECONDS",
        help="give up on a page whose OCR takes longer (an ocr_timeout error; the report is partial) "
        "(default: %(default)g)",
    )
    ing.add_argument("--password", help="password for encrypted PDFs (tried on every file)")
    run = ing.add_argument_group("running")
    run.add_argument(
        "--workers", type=whole(1), default=None, help="worker processes, at least 1 (default: every core)"
    )
    run.add_argument(
        "--executor", choices=("local", "dask"), default="local", help="local processes (default) or Dask"
    )
    run.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a LocalCluster)",
    )
    run.add_argument(
        "--timeout-per-file",
        type=seconds(zero=True),
        default=config.FILE_TIMEOUT_S,
        metavar="SECONDS",
        help="the worker time one file may take, however it is read: a worker over it is killed and the file "
        "fails with `timeout`; a large scan read in chunks by several workers shares it across its chunks "
        "(the pages not read by then fail with `timeout`) (default: %(default)g; 0: none)",
    )
    run.add_argument(
        "--max-memory",
        type=memory_mb,
        default=config.MAX_MEMORY_MB,
        metavar="SIZE",
        help="kill a worker whose memory goes over this (e.g. 1536M, 1.5G); the file fails with `memory` "
        "(default: %(default)sM; 0: none)",
    )
    run.add_argument(
        "--max-pages",
        type=whole(1),
        default=config.MAX_PAGES,
        help="fail larger files with `too_many_pages` (default: %(default)s)",
    )
    run.add_argument(
        "--split-pages",
        type=whole(0),
        default=config.SPLIT_PAGES,
        metavar="N",
        help="a file of more than N pages is read in chunks of pages by several workers once a page needs "
        "OCR; the report is assembled when all are in (default: %(default)s; 0: never split)",
    )
    run.add_argument(
        "--chunk-pages",
        type=whole(1),
        default=config.CHUNK_PAGES,
        metavar="C",
        help="pages per chunk of a split file; each chunk has the --max-memory limit of a file, and the "
        "file's chunks share its --timeout-per-file (default: %(default)s)",
    )
    run.add_argument(
        "--batch-size",
        type=whole(1),
        default=config.BATCH_SIZE,
        help="reports per committed batch (default: %(default)s)",
    )
    run.add_argument(
        "--commit-seconds",
        type=seconds(zero=True),
        default=config.COMMIT_SECONDS,
        help="commit at least this often (default: %(default)g)",
    )
    run.add_argument("--force", action="store_true", help="process every file again, even unchanged ones")
    run.add_argument("--retry-failed", action="store_true", help="process files that failed before again")
    run.add_argument(
        "--wait-lock",
        type=seconds(zero=True),
        default=0.0,
        metavar="SECONDS",
        help="if another run writes to --out, wait this long for it (default: 0, exit 3 at once)",
    )
    run.add_argument(
        "--compact", choices=("year", "size"), help="compact the dataset after the run (see `compact`)"
    )
    run.add_argument(
        "--compact-target-mb",
        type=whole(1),
        default=config.COMPACT_TARGET_MB,
        help="target part size for --compact (default: %(default)s)",
    )
    log = ing.add_argument_group("reporting")
    log.add_argument(
        "--summary", type=Path, help="write the run summary JSON here (default: OUT/_runs/RUN_ID.json)"
    )
    log.add_argument("--log-json", action="store_true", help="log one JSON object per event on stderr")
    log.add_argument(
        "--report",
        type=Path,
        metavar="HTML",
        help="write the HTML run report here after the run (default: OUT/_report.html)",
    )
    log.add_argument("--no-report", action="store_true", help="do not write the HTML run report")
    log.add_argument("--quiet", action="store_true", help="print only the closing summary")

    comp = sub.add_parser(
        "compact",
        help="merge a dataset's small part files into fewer large ones",
        description="Rewrite the part files of every table into fewer, larger ones without changing the data. "
        "Crash-safe: a compaction killed at any point leaves the dataset as before or as after.",
        epilog=EPILOG,
    )
    comp.add_argument("out", type=Path, help="dataset folder")
    comp.add_argument(
        "--by",
        choices=("size", "year"),
        default="size",
        help="size: merge parts smaller than half the target (cheap, nightly); year: rewrite each table as "
        "one file per report year, split at the target size (default: size)",
    )
    comp.add_argument(
        "--target-mb",
        type=whole(1),
        default=config.COMPACT_TARGET_MB,
        help="target part size in MiB (default: %(default)s)",
    )
    comp.add_argument(
        "--wait-lock",
        type=seconds(zero=True),
        default=0.0,
        metavar="SECONDS",
        help="wait for a running ingest",
    )
    add_view_commands(sub)
    return parser


def add_view_commands(sub: argparse._SubParsersAction) -> None:
    """`report`, `review` and `show`: looking at a dataset (docs/html-reports.md)."""
    rep = sub.add_parser(
        "report",
        help="write the run report of a dataset: one self-contained HTML file with charts",
        description="Charts of what the dataset holds and what went wrong, and every failed or partial report "
        "with its reason, in one static HTML file (no server, no network).",
    )
    rep.add_argument("dataset", type=Path, help="dataset folder (written by ingest)")
    rep.add_argument(
        "--out", type=Path, default=Path("report.html"), help="HTML file to write (default: report.html)"
    )
    rev = sub.add_parser(
        "review",
        help="write the review page of one report: its pages with every figure boxed, and its tables",
        description="REPORT is a PDF file, a report id (or a unique prefix of at least 6 hex digits) or a "
        "source path. The PDF is found under --src, else under the source folder the runs table records; "
        "it must hash to the report id.",
    )
    rev.add_argument("report", help="PDF file, report id (prefix) or source path")
    rev.add_argument(
        "--out", type=Path, default=Path("review.html"), help="HTML file to write (default: review.html)"
    )
    rev.add_argument(
        "--dataset",
        type=Path,
        default=config.DATASET,
        help=f"dataset folder (default: {config.DATASET})",
    )
    rev.add_argument("--src", type=Path, help="the folder that was ingested (where the report's PDF is)")
    rev.add_argument(
        "--scale",
        type=scale,
        default=1.5,
        help=f"pixels per PDF point of the page images, up to {MAX_SCALE:g} (default: 1.5)",
    )
    rev.add_argument(
        "--quality", type=quality, default=60, help=f"image quality 1-{MAX_QUALITY} (default: 60)"
    )
    rev.add_argument(
        "--image-format", choices=("jpeg", "webp"), default="jpeg", help="page image format (default: jpeg)"
    )
    rev.add_argument("--password", help="password of an encrypted PDF")
    rev.add_argument(
        "--timeout",
        type=seconds(zero=True),
        default=config.FILE_TIMEOUT_S,
        metavar="SECONDS",
        help="the PDF's pages are drawn in a worker process, killed after this long (an error `timeout`, as "
        "in ingest) (default: %(default)g; 0: none)",
    )
    rev.add_argument(
        "--max-memory",
        type=memory_mb,
        default=config.MAX_MEMORY_MB,
        metavar="SIZE",
        help="and killed over this much memory (an error `memory`) (default: %(default)sM; 0: none)",
    )
    rev.add_argument(
        "--max-pages",
        type=whole(1),
        default=config.MAX_PAGES,
        help="refuse a PDF of more pages (`too_many_pages`, as ingest does) (default: %(default)s)",
    )
    show = sub.add_parser(
        "show",
        help="print one report's metadata, sections and tables in the terminal",
        description="REPORT is a PDF file, a report id (or a unique prefix) or a source path.",
    )
    show.add_argument("report", help="PDF file, report id (prefix) or source path")
    show.add_argument(
        "--dataset",
        type=Path,
        default=config.DATASET,
        help=f"dataset folder (default: {config.DATASET})",
    )
    show.add_argument("--json", action="store_true", help="print JSON instead of tables")
