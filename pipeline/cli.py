"""Command line: the only place that prints, and that turns outcomes into exit codes.

Exit codes: 0 every file was processed (status ok or partial); 1 some files failed (their
reasons are in the `errors` table and printed below); 2 the run could not start.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import __version__
from .ingest import IngestOptions, RunSummary, find_pdfs, ingest
from .model import ReportResult

EXIT_OK, EXIT_SOME_FAILED, EXIT_CANNOT_RUN = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Turn folders of 政府信息公开工作年度报告 PDFs into a Parquet dataset.",
        epilog="Exit codes: 0 all files processed; 1 some files failed (see the errors table); 2 could not run.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    ing = sub.add_parser(
        "ingest",
        help="ingest a folder of PDFs into a dataset folder",
        description="Read every *.pdf under SRC and add its rows to the dataset in --out. "
        "Each report is committed in batches; a file that fails gets a `failed` report row and an errors row.",
    )
    ing.add_argument("src", type=Path, help="folder of PDFs (searched recursively) or one PDF file")
    ing.add_argument(
        "--out", type=Path, default=Path("data/processed"), help="dataset folder (default: data/processed)"
    )
    ing.add_argument(
        "--ocr",
        choices=("auto", "always", "never"),
        default="auto",
        help="auto: OCR only pages whose text layer is missing or garbled; always: OCR every page; "
        "never: use the text layer only (default: auto)",
    )
    ing.add_argument(
        "--ocr-timeout",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="give up on a page whose OCR takes longer (an ocr_timeout error; the report is partial) "
        "(default: 120)",
    )
    ing.add_argument("--password", help="password for encrypted PDFs (tried on every file)")
    ing.add_argument("--batch-size", type=int, default=50, help="reports per committed batch (default: 50)")
    ing.add_argument("--quiet", action="store_true", help="print only the closing summary")
    return parser


def _progress_printer(total: int, quiet: bool):
    """A progress bar on a terminal, one plain line per file otherwise (logs)."""
    if quiet:
        return None, lambda result: None
    if sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        progress = Progress(
            TextColumn("ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.description}"),
        )
        task = progress.add_task("", total=total)

        def advance(result: ReportResult) -> None:
            progress.update(task, advance=1, description=f"{result.status:7} {result.source.path[-50:]}")

        return progress, advance
    count = [0]

    def line(result: ReportResult) -> None:
        count[0] += 1
        reason = f" [{result.errors[0].error}: {result.errors[0].message}]" if result.errors else ""
        print(
            f"[{count[0]}/{total}] {result.status:7} {result.source.path} "
            f"pages={len(result.pages)} facts={len(result.facts)}{reason}",
            file=sys.stderr,
            flush=True,
        )

    return None, line


def _print_summary(summary: RunSummary, failures: list[ReportResult]) -> None:
    print(
        f"reports: {summary.ok} ok, {summary.partial} partial, {summary.failed} failed, {summary.skipped} skipped"
        f" | pages {summary.pages} | facts {summary.facts} | failed checks {summary.checks_failed}"
        f" | {summary.seconds:.1f} s | run {summary.run_id}"
    )
    for result in failures:
        error = result.errors[0] if result.errors else None
        print(f"  failed: {result.source.path}: {error.error + ': ' + error.message if error else 'unknown'}")


def run_ingest(args: argparse.Namespace) -> int:
    if not args.src.exists():
        print(f"error: {args.src} does not exist", file=sys.stderr)
        return EXIT_CANNOT_RUN
    total = len(find_pdfs(args.src))
    progress, advance = _progress_printer(total, args.quiet)
    failures: list[ReportResult] = []

    def on_result(result: ReportResult) -> None:
        if result.status == "failed":
            failures.append(result)
        advance(result)

    options = IngestOptions(
        ocr=args.ocr, password=args.password, batch_size=args.batch_size, ocr_timeout=args.ocr_timeout
    )
    if progress is not None:
        with progress:
            summary = ingest(args.src, args.out, options, on_result)
    else:
        summary = ingest(args.src, args.out, options, on_result)
    _print_summary(summary, failures)
    return EXIT_SOME_FAILED if summary.failed else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    args = _parser().parse_args(argv)
    if args.command == "ingest":
        return run_ingest(args)
    return EXIT_CANNOT_RUN
