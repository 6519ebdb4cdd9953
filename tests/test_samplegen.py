"""samplegen: text layers carry the truth, truth satisfies the identities and maps through score.py, scans are
image-only A4, and generation is deterministic."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samplegen import FORMATS, LOSS_KINDS, Injections, build_report, generate, plan_report
from samplegen.__main__ import main
from samplegen.grid import Grid
from samplegen.labels import GARBLED
from samplegen.losses import printed_grids
from samplegen.model import Table
from samplegen.pagebreaks import apply_breaks
from samplegen.phrases import cn_number, cn_year
from samplegen.render import render

from .pdfgeom import (
    chars,
    is_page_number,
    ruled_share,
    scan_turn,
    strokes,
    table_parts,
    text_below,
    text_in,
    text_turn,
)

SCORE_PY = Path("/work/shared/eval/score.py")
SEED = 20261126
PER_FORMAT = 3


def _load_score() -> ModuleType | None:
    if not SCORE_PY.exists():
        return None
    spec = importlib.util.spec_from_file_location("shared_score", SCORE_PY)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except ImportError:  # score.py needs pyarrow
        return None
    return module


SCORE = _load_score()
needs_score = pytest.mark.skipif(SCORE is None, reason=f"{SCORE_PY} is absent (or cannot be imported)")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3 reports per format (formats taken in turn), the first 3 (one per format) also scanned."""
    out = tmp_path_factory.mktemp("samplegen")
    generate(out, count=PER_FORMAT * len(FORMATS), seed=SEED, scans=len(FORMATS))
    return out


def _truths(corpus: Path, scans: bool = False) -> list[dict[str, Any]]:
    files = sorted((corpus / "truth").glob("*.json"))
    return [json.loads(f.read_text(encoding="utf-8")) for f in files if f.stem.endswith("_scan") == scans]


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


PAGE_NUMBER = re.compile(r"\n\s*(-\s*\d+\s*-|第\d+页|\d+)\s*$")


def _pdf_text(path: Path) -> str:
    """Text of all pages, without the page-number line at the foot of each page."""
    with pdfplumber.open(path) as pdf:
        return "\n".join(PAGE_NUMBER.sub("", page.extract_text() or "") for page in pdf.pages)


def _is_subsequence(needles: list[str], hay: list[str]) -> bool:
    it = iter(hay)
    return all(any(tok == n for tok in it) for n in needles)


def test_corpus_layout(corpus: Path) -> None:
    texts, scans = _truths(corpus), _truths(corpus, scans=True)
    assert sorted(t["format"] for t in texts) == sorted(FORMATS * PER_FORMAT)
    assert len(scans) == len(FORMATS)
    for t in texts:
        assert (corpus / "pdf" / t["file"]).exists()
    for t in scans:
        assert (corpus / "scan" / t["file"]).exists()
    manifest = (corpus / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    assert manifest[0] == "name\toffice\tyear\tformat\tkind\trenderer\tpages\tsource"
    assert len(manifest) == 1 + len(texts) + len(scans)


def test_truth_schema_like_corpus(corpus: Path) -> None:
    keys = [
        "file",
        "office",
        "year",
        "published",
        "format",
        "headings",
        "cells",
        "cells_complete",
        "prose",
        "title",
        "source",
        "notes",
        "data_quality",
        "render_note",
    ]
    for t in _truths(corpus):
        assert all(k in t for k in keys), t["file"]
        assert t["source"].startswith(f"samplegen:seed={SEED}")
        assert t["cells_complete"] is True
        assert (t["format"] == "2008") == (t["cells"] == [])
        assert t["published"] is None or dt.date.fromisoformat(t["published"])
        for p in t["prose"]:
            assert set(p) <= {"label", "value", "unit", "note"} and p["value"].replace(".", "").isdigit()
        if "appendix" in t:
            assert t["format"] == "2008" and t["appendix"]["header"][:2] == ["指标名称", "计量单位"]
            assert {c["table"] for c in t["appendix"]["cells"]} == {"统计表"}


def test_text_layer_has_title_headings_and_t3_values(corpus: Path) -> None:
    for t in _truths(corpus):
        text = _pdf_text(corpus / "pdf" / t["file"])
        folded = _fold(text)
        assert _fold(t["title"]) in folded, t["file"]
        for h in t["headings"]:
            assert _fold(h) in folded, (t["file"], h)
        tokens = re.findall(r"\d+", unicodedata.normalize("NFKC", text))
        t3 = [_fold(c["value"]) for c in t["cells"] if c["table"] == "t3" and _fold(c["value"]).isdigit()]
        assert (len(t3) > 100) == (t["format"] != "2008")
        assert _is_subsequence(t3, tokens), f"{t['file']}: t3 values not found in reading order"
        t4 = [_fold(c["value"]) for c in t["cells"] if c["table"] == "t4"]
        assert _is_subsequence(t4, tokens), t["file"]
        for c in t["cells"]:
            if c["table"] == "t2":
                assert _fold(c["value"]) in folded, (t["file"], c)


def test_text_layer_has_prose_and_appendix(corpus: Path) -> None:
    for t in _truths(corpus):
        folded = _fold(_pdf_text(corpus / "pdf" / t["file"]))
        for p in t["prose"]:
            note = p.get("note") or ""
            if note.startswith("zero statement: "):
                assert _fold(note.removeprefix("zero statement: ")) in folded, (t["file"], p)
            elif note.startswith("printed '"):
                assert _fold(note[len("printed '") : -1]) in folded, (t["file"], p)
            else:
                assert f"{p['value']}{p['unit']}" in folded, (t["file"], p)
        if "appendix" in t:
            assert _fold(t["appendix"]["title"]) in folded
            for c in t["appendix"]["cells"]:
                assert _fold(c["row"]) in folded and _fold(c["value"]) in folded, c


def _date_forms(iso: str) -> list[str]:
    d = dt.date.fromisoformat(iso)
    return [
        iso,
        f"{d.year}年{d.month}月{d.day}日",
        f"{d.year}年{d.month:02d}月{d.day:02d}日",
        f"{cn_year(d.year)}年{cn_number(d.month)}月{cn_number(d.day)}日",
    ]


def test_published_date_is_printed(corpus: Path) -> None:
    for t in _truths(corpus):
        if t["published"]:
            folded = _fold(_pdf_text(corpus / "pdf" / t["file"]))
            assert any(form in folded for form in _date_forms(t["published"])), t["file"]


def _identity_failures(cells: list[dict[str, str]]) -> list[str]:
    """Independent check of the report identities on truth cells (blank, '/' and '-' count as 0)."""

    def num(v: str) -> int:
        s = unicodedata.normalize("NFKC", v).strip()
        return int(s) if s.lstrip("+-").isdigit() else 0

    t3: dict[str, dict[str, int]] = {}
    for c in cells:
        if c["table"] == "t3":
            t3.setdefault(c["row"], {})[c["col"]] = num(c["value"])
    fails = []
    rows = list(t3)
    cols = list(t3[rows[0]]) if rows else []
    for r in rows:
        if sum(v for k, v in t3[r].items() if k != "总计") != t3[r]["总计"]:
            fails.append(f"row {r}")
    results = [r for r in rows if r.startswith("三、") and not r.endswith("（七）总计")]
    for col in cols:
        total = t3["三、本年度办理结果 / （七）总计"][col]
        if sum(t3[r][col] for r in results) != total:
            fails.append(f"results {col}")
        if t3[rows[0]][col] + t3[rows[1]][col] != total + t3["四、结转下年度继续办理"][col]:
            fails.append(f"balance {col}")
    t4: dict[str, dict[str, int]] = {}
    for c in cells:
        if c["table"] == "t4":
            group, leaf = c["col"].rsplit(" / ", 1)
            t4.setdefault(group, {})[leaf] = num(c["value"])
    for group, vals in t4.items():
        if sum(v for k, v in vals.items() if k != "总计") != vals["总计"]:
            fails.append(f"t4 {group}")
    return fails


def _cells(report: Any) -> list[dict[str, str]]:
    return [{"table": c.table, "row": c.row, "col": c.col, "value": c.value} for c in report.cells]


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 10**6), index=st.integers(0, 5000), fmt=st.sampled_from(["2019", "2021"]))
def test_identities_hold_unless_data_quality_says_so(seed: int, index: int, fmt: str) -> None:
    report = build_report(seed, index, fmt)
    fails = _identity_failures(_cells(report))
    declared = [d for d in report.data_quality if re.match(r"t[34]: ", d)]
    assert bool(fails) == bool(declared), (fails, declared)


@needs_score
@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 10**6), index=st.integers(0, 5000), fmt=st.sampled_from(FORMATS))
def test_labels_map_through_score(seed: int, index: int, fmt: str) -> None:
    assert SCORE is not None
    report = build_report(seed, index, fmt)
    keys = [SCORE.truth_key(c, fmt) for c in _cells(report)]
    assert None not in keys
    assert len(set(keys)) == len(keys)
    counts = {t: sum(1 for k in keys if k and k[0] == t) for t in ("t2", "t3", "t4")}
    if fmt == "2008":
        assert counts == {"t2": 0, "t3": 0, "t4": 0}
    else:
        assert counts["t2"] == (10 if fmt == "2021" else 22)
        assert counts["t3"] in ((161, 175) if fmt == "2021" else (161,))
        assert counts["t4"] == 15
    for fact in report.prose:
        assert SCORE.prose_key(fact.label) == fact.key, fact
    if fmt == "2008":
        mapped = {f.key for f in report.prose if f.key}
        assert {"proactive_items", "requests_received"} <= mapped


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 10**6), index=st.integers(0, 5000))
def test_appendix_is_consistent(seed: int, index: int) -> None:
    """统计表: 历年累计 >= this year, and the 其中 sub-items of a row add up to it (both columns)."""
    report = build_report(seed, index, "2008")
    if report.appendix is None:
        return
    header = report.appendix.header
    table: dict[str, dict[str, int]] = {}
    for c in report.appendix.cells:
        if c.col != "计量单位":
            table.setdefault(c.row, {})[c.col] = int(c.value)
    for figures in table.values():
        assert len(header) == 3 or figures["历年累计"] >= figures[header[2]]
    rows = list(table)
    for i, row in enumerate(rows[:-1]):
        if not rows[i + 1].startswith("其中：") or any(row in d for d in report.data_quality):
            continue
        subs = [rows[i + 1]]
        for r in rows[i + 2 :]:
            if not r[0].isdigit():
                break
            subs.append(r)
        for col in header[2:]:
            assert sum(table[r][col] for r in subs) == table[row][col], (row, subs, col)


@needs_score
def test_score_counts_truth_cells(corpus: Path) -> None:
    """score.py run on no pipeline output: every truth cell is counted (none unmapped)."""
    assert SCORE is not None
    empty = corpus / "no-processed"
    empty.mkdir(exist_ok=True)
    result = SCORE.score(empty, corpus / "truth", verbose=True)
    unmapped = [m for d in result["documents"] for m in d["misses"] if "unmapped" in m]
    assert unmapped == []
    cells = sum(len(t["cells"]) for t in _truths(corpus) + _truths(corpus, scans=True))
    assert result["summary"]["cell"]["total"] == cells


def test_scans_are_image_only_a4(corpus: Path) -> None:
    for t in _truths(corpus, scans=True):
        text_truth = json.loads(
            (corpus / "truth" / t["file"].replace("_scan.pdf", ".json")).read_text("utf-8")
        )
        assert {k: v for k, v in t.items() if k not in ("file", "scan")} == {
            k: v for k, v in text_truth.items() if k != "file"
        }
        pdf = pdfium.PdfDocument(corpus / "scan" / t["file"])
        try:
            assert len(pdf) == len(t["scan"]["rotation_deg_per_page"]) >= 1
            for page in pdf:
                w, h = page.get_size()
                assert abs(w - 595) < 1.5 and abs(h - 842) < 1.5
                assert page.get_textpage().count_chars() == 0
                assert all(0.3 <= abs(a) <= 1.2 for a in t["scan"]["rotation_deg_per_page"])
        finally:
            pdf.close()


def test_deterministic(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", count=3, seed=11, scans=1)
    b = generate(tmp_path / "b", count=3, seed=11, scans=1)
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    for ta in sorted((tmp_path / "a" / "truth").glob("*.json")):
        assert ta.read_bytes() == (tmp_path / "b" / "truth" / ta.name).read_bytes()
    assert build_report(11, 0, "2008") != build_report(12, 0, "2008")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), index=st.integers(0, 10**4))
def test_report_depends_only_on_seed_and_index(seed: int, index: int) -> None:
    assert build_report(seed, index, "2021") == build_report(seed, index, "2021")


def test_cli(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path), "--count", "2", "--seed", "3", "--formats", "2008,2021"]) == 0
    truths = sorted((tmp_path / "truth").glob("*.json"))
    assert [json.loads(p.read_text("utf-8"))["format"] for p in truths] != []
    assert {json.loads(p.read_text("utf-8"))["format"] for p in truths} == {"2008", "2021"}
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path), "--count", "1", "--formats", "2010"])
    lossy = tmp_path / "lossy"
    assert (
        main(
            [
                "--out",
                str(lossy),
                "--count",
                "2",
                "--formats",
                "2021",
                "--losses",
                "1",
                "--loss-kinds",
                "page_turned",
            ]
        )
        == 0
    )
    assert [
        json.loads(p.read_text("utf-8"))["losses"][0]["kind"] for p in (lossy / "truth").glob("*.json")
    ] == ["page_turned"] * 2
    for bad in (["--losses", "1.5"], ["--loss-kinds", "page_lost"], ["--breaks", "-1"]):
        with pytest.raises(SystemExit):
            main(["--out", str(tmp_path / "bad"), "--count", "1", *bad])


def test_text_report_speed(tmp_path: Path) -> None:
    generate(tmp_path / "warm", count=3, seed=1)  # fonts load once per process
    start = time.perf_counter()
    generate(tmp_path / "timed", count=12, seed=2)
    assert (time.perf_counter() - start) / 12 < 0.5


# --- injected losses (samplegen/losses.py): each kind prints what it says, with truth --------------------

LOSS_COUNT = 9  # the `corpus` fixture's reports, so that set is the same reports printed without losses
BREAK_KINDS = ("header_alone", "header_split", "header_band_alone")


@pytest.fixture(scope="module")
def loss_set(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The corpus fixture's 9 reports, each with a table printed with one loss of the given kind."""
    made: dict[str, Path] = {}

    def get(kind: str) -> Path:
        if kind not in made:
            made[kind] = tmp_path_factory.mktemp(kind)
            scans = 6 if kind == "page_turned" else 0
            generate(made[kind], LOSS_COUNT, SEED, losses=1.0, loss_kinds=[kind], scans=scans)
        return made[kind]

    return get


def _lossy(folder: Path, kind: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(truth, its loss) of the text reports of a loss set; the set must hold some."""
    out = [(t, t["losses"][0]) for t in _truths(folder) if t["losses"]]
    assert out and {loss["kind"] for _, loss in out} == {kind}
    return out


def _grid(truth: dict[str, Any], kind: str) -> Grid:
    index = int(truth["source"].rsplit("=", 1)[1])
    report = plan_report(SEED, index, truth["format"], Injections(losses=1.0, loss_kinds=(kind,)))
    return next(
        b.grid for b in report.blocks if isinstance(b, Table) and b.grid.name == truth["losses"][0]["table"]
    )


@needs_score
@pytest.mark.parametrize("kind", LOSS_KINDS)
def test_loss_truth_keeps_every_cell(corpus: Path, loss_set: Callable[[str], Path], kind: str) -> None:
    """Same cells, appendix and headings as printed without the loss; `losses` says what was lost."""
    assert SCORE is not None
    folder = loss_set(kind)
    clean = {t["file"]: t for t in _truths(corpus)}
    for truth in _truths(folder):
        base = clean[truth["file"]]
        same = ("office", "year", "published", "format", "headings", "cells", "prose", "appendix", "title")
        assert all(truth.get(k) == base.get(k) for k in same), truth["file"]
        assert base["losses"] == [] and len(truth["losses"]) <= 1
        if not truth["losses"]:  # a report with no table the kind can hit prints as it did
            assert (
                truth["format"] == "2008"
                and (folder / "pdf" / truth["file"]).read_bytes()
                == (corpus / "pdf" / truth["file"]).read_bytes()
            )
            continue
        loss = truth["losses"][0]
        assert loss["kind"] == kind and loss["table"] in ("t2", "t3", "t4", "统计表")
        assert 1 <= loss["page"] <= int(re.search(r"(\d+) pages", truth["render_note"])[1])  # type: ignore[index]
        assert any(n.startswith(f"injected loss {kind}: ") for n in truth["notes"])
    result = SCORE.score(folder / "no-processed", folder / "truth")
    every = _truths(folder) + _truths(folder, scans=True)
    assert result["summary"]["cell"]["total"] == sum(len(t["cells"]) for t in every)


def test_table_deleted_prints_no_table(loss_set: Callable[[str], Path]) -> None:
    words = {"t2": "信息内容", "t3": "申请人情况", "t4": "结果维持", "统计表": "指标名称"}
    folder = loss_set("table_deleted")
    for truth, loss in _lossy(folder, "table_deleted"):
        folded = _fold(_pdf_text(folder / "pdf" / truth["file"]))
        assert words[loss["table"]] not in folded, truth["file"]
        assert all(_fold(h) in folded for h in truth["headings"])  # its section is still printed
        if loss["table"] == "统计表":
            assert _fold(truth["appendix"]["title"]) in folded  # so is the caption announcing it


@pytest.mark.parametrize("kind", BREAK_KINDS)
def test_header_break_leaves_header_only_part_at_page_foot(
    loss_set: Callable[[str], Path], kind: str
) -> None:
    """The last ruled part of the loss page holds only rows above the break (no value row), sits at the foot
    (only the page number below it), and the next page's first part starts with the row after the break."""
    folder = loss_set(kind)
    for truth, loss in _lossy(folder, kind):
        grid, k = _grid(truth, kind), loss["break_before_row"]
        assert loss["next_page"] == loss["page"] + 1
        above = chars("".join(c.text for c in grid.cells if c.row < k))
        last_above = chars("".join(c.text for c in grid.cells if c.row == k - 1 and c.rowspan == 1))
        first_below = chars("".join(c.text for c in grid.cells if c.row == k and c.rowspan == 1))
        with pdfplumber.open(folder / "pdf" / truth["file"]) as pdf:
            page, following = pdf.pages[loss["page"] - 1], pdf.pages[loss["next_page"] - 1]
            foot = table_parts(page)[-1]
            printed = chars(text_in(page, foot))
            assert printed and printed <= above, (truth["file"], loss)
            assert last_above <= printed, (truth["file"], loss)
            assert is_page_number(text_below(page, foot[3])), (truth["file"], loss)
            assert first_below <= chars(text_in(following, table_parts(following)[0])), (truth["file"], loss)
            if kind == "header_split" and loss["table"] != "t2":  # tall cells are open at the break
                assert ruled_share(page, foot, foot[3]) < 0.9, (truth["file"], loss)


def test_header_garbled_changes_one_label(corpus: Path, loss_set: Callable[[str], Path]) -> None:
    folder = loss_set("header_garbled")
    for truth, loss in _lossy(folder, "header_garbled"):
        printed = Counter(_fold(_pdf_text(folder / "pdf" / truth["file"])))
        clean = Counter(_fold(_pdf_text(corpus / "pdf" / truth["file"])))
        was, now = next((a, b) for a, b in zip(loss["label"], loss["printed"], strict=True) if a != b)
        times = (printed - clean)[now]  # a header repeated on a continuation page is misprinted there too
        assert (
            times >= 1
            and printed - clean == Counter({now: times})
            and clean - printed == Counter({was: times})
        )
        assert (
            loss["label"] in GARBLED[loss["table"]]
            and GARBLED[loss["table"]][loss["label"]] == loss["printed"]
        )


def test_rules_removed_strokes_most_rules_away(corpus: Path, loss_set: Callable[[str], Path]) -> None:
    folder = loss_set("rules_removed")
    for truth, loss in _lossy(folder, "rules_removed"):
        with (
            pdfplumber.open(folder / "pdf" / truth["file"]) as pdf,
            pdfplumber.open(corpus / "pdf" / truth["file"]) as ref,
        ):
            for p in loss["pages"]:
                now = Counter(tuple(round(v) for v in b) for b in strokes(pdf.pages[p - 1]))
                before = Counter(tuple(round(v) for v in b) for b in strokes(ref.pages[p - 1]))
                added = now - before
                assert sum((before - now).values()) >= 8, (truth["file"], loss)  # a table's worth of boxes
                if loss["rules"] == "none":
                    assert not added, (truth["file"], loss)
                else:  # three-line: at most a rule above, one under the header and one below, all horizontal
                    assert sum(added.values()) <= 3 and all(b[1] == b[3] for b in added), (
                        truth["file"],
                        loss,
                    )


def test_page_turned_text_and_scan(corpus: Path, loss_set: Callable[[str], Path]) -> None:
    folder = loss_set("page_turned")
    for truth, loss in _lossy(folder, "page_turned"):
        angle, index = loss["angle"], loss["page"] - 1
        pdf = pdfium.PdfDocument(folder / "pdf" / truth["file"])
        try:
            page = pdf[index]
            w, h = page.get_size()  # as displayed
            assert (w > h) == (angle != 180), loss
            if loss["how"] == "rotate_key":
                assert page.get_rotation() == angle
            else:
                assert page.get_rotation() == 0 and text_turn(folder / "pdf" / truth["file"], index) == angle
        finally:
            pdf.close()
    scans = [t for t in _truths(folder, scans=True) if t["losses"]]
    assert scans
    for truth in scans:
        loss = truth["losses"][0]
        assert (
            scan_turn(
                folder / "scan" / truth["file"],
                corpus / "pdf" / truth["file"].replace("_scan", ""),
                loss["page"] - 1,
            )
            == loss["angle"]
        )


def _break_rows(fmt: str, count: int, inj: Injections) -> dict[tuple[str, int], set[int]]:
    """(table, rows) -> the rows a page break fell before, over `count` reports laid out in memory."""
    seen: dict[tuple[str, int], set[int]] = {}
    for i in range(count):
        for t in render(plan_report(SEED, i, fmt, inj), io.BytesIO()).tables:
            if t.row_pages:
                seen.setdefault((t.name, len(t.row_pages)), set()).update(t.breaks)
    return seen


@pytest.mark.parametrize(
    ("fmt", "body", "head", "tables"),
    [
        ("2019", 40, 60, {("t2", 18), ("t3", 26), ("t4", 4)}),
        ("2021", 80, 60, {("t2", 14), ("t3", 28), ("t4", 4)}),  # 表三 with 六's sub-items: 4 in 5 reports
    ],
)
def test_tables_break_at_every_row_position(
    fmt: str, body: int, head: int, tables: set[tuple[str, int]]
) -> None:
    """Over a set, a page break falls before every row: body rows by --breaks, header-only fragments by the
    header losses (natural pagination never leaves a header band without its first value row)."""
    runs = [_break_rows(fmt, body, Injections(breaks=1.0))]
    runs += [_break_rows(fmt, head, Injections(losses=1.0, loss_kinds=(kind,))) for kind in BREAK_KINDS]
    for key in tables:
        seen = set().union(*(run.get(key, set()) for run in runs))
        assert sorted(set(range(1, key[1])) - seen) == [], key


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_a_break_can_be_forced_before_any_row(index: int) -> None:
    """The layout honours a forced break before every row of every table (the 统计表's length varies from
    report to report, so a set covers each length's positions only in proportion)."""
    report = plan_report(SEED, index, FORMATS[index % 3])
    for name, grid in printed_grids(report).items():
        for row in range(1, grid.n_rows):
            info = render(apply_breaks(report, ((name, row),)), io.BytesIO())
            assert row in info.table(name).breaks, (name, row)


def test_losses_deterministic_and_other_reports_unchanged(tmp_path: Path) -> None:
    args = {"count": 6, "seed": 11, "scans": 2, "losses": 0.5, "breaks": 0.5}
    a = generate(tmp_path / "a", **args)  # type: ignore[arg-type]
    b = generate(tmp_path / "b", **args)  # type: ignore[arg-type]
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    for ta in sorted((tmp_path / "a" / "truth").glob("*.json")):
        assert ta.read_bytes() == (tmp_path / "b" / "truth" / ta.name).read_bytes()
    generate(tmp_path / "plain", count=6, seed=11, scans=2)
    truths = _truths(tmp_path / "a")
    untouched = [t for t in truths if not t["losses"] and not t.get("page_breaks")]
    assert untouched and len(untouched) < len(truths)
    for t in untouched:
        assert (tmp_path / "a" / "pdf" / t["file"]).read_bytes() == (
            tmp_path / "plain" / "pdf" / t["file"]
        ).read_bytes()
