"""Regenerate docs/run-report.png and docs/review.png with the headless Chromium the tests use.

    .venv/bin/python -m scripts.screenshots [--shared ../shared]

The run report is of the corpus (text PDFs and the two hostile files) plus 120 generated reports;
the review page is 2023_huaian-hongze.pdf (two failed 表四 checks) with its first failed check
selected. Screenshots are reduced to a 128-colour palette to keep the PNGs small.
"""

from __future__ import annotations

import argparse
import io
import tempfile
from pathlib import Path

from PIL import Image

from pipeline import ReadOptions, ingest
from pipeline.views.review import write_review
from pipeline.views.runreport import write_run_report
from samplegen.generate import generate
from tests.chromium import browser_page, unavailable

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _save_small(png: bytes, out: Path, colours: int = 128) -> Path:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colours, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    reason = unavailable()
    if reason:
        raise SystemExit(reason)
    corpus = args.shared / "corpus"
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        work = Path(tmp)
        generate(work / "gen", 120, seed=5, formats=["2008", "2019", "2021"])
        dataset = work / "dataset"
        for folder in (corpus / "pdf", corpus / "bad", work / "gen" / "pdf"):
            if folder.is_dir():
                ingest(folder, dataset, ReadOptions())
        report = write_run_report(dataset, work / "report.html")
        review = write_review(dataset, str(corpus / "pdf" / "2023_huaian-hongze.pdf"), work / "review.html")
        if not isinstance(review, Path):
            raise SystemExit(f"{review.error}: {review.message}")
        with browser_page(1280, 1500) as page:
            page.goto(report.as_uri())
            print(_save_small(page.screenshot(full_page=False), DOCS / "run-report.png"))
            page.fill("#q", "市")  # the list of every report, searched
            print(_save_small(page.locator("#reports").screenshot(), DOCS / "run-report-list.png"))
        with browser_page(1400, 860) as page:
            page.goto(review.as_uri())
            page.click("li.failed-check")
            page.click(".box.sel")
            print(_save_small(page.screenshot(), DOCS / "review.png"))


if __name__ == "__main__":
    main()
