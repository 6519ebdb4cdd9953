"""Which OCR engine reads the pages: `--ocr-engine NAME[:ARGUMENT]`.

    tesseract     tesseract chi_sim (the default): in the process (tesserocr) where it is installed,
                  else the `tesseract` command; both give the same readings
    tesseract-cli the `tesseract` command for every reading (one process each: slower)
    none          no OCR: a page that needs it is an empty page with an `ocr_unavailable` error,
                  so its report is `partial` (a quick first pass that flags every scan)
    record:DIR    tesseract, every reading also written under DIR (replay.py)
    replay:DIR    the readings written under DIR, without running an engine (tests, benchmarks)

An engine is made once per process and spec (no reading leaves state for the next; the library
engine keeps only its loaded models).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from pipeline.core.model import PipelineError
from pipeline.ocr.engine import Gray, OcrEngine, OcrWord, Orientation, ReadMode
from pipeline.ocr.replay import RecordingEngine, ReplayEngine
from pipeline.ocr.tesseract import TesseractEngine
from pipeline.ocr.tesseract_library import TesseractLibraryEngine, library_available


class NullEngine:
    """No engine: every reading fails with `ocr_unavailable`."""

    name = "none"

    def read(self, image: Gray, dpi: float, mode: ReadMode, timeout: float) -> list[OcrWord] | PipelineError:
        return NO_ENGINE

    def orientation(self, image: Gray, dpi: float, timeout: float) -> Orientation | PipelineError:
        return NO_ENGINE


NO_ENGINE = PipelineError(
    "ocr", "ocr_unavailable", "the page needs OCR and no engine was chosen (--ocr-engine none)"
)


def tesseract() -> OcrEngine:
    """tesseract in the process where the library is installed, else the command."""
    return TesseractLibraryEngine() if library_available() else TesseractEngine()


ENGINES: dict[str, Callable[[str], OcrEngine]] = {
    "tesseract": lambda _: tesseract(),
    "tesseract-cli": lambda _: TesseractEngine(),
    "none": lambda _: NullEngine(),
    "record": lambda folder: RecordingEngine(tesseract(), Path(folder)),
    "replay": lambda folder: ReplayEngine(Path(folder)),
}
NEEDS_ARGUMENT = frozenset({"record", "replay"})


def check_spec(spec: str) -> str | None:
    """Why `spec` names no engine (for the CLI to refuse it), else None."""
    name, _, argument = spec.partition(":")
    if name not in ENGINES:
        return f"unknown OCR engine {name!r} (choose from {', '.join(sorted(ENGINES))})"
    if (name in NEEDS_ARGUMENT) != bool(argument):
        return (
            f"{name} needs a folder ({name}:DIR)" if name in NEEDS_ARGUMENT else f"{name} takes no argument"
        )
    return None


@cache
def engine_for(spec: str) -> OcrEngine | PipelineError:
    problem = check_spec(spec)
    if problem:
        return PipelineError("ocr", "ocr_unavailable", problem)
    name, _, argument = spec.partition(":")
    return ENGINES[name](argument)
