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

import cv2
import numpy as np
import numpy.typing as npt

from pipeline.core.model import PipelineError
from pipeline.ocr.engine import OcrEngine, OcrWord, ReadMode
from pipeline.ocr.ink_shapes import loose_bars
from pipeline.ocr.raster import STIPPLE_DOT_PT2, Gray, without_stipple
from pipeline.ocr.scan_grid import ink_of

INSET_PT = 0.8  # inside the cell box, past the blur of the erased rule
PAD_PT = 2.5  # white around a crop's ink
MIN_WIDTH_EM = 1.5  # a lone narrow "1" gets room around it
MIN_INK_PT2 = 0.6  # smaller specks are noise, not a full stop
SPECK_CELL_PT2 = 2.5  # a piece of ink this small, away from the text, is a speck
SEED_SHARE = 0.3  # of the largest piece's area: the text's own pieces (smaller ones join by nearness)
HAZE_MIN_PIECES = 40.0  # per square inch: small pieces enough to be a patch's stipple (without_haze) …
HAZE_MARGIN = 40  # … and lighter at their darkest than the text's darkest by this: haze, not print
CARRY_HEIGHT = 0.3  # of the text's height: a piece joining the text this tall widens its extent
SPECK_MARGIN_EM = 0.15  # … away: above or below the text's larger pieces by more than this, …
SPECK_BESIDE_EM = 1.5  # … or beside them, further than this (a bracket or 、 before a label is nearer) …
SPECK_HIGH_BESIDE_EM = 0.5  # … or this, when it sits wholly above …
SPECK_LOW_LINE = 0.6  # … this share of the text's height (a dot or 、 reaches below it)
MAX_STACK_PX = 30_000  # tesseract refuses images taller than 32767 pixels
STIPPLE_MIN_DOTS = 300.0  # per square inch: a cell this dotted lies in a toner patch (specks: ~10) …
STIPPLE_DOT_SHARE = 0.7  # … and most of its pieces are dots
FAINT_PRINT = 128  # a cell whose darkest ink is lighter than this is printed faint …
PRINT_CONTRAST = 40  # … if that ink is this much darker than its paper (else it is paper's grain)
FAINT_STROKE_PT2 = 2.0  # … and as much as a stroke of print (a speck is less)
RULE_EDGE_PT = 1.5  # what is left of a rule in a crop is no wider than this, …
RULE_EDGE_NEAR_PT = 3.0  # … lies this near a side …
RULE_EDGE_SHARE = 0.8  # … and runs along this share of it (in pieces or not)
WEAK_INK = 30  # gray levels under the paper: a hairline's anti-aliased ink, joining a glyph's pieces …
WEAK_REACH_PT = 1.1  # … within this of the ink on either side (a 5's stem: 5 px long at 200 dpi) …
SPECK_JOINED_EM = 0.5  # … spares a small piece over or under the text, this near it
STACKED = 0.5  # of the narrower piece's width: pieces overlapping this much across are one glyph
VERTICAL_RATIO = 2.5  # ink this many times taller than wide, in several pieces: vertical text

Box = tuple[float, float, float, float]  # points, level page: x0, top, x1, bottom
Ints = npt.NDArray[np.int32]


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


def ink_boxes(region: Gray, min_area: float) -> list[tuple[int, int, int, int]]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink_of(region), connectivity=8)
    return [
        (int(stats[k, 0]), int(stats[k, 1]), int(stats[k, 2]), int(stats[k, 3]))
        for k in range(1, n)
        if stats[k, cv2.CC_STAT_AREA] >= min_area
    ]


def joined_to(region: Gray, ink: Gray, labels: Ints, text: Sequence[int], scale: float) -> set[int]:
    """The pieces of ink (`labels` of `ink`) that fainter ink joins to the pieces `text`: within
    WEAK_INK gray levels of the paper and WEAK_REACH_PT of ink on either side, a hairline between
    two strokes (a light serif 5's stem, above the ink threshold, between its top bar and its
    bowl), not a shadow's or an erased rule's halo."""
    near = cv2.dilate(ink, np.ones((3, 3), np.uint8), iterations=max(1, round(WEAK_REACH_PT * scale))) > 0
    faint = (region < float(np.percentile(region, 90)) - WEAK_INK) & near
    _, joined = cv2.connectedComponents(((ink > 0) | faint).astype(np.uint8), connectivity=8)
    groups = set(np.unique(joined[np.isin(labels, list(text))]))
    return set(np.unique(labels[np.isin(joined, list(groups)) & (labels > 0)]).tolist())


def unspeckled(region: Gray, scale: float) -> Gray:
    """A cell without the specks around its text: small pieces of ink (up to SPECK_CELL_PT2)
    above or below its larger pieces, or on their line but 1.5 em or more away from them (on the
    line and near, a small piece may be a dot, a decimal point, a minus, a bracket or a 、), or
    half an em when the piece sits high and is no dash (a quote mark is next to its text). No such piece
    belongs to the cell's figure or label, whatever the scan; left in, a speck above a number
    makes it look like two lines and wide, so that the number is not read as one. (A piece a
    streak broke off a hairline stroke, above or below the rest, is as small and goes too;
    sparing elongated pieces cost 12 of 1,592 photocopy cells: toner specks clump.) A small
    piece that faint ink joins to the text, over or under it and within half an em, is part of
    it (`joined_to`: the top bar of a light 5 whose stem the threshold lost, else cleared, and
    the rest read 口), and so is one shaped as that bar where no faint ink is left (`loose_bars`)."""
    ink = ink_of(region)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 2:
        return region
    limit = SPECK_CELL_PT2 * scale * scale
    area = stats[:, cv2.CC_STAT_AREA]
    # stipple a copier left clumps larger than a speck: the text is what is large beside the
    # largest glyph-like piece (one that does not span the cell: a blob of stipple can)
    glyphlike = [
        k for k in range(1, n) if stats[k, 3] < region.shape[0] - 1 and stats[k, 2] < region.shape[1] - 1
    ]
    largest = max((int(area[k]) for k in glyphlike), default=0)
    big = [k for k in glyphlike if area[k] > max(limit, SEED_SHARE * largest)]
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
        kept |= near
        # only a piece of some height carries the text on (a stroke of a broken 5, not stipple)
        carry = [k for k in near if stats[k, 3] >= CARRY_HEIGHT * (down - up)]
        grown = bool(carry)
        for k in carry:
            left, right = min(left, int(stats[k, 0])), max(right, int(stats[k, 0] + stats[k, 2]))
    gone = set(range(1, n)) - kept
    reach = SPECK_JOINED_EM * (down - up)
    over = {
        k
        for k in gone
        if left <= stats[k, 0] + stats[k, 2]
        and stats[k, 0] <= right
        and up - reach <= stats[k, 1] + stats[k, 3]
        and stats[k, 1] <= down + reach
    }
    if over:
        ids = np.asarray(labels, np.int32)
        gone -= over & joined_to(region, ink, ids, big, scale)
        gone -= loose_bars(ids, np.asarray(stats, np.int32), over & gone, set(big))
    out = region.copy()
    for k in gone:
        out[labels == k] = 255
    return out


def stretched(region: Gray, scale: float) -> Gray:
    """A cell whose print is faint (its darkest ink lighter than FAINT_PRINT: glare on a photo, a
    light copy) at full contrast: its darkest ink black, its paper white. At its faint gray the
    ink threshold kept only the core of a 0's strokes, which read as 日, 目 or D. A faint speck
    in a blank cell is not made ink: the faint ink must be as much as a stroke of print."""
    darkest, paper = int(region.min()), int(np.percentile(region, 90))
    if not FAINT_PRINT < darkest <= paper - PRINT_CONTRAST:
        return region
    if np.count_nonzero(region < (darkest + paper) / 2) < FAINT_STROKE_PT2 * scale * scale:
        return region
    scaled = (region.astype(np.float32) - darkest) * (255.0 / (paper - darkest))
    return np.clip(scaled, 0, 255).astype(np.uint8)


def without_rule_edges(region: Gray, scale: float) -> Gray:
    """A cell without what is left of a rule along one of its sides: a rule broken, slanted, or
    doubled a few pixels in is not wholly erased, and it read as | or 1 beside the figure ('| 0',
    '10'). Thin pieces of ink in a strip near a side that together run along most of it are no
    print (a 1 is at most two thirds of the height of the tightest row)."""
    ink = ink_of(region)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    thin, near = round(RULE_EDGE_PT * scale), round(RULE_EDGE_NEAR_PT * scale)
    out = region
    for across in (False, True):  # vertical rules (strips of columns), then horizontal ones
        view, stat = (ink.T, (1, 3)) if across else (ink, (0, 2))
        length, size = view.shape  # along the side, across it
        for start in (*range(0, near), *range(max(0, size - near - thin), size - thin + 1)):
            strip = view[:, start : start + thin + 1]
            if np.count_nonzero(strip.any(axis=1)) < RULE_EDGE_SHARE * length:
                continue
            found = np.unique((labels.T if across else labels)[:, start : start + thin + 1])
            found = found[found > 0]
            if found.size and (stats[found, stat[1]] <= thin + 1).all():  # thin pieces only
                out = out.copy() if out is region else out
                out[np.isin(labels, found)] = 255
    return out


def destippled(region: Gray, scale: float) -> Gray:
    """A cell inside a copier's toner patch without its stipple: the patch's gray was thresholded
    into hundreds of dots, some clumped larger than any speck, around the cell's text. Where most
    pieces of ink are dots, and many (STIPPLE_MIN_DOTS per square inch), the dots are taken
    (`raster.without_stipple`; not done to every cell: it thins a clean digit's one-pixel strokes
    away). The page's patches are cleared already where dots are densest; this takes a cell at a
    patch's lighter edge."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink_of(region), connectivity=8)
    dots = int(np.count_nonzero(stats[1:, cv2.CC_STAT_AREA] <= STIPPLE_DOT_PT2 * scale * scale))
    inches = region.size / (72 * scale) ** 2
    if dots < STIPPLE_MIN_DOTS * inches or dots < STIPPLE_DOT_SHARE * (n - 1):
        return region
    return without_stipple(region)


def without_haze(region: Gray, scale: float) -> Gray:
    """A cell with a toner patch's stipple clumped beside its text (more small pieces than
    HAZE_MIN_PIECES per square inch; specks alone are ~10) without those pieces that are lighter
    than its print: a dither's dots, scanned finer than the page is read, average out gray,
    while every piece of print has a core as dark as the text's darkest (clumps left of a patch
    by `destippled` stood beside the figure and it was not read: 888 → 'Y 8s8')."""
    ink = ink_of(region)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = int(np.count_nonzero(stats[1:, cv2.CC_STAT_AREA] <= SPECK_CELL_PT2 * scale * scale))
    if n <= 2 or small < HAZE_MIN_PIECES * region.size / (72 * scale) ** 2:
        return region
    darkest = np.full(n, 255, np.int32)
    np.minimum.at(darkest, np.asarray(labels, np.intp).ravel(), region.ravel().astype(np.int32))
    haze = darkest > int(darkest[1:].min()) + HAZE_MARGIN
    haze[0] = False
    return np.where(haze[labels], 255, region).astype(np.uint8)


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
    """The ink inside a cell, specks around its text painted paper (`unspeckled`), what is left of
    its rules taken off its sides, padded; None when the cell is blank."""
    inset = max(1, round(INSET_PT * scale))
    x0, top = max(0, round(box[0] * scale) + inset), max(0, round(box[1] * scale) + inset)
    x1, bottom = round(box[2] * scale) - inset, round(box[3] * scale) - inset
    region = clean[top : max(top, bottom), x0 : max(x0, x1)]
    if region.size == 0:
        return None
    region = without_haze(without_rule_edges(destippled(stretched(region, scale), scale), scale), scale)
    region = unspeckled(region, scale)
    pieces = ink_boxes(region, MIN_INK_PT2 * scale * scale)
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
    """The pieces of ink tall enough to be a character (not a dot, a comma or a speck), pieces
    stacked one over another taken as one (a 1 a drop-out streak cut in two is one glyph, not
    two specks: '15' was refused as one glyph's width)."""
    columns: list[list[int]] = []
    for x, y, w, h in sorted(crop.pieces):
        last = columns[-1] if columns else None
        if last is not None and min(x + w, last[0] + last[2]) - x >= STACKED * min(w, last[2]):
            right, bottom = max(x + w, last[0] + last[2]), max(y + h, last[1] + last[3])
            last[1] = min(y, last[1])
            last[2], last[3] = right - last[0], bottom - last[1]
        else:
            columns.append([x, y, w, h])
    return [(x, y, w, h) for x, y, w, h in columns if h >= 0.6 * crop.glyph_height]


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
