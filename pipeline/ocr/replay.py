"""Recorded OCR: an engine that writes down what another read, and one that reads it back.

`record:DIR` runs tesseract and appends every reading to `DIR/<pid>.jsonl` (one file per process,
so parallel workers never share a file). `replay:DIR` answers from those files, without
tesseract: tests and benchmarks of everything after the engine run in milliseconds and give the
rows of the recorded run exactly. A reading is found by a hash of the image it was asked to
read (pixels, shape, dpi, mode), so a replay fails with `ocr_failed` as soon as anything before
the engine (rendering, levelling, cropping) changes: record again then.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

from pipeline.core.model import PipelineError
from pipeline.ocr.engine import Gray, OcrEngine, OcrWord, Orientation, ReadMode


def reading_key(image: Gray, dpi: float, mode: ReadMode | str) -> str:
    digest = hashlib.sha1(image.tobytes())
    digest.update(f"|{image.shape}|{round(dpi)}|{mode}".encode())
    return digest.hexdigest()


class RecordingEngine:
    """Another engine's readings, each also appended to this process's file under `folder`."""

    def __init__(self, engine: OcrEngine, folder: Path) -> None:
        self.name = f"record:{engine.name}"
        self.engine = engine
        self.folder = folder

    def read(self, image: Gray, dpi: float, mode: ReadMode, timeout: float) -> list[OcrWord] | PipelineError:
        words = self.engine.read(image, dpi, mode, timeout)
        if not isinstance(words, PipelineError):
            self._write({"key": reading_key(image, dpi, mode), "words": [_word_row(w) for w in words]})
        return words

    def orientation(self, image: Gray, dpi: float, timeout: float) -> Orientation | PipelineError:
        found = self.engine.orientation(image, dpi, timeout)
        if not isinstance(found, PipelineError):
            entry = {"key": reading_key(image, dpi, "osd"), "orientation": [found.degrees, found.confidence]}
            self._write(entry)
        return found

    def _write(self, entry: Mapping[str, object]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / f"{os.getpid()}.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")


class ReplayEngine:
    """Readings recorded by `RecordingEngine` (`*.jsonl` or `*.jsonl.gz` under `folder`)."""

    name = "replay"

    def __init__(self, folder: Path) -> None:
        self.readings: dict[str, list[OcrWord]] = {}
        self.orientations: dict[str, Orientation] = {}
        for path in sorted(folder.glob("*.jsonl*")):
            opener = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rt", encoding="utf-8") as fh:
                for line in fh:
                    entry = json.loads(line)
                    if "orientation" in entry:
                        self.orientations[entry["key"]] = Orientation(*entry["orientation"])
                    else:
                        self.readings[entry["key"]] = [OcrWord(*row) for row in entry["words"]]

    def read(self, image: Gray, dpi: float, mode: ReadMode, timeout: float) -> list[OcrWord] | PipelineError:
        found = self.readings.get(reading_key(image, dpi, mode))
        if found is None:
            return PipelineError("ocr", "ocr_failed", f"replay: no recorded {mode} reading of this image")
        return list(found)

    def orientation(self, image: Gray, dpi: float, timeout: float) -> Orientation | PipelineError:
        found = self.orientations.get(reading_key(image, dpi, "osd"))
        if found is None:
            return PipelineError("ocr", "ocr_failed", "replay: no recorded orientation of this image")
        return found


def _word_row(w: OcrWord) -> list[object]:
    return [w.text, w.x0, w.top, w.x1, w.bottom, w.confidence, w.line]
