"""The text-or-OCR decision, measured: what each reading sees on good and broken pages, its cost.

Inputs: the corpus's text PDFs, scans and mixed PDF; broken variants made from them
(bench/broken_pdfs.py: ToUnicode maps removed from all fonts or from one, an invisible text
layer over a scan); with `--ocrmypdf`, also an OCRmyPDF text layer over a scan.

For every page: the first reading's measurements (PDFium: characters, bad characters, its own
unmapped-character flag, Han characters and the share of common ones, image cover), the second
reading's agreement (pdfminer, only where the first is suspicious), the decision, and the time
of each reading. This is what the thresholds in pipeline/decide.py rest on.

    python -m bench.bench_decide [--ocrmypdf]      # writes bench/out/decide.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from bench.bench_ocr import CORPUS, OUT
from bench.broken_pdfs import with_invisible_text, without_tounicode
from pipeline.extract.decide import agreement, evidence_to_decision, is_suspicious
from pipeline.extract.layer_check import glyphs_to_evidence, page_evidence, pdfminer_text
from pipeline.extract.pdf import page_glyphs


def inputs(work: Path, ocrmypdf: bool) -> list[tuple[str, Path]]:
    city = CORPUS / "pdf" / "2024_huaian-city.pdf"
    out = [(f"text: {p.name}", p) for p in sorted((CORPUS / "pdf").glob("*.pdf"))]
    out += [(f"scan: {p.name}", p) for p in sorted((CORPUS / "scan").glob("*.pdf"))]
    out += [(f"mixed: {p.name}", p) for p in sorted((CORPUS / "mixed").glob("*.pdf"))]
    out.append(("no ToUnicode (all fonts)", without_tounicode(city, work / "no-maps.pdf")))
    out.append(("no ToUnicode (first font)", without_tounicode(city, work / "one-map.pdf", fonts=1)))
    scan = CORPUS / "scan" / "2024_huaian-hongze_scan.pdf"
    out.append(("invisible text over a scan", with_invisible_text(scan, work / "layered.pdf")))
    if ocrmypdf and shutil.which("ocrmypdf"):
        layered = work / "ocrmypdf.pdf"
        subprocess.run(["ocrmypdf", "-l", "chi_sim", "--quiet", str(scan), str(layered)], check=True)
        out.append(("ocrmypdf text layer over a scan", layered))
    return out


def measure(path: Path) -> list[dict[str, Any]]:
    rows = []
    doc = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(doc)):
            page = doc[i]
            start = time.perf_counter()
            glyphs, stats = page_glyphs(page)
            first_ms = 1000 * (time.perf_counter() - start)
            cheap = glyphs_to_evidence(glyphs, stats)
            start = time.perf_counter()
            evidence = page_evidence(str(path), page, i, glyphs, stats, None)
            extra_ms = 1000 * (time.perf_counter() - start)
            # the second reading's agreement on every page with text, to show where it separates
            second = pdfminer_text(str(path), i, None) if stats.chars else None
            full = agreement("".join(g.text for g in glyphs), second) if second is not None else None
            rows.append(
                {
                    "page": i + 1,
                    "chars": cheap.chars,
                    "bad_share": round(max(cheap.bad, cheap.map_errors) / cheap.chars, 3)
                    if cheap.chars
                    else None,
                    "common_han_share": round(cheap.common_cjk / cheap.cjk, 3) if cheap.cjk else None,
                    "image_area": round(cheap.image_area, 2),
                    "invisible": evidence.invisible,
                    "suspicious": bool(cheap.chars) and is_suspicious(cheap),
                    "agreement_if_asked": None if full is None else round(full, 3),
                    "decision": evidence_to_decision(evidence, "auto").reason,
                    "pdfium_ms": round(first_ms, 1),
                    "decision_extra_ms": round(extra_ms, 1),
                }
            )
            page.close()
    finally:
        doc.close()
    return rows


def main(ocrmypdf: bool = False) -> dict[str, Any]:
    if not (CORPUS / "pdf").is_dir():
        print("no corpus to measure (../shared/corpus is missing)")
        return {}
    work = Path(tempfile.mkdtemp(prefix="bench-decide-"))
    report: dict[str, Any] = {}
    print("\n## text-or-OCR decision per page")
    print(f"  {'input':40} {'pages':>5}  decisions{'':20} bad share   agreement   pdfium ms  extra ms")
    for label, path in inputs(work, ocrmypdf):
        rows = measure(path)
        report[label] = rows
        reasons: dict[str, int] = {}
        for r in rows:
            reasons[r["decision"]] = reasons.get(r["decision"], 0) + 1
        bad = [r["bad_share"] for r in rows if r["bad_share"] is not None]
        agree = [r["agreement_if_asked"] for r in rows if r["agreement_if_asked"] is not None]
        span = lambda v: f"{min(v):.2f}-{max(v):.2f}" if v else "-"  # noqa: E731
        print(
            f"  {label[:40]:40} {len(rows):5d}  {', '.join(f'{k} {v}' for k, v in reasons.items()):29} "
            f"{span(bad):>9}   {span(agree):>9}   {sum(r['pdfium_ms'] for r in rows) / len(rows):9.1f} "
            f"{sum(r['decision_extra_ms'] for r in rows) / len(rows):9.1f}"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "decide.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--ocrmypdf", action="store_true", help="also an OCRmyPDF layer over a scan (~40 s)")
    main(parser.parse_args().ocrmypdf)
