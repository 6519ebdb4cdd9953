"""The tesseract engine (`chi_sim` for Chinese, `eng` with a digit whitelist for numbers).

Tesseract runs as a subprocess (through pytesseract) with OpenMP limited to one thread: its
default threading burns 3-4x the CPU for no gain (../shared/notes/ocr-measurements.md), so
throughput comes from running pages in parallel processes instead.
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


class TesseractEngine:
    name = "tesseract"

    def __init__(self, config: TesseractConfig | None = None) -> None:
        self.config = config or TesseractConfig()
        # pytesseract hands os.environ to the subprocess; set here, where the engine is made,
        # rather than relying on whoever starts the worker process.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    def _args(self, mode: ReadMode, dpi: float) -> tuple[str, str]:
        c = self.config
        # no second recognition of each doubtful line as white on black: the pages are cleaned to
        # dark print on paper first (measured: a quarter of tesseract's time on the corpus scans)
        common = f"--dpi {round(dpi)} -c tessedit_do_invert=0"
        if mode == "page":
            return c.page_lang, f"--psm 3 {common}"
        if mode == "lines":
            return c.lines_lang, f"--psm 6 {common}"
        return c.digits_lang, f"--psm 6 {common} -c tessedit_char_whitelist={DIGITS}"

    def read(self, image: Gray, dpi: float, mode: ReadMode, timeout: float) -> list[OcrWord] | PipelineError:
        if timeout <= 0:
            return PipelineError("ocr", "ocr_timeout", f"no time left for the {mode} reading")
        lang, config = self._args(mode, dpi)
        picture = Image.fromarray(image)
        picture.format = "PPM"  # pytesseract writes its input file in this format: no PNG encoding
        try:
            data = pytesseract.image_to_data(
                picture, lang=lang, config=config, output_type=pytesseract.Output.DICT, timeout=timeout
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
        except RuntimeError as exc:
            if "timeout" in str(exc).lower():
                return PipelineError(
                    "ocr", "ocr_timeout", f"tesseract's orientation took over {timeout:.0f} s"
                )
            return PipelineError("ocr", "ocr_failed", f"tesseract: {exc}")
        except (pytesseract.TesseractError, OSError) as exc:
            if "too few characters" in str(exc).lower():
                return Orientation(0, 0.0)  # nothing to tell it by
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
