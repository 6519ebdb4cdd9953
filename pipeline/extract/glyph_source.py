"""A PDF's characters as glyphs of their fonts, and the OCR that reads them for font_repair.py.

PDFium gives each character's place, size, ink box and font; pdfminer the glyph itself (the code
in its font), matched by origin (`with_codes`). OCR reads runs of characters cut from the page
(`ocr_reader`) and single glyphs at several sizes (`glyph_reader`), stacked into one engine call.
"""

from __future__ import annotations

import ctypes
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.core.model import PipelineError
from pipeline.extract.font_outlines import EmbeddedFont
from pipeline.extract.pdf import is_made_up
from pipeline.knowledge.load import knowledge
from pipeline.ocr.engine import Gray, OcrEngine
from pipeline.ocr.scan_cells import read_stacked

REPAIR_DPI = 300  # the run images read for votes
GLYPH_DPI = 300  # a glyph read alone (`glyph_reader`) is cut at this resolution …
GLYPH_HEIGHTS = (26, 36, 50)  # … and read at these heights in pixels
ORIGIN_SLACK = 0.5  # points between PDFium's and pdfminer's origin of one character
STACK_MARGIN = 20  # pixels of white left of each run in a stack
RUN_PAD = 0.3  # of a run's height, white around it in the stack
WORD_GAP = 0.3  # of the font size: a wider gap ends a run
NO_INK = 0.01  # ems: an ink box this thin is no ink (a space glyph)

Shape = tuple[float, float, float, float]
NO_SHAPE: Shape = (0.0, 0.0, 0.0, 0.0)
GlyphKey = tuple[str, int]  # (font, the glyph's code in it)


@dataclass(frozen=True)
class LayerChar:
    """One text-layer character (as pdf.page_glyphs keeps them) with its font and ink shape."""

    text: str
    font: str
    shape: Shape  # ink box about the origin, in ems (all 0 without ink)
    advance: float  # ems
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    ox: float  # origin, PDF user space
    oy: float
    unmapped: bool = False  # its font maps its code to no character: what it shows is the raw code


def layer_chars(page: pdfium.PdfPage) -> list[LayerChar]:
    """The page's characters in pdf.page_glyphs' order (generated ones and line breaks left out),
    each with its font's identity and its glyph's ink box."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        radicals = knowledge().radicals
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        x, y = ctypes.c_double(), ctypes.c_double()
        loose = pdfium_c.FS_RECTF()
        names: dict[int | None, str] = {}
        out = []
        for i in range(pdfium_c.FPDFText_CountChars(raw)):
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            ch = chr(code) if 0 < code < 0x110000 else "\ufffd"
            if pdfium_c.FPDFText_IsGenerated(raw, i) or is_made_up(raw, i, ch):
                continue
            ch = radicals.get(ch, ch)
            font = _font_name(raw, i, names)
            size = max(pdfium_c.FPDFText_GetFontSize(raw, i), 1e-3)
            pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top)
            pdfium_c.FPDFText_GetCharOrigin(raw, i, x, y)
            pdfium_c.FPDFText_GetLooseCharBox(raw, i, loose)
            ink = (left.value - x.value, right.value - x.value, bottom.value - y.value, top.value - y.value)
            shape: Shape = (
                NO_SHAPE
                if min(ink[1] - ink[0], ink[3] - ink[2]) < NO_INK * size
                else (ink[0] / size, ink[1] / size, ink[2] / size, ink[3] / size)
            )
            out.append(
                LayerChar(
                    ch,
                    font,
                    shape,
                    (loose.right - loose.left) / size,
                    loose.left,
                    height - loose.top,
                    loose.right,
                    height - loose.bottom,
                    size,
                    x.value,
                    y.value,
                    pdfium_c.FPDFText_HasUnicodeMapError(raw, i) > 0,
                )
            )
        return out
    finally:
        textpage.close()


def _font_name(raw: pdfium_c.FPDF_TEXTPAGE, index: int, names: dict[int | None, str]) -> str:
    """A font's identity within the document: base name, family, weight and flags (a subset
    font may have no base name; its family and flags still tell it from the others)."""
    font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(raw, index))
    handle = ctypes.cast(font, ctypes.c_void_p).value
    if handle not in names:
        buffer = ctypes.create_string_buffer(256)
        base = buffer.value.decode("latin-1") if pdfium_c.FPDFFont_GetBaseFontName(font, buffer, 256) else ""
        family = buffer.value.decode("latin-1") if pdfium_c.FPDFFont_GetFamilyName(font, buffer, 256) else ""
        weight = pdfium_c.FPDFFont_GetWeight(font)
        flags = pdfium_c.FPDFFont_GetFlags(font)
        names[handle] = f"{base}|{family}|{weight}|{flags}"
    return names[handle]


@dataclass(frozen=True)
class FontCodes:
    """Per page, every character pdfminer draws as (x, y of its origin, its font's identity, its
    code in the font); and the TrueType program of each font that embeds one (font_outlines.py)."""

    pages: list[list[tuple[float, float, str, int]]]
    fonts: dict[str, EmbeddedFont]


def font_codes(path: str, password: str | None) -> FontCodes | None:
    """The glyph itself of every character, which PDFium does not give; None if pdfminer cannot
    read the file."""
    from pdfminer.pdfdevice import PDFTextDevice
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    class Manager(PDFResourceManager):
        def __init__(self) -> None:
            super().__init__(caching=True)
            self.embedded: dict[int, EmbeddedFont] = {}

        def get_font(self, objid, spec):
            font = super().get_font(objid, spec)
            if id(font) not in self.embedded and (found := embedded_font(spec)) is not None:
                self.embedded[id(font)] = found
            return font

    class Codes(PDFTextDevice):
        def __init__(self, manager: Manager) -> None:
            super().__init__(manager)
            self.found: list[tuple[float, float, str, int]] = []
            self.fonts: dict[int, str] = {}

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
            _, _, c, d, e, f = matrix
            name = self.fonts.setdefault(id(font), f"{getattr(font, 'fontname', '')}#{len(self.fonts)}")
            self.found.append((e + c * rise, f + d * rise, name, int(cid)))
            return float(font.char_width(cid)) * fontsize * scaling

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    out = []
    try:
        with open(path, "rb") as fp:
            manager = Manager()
            device = Codes(manager)
            interpreter = PDFPageInterpreter(manager, device)
            for page in PDFPage.get_pages(fp, password=password or ""):
                device.found = []
                interpreter.process_page(page)
                out.append(device.found)
    except Exception:  # pdfminer raises many types on odd files; then there is no repair
        return None
    fonts = {name: manager.embedded[key] for key, name in device.fonts.items() if key in manager.embedded}
    return FontCodes(out, fonts)


def embedded_font(spec: Mapping[str, object]) -> EmbeddedFont | None:
    """A font dictionary's TrueType program (FontFile2) and, for a CID font, its CIDToGIDMap."""
    from pdfminer.pdftypes import PDFStream, dict_value, list_value, resolve1
    from pdfminer.psparser import literal_name

    try:
        subtype = literal_name(spec.get("Subtype"))
        font = dict_value(list_value(spec["DescendantFonts"])[0]) if subtype == "Type0" else spec
        cid = subtype in ("Type0", "CIDFontType2")
        program = resolve1(dict_value(font.get("FontDescriptor", {})).get("FontFile2"))
        if not isinstance(program, PDFStream):
            return None
        mapping = resolve1(font.get("CIDToGIDMap"))
        return EmbeddedFont(
            program.get_data(), cid, mapping.get_data() if isinstance(mapping, PDFStream) else None
        )
    except Exception:  # a malformed dictionary embeds nothing usable
        return None


def with_codes(chars: list[LayerChar], codes: list[tuple[float, float, str, int]]) -> list[GlyphKey | None]:
    """Each PDFium character's glyph: the pdfminer character drawn at its origin (within
    ORIGIN_SLACK points), else None."""
    grid: dict[tuple[int, int], list[tuple[float, float, str, int]]] = {}
    for code in codes:
        grid.setdefault((round(code[0]), round(code[1])), []).append(code)
    keys: list[GlyphKey | None] = []
    for c in chars:
        best, distance = None, ORIGIN_SLACK
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for x, y, font, cid in grid.get((round(c.ox) + dx, round(c.oy) + dy), []):
                    d = max(abs(x - c.ox), abs(y - c.oy))
                    if d <= distance:
                        best, distance = (font, cid), d
        keys.append(best)
    return keys


def runs(chars: Sequence[LayerChar]) -> list[list[int]]:
    """Indexes of the page's characters in runs: consecutive in content order, on one line,
    no gap wider than WORD_GAP of the size, no space."""
    out: list[list[int]] = []
    for i, c in enumerate(chars):
        if c.text.isspace() or c.x1 <= c.x0:
            if out and out[-1]:
                out.append([])
            continue
        if out and out[-1]:
            p = chars[out[-1][-1]]
            same_line = abs((p.top + p.bottom) / 2 - (c.top + c.bottom) / 2) < 0.5 * max(p.size, c.size)
            if same_line and -0.2 * c.size <= c.x0 - p.x1 <= WORD_GAP * max(p.size, c.size):
                out[-1].append(i)
                continue
        out.append([i])
    return [r for r in out if r]


Reader = Callable[[int, list[list[LayerChar]]], list[str | list[tuple[str, float, float]]]]
GlyphReader = Callable[[list[tuple[int, LayerChar]]], list[list[str]]]


def ocr_reader(doc: pdfium.PdfDocument, engine: OcrEngine, timeout: float) -> Reader:
    """Runs read by the OCR engine: cut from the page rendered at REPAIR_DPI, stacked into as few
    engine calls as fit (scan_cells.read_stacked), each OCR word given back to its run in page points."""
    from pipeline.ocr.raster import render_gray

    scale = REPAIR_DPI / 72

    def read(index: int, batch: list[list[LayerChar]]) -> list[str | list[tuple[str, float, float]]]:
        page = doc[index]
        try:
            gray = render_gray(page, REPAIR_DPI)
        finally:
            page.close()
        crops = [_run_crop(gray, run, scale) for run in batch]
        deadline = time.monotonic() + timeout
        found = read_stacked(engine, [c for c, _ in crops], REPAIR_DPI, "lines", deadline, STACK_MARGIN)
        if isinstance(found, PipelineError):
            return [[] for _ in batch]
        return [
            sorted(
                (
                    (w.text, (w.x0 - STACK_MARGIN + x) / scale, (w.x1 - STACK_MARGIN + x) / scale)
                    for w in words
                ),
                key=lambda w: w[1],
            )
            for words, (_, x) in zip(found, crops, strict=True)
        ]

    return read


def _run_crop(gray: Gray, run: list[LayerChar], scale: float) -> tuple[Gray, int]:
    """A run's image, padded by RUN_PAD of its height, and its left edge on the page image."""
    x0, x1 = min(c.x0 for c in run), max(c.x1 for c in run)
    top, bottom = min(c.top for c in run), max(c.bottom for c in run)
    pad = RUN_PAD * (bottom - top)
    px0, px1 = max(0, round((x0 - pad) * scale)), round((x1 + pad) * scale)
    pt, pb = max(0, round((top - pad) * scale)), round((bottom + pad) * scale)
    return gray[pt:pb, px0:px1], px0


def glyph_reader(doc: pdfium.PdfDocument, engine: OcrEngine, timeout: float) -> GlyphReader:
    """Glyphs read alone, each at GLYPH_HEIGHTS (the engine reads a lone Han glyph differently at
    each size; the broken map tells which reading is right): cut tight from the page, stacked one
    per line, every one-character reading given back."""

    def read(glyphs: list[tuple[int, LayerChar]]) -> list[list[str]]:
        images: list[Gray] = []
        owners: list[int] = []
        for n, (index, c) in enumerate(glyphs):
            crop = _glyph_image(doc, index, c)
            for height in GLYPH_HEIGHTS:
                scale = height / max(1, crop.shape[0])
                image = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
                images.append(np.asarray(image, dtype=np.uint8))
                owners.append(n)
        out: list[list[str]] = [[] for _ in glyphs]
        deadline = time.monotonic() + timeout
        found = read_stacked(engine, images, REPAIR_DPI, "lines", deadline, max(GLYPH_HEIGHTS))
        if isinstance(found, PipelineError):
            return out
        for n, words in zip(owners, found, strict=True):
            out[n].extend(t for w in words if len(t := w.text.strip()) == 1)
        return out

    return read


def _glyph_image(doc: pdfium.PdfDocument, index: int, c: LayerChar) -> Gray:
    """The glyph's em box and a little white, in gray, GLYPH_DPI."""
    page = doc[index]
    try:
        width, height = page.get_size()
        pad = 0.1 * c.size
        crop = (
            max(0.0, c.x0 - pad),
            max(0.0, height - c.bottom - pad),
            max(0.0, width - c.x1 - pad),
            max(0.0, c.top - pad),
        )
        bitmap = page.render(scale=GLYPH_DPI / 72, crop=crop, grayscale=True)
        try:
            image = bitmap.to_numpy()
            return np.ascontiguousarray(image if image.ndim == 2 else image[:, :, 0], dtype=np.uint8)
        finally:
            bitmap.close()
    finally:
        page.close()
