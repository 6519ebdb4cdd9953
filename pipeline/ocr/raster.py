"""A PDF page → a straightened, cleaned grayscale image for OCR, and the way back to page points.

Rendering goes straight from PDFium into a numpy array (no image files). A copier tilts the
paper by a degree or so, which slants ruling lines across several table rows and hurts
tesseract's line finding, so the image is turned level first; a photographed page whose rules
still converge is freed of its perspective too (perspective.py). Every box found on the level
image is mapped back to the page as stored by `Straighten.to_page`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.core.config import OCR_DPI
from pipeline.core.model import BBox, Straighten
from pipeline.ocr.paper import sheet_mask
from pipeline.ocr.perspective import Unwarp, in_points, keystone, unwarp

Gray = npt.NDArray[np.uint8]

MAX_SKEW = 5.0  # degrees searched either way; a page tilted further is not a copier's tilt
SKEW_SAMPLE = 200_000  # ink pixels enough to find the tilt to ~0.02 degrees
BACKGROUND_KERNEL_PT = 5.0  # wider than any stroke, narrower than a shaded table row
# seal ink: OpenCV hues (0-180) of red and blue, saturated enough to be no black or grey ink
SEAL_HUES = ((0, 12), (160, 180), (95, 135))
SEAL_SATURATION = 90  # of 255
SEAL_MIN_VALUE = 60  # darker than this is black ink, whatever its hue
SEAL_FRINGE_SATURATION = 8  # the seal's pale edge, within SEAL_FRINGE_PX of its saturated ink
SEAL_FRINGE_PX = 3
SEAL_EDGE_PX = 4  # around the masked ink, where a seal's pale ink is seen through (through_seal)
SEAL_MIN_PIXELS = 200  # fewer coloured pixels than this are noise, not a seal
SEAL_MERGE_PT = 6.0  # strokes of one seal lie closer than this
SEAL_MIN_PT = 10.0  # a seal is at least this wide and tall …
SEAL_MAX_PT = 200.0  # … and at most this (70 mm; official seals: 42-60 mm), not a reddish desk
SIDEWAYS_MIN_INK = 2000  # fewer ink pixels (at half size) than this tell nothing
SIDEWAYS_GAPS = 0.05  # of the text's columns empty, and twice its rows: the lines run up the page
LINE_GAP_PT = 30.0  # wider gaps lie between blocks of text (lines and paragraphs leave 4-29 pt)
LOW_DPI = 180.0  # scanned below this, print is read with a third look at its digits
SPECK_INK = 160  # darker than this is ink, on the flattened image
# measured at 200 dpi (a page is 3.9 Mpx): the corpus scans hold 11-1100 lone ink pixels a page, phone
# photos and 150 dpi JPEGs up to 2900 (thin gray digits break into them), photocopies 1 600-12 000
# (a bilevel scan, CCITT or JBIG2, is cleaned whatever its count)
SPECKLED_PER_MPX = 1500.0
SPECK_TRACE = 230  # a speck's gray halo (what is left of a speck resampled) is part of it
SPECK_PT2 = 1.0  # a speck with its gray halo at most (a copied decimal point is larger)
STIPPLE_DOT_PT2 = 1.0  # a piece of ink this small is a dot of a toner patch's stipple (or a speck)
STIPPLE_WINDOW_PT = 10.0
# a patch's core: dots run together into a gray haze, DENSE_HAZE_SHARE of a window's pixels neither
# ink nor paper (print has gray only at its strokes' edges: a third at most on the pages looked at) …
DENSE_HAZE_SHARE = 0.45
HAZE_PAPER = 200
DENSE_HAZE_INK = 80  # … where ink is what is this dark after the median (strokes 0-20, haze 86-200) …
HAZE_MARGIN = 50  # … or this much darker than the haze around it
HAZE_RULE_PT = 40.0  # a rule's run through the haze (a shaded row's stippled fill runs 20 pt)
STIPPLE_SHARE = 0.05  # of a window's pixels in dots: a toner patch (0.08-0.16; print and specks: up to 0.04)


@dataclass(frozen=True)
class Raster:
    """The level, cleaned page image; `scale` pixels per point."""

    pixels: Gray
    scale: float
    straighten: Straighten
    seals: tuple[BBox, ...] = ()  # where coloured ink (a seal, a stamp) was masked, in points
    speckled: bool = False  # bilevel, or strewn with specks: cleaned (its rules are likely broken too)
    low_resolution: bool = False  # scanned below LOW_DPI: its print is soft, its digits run together
    sideways: bool = False  # its lines of text run up or down the image: it likely stands a quarter turn off

    def to_points(self, x0: float, top: float, x1: float, bottom: float) -> BBox:
        """A pixel box on the level image → points on the level page (the layout frame)."""
        s = self.scale
        return BBox(x0 / s, top / s, x1 / s, bottom / s)


def render_gray(page: pdfium.PdfPage, dpi: float, turn: int = 0) -> Gray:
    """The page as displayed (its /Rotate applied), turned `turn` degrees clockwise more, in
    gray, with coloured ink masked (`render_masked`)."""
    return render_masked(page, dpi, turn)[0]


def render_masked(page: pdfium.PdfPage, dpi: float, turn: int = 0) -> tuple[Gray, tuple[BBox, ...]]:
    """The page in gray with its red and blue ink (seals, stamps, signatures) taken out (print
    under it kept: `through_seal`), and the places of its seals (`seals_of`). Rendered in colour:
    a red seal rendered gray reads as black ink, merges with the rules it crosses and turns 64
    into 604."""
    bitmap = page.render(scale=dpi / 72, rotation=turn, may_draw_forms=True)
    try:
        bgr = np.ascontiguousarray(bitmap.to_numpy()[:, :, :3], dtype=np.uint8)
    finally:
        bitmap.close()
    gray: Gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)  # type: ignore[assignment]
    mask, seals = seals_of(seal_ink(bgr), dpi / 72)
    if mask.any():
        gray = through_seal(gray, bgr, mask > 0)
    return np.ascontiguousarray(gray, dtype=np.uint8), seals


def through_seal(gray: Gray, bgr: npt.NDArray[np.uint8], seal: npt.NDArray[np.bool_]) -> Gray:
    """The print under a seal, as a colour filter of the seal's colour sees it: a red seal is
    (nearly) white in the red channel and black print stays black there (the dropout colour of
    a form scanner); a blue seal in the blue channel. The channel is brought to the paper's tone
    (a seal's ink dims its own channel a little), so that no ghost of the seal is left."""
    out = gray.copy()
    hue = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)[:, :, 0]
    blue = (hue >= SEAL_HUES[2][0]) & (hue <= SEAL_HUES[2][1])
    channel = np.where(blue, bgr[:, :, 0], bgr[:, :, 2])  # OpenCV's order: blue, green, red
    light = seal & (channel > 128)
    paper = float(np.median(gray[::8, ::8]))
    gain = paper / max(1.0, float(np.median(channel[light]))) if light.any() else 1.0
    out[seal] = np.clip(channel[seal].astype(np.float32) * gain, 0, 255).astype(np.uint8)
    # around the masked ink, the seal's pale ink (pressed lightly, its colour thinned by the scan):
    # too little colour to be masked on its own, gray enough to read as strokes beside a figure;
    # the lighter of the red and blue channels sees through it, and black print stays black
    near = cv2.dilate(seal.astype(np.uint8), np.ones((3, 3), np.uint8), iterations=SEAL_EDGE_PX) > 0
    near &= ~seal
    lightest = np.maximum(bgr[:, :, 0], bgr[:, :, 2]).astype(np.float32) * gain
    out[near] = np.maximum(out[near], np.clip(lightest[near], 0, 255).astype(np.uint8))
    return out


def seal_ink(bgr: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """Pixels of saturated red or blue ink (a black stroke over a seal stays: it is dark and grey;
    the mask is not widened, so that print beside the seal keeps its every pixel), and the pale
    fringe of that ink (its anti-aliased edge, lighter and less saturated: a gray ghost of the
    seal's ring otherwise), where it touches the saturated ink."""
    if _chroma_pixels(bgr, SEAL_SATURATION * SEAL_MIN_VALUE // 255) < SEAL_MIN_PIXELS:
        return np.zeros(bgr.shape[:2], np.uint8)  # a gray page (most scans): no ink is coloured enough
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    hue, saturation, value = hsv[:, :, 0], hsv[:, :, 1], hsv[:, :, 2]
    hues = np.zeros(hue.shape, bool)
    for low, high in SEAL_HUES:
        hues |= (hue >= low) & (hue <= high)
    tinted = hues & (value >= SEAL_MIN_VALUE)
    mask = (tinted & (saturation >= SEAL_SATURATION)).astype(np.uint8) * 255
    if cv2.countNonZero(mask) < SEAL_MIN_PIXELS:
        return np.zeros_like(mask)
    near = cv2.dilate(mask, np.ones((3, 3), np.uint8), iterations=SEAL_FRINGE_PX) > 0
    fringe = tinted & (saturation >= SEAL_FRINGE_SATURATION) & near
    return np.where(fringe, 255, mask).astype(np.uint8)


def _chroma_pixels(bgr: npt.NDArray[np.uint8], least: int) -> int:
    """How many pixels have a chroma (max - min of the channels) of `least` or more: saturation
    S and value V make a chroma of S * V / 255, so no pixel under this bound passes the seal test
    (a cheap first look: the HSV conversion costs 5x as much)."""
    blue, green, red = cv2.split(bgr)
    chroma = cv2.subtract(cv2.max(cv2.max(blue, green), red), cv2.min(cv2.min(blue, green), red))
    return int(cv2.countNonZero(cv2.threshold(chroma, least - 1, 255, cv2.THRESH_BINARY)[1]))


def seals_of(mask: npt.NDArray[np.uint8], scale: float) -> tuple[npt.NDArray[np.uint8], tuple[BBox, ...]]:
    """The seal ink but for a desk, and the places of the seals in points, one box per seal
    (strokes within SEAL_MERGE_PT merged, marks inside a seal's ring part of it). A reddish-brown
    desk around a photographed sheet is coloured like a red seal, and whitened with it the sheet's
    edge was lost, and with it the page's tilt (2.3° read 0.02°): a desk reaches the image's
    edges, a seal, a stamp, a red header do not. No box is larger than a seal (a red header line
    is masked, but no seal)."""
    if not mask.any():
        return mask, ()
    k = max(3, int(SEAL_MERGE_PT * scale) | 1)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(
        cv2.dilate(mask, np.ones((k, k), np.uint8)), connectivity=8
    )
    height, width = mask.shape
    pieces = {i: tuple(int(v) for v in stats[i, :4]) for i in range(1, n)}
    inner = {
        i: (x, y, w, h)
        for i, (x, y, w, h) in pieces.items()
        if x > 0 and y > 0 and x + w < width and y + h < height
    }
    kept = np.where(np.isin(labels, list(inner)) & (mask > 0), 255, 0).astype(np.uint8)
    boxes = [
        BBox(x / scale, y / scale, (x + w) / scale, (y + h) / scale)
        for x, y, w, h in inner.values()
        if SEAL_MIN_PT * scale <= min(w, h) and max(w, h) <= SEAL_MAX_PT * scale
    ]
    inside = [
        b
        for b in boxes
        if any(
            o is not b and o.contains_point(b.x0, b.top) and o.contains_point(b.x1, b.bottom) for o in boxes
        )
    ]
    return kept, tuple(b for b in boxes if b not in inside)


def estimate_skew(gray: Gray) -> float:
    """How far the page content is turned, in degrees counter-clockwise; 0 for a blank page.

    Rows of ink project into sharp peaks when the page is level: the angle that maximises the
    sum of squared row counts of the ink pixels is the tilt (coarse search, then fine).
    """
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    if len(ys) < 100 or len(ys) > 0.5 * ink.size:
        return 0.0  # blank, or a photograph: nothing to level by
    if len(ys) > SKEW_SAMPLE:
        pick = np.random.default_rng(0).choice(len(ys), SKEW_SAMPLE, replace=False)
        ys, xs = ys[pick], xs[pick]
    yf, xf = ys.astype(np.float64), xs.astype(np.float64)

    def sharpness(degrees: float) -> float:
        a = math.radians(degrees)
        rows = np.round(yf * math.cos(a) - xf * math.sin(a)).astype(np.int64)
        counts = np.bincount(rows - rows.min()).astype(np.float64)
        return float(np.dot(counts, counts))

    best = 0.0
    # coarse to fine; each window is wider than the step before it, as the peak is not smooth
    for half, step in ((MAX_SKEW, 0.2), (0.3, 0.02), (0.03, 0.005)):
        best = max(np.arange(best - half, best + half + 1e-9, step), key=sharpness)
    return -float(round(best, 3))


def level(gray: Gray, skew: float) -> Gray:
    """Turn the image back by `skew` degrees so its lines run level; white fills the corners."""
    if abs(skew) < 0.02:
        return gray
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -skew, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)  # type: ignore[return-value]


def flatten_background(gray: Gray, scale: float) -> Gray:
    """Divide by the local paper tone: uneven lighting and shaded table rows become white.

    The tone is the brightest value around each pixel over a window wider than a stroke; text
    and rules keep their contrast against it while grey fills and copier shading vanish.
    """
    k = max(3, int(BACKGROUND_KERNEL_PT * scale) | 1)
    paper = cv2.dilate(gray, np.ones((k, k), np.uint8))
    paper = cv2.blur(paper, (2 * k + 1, 2 * k + 1))  # smooth steps (a median: 3x the time, same result)
    return cv2.divide(gray, paper, scale=255)  # type: ignore[return-value]


def runs_sideways(gray: Gray, scale: float) -> bool:
    """Whether the page's text runs up or down the image rather than across it: between lines of
    text lie empty rows of pixels, between the characters of a line hardly an empty column
    (measured on the corpus scans: 8-39% of the text's rows empty, 0-4% of its columns; turned a
    quarter, the other way round). Gaps wider than a line's spacing lie between blocks, not lines,
    and are not counted (a last page, three lines at its top and the office and date at its
    foot, stored turned: 52% of rows and 57% of columns empty, mostly the gap between the two)."""
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    if len(ys) < SIDEWAYS_MIN_INK:
        return False
    y0, y1 = (int(v) for v in np.percentile(ys, [2, 98]))
    x0, x1 = (int(v) for v in np.percentile(xs, [2, 98]))
    text = ink[y0 : y1 + 1, x0 : x1 + 1]
    widest = round(LINE_GAP_PT * scale / 2)
    rows = _gap_share(text.sum(axis=1) <= 0.002 * text.shape[1], widest)
    columns = _gap_share(text.sum(axis=0) <= 0.002 * text.shape[0], widest)
    return columns >= SIDEWAYS_GAPS and columns > 2 * rows


def _gap_share(empty: npt.NDArray[np.bool_], widest: int) -> float:
    """The share of empty positions, among all but those in runs of more than `widest` empty."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], empty.astype(np.int8), [0]))))
    runs = edges[1::2] - edges[::2]  # lengths of the runs of empty positions
    narrow = int(runs[runs <= widest].sum())
    counted = len(empty) - int(runs[runs > widest].sum())
    return narrow / counted if counted > 0 else 0.0


@dataclass(frozen=True)
class ScanImage:
    """The page's largest image: what it was scanned at."""

    dpi: float  # pixels per inch as it lies on the page
    bilevel: bool  # one bit a pixel (CCITT, JBIG2): every speck is full ink, every stroke thresholded


def scanned_image(page: pdfium.PdfPage) -> ScanImage | None:
    """The page's largest image, as scanned; None for a page with no image."""
    best: tuple[float, ScanImage] | None = None
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        width, height = obj.get_px_size()
        area = (right - left) * (top - bottom)
        if area > 0 and (best is None or area > best[0]):
            inches = min(right - left, top - bottom) / 72
            dpi = min(width, height) / inches if inches > 0 else 0.0
            best = (area, ScanImage(dpi, obj.get_metadata().bits_per_pixel == 1))
    return best[1] if best else None


def speckled(gray: Gray) -> bool:
    """Whether the page is strewn with toner specks (a copy of a copy, a bilevel scan): ink
    pixels with next to no ink around them, far more than a clean scan's few hundred."""
    _, ink = cv2.threshold(gray, SPECK_INK, 1, cv2.THRESH_BINARY_INV)
    around = cv2.boxFilter(ink, cv2.CV_8U, (5, 5), normalize=False)
    lone = int(np.count_nonzero(np.logical_and(ink > 0, around <= 3)))
    return lone >= SPECKLED_PER_MPX * gray.size / 1e6


def despeckle(gray: Gray, scale: float) -> Gray:
    """Specks painted paper: pieces of ink smaller than any printed mark (a decimal point, the
    dot of 。), standing alone. Read as characters they turn 申 into 中 and hide a heading's 一、."""
    _, ink = cv2.threshold(gray, SPECK_TRACE, 255, cv2.THRESH_BINARY_INV)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] <= SPECK_PT2 * scale * scale
    small[0] = False
    out = gray.copy()
    out[small[labels]] = 255
    return out


def without_stipple(gray: Gray) -> Gray:
    """A 3-px median takes a toner patch's dots and keeps strokes two pixels wide or more; what it
    leaves lighter than SPECK_INK is the dots' haze, painted paper."""
    smooth = cv2.medianBlur(gray, 3)
    return np.where(smooth < SPECK_INK, smooth, 255).astype(np.uint8)


def without_toner_patches(gray: Gray, scale: float) -> Gray:
    """A copy's toner patches without their stipple (`without_stipple`): a patch's gray,
    thresholded by the copier, is a field of dots that ran together into false rules (joining 表三
    to 表四 across a patch between them) and buried the cells' digits. A patch is where dots are
    dense (STIPPLE_SHARE of a STIPPLE_WINDOW_PT window; its core, where the dots run together, is
    inside that ring). Where they ran together into a gray haze (a core, ring or none), which the
    median leaves as dark as a thin stroke and in which the cells' 0s were lost, ink is only what
    is well darker than the haze around it (by HAZE_MARGIN; DENSE_HAZE_INK at least) and the runs
    of a rule (HAZE_RULE_PT unbroken: the haze has none)."""
    ink = (gray < SPECK_INK).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    dots = stats[:, cv2.CC_STAT_AREA] <= STIPPLE_DOT_PT2 * scale * scale
    dots[0] = False
    k = max(3, round(STIPPLE_WINDOW_PT * scale))
    share = cv2.boxFilter(dots[labels].astype(np.float32), -1, (k, k))
    patch = (share >= STIPPLE_SHARE).astype(np.uint8)
    haze = (gray > DENSE_HAZE_INK) & (gray < HAZE_PAPER)
    core = cv2.boxFilter(haze.astype(np.float32), -1, (k, k)) >= DENSE_HAZE_SHARE
    core = cv2.dilate(core.astype(np.uint8), np.ones((k, k), np.uint8)) > 0  # with its lighter fringe
    if not patch.any() and not core.any():
        return gray
    outline, _ = cv2.findContours(patch, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    cv2.drawContours(patch, outline, -1, 1, thickness=cv2.FILLED)  # the core inside its ring
    smooth = cv2.medianBlur(gray, 3)
    level = cv2.blur(smooth, (k, k)).astype(np.int16) - HAZE_MARGIN
    limit = np.where(core, np.clip(level, DENSE_HAZE_INK, SPECK_INK), SPECK_INK)
    dark = (smooth < SPECK_INK).astype(np.uint8)
    runs = round(HAZE_RULE_PT * scale)
    across = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((1, runs), np.uint8)) > 0
    down = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((runs, 1), np.uint8)) > 0
    kept = np.where((smooth < limit) | across | down, smooth, 255)
    return np.where((patch > 0) | core, kept, gray).astype(np.uint8)


def text_image(raster: Raster) -> Gray:
    """The page image its running text is read from. A speckled copy's strokes were thresholded
    ragged, with pinholes and stray dots along them: smoothed by a 3-px median (on photocopies,
    headings read right 51 -> 59 of 75). Not for table cells: the median erases a thin digit's
    one-pixel strokes (cells 1,431 -> 1,384 of 1,592); their specks are cleared cell by cell."""
    return cv2.medianBlur(raster.pixels, 3) if raster.speckled else raster.pixels  # type: ignore[return-value]


def page_to_raster(page: pdfium.PdfPage, dpi: float = OCR_DPI, turn: int = 0) -> Raster:
    """The page image, turned `turn` degrees clockwise (0, 90, 180, 270), seals masked, level and
    cleaned."""
    scale = dpi / 72
    gray, seals = render_masked(page, dpi, turn)
    sheet = sheet_mask(gray)
    # a photographed sheet's tilt is sought on the image flattened: its desk outweighs its text
    # (on a plain scan flattening thins sparse print: a page of two lines read 0.54° for 0.75°)
    skew = estimate_skew(gray if sheet is None else flatten_background(gray, scale))
    straight = flatten_background(level(gray, skew), scale)
    scan = scanned_image(page)
    # a bilevel scan is cleaned whatever its count of specks: thresholding left them full ink
    specks = (scan is not None and scan.bilevel) or speckled(straight)
    if specks:
        straight = despeckle(without_toner_patches(straight, scale), scale)
    width, height = page.get_size()
    if turn in (90, 270):
        width, height = height, width
    frame = Straighten(skew, width / 2, height / 2)
    warp = keystone(straight, scale)  # a photographed page: its rules converge
    if warp is not None:
        straight = unwarp(straight, warp)
        back = np.asarray(np.linalg.inv(warp), dtype=np.float64)
        frame = Unwarp(skew, width / 2, height / 2, in_points(back, scale))
    if sheet is not None:  # a photo's desk, levelled and unwarped as the sheet was, painted paper
        sheet = level(sheet, skew)
        if warp is not None:
            sheet = unwarp(sheet, warp)
        straight = np.where(sheet > 127, straight, 255).astype(np.uint8)
    low = scan is not None and scan.dpi < LOW_DPI
    return Raster(straight, scale, frame, seals, specks, low, runs_sideways(gray, scale))
