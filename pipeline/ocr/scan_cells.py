"""Table cells of a scanned page as crops, and many crops read by one engine call.

Whole-page OCR reads ruled tables badly (29% of cells, ../shared/notes/ocr-measurements.md):
columns run together and lone digits vanish. Each cell is cropped inside its rules (the rules
already erased from the image), and the crops are stacked one under another into a single
image so that one engine call reads them all: a call costs ~0.2 s to start and load a model,
a cell ~5-25 ms to read. The readings are then split back to their crops by position.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from pipeline.core.model import PipelineError
from pipeline.ocr.engine import OcrEngine, OcrWord, ReadMode
from pipeline.ocr.raster import Gray
from pipeline.ocr.scan_grid import ink_of

INSET_PT = 0.8  # inside the cell box, past the blur of the erased rule
PAD_PT = 2.5  # white around a crop's ink
MIN_WIDTH_EM = 1.5  # a lone narrow "1" gets room around it
MIN_INK_PT2 = 0.6  # smaller specks are noise, not a full stop
SPECK_CELL_PT2 = 2.5  # a piece of ink this small, away from the text, is a speck
SPECK_MARGIN_EM = 0.15  # … away: above or below the text's larger pieces by more than this, …
SPECK_BESIDE_EM = 1.5  # … or beside them, further than this (a bracket or 、 before a label is nearer) …
SPECK_HIGH_BESIDE_EM = 0.5  # … or this, when it sits wholly above …
SPECK_LOW_LINE = 0.6  # … this share of the text's height (a dot or 、 reaches below it)
MAX_STACK_PX = 30_000  # tesseract refuses images taller than 32767 pixels
VERTICAL_RATIO = 2.5  # ink this many times taller than wide, in several pieces: vertical text

Box = tuple[float, float, float, float]  # points, level page: x0, top, x1, bottom


@dataclass(frozen=True)
class Crop:
    key: tuple[int, int]  # (table, cell) the crop belongs to
    pixels: Gray  # the cell's ink, padded; vertical text re-laid as one row
    x: int  # the ink's box on the level image, pixels
    y: int
    width: int
    height: int
    glyph_height: int  # height of the tallest connected piece of ink: the text size
    pieces: tuple[tuple[int, int, int, int], ...] = ()  # connected pieces of ink: x, y, width, height


def _ink_boxes(region: Gray, min_area: float) -> list[tuple[int, int, int, int]]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink_of(region), connectivity=8)
    return [
        (int(stats[k, 0]), int(stats[k, 1]), int(stats[k, 2]), int(stats[k, 3]))
        for k in range(1, n)
        if stats[k, cv2.CC_STAT_AREA] >= min_area
    ]


def unspeckled(region: Gray, scale: float) -> Gray:
    """A cell without the specks around its text: small pieces of ink (up to SPECK_CELL_PT2)
    above or below its larger pieces, or on their line but 1.5 em or more away from them (on the
    line and near, a small piece may be a dot, a decimal point, a minus, a bracket or a 、), or
    half an em when the piece sits high and is no dash (a quote mark is next to its text). No such piece
    belongs to the cell's figure or label, whatever the scan; left in, a speck above a number
    makes it look like two lines and wide, so that the number is not read as one. (A piece a
    streak broke off a hairline stroke, above or below the rest, is as small and goes too;
    sparing elongated pieces cost 12 of 1,592 photocopy cells: toner specks clump.)"""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink_of(region), connectivity=8)
    if n <= 2:
        return region
    limit = SPECK_CELL_PT2 * scale * scale
    area = stats[:, cv2.CC_STAT_AREA]
    big = [k for k in range(1, n) if area[k] > limit]
    if not big:
        return region
    left = min(stats[k, 0] for k in big)
    right = max(stats[k, 0] + stats[k, 2] for k in big)
    up = min(stats[k, 1] for k in big)
    down = max(stats[k, 1] + stats[k, 3] for k in big)
    margin = SPECK_MARGIN_EM * (down - up)
    low = up + SPECK_LOW_LINE * (down - up)
    in_line = {
        k for k in range(1, n) if up - margin <= stats[k, 1] and stats[k, 1] + stats[k, 3] <= down + margin
    }
    # a dot, comma or 、 sits low on the line, a minus sign is a dash; any other small piece wholly
    # higher up is a quote mark next to its text, or a speck
    beside = {
        k: (
            SPECK_BESIDE_EM
            if stats[k, 1] + stats[k, 3] >= low or stats[k, 2] >= 2 * stats[k, 3]
            else SPECK_HIGH_BESIDE_EM
        )
        * (down - up)
        for k in in_line
    }
    kept = set(big)
    grown = True
    while grown:  # the text's extent grows by each small piece on its line near it (a 5 in pieces)
        near = {
            k
            for k in in_line - kept
            if left - beside[k] <= stats[k, 0] + stats[k, 2] and stats[k, 0] <= right + beside[k]
        }
        grown = bool(near)
        kept |= near
        for k in near:
            left, right = min(left, int(stats[k, 0])), max(right, int(stats[k, 0] + stats[k, 2]))
    out = region.copy()
    for k in set(range(1, n)) - kept:
        out[labels == k] = 255
    return out


def _vertical_to_row(ink: Gray) -> Gray | None:
    """Characters printed top to bottom, cut apart and set left to right; None if not that."""
    h, w = ink.shape
    if h < VERTICAL_RATIO * w:
        return None
    rows = [int(r) for r in np.flatnonzero((ink < 200).any(axis=1))]
    runs: list[list[int]] = []
    for r in rows:
        if runs and r == runs[-1][1] + 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    chars: list[list[int]] = []
    for start, end in runs:  # strokes of one character (三) are merged up to a square
        if chars and end - chars[-1][0] <= 1.15 * w:
            chars[-1][1] = end
        else:
            chars.append([start, end])
    if len(chars) < 3:
        return None
    gap = max(2, w // 4)
    height = max(end - start + 1 for start, end in chars)
    row = np.full((height, len(chars) * (w + gap)), 255, np.uint8)
    for i, (start, end) in enumerate(chars):
        row[: end - start + 1, i * (w + gap) : i * (w + gap) + w] = ink[start : end + 1]
    return row


def cell_crop(clean: Gray, box: Box, scale: float, key: tuple[int, int]) -> Crop | None:
    """The ink inside a cell, specks around its text painted paper (`unspeckled`), padded; None
    when the cell is blank."""
    inset = max(1, round(INSET_PT * scale))
    x0, top = max(0, round(box[0] * scale) + inset), max(0, round(box[1] * scale) + inset)
    x1, bottom = round(box[2] * scale) - inset, round(box[3] * scale) - inset
    region = clean[top : max(top, bottom), x0 : max(x0, x1)]
    if region.size == 0:
        return None
    region = unspeckled(region, scale)
    pieces = _ink_boxes(region, MIN_INK_PT2 * scale * scale)
    if not pieces:
        return None
    left, up = min(p[0] for p in pieces), min(p[1] for p in pieces)
    right, down = max(p[0] + p[2] for p in pieces), max(p[1] + p[3] for p in pieces)
    ink = region[up:down, left:right]
    glyph_height = max(p[3] for p in pieces)
    row = _vertical_to_row(ink)
    if row is not None:
        ink, glyph_height = row, row.shape[0]
    pad = round(PAD_PT * scale)
    width = max(ink.shape[1], round(MIN_WIDTH_EM * glyph_height)) + 2 * pad
    pixels = np.full((ink.shape[0] + 2 * pad, width), 255, np.uint8)
    pixels[pad : pad + ink.shape[0], pad : pad + ink.shape[1]] = ink
    shape = tuple((x - left, y - up, w, h) for x, y, w, h in pieces)
    return Crop(
        key, pixels, x0 + left, top + up, right - left, down - up, glyph_height, shape if row is None else ()
    )


def glyph_pieces(crop: Crop) -> list[tuple[int, int, int, int]]:
    """The pieces of ink tall enough to be a character (not a dot, a comma or a speck)."""
    return [p for p in crop.pieces if p[3] >= 0.6 * crop.glyph_height]


def is_zero(crop: Crop) -> bool:
    """One glyph shaped like a 0: a ring whose hole is centred and most of its height, or —
    a ring a copier broke open (a drop-out streak, a hole in the toner: read as 6, 9 or O) — ink
    that lies all round one oval and nowhere else.

    Tesseract's digit model reads the wide 0 of some fonts as "10" with no confidence; the shape
    settles it. 6 and 9 have their hole in one half and a tail off any one ellipse, 8 has two
    holes, 4 a small one; 7 and 1 do not go all round. The ink is judged as printed, then with
    gaps of up to two pixels closed (closing first would fill the small hole of a blurred 0).
    """
    ink = ink_of(crop.pixels)
    closed: Gray = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))  # type: ignore[assignment]
    if _lone_ring(ink, crop.glyph_height) or _lone_ring(closed, crop.glyph_height):
        return True
    _, hierarchy = cv2.findContours(closed, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    if hierarchy is not None and (hierarchy[0][:, 3] >= 0).any():
        return False  # a loop, but not a 0's
    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    tall = [k for k in range(1, n) if stats[k, cv2.CC_STAT_HEIGHT] >= 0.6 * crop.glyph_height]
    if not 1 <= len(tall) <= 2:
        return False
    x0, y0 = min(int(stats[k, 0]) for k in tall), min(int(stats[k, 1]) for k in tall)
    x1 = max(int(stats[k, 0] + stats[k, 2]) for k in tall)
    y1 = max(int(stats[k, 1] + stats[k, 3]) for k in tall)
    pieces = [
        k
        for k in range(1, n)
        if stats[k, cv2.CC_STAT_AREA] >= 3 and not _clear_of(stats[k], (x0, y0, x1 - x0, y1 - y0))
    ]
    return _on_one_ellipse(np.isin(labels, pieces))  # broken open: by the line its ink follows


def _lone_ring(ink: Gray, glyph_height: int) -> bool:
    """One glyph-tall piece of ink that is a ring with a 0's hole, beside specks at most: tiny
    ones anywhere, small ones (a toner speck, a stray dot) clear of the ring's box (no digit
    is a ring and a small mark apart: a decimal point needs a digit after it)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    tall = [k for k in range(1, n) if stats[k, cv2.CC_STAT_HEIGHT] >= 0.6 * glyph_height]
    if len(tall) != 1:
        return False
    area = stats[:, cv2.CC_STAT_AREA]
    ring = tuple(int(v) for v in stats[tall[0], :4])
    if any(
        area[k] > (RING_SPECK_APART if _clear_of(stats[k], ring) else RING_SPECK) * area[tall[0]]
        for k in range(1, n)
        if k != tall[0]
    ):
        return False
    return _ring_with_hole(labels, stats, tall[0])


def _clear_of(piece: npt.NDArray[Any], box: tuple[int, ...]) -> bool:
    """Whether a piece of ink (its connected-component stats) lies wholly outside `box` (x, y, w, h)."""
    px, py, pw, ph = (int(v) for v in piece[:4])
    x, y, w, h = box
    return px >= x + w or px + pw <= x or py >= y + h or py + ph <= y


RING_SPECK = 0.05  # of the ring's ink: a speck touching its box
RING_SPECK_APART = 0.3  # … and one clear of its box
RING_OFF = 0.3  # of the ellipse's size: ink further off it than this is no part of a ring …
RING_MAX_OFF_SHARE = 0.06  # … and a ring has next to none (0s: 0-0.03; 6, 9: 0.13-0.17)
RING_SECTORS = 24
RING_MIN_SECTORS = 22  # a ring goes all round (7 and 1: 11-18 of 24)


def _ring_with_hole(labels: npt.NDArray[Any], stats: npt.NDArray[Any], ring: int) -> bool:
    x, y, w, h = (int(v) for v in stats[ring, :4])
    if not 0.35 * h <= w <= 0.85 * h:  # taller than wide, unlike 口
        return False
    shape = np.where(labels[y : y + h, x : x + w] == ring, 255, 0).astype(np.uint8)
    contours, hierarchy = cv2.findContours(shape, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    holes = [c for c, rel in zip(contours, hierarchy[0], strict=True) if rel[3] >= 0]
    if len(holes) != 1:
        return False
    hx, hy, hw, hh = cv2.boundingRect(holes[0])
    middle_x, middle_y = (hx + hw / 2) / w, (hy + hh / 2) / h
    oval = cv2.contourArea(holes[0]) >= 0.55 * hw * hh  # the triangle of a 4 fills half its box
    return hh >= 0.7 * h and hw >= 0.3 * w and 0.4 <= middle_y <= 0.6 and 0.35 <= middle_x <= 0.65 and oval


def _on_one_ellipse(ink: npt.NDArray[np.bool_]) -> bool:
    """Ink that lies along one ellipse, much longer than wide (unlike 口), all round it."""
    ys, xs = np.nonzero(ink)
    if len(xs) < 12:
        return False
    (cx, cy), (width, height), angle = cv2.fitEllipse(np.stack([xs, ys], 1).astype(np.float32))
    if min(width, height) <= 0 or not 0.35 <= min(width, height) / max(width, height) <= 0.85:
        return False
    t = np.radians(angle)
    dx, dy = xs - cx, ys - cy
    u = (dx * np.cos(t) + dy * np.sin(t)) / (width / 2)
    v = (-dx * np.sin(t) + dy * np.cos(t)) / (height / 2)
    off = float(np.mean(np.abs(np.hypot(u, v) - 1) > RING_OFF))
    sectors = len(np.unique((np.degrees(np.arctan2(v, u)) + 180) // (360 / RING_SECTORS)))
    x, y, w, h = cv2.boundingRect(np.stack([xs, ys], 1).astype(np.int32))
    c = max(1, round(0.15 * min(w, h)))  # 口 fills the corners of its box, an oval does not
    corners = any(
        ink[top : top + c, left : left + c].any() for top in (y, y + h - c) for left in (x, x + w - c)
    )
    return off <= RING_MAX_OFF_SHARE and sectors >= RING_MIN_SECTORS and not corners


def looks_numeric(crop: Crop) -> bool:
    """Every sizeable piece of ink is tall and narrow like a digit (or small like a dot).

    A Chinese character has wide or square pieces (一, 口, 十); digits of any font are about
    twice as tall as wide. Decides which readings are tried, and, with a confident digit
    reading, that a cell in a column of numbers is no label; never the value itself.
    """
    pieces = sorted(_ink_boxes(crop.pixels, 4))
    tall = max((p[3] for p in pieces), default=0)
    top = min((p[1] for p in pieces if p[3] == tall), default=0)
    if len(pieces) > 1 and _is_sign(pieces[0], top, tall, ink_of(crop.pixels)):
        pieces = pieces[1:]  # '-2', '+6': a sign before the digits
    digits = 0
    for _x, _y, w, h in pieces:
        if h < 0.45 * tall and w < 0.35 * tall:
            continue  # a decimal point, a comma, a speck
        if h >= 0.6 * tall and w <= 0.9 * h:
            digits += 1
            continue
        return False
    return digits > 0 and crop.height <= 1.3 * crop.glyph_height


def _is_sign(piece: tuple[int, int, int, int], top: int, tall: int, ink: Gray) -> bool:
    """A minus (a short flat bar) or a plus (a cross lower than a digit, whose top row is only
    its upright — unlike 工 or 十's wide bars), both at the digits' mid-height."""
    x, y, w, h = piece
    if not 0.3 * tall <= y - top + h / 2 <= 0.7 * tall:
        return False
    if h <= 0.25 * tall:
        return 0.2 * tall <= w <= 0.9 * tall  # minus
    upright_only = int(np.count_nonzero(ink[y, x : x + w])) <= 0.4 * w
    return 0.35 * tall <= h <= 0.8 * tall and 0.7 * h <= w <= 1.3 * h and upright_only


def enlarged(gray: Gray, factor: float) -> Gray:
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)  # type: ignore[return-value]


def rendition(crop: Crop, glyph_px: int) -> tuple[Gray, float]:
    """The crop scaled up so that its text is at least `glyph_px` tall (tesseract misses small
    print: digits 14 px tall were dropped, at 24 px read right); never scaled down."""
    factor = glyph_px / max(1, crop.glyph_height)
    if factor <= 1.05:
        return crop.pixels, 1.0
    factor = min(factor, 4.0)
    return enlarged(crop.pixels, factor), factor


def binarized(gray: Gray) -> Gray:
    """Black on white at Otsu's threshold: a second look for text the gray image misled."""
    _, out = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return out  # type: ignore[return-value]


@dataclass(frozen=True)
class Stack:
    image: Gray
    bands: tuple[tuple[int, int], ...]  # rows of the stack that belong to each image


def stacks_of(images: Sequence[Gray], margin: int) -> list[Stack]:
    """Images one under another, left-aligned, blank gaps between them (one block of lines),
    split where a stack would be taller than the engine accepts."""
    out: list[Stack] = []
    start = 0
    while start < len(images):
        gap = max(margin, int(np.median([im.shape[0] for im in images[start:]]) * 0.6))
        end, height = start, gap
        while end < len(images) and (end == start or height + images[end].shape[0] + gap <= MAX_STACK_PX):
            height += images[end].shape[0] + gap
            end += 1
        width = max(im.shape[1] for im in images[start:end]) + 2 * margin
        image = np.full((height, width), 255, np.uint8)
        bands, y = [], gap
        for im in images[start:end]:
            image[y : y + im.shape[0], margin : margin + im.shape[1]] = im
            bands.append((y - gap // 2, y + im.shape[0] + gap // 2))
            y += im.shape[0] + gap
        out.append(Stack(image, tuple(bands)))
        start = end
    return out


def _split(words: Sequence[OcrWord], stack: Stack) -> list[list[OcrWord]]:
    out: list[list[OcrWord]] = [[] for _ in stack.bands]
    starts = [b[0] for b in stack.bands]
    for w in words:
        cy = (w.top + w.bottom) / 2
        k = int(np.searchsorted(starts, cy, side="right")) - 1
        if 0 <= k < len(out) and cy < stack.bands[k][1]:
            out[k].append(w)
    return out


def read_stacked(
    engine: OcrEngine, images: Sequence[Gray], dpi: float, mode: ReadMode, deadline: float, margin: int
) -> list[list[OcrWord]] | PipelineError:
    """The words the engine reads on each image, all images read in as few calls as fit."""
    found: list[list[OcrWord]] = []
    for stack in stacks_of(images, margin) if images else []:
        words = engine.read(stack.image, dpi, mode, deadline - time.monotonic())
        if isinstance(words, PipelineError):
            return words
        found.extend(_split(words, stack))
    return found
