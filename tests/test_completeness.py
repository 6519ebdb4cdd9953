"""Never a silent miss: each shortfall class on a real PDF (the generator's reportlab renderer,
one report edited to show it), and a clean report that raises none.

The reports are the generator's own; each test changes one thing a real report does (a table not
printed, a header misprinted, a row left out, a label no key knows, a title without an office or
with a sentence in its place) and checks the error row, the status and the coverage.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from pipeline import process_file
from pipeline.core.model import PipelineError, ReportResult
from pipeline.ocr.engine import OcrWord, Orientation, ReadMode
from pipeline.ocr.page import ocr_page
from pipeline.ocr.tesseract import TesseractEngine
from samplegen.content import build_report
from samplegen.grid import Grid
from samplegen.model import Block, Closing, Meta, Para, Report, Table, Title
from samplegen.render import render

from .conftest import CORPUS, needs_corpus
from .ocr_support import needs_tesseract

SEED, INDEX = 41, 2  # a 2021-format report with every table


def report_2021() -> Report:
    report = build_report(SEED, INDEX, "2021")
    assert report.fmt == "2021"
    return report


def read(report: Report, tmp_path: Path) -> ReportResult:
    pdf = tmp_path / f"{report.name}.pdf"
    render(report, pdf)
    return process_file(pdf)


def edit_grid(report: Report, name: str, change: Callable[[Grid], Grid | None]) -> Report:
    blocks: list[Block] = []
    for block in report.blocks:
        if isinstance(block, Table) and block.grid.name == name:
            grid = change(block.grid)
            if grid is None:
                continue
            block = replace(block, grid=grid)
        blocks.append(block)
    return replace(report, blocks=tuple(blocks))


def relabel(grid: Grid, old: str, new: str) -> Grid:
    assert any(c.text == old for c in grid.cells), old
    return replace(grid, cells=tuple(replace(c, text=new) if c.text == old else c for c in grid.cells))


def classes(result: ReportResult) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for e in result.errors:
        out.setdefault(e.error, []).append(e.message)
    return out


def test_a_clean_report_is_ok_and_complete(tmp_path: Path) -> None:
    result = read(report_2021(), tmp_path)
    assert (result.status, result.errors) == ("ok", ())
    assert result.coverage is not None and result.coverage.complete
    assert result.coverage.expected == 175 + 15 + 10  # 表三 25 rows × 7, 表四 15, 表二 2021's 10 cells


def test_a_table_not_printed_is_table_not_found(tmp_path: Path) -> None:
    result = read(edit_grid(report_2021(), "t4", lambda g: None), tmp_path)
    assert result.status == "partial"
    found = classes(result)
    assert list(found) == ["table_not_found"] and "表四" in found["table_not_found"][0]
    assert result.coverage is not None and result.coverage.expected - result.coverage.found == 15


def test_a_garbled_header_still_identifies_the_table_by_its_labels(tmp_path: Path) -> None:
    def garble(grid: Grid) -> Grid:
        return relabel(relabel(grid, "申请人情况", "中请人情况"), "自然人", "昌然人")

    result = read(edit_grid(report_2021(), "t3", garble), tmp_path)
    t3 = {(f.row, f.col) for f in result.facts if f.table == "t3" and f.row and f.col}
    assert len(t3) == 175 - 25  # every cell but the 自然人 column, whose label no key knows
    assert set(classes(result)) == {"cell_unkeyed", "table_incomplete"}


def test_a_grid_of_numbers_no_table_knows_is_table_unidentified(tmp_path: Path) -> None:
    def unknown(grid: Grid) -> Grid:
        cells = tuple(
            c if not c.text or c.text.strip().lstrip("+-").isdigit() else replace(c, text=f"项目{i}")
            for i, c in enumerate(grid.cells)
        )
        return replace(grid, cells=cells)

    result = read(edit_grid(report_2021(), "t3", unknown), tmp_path)
    found = classes(result)
    assert result.status == "partial" and set(found) == {"table_not_found", "table_unidentified"}
    assert "表三" in found["table_not_found"][0] and "rows ×" in found["table_unidentified"][0]


@pytest.mark.parametrize(
    ("circular", "fmt"), [("国办公开办函〔2021〕30号", "2021"), ("国办公开办函〔2019〕60号", "2019")]
)
def test_without_表二_the_format_is_the_circular_the_report_cites(
    circular: str, fmt: str, tmp_path: Path
) -> None:
    report = edit_grid(report_2021(), "t2", lambda g: None)
    blocks = list(report.blocks)
    first = next(i for i, b in enumerate(blocks) if isinstance(b, Para))
    para = blocks[first]
    assert isinstance(para, Para)
    blocks[first] = replace(para, text=para.text + f"本报告按照《{circular}》的格式编制。")
    result = read(replace(report, blocks=tuple(blocks)), tmp_path)
    assert result.meta is not None and result.meta.format == fmt
    assert list(classes(result)) == ["table_not_found"]


def test_a_row_left_out_is_table_incomplete_with_the_row_named(tmp_path: Path) -> None:
    def drop_row(grid: Grid) -> Grid:
        row = next(c.row for c in grid.cells if c.text.startswith("2.重复申请"))
        cells = [c for c in grid.cells if c.row != row]
        shifted = tuple(replace(c, row=c.row - 1) if c.row > row else c for c in cells)
        spans = tuple(
            replace(c, rowspan=c.rowspan - 1) if c.row < row < c.row + c.rowspan else c for c in shifted
        )
        return replace(grid, cells=spans, n_rows=grid.n_rows - 1)

    result = read(edit_grid(report_2021(), "t3", drop_row), tmp_path)
    found = classes(result)
    assert result.status == "partial" and "table_incomplete" in found
    assert "rows not_processed.duplicate" in found["table_incomplete"][0]
    assert result.coverage is not None and result.coverage.expected - result.coverage.found == 7


def test_a_label_no_key_knows_is_cell_unkeyed(tmp_path: Path) -> None:
    report = edit_grid(report_2021(), "t3", lambda g: relabel(g, "2.重复申请", "2.节假日期间提交的申请"))
    found = classes(read(report, tmp_path))
    assert "cell_unkeyed" in found and "节假日期间提交的申请" in found["cell_unkeyed"][0]
    assert "table_incomplete" in found  # the row's keys are missing too


def without_office(report: Report, title: tuple[str, ...], in_body: bool = False) -> Report:
    """The title replaced, and no office printed anywhere else (no signature, no 发布机构, and
    unless `in_body` none in the text: 请与本机关…联系)."""
    blocks: list[Block] = []
    for block in report.blocks:
        if isinstance(block, Title):
            block = Title(title)
        elif isinstance(block, Closing):
            block = Closing(tuple(line for line in block.lines if "年" in line))
        elif isinstance(block, Meta):
            continue
        elif isinstance(block, Para) and not in_body:
            text = re.sub(r"请与[^，。；]*?联系", "请与本机关联系", block.text)
            block = replace(block, text=re.sub(r"本报告由[^，。；]*?(根据|编制)", r"本报告由本机关\1", text))
        blocks.append(block)
    return replace(report, blocks=tuple(blocks), name=report.name)


@pytest.mark.parametrize(
    ("title", "error", "words"),
    [
        (("政府信息公开工作年度报告",), "doc_field_missing", "office"),
        (("关于做好2021年度政府信息公开工作年度报告",), "doc_field_implausible", "做好"),
    ],
)
def test_an_office_or_year_that_cannot_be_read_is_null_and_said(
    title: tuple[str, ...], error: str, words: str, tmp_path: Path
) -> None:
    result = read(without_office(report_2021(), title), tmp_path)
    assert result.status == "partial" and result.meta is not None
    found = classes(result)
    assert error in found and any(words in m for m in found[error]), found
    assert result.meta.office is None or "做好" not in result.meta.office
    assert result.meta.year is None or result.meta.year >= 2003


def test_without_a_title_the_office_comes_from_the_text_and_says_so(tmp_path: Path) -> None:
    report = report_2021()
    result = read(without_office(report, ("政府信息公开工作年度报告",), in_body=True), tmp_path)
    assert result.meta is not None and result.status == "ok"
    assert (result.meta.office_source, result.meta.year_source) == ("body", "period")
    assert result.meta.office == "乐淮高新技术产业开发区管委会"  # as the text names it (本报告由…办公室…编制)


def test_a_title_year_out_of_the_era_gives_way_to_the_statistics_period(tmp_path: Path) -> None:
    result = read(without_office(report_2021(), ("城南区人民政府1998年政府信息公开工作年度报告",)), tmp_path)
    assert result.meta is not None and result.meta.year == report_2021().year  # 统计期限 in the intro
    assert result.meta.office == "城南区人民政府"


def test_a_year_only_implausible_sources_give_is_null_and_said() -> None:
    from datetime import date

    from pipeline.core.model import Outline
    from pipeline.outline.meta import outline_to_meta

    outline = Outline("城南区人民政府2031年政府信息公开工作年度报告", 1, (), (), ("2025年1月20日",), ())
    meta, errors = outline_to_meta(outline, "2021", date(2026, 12, 4))
    assert (meta.office, meta.year, meta.published) == ("城南区人民政府", None, date(2025, 1, 20))
    assert [(e.error, e.message[:13]) for e in errors] == [("doc_field_implausible", "year '2031' (")]


@pytest.mark.parametrize(
    ("closing", "preamble", "year"),
    [
        # the title's 9 misread as 5 in a report signed 2020-02-20: the period's 2019 (with an error)
        (("德宝区桂马镇人民政府", "2020年2月20日"), (), 2019),
        # a date only in a web page's metadata may be a re-posting years later: the title's year
        ((), ("发布日期：2020-02-20",), 2015),
    ],
    ids=["signed", "posted"],
)
def test_a_title_year_years_before_the_reports_closing_date_is_misread(
    closing: tuple[str, ...], preamble: tuple[str, ...], year: int
) -> None:
    from datetime import date

    from pipeline.core.model import Outline, Paragraph
    from pipeline.outline.meta import outline_to_meta

    intro = Paragraph("本报告所列数据的统计期限自2019年1月1日起至2019年12月31日止。", 1, None)
    title = "德宝区桂马镇人民政府2015年政府信息公开工作年度报告"
    outline = Outline(title, 1, (), (intro,), closing, preamble)
    meta, _ = outline_to_meta(outline, "2019", date(2026, 12, 4))
    assert (meta.year, meta.published) == (year, date(2020, 2, 20))


# --- on scans: real tesseract ------------------------------------------------------------------

SCAN = CORPUS / "scan" / "2024_huaian-hongze_scan.pdf"
TEXT = CORPUS / "pdf" / "2024_huaian-hongze.pdf"
TABLE_PAGE = 3  # 表二's tail and 表三


def one_scan_page(
    path: Path,
    rotation: int = 0,
    white: list[tuple[float, float, float, float]] = (),
    number: int = TABLE_PAGE,
) -> Path:
    """Page `number` of the corpus scan as a file of its own: turned by /Rotate, or with white
    boxes (x0, top, x1, bottom in points from the top-left) painted over parts of it."""
    src = pdfium.PdfDocument(str(SCAN))
    doc = pdfium.PdfDocument.new()
    doc.import_pages(src, [number - 1])
    page = doc[0]
    height = page.get_height()
    for x0, top, x1, bottom in white:
        rect = pdfium_c.FPDFPageObj_CreateNewRect(x0, height - bottom, x1 - x0, bottom - top)
        pdfium_c.FPDFPageObj_SetFillColor(rect, 255, 255, 255, 255)
        pdfium_c.FPDFPath_SetDrawMode(rect, pdfium_c.FPDF_FILLMODE_ALTERNATE, 0)
        pdfium_c.FPDFPage_InsertObject(page.raw, rect)
    if white:
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    page.set_rotation(rotation)
    doc.save(str(path))
    doc.close()
    src.close()
    return path


@needs_corpus
@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_scanned_page_that_stands_turned_is_read_upright(rotation: int, tmp_path: Path) -> None:
    upright = process_file(one_scan_page(tmp_path / "upright.pdf"))
    turned = process_file(one_scan_page(tmp_path / "turned.pdf", rotation=rotation))
    assert [p.rotation for p in turned.pages] == [(360 - rotation) % 360]
    assert turned.errors == upright.errors
    read = {(f.table, f.row, f.col): f.value for f in upright.facts}
    assert {(f.table, f.row, f.col): f.value for f in turned.facts} == read and len(read) > 50


@needs_corpus
@needs_tesseract
@pytest.mark.slow
def test_a_short_page_upside_down_is_read_turned_over(tmp_path: Path) -> None:
    """Three lines left on the last page (too few characters for OSD or the vocabulary test),
    stored upside down: read with little confidence as stored, so read turned over as well."""
    lines = (0, 195, 600, 280)  # 六、其他需要报告的事项 and the sentence under it
    white = [(0, 0, 600, lines[1]), (0, lines[3], 600, 850)]
    doc = pdfium.PdfDocument(str(one_scan_page(tmp_path / "short.pdf", 180, white, number=5)))
    page = ocr_page(doc[0], 1, TesseractEngine(), "no_text_layer", 120.0)
    doc.close()
    assert page.rotation == 180 and page.error is None
    assert page.lines and page.lines[0].text == "六、其他需要报告的事项"


class UprightFails:
    """tesseract, except that a page read again turned upright cannot be read at all."""

    name = "test"

    def __init__(self) -> None:
        self.engine = TesseractEngine()
        self.asked = False

    def read(self, image: Any, dpi: float, mode: ReadMode, timeout: float) -> list[OcrWord] | PipelineError:
        if self.asked:
            return PipelineError("ocr", "ocr_failed", "this engine cannot read turned pages")
        return self.engine.read(image, dpi, mode, timeout)

    def orientation(self, image: Any, dpi: float, timeout: float) -> Orientation | PipelineError:
        self.asked = True
        return self.engine.orientation(image, dpi, timeout)


@needs_corpus
@needs_tesseract
@pytest.mark.slow
def test_a_turned_page_that_cannot_be_read_upright_is_page_orientation(tmp_path: Path) -> None:
    doc = pdfium.PdfDocument(str(one_scan_page(tmp_path / "turned.pdf", rotation=90)))
    page = ocr_page(doc[0], 1, UprightFails(), "no_text_layer", 120.0)
    doc.close()
    assert page.rotation == 0 and page.error is not None and page.error.error == "page_orientation"
    assert "turned 270°" in page.error.message


@needs_corpus
@needs_tesseract
@pytest.mark.slow
def test_labels_that_cannot_be_read_make_keys_by_position_and_cells_doubtful(tmp_path: Path) -> None:
    """The labels of three 表三 rows painted over: their keys come from the printed order, and
    the report says those cells are in doubt."""
    text = process_file(TEXT)
    rows = ("denied.state_secret", "denied.prohibited_by_law", "denied.security_stability")
    cells = [f for f in text.facts if f.table == "t3" and f.row in rows and f.col == "natural_person"]
    assert len(cells) == 3 and {f.page for f in cells} == {TABLE_PAGE}
    boxes = [(60.0, f.bbox.top + 1, f.bbox.x0 - 3, f.bbox.bottom - 1) for f in cells if f.bbox]
    result = process_file(one_scan_page(tmp_path / "labels.pdf", white=boxes))
    by_position = {f.row for f in result.facts if "key_by_position" in f.flags}
    assert set(rows) <= by_position
    found = classes(result)
    assert "cells_doubtful" in found
    t3 = next(m for m in found["cells_doubtful"] if m.startswith("表三"))
    assert int(t3.split(": ")[1].split(" cells")[0]) >= len(rows) * 7
    assert all(f.confidence < 0.9 for f in result.facts if "key_by_position" in f.flags)


@needs_corpus
@needs_tesseract
@pytest.mark.slow
def test_the_review_page_draws_a_turned_page_as_it_was_read(tmp_path: Path) -> None:
    """The page is stored sideways (landscape as displayed); it was read turned upright, so the
    review page draws it upright (portrait), where its figures' boxes are."""
    from pipeline import ingest
    from pipeline.views.review import write_review

    src = tmp_path / "src"
    src.mkdir()
    one_scan_page(src / "turned.pdf", rotation=90)
    ingest(src, tmp_path / "out")
    html = write_review(tmp_path / "out", "turned.pdf", tmp_path / "review.html", src=src)
    assert isinstance(html, Path)
    sheet = re.search(r'class="sheet" data-width="([\d.]+)" data-height="([\d.]+)"', html.read_text())
    assert sheet is not None and float(sheet.group(1)) < float(sheet.group(2))
