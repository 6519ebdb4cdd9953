"""Turn a text PDF into an image-only scan of one degradation class (degrade.py, faint.py, seal.py).

`mild` (the default, the corpus's scans): 200 dpi gray, rotation, blur, noise, contrast, JPEG 75, A4
pages, exactly as before the classes existed. The others render the PDF at their own dpi, draw each
page's parameters from the scan's seeded RNG, apply them and save the pages as JPEG (gray or colour)
or, bilevel, as CCITT G4; the truth's `scan` key names the class and holds every page's parameters.

A page printed turned (its /Rotate, or its content drawn turned) renders, and so is scanned, turned.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium
from PIL import Image

from samplegen.degrade import (
    MILD_BLUR,
    MILD_NOISE,
    Params,
    lowres,
    lowres_params,
    mild,
    mild_params,
    phone,
    phone_params,
    photocopy,
    photocopy_params,
    turned,
    turned_pages,
)
from samplegen.faint import faint, faint_params
from samplegen.seal import Box, plan_seals, seal, seal_params

DPI = 200
BLUR = MILD_BLUR
NOISE = MILD_NOISE
JPEG_QUALITY = 75
FIXED_DATE = time.gmtime(1_767_225_600)  # fixed PDF dates: same seed, same bytes
SCAN_CLASSES = ("mild", "lowres", "photocopy", "phone", "faint", "seal", "turned")
Gray = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Look:
    """How a class's pages are rendered and stored: dpi, PIL mode (L or RGB: JPEG; 1: CCITT G4) and the
    range the file's JPEG quality is drawn from."""

    dpi: int
    mode: str
    quality: tuple[int, int] = (75, 75)


LOOKS = {
    "lowres": Look(150, "RGB", (40, 60)),
    "photocopy": Look(300, "1"),
    "phone": Look(200, "RGB", (70, 85)),
    "faint": Look(200, "L", (85, 90)),
    "seal": Look(200, "RGB", (80, 88)),
    "turned": Look(200, "L", (75, 75)),
}
APPLY: dict[str, Callable[[Image.Image, Params], Image.Image]] = {
    "lowres": lowres,
    "photocopy": photocopy,
    "phone": phone,
    "faint": faint,
    "seal": seal,
    "turned": turned,
}


def scan_pdf(
    src: Path,
    dst: Path,
    rng: random.Random,
    made_from: str,
    scan_class: str = "mild",
    closing: Sequence[str] = (),
    office: str = "",
) -> dict[str, Any]:
    """Write an image-only scan of src to dst; return the truth's `scan` key. `closing` (the report's
    signature lines) and `office` (the seal's text) place and letter the seals of the `seal` class."""
    if scan_class == "mild":
        return _mild_scan(src, dst, rng, made_from)
    if scan_class not in LOOKS:
        raise ValueError(f"unknown scan class {scan_class!r}; choose from {SCAN_CLASSES}")
    look = LOOKS[scan_class]
    quality = rng.randint(*look.quality) if look.mode != "1" else None
    grays, where = _render(src, look.dpi, closing)
    params = _plan(scan_class, rng, grays, look.dpi, where, office)
    pages = [APPLY[scan_class](Image.fromarray(g), p) for g, p in zip(grays, params, strict=True)]
    _save(pages, dst, look.dpi, quality)
    scan: dict[str, Any] = {
        "made_from": made_from,
        "class": scan_class,
        "dpi": look.dpi,
        "gray": look.mode != "RGB",
        "bilevel": look.mode == "1",
        "rotation_deg_per_page": [p.get("tilt_deg", 0.0) for p in params],
        "stamp": None,
        "jpeg_quality": quality,
        "text_layer": False,
        "pages": params,
    }
    if scan_class == "turned":
        scan["turned_pages"] = [
            {"page": i + 1, "turn_deg": p["turn_deg"]} for i, p in enumerate(params) if p["turn_deg"]
        ]
    if scan_class == "seal":
        scan["stamp"] = [
            {
                "page": i + 1,
                "over": s["over"],
                "colour": s["colour"],
                "x": s["x"],
                "y": s["y"],
                "radius_px": s["radius_px"],
            }
            for i, p in enumerate(params)
            for s in p["seals"]
        ]
    return scan


def _plan(
    scan_class: str,
    rng: random.Random,
    grays: list[Gray],
    dpi: int,
    closing: tuple[int, Box] | None,
    office: str,
) -> list[Params]:
    """Each page's parameters, drawn in page order from the scan's RNG."""
    size = [(g.shape[1], g.shape[0]) for g in grays]
    if scan_class == "lowres":
        return [lowres_params(rng) for _ in grays]
    if scan_class == "photocopy":
        return [photocopy_params(rng, s) for s in size]
    if scan_class == "phone":
        return [phone_params(rng, s) for s in size]
    if scan_class == "faint":
        return [faint_params(rng, g, dpi) for g in grays]
    if scan_class == "seal":
        return [seal_params(rng, seals) for seals in plan_seals(rng, grays, dpi, closing, office)]
    assert scan_class == "turned"
    return [{**mild_params(rng), "turn_deg": t} for t in turned_pages(rng, len(grays))]


def _render(src: Path, dpi: int, closing: Sequence[str]) -> tuple[list[Gray], tuple[int, Box] | None]:
    """Every page in gray at `dpi`, and where the closing lines are printed (page index, pixel box)."""
    pdf = pdfium.PdfDocument(src)
    try:
        grays = []
        for page in pdf:
            grays.append(np.asarray(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")))
            page.close()
        return grays, _closing_box(pdf, closing, dpi / 72)
    finally:
        pdf.close()


def _closing_box(pdf: pdfium.PdfDocument, lines: Sequence[str], scale: float) -> tuple[int, Box] | None:
    """The box of the signature lines in the text layer, on the last page that prints one (upright)."""
    for i in reversed(range(len(pdf))):
        page = pdf[i]
        try:
            if page.get_rotation():
                continue
            height = page.get_height()
            text = page.get_textpage()
            boxes = []
            for line in lines:
                searcher = text.search(line.strip())
                hit = last = searcher.get_next()
                while last:  # the signature is the last place the page prints it
                    hit, last = last, searcher.get_next()
                searcher.close()
                if hit:
                    boxes += [text.get_charbox(k) for k in range(hit[0], hit[0] + hit[1])]
            text.close()
        finally:
            page.close()
        if boxes:
            x0, x1 = min(b[0] for b in boxes), max(b[2] for b in boxes)
            top, bottom = max(b[3] for b in boxes), min(b[1] for b in boxes)
            box = (
                round(x0 * scale),
                round((height - top) * scale),
                round(x1 * scale),
                round((height - bottom) * scale),
            )
            return i, box
    return None


def _save(pages: list[Image.Image], dst: Path, dpi: int, quality: int | None) -> None:
    """One page per image at `dpi`; JPEG of `quality`, or (None) bilevel CCITT G4."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    jpeg = {} if quality is None else {"quality": quality}
    pages[0].save(
        dst,
        "PDF",
        save_all=True,
        append_images=pages[1:],
        resolution=float(dpi),
        **jpeg,
        creationDate=FIXED_DATE,
        modDate=FIXED_DATE,
        producer="samplegen",
    )


def _mild_scan(src: Path, dst: Path, rng: random.Random, made_from: str) -> dict[str, Any]:
    """The `mild` class, drawn and written exactly as the generator always did (same seed, same bytes)."""
    angles, contrasts, brights = [], [], []
    pages: list[Image.Image] = []
    pdf = pdfium.PdfDocument(src)
    try:
        for page in pdf:
            img = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
            page.close()
            angle = round(rng.choice((-1, 1)) * rng.uniform(0.3, 1.2), 2)
            contrast = round(rng.uniform(0.85, 1.10), 2)
            bright = round(rng.uniform(0.95, 1.03), 2)
            pages.append(mild(img, angle, contrast, bright, rng.getrandbits(63)))
            angles.append(angle)
            contrasts.append(contrast)
            brights.append(bright)
    finally:
        pdf.close()
    _save(pages, dst, DPI, JPEG_QUALITY)
    return {
        "made_from": made_from,
        "dpi": DPI,
        "gray": True,
        "rotation_deg_per_page": angles,
        "blur": f"gaussian radius {BLUR} px",
        "noise": f"gaussian sigma {NOISE:g} (0-255 scale)",
        "contrast_per_page": contrasts,
        "brightness_per_page": brights,
        "stamp": None,
        "jpeg_quality": JPEG_QUALITY,
        "text_layer": False,
    }
