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
    _add_view_commands(sub)
    return parser


def _add_view_commands(sub: argparse._SubParsersAction) -> None:
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
        default=Path("data/processed"),
        help="dataset folder (default: data/processed)",
    )
    rev.add_argument("--src", type=Path, help="the folder that was ingested (where the report's PDF is)")
    rev.add_argument(
        "--scale", type=float, default=1.5, help="pixels per PDF point of the page images (default: 1.5)"
    )
    rev.add_argument("--quality", type=int, default=60, help="image quality 1-95 (default: 60)")
    rev.add_argument(
        "--image-format", choices=("jpeg", "webp"), default="jpeg", help="page image format (default: jpeg)"
    )
    rev.add_argument("--password", help="password of an encrypted PDF")
    show = sub.add_parser(
        "show",
        help="print one report's metadata, sections and tables in the terminal",
        description="REPORT is a PDF file, a report id (or a unique prefix) or a source path.",
    )
    show.add_argument("report", help="PDF file, report id (prefix) or source path")
    show.add_argument(
        "--dataset",
        type=Path,
        default=Path("data/processed"),
        help="dataset folder (default: data/processed)",
    )
    show.add_argument("--json", action="store_true", help="print JSON instead of tables")


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


def _no_dataset(dataset: Path) -> bool:
    from .dataset import is_dataset

    if is_dataset(dataset):
        return False
    print(f"error: {dataset} holds no dataset (no reports/*.parquet); ingest a folder first", file=sys.stderr)
    return True


def run_report(args: argparse.Namespace) -> int:
    if _no_dataset(args.dataset):
        return EXIT_CANNOT_RUN
    from .runreport import write_run_report

    out = write_run_report(args.dataset, args.out)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)")
    return EXIT_OK


def run_review(args: argparse.Namespace) -> int:
    if _no_dataset(args.dataset):
        return EXIT_CANNOT_RUN
    from .dataset import DatasetError
    from .pageimages import ImageOptions
    from .review import write_review

    options = ImageOptions(scale=args.scale, quality=args.quality, format=args.image_format)
    out = write_review(args.dataset, args.report, args.out, args.src, options, args.password)
    if isinstance(out, DatasetError):
        print(f"error: {out.error}: {out.message}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)")
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    if _no_dataset(args.dataset):
        return EXIT_CANNOT_RUN
    import json

    from rich.console import Console

    from .dataset import DatasetError
    from .show import renderables, report_view, to_json

    view = report_view(args.dataset, args.report)
    if isinstance(view, DatasetError):
        print(f"error: {view.error}: {view.message}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    if args.json:
        print(json.dumps(to_json(view), ensure_ascii=False, indent=1, default=str))
    else:
        # a pipe or a file gets wide lines; a terminal its own width, lines never cut off
        Console(width=None if sys.stdout.isatty() else 160).print(renderables(view), crop=False)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    args = _parser().parse_args(argv)
    if args.command == "ingest":
        return run_ingest(args)
    commands = {"report": run_report, "review": run_review, "show": run_show}
    if args.command in commands:
        return commands[args.command](args)
    return EXIT_CANNOT_RUN
