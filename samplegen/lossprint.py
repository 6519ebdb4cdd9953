"""Printing a report with its loss, and where the loss ended up: the truth's `losses` entry.

A turned page must be set up before anything is drawn on it, and which page holds the table is known only
once the report is laid out: a report with a turned page is printed twice, the first time to find the page.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from samplegen.losses import BREAK_KINDS
from samplegen.model import Loss, Report
from samplegen.pageturn import PageTurn
from samplegen.render import RenderInfo, TablePrint, render

TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四", "统计表": "统计表"}


def print_report(report: Report, pdf: Path) -> RenderInfo:
    loss = report.loss
    if loss is None or loss.kind != "page_turned":
        return render(report, pdf)
    probe = render(report, io.BytesIO())
    turn = PageTurn(probe.table(loss.table).main_page, loss.angle, loss.how)
    return render(report, pdf, turn)


def loss_record(loss: Loss, info: RenderInfo) -> dict[str, Any]:
    """{"kind", "table", "page", …}: page is 1-based, where the loss shows (see samplegen/README.md)."""
    t = info.table(loss.table)
    rec: dict[str, Any] = {"kind": loss.kind, "table": loss.table, "page": t.page}
    if loss.kind in BREAK_KINDS:
        assert loss.break_before is not None
        rec["page"] = t.row_pages[loss.break_before - 1]
        rec["break_before_row"] = loss.break_before
        rec["next_page"] = t.row_pages[loss.break_before]
    elif loss.kind == "header_garbled":
        assert loss.at is not None
        rec.update(page=t.row_pages[loss.at[0]], label=loss.label, printed=loss.printed)
    elif loss.kind == "rules_removed":
        rec.update(pages=_pages(t), rules=loss.rules)
    elif loss.kind == "page_turned":
        rec.update(page=t.main_page, angle=loss.angle, how=loss.how)
    return rec


def loss_note(loss: Loss, info: RenderInfo) -> str:
    """The loss in words, for the truth's notes."""
    t = info.table(loss.table)
    rec = loss_record(loss, info)
    name = f"{loss.table} ({TABLE_NAMES[loss.table]})"
    what = {
        "table_deleted": f"{name} is not printed (it would be on page {t.page}); its cells stay in the truth",
        "header_alone": f"the first header row of {name} stands alone at the foot of page {rec['page']}, "
        f"the rest of the table is on page {rec.get('next_page')} without a repeated header",
        "header_split": f"the header of {name} is split by the page break before its row "
        f"{rec.get('break_before_row')} (pages {rec['page']}-{rec.get('next_page')}), tall header cells "
        "left open at the break",
        "header_band_alone": f"the header band of {name} is alone at the foot of page {rec['page']}, its "
        f"values on page {rec.get('next_page')} without a header",
        "header_garbled": f"the {name} header label '{loss.label}' is printed '{loss.printed}' "
        f"(page {rec['page']})",
        "rules_removed": f"{name} is printed {'borderless' if loss.rules == 'none' else 'three-line style'}",
        "page_turned": f"page {rec['page']} (with {name}) is turned {loss.angle}° clockwise "
        f"({'its /Rotate' if loss.how == 'rotate_key' else 'content drawn turned'})",
    }[loss.kind]
    return f"injected loss {loss.kind}: {what}"


def _pages(t: TablePrint) -> list[int]:
    return sorted(set(t.row_pages)) or [t.page]
