"""samplegen's scan degradation classes (samplegen/scan.py): each does to a generated page what it claims,
the same seed gives the same bytes, and the truth names the class with every page's parameters. No OCR."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium
import pytest
from PIL import Image

from samplegen import generate
from samplegen.degrade import (
    lowres,
    lowres_params,
    page_quad,
    phone,
    phone_params,
    photocopy,
    photocopy_params,
    turned,
    turned_pages,
)
from samplegen.faint import faint, faint_params, find_rules, table_boxes
from samplegen.generate import planned_report
from samplegen.model import Closing
from samplegen.scan import LOOKS, SCAN_CLASSES, scan_pdf
from samplegen.seal import plan_seals, seal, seal_alpha, seal_params

SEED = 7  # report 0 of seed 7 (2019 format) is signed with the office and a date, and prints tables
Gray = npt.NDArray[np.uint8]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("degrade")
    generate(root, count=1, seed=SEED, formats=["2019"], scans=1, scan_classes=SCAN_CLASSES)
    return root


@pytest.fixture(scope="module")
def text_pdf(corpus: Path) -> Path:
    (pdf,) = (corpus / "pdf").glob("*.pdf")
    return pdf


def render(pdf: Path, dpi: float) -> list[Gray]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [np.asarray(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")) for page in doc]
    finally:
        doc.close()


def table_page(pdf: Path, dpi: float) -> Gray:
    """The first page of the report that prints a ruled table, at `dpi`."""
    return next(g for g in render(pdf, dpi) if table_boxes(g, dpi))


def small_specks(binary: Gray) -> int:
    """Ink components of at most 3x3 pixels."""
    n, _, stats, _ = cv2.connectedComponentsWithStats((binary == 0).astype(np.uint8), connectivity=8)
    return int(sum(1 for i in range(1, n) if stats[i, 2] <= 3 and stats[i, 3] <= 3))


def test_photocopy_is_bilevel_with_the_specks_it_draws(text_pdf: Path) -> None:
    page = Image.fromarray(table_page(text_pdf, 300))
    p = photocopy_params(random.Random(1), page.size)
    out = photocopy(page, p)
    assert out.mode == "1" and out.size == page.size
    pixels = np.asarray(out.convert("L"))
    assert set(np.unique(pixels).tolist()) <= {0, 255}
    without = np.asarray(photocopy(page, {**p, "speckles": 0}).convert("L"))
    added = small_specks(pixels) - small_specks(without)
    assert 0.8 * p["speckles"] <= added <= p["speckles"], (added, p["speckles"])
    # the streaks knock ink out: a streak's pixels are white wherever the page is not speckled
    s = p["streaks"][0]
    h, w = pixels.shape
    if s["axis"] == "vertical":
        band = without[int(s["from"] * h) : int(s["to"] * h), s["at"] : s["at"] + s["width"]]
    else:
        band = without[s["at"] : s["at"] + s["width"], int(s["from"] * w) : int(s["to"] * w)]
    assert (band == 255).mean() > 0.98


def test_faint_rules_are_light_and_broken_and_characters_keep_their_ink(text_pdf: Path) -> None:
    gray = table_page(text_pdf, 200)
    p = faint_params(random.Random(2), gray, 200)
    out = np.asarray(faint(Image.fromarray(gray), p), dtype=np.int16)
    horizontal, vertical = find_rules(gray, 200)
    rules = (horizontal | vertical) > 0
    assert p["rules"]["horizontal"] >= 5 and p["rules"]["vertical"] >= 3
    on_rules = out[rules]
    assert 223 - 3 <= np.median(on_rules) <= 228 + 3
    assert on_rules.min() >= 223 - 12  # nothing of a rule left dark (the noise is sigma 2)
    assert (on_rules >= p["paper_gray"] - 8).mean() > 0.01  # the gaps
    near = cv2.dilate(rules.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    text = (gray < 100) & ~near
    assert text.sum() > 5000
    assert np.percentile(out[text] - gray[text].astype(np.int16), 99) <= 8  # not lightened


def test_phone_page_is_a_trapezoid_narrower_at_the_top(text_pdf: Path) -> None:
    gray = table_page(text_pdf, 200)
    h, w = gray.shape
    p = phone_params(random.Random(3), (w, h))
    assert 2.0 <= abs(p["tilt_deg"]) <= 4.0
    (tl, tr, br, bl) = np.array(p["corners"])
    assert np.linalg.norm(tr - tl) < np.linalg.norm(br - bl) * (1 - 0.015)
    level = {**p, "tilt_deg": 0.0, "keystone": 0.05, "corners": page_quad(w, h, 0.0, 0.05, 0.03)}
    out = phone(Image.fromarray(gray), level)
    assert out.mode == "RGB"
    a = np.asarray(out, dtype=np.int16)
    assert (a[:, :, 0] - a[:, :, 2]).mean() > 5  # warm: more red than blue
    ink = (a.mean(axis=2) < 90).astype(np.uint8)
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (200, 1)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    rows = sorted((int(stats[i, 1]), int(stats[i, 2])) for i in range(1, n))
    (top_y, top_w), (bottom_y, bottom_w) = rows[0], rows[-1]
    assert bottom_y - top_y > 200
    assert top_w < bottom_w - 5, rows
    # the light falls off: the shadowed side is darker than the middle of the page
    side = {"left": a[h // 2, w // 10], "right": a[h // 2, -w // 10], "top": a[h // 10, w // 2]}
    side["bottom"] = a[-h // 10, w // 2]
    assert (
        side[p["shadow_side"]].mean()
        < a[h // 2 - 20 : h // 2 + 20, w // 2 - 20 : w // 2 + 20].max(axis=(0, 1)).mean()
    )


def test_seal_is_red_over_black_print_that_stays_black(text_pdf: Path) -> None:
    gray = table_page(text_pdf, 200)
    rng = random.Random(5)
    seals = plan_seals(rng, [gray], 200, None, "湾马市黄福兴区人民政府")[0]
    assert [s["over"] for s in seals] == ["table", "closing"]
    tables = table_boxes(gray, 200)
    s = seals[0]
    assert any(x0 <= s["x"] <= x1 and y0 <= s["y"] <= y1 for x0, y0, x1, y1 in tables)
    red = {**s, "colour": "red", "rgb": [220, 30, 40]}
    p = {**seal_params(rng, [red]), "tilt_deg": 0.0, "noise_sigma": 0.0, "blur_px": 0.1}
    out = seal(Image.fromarray(gray), p)
    assert out.mode == "RGB"
    a = np.asarray(out, dtype=np.int16)
    r, g, b = a[:, :, 0], a[:, :, 1], a[:, :, 2]
    assert ((r > 150) & (g < 130) & (b < 130)).sum() > 2000
    alpha = seal_alpha(red)
    size = alpha.shape[0]
    y0, x0 = red["y"] - size // 2, red["x"] - size // 2
    under = np.zeros(gray.shape, bool)
    under[y0 : y0 + size, x0 : x0 + size] = alpha > 0.5
    black = under & (gray < 40)
    assert black.sum() > 50  # print under the ink …
    assert a[black].max(axis=1).mean() < 60  # … stays black


def test_turned_pages_are_turned_and_their_size_swapped(text_pdf: Path) -> None:
    gray = Image.fromarray(render(text_pdf, 200)[0])
    base = {"tilt_deg": 0.5, "contrast": 1.0, "brightness": 1.0, "seed": 1}
    for turn in (90, 270):
        assert turned(gray, {**base, "turn_deg": turn}).size == (gray.height, gray.width)
    assert turned(gray, {**base, "turn_deg": 180}).size == gray.size
    assert turned(gray, {**base, "turn_deg": 0}).size == gray.size
    for n in (1, 2, 5):
        turns = turned_pages(random.Random(n), n)
        assert any(turns) and (n == 1 or not all(turns))


def test_lowres_is_a_colour_150_dpi_page(text_pdf: Path) -> None:
    gray = table_page(text_pdf, 150)
    out = lowres(Image.fromarray(gray), lowres_params(random.Random(4)))
    assert out.mode == "RGB" and out.size == (gray.shape[1], gray.shape[0])
    assert abs(out.width - 8.27 * 150) < 3  # A4 at 150 dpi
    a = np.asarray(out, dtype=np.int16)
    assert (a[:, :, 0] - a[:, :, 2]).mean() > 2  # tinted paper, not gray


@pytest.mark.parametrize("scan_class", [c for c in SCAN_CLASSES if c != "mild"])
def test_same_seed_same_bytes(scan_class: str, text_pdf: Path, tmp_path: Path) -> None:
    one = tmp_path / "one.pdf"
    src = pdfium.PdfDocument(text_pdf)
    doc = pdfium.PdfDocument.new()
    doc.import_pages(src, [len(src) - 1])  # the last page: the closing and its seal
    doc.save(one)
    doc.close()
    src.close()
    closing = next(b.lines for b in planned_report(SEED, 0, "2019").blocks if isinstance(b, Closing))
    out = []
    for name in ("a", "b", "c"):  # the same file name (Pillow writes it as the PDF's title)
        dst = tmp_path / name / "scan.pdf"
        rng = random.Random(f"x:{scan_class}" if name != "c" else "another seed")
        scan = scan_pdf(one, dst, rng, "one.pdf", scan_class, closing, "某局")
        out.append((dst.read_bytes(), json.dumps(scan, ensure_ascii=False)))
    assert out[0] == out[1]
    assert out[2][0] != out[0][0] and out[2][1] != out[0][1]


@pytest.mark.parametrize("scan_class", SCAN_CLASSES)
def test_truth_records_the_class_and_every_page(scan_class: str, corpus: Path) -> None:
    suffix = "_scan" if scan_class == "mild" else f"_scan_{scan_class}"
    (truth_path,) = (corpus / "truth").glob(f"*{suffix}.json")
    truth: dict[str, Any] = json.loads(truth_path.read_text(encoding="utf-8"))
    text = json.loads((corpus / "truth" / truth_path.name.replace(suffix, "")).read_text(encoding="utf-8"))
    assert {k: v for k, v in truth.items() if k not in ("file", "scan")} == {
        k: v for k, v in text.items() if k != "file"
    }
    scan = truth["scan"]
    doc = pdfium.PdfDocument(corpus / "scan" / truth["file"])
    try:
        pages = len(doc)
        sizes = [doc[i].get_size() for i in range(pages)]
        assert all(doc[i].get_textpage().count_chars() == 0 for i in range(pages))
    finally:
        doc.close()
    assert len(scan["rotation_deg_per_page"]) == pages >= 3
    manifest = (corpus / "MANIFEST.tsv").read_text(encoding="utf-8")
    assert truth["file"].removesuffix(".pdf") + "\t" in manifest
    if scan_class == "mild":
        assert "class" not in scan  # the truth of a mild scan is what it always was
        return
    assert scan["class"] == scan_class and scan["dpi"] == LOOKS[scan_class].dpi
    assert len(scan["pages"]) == pages and scan["bilevel"] == (scan_class == "photocopy")
    upright = [
        (w, h) for (w, h), p in zip(sizes, scan["pages"], strict=True) if p.get("turn_deg", 0) in (0, 180)
    ]
    assert all(abs(w - 595) < 1.5 and abs(h - 842) < 1.5 for w, h in upright)
    if scan_class == "turned":
        assert scan["turned_pages"] and all(
            (abs(sizes[t["page"] - 1][0] - 842) < 1.5) == (t["turn_deg"] in (90, 270))
            for t in scan["turned_pages"]
        )
    if scan_class == "seal":
        assert [s["over"] for s in scan["stamp"]] == ["table", "closing"]
        closing = scan["stamp"][-1]
        assert closing["page"] == pages and closing["x"] > 595 * 200 / 72 / 2  # right-aligned signature
