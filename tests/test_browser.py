"""The generated HTML opened in real headless Chromium (Debian's, driven by Playwright).

Checks what a reader sees: charts drawn, boxes where the PDF's own text is, failed checks
highlighted, nothing fetched from anywhere, hostile report text shown as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pypdfium2 as pdfium
import pytest

from pipeline.store.dataset import read
from pipeline.views.review import write_review
from pipeline.views.runreport import write_run_report
from tests.conftest import CORPUS
from tests.hostile_views import hostile_dataset

CITY = CORPUS / "pdf" / "2024_huaian-city.pdf"
HONGZE_2023 = CORPUS / "pdf" / "2023_huaian-hongze.pdf"
FAILED = "rgb(214, 39, 40)"


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh page that records every request and every dialog (alert) it sees."""
    tab = chromium.new_page()
    tab.requests, tab.dialogs = [], []
    tab.on("request", lambda r: tab.requests.append(r.url))
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    yield tab
    tab.close()


def _open(page: Any, path: Path) -> None:
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    external = [u for u in page.requests if not u.startswith(("file:", "data:"))]
    assert not external, f"the page fetched {external}"


def _text_boxes(pdf: Path, page_number: int, needle: str) -> list[tuple[float, float, float, float]]:
    """Where PDFium finds `needle` on a page: (x0, top, x1, bottom) in points from the top-left."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[page_number - 1]
        height = page.get_height()
        text = page.get_textpage()
        searcher = text.search(needle)
        found = []
        while (hit := searcher.get_next()) is not None:
            start, count = hit
            boxes = [text.get_charbox(i, loose=False) for i in range(start, start + count)]
            found.append(
                (
                    min(b[0] for b in boxes),
                    height - max(b[3] for b in boxes),
                    max(b[2] for b in boxes),
                    height - min(b[1] for b in boxes),
                )
            )
        return found
    finally:
        doc.close()


def _fact_index(dataset: Path, report_id: str, table: str, row: str, col: str) -> tuple[int, dict[str, Any]]:
    facts = read(dataset, "facts", where=pc.field("report_id") == report_id).to_pylist()
    for i, fact in enumerate(facts):
        if (fact["table"], fact["row"], fact["col"]) == (table, row, col):
            return i, fact
    raise AssertionError(f"no {table} {row}:{col} fact")


def _box_in_points(page: Any, index: int) -> tuple[float, float, float, float]:
    """The drawn box of figure `index`, measured in the browser, converted back to PDF points."""
    geometry = page.eval_on_selector(
        f"#b{index}",
        """b => { const s = b.closest('.sheet'), i = s.querySelector('img');
                  const r = b.getBoundingClientRect(), p = i.getBoundingClientRect();
                  return {x: r.left - p.left, y: r.top - p.top, w: r.width, h: r.height,
                          pw: p.width, ph: p.height, W: +s.dataset.width, H: +s.dataset.height}; }""",
    )
    sx, sy = geometry["W"] / geometry["pw"], geometry["H"] / geometry["ph"]
    x0, top = geometry["x"] * sx, geometry["y"] * sy
    return x0, top, x0 + geometry["w"] * sx, top + geometry["h"] * sy


def test_review_box_sits_on_the_printed_figure(corpus_views_dataset: Path, page: Any, tmp_path: Path) -> None:
    out = write_review(corpus_views_dataset, str(CITY), tmp_path / "review.html")
    assert isinstance(out, Path), out
    _open(page, out)
    reports = read(corpus_views_dataset, "reports", ["report_id", "source_path"]).to_pylist()
    rid = next(r["report_id"] for r in reports if r["source_path"] == CITY.name)
    index, fact = _fact_index(corpus_views_dataset, rid, "t3", "new_received", "total")
    assert (fact["raw"], fact["page"]) == ("3119", 4)
    assert page.eval_on_selector(f"#b{index}", "b => b.closest('.page').dataset.page") == "4"
    drawn = _box_in_points(page, index)
    stored = (fact["x0"], fact["top"], fact["x1"], fact["bottom"])
    assert all(abs(a - b) < 1.0 for a, b in zip(drawn, stored, strict=True)), (drawn, stored)
    assert drawn[2] - drawn[0] < 80 and drawn[3] - drawn[1] < 40, f"{drawn} is not one cell"
    # PDFium's own position of the printed "3119" on page 4 lies inside the drawn box
    slack = 1.0
    inside = [
        t
        for t in _text_boxes(CITY, 4, "3119")
        if drawn[0] - slack <= t[0]
        and t[2] <= drawn[2] + slack
        and drawn[1] - slack <= t[1]
        and t[3] <= drawn[3] + slack
    ]
    assert inside, f"no '3119' of page 4 lies in {drawn}: {_text_boxes(CITY, 4, '3119')}"
    # hovering shows key, printed value, method and confidence; clicking selects it in the table
    tooltip = page.get_attribute(f"#b{index}", "title")
    assert "new_received:total" in tooltip and "'3119'" in tooltip and "method: text" in tooltip
    assert "confidence 1.00" in tooltip
    page.click(f"#b{index}")
    assert (
        page.eval_on_selector(f"#c{index}", "c => c.classList.contains('sel') && c.textContent.trim()")
        == "3119"
    )
    assert "new_received:total" in page.inner_text("#panel")
    page.screenshot(path=str(tmp_path / "review.png"))
    assert (tmp_path / "review.png").stat().st_size > 20_000


def test_review_every_box_is_on_its_page(corpus_views_dataset: Path, page: Any, tmp_path: Path) -> None:
    out = write_review(corpus_views_dataset, str(CITY), tmp_path / "review.html")
    assert isinstance(out, Path)
    _open(page, out)
    outside = page.eval_on_selector_all(
        ".box",
        """bs => bs.filter(b => { const r = b.getBoundingClientRect(), p = b.closest('.sheet').getBoundingClientRect();
                                   return r.width <= 0 || r.left < p.left - 1 || r.right > p.right + 1
                                       || r.top < p.top - 1 || r.bottom > p.bottom + 1; }).map(b => b.id)""",
    )
    assert outside == []
    boxes = page.eval_on_selector_all(".box", "bs => bs.length")
    assert boxes > 150  # every table figure of the report has a box


def test_review_highlights_failed_checks(corpus_views_dataset: Path, page: Any, tmp_path: Path) -> None:
    out = write_review(corpus_views_dataset, str(HONGZE_2023), tmp_path / "review.html")
    assert isinstance(out, Path)
    _open(page, out)
    assert page.inner_text("#checks-failed") == "2"
    items = page.query_selector_all("li.failed-check")
    assert [i.get_attribute("data-check") for i in items] == [
        "t4.review.total",
        "t4.litigation_after_review.total",
    ]
    colours = page.eval_on_selector_all(
        ".box.failed", "bs => bs.map(b => getComputedStyle(b).borderTopColor)"
    )
    assert len(colours) == 10 and set(colours) == {FAILED}
    cells = page.eval_on_selector_all("#table-t4 td.cell.failed", "cs => cs.map(c => c.textContent.trim())")
    assert sorted(cells) == sorted(["10", "1", "0", "0", "0", "5", "0", "0", "0", "0"])
    assert page.eval_on_selector_all(".box.checked", "bs => bs.length") > 100
    items[0].click()
    selected = page.eval_on_selector_all(".sel", "es => es.map(e => e.id)")
    assert len(selected) == 10 and {s[0] for s in selected} == {"b", "c"}


def test_run_report_renders_charts_and_problems(
    corpus_views_dataset: Path, page: Any, tmp_path: Path
) -> None:
    out = write_run_report(corpus_views_dataset, tmp_path / "report.html")
    _open(page, out)
    sizes = page.eval_on_selector_all(
        "figure.chart svg",
        "ss => ss.map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; })",
    )
    assert len(sizes) == 7 and all(w > 150 and h > 60 for w, h in sizes), sizes
    bars = page.eval_on_selector_all(
        "#chart-year-format svg path, #chart-year-format svg use", "ps => ps.length"
    )
    assert bars > 5
    problems = page.eval_on_selector_all(
        "tr.problem", "rs => rs.map(r => [...r.cells].map(c => c.textContent.trim()))"
    )
    assert sorted((p[1], p[6]) for p in problems) == [
        ("corrupt.pdf", "corrupt_pdf"),
        ("encrypted.pdf", "encrypted_pdf"),
    ]
    assert "2023_huaian-hongze.pdf" in page.inner_text("#failing-checks")
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 30_000


def test_hostile_text_stays_text(page: Any, tmp_path: Path) -> None:
    dataset, src, rid = hostile_dataset(tmp_path)
    review = write_review(dataset, rid, tmp_path / "review.html", src=src)
    assert isinstance(review, Path), review
    _open(page, review)
    assert page.eval_on_selector_all("script", "ss => ss.length") == 2  # the figures' JSON and the page's own
    assert page.eval_on_selector_all("img", "is => is.length") == 1  # the page image only
    assert '<script>alert("x")</script>' in page.inner_text("h1")
    # an OCR reading at confidence 0.5 outside any failed check is drawn as low confidence (orange)
    assert (
        page.eval_on_selector("#b1.box.low", "b => getComputedStyle(b).borderTopColor") == "rgb(255, 127, 14)"
    )
    assert page.eval_on_selector(".pagehead", "h => h.textContent").count("ocr") >= 1
    page.click("#b1")
    assert "<img src=x" in page.inner_text("#panel")
    report = write_run_report(dataset, tmp_path / "report.html")
    _open(page, report)
    scripts = page.eval_on_selector_all("script", "ss => ss.length")
    assert scripts == 3  # the list's JSON, its link base, the script
    assert page.eval_on_selector_all("main img", "is => is.length") == 0
    assert '<script>alert("x")</script>' in page.inner_text("#report-list")  # listed as text
    assert page.dialogs == []


def _listed(page: Any) -> list[list[str]]:
    return page.eval_on_selector_all(  # type: ignore[no-any-return]
        "#report-list tbody tr", "rs => rs.map(r => [...r.cells].map(c => c.textContent.trim()))"
    )


@pytest.fixture
def reviewed(corpus_views_dataset: Path, tmp_path: Path) -> Path:
    """A copy of the corpus dataset with every review page written (`report --reviews`)."""
    import shutil

    from pipeline.views.reviews import write_missing_reviews

    dataset = tmp_path / "ds"
    shutil.copytree(corpus_views_dataset, dataset)
    done = write_missing_reviews(dataset)
    assert done.written == 6 and not done.failed
    return dataset


def test_run_report_links_open_review_pages(reviewed: Path, page: Any, tmp_path: Path) -> None:
    city = read(reviewed, "reports", ["report_id", "source_path"]).to_pylist()
    city_id = next(r["report_id"] for r in city if r["source_path"].endswith("2024_huaian-city.pdf"))
    for out in (
        write_run_report(reviewed, reviewed / "_report.html"),
        write_run_report(reviewed, tmp_path / "x" / "r.html"),
    ):
        _open(page, out)
        link = page.locator(f'#report-list tr[data-report="{city_id}"] a.review')
        assert link.inner_text() == "review"
        link.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"/_reviews/{city_id}.html")
        assert "2024_huaian-city.pdf" in page.content() and page.locator("img").count() == 6
        assert not [u for u in page.requests if not u.startswith(("file:", "data:"))]


def test_run_report_search_and_filters_narrow_the_list(reviewed: Path, page: Any) -> None:
    _open(page, write_run_report(reviewed, reviewed / "_report.html"))
    assert len(_listed(page)) == 8 and page.inner_text("#shown") == "8"
    page.fill("#q", "洪泽")
    rows = _listed(page)
    assert sorted(r[10] for r in rows) == ["2023_huaian-hongze.pdf", "2024_huaian-hongze.pdf"]
    assert {r[3] for r in rows} == {"320813"} and page.inner_text("#offices-shown") == "1"
    page.fill("#q", "")
    page.select_option("#f-status", "failed")
    assert sorted(r[10] for r in _listed(page)) == ["corrupt.pdf", "encrypted.pdf"]
    page.select_option("#f-status", "")
    page.select_option("#f-year", "2024")
    assert len(_listed(page)) == 2 and page.locator("#year-list tbody tr").count() == 1
    page.select_option("#f-year", "")
    page.locator("#office-list a.office", has_text="平潭综合实验区").click()  # the by-office view picks one
    assert sorted(r[4] for r in _listed(page)) == ["2018", "2020"]
    page.click("#office-clear")
    page.fill("#q", "<script>")
    assert _listed(page) == [] and not page.dialogs
