"""A cell's reading set right by the shape of its ink, where tesseract's models misread it the
same way in every rendition: a '/' read 7, a minus missed, a 1 read 4 or 工, a 5 whose stem a
copier lost read 3, 口 or D (the shapes: digit_shapes.py). What the ink shows wins, in doubt;
the reading as the engine gave it stays among the alternatives."""

from __future__ import annotations

from dataclasses import replace

from pipeline.ocr.cleanup import as_number
from pipeline.ocr.digit_shapes import (
    fives_under_their_bars,
    is_slash,
    leading_minus,
    lone_five,
    lone_one,
    ones_read_as_fours,
)
from pipeline.ocr.readings import CellReading, number_reading
from pipeline.ocr.scan_cells import Crop

MAX_SLASH_READING = 2  # characters: what a '/' is read as ('7', '1', '/7'), or a lone figure ('+D')
SHAPE_CONFIDENCE = 0.85  # a minus or a '/' the ink shows and no reading had: doubtful
LONE_SHAPE_CONFIDENCE = 0.425  # a figure no reading made a number of, by its shape alone


def by_shapes(reading: CellReading, crop: Crop, among_figures: bool, scale: float) -> CellReading:
    """What the ink's shape says against the readings: a '/', a minus, a 1 read 4 or 工, a 5
    read 3 or 口 (a lone glyph only `among_figures`: in a column or a row of them)."""
    shaped = barred(uncrossed(signed(slashed(reading, crop), crop), crop), crop)
    return lone_figure(shaped, crop, among_figures, scale)


def slashed(reading: CellReading, crop: Crop) -> CellReading:
    """A short reading ('7', '1', '/7') of ink that is one stroke leaning right is a '/', in
    doubt; the reading as the engine gave it stays among the alternatives."""
    if reading.text in ("", "/") or len(reading.text) > MAX_SLASH_READING or not is_slash(crop):
        return reading
    return _by_shape(reading, "/")


def _by_shape(reading: CellReading, text: str) -> CellReading:
    """`reading` taken as `text` by the shape of its ink."""
    return replace(
        reading,
        text=text,
        confidence=min(reading.confidence, SHAPE_CONFIDENCE),
        alternatives=tuple(
            dict.fromkeys(a for a in (reading.text, *reading.alternatives) if a and a != text)
        ),
        glyph=replace(reading.glyph, text=text) if reading.glyph else None,
    )


def signed(reading: CellReading, crop: Crop) -> CellReading:
    """A number read without the minus its ink begins with takes it, in doubt; the reading as
    the engine gave it stays among the alternatives."""
    if not reading.text.isdigit() or not leading_minus(crop):
        return reading
    return _by_shape(reading, "-" + reading.text)


def barred(reading: CellReading, crop: Crop) -> CellReading:
    """A number with a digit whose ink is a 5 under its loose bar takes the 5, in doubt; the
    reading as the engine gave it stays among the alternatives."""
    number = as_number(reading.text)  # 'D' is a 0 to the digit lookalikes
    if number is None or (fives := fives_under_their_bars(crop, number)) == number:
        return reading
    return _by_shape(reading, fives)


def uncrossed(reading: CellReading, crop: Crop) -> CellReading:
    """A number with a 4 whose ink has no crossbar takes a 1, in doubt; the reading as the
    engine gave it stays among the alternatives."""
    if as_number(reading.text) is None or (ones := ones_read_as_fours(crop, reading.text)) == reading.text:
        return reading
    return _by_shape(reading, ones)


def lone_figure(reading: CellReading, crop: Crop, among_figures: bool, scale: float) -> CellReading:
    """One glyph among figures that no reading made a number of ('口', 'D', '-D' for a 5 under its
    loose bar; 工 or 上 for a serif 1) is the figure its shape is, in doubt; the reading as the
    engine gave it stays among the alternatives."""
    seen = reading.text or reading.raw or ""
    if not among_figures or as_number(reading.text) is not None or len(seen) > MAX_SLASH_READING:
        return reading
    sign = seen[0] if seen[:1] in ("+", "-") else ""
    figure = "5" if lone_five(crop, bool(sign)) else "1" if lone_one(crop, bool(sign)) else None
    if figure is None:
        return reading
    alternatives = (seen,) if seen else ()
    return number_reading(crop, reading.box, sign + figure, LONE_SHAPE_CONFIDENCE, alternatives, scale)
