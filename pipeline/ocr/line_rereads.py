"""A second look at the lines a report's outline hangs on, each read alone.

The page reading lays a photocopy's page out as a whole, and a speck-ridden line may come out
garbled where the same line read by itself does not (on the generator's photocopies: "二、和" for
二、组织机构建设情况, "一、生生和交" for 一、总体情况, "2020年02月206日" for 2020年02月20日). Lines are read
again cut out of the page image at their own height: a line that opens with level-1 numbering
but not with a standard heading's wording (knowledge/headings.csv), a short line that looks like
a date but is none, and a line in large print (a title: alone, its characters came out right
more often; scaled down to 30 px print more often still — tesseract misreads print as large as a
title, or a date in 三号 type, that it reads right at that height). The second reading replaces the
first only where it is what the first failed to be — a standard wording after the numbering, a
valid date — or, for large print, reads as many characters about as surely. A date that the
second reading leaves garbled is read a third time thresholded (the pale ghost a masked seal
leaves over it gone). A heading or a date read right costs nothing.
"""

from __future__ import annotations

import re
import time

import cv2
import numpy as np

from pipeline.core.text import MAX_DATE_CHARS, cn_to_int, squash
from pipeline.knowledge.load import knowledge
from pipeline.ocr.engine import Gray, OcrEngine, OcrWord

LINE_MARGIN_EMS = 0.8  # the cut reaches this far above and below the line's middle, in its height
LEFT_MARGIN_EMS = 0.5  # and this far left of its first word (to the image's right edge)
MIN_WRAPPED_HEADING = 8  # a standard wording's first characters this many, at a line's end: wrapped
# a line printed this much taller than the page's typical line is a title's: read alone, its
# office's name came out right where the page reading misread a character (鹿安区 as 廊安区, 阜 as
# 皇, 平宁 as 平了: 6 of 8 titles of the generator's photocopies, 1 read wrong either way)
LARGE_PRINT = 1.3
LARGE_PRINT_SLACK = 2  # characters the second reading of a large line may differ in count by
# print taller than this (pixels; a title, body text in 三号 at 200 dpi is 41-44) is read again
# scaled down to it: tesseract read 二〇二五年一月十四日 at 39 px as "SO和年一月本四目", at 30 as
# …一月十四日; titles 网日省 → 岚白省, 办公打 → 办公厅 (3 of 4 misread titles of a mild scan right)
READ_PX = 30
CONFIDENCE_SLACK = 0.05  # and what it may lose in mean confidence
_ZERO_TWICE = re.compile(r"[OoQ口]〇|〇[OoQ口]")  # one 〇 read as two characters (二O〇二二年)
_NUMBERING = re.compile(r"^[一二三四五六七八九十]{1,2}[、.．，,:：]")
_DATE = re.compile(
    r"^(\d{4}|[〇零○OoQ口一二三四五六七八九]{4})年(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2}|[一二三四五六七八九十]{1,3})日$"
)


def reread_lines(
    words: list[OcrWord],
    image: Gray,
    dpi: float,
    engine: OcrEngine,
    deadline: float,
    scaled: bool = True,
) -> list[OcrWord]:
    """`words` with each heading or date line the page reading garbled, and each line in large
    print, read again alone, where that reading is what the first failed to be (a heading's
    standard wording, a valid date) or, for large print, read as surely as the first. Print
    taller than READ_PX is read `scaled` down to it — not on a speckled copy, whose specks the
    scaling runs into the strokes (seed-83 photocopies: two titles read wrong that were right,
    none put right)."""
    lines: dict[int, list[OcrWord]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    body_height = float(np.median([_height(line) for line in lines.values()])) if lines else 0.0
    out: list[OcrWord] = []
    for number, line in lines.items():
        text = _text(line)
        if _NUMBERING.match(text):
            kind = None if _heading_read(text) else "heading"
        elif _looks_like_date(text):
            kind = None if _is_date(text) else "date"
        else:
            kind = "large" if _height(line) >= LARGE_PRINT * body_height else None
        if kind is not None:
            for binary in _looks(kind):
                again = _read_alone(line, number, image, dpi, engine, deadline, scaled, binary)
                if again and _better(kind, line, again):
                    line = again
                    break
        out += line
    return out


def _read_alone(
    line: list[OcrWord],
    number: int,
    image: Gray,
    dpi: float,
    engine: OcrEngine,
    deadline: float,
    scaled: bool,
    binary: bool = False,
) -> list[OcrWord] | None:
    """The line cut out of `image` at its own height (to the right edge), `scaled` down to print
    READ_PX tall where taller, and read as one block; its words placed back on the page."""
    height = _height(line)
    middle = float(np.median([(w.top + w.bottom) / 2 for w in line]))
    top = max(0, round(middle - LINE_MARGIN_EMS * height))
    bottom = min(image.shape[0], round(middle + LINE_MARGIN_EMS * height))
    left = max(0, round(min(w.x0 for w in line) - LEFT_MARGIN_EMS * height))
    if bottom - top < 4 or image.shape[1] - left < 4:
        return None
    crop = image[top:bottom, left:]
    scale = min(1.0, READ_PX / height) if scaled else 1.0  # at the height tesseract reads best
    if scale < 1.0:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)  # type: ignore[assignment]
    if binary:
        _, crop = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)  # type: ignore[assignment]
    read = engine.read(crop, dpi * scale, "lines", deadline - time.monotonic())
    if not isinstance(read, list) or not read:
        return None
    return [
        OcrWord(
            w.text,
            round(w.x0 / scale) + left,
            round(w.top / scale) + top,
            round(w.x1 / scale) + left,
            round(w.bottom / scale) + top,
            w.confidence,
            number,
        )
        for w in read
    ]


def _looks(kind: str) -> tuple[bool, ...]:
    """Whether each look at a line is thresholded: a date still garbled at its gray gets a look at
    its ink alone — a seal's pale ghost over it was read as strokes (一 → 守, 日 → 自)."""
    return (False, True) if kind == "date" else (False,)


def _better(kind: str, first: list[OcrWord], again: list[OcrWord]) -> bool:
    if kind == "heading":
        return bool(_NUMBERING.match(_text(again))) and _heading_read(_text(again))
    if kind == "date":
        return _is_date(_text(again))
    # large print: as many characters (±LARGE_PRINT_SLACK), read about as surely or more
    same_length = abs(len(_text(again)) - len(_text(first))) <= LARGE_PRINT_SLACK
    return same_length and _confidence(again) >= _confidence(first) - CONFIDENCE_SLACK


def _text(line: list[OcrWord]) -> str:
    return squash("".join(w.text for w in line))


def _height(line: list[OcrWord]) -> float:
    return float(np.median([w.bottom - w.top for w in line]))


def _confidence(line: list[OcrWord]) -> float:
    return float(np.mean([w.confidence for w in line]))


def _heading_read(text: str) -> bool:
    """A numbered line whose words open with a standard wording, or end the line as one's first
    characters (a long heading wrapped)."""
    words = _NUMBERING.sub("", text)
    return any(
        words.startswith(w) or (len(words) >= MIN_WRAPPED_HEADING and w.startswith(words))
        for w in knowledge().heading_wordings
    )


def _looks_like_date(text: str) -> bool:
    return len(text) <= MAX_DATE_CHARS and "年" in text and ("月" in text or "日" in text)


def _is_date(text: str) -> bool:
    m = _DATE.match(_ZERO_TWICE.sub("〇", text))
    if m is None:
        return False
    month, day = (int(g) if g.isdigit() else cn_to_int(g) for g in m.groups()[1:])
    return bool(month and day and 1 <= month <= 12 and 1 <= day <= 31)
