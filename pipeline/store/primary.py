"""Which file of an office's year an analyst should count: the primary report.

Files of one office (`office_id`) and one year are one report published several times: the text
PDF and a scan of it, a repost, a corrected version. Exactly one of them is primary; the others
point to it (`primary_report_id`). The rules, in order — the first that tells two files apart
decides, and `primary_reason` names it:

    readable     a report that was read (ok or partial) over a failed one
    complete     every cell its format requires read surely (`status` ok) over a partial one
    text_layer   fewer pages read by OCR (a text layer over a scan of it)
    more_cells   more of the expected cells found, then fewer of them flagged
    later        the later correction: the later `published` date, then the later file mtime
    first_id     the smaller report_id (two identical candidates: any fixed choice)

A file alone in its group is primary with reason `only`. A report without an office or a year
cannot be placed: `is_primary` false, `primary_report_id` null, reason `no_office_or_year`.
Pure: rows in, decisions out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

RULES = ("readable", "complete", "text_layer", "more_cells", "later", "first_id")
EARLIEST = datetime(1970, 1, 1)


@dataclass(frozen=True)
class Primary:
    is_primary: bool
    primary_report_id: str | None
    primary_reason: str


def _ranks(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """One value per rule, larger is better (report_id last, smaller is better: negated by sort)."""
    pages = row.get("pages") or 0
    found, expected = row.get("cells_found") or 0, row.get("cells_expected") or 0
    published: date | None = row.get("published")
    mtime: datetime | None = row.get("file_mtime")
    return (
        row.get("status") != "failed",
        row.get("status") == "ok",
        -((row.get("ocr_pages") or 0) / pages if pages else 1.0),
        (found / expected if expected else 0.0, -(row.get("cells_flagged") or 0)),
        (published or date.min, (mtime.replace(tzinfo=None) if mtime else EARLIEST)),
    )


def choose_primaries(
    rows: Iterable[Mapping[str, Any]], office_of: Mapping[str, str | None]
) -> dict[str, Primary]:
    """report_id → its decision; `office_of` maps report_id → office_id."""
    groups: dict[tuple[str, int], list[Mapping[str, Any]]] = {}
    decided: dict[str, Primary] = {}
    for row in rows:
        rid = row["report_id"]
        if rid is None:
            continue
        office, year = office_of.get(rid), row.get("year")
        if office is None or year is None:
            decided[rid] = Primary(False, None, "no_office_or_year")
            continue
        groups.setdefault((office, int(year)), []).append(row)
    for members in groups.values():
        ranked = sorted(members, key=lambda r: r["report_id"])
        ranked.sort(key=_ranks, reverse=True)  # stable: equal ranks keep the smaller id first
        best = ranked[0]
        reason = "only"
        if len(ranked) > 1:
            a, b = _ranks(best), _ranks(ranked[1])
            reason = next((rule for rule, x, y in zip(RULES, a, b, strict=False) if x != y), "first_id")
        for row in ranked:
            rid = row["report_id"]
            decided[rid] = Primary(rid == best["report_id"], best["report_id"], reason)
    return decided
