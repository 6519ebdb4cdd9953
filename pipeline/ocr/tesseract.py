"""The tesseract engine (`chi_sim` for Chinese, `eng` with a digit whitelist for numbers), run as
the `tesseract` command (through pytesseract); `tesseract_library.py` runs the same readings in
the process. What each reading asks of tesseract (`settings`) is defined once, here, for both.

OpenMP is limited to one thread: tesseract's default threading burns 3-4x the CPU for no gain
(../shared/notes/ocr-measurements.md), so throughput comes from running pages in parallel
processes instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytesseract
from PIL import Image

from pipeline.core.model import PipelineError
from pipeline.ocr.engine import DIGITS, Gray, OcrWord, Orientation, ReadMode


@dataclass(frozen=True)
class TesseractConfig:
    page_lang: str = "chi_sim"
    lines_lang: str = "chi_sim"  # measured: chi_sim+eng reads Chinese labels as Latin junk ("OW)")
    digits_lang: str = "eng"


@dataclass(frozen=True)
class Settings:
    """What one reading asks of tesseract: a model, a page segmentation mode, and variables."""

    lang: str
    psm: int
    variables: tuple[tuple[str, str], ...]


def settings(config: TesseractConfig, mode: ReadMode) -> Settings:
    # no second recognition of each doubtful line as white on black: the pages are cleaned to
    # dark print on paper first (measured: a quarter of tesseract's time on the corpus scans)
    plain = (("tessedit_do_invert", "0"),)
    if mode == "page":
        return Settings(config.page_lang, 3, plain)
    if mode == "lines":
        return Settings(config.lines_lang, 6, plain)
    return Settings(config.digits_lang, 6, (*plain, ("tessedit_char_whitelist", DIGITS)))


def limit_threads() -> None:
    """One OpenMP thread for tesseract: set before it starts (pytesseract hands os.environ to the
    command; the library reads it when it is loaded), where the engine is made rather than by
    whoever starts the worker process."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


class TesseractEngine:
    """tesseract as a command, one process per reading."""

    name = "tesseract"

    def __init__(self, config: TesseractConfig | None = None) -> None:
        self.config = config or TesseractConfig()
        limit_threads()

    def read(self, image: Gray, dpi: float, mode: ReadMode, timeout: float) -> list[OcrWord] | PipelineError:
        if timeout <= 0:
            return PipelineError("ocr", "ocr_timeout", f"no time left for the {mode} reading")
        asked = settings(self.config, mode)
        config = " ".join(
            [f"--psm {asked.psm} --dpi {round(dpi)}", *(f"-c {k}={v}" for k, v in asked.variables)]
        )
        picture = Image.fromarray(image)
        picture.format = "PPM"  # pytesseract writes its input file in this format: no PNG encoding
        try:
            data = pytesseract.image_to_data(
                picture, lang=asked.lang, config=config, output_type=pytesseract.Output.DICT, timeout=timeout
            )
        except RuntimeError as exc:  # pytesseract's way of saying it killed the process
            if "timeout" in str(exc).lower():
                return PipelineError(
                    "ocr", "ocr_timeout", f"tesseract {mode} reading took over {timeout:.0f} s"
                )
            return PipelineError("ocr", "ocr_failed", f"tesseract: {exc}")
        except (pytesseract.TesseractError, OSError) as exc:
            return PipelineError("ocr", "ocr_failed", f"tesseract: {exc}")
        return data_to_words(data)

    def orientation(self, image: Gray, dpi: float, timeout: float) -> Orientation | PipelineError:
        if timeout <= 0:
            return PipelineError("ocr", "ocr_timeout", "no time left to find the page's orientation")
        picture = Image.fromarray(image)
        picture.format = "PPM"
        try:
            text = pytesseract.image_to_osd(picture, config=f"--psm 0 --dpi {round(dpi)}", timeout=timeout)
        except (pytesseract.TesseractError, OSError) as exc:  # (TesseractError is a RuntimeError)
            if "too few characters" in str(exc).lower():
                return Orientation(0, 0.0)  # nothing to tell it by
            return PipelineError("ocr", "ocr_failed", f"tesseract: {exc}")
        except RuntimeError as exc:
            if "timeout" in str(exc).lower():
                return PipelineError(
                    "ocr", "ocr_timeout", f"tesseract's orientation took over {timeout:.0f} s"
                )
            return PipelineError("ocr", "ocr_failed", f"tesseract: {exc}")
        return osd_to_orientation(str(text))


def osd_to_orientation(text: str) -> Orientation:
    """tesseract's OSD lines (`Rotate: 90`, `Orientation confidence: 9.72`) → an Orientation."""
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    try:
        return Orientation(
            int(fields["Rotate"].strip()) % 360, float(fields["Orientation confidence"].strip())
        )
    except (KeyError, ValueError):
        return Orientation(0, 0.0)


TSV_COLUMNS = (
    "level",
    "page_num",
    "block_num",
    "par_num",
    "line_num",
    "word_num",
    "left",
    "top",
    "width",
    "height",
    "conf",
    "text",
)


def tsv_to_data(tsv: str) -> dict[str, list[object]]:
    """tesseract's TSV rows (no header) → columns, as pytesseract makes them: numbers truncated to
    integers (confidences too: the thresholds downstream were measured on whole percents)."""
    data: dict[str, list[object]] = {column: [] for column in TSV_COLUMNS}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < len(TSV_COLUMNS) - 1:
            continue
        cells += [""] * (len(TSV_COLUMNS) - len(cells))
        for column, cell in zip(TSV_COLUMNS, cells, strict=False):
            data[column].append(cell if column == "text" else int(float(cell)))
    return data


def data_to_words(data: dict[str, list[object]]) -> list[OcrWord]:
    """tesseract's TSV columns → words (empty entries and layout-only rows dropped)."""
    words = []
    lines: dict[tuple[int, int, int], int] = {}
    for i, text in enumerate(data["text"]):
        text = str(text).strip()
        conf = float(str(data["conf"][i]))
        if not text or conf < 0:
            continue
        key = (int(str(data["block_num"][i])), int(str(data["par_num"][i])), int(str(data["line_num"][i])))
        line = lines.setdefault(key, len(lines))
        x0, top = int(str(data["left"][i])), int(str(data["top"][i]))
        w, h = int(str(data["width"][i])), int(str(data["height"][i]))
        words.append(OcrWord(text, x0, top, x0 + w, top + h, conf / 100.0, line))
    return words
