"""Reading a PDF's text layer and ruling lines with PDFium (pypdfium2).

PDFium reads a page's characters, boxes and path objects in a few milliseconds, where
pdfminer (under pdfplumber) needs ~100 ms just to interpret the page; the table lattice itself
is pdfplumber's (see layout/grid.py). Everything here returns plain values; nothing is kept open.
"""

from __future__ import annotations

import ctypes
import math
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.core.model import BBox, PipelineError
from pipeline.extract.objects import object_bounds, object_matrix, page_objects
from pipeline.knowledge.load import knowledge
from pipeline.layout.grid import Segment
from pipeline.layout.lines import Glyph

STRAIGHT = 0.8  # points of slant still counted as a horizontal or vertical rule
MAX_RULE_THICKNESS = 3.0  # a filled rectangle thinner than this is a rule, not a shaded cell
WHITE = 250  # a paint with every channel at or above this is invisible on paper
TURNED_SHARE = 0.6  # of a page's characters drawn at one quarter turn: the page is set that way
MIN_TURNED_CHARS = 20
PATHS = frozenset({pdfium_c.FPDF_PAGEOBJ_PATH})
IMAGES_AND_PATHS = frozenset({pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH})
TURN_SAMPLE = 64  # characters whose angle is asked (evenly spaced): enough to tell a page's turn


@dataclass(frozen=True)
class TextLayerStats:
    """Cheap measurements of a page's text layer, for the text-or-OCR decision."""

    chars: int  # visible characters
    bad_chars: int  # unmapped, replacement, control or private-use characters
    cjk: int
    letters: int  # CJK + Latin letters + digits
    image_area: float  # share of the page covered by image objects (0..1)
    map_errors: int = 0  # characters whose font gives PDFium no Unicode for them
    drawing: int = 0  # segments of the page's vector paths (text drawn as outlines has thousands)
    turn: int = 0  # degrees the page must be turned clockwise for most of its text to read upright
    wide_latin: int = 0  # Latin characters drawn one em wide: Han glyphs read through a wrong map


def open_document(path: str, password: str | None = None) -> pdfium.PdfDocument | PipelineError:
    try:
        return pdfium.PdfDocument(path, password=password)
    except pdfium.PdfiumError as exc:
        text = str(exc)
        if "password" in text.lower():
            hint = "a wrong password was given" if password else "it needs a password (use --password)"
            return PipelineError("open", "encrypted_pdf", f"the PDF is encrypted and {hint}")
        return PipelineError("open", "corrupt_pdf", f"the PDF is damaged or unreadable ({text})")


def page_glyphs(page: pdfium.PdfPage) -> tuple[list[Glyph], TextLayerStats]:
    """Characters with top-left-origin boxes; generated spaces and line breaks are dropped."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        n = pdfium_c.FPDFText_CountChars(raw)
        rect = pdfium_c.FS_RECTF()
        glyphs: list[Glyph] = []
        indexes: list[int] = []  # each glyph's character index, for a second look at its box
        sizes: list[float] = []  # each glyph's font size (before its text matrix)
        bad = cjk = letters = map_errors = wide_latin = 0
        radicals = knowledge().radicals
        for i in range(n):
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            ch = chr(code) if 0 < code < 0x110000 else "\ufffd"
            if ch in " \r\n" and is_made_up(raw, i, ch):
                continue
            ch = radicals.get(ch, ch)  # ⺠ for 民, ⼀ for 一: what some producers write
            map_errors += pdfium_c.FPDFText_HasUnicodeMapError(raw, i) > 0
            if "\u4e00" <= ch <= "\u9fff":
                cjk += 1
                letters += 1
            elif ch != " " and _is_bad(ch):
                bad += 1
            elif ch.isalnum():
                letters += 1
            pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect)
            box = BBox(rect.left, height - rect.top, rect.right, height - rect.bottom)
            size = pdfium_c.FPDFText_GetFontSize(raw, i)
            if is_latin(ch) and box.x1 - box.x0 >= WIDE_EMS * size > 0:
                wide_latin += 1
            glyphs.append(Glyph(ch, box, max(box.height, 1.0)))
            indexes.append(i)
            sizes.append(size)
        turn = _turn(raw, [i for g, i in zip(glyphs, indexes, strict=True) if not g.text.isspace()])
        glyphs = _second_look(glyphs, indexes, sizes, textpage, height, upright=turn == 0)
    finally:
        textpage.close()
    visible = sum(1 for g in glyphs if not g.text.isspace())
    images, drawing = page_marks(page)
    stats = TextLayerStats(visible, bad, cjk, letters, images, map_errors, drawing, turn, wide_latin)
    return glyphs, stats


def is_made_up(raw: pdfium_c.FPDF_TEXTPAGE, index: int, ch: str) -> bool:
    """A line break or a space PDFium put between words, not a drawn character: a CR or LF is a
    drawn glyph only as the raw code of a font with no map for it (ghostscript's re-encoded subsets)."""
    if ch == " ":
        return bool(pdfium_c.FPDFText_IsGenerated(raw, index))
    return ch in "\r\n" and not pdfium_c.FPDFText_HasUnicodeMapError(raw, index)


def _turn(raw: pdfium_c.FPDF_TEXTPAGE, chars: list[int]) -> int:
    """The clockwise turn that makes most characters upright, from the angles of a sample of
    them: PDFium's angle runs counter-clockwise, so text drawn at 90° (reading down the page) is
    upright turned 270°."""
    step = max(1, len(chars) // TURN_SAMPLE)
    quarters = [0, 0, 0, 0]
    for i in chars[::step]:
        quarters[round(math.degrees(pdfium_c.FPDFText_GetCharAngle(raw, i)) / 90) % 4] += 1
    most = max(range(4), key=lambda q: quarters[q])
    if most == 0 or quarters[most] < max(MIN_TURNED_CHARS, TURNED_SHARE * sum(quarters)):
        return 0
    return (360 - 90 * most) % 360


WIDE_EMS = 0.95  # a Latin character this many ems wide is drawn with a full-width (Han) glyph


def is_latin(ch: str) -> bool:
    """ASCII or Latin-1/Extended-A/B, not a space, nor a letter that is nearly an em wide in an
    ordinary font (the m of 163.com measured 0.97 em): what a Han glyph read through a wrong map
    shows (市 → ^, 议 → °); drawn one em wide, it is suspect (a real ° × of GB2312 fonts, too, is
    wide: the repair then reads it as itself)."""
    return ("!" <= ch <= "~" or "\u00a1" <= ch <= "\u024f") and ch not in NATURALLY_WIDE


NATURALLY_WIDE = frozenset("mwMW@%")


EM_ASCENT, EM_DESCENT = 0.88, 0.12  # the em square of a CJK font around its baseline, in ems
TALL_EMS = 1.5  # a glyph box up to this many ems tall is the font's own (ascent + descent), or wide
NARROW_EMS = 0.25  # a glyph box at least this many ems wide (an l, a 1): narrower, the size is no em
FLAT = 0.7  # a box lower than this share of its font size (em) is an ink box: look again


def _second_look(
    glyphs: list[Glyph],
    indexes: list[int],
    sizes: list[float],
    textpage: pdfium.PdfTextPage,
    height: float,
    upright: bool,
) -> list[Glyph]:
    """Boxes that cannot stand as PDFium gives them, against the page's usual box height:

    - taller than its own font size allows (an embedded font's ascent/descent makes a 10 pt glyph
      200 pt tall, a fallback font's a 9 pt one 17 pt, a re-distilled font's every 8.5 pt glyph 24
      pt: the two lines of a table cell interleave): the em square on its baseline; on a page not
      upright, or where the size is no em (a Type3 font's), if far taller than the page's usual
      height, the usual height centred on the inked box — a heading over a page of small table
      text is merely large;
    - far lower than its own size (a producer gives a character the box of its ink: a flat 、，。一
      or decimal point then sits off its line's middle and is set on a line of its own; a bold
      heading's 、 is no lower than the page's small body text): the em square on its baseline,
      when the page is upright and the size as drawn is near the usual height.
    """
    if not glyphs:
        return glyphs
    heights = sorted(g.bbox.height for g in glyphs)
    usual = heights[len(heights) // 2]
    raw = textpage.raw
    x, y = ctypes.c_double(), ctypes.c_double()
    out = []
    for g, index, font_size in zip(glyphs, indexes, sizes, strict=True):
        box = g.bbox
        tall = box.bottom - box.top > min(2.5 * usual, TALL_EMS * font_size)  # cheap: a candidate …
        if tall and not _fits_size(box, raw, index):  # … too tall for its size as drawn
            size = _drawn_size(raw, index)
            if (
                upright
                and NARROW_EMS * size <= box.x1 - box.x0 <= TALL_EMS * size  # the size is the glyph's
                and size <= 2.5 * usual  # em (a Type3 font's is not: 0.95 for a glyph 9.5 pt wide; nor
                # a vertical label's 199 for a glyph 10 pt tall in a box 199 pt square)
                and pdfium_c.FPDFText_GetCharOrigin(raw, index, x, y)
            ):
                # the em square on the baseline: an ink-centred box would set a flat 、 below its line
                baseline = height - y.value
                right = min(box.x1, box.x0 + TALL_EMS * size)
                em = BBox(box.x0, baseline - EM_ASCENT * size, right, baseline + EM_DESCENT * size)
                out.append(Glyph(g.text, em, em.height, g.confidence))
                continue
            left, bottom, right, top = textpage.get_charbox(index)
            if right > left and box.bottom - box.top > 2.5 * usual:
                cx, cy = (left + right) / 2, height - (top + bottom) / 2
                side = max(right - left, usual * 0.8)
                g = Glyph(g.text, BBox(cx - side / 2, cy - usual / 2, cx + side / 2, cy + usual / 2), usual)
        elif (
            upright
            and box.bottom - box.top < FLAT * max(usual, font_size)  # cheap: a candidate …
            and box.bottom - box.top < FLAT * (size := _drawn_size(raw, index) or font_size)  # … flat
            and 0.5 * usual <= size <= 2.5 * usual
            and pdfium_c.FPDFText_GetCharOrigin(raw, index, x, y)
        ):
            baseline = height - y.value
            top, bottom = (
                min(box.top, baseline - EM_ASCENT * size),
                max(box.bottom, baseline + EM_DESCENT * size),
            )
            g = Glyph(g.text, BBox(box.x0, top, box.x1, bottom), max(bottom - top, 1.0), g.confidence)
        out.append(g)
    return out


def _fits_size(box: BBox, raw: pdfium_c.FPDF_TEXTPAGE, index: int) -> bool:
    """The box is no taller than the font's ascent and descent allow at the character's size (the
    size as drawn: the font size scaled by the character's matrix, which may set it 180 × 0.05)."""
    return box.bottom - box.top <= TALL_EMS * _drawn_size(raw, index)


def _drawn_size(raw: pdfium_c.FPDF_TEXTPAGE, index: int) -> float:
    """The character's font size scaled by its matrix (0 if PDFium has no matrix for it)."""
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFText_GetMatrix(raw, index, m):
        return 0.0
    return float(pdfium_c.FPDFText_GetFontSize(raw, index) * math.sqrt(abs(m.a * m.d - m.b * m.c)))


def _is_bad(ch: str) -> bool:
    category = unicodedata.category(ch)
    return ch in "\ufffd\ufffe\uffff" or category in ("Cc", "Co", "Cs", "Cn")


def page_marks(page: pdfium.PdfPage) -> tuple[float, int]:
    """(share of the page images cover, segments of its vector paths), in one pass."""
    width, height = page.get_size()
    area = 0.0
    segments = 0
    for obj in page_objects(page, IMAGES_AND_PATHS, max_depth=2):
        if obj.kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            segments += max(0, pdfium_c.FPDFPath_CountSegments(obj.handle))
            continue
        left, bottom, right, top = object_bounds(obj.handle)
        area += max(0.0, min(right, width) - max(left, 0.0)) * max(0.0, min(top, height) - max(bottom, 0.0))
    share = min(1.0, area / (width * height)) if width and height else 0.0
    return share, segments


def page_segments(page: pdfium.PdfPage) -> list[Segment]:
    """Visible straight rules in page coordinates: stroked lines, and thin filled rectangles.

    Invisible paths are skipped: some office suites put a white, unstroked box behind every
    line of text, which would otherwise read as a one-column table around the whole page.
    """
    height = page.get_height()
    segments: list[Segment] = []
    for obj in page_objects(page, PATHS, max_depth=3):
        paint = _paint(obj.handle)
        if paint is None:
            continue
        path = _path_to_segments(obj.handle, height)
        clip = _clip_box(obj.handle, height) if obj.level == 0 else None
        if clip is not None:
            path = [s for s in (_clipped(s, clip) for s in path) if s is not None]
        if paint == "fill" and path:
            width = max(s.x1 for s in path) - min(s.x0 for s in path)
            tall = max(s.bottom for s in path) - min(s.top for s in path)
            if min(width, tall) > MAX_RULE_THICKNESS:
                continue  # a shaded area, not a rule
        segments.extend(path)
    return segments


def _clip_box(obj: pdfium_c.FPDF_PAGEOBJECT, height: float) -> BBox | None:
    """The box around the clip paths of a page-level object (top-down points), if it has any.

    A browser draws a table cell's border whole and clips it at the page's content area: a rule of
    a table cut by a page break runs on, unseen, into the margin — and would make a row of the folio
    under it.
    """
    clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return None
    x, y = ctypes.c_float(), ctypes.c_float()
    box: BBox | None = None
    for i in range(pdfium_c.FPDFClipPath_CountPaths(clip)):
        xs, ys = [], []
        for j in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, i)):
            pdfium_c.FPDFPathSegment_GetPoint(pdfium_c.FPDFClipPath_GetPathSegment(clip, i, j), x, y)
            xs.append(x.value)
            ys.append(height - y.value)
        if xs:
            part = BBox(min(xs), min(ys), max(xs), max(ys))
            box = part if box is None else _intersection(box, part)
    return box


def _intersection(a: BBox, b: BBox) -> BBox:
    return BBox(max(a.x0, b.x0), max(a.top, b.top), min(a.x1, b.x1), min(a.bottom, b.bottom))


def _clipped(s: Segment, box: BBox) -> Segment | None:
    """The part of rule `s` inside `box` (half a point of slack for the rule's own width)."""
    slack = 0.5
    x0, x1 = max(s.x0, box.x0 - slack), min(s.x1, box.x1 + slack)
    top, bottom = max(s.top, box.top - slack), min(s.bottom, box.bottom + slack)
    if x0 > x1 or top > bottom:
        return None
    if (s.orientation == "h" and x1 - x0 <= STRAIGHT) or (s.orientation == "v" and bottom - top <= STRAIGHT):
        return None
    return Segment(x0, top, x1, bottom)


def _paint(obj: pdfium_c.FPDF_PAGEOBJECT) -> str | None:
    """'stroke' or 'fill' when the path leaves a visible (non-white) mark, else None."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke)
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if stroke.value:
        pdfium_c.FPDFPageObj_GetStrokeColor(obj, r, g, b, a)
        if a.value > 0 and min(r.value, g.value, b.value) < WHITE:
            return "stroke"
    if fill_mode.value:
        pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a)
        if a.value > 0 and min(r.value, g.value, b.value) < WHITE:
            return "fill"
    return None


def _path_to_segments(obj: pdfium_c.FPDF_PAGEOBJECT, height: float) -> list[Segment]:
    a, b, c, d, e, f = object_matrix(obj)
    x, y = ctypes.c_float(), ctypes.c_float()
    segments: list[Segment] = []
    last: tuple[float, float] | None = None
    start: tuple[float, float] | None = None
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and last is not None:
            _add_segment(segments, last, point, height)
        last = point
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            _add_segment(segments, point, start, height)
    return segments


def _add_segment(out: list[Segment], p: tuple[float, float], q: tuple[float, float], height: float) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) <= STRAIGHT and abs(x1 - x0) > STRAIGHT:
        y = height - (y0 + y1) / 2
        out.append(Segment(min(x0, x1), y, max(x0, x1), y))
    elif abs(x0 - x1) <= STRAIGHT and abs(y1 - y0) > STRAIGHT:
        x = (x0 + x1) / 2
        out.append(Segment(x, height - max(y0, y1), x, height - min(y0, y1)))


def document_metadata(doc: pdfium.PdfDocument) -> dict[str, str]:
    try:
        meta = doc.get_metadata_dict(skip_empty=True)
    except Exception:  # metadata is a nicety; a broken Info dictionary must not fail the file
        return {}
    return {str(k): str(v) for k, v in meta.items()}
