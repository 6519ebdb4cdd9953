"""Every table cell of a scanned page read, and one reading chosen per cell — or none.

Two or three engine calls per page, whatever the number of tables:
1. `digits` on every short one-line cell scaled so its print is 24 px tall, and the
   digit-shaped cells once more at 30 px: two renditions, two independent readings of a number;
2. `lines` (Chinese) on the cells that are not an agreed number: labels, and doubtful numbers;
3. `lines` again, binarized and enlarged, on the labels read with little confidence.

Measured on the corpus scans (bench/bench_ocr.py): either digit rendition alone reads 600 of the
602 numbers right, they never agreed on a wrong one, and Chinese `lines` settles the rest.
A number is trusted when its readings agree; otherwise the likeliest is kept with low
confidence and the others as alternatives (the identities of 表三/表四 may pick one later,
facts/reconcile.py). Ink that no reading makes a number of, in a column of numbers, stays blank
with its raw text: a value is never guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import cv2

from pipeline.core.model import PipelineError
from pipeline.layout.lines import Glyph
from pipeline.ocr.cleanup import as_number, clean_lines, digit_count, number_variants
from pipeline.ocr.digit_shapes import is_zero, looks_numeric
from pipeline.ocr.engine import OcrEngine, OcrWord, ReadMode
from pipeline.ocr.raster import Gray, Raster
from pipeline.ocr.readings import CellReading, Reading, ink_box, number_reading
from pipeline.ocr.scan_cells import (
    PAD_PT,
    Box,
    Crop,
    binarized,
    cell_crop,
    enlarged,
    glyph_pieces,
    read_stacked,
    rendition,
)
from pipeline.ocr.shape_readings import by_shapes

ONE_DIGIT_EMS = 0.8  # a glyph no wider than this (of its height) is one digit, not two run together
MAX_NUMBER_EMS = 10.0  # 14 characters of digits and separators
NUMBER_GAP_EMS = 1.0  # digits of one number stand closer than this (in their height)
SEPARATOR_GAP_EMS = 1.6  # … or this, where a point or a comma stands between them
DIGITS_SMALL_PX = 24
DIGITS_LARGE_PX = 30
DIGITS_LOWRES_PX = 36
LABEL_MIN_PX = 20  # Chinese labels read best at their printed size; only small print is enlarged
SECOND_LOOK_SCALE = 1.3
SECOND_LOOK_EMS = 14  # longer labels match their key despite a misread character: no second look
LABEL_CONFIDENCE = 0.6  # a short non-number reading below this is no trusted label
TRUST = 0.5  # each of two agreeing digit readings must be at least this confident
AGREE_FLOOR = 0.9  # readings that agree: at least this confident
BROKEN_ZERO = ("9", "6")  # what a 0 a copier broke open reads as (digit_shapes.is_zero)
SPLIT_FACTOR = 0.6  # a majority with a dissenting reading
SINGLE_FACTOR = 0.5  # one reading alone, or readings that all differ
NO_CONFIDENCE = 0.05  # below this the engine itself does not believe its reading


def words_to_reading(words: Sequence[OcrWord]) -> Reading:
    ordered = sorted(words, key=lambda w: (w.line, w.x0))
    lines: dict[int, list[str]] = {}
    for w in ordered:
        lines.setdefault(w.line, []).append(w.text)
    text = clean_lines([" ".join(parts) for parts in lines.values()])
    return Reading(text, min((w.confidence for w in words), default=0.0))


def plausible(number: str, crop: Crop) -> bool:
    """Whether the ink is about as wide as that many digits (a digit is 0.27-0.72 of its height
    in the corpus fonts): a two-character label read as '8' is not."""
    if not any(ch.isdigit() for ch in number):
        return True  # '/' or '-'
    n = digit_count(number)
    glyphs = glyph_pieces(crop)
    # a number ends in a digit and begins with one or a sign: a small mark past its last digit or
    # before its first (a speck read as a full stop, as a photocopy strews them) adds no width
    right = max((x + w for x, _y, w, _h in glyphs), default=crop.width)
    left = 0 if number[0] in "+-" else min((x for x, _y, _w, _h in glyphs), default=0)
    height = max([crop.glyph_height, *(h for _x, _y, _w, h in glyphs)])  # a digit cut in two is whole
    ems = (right - left) / max(1, height)
    if n >= 2 and len(glyphs) == 1 and glyphs[0][2] <= glyphs[0][3]:
        return False  # one glyph no wider than tall is one digit ("0" read as "10")
    if len(glyphs) < n and all(w <= ONE_DIGIT_EMS * height for _x, _y, w, _h in glyphs):
        return False  # more digits than glyphs, none of them wide enough for two ('１２４' read 1214)
    separators = sum(ch in ".," for ch in number)
    if n >= 2 and not one_run(glyphs, height, separators):
        return False  # figures of two cells (a rule between them lost) are not one number
    # full-width digits are a whole em wide; a sign is up to 0.8 em ('+6' is 1.47 em), a separator 0.3
    marks = 0.8 * (number[0] in "+-") + 0.3 * separators
    # … and may be set wider apart still ('３６２７' spans 1.4 of its height a digit): as many
    # glyphs as digits, each one digit wide, are that number
    spaced = len(glyphs) == n and all(w <= ONE_DIGIT_EMS * height for _x, _y, w, _h in glyphs)
    return 0.2 * n <= ems and (ems <= 1.05 * n + 0.4 + marks or spaced)


def one_run(glyphs: list[tuple[int, int, int, int]], height: int, separators: int = 0) -> bool:
    """Glyphs (x, y, width, height) set as one printed number: on one line, none further from
    the last than NUMBER_GAP_EMS of the print's height — or, as many times as the reading has
    separators, SEPARATOR_GAP_EMS: a point a copier's specks were cleared with leaves its place
    blank (31.00 read right, its ink 3 1 _ 0 0)."""
    ordered = sorted(glyphs)
    if any(b[1] >= a[1] + a[3] or a[1] >= b[1] + b[3] for a in ordered for b in ordered):
        return False  # one glyph wholly below another: two lines
    right = None
    for x, _y, w, _h in ordered:
        if right is not None and x - right > NUMBER_GAP_EMS * height:
            if separators == 0 or x - right > SEPARATOR_GAP_EMS * height:
                return False
            separators -= 1
        right = x + w if right is None else max(right, x + w)
    return True


def _number(r: Reading | None, crop: Crop) -> str | None:
    if r is None:
        return None
    n = as_number(r.text)
    return n if n is not None and plausible(n, crop) else None


def _trusted(crop: Crop, small: Reading, large: Reading | None) -> str | None:
    a, b = _number(small, crop), _number(large, crop)
    if a is None or a != b or large is None or min(small.confidence, large.confidence) < TRUST:
        return None
    return a


def _vote(readings: list[Reading | None], crop: Crop) -> tuple[str, float, tuple[str, ...]] | None:
    """The number most readings give (ties: the order of `readings`, best measured first)."""
    found = [(n, r.confidence) for r in readings if r is not None and (n := _number(r, crop)) is not None]
    if not found:
        return None
    # a reading the engine gives no confidence at all only votes when no other does (seen: two
    # digit renditions of a 0 both read '6' at 0.0, the Chinese reading and the shape said '0')
    numbers = [(n, c) for n, c in found if c >= NO_CONFIDENCE] or found
    counts = Counter(n for n, _ in numbers)
    best = max(counts, key=lambda n: (counts[n], -[m for m, _ in numbers].index(n)))
    conf = max(c for n, c in numbers if n == best)
    others = tuple(dict.fromkeys(n for n, _ in found if n != best))
    if counts[best] >= 2 and not others:
        conf = max(AGREE_FLOOR, conf)
    else:
        conf *= SPLIT_FACTOR if counts[best] >= 2 else SINGLE_FACTOR
    return best, conf, others + tuple(number_variants(best))


def _ems(crop: Crop) -> float:
    """About how many characters wide the cell's text is, all its lines together."""
    lines = max(1, round(crop.height / (1.4 * crop.glyph_height)))
    return lines * crop.width / max(1, crop.glyph_height)


def _numeric_places(
    crops: Sequence[Crop], boxes: dict[tuple[int, int], Box], numeric: set[int]
) -> tuple[set[int], set[int]]:
    """Crops in a column where most non-blank cells are numbers — counting all its cells, or
    only those in rows of numbers (表四 has one row of numbers under three rows of headers) —
    and crops in a row where most are."""

    def majority(groups: dict[tuple[int, int], list[int]]) -> set[int]:
        return {
            i
            for members in groups.values()
            if 2 * sum(m in numeric for m in members) >= len(members)
            for i in members
        }

    def by(edge: int, members: Sequence[int]) -> dict[tuple[int, int], list[int]]:
        groups: dict[tuple[int, int], list[int]] = {}
        for i in members:
            groups.setdefault((crops[i].key[0], round(boxes[crops[i].key][edge])), []).append(i)
        return groups

    everything = range(len(crops))
    in_number_rows = majority(by(1, everything))
    return majority(by(2, everything)) | majority(by(2, sorted(in_number_rows))), in_number_rows


def page_cell_readings(
    raster: Raster, clean: Gray, groups: Sequence[Sequence[Box]], engine: OcrEngine, deadline: float
) -> list[CellReading] | PipelineError:
    """A reading for every cell box of every table on the page, in order (blanks included)."""
    boxes = {(t, k): box for t, group in enumerate(groups) for k, box in enumerate(group)}
    crops = [c for key, box in boxes.items() if (c := cell_crop(clean, box, raster.scale, key)) is not None]
    read = _Reader(engine, raster.scale * 72, deadline, round(2 * PAD_PT * raster.scale))
    shaped = [i for i, c in enumerate(crops) if looks_numeric(c)]
    # one line no wider than the longest number: the only crops a digits reading can be right on
    short = [i for i, c in enumerate(crops) if c.height <= 1.3 * c.glyph_height and _ems(c) <= MAX_NUMBER_EMS]
    found = read(
        [rendition(crops[i], DIGITS_SMALL_PX)[0] for i in short]
        + [rendition(crops[i], DIGITS_LARGE_PX)[0] for i in shaped],
        "digits",
    )
    if isinstance(found, PipelineError):
        return found
    small = dict(zip(short, found[: len(short)], strict=True))
    large = dict(zip(shaped, found[len(short) :], strict=True))
    trusted = {
        i: n
        for i in shaped
        if i in small
        and (n := _trusted(crops[i], small[i], large[i])) is not None
        and (n == "0" or not is_zero(crops[i]))  # a 0 broken open reads 9 in both renditions
    }
    third: dict[int, Reading] = {}
    if raster.low_resolution:
        # print scanned below 180 dpi: digits blur into each other and into Chinese shapes; the
        # short cells not yet agreed on get a third look, enlarged further and thresholded, and
        # any two looks that agree are trusted
        again = [i for i in short if i not in trusted]
        found = read([low_resolution_digits(crops[i]) for i in again], "digits")
        if isinstance(found, PipelineError):
            return found
        third = dict(zip(again, found, strict=True))
        for i in again:
            for a, b in ((small[i], third[i]), (large.get(i), third[i])):
                if a is not None and (n := _trusted(crops[i], a, b)) is not None:
                    trusted[i] = n
                    break
    rest = [i for i in range(len(crops)) if i not in trusted]
    found = read([rendition(crops[i], LABEL_MIN_PX)[0] for i in rest], "lines")
    if isinstance(found, PipelineError):
        return found
    lines = dict(zip(rest, found, strict=True))
    # labels read with little confidence get two more looks, binarized and enlarged (measured:
    # 247 → 256 of 265 labels right); the most confident reading wins
    doubtful = [
        i
        for i in rest
        if as_number(lines[i].text) is None
        and lines[i].confidence < LABEL_CONFIDENCE
        and _ems(crops[i]) <= SECOND_LOOK_EMS
    ]
    images = []
    for i in doubtful:
        base = rendition(crops[i], LABEL_MIN_PX)[0]
        images += [binarized(base), enlarged(base, SECOND_LOOK_SCALE)]
    found = read(images, "lines")
    if isinstance(found, PipelineError):
        return found
    for k, i in enumerate(doubtful):
        lines[i] = max([lines[i], *found[2 * k : 2 * k + 2]], key=lambda r: r.confidence)
    numeric = set(trusted) | {i for i in rest if _number(lines[i], crops[i]) is not None}
    # a ring a copier broke is a 0 by its shape whatever it was read as: a row of them whose readings
    # were all junk (a streak across 表四's one row of figures: 人WA, W, U) is still a row of figures
    rings = {i for i in rest if i not in numeric and i not in shaped and is_zero(crops[i])}
    in_number_column, in_number_row = _numeric_places(crops, boxes, numeric | set(shaped) | rings)
    among_figures = in_number_column | in_number_row
    readings = {}
    for i, crop in enumerate(crops):
        if i in trusted:
            looks = (small.get(i), large.get(i), third.get(i))
            conf = max(AGREE_FLOOR, *(r.confidence for r in looks if r and _number(r, crop) == trusted[i]))
            readings[crop.key] = number_reading(
                crop, boxes[crop.key], trusted[i], conf, tuple(number_variants(trusted[i])), raster.scale
            )
        else:
            readings[crop.key] = _choose(
                crop,
                boxes[crop.key],
                lines[i],
                small.get(i),
                large.get(i),
                i in in_number_column,
                raster.scale,
                third.get(i),
            )
    readings = {
        crop.key: by_shapes(readings[crop.key], crop, i in among_figures, raster.scale)
        for i, crop in enumerate(crops)
    }
    return [readings.get(key) or CellReading(box, "", 1.0, None, (), None) for key, box in boxes.items()]


def low_resolution_digits(crop: Crop) -> Gray:
    """A crop of low-resolution print for a third digits reading: enlarged so its print is
    DIGITS_LOWRES_PX tall, smoothed over the enlargement's steps, thresholded (Otsu)."""
    image, factor = rendition(crop, DIGITS_LOWRES_PX)
    smooth: Gray = cv2.GaussianBlur(image, (0, 0), max(0.5, 0.5 * factor))  # type: ignore[assignment]
    return binarized(smooth)


class _Reader:
    """One engine call per mode for a page's crops; each crop's words as a Reading."""

    def __init__(self, engine: OcrEngine, dpi: float, deadline: float, margin: int) -> None:
        self.engine, self.dpi, self.deadline, self.margin = engine, dpi, deadline, margin

    def __call__(self, images: list[Gray], mode: ReadMode) -> list[Reading] | PipelineError:
        found = read_stacked(self.engine, images, self.dpi, mode, self.deadline, self.margin)
        return found if isinstance(found, PipelineError) else [words_to_reading(ws) for ws in found]


def _choose(
    crop: Crop,
    box: Box,
    text: Reading,
    small: Reading | None,
    large: Reading | None,
    number_column: bool,
    scale: float,
    third: Reading | None = None,
) -> CellReading:
    """A cell that is no agreed number: a label, a number the readings vote on, or unreadable."""
    short_doubt = len(text.text) <= 3 and text.confidence < LABEL_CONFIDENCE
    # digit-shaped ink in a column of numbers that the digit model reads with confidence is a
    # number, whatever the Chinese model says ('1' → '工', '7' → '了', '-2' → '记')
    digit_read = any(
        _number(r, crop) is not None and r.confidence >= TRUST for r in (small, large, third) if r
    )
    # … and so is a lone ring shaped like a 0, whatever the Chinese model makes of it ('O')
    digit_ink = number_column and ((looks_numeric(crop) and digit_read) or is_zero(crop))
    if as_number(text.text) is None and not (short_doubt and number_column) and not digit_ink:
        label = Glyph(text.text, ink_box(crop, scale), max(1.0, crop.glyph_height / scale), text.confidence)
        return CellReading(box, text.text, text.confidence, None, (), label if text.text else None)
    zero = is_zero(crop)
    shape = Reading("0", AGREE_FLOOR) if zero else None
    # the shape is measured, not guessed: it weighs as two readings, and wins a tie; the 9 or 6
    # a 0 broken open reads as is one misreading of the one shape, however many renditions give it
    looks = [r for r in (small, large, third, text) if not (zero and r and _number(r, crop) in BROKEN_ZERO)]
    voted = _vote([shape, shape, *looks], crop)
    if voted is None:  # ink in a column of numbers that no reading makes a number of: never guess
        return CellReading(box, "", 0.0, text.text or (small.text if small else ""), (), None)
    number, conf, alternatives = voted
    if len(looks) < len([r for r in (small, large, third, text) if r]):  # readings set aside: a doubt
        conf, alternatives = conf * SPLIT_FACTOR, (*alternatives, *BROKEN_ZERO)
    return number_reading(crop, box, number, conf, alternatives, scale)
