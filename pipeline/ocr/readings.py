"""What OCR read in a table cell: one engine call's text (`Reading`) and the reading chosen for
the cell (`CellReading`, placed on its ink as a glyph), made by cell_readings.py and set right by
the shape of the ink in shape_readings.py."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.model import BBox
from pipeline.layout.lines import Glyph
from pipeline.ocr.scan_cells import Box, Crop


@dataclass(frozen=True)
class Reading:
    text: str
    confidence: float


@dataclass(frozen=True)
class CellReading:
    box: Box
    text: str  # the chosen reading; '' for a blank or an unreadable cell
    confidence: float
    raw: str | None  # the engine's own text when no reading could be trusted
    alternatives: tuple[str, ...]  # other readings of a number, most likely first
    glyph: Glyph | None  # the reading placed on the cell's ink, in points on the level page


def ink_box(crop: Crop, scale: float) -> BBox:
    return BBox(crop.x / scale, crop.y / scale, (crop.x + crop.width) / scale, (crop.y + crop.height) / scale)


def number_reading(
    crop: Crop, box: Box, number: str, conf: float, alternatives: tuple[str, ...], scale: float
) -> CellReading:
    """`number` as the cell's reading, placed on its ink."""
    glyph = Glyph(number, ink_box(crop, scale), max(1.0, crop.glyph_height / scale), conf)
    return CellReading(box, number, conf, None, alternatives, glyph)
