"""Reading a generated PDF back for the samplegen tests: ruled table parts, their text, turned pages.

A table part is a cluster of touching stroked rules on a page (pdfplumber's rects and lines); its text is the
characters inside it. Text is compared as a multiset of characters (whitespace dropped), because the lines
of neighbouring cells interleave when a page is read line by line.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (pdfplumber space, y downwards)
PAGE_NUMBER = re.compile(r"^(-?\s*\d+\s*-?|第\d+页)$")


def fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def chars(text: str) -> Counter[str]:
    return Counter(fold(text))


def strokes(page: Any) -> list[Box]:
    """Stroked rules: rect outlines and lines (fill-only shading is not a rule)."""
    rects = [(r["x0"], r["top"], r["x1"], r["bottom"]) for r in page.rects if r.get("stroke")]
    return rects + [(ln["x0"], ln["top"], ln["x1"], ln["bottom"]) for ln in page.lines]


def _touch(a: Box, b: Box, gap: float = 1.5) -> bool:
    return a[0] <= b[2] + gap and b[0] <= a[2] + gap and a[1] <= b[3] + gap and b[1] <= a[3] + gap


def table_parts(page: Any) -> list[Box]:
    """Bounding boxes of the clusters of touching rules, top to bottom."""
    boxes = strokes(page)
    parent = list(range(len(boxes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(boxes)):
        for j in range(i):
            if _touch(boxes[i], boxes[j]):
                parent[root(i)] = root(j)
    groups: dict[int, list[Box]] = {}
    for i, b in enumerate(boxes):
        groups.setdefault(root(i), []).append(b)
    out = [
        (min(b[0] for b in g), min(b[1] for b in g), max(b[2] for b in g), max(b[3] for b in g))
        for g in groups.values()
    ]
    return sorted(out, key=lambda b: b[1])


def text_in(page: Any, box: Box) -> str:
    inside = [
        c["text"]
        for c in page.chars
        if box[0] - 1 <= (c["x0"] + c["x1"]) / 2 <= box[2] + 1
        and box[1] - 1 <= (c["top"] + c["bottom"]) / 2 <= box[3] + 1
    ]
    return "".join(inside)


def text_below(page: Any, y: float) -> list[str]:
    """Words whose middle is below y."""
    return [w["text"] for w in page.extract_words() if (w["top"] + w["bottom"]) / 2 > y]


def is_page_number(words: list[str]) -> bool:
    return not words or PAGE_NUMBER.match(fold("".join(words))) is not None


def ruled_share(page: Any, part: Box, y: float) -> float:
    """The share of the part's width covered by horizontal rules at height y."""
    spans = sorted(
        (max(b[0], part[0]), min(b[2], part[2]))
        for b in strokes(page)
        for edge in {b[1], b[3]}
        if abs(edge - y) < 1.0 and b[2] - b[0] > 0.5
    )
    covered, end = 0.0, part[0]
    for x0, x1 in spans:
        if x1 > end:
            covered += x1 - max(x0, end)
            end = x1
    return covered / (part[2] - part[0])


def text_turn(path: Path, index: int) -> int:
    """The clockwise turn of most characters' baselines on a page (0 upright)."""
    with pdfplumber.open(path) as pdf:
        turns = Counter(
            {(1, 0): 0, (0, -1): 90, (-1, 0): 180, (0, 1): 270}.get(
                (int(np.sign(round(c["matrix"][0], 3))), int(np.sign(round(c["matrix"][1], 3)))), -1
            )
            for c in pdf.pages[index].chars
        )
    return turns.most_common(1)[0][0]


def scan_turn(scan: Path, upright: Path, index: int) -> int:
    """The angle by which the scan's page is the upright page turned clockwise (best match at low resolution)."""
    size = (60, 85)

    def small(img: Image.Image) -> np.ndarray:
        return np.asarray(img.convert("L").resize(size), dtype=np.float32)

    docs = [pdfium.PdfDocument(scan), pdfium.PdfDocument(upright)]
    try:
        seen, ref = (
            docs[0][index].render(scale=0.5).to_pil(),
            small(docs[1][index].render(scale=0.5).to_pil()),
        )
        # PIL turns counter-clockwise: turning the scan back by `a` undoes a clockwise turn of `a`
        errs = {
            a: float(np.abs(small(seen.rotate(a, expand=True, fillcolor=255)) - ref).mean())
            for a in (0, 90, 180, 270)
        }
    finally:
        for d in docs:
            d.close()
    return min(errs, key=errs.__getitem__)
