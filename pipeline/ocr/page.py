"""One page by OCR: image → rules, table cells and body words → the same `Page` as a text page.

    raster (level, cleaned) → rules → lattice cells → per-cell readings (scan_cells)
                            → body text outside the tables (one page reading)
    → positioned glyphs + segments → layout.page.glyphs_to_page → cells annotated with OCR detail

Boxes stay on the level image's frame (in points) until extract maps the whole document back
(unskew.py): tables are joined across pages first, on straight column rules.
It never raises and obeys its time limit; the PDF reader (extract/pdf_reader.py) decides which pages need it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

import cv2
import numpy as np
import pypdfium2 as pdfium

from pipeline.core.config import OCR_DPI
from pipeline.core.model import BBox, Page, PipelineError, Table
from pipeline.knowledge.load import han_pairs, knowledge
from pipeline.layout.lines import Glyph
from pipeline.layout.page import failed_page, glyphs_to_page
from pipeline.ocr.cell_readings import page_cell_readings
from pipeline.ocr.cleanup import clean_text
from pipeline.ocr.engine import OcrEngine, OcrWord, Orientation
from pipeline.ocr.line_rereads import reread_lines
from pipeline.ocr.missed_tables import MIN_NUMBER_ROWS, number_rows, reads_as_fragments, table_missed
from pipeline.ocr.raster import Gray, Raster, page_to_raster, render_gray, text_image
from pipeline.ocr.readings import CellReading
from pipeline.ocr.scan_grid import Rules, ink_of, raster_to_rules

TABLE_MARGIN_PT = 2.0
MIN_WORD_CONFIDENCE = 0.2  # below this a "word" is mostly speckle or a fold line
SPECK_INK_SHARE = 0.15  # a line's last character with less ink than this share of the average: a speck
KEPT_SMALL = "。，、；：！？）》」”’;:,"  # small marks that end a line as themselves (; for ；)
MIN_SPECK_LINE = 4  # characters a line needs before its last lone one is judged
SPECK_CONFIDENCE = 0.5  # a lone last character read with less confidence may be a speck
# a page read with less confidence than this may stand turned: ask the engine (measured on the
# corpus scans: upright pages 0.72-0.90, a page turned 90° 0.17)
ORIENTATION_CHECK_BELOW = 0.5
ORIENTATION_MIN_CONFIDENCE = 2.0  # OSD scores below this are guesses
# measured on 48 scanned pages (corpus and generated): 0.156-0.891 of the Chinese character pairs
# read are the reports' vocabulary (knowledge.vocabulary); a page read upside down: 0.004
MIN_VOCABULARY_SHARE = 0.05
MIN_PAIRS = 30  # fewer pairs than this tell nothing
MIN_CHARS = 100  # nor does a page with fewer characters read (a signature, a stamp)
# … but a page with this many read with little confidence is tried upside down (OSD refuses so few)
MIN_TURN_CHARS = 8
MIN_LATTICE_COVER = 0.85  # of a table's box its cells cover, or faint and broken rules are searched for


def ocr_page(
    page: pdfium.PdfPage, number: int, engine: OcrEngine, reason: str, timeout: float, dpi: float = OCR_DPI
) -> Page:
    """OCR one page. A page over its `timeout` (seconds) comes back empty with an `ocr_timeout` error.

    A page whose lines of text run up the image (raster.runs_sideways) is asked its orientation
    first and read turned upright at once. A page read poorly is asked its orientation; one that
    stands turned is read again turned upright (`Page.rotation`), and kept so if that reads
    better, else it keeps a `page_orientation` error. A page with too few characters to judge so,
    read with little confidence, is read turned over too, and kept so only if that reads better.
    """
    start = time.monotonic()
    deadline = start + timeout
    width, height = page.get_size()
    raster = page_to_raster(page, dpi)
    quarter = _quarter_turn(engine, page, dpi, deadline) if raster.sideways else None
    turned: Orientation | None = None
    if quarter is not None:  # its lines run up the page: read turned upright at once
        upright_raster = page_to_raster(page, dpi, quarter.degrees)
        upright = raster_to_page(upright_raster, (height, width), number, engine, reason, deadline, timeout)
        if upright.error is None and not reads_poorly(upright):
            built = replace(upright, rotation=quarter.degrees)
        else:  # not readable upright: read as stored, and say the page stands turned (the cause)
            built = raster_to_page(raster, (width, height), number, engine, reason, deadline, timeout)
            error = PipelineError("ocr", "page_orientation", _turned_message(number, quarter), number)
            built = replace(built, error=error)
    else:
        built = raster_to_page(raster, (width, height), number, engine, reason, deadline, timeout)
        turned = _turned(built, engine, page, dpi, deadline)
    if turned is not None:
        better = _turned_if_better(built, page, turned.degrees, dpi, engine, reason, deadline, timeout)
        if better is not None:
            built = better
        else:
            error = PipelineError("ocr", "page_orientation", _turned_message(number, turned), number)
            built = replace(built, error=built.error or error)
    elif quarter is None and _short_and_unsure(built):
        # a short page read poorly may be a stamp or specks, not a turned page: no error if not better
        built = _turned_if_better(built, page, 180, dpi, engine, reason, deadline, timeout) or built
    if built.error is None and reads_poorly(built):
        built = replace(
            built, error=PipelineError("ocr", "page_unreadable", _unreadable_message(built), number)
        )
    return replace(built, seconds=time.monotonic() - start)


def _short_and_unsure(built: Page) -> bool:
    """Too few characters for `reads_poorly` (or OSD) to judge, yet some, read with little confidence."""
    return (
        built.error is None
        and built.ocr_confidence is not None
        and MIN_TURN_CHARS <= built.chars < MIN_CHARS
        and built.ocr_confidence < ORIENTATION_CHECK_BELOW
    )


def _turned_if_better(
    built: Page,
    page: pdfium.PdfPage,
    degrees: int,
    dpi: float,
    engine: OcrEngine,
    reason: str,
    deadline: float,
    timeout: float,
) -> Page | None:
    """The page read turned `degrees` clockwise, if that reads with more confidence than `built`.
    (A report's last page, its office and date alone, scanned upside down, read 22 characters at
    confidence 0.0, and turned over 0.79, both lines right; OSD refused it: too few characters.)"""
    width, height = page.get_size()
    size = (height, width) if degrees in (90, 270) else (width, height)
    upright = raster_to_page(
        page_to_raster(page, dpi, degrees), size, built.number, engine, reason, deadline, timeout
    )
    if upright.error is None and (upright.ocr_confidence or 0.0) > (built.ocr_confidence or 0.0):
        return replace(upright, rotation=degrees)
    return None


def raster_to_page(
    raster: Raster,
    size: tuple[float, float],
    number: int,
    engine: OcrEngine,
    reason: str,
    deadline: float,
    timeout: float,
) -> Page:
    """One page image (level, cleaned; `size` in points) → the laid-out page: rules, cells read,
    body words. Page text that looks like a table's (`table_missed`) says a table was missed, and a
    table whose cells leave holes in its box was found in part, and page text in fragments
    (`reads_as_fragments`) is a table's labels whose figures went unread (both on a page not
    speckled: there the search finds false rules in the specks): its rules are searched for again,
    faint and broken ones too (costly, so only then)."""
    rules = raster_to_rules(raster)
    read = _read(raster, rules, engine, deadline)
    if isinstance(read, PipelineError):
        return _gave_up(number, size, read, reason, timeout)
    if table_missed(read[1], raster.scale) or (
        not raster.speckled
        and (any(lattice_cover(g) < MIN_LATTICE_COVER for g in rules.groups) or reads_as_fragments(read[1]))
    ):
        again = raster_to_rules(raster, broken=True)
        if sum(map(len, again.groups)) > sum(map(len, rules.groups)):
            second = _read(raster, again, engine, deadline)
            if isinstance(second, PipelineError):
                return _gave_up(number, size, second, reason, timeout)
            rules, read = again, second
    readings, words = read
    glyphs = [r.glyph for r in readings if r.glyph] + words_to_glyphs(words, raster)
    built = glyphs_to_page(number, size, glyphs, list(rules.segments), "ocr", reason)
    built = annotate_cells(built, readings)
    scores = [g.confidence for g in glyphs]
    confidence = float(np.mean(scores)) if scores else None
    notes = tuple(_seal_note(box) for box in raster.seals)
    built = replace(built, ocr_confidence=confidence, straighten=raster.straighten, notes=notes)
    missed = number_rows(words, raster.scale)
    if missed >= MIN_NUMBER_ROWS:
        built = replace(
            built, error=PipelineError("ocr", "table_unread", _unread_message(number, missed), number)
        )
    return built


def _read(
    raster: Raster, rules: Rules, engine: OcrEngine, deadline: float
) -> tuple[list[CellReading], list[OcrWord]] | PipelineError:
    """The cells of the tables `rules` make, each read, and the words of the page outside them."""
    groups = [list(g) for g in rules.groups]
    clean = raster.pixels.copy()
    clean[rules.mask > 0] = 255  # rules erased: cell crops hold only the cell's own ink
    readings = page_cell_readings(raster, clean, groups, engine, deadline)
    if isinstance(readings, PipelineError):
        return readings
    body = _without_tables(text_image(raster), [_group_box(g) for g in groups], raster.scale)
    words = engine.read(body, raster.scale * 72, "page", deadline - time.monotonic())
    if isinstance(words, PipelineError):
        return words
    return readings, reread_lines(words, body, raster.scale * 72, engine, deadline, not raster.speckled)


def lattice_cover(group: Sequence[tuple[float, float, float, float]]) -> float:
    """The share of a table's box its cells cover: a lattice of whole rules tiles it (0.935-1.0 on
    the corpus scans); one of faint rules found in part leaves holes where cells were lost, and
    its box hides the table's text from the page reading that would say so (`column_rows`)."""
    box = _group_box(list(group))
    area = (box.x1 - box.x0) * (box.bottom - box.top)
    return sum((b[2] - b[0]) * (b[3] - b[1]) for b in group) / area if area > 0 else 1.0


def _unread_message(number: int, rows: int) -> str:
    return (
        f"page {number}: {rows} rows of numbers were read as page text, outside any table found: "
        "a table here could not be read cell by cell, its figures are likely lost"
    )


def _seal_note(box: BBox) -> str:
    return (
        f"red or blue ink (a seal, a stamp) masked before reading, at {box.x0:.0f},{box.top:.0f}–"
        f"{box.x1:.0f},{box.bottom:.0f} pt"
    )


def reads_poorly(built: Page) -> bool:
    """Did the engine read this page as text, or as noise? Its confidence is low, or its Chinese
    shares almost none of the reports' vocabulary (an upside-down page reads with confidence,
    as characters that make no words). A page with little on it tells nothing."""
    if built.ocr_confidence is None or built.chars < MIN_CHARS:
        return False
    if built.ocr_confidence < ORIENTATION_CHECK_BELOW:
        return True
    return vocabulary_share(built) < MIN_VOCABULARY_SHARE


def vocabulary_share(built: Page) -> float:
    """Of the pairs of Chinese characters read on the page, the share in the reports' vocabulary
    (1.0 when too few were read to tell)."""
    text = "".join(line.text for line in built.lines) + "".join(c.text for t in built.tables for c in t.cells)
    pairs = han_pairs(text)
    if len(pairs) < MIN_PAIRS:
        return 1.0
    vocabulary = knowledge().vocabulary
    return sum(p in vocabulary for p in pairs) / len(pairs)


def _unreadable_message(built: Page) -> str:
    return (
        f"page {built.number} could not be read into words (OCR confidence {built.ocr_confidence or 0:.2f}, "
        f"{vocabulary_share(built):.0%} of its Chinese in the reports' vocabulary): its figures are likely lost"
    )


def _turned(
    built: Page, engine: OcrEngine, page: pdfium.PdfPage, dpi: float, deadline: float
) -> Orientation | None:
    """The page's orientation, asked only when its reading is poor (OSD costs ~1 s a page):
    returned if the page stands turned, else None."""
    if not reads_poorly(built):
        return None
    found = engine.orientation(render_gray(page, dpi), dpi, deadline - time.monotonic())
    if (
        isinstance(found, PipelineError)
        or found.degrees == 0
        or found.confidence < ORIENTATION_MIN_CONFIDENCE
    ):
        return None
    return found


def _quarter_turn(engine: OcrEngine, page: pdfium.PdfPage, dpi: float, deadline: float) -> Orientation | None:
    """The engine's word on a page whose lines run up the image: the quarter turn that makes it
    upright, if it is sure of one."""
    found = engine.orientation(render_gray(page, dpi), dpi, deadline - time.monotonic())
    if (
        isinstance(found, PipelineError)
        or found.degrees not in (90, 270)
        or found.confidence < ORIENTATION_MIN_CONFIDENCE
    ):
        return None
    return found


def _turned_message(number: int, turned: Orientation) -> str:
    return (
        f"page {number} stands turned (it reads upright turned {turned.degrees}° clockwise; OSD confidence "
        f"{turned.confidence:.1f}), and could not be read better turned: its text and tables are likely lost"
    )


def _gave_up(
    number: int, size: tuple[float, float], error: PipelineError, reason: str, timeout: float
) -> Page:
    """An empty page with the error; `ocr_reason` still says why OCR was tried."""
    if error.error == "ocr_timeout":
        error = replace(error, message=f"page {number}: OCR over its {timeout:g} s limit ({error.message})")
    return replace(failed_page(number, size, replace(error, page=number), "ocr"), ocr_reason=reason)


def _group_box(group: list[tuple[float, float, float, float]]) -> BBox:
    return BBox(
        min(b[0] for b in group), min(b[1] for b in group), max(b[2] for b in group), max(b[3] for b in group)
    )


def _without_tables(gray: Gray, boxes: list[BBox], scale: float) -> Gray:
    """The page with its tables painted white: their cells are read one by one instead."""
    if not boxes:
        return gray
    out = gray.copy()
    m = TABLE_MARGIN_PT
    for b in boxes:
        top, bottom = max(0, round((b.top - m) * scale)), round((b.bottom + m) * scale)
        left, right = max(0, round((b.x0 - m) * scale)), round((b.x1 + m) * scale)
        out[top:bottom, left:right] = 255
    return out


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def words_to_glyphs(words: list[OcrWord], raster: Raster) -> list[Glyph]:
    """Engine words → glyphs in points, one glyph per run of words with no real space.

    tesseract splits Chinese text into "words" at arbitrary points; consecutive words of a line
    are joined where either side is Chinese (as the text layer has no space there). A glyph's
    box spans its line's full height, so that small marks (，。、) stay on their line; its size
    is the height of the line's print (`print_height`), as the outline compares sizes to find
    the title.
    """
    kept = [w for w in words if w.confidence >= MIN_WORD_CONFIDENCE or any(ch.isalnum() for ch in w.text)]
    by_line: dict[int, list[OcrWord]] = {}
    for w in sorted(kept, key=lambda w: (w.line, w.x0)):
        by_line.setdefault(w.line, []).append(w)
    glyphs = []
    for line in by_line.values():
        top, bottom = min(w.top for w in line), max(w.bottom for w in line)
        line = without_trailing_specks(line, raster.pixels)
        size = print_height(raster.pixels[top:bottom, line[0].x0 : line[-1].x1]) / raster.scale
        runs: list[list[OcrWord]] = []
        for w in line:
            if runs and (_is_cjk(runs[-1][-1].text[-1]) or _is_cjk(w.text[0])):
                runs[-1].append(w)
            else:
                runs.append([w])
        for run in runs:
            box = raster.to_points(run[0].x0, top, run[-1].x1, bottom)
            text = clean_text(" ".join(w.text for w in run))
            glyphs.append(Glyph(text, box, max(size, 1.0), min(w.confidence for w in run)))
    return glyphs


def without_trailing_specks(line: list[OcrWord], pixels: Gray) -> list[OcrWord]:
    """A line's words without the lone characters read off specks at its end: on a photocopy a dot
    after a heading reads as 人, 加 or a full stop, a word of its own (一、总体情况 + 人 + .). A last
    one-character word holding under SPECK_INK_SHARE of the ink of an average character of the
    line, and read with little confidence (or a mark, not a letter), is no character (a real 。，、
    is kept: the engine reads those as themselves; a digit is kept: a 1 holds little ink)."""

    def ink(w: OcrWord) -> int:
        return (
            int((ink_of(pixels[w.top : w.bottom, w.x0 : w.x1]) > 0).sum())
            if w.x1 > w.x0 and w.bottom > w.top
            else 0
        )

    def could_be_speck(w: OcrWord) -> bool:
        unsure = w.confidence < SPECK_CONFIDENCE or not w.text.isalnum()
        return len(w.text) == 1 and w.text not in KEPT_SMALL and not w.text.isdigit() and unsure

    chars = sum(len(w.text) for w in line[:-1])
    if chars < MIN_SPECK_LINE or not could_be_speck(line[-1]):
        return line  # the common case: no ink measured
    average = sum(ink(w) for w in line[:-1]) / chars
    while len(line) > 1 and could_be_speck(line[-1]) and ink(line[-1]) < SPECK_INK_SHARE * average:
        line = line[:-1]
    return line


def print_height(region: Gray) -> float:
    """How tall a line's characters are printed, in pixels: the tall end (90th percentile) of
    its pieces of ink. Word boxes are no measure: a bracket or a lone word box inflates them,
    and a title in one "word" measured 27 pt against 21 pt for its second line."""
    if region.size == 0:
        return 1.0
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink_of(region), connectivity=8)
    heights = [int(stats[k, cv2.CC_STAT_HEIGHT]) for k in range(1, n) if stats[k, cv2.CC_STAT_AREA] >= 6]
    return float(np.percentile(heights, 90)) if heights else float(region.shape[0])


def _key(box: BBox | tuple[float, float, float, float]) -> tuple[float, ...]:
    values = (box.x0, box.top, box.x1, box.bottom) if isinstance(box, BBox) else box
    return tuple(round(v, 1) for v in values)


def annotate_cells(page: Page, readings: list[CellReading]) -> Page:
    """Carry each cell's OCR detail (confidence, raw text, alternatives) onto the laid-out grid."""
    by_box = {_key(r.box): r for r in readings}
    tables = []
    for table in page.tables:
        cells = []
        for cell in table.cells:
            r = by_box.get(_key(cell.bbox))
            if r is not None:
                cell = replace(cell, confidence=r.confidence, raw_ocr=r.raw, alternatives=r.alternatives)
            cells.append(cell)
        tables.append(Table(table.n_rows, table.n_cols, tuple(cells), table.pages, table.bbox))
    return replace(page, tables=tuple(tables))
