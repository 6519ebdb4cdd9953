"""The OCR engine interface: an image in, positioned words with confidences out.

The stages ask for one of three readings (`ReadMode`) and never see an engine's options, so
another engine (e.g. a PP-OCR recognizer) is one more class with a `read` method, registered
in engines.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from pipeline.core.model import PipelineError

Gray = npt.NDArray[np.uint8]
ReadMode = Literal["page", "lines", "digits"]
# page:   a whole page of body text (layout analysis on)
# lines:  a stack of short text lines, one block (table label cells)
# digits: a stack of short lines holding numbers only (table value cells)

DIGITS = "0123456789.,-+/%"


@dataclass(frozen=True)
class OcrWord:
    """One word as the engine found it: pixel box on the image it was given, confidence 0-1."""

    text: str
    x0: int
    top: int
    x1: int
    bottom: int
    confidence: float
    line: int  # words with the same number were read as one text line


@dataclass(frozen=True)
class Orientation:
    """How far a page image must be turned clockwise to read upright, and how sure the engine is
    (tesseract's OSD score: 0 none, ~2 weak, 10+ clear)."""

    degrees: int  # 0, 90, 180 or 270
    confidence: float


class OcrEngine(Protocol):
    name: str

    def read(self, image: Gray, dpi: float, mode: ReadMode, timeout: float) -> list[OcrWord] | PipelineError:
        """Words on `image`; an `ocr_timeout` error when it took longer than `timeout` seconds."""
        ...

    def orientation(self, image: Gray, dpi: float, timeout: float) -> Orientation | PipelineError:
        """Which way up the text on `image` stands."""
        ...
