"""The command line's options: every default from core/config.py, said once in each help text."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.cli.dataset_option import add_dataset_option, add_positional_dataset
from pipeline.cli.numbers import memory_mb, seconds, whole
from pipeline.cli.viewparser import add_export_command, add_view_commands
from pipeline.core import config
from pipeline.core.config import VERSION

EPILOG = (
    "Exit codes: 0 all files ok; 1 some files failed (see the errors table); 2 could not run (a bad option "
    "value, an output it cannot write); 3 locked by another run; 130/143 stopped by Ctrl-C/SIGTERM (what "
    "was finished is committed)."
)


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
        description="Bring the dataset in --dataset up to date with every *.pdf under SRC: new and changed files are "
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
    add_dataset_option(ing, old="--out", help="dataset folder to bring up to date")
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
        help="tesseract (in the process where tesserocr is installed, else the command); tesseract-cli (the "
        "command for every reading: the same readings, slower); none (pages that need OCR are left empty "
        "with an ocr_unavailable error: a quick pass that flags every scan); record:DIR or replay:DIR "
        "(tesseract's readings written to, or read back from, DIR) (default: %(default)s)",
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
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="local processes (default) or Dask (needs the dask extra: pip install 'govreport-pipeline[dask]')",
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
        help="if another run writes to the dataset, wait this long for it (default: 0, exit 3 at once)",
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
        "--summary", type=Path, help="write the run summary JSON here (default: DATASET/_runs/RUN_ID.json)"
    )
    log.add_argument("--log-json", action="store_true", help="log one JSON object per event on stderr")
    log.add_argument(
        "--report",
        type=Path,
        metavar="HTML",
        help="write the HTML run report here after the run (default: DATASET/_report.html)",
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
    add_dataset_option(comp)
    add_positional_dataset(comp)
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
    add_export_command(sub)
    return parser
