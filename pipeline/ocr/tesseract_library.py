"""tesseract in the process (tesserocr, built against the system's libtesseract): the same
readings as the `tesseract` command (`tesseract.settings`), without starting it and loading its
model for each one.

Measured on the corpus scans (21 pages, 65 readings): the command spent 0.09-0.15 s of CPU
starting and loading its model per reading, 17% of the CPU of the whole run; this engine gives
word for word the same readings (same boxes, text and confidences; `tests/test_tesseract_library.py`).
Models are loaded once per process, on first use, one API per model and variable set. A reading
that fails or runs over its time is a `PipelineError`, as with the command; a crash of the library
takes the worker process with it, which the runner handles as any killed worker (that file's pages
fail, the batch goes on), where the command lost only the one reading.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from pipeline.core.model import PipelineError
from pipeline.ocr.engine import Gray, OcrWord, Orientation, ReadMode
from pipeline.ocr.tesseract import (
    Settings,
    TesseractConfig,
    TesseractEngine,
    data_to_words,
    limit_threads,
    settings,
    tsv_to_data,
)


def library_available() -> bool:
    """Whether tesserocr can be loaded (it is built at set-up; a machine without it uses the command)."""
    limit_threads()  # before libtesseract (and its OpenMP) is loaded
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return False
    return True


class TesseractLibraryEngine:
    name = "tesseract"

    def __init__(self, config: TesseractConfig | None = None) -> None:
        self.config = config or TesseractConfig()
        limit_threads()
        self._apis: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}
        # orientation is asked of few pages (those read poorly): the command's OSD is kept
        self._command = TesseractEngine(self.config)

    def _api(self, asked: Settings) -> Any:
        key = (asked.lang, asked.variables)
        if key not in self._apis:
            import tesserocr

            api = tesserocr.PyTessBaseAPI(lang=asked.lang)
            for name, value in asked.variables:
                api.SetVariable(name, value)
            self._apis[key] = api
        return self._apis[key]

    def read(self, image: Gray, dpi: float, mode: ReadMode, timeout: float) -> list[OcrWord] | PipelineError:
        if timeout <= 0:
            return PipelineError("ocr", "ocr_timeout", f"no time left for the {mode} reading")
        asked = settings(self.config, mode)
        try:
            api = self._api(asked)
        except RuntimeError as exc:  # the model cannot be loaded
            return PipelineError("ocr", "ocr_failed", f"tesseract library: {exc}")
        pixels = np.ascontiguousarray(image, dtype=np.uint8)
        height, width = pixels.shape
        api.SetPageSegMode(asked.psm)
        api.SetImageBytes(pixels.tobytes(), width, height, 1, width)
        api.SetVariable("user_defined_dpi", str(round(dpi)))  # what the command's --dpi sets
        start = time.monotonic()
        if not api.Recognize(max(1, round(timeout * 1000))):
            if time.monotonic() - start >= 0.9 * timeout:
                return PipelineError(
                    "ocr", "ocr_timeout", f"tesseract {mode} reading took over {timeout:.0f} s"
                )
            return PipelineError("ocr", "ocr_failed", f"tesseract library: the {mode} reading failed")
        words = data_to_words(tsv_to_data(api.GetTSVText(0)))
        api.Clear()  # the page's image and results freed now, not at the next reading
        return words

    def orientation(self, image: Gray, dpi: float, timeout: float) -> Orientation | PipelineError:
        return self._command.orientation(image, dpi, timeout)
