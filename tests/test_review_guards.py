"""`review` reads a PDF from the archive, as untrusted as any: with ingest's guards (page cap,
image cap, time and memory limits in a killable child process), a hostile file ends in one
clear error line, never in a crash or a page of tens of megabytes (issue 14, fault 6)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from .batchkit import cli
from .hostile import parser_loop


def ingested(tmp_path: Path, pdf: Path, *options: str) -> Path:
    out = tmp_path / "out"
    run = cli("ingest", pdf, "--dataset", out, "--no-report", *options)
    assert run.returncode in (0, 1), run.stderr  # the file may fail: its report is there all the same
    return out


@pytest.mark.slow
def test_a_parser_bomb_is_stopped_by_the_time_and_memory_limits(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    parser_loop(bomb)  # 55 KB that PDFium grinds on for minutes, its memory growing
    out = ingested(tmp_path, bomb, "--ocr", "never", "--timeout-per-file", "1")
    html = tmp_path / "review.html"
    for option, limit, reason in (("--timeout", "2", "timeout"), ("--max-memory", "200M", "memory")):
        other = ("--max-memory", "0") if option == "--timeout" else ("--timeout", "120")
        run = cli("review", bomb, "--dataset", out, "--out", html, option, limit, *other, timeout=100)
        assert run.returncode == 2, run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {reason}: "), run.stderr
        assert "Traceback" not in run.stderr
        assert not html.exists()


def test_a_file_over_the_page_cap_is_refused_before_any_page_is_drawn(tmp_path: Path) -> None:
    many = tmp_path / "many.pdf"
    doc = pdfium.PdfDocument.new()
    for _ in range(1_500):
        doc.new_page(595, 842)
    doc.save(str(many))
    doc.close()
    out = ingested(tmp_path, many)  # refused by ingest too: a failed report
    html = tmp_path / "review.html"
    run = cli("review", many, "--dataset", out, "--out", html, timeout=60)
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("error: too_many_pages: ") and "1500 pages" in run.stderr, run.stderr
    assert not html.exists()
    lifted = cli("review", many, "--dataset", out, "--out", html, "--max-pages", "2000", "--scale", "0.2")
    assert lifted.returncode == 0, lifted.stderr  # the cap is the user's to lift, as for ingest
    assert html.stat().st_size < 30 * 2**20
