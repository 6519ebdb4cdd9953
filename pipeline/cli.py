"""Command line: the only place that prints, and that turns outcomes into exit codes.

Exit codes (for nightly jobs):
  0  every file was processed (status ok or partial), or needed no processing
  1  the run completed, and some files failed (their reasons are in the errors table, the
     run summary file and below)
  2  the run could not start or could not finish (missing folder, bad option, dataset or disk
     error); what was committed before stays, the next run goes on from there
  3  another run holds the dataset's lock (see --wait-lock)
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from pipeline import __version__
from pipeline.process import IngestOptions, ingest
from pipeline.run.archive import RunOptions
from pipeline.run.log import Event, RunSummary
from pipeline.store.lock import LockBusy

EXIT_OK, EXIT_SOME_FAILED, EXIT_CANNOT_RUN, EXIT_LOCKED = 0, 1, 2, 3
EPILOG = "Exit codes: 0 all files ok; 1 some files failed (see the errors table); 2 could not run; 3 locked by another run."


def _memory(text: str) -> int:
    """'1536', '1536M', '1.5G' → MiB."""
    value = text.strip().upper().removesuffix("B")
    scale = {"G": 1024, "M": 1, "K": 1 / 1024}.get(value[-1:])
    number = float(value[:-1]) if scale else float(value)
    return int(number * (scale or 1))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Turn folders of 政府信息公开工作年度报告 PDFs into a Parquet dataset.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    ing = sub.add_parser(
        "ingest",
        help="ingest a folder of PDFs into a dataset folder",
        description="Bring the dataset in --out up to date with every *.pdf under SRC: new and changed files are "
        "processed, unchanged ones skipped (same size, mtime and pipeline version). Results are committed in "
        "batches; a run killed at any point is finished by the next one. A file that fails gets a `failed` "
        "report row and an errors row.",
        epilog=EPILOG,
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
    run = ing.add_argument_group("running")
    run.add_argument("--workers", type=int, default=0, help="worker processes (default: every core)")
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
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="kill a worker after this long on one file; the file fails with `timeout` (default: 600; 0: none)",
    )
    run.add_argument(
        "--max-memory",
        type=_memory,
        default=1536,
        metavar="SIZE",
        help="kill a worker whose memory goes over this (e.g. 1536M, 1.5G); the file fails with `memory` "
        "(default: 1.5G; 0: none)",
    )
    run.add_argument(
        "--max-pages", type=int, default=1000, help="fail larger files with `too_many_pages` (default: 1000)"
    )
    run.add_argument(
        "--split-pages",
        type=int,
        default=4,
        metavar="N",
        help="a file of more than N pages is read in chunks of pages by several workers once a page needs "
        "OCR; the report is assembled when all are in (default: 4; 0: never split)",
    )
    run.add_argument(
        "--chunk-pages",
        type=int,
        default=1,
        metavar="C",
        help="pages per chunk of a split file; each chunk has the --timeout-per-file and --max-memory "
        "limits of a file (default: 1)",
    )
    run.add_argument("--batch-size", type=int, default=50, help="reports per committed batch (default: 50)")
    run.add_argument(
        "--commit-seconds", type=float, default=60.0, help="commit at least this often (default: 60)"
    )
    run.add_argument("--force", action="store_true", help="process every file again, even unchanged ones")
    run.add_argument("--retry-failed", action="store_true", help="process files that failed before again")
    run.add_argument(
        "--wait-lock",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="if another run writes to --out, wait this long for it (default: 0, exit 3 at once)",
    )
    run.add_argument(
        "--compact", choices=("year", "size"), help="compact the dataset after the run (see `compact`)"
    )
    run.add_argument(
        "--compact-target-mb", type=int, default=128, help="target part size for --compact (default: 128)"
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
    comp.add_argument("--target-mb", type=int, default=128, help="target part size in MiB (default: 128)")
    comp.add_argument(
        "--wait-lock", type=float, default=0.0, metavar="SECONDS", help="wait for a running ingest"
    )
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


def _event_printer(args: argparse.Namespace) -> Callable[[Event], None]:
    """JSON lines with --log-json; else one plain line per file on stderr (logs) unless --quiet."""
    if args.log_json:
        return lambda event: print(event.to_json(), file=sys.stderr, flush=True)
    if args.quiet:
        return lambda event: None
    state = {"total": 0, "done": 0}

    def show(event: Event) -> None:
        data = event.data
        if event.kind == "inventory":
            state["total"] = int(data["to_process"]) + int(data["unreadable"])
            print(
                f"found {data['found']} files: {data['unchanged']} unchanged, {data['to_process']} to process, "
                f"{data['missing']} missing",
                file=sys.stderr,
            )
        elif event.kind == "file":
            state["done"] += 1
            reason = f" [{data['error']}: {data['message']}]" if data["error"] else ""
            print(
                f"[{state['done']}/{state['total']}] {data['status']:7} {data['path']} "
                f"pages={data['pages']} facts={data['facts']}{reason}",
                file=sys.stderr,
                flush=True,
            )
        elif event.kind == "split":
            print(
                f"split   {data['path']}: {data['pages']} pages, {data['chunks']} chunks over the workers",
                file=sys.stderr,
                flush=True,
            )
        elif event.kind in ("recovered", "published", "compacted", "file_changed"):
            print(f"{event.kind}: {dict(data)}", file=sys.stderr)

    return show


def _print_summary(summary: RunSummary) -> None:
    print(
        f"reports: {summary.ok} ok, {summary.partial} partial, {summary.failed} failed, {summary.skipped} skipped"
        f" | {summary.files} files, {summary.missing} missing, {summary.path_updates} path updates,"
        f" {summary.removed} removed | pages {summary.pages} | facts {summary.facts}"
        f" | failed checks {summary.checks_failed} | {summary.seconds:.1f} s | run {summary.run_id} {summary.outcome}"
    )
    for path, error, message in summary.failures:
        print(f"  failed: {path}: {error}: {message}")
    for path in summary.missing_paths[:20]:
        print(f"  missing: {path}")
    if len(summary.missing_paths) > 20:
        print(f"  … and {len(summary.missing_paths) - 20} more missing (see the summary file)")
    if summary.message:
        print(f"  error: {summary.message}", file=sys.stderr)


def run_ingest(args: argparse.Namespace) -> int:
    if not args.src.exists():
        print(f"error: {args.src} does not exist", file=sys.stderr)
        return EXIT_CANNOT_RUN
    options = IngestOptions(
        ocr=args.ocr, password=args.password, max_pages=args.max_pages, ocr_timeout=args.ocr_timeout
    )
    run = RunOptions(
        workers=args.workers,
        executor=args.executor,
        scheduler=args.scheduler,
        timeout_per_file=args.timeout_per_file or None,
        max_memory_mb=args.max_memory or None,
        split_pages=max(0, args.split_pages),
        chunk_pages=max(1, args.chunk_pages),
        batch_size=args.batch_size,
        commit_seconds=args.commit_seconds,
        force=args.force,
        retry_failed=args.retry_failed,
        wait_lock=args.wait_lock,
        compact=args.compact,
        compact_target_mb=args.compact_target_mb,
        summary_path=args.summary,
        report_path=None if args.no_report else (args.report or args.out / "_report.html"),
    )
    summary = ingest(args.src, args.out, options, run, _event_printer(args))
    if isinstance(summary, LockBusy):
        print(f"error: {summary.message}", file=sys.stderr)
        return EXIT_LOCKED
    _print_summary(summary)
    if summary.outcome == "error":
        return EXIT_CANNOT_RUN
    return EXIT_SOME_FAILED if summary.failed else EXIT_OK


def run_compact(args: argparse.Namespace) -> int:
    from pipeline.store.compact import compact_locked

    if not (args.out / "reports").is_dir():
        print(f"error: {args.out} is not a dataset folder (no reports/)", file=sys.stderr)
        return EXIT_CANNOT_RUN
    done = compact_locked(args.out, args.by, args.target_mb * 2**20, args.wait_lock)
    if isinstance(done, LockBusy):
        print(f"error: {done.message}", file=sys.stderr)
        return EXIT_LOCKED
    for table, (before, after) in sorted(done.items()):
        print(f"{table}: {before} → {after} part files")
    return EXIT_OK


def _no_dataset(dataset: Path) -> bool:
    from pipeline.store.dataset import is_dataset

    if is_dataset(dataset):
        return False
    print(f"error: {dataset} holds no dataset (no reports/*.parquet); ingest a folder first", file=sys.stderr)
    return True


def run_report(args: argparse.Namespace) -> int:
    if _no_dataset(args.dataset):
        return EXIT_CANNOT_RUN
    from pipeline.views.runreport import write_run_report

    out = write_run_report(args.dataset, args.out)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)")
    return EXIT_OK


def run_review(args: argparse.Namespace) -> int:
    if _no_dataset(args.dataset):
        return EXIT_CANNOT_RUN
    from pipeline.store.dataset import DatasetError
    from pipeline.views.pageimages import ImageOptions
    from pipeline.views.review import write_review

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

    from pipeline.store.dataset import DatasetError
    from pipeline.views.show import renderables, report_view, to_json

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
    if args.command == "compact":
        return run_compact(args)
    commands = {"report": run_report, "review": run_review, "show": run_show}
    if args.command in commands:
        return commands[args.command](args)
    return EXIT_CANNOT_RUN
