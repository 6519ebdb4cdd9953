"""The shape of a cell's digits, measured where tesseract's models misread them: a 0 known by its
ring ("10" read for a wide 0, 6 or 9 for one a copier broke open), and ink that is digits (tall
narrow pieces) rather than Chinese (wide or square ones). Decides which readings are tried and
which wins a vote (cell_readings.py); never the value by itself."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from pipeline.ocr.ink_shapes import bowl_of_a_five, widest_row
from pipeline.ocr.raster import Gray
from pipeline.ocr.scan_cells import Crop, glyph_pieces, ink_boxes
from pipeline.ocr.scan_grid import ink_of


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
RING_MAX_OFF_SHARE = 0.09  # … and a ring has little (0s: 0-0.03, copied 0s up to 0.08; 6, 9: 0.13-0.17)
RING_SECTORS = 24
RING_MIN_SECTORS = 20  # a ring goes all round, or nearly (a copied 0: 20; 7 and 1: 11-18 of 24)


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
    pieces = sorted(ink_boxes(crop.pixels, 4))
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


def is_slash(crop: Crop) -> bool:
    """Ink that is one straight stroke leaning right: a '/' (not applicable), which the digit
    model reads 7, 1 or 4. Its ink lies on one line (off it by SLASH_MAX_OFF of its height: 1, 4
    and 7 of the corpus fonts 0.06-0.18, '/' 0.02) that leans SLASH_MIN_LEAN or more; a copier's
    break in the stroke leaves it on that line; specks beside it are no part of it."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink_of(crop.pixels), connectivity=8)
    if n < 2:
        return False
    tallest = int(stats[1:, cv2.CC_STAT_HEIGHT].max())
    strokes = [k for k in range(1, n) if stats[k, cv2.CC_STAT_HEIGHT] >= 0.2 * tallest]  # no specks
    ys, xs = np.nonzero(np.isin(labels, strokes))
    height = int(ys.max() - ys.min()) + 1
    if height < 0.6 * crop.glyph_height or height < 8:
        return False
    lean, offset = np.polyfit(ys, xs, 1)  # x along y: a '/' goes left as it goes down
    off = float(np.sqrt(np.mean((xs - (lean * ys + offset)) ** 2)))
    return bool(lean <= -SLASH_MIN_LEAN and off <= SLASH_MAX_OFF * height)


SLASH_MIN_LEAN = 0.3  # across per down: the corpus fonts' / 0.47; an italic 1 leans 0.2 at most
SLASH_MAX_OFF = 0.05


def fives_under_their_bars(crop: Crop, number: str) -> str:
    """`number` with each digit whose ink is a 5's taken for a 5: a flat bar on top, clear of the
    rest of its glyph. A copier drops the hairline between a light 5's top bar and its bowl; what
    is left is a bowl under a loose bar, and the digit model reads 3, 2, 9 or 0 (53 read 33, 5225
    read 3225, a lone 5 read D). A 3's top is an arc joined to its body, or, a streak across it,
    cut off by a pixel or two; 1, 4 and 7 are read by shapes of their own. Digits are matched to
    glyphs one to one, or the number is left as read."""
    if not any(ch in LOOSE_BAR_READINGS for ch in number if ch.isdigit()):
        return number
    chars = list(number)
    for i, glyph, _after in _digits_on_glyphs(crop, number):
        if chars[i] in LOOSE_BAR_READINGS and _bar_over_body(crop, glyph):
            chars[i] = "5"
    return "".join(chars)


def _digits_on_glyphs(crop: Crop, number: str) -> list[tuple[int, tuple[int, int, int, int], int]]:
    """Each digit of `number` (its index) on its glyph, with where the glyph before it ends (0 for
    the first); none when digits and glyphs do not pair one to one."""
    digits = [i for i, ch in enumerate(number) if ch.isdigit()]
    glyphs = glyph_pieces(crop)
    if len(glyphs) != len(digits):
        return []
    ends = [0] + [x + w for x, _y, w, _h in glyphs[:-1]]
    return list(zip(digits, glyphs, ends, strict=True))


def lone_five(crop: Crop, signed: bool = False) -> bool:
    """Ink that is one glyph (after a sign, if `signed`), a 5 under its loose bar: what a reading
    of no number ('口', '', '+D') was of in a column of figures."""
    lone = _lone_glyph(crop, signed)
    return lone is not None and _bar_over_body(crop, lone[0])


def _lone_glyph(crop: Crop, signed: bool) -> tuple[tuple[int, int, int, int], int] | None:
    """The one glyph of the crop (a '+' before it set aside, if `signed`: a '-' is no glyph's
    height), and where the ink before it ends."""
    glyphs = glyph_pieces(crop)
    if signed and len(glyphs) == 2:
        return glyphs[1], glyphs[0][0] + glyphs[0][2]
    return (glyphs[0], 0) if len(glyphs) == 1 else None


LOOSE_BAR_READINGS = "02369"  # what a 5 with its bar cut loose was read as
FIVE_BAR_HEIGHT = 0.2  # of the glyph's height: a 5's top bar is a stroke, a 3's arc a third of it
FIVE_BAR_WIDTH = 0.4  # of its glyph's width: the bar runs over much of the bowl (its ends may be lost)
FIVE_STEM_GAP = 0.15  # of the glyph's height: the lost stem leaves this bare (seen 0.18-0.32; a 3
# cut across by a streak: a pixel or two)


def _bar_over_body(crop: Crop, glyph: tuple[int, int, int, int]) -> bool:
    """Pieces wholly above the glyph's tallest (the bar, whole or broken in pieces) on its top,
    flat and wide, and the stem's place under them bare."""
    x, y, w, h = glyph
    parts = [
        p for p in crop.pieces if p[0] >= x and p[0] + p[2] <= x + w and p[1] >= y and p[1] + p[3] <= y + h
    ]
    body = max(parts, key=lambda p: p[3], default=None)
    if body is None:
        return False
    bar = [p for p in parts if p[1] + p[3] <= body[1]]
    rest = [p for p in parts if p not in bar]
    if not bar:
        return False
    top, bottom = min(p[1] for p in bar), max(p[1] + p[3] for p in bar)
    width = max(p[0] + p[2] for p in bar) - min(p[0] for p in bar)
    return (
        top == y
        and bottom - top <= FIVE_BAR_HEIGHT * h
        and width >= FIVE_BAR_WIDTH * w
        and all(p[1] >= bottom + FIVE_STEM_GAP * h for p in rest)  # the stem's place bare below it
        and body[3] >= 0.5 * h  # a body half the glyph or more, not a speck under a bar
        and bowl_of_a_five(_glyph_ink(crop, body))  # a 5's bowl, not a 0, 6 or 8 under a speck
    )


def ones_read_as_fours(crop: Crop, number: str) -> str:
    """`number` with each 4 whose glyph has no crossbar taken for a 1. A copier thickens a serif
    1's flag and foot and the digit model reads 4 (11 read 44, 1545 read 4545); a 4's crossbar
    spans its width in the lower middle of every font here (1.0 of it; a 1's stem there 0.56 at
    most). Digits are matched to glyphs one to one, or the number is left as read."""
    if "4" not in number:
        return number
    chars = list(number)
    for i, glyph, after in _digits_on_glyphs(crop, number):
        if chars[i] == "4" and not _has_crossbar(crop, glyph, after):
            chars[i] = "1"
    return "".join(chars)


def lone_one(crop: Crop, signed: bool = False) -> bool:
    """Ink that is one glyph (after a sign, if `signed`) shaped as a 1: narrow, a stem down all of
    it, no bar across its top (a 7) nor a crossbar (a 4). The Chinese model reads a serif 1 as 工
    or 上 (its flag and foot for their strokes)."""
    lone = _lone_glyph(crop, signed)
    if lone is None:
        return False
    glyph, after = lone
    w, h = glyph[2], glyph[3]
    if w > ONE_MAX_WIDTH * h or _has_crossbar(crop, glyph, after):
        return False
    ink = _glyph_ink(crop, glyph)
    if widest_row(ink[: max(1, round(ONE_TOP * h))]) >= CROSSBAR_SPAN * w:
        return False  # a bar across its top: a 7
    return bool((ink.sum(axis=0) >= ONE_STEM * h).any())


ONE_MAX_WIDTH = 0.75  # of its height: a 1 with its flag and foot (the fonts here: 0.27-0.71; a 工 is 1.0)
ONE_STEM = 0.85  # of its height: a column of ink down this much of the glyph is a stem
ONE_TOP = 0.12  # of its height: a 1's top is its stem's tip and flag, a 7's a bar across it
CROSSBAR_BAND = (0.45, 0.78)  # of a glyph's height, from its top: where a 4's crossbar lies
CROSSBAR_SPAN = 0.7  # of its width: a row of ink this wide there is a crossbar


def _has_crossbar(crop: Crop, glyph: tuple[int, int, int, int], after: int) -> bool:
    """A row of ink across the glyph's lower middle as wide as most of it, the ink beside it on
    its left (from `after` on) counted in: a 4 whose diagonal a copier lost keeps its crossbar's
    end apart from its stem, too small for a glyph of its own."""
    x, y, w, h = glyph
    ink = _glyph_ink(crop, (after, y, x + w - after, h))
    return widest_row(ink[round(CROSSBAR_BAND[0] * h) : round(CROSSBAR_BAND[1] * h) + 1]) >= CROSSBAR_SPAN * w


def _glyph_ink(crop: Crop, glyph: tuple[int, int, int, int]) -> npt.NDArray[np.bool_]:
    x, y, w, h = glyph
    pad = (crop.pixels.shape[0] - crop.height) // 2  # the crop's ink lies `pad` in from its sides
    return ink_of(crop.pixels[pad + y : pad + y + h, pad + x : pad + x + w]) > 0


def leading_minus(crop: Crop) -> bool:
    """Ink that begins with a minus: a flat bar at the digits' mid-height, just before them.
    Tesseract reads past a thin dash (-2 read 2 at 150 dpi, on a phone photo, on a copy)."""
    pieces = sorted(ink_boxes(crop.pixels, 4))
    if len(pieces) < 2:
        return False
    tall = max(p[3] for p in pieces)
    top = min(p[1] for p in pieces if p[3] == tall)
    (x, _y, w, h), after = pieces[0], pieces[1]
    return (
        h <= MINUS_HEIGHT * tall
        and _is_sign(pieces[0], top, tall, ink_of(crop.pixels))
        and x + w <= after[0] <= x + w + SIGN_GAP * tall
        and after[3] >= 0.6 * tall  # a digit follows, not another mark
    )


MINUS_HEIGHT = 0.25  # of the digits' height: a minus is a bar, not a blob
SIGN_GAP = 0.6  # of the digits' height: a sign stands this close to the first digit at most


def _is_sign(piece: tuple[int, int, int, int], top: int, tall: int, ink: Gray) -> bool:
    """A minus (a short flat bar) or a plus (a cross lower than a digit, whose top row is only
    its upright — unlike 工 or 十's wide bars), both at the digits' mid-height."""
    x, y, w, h = piece
    if not 0.3 * tall <= y - top + h / 2 <= 0.7 * tall:
        return False
    if h <= MINUS_HEIGHT * tall:
        return 0.2 * tall <= w <= 0.9 * tall  # minus
    upright_only = int(np.count_nonzero(ink[y, x : x + w])) <= 0.4 * w
    return 0.35 * tall <= h <= 0.8 * tall and 0.7 * h <= w <= 1.3 * h and upright_only
