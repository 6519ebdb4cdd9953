"""The commands that look at a dataset: `report`, `review`, `show`, `export` (exit 0 or 2)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.cli.progress import say
from pipeline.core.printable import safe_json
from pipeline.store.files import Unwritable

EXIT_OK, EXIT_CANNOT_RUN = 0, 2


def _no_dataset(dataset: Path) -> bool:
    from pipeline.store.dataset import is_dataset

    if is_dataset(dataset):
        return False
    say(f"error: {dataset} holds no dataset (no reports/*.parquet); ingest a folder first", sys.stderr)
    return True


def _wrote(out: Path) -> None:
    say(f"wrote {out.absolute()} ({out.stat().st_size / 1024:.0f} KB)")


def run_report(args: argparse.Namespace) -> int:
    if _no_dataset(args.dataset):
        return EXIT_CANNOT_RUN
    from pipeline.views.reviews import write_missing_reviews
    from pipeline.views.runreport import save_run_report

    if args.reviews:
        done = write_missing_reviews(args.dataset)
        say(
            f"review pages: {done.written} written, {done.present} already there, {len(done.failed)} not written"
        )
        for report_id, message in done.failed[:20]:
            say(f"  not written: {report_id[:12]}…: {message}", sys.stderr)
    out = save_run_report(args.dataset, args.out or args.dataset / "_report.html")
    if isinstance(out, Unwritable):
        say(f"error: {out.message}", sys.stderr)
        return EXIT_CANNOT_RUN
    _wrote(out)
    return EXIT_OK


def run_review(args: argparse.Namespace) -> int:
    if _no_dataset(args.dataset):
        return EXIT_CANNOT_RUN
    from pipeline.store.dataset import DatasetError
    from pipeline.views.pageimages import ImageOptions, RenderLimits
    from pipeline.views.review import write_review

    options = ImageOptions(scale=args.scale, quality=args.quality, format=args.image_format)
    limits = RenderLimits(args.timeout or None, args.max_memory or None, args.max_pages)
    out = write_review(args.dataset, args.report, args.out, args.src, options, args.password, limits)
    if isinstance(out, DatasetError):
        shown = out.message if out.error == "cannot_write" else f"{out.error}: {out.message}"
        say(f"error: {shown}", sys.stderr)
        return EXIT_CANNOT_RUN
    _wrote(out)
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    if _no_dataset(args.dataset):
        return EXIT_CANNOT_RUN
    from rich.console import Console

    from pipeline.store.dataset import DatasetError
    from pipeline.views.show import renderables, report_view, to_json

    view = report_view(args.dataset, args.report)
    if isinstance(view, DatasetError):
        say(f"error: {view.error}: {view.message}", sys.stderr)
        return EXIT_CANNOT_RUN
    if args.json:
        print(safe_json(to_json(view), indent=1))
    else:
        # a pipe or a file gets wide lines; a terminal its own width, lines never cut off
        Console(width=None if sys.stdout.isatty() else 160).print(renderables(view), crop=False)
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    if _no_dataset(args.dataset):
        return EXIT_CANNOT_RUN
    from pipeline.store.dataset import DatasetError
    from pipeline.views.export import export_table

    out = export_table(args.dataset, args.table, args.out, args.all_reports)
    if isinstance(out, DatasetError):
        shown = out.message if out.error == "cannot_write" else f"{out.error}: {out.message}"
        say(f"error: {shown}", sys.stderr)
        return EXIT_CANNOT_RUN
    _wrote(out)
    return EXIT_OK
