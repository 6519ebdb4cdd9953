"""A row of figures whose 0s a copier broke is still a row of figures (real tesseract)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from pipeline import process_file

from . import scan_degrade
from .ocr_support import needs_tesseract

DATA = Path(__file__).parent / "data"

pytestmark = needs_tesseract


def test_zeros_a_streak_broke_in_a_row_of_figures_are_read_as_zeros(tmp_path: Path) -> None:
    """表四 of a generated photocopy (seed 163, 300 dpi bilevel): a drop-out streak cut the 0s of
    its one row of figures into arcs. Every reading of them was junk (人V, 人W, W, U), so the row
    did not count as figures and their ring shape, a 0's, was never asked: eight 0s lost. A ring
    shaped like a 0 counts as a figure in that vote, and the 0s under 未经复议直接起诉 are read (those
    under 复议后起诉 lost their tops as specks: still unread, and flagged)."""
    page = Image.open(DATA / "photocopy_t4_broken_zeros.png")
    result = process_file(scan_degrade.save_pdf([(page, 300.0)], tmp_path / "t4.pdf"))
    t4 = {(f.row, f.col): f for f in result.facts if f.table == "t4"}
    direct = [
        t4[("litigation_direct", col)] for col in ("maintained", "corrected", "other", "pending", "total")
    ]
    assert [f.value for f in direct] == [0.0] * 5
    assert (t4[("review", "other")].value, t4[("review", "total")].value) == (2.0, 2.0)
    unread = [f for f in t4.values() if f.value is None]
    assert all(f.confidence < 1 for f in unread)  # what is still lost says so
