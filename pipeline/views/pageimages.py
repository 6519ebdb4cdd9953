"""Page images for the review page, drawn in a killable worker under ingest's limits.

The PDF is read from the archive: a decompression or parser bomb would take the process that
parses it (gigabytes, minutes, an abort). So the pages are drawn by one worker process of the
runner's own kind (run/workers.py): a job over `RenderLimits.seconds` or `memory_mb` is killed
with SIGKILL, and the review ends with the reason (`timeout`, `memory`, `worker_crashed`) as a
`DatasetError`, as do ingest's refusals (`too_many_pages`, `image_too_large`, `not_a_pdf`,
`corrupt_pdf`). What is drawn, and how, is pagerender.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.config import FILE_TIMEOUT_S, MAX_IMAGE_PIXELS, MAX_MEMORY_MB, MAX_PAGES
from pipeline.core.model import PipelineError
from pipeline.run.workers import Failed, Limits, LocalPool, run_limited
from pipeline.store.dataset import DatasetError
from pipeline.views.pagerender import ImageOptions, PageImage, RenderJob, draw_pages

__all__ = ["ImageOptions", "PageImage", "RenderLimits", "render_pages"]
WORKER_PRELOAD = ("pipeline.views.pagerender",)


@dataclass(frozen=True)
class RenderLimits:
    """Ingest's limits, for drawing one file's pages (None or 0: no limit)."""

    seconds: float | None = FILE_TIMEOUT_S
    memory_mb: int | None = MAX_MEMORY_MB
    max_pages: int = MAX_PAGES
    max_image_pixels: int = MAX_IMAGE_PIXELS


def render_pages(
    pdf: Path,
    options: ImageOptions | None = None,
    password: str | None = None,
    limits: RenderLimits = RenderLimits(),
    rotations: Mapping[int, int] | None = None,
) -> list[PageImage] | DatasetError:
    """Every page of `pdf` as a compressed image (turned clockwise as `rotations` says: page →
    degrees), or why the PDF could not be drawn."""
    turned = tuple(sorted((rotations or {}).items()))
    job = RenderJob(
        str(pdf), options or ImageOptions(), password, limits.max_pages, limits.max_image_pixels, turned
    )
    memory = limits.memory_mb * 2**20 if limits.memory_mb else None
    with LocalPool(1, Limits(limits.seconds or None, memory), WORKER_PRELOAD) as pool:
        outcome = run_limited(pool, draw_pages, job)
    if isinstance(outcome, Failed):
        return DatasetError(outcome.reason, f"{pdf}: drawing its pages: {outcome.message}")
    if isinstance(outcome.value, PipelineError):
        return DatasetError(outcome.value.error, f"{pdf}: {outcome.value.message}")
    return outcome.value
