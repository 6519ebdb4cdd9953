"""Generate synthetic reports: text PDFs, scans and truth files in the corpus layout."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from samplegen.content import FORMATS
from samplegen.losses import KINDS
from samplegen.lossprint import print_report
from samplegen.plan import Injections, plan_report
from samplegen.scan import scan_pdf
from samplegen.truth import make_truth, scan_truth, write_json

MANIFEST_HEAD = "name\toffice\tyear\tformat\tkind\trenderer\tpages\tsource\n"


def generate(
    out_dir: Path,
    count: int,
    seed: int,
    formats: Sequence[str] = FORMATS,
    scans: int = 0,
    losses: float = 0.0,
    loss_kinds: Sequence[str] = KINDS,
    breaks: float = 0.0,
) -> list[Path]:
    """Write `count` reports (formats taken in turn) and scans of the first `scans` of them.

    Layout: out_dir/pdf/<name>.pdf, out_dir/scan/<name>_scan.pdf, out_dir/truth/<name>[_scan].json and
    out_dir/MANIFEST.tsv. Returns the PDF paths written. Report i depends only on (seed, i, its format) and
    the injections (samplegen/plan.py): about a share `losses` of the reports with a table carry one injected
    loss of `loss_kinds` (losses.py), about a share `breaks` of the others have their tables broken before a
    body row (pagebreaks.py); every other report prints as with both at 0.
    """
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(f"unknown formats {bad}; choose from {FORMATS}")
    inj = Injections.of(losses, loss_kinds, breaks)
    out_dir = Path(out_dir)
    (out_dir / "pdf").mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    rows: list[str] = []
    for i in range(count):
        report = plan_report(seed, i, formats[i % len(formats)], inj)
        pdf = out_dir / "pdf" / f"{report.name}.pdf"
        info = print_report(report, pdf)
        truth = make_truth(report, info)
        write_json(out_dir / "truth" / f"{report.name}.json", truth)
        written.append(pdf)
        row = [report.office, str(report.year), report.fmt]
        rows.append(
            "\t".join([report.name, *row, "text", "samplegen (reportlab)", str(info.pages), truth["source"]])
        )
        if i < scans:
            scan_name = f"{report.name}_scan"
            dst = out_dir / "scan" / f"{scan_name}.pdf"
            scan = scan_pdf(pdf, dst, random.Random(f"samplegen-scan:{seed}:{i}"), f"pdf/{report.name}.pdf")
            write_json(out_dir / "truth" / f"{scan_name}.json", scan_truth(truth, f"{scan_name}.pdf", scan))
            written.append(dst)
            rows.append(
                "\t".join(
                    [scan_name, *row, "scan", "samplegen+pypdfium2/pillow", str(info.pages), truth["source"]]
                )
            )
    (out_dir / "MANIFEST.tsv").write_text(MANIFEST_HEAD + "".join(r + "\n" for r in rows), encoding="utf-8")
    return written
