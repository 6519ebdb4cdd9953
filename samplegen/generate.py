"""Generate synthetic reports: text PDFs, scans and truth files in the corpus layout."""

from __future__ import annotations

import dataclasses
import random
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samplegen import producers as programs
from samplegen.archive import archive_variant
from samplegen.content import FORMATS
from samplegen.losses import KINDS
from samplegen.lossprint import print_report
from samplegen.lossproduce import PRINTS, for_producer
from samplegen.model import Closing, Report
from samplegen.plan import Injections, plan_report
from samplegen.produce import Produced, Workshop, gs_base
from samplegen.render import RenderInfo
from samplegen.scan import SCAN_CLASSES, scan_pdf
from samplegen.truth import make_truth, scan_truth, write_json

MANIFEST_HEAD = "name\toffice\tyear\tformat\tkind\trenderer\tpages\tsource\n"
DEFAULT_PRODUCERS = ("reportlab",)
NONE = Injections()  # no loss, no forced breaks


def producer_of(index: int, n_formats: int, chosen: Sequence[str]) -> tuple[str, int]:
    """The producer of report `index` and its place among that producer's reports of its format: taken in
    turn per round of formats, so every producer prints every format equally often."""
    turn = index // n_formats
    return chosen[turn % len(chosen)], turn // len(chosen)


def generate(
    out_dir: Path,
    count: int,
    seed: int,
    formats: Sequence[str] = FORMATS,
    scans: int = 0,
    losses: float = 0.0,
    loss_kinds: Sequence[str] = KINDS,
    breaks: float = 0.0,
    producers: Sequence[str] | None = None,
    variations: bool | None = None,
    jobs: int = 1,
    scan_classes: Sequence[str] = ("mild",),
) -> list[Path]:
    """Write `count` reports (formats taken in turn) and scans of the first `scans` of them, one scan of
    each report per class of `scan_classes` (samplegen/scan.py: mild, lowres, photocopy, phone, faint,
    seal, turned); a `mild` scan is out_dir/scan/<name>_scan.pdf as it always was, another class's
    <name>_scan_<class>.pdf.

    Layout: out_dir/pdf/<name>.pdf, out_dir/scan/<name>_scan.pdf, out_dir/truth/<name>[_scan].json and
    out_dir/MANIFEST.tsv. Returns the PDF paths written. Report i depends only on (seed, i, its format), the
    injections (samplegen/plan.py) and, when `producers` is given, its producer. Injections: about a share
    `losses` of the reports with a table carry one injected loss of `loss_kinds` (losses.py), about a share
    `breaks` of the others have their tables broken before a body row (pagebreaks.py); every other report
    prints as with both at 0. Without `producers` every report is printed by reportlab exactly as before;
    with them, a report's loss is drawn among the kinds its producer prints (lossproduce.py), and one its
    producer did not print as it should is dropped (the report printed again without it, said in its notes).
    `variations` (the archive variations of archive.py: titles with orphans or none, metadata lines,
    radicals) defaults to on when `producers` is given. `jobs` > 1 prints that many reports at once
    (separate processes; the output is the same).
    """
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(f"unknown formats {bad}; choose from {FORMATS}")
    inj = Injections.of(losses, loss_kinds, breaks)
    odd = [c for c in scan_classes if c not in SCAN_CLASSES]
    if odd or not scan_classes or len(set(scan_classes)) < len(scan_classes):
        raise ValueError(f"scan classes {list(scan_classes)}: each at most once, from {SCAN_CLASSES}")
    chosen = tuple(producers) if producers else DEFAULT_PRODUCERS
    unknown = [p for p in chosen if p not in programs.PRODUCERS]
    if unknown:
        raise ValueError(f"unknown producers {unknown}; choose from {programs.PRODUCERS}")
    absent = {p: why for p in chosen if (why := programs.missing(p))}
    if absent:
        raise ValueError("; ".join(f"{p}: {why}" for p, why in absent.items()))
    legacy = producers is None
    job = _Job(
        Path(out_dir),
        seed,
        tuple(formats),
        scans,
        chosen,
        legacy,
        (not legacy) if variations is None else variations,
        inj,
        tuple(scan_classes),
    )
    (job.out_dir / "pdf").mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    rows: list[str] = []
    with Workshop() as shop:
        if jobs > 1 and not legacy:
            with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(shop.root,)) as pool:
                done = list(pool.map(_one_in_worker, [job] * count, range(count)))
        else:
            done = [_one(job, i, shop) for i in range(count)]
    for paths, lines in done:
        written.extend(paths)
        rows.extend(lines)
    (job.out_dir / "MANIFEST.tsv").write_text(
        MANIFEST_HEAD + "".join(r + "\n" for r in rows), encoding="utf-8"
    )
    return written


@dataclass(frozen=True)
class _Job:
    out_dir: Path
    seed: int
    formats: tuple[str, ...]
    scans: int
    chosen: tuple[str, ...]
    legacy: bool
    vary: bool
    inj: Injections = NONE
    scan_classes: tuple[str, ...] = ("mild",)


def printer_of(index: int, formats: Sequence[str], chosen: Sequence[str]) -> tuple[str, int, str | None]:
    """The producer of report `index`, its cycle (producer_of) and, for gs, the producer it re-distills."""
    producer, cycle = producer_of(index, len(formats), chosen)
    return producer, cycle, gs_base(cycle) if producer == "gs" else None


def planned_report(
    seed: int,
    index: int,
    fmt: str,
    inj: Injections = NONE,
    producer: str | None = None,
    base: str | None = None,
    vary: bool = False,
) -> Report:
    """Report `index` as it is to be printed: content, loss or forced breaks (plan.py), archive variations.

    For a producer (None: reportlab as before) the loss is drawn among the kinds that producer (and, for
    gs, the producer it re-distills) prints (lossproduce.PRINTS), and set up the way it prints them."""
    if producer is not None and inj.losses > 0:
        kinds = tuple(k for k in inj.loss_kinds if k in PRINTS[producer] and k in PRINTS[base or producer])
        inj = dataclasses.replace(inj, loss_kinds=kinds) if kinds else dataclasses.replace(inj, losses=0.0)
    report = plan_report(seed, index, fmt, inj)
    if producer is not None and report.loss is not None:  # gs turns a page after it re-distills
        report = dataclasses.replace(report, loss=for_producer(report.loss, producer))
    if vary:
        report = archive_variant(report, random.Random(f"samplegen-archive:{seed}:{index}"))
    return report


def _one(job: _Job, i: int, shop: Workshop) -> tuple[list[Path], list[str]]:
    """Report i: its PDF, truth and scan; the paths written and its MANIFEST rows."""
    fmt = job.formats[i % len(job.formats)]
    if job.legacy:
        report = planned_report(job.seed, i, fmt, job.inj, vary=job.vary)
        pdf = job.out_dir / "pdf" / f"{report.name}.pdf"
        info = print_report(report, pdf)
        truth = make_truth(report, info)
        renderer, pages = "samplegen (reportlab)", info.pages
    else:
        producer, cycle, base = printer_of(i, job.formats, job.chosen)
        report = planned_report(job.seed, i, fmt, job.inj, producer, base, job.vary)
        pdf = job.out_dir / "pdf" / f"{report.name}.pdf"
        made = _produce(shop, job, i, report, producer, cycle, pdf)
        if not made.loss_printed:  # printed again without the loss (nor forced breaks: a loss report's)
            assert report.loss is not None
            dropped = report.loss.kind
            plain = dataclasses.replace(job.inj, losses=0.0, breaks=0.0)
            report = planned_report(job.seed, i, fmt, plain, producer, base, job.vary)
            made = _produce(shop, job, i, report, producer, cycle, pdf)
            made = dataclasses.replace(made, notes=(*made.notes, _dropped(dropped, made)))
        truth = _producer_truth(made)
        renderer, pages = _renderer(made), made.pages
    write_json(job.out_dir / "truth" / f"{report.name}.json", truth)
    written = [pdf]
    row = [report.office, str(report.year), report.fmt]
    rows = ["\t".join([report.name, *row, "text", renderer, str(pages), truth["source"]])]
    if i < job.scans:
        closing = next((b.lines for b in report.blocks if isinstance(b, Closing)), ())
        for scan_class in job.scan_classes:
            mild = scan_class == "mild"
            scan_name = f"{report.name}_scan" if mild else f"{report.name}_scan_{scan_class}"
            dst = job.out_dir / "scan" / f"{scan_name}.pdf"
            rng = random.Random(f"samplegen-scan:{job.seed}:{i}" + ("" if mild else f":{scan_class}"))
            scan = scan_pdf(pdf, dst, rng, f"pdf/{report.name}.pdf", scan_class, closing, report.office)
            write_json(
                job.out_dir / "truth" / f"{scan_name}.json", scan_truth(truth, f"{scan_name}.pdf", scan)
            )
            written.append(dst)
            renderer = "samplegen+pypdfium2/pillow" + ("" if mild else f" ({scan_class})")
            rows.append("\t".join([scan_name, *row, "scan", renderer, str(pages), truth["source"]]))
    return written, rows


def _produce(
    shop: Workshop, job: _Job, i: int, report: Report, producer: str, cycle: int, pdf: Path
) -> Produced:
    rng = random.Random(f"samplegen-producer:{job.seed}:{i}")
    fmt = job.formats[i % len(job.formats)]
    return shop.produce(report, producer, pdf, rng, cycle, FORMATS.index(fmt))


def _dropped(kind: str, made: Produced) -> str:
    printer = f"{made.producer} (from {made.base})" if made.base else made.producer
    return f"an injected {kind} loss was drawn for this report but {printer} did not print it as it should: printed without it"


_WORKER_SHOP: Workshop | None = None


def _start_worker(root: Path) -> None:
    """Each worker process keeps its own program profiles, under the parent's folder (removed by it)."""
    global _WORKER_SHOP
    _WORKER_SHOP = Workshop(Path(tempfile.mkdtemp(prefix="worker-", dir=root)))


def _one_in_worker(job: _Job, i: int) -> tuple[list[Path], list[str]]:
    assert _WORKER_SHOP is not None
    return _one(job, i, _WORKER_SHOP)


def _renderer(made: Produced) -> str:
    return f"gs pdfwrite (from {made.base})" if made.base else made.producer


def _producer_truth(made: Produced) -> dict[str, Any]:
    assert made.report is not None
    truth = make_truth(made.report, RenderInfo(made.pages, made.notes, made.tables))
    truth["render_note"] = made.render_note
    truth["producer"] = made.producer
    if made.base:
        truth["producer_base"] = made.base
    if made.layout:
        truth["layout"] = made.layout
    return truth
