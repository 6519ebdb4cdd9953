"""Review pages for every report of a dataset, where the run report links to them
(`DATASET/_reviews/<report_id>.html`): `report --reviews` writes those not there yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.compute as pc

from pipeline.store.dataset import DatasetError, read
from pipeline.views.review import review_path, write_review


@dataclass
class Written:
    written: int = 0
    present: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (report_id, why)


def write_missing_reviews(dataset: Path) -> Written:
    """The review page of every report that was read (not `failed`) and has none yet."""
    reports = read(dataset, "reports", ["report_id", "status"])
    reports = reports.filter(
        pc.and_(pc.is_valid(reports.column("report_id")), pc.not_equal(reports.column("status"), "failed"))
    )
    done = Written()
    for report_id in sorted(set(reports.column("report_id").to_pylist())):
        if review_path(dataset, report_id).is_file():
            done.present += 1
            continue
        out = write_review(dataset, report_id, None)
        if isinstance(out, DatasetError):
            done.failed.append((report_id, f"{out.error}: {out.message}"))
        else:
            done.written += 1
    return done
