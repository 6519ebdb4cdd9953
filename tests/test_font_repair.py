"""font_repair: a ghostscript re-distill's broken ToUnicode map repaired from the page's own OCR.

Unit tests of the vote and the alignment on small inputs; then a real ghostscript re-distill of a
Chromium print (samplegen), read through the repair, against its truth.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.core.config import SOUND_CONFIDENCE, ReadOptions
from pipeline.core.model import BBox
from pipeline.core.text import UNREAD, fold
from pipeline.extract.font_repair import (
    WEAK_CONFIDENCE,
    DocumentRepair,
    Repaired,
    broken_fonts,
    needs_reading,
)
from pipeline.extract.glyph_map import (
    Reading,
    align,
    as_printed,
    collapsed,
    forms,
    is_odd,
    map_candidates,
    vote,
)
from pipeline.extract.glyph_source import LayerChar, runs
from pipeline.extract.pdf_reader import read_pages
from pipeline.layout.lines import Glyph
from samplegen.generate import generate
from samplegen.producers import missing


@pytest.mark.parametrize(
    ("votes", "expected"),
    [
        ({}, None),
        ({"三": 1}, None),  # one vote is not enough
        ({"三": 2}, Reading("三", 2, 2)),  # enough, but weak
        ({"三": 5}, Reading("三", 5, 5)),
        ({"三": 3, "二": 3}, None),  # no majority
        ({"三": 3, "二": 2}, Reading("三", 3, 5)),  # a majority, under STRONG_SHARE: weak
        ({"、": 9, "1": 1}, Reading("、", 9, 10)),
    ],
)
def test_vote(votes: dict[str, int], expected: Reading | None) -> None:
    assert vote(Counter(votes)) == expected


@pytest.mark.parametrize(
    ("reading", "strong"),
    [
        (Reading("三", 2, 2), False),
        (Reading("三", 3, 5), False),
        (Reading("三", 3, 4), True),
        (Reading("年", 9, 10), True),
    ],
)
def test_strong_reading(reading: Reading, strong: bool) -> None:
    assert reading.strong is strong


BOXES = [(0.0, 10.0), (10.0, 20.0), (20.0, 30.0), (30.0, 40.0), (40.0, 50.0)]


@pytest.mark.parametrize(
    ("layer", "read", "words", "pairs"),
    [
        # as many characters read as printed: one to one (a C1 code, then "O" for 三, "1" for 、)
        (list("O1本\x80度"), "三、本年度", [], [(0, "三"), (1, "、"), (2, "本"), (3, "年"), (4, "度")]),
        (list("O1本\x80度"), "三 、 本年度", [], [(0, "三"), (1, "、"), (2, "本"), (3, "年"), (4, "度")]),
        # one character dropped by OCR: only the words whose characters match by position vote
        (
            list("ÿ一Ā加强"),
            "（一加强",
            [("（一", 0.0, 20.0), ("加强", 30.0, 50.0)],
            [(0, "（"), (1, "一"), (3, "加"), (4, "强")],
        ),
        # characters read alike anchor the reading: ÿ between the start and 一 is （
        (
            list("ÿ一Ā加强"),
            "（一加",
            [("（一", 0.0, 20.0), ("加", 30.0, 50.0)],
            [(0, "（"), (1, "一"), (3, "加")],
        ),
        # s^ between anchors, as long as 我市 read there
        (list("，s^推进"), "，我市推", [], [(0, "，"), (1, "我"), (2, "市"), (3, "推")]),
        # no anchor, no equal length, a word over two printed characters: no vote from it
        (list("ÿĀ"), "（", [("（", 0.0, 20.0)], []),
        (list("abc"), "", [], []),
    ],
)
def test_align(
    layer: list[str], read: str, words: list[tuple[str, float, float]], pairs: list[tuple[int, str]]
) -> None:
    assert align(layer, read, BOXES[: len(layer)], words) == pairs


@pytest.mark.parametrize(
    ("layer", "unknown", "read", "pairs"),
    [
        # the characters the layer knows agree: one to one
        (
            list("O1本\x80度"),
            [0, 1, 3],
            "三、本年度",
            [(0, "三"), (1, "、"), (2, "本"), (3, "年"), (4, "度")],
        ),
        # a raw code shown as O (三) is no anchor for the O that OCR read for 〇: no vote for it
        (list("〇年O月"), [2], "O年O三月", [(0, "O"), (1, "年"), (3, "月")]),
        # as many characters, but a known one disagrees (月 read 日): pairs only by difflib
        (list("年O月"), [1], "年三日", [(0, "年"), (1, "三"), (2, "日")]),
    ],
)
def test_align_never_anchors_on_a_character_still_unknown(
    layer: list[str], unknown: list[int], read: str, pairs: list[tuple[int, str]]
) -> None:
    assert align(layer, read, unknown=unknown) == pairs


@pytest.mark.parametrize(
    ("ch", "advance", "printed"),
    [
        ("(", 1.0, "（"),
        ("(", 0.5, "("),
        (":", 0.95, "："),
        ("1", 0.5, "1"),
        ("年", 1.0, "年"),
        ("...", 1.0, "..."),
    ],
)
def test_as_printed(ch: str, advance: float, printed: str) -> None:
    assert as_printed(ch, advance) == printed


@pytest.mark.parametrize(
    ("ch", "odd"),
    [
        ("ÿ", True),
        ("Ā", True),
        ("\x80", True),
        ("\ue000", True),
        ("O", False),
        ("1", False),
        ("年", False),
        (" ", False),
    ],
)
def test_is_odd(ch: str, odd: bool) -> None:
    assert is_odd(ch) is odd


def _char(
    text: str,
    font: str = "F",
    x0: float = 0.0,
    shape: tuple[float, float, float, float] = (0.1, 0.9, 0.0, 0.8),
) -> LayerChar:
    return LayerChar(text, font, shape, 1.0, x0, 0.0, x0 + 10.0, 10.0, 10.0, x0, 0.0)


@pytest.mark.parametrize(
    ("char", "needed"),
    [
        (_char("1"), True),  # even a digit of a broken font may be a wrong code (、 → 1)
        (_char("O"), True),
        (_char("ÿ"), True),
        (_char("年"), False),  # Han characters of a broken font read right
        (_char("，"), False),
        (_char("1", font="G"), False),  # an unbroken font is left alone
        (_char("0", shape=(0.0, 0.0, 0.0, 0.0)), False),  # no ink: a space
        (replace(_char("="), advance=0.5), False),  # a half-width glyph's map (high byte 0) is right …
        (replace(_char("="), advance=0.5, unmapped=True), True),  # … unless it has none: a raw code
    ],
)
def test_needs_reading(char: LayerChar, needed: bool) -> None:
    assert needs_reading(char, frozenset({"F"})) is needed


def test_a_font_mapping_a_code_to_nothing_is_broken() -> None:
    """Seen in a ghostscript re-distill of a LibreOffice print: the digits of a re-encoded subset
    kept no map and showed as their raw codes (0 as =, 5 as ]) amid Han characters read right."""
    chars = [
        _char("年", font="F"),
        replace(_char("=", font="F"), unmapped=True),
        replace(_char("1", font="G"), advance=0.5),
    ]
    assert broken_fonts([chars]) == frozenset({"F"})


def test_runs_split_at_gaps_lines_and_spaces() -> None:
    chars = [_char("a", x0=0), _char("b", x0=10), _char("c", x0=40), _char(" ", x0=50), _char("d", x0=60)]
    chars.append(LayerChar("e", "F", (0, 1, 0, 1), 1.0, 70.0, 30.0, 80.0, 40.0, 10.0, 70.0, 30.0))
    assert runs(chars) == [[0, 1], [2], [4], [5]]


# --- a real ghostscript re-distill of a Chromium print ---------------------------------------------

NEEDS_PRODUCERS = pytest.mark.skipif(
    missing("chromium") is not None or missing("gs") is not None,
    reason="chromium or ghostscript is not installed",
)
SEED = 8  # report 0 of a gs-only run re-distills Chromium's print (8 pages: enough votes for some)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", fold(unicodedata.normalize("NFKC", text)))


# (printed, what a ghostscript 10.00 pdfwrite re-distill of a Chromium print reads for it): measured
# by printing one report and re-distilling it; each range's first code, then the next ones
GS_COLLAPSED = [
    ("　", "0"), ("、", "1"), ("。", "2"), ("《", ":"), ("》", ";"), ("“", "<"), ("”", "="),
    ("三", "O"), ("上", "P"), ("下", "Q"), ("为", "~"), ("主", "\x7f"), ("事", "Ï"), ("二", "Ð"),
    ("八", "{"), ("公", "|"), ("六", "}"), ("加", "ò"), ("务", "ó"), ("取", "×"), ("受", "Ø"),
    ("培", "ÿ"), ("基", "Ā"), ("市", "^"), ("布", "_"), ("平", "\x7f"), ("年", "\x80"), ("成", "r"),
    ("我", "s"), ("训", "¯"), ("财", "¯"), ("（", "ÿ"), ("）", "Ā"), ("：", "ÿ"), ("；", "Ā"),
]  # fmt: skip


@pytest.mark.parametrize(("printed", "shown"), GS_COLLAPSED)
def test_collapsed_confirms_what_ghostscript_made_of_a_range(printed: str, shown: str) -> None:
    assert collapsed(shown, printed)


@pytest.mark.parametrize(("read", "shown"), [("士", "^"), ("入", "}"), ("土", "Q"), ("l", "1"), ("O", "0")])
def test_collapsed_refuses_readings_the_map_cannot_give(read: str, shown: str) -> None:
    assert not collapsed(shown, read)


def test_map_candidates_say_how_specific_a_broken_value_is() -> None:
    assert map_candidates("1") < 10 < map_candidates("^") < 500 < map_candidates("ÿ")


def test_a_vote_the_map_confirms_wins_over_a_majority() -> None:
    confirm = lambda text: next((f for f in forms(text, 1.0) if collapsed("}", f)), None)  # noqa: E731
    reading = vote(Counter({"入": 2, "六": 1}), confirm, specific=True)
    assert reading is not None and (reading.text, reading.confirmed, reading.strong) == ("六", True, True)
    # a majority the map refutes is weak, however many votes it has
    reading = vote(Counter({"〈": 4}), lambda _: None, specific=False, refutable=True)
    assert reading is not None and not reading.strong
    # two readings both confirmed: no choice (受 and 又 both read Ø through a collapsed range)
    confirm = lambda text: text if collapsed("Ø", text) else None  # noqa: E731
    assert vote(Counter({"受": 1, "又": 1}), confirm, specific=False) is None


@pytest.mark.parametrize(("read", "printed"), [('"', "“"), ("(", "（"), ("〈", "《")])
def test_forms_of_a_vote_include_the_punctuation_folded_into_it(read: str, printed: str) -> None:
    assert printed in forms(read, 1.0)


@NEEDS_PRODUCERS
def test_a_gs_redistill_is_read_from_its_repaired_layer(tmp_path: Path) -> None:
    generate(tmp_path, 1, SEED, producers=["gs"])
    truth = json.loads(next((tmp_path / "truth").glob("*.json")).read_text("utf-8"))
    assert (truth["producer"], truth["producer_base"]) == ("gs", "chromium")
    pdf = tmp_path / "pdf" / truth["file"]
    with pdfium.PdfDocument(pdf) as doc:
        count = len(doc)
    pages = read_pages(str(pdf), ReadOptions(), 0, count)
    repaired = [p for p in pages if p.ocr_reason == "repaired_text"]
    assert repaired, [(p.ocr_reason, p.notes) for p in pages]
    for page in pages:
        assert page.ocr_reason in ("repaired_text", "garbled_text", "text_layer_ok"), page.ocr_reason
    assert all(p.notes[0].startswith("text layer repaired: ") for p in repaired)
    text = "".join(line.text for p in repaired for line in p.lines)
    assert not any(is_odd(ch) for ch in text)
    cells = [c for p in repaired for t in p.tables for c in t.cells]
    assert not any(is_odd(ch) for c in cells for ch in c.text)
    # every truth heading printed on a repaired page reads exactly (a heading's number too: 三、)
    lines = {_squash(line.text) for p in repaired for line in p.lines}
    found = [h for h in truth["headings"] if _squash(h) in lines]
    assert found, "no heading of the truth on a repaired page"
    for line in lines:
        if re.match(r"^[一二三四五六七八九十]+[、.]", line) and len(line) < 40:
            assert any(_squash(h) == line or line.startswith(_squash(h)) for h in truth["headings"]), line
    # figures of tables on repaired pages are the truth's, and any weak reading is flagged
    values = {_squash(c["value"]) for c in truth["cells"]} | {
        _squash(c["value"]) for c in (truth.get("appendix") or {}).get("cells", [])
    }
    for c in cells:
        if re.fullmatch(r"\d+", _squash(c.text)):
            assert _squash(c.text) in values, c.text
        if c.confidence < 1.0:
            assert c.confidence <= WEAK_CONFIDENCE < SOUND_CONFIDENCE


@pytest.mark.parametrize(("unread", "kept"), [(0, True), (1, True), (3, True), (4, False)])
def test_a_page_with_a_few_glyphs_never_read_keeps_its_layer(unread: int, kept: bool) -> None:
    """One glyph no vote could read (三 alone in a narrow label cell) sent its whole page to OCR,
    which lost headings and figures the layer had right: up to MAX_UNREAD such glyphs stay in
    place as UNREAD at confidence 0 (flagged); more send the page to OCR as before."""
    chars = [_char("O", x0=10.0 * i) for i in range(40)]
    keys = [("F#0", i) for i in range(40)]
    sure = Reading("三", 3, 3, confirmed=True, specific=True)
    repair = DocumentRepair(
        [list(zip(chars, keys, strict=True))], frozenset({"F"}), dict.fromkeys(keys[unread:], sure)
    )
    glyphs = [Glyph(c.text, BBox(c.x0, c.top, c.x1, c.bottom), c.size) for c in chars]

    fixed = repair.repair(0, glyphs)

    if not kept:
        assert isinstance(fixed, str) and f"{unread} glyphs" in fixed
        return
    assert isinstance(fixed, Repaired)
    assert [g.text for g in fixed.glyphs] == [UNREAD] * unread + ["三"] * (40 - unread)
    assert all(g.confidence == 0.0 for g in fixed.glyphs[:unread])
    assert ("never read" in fixed.note(1)) is (unread > 0)
