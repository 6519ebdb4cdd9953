"""Where a producer broke each table: the PDF read back (pdfplumber's ruled tables), matched to the grids.

Each ruled table pdfplumber finds on a page (and each ruled box with text standing alone, which pdfplumber
leaves out: a table's one heading row at a page foot) is a part of one of the report's grids. Its rows are matched
in order to the grid's rows by the characters of their own cells (a multiset, so glyph order and
radicals do not matter; merged cells spanning several rows are left out, since their text lands in
whichever piece the producer chose). A row whose characters are split over two parts is a cut row; a
part that opens with an empty row piece is an empty fragment; repeated header rows are recognised.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pdfplumber.table import Table

from samplegen.grid import Grid
from samplegen.radicals import fold

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # fonts some producers write without a FontBBox


@dataclass(frozen=True)
class Piece:
    row: int  # grid row, -1 when no grid row matched
    kind: str  # whole | head (first piece of a cut row) | tail | empty (a text-less tail) | repeat | unknown
    top: float
    bottom: float


@dataclass(frozen=True)
class Part:
    table: int  # index of the grid among the report's tables
    page: int  # 1-based
    pieces: tuple[Piece, ...]


def _chars(text: str) -> Counter[str]:
    return Counter(re.sub(r"\s+", "", fold(text)))


@dataclass
class _Expect:
    """Matching state of one grid across its parts."""

    grid: Grid
    own: list[Counter[str]]
    labels: list[Counter[str]]
    next_row: int = 0
    rest: Counter[str] | None = None  # characters of a cut row still to come

    @classmethod
    def of(cls, grid: Grid) -> _Expect:
        own = [Counter[str]() for _ in range(grid.n_rows)]
        labels = []
        for c in grid.cells:
            if c.rowspan == 1:
                own[c.row] += _chars(c.text)
            else:
                labels.append(_chars(c.text))
        return cls(grid, own, labels)

    @property
    def done(self) -> bool:
        return self.next_row >= self.grid.n_rows and not self.rest

    def match(self, text: Counter[str], loose: Counter[str]) -> tuple[int, str] | None:
        """Match one row piece (its characters, and those without label fragments); advance the state."""
        for t in (text, loose):
            if self.rest is not None and (t == self.rest or (not t and self.rest)):
                row, self.rest = self.next_row - 1, None
                return row, "tail" if t else "empty"
            if not t and self.next_row:  # a text-less piece: the open end of the row before
                return self.next_row - 1, "empty"
            if self.next_row < self.grid.n_rows and t == self.own[self.next_row]:
                self.next_row += 1
                return self.next_row - 1, "whole"
            if self.next_row >= self.grid.header_rows and self.grid.header_rows:
                for h in range(self.grid.header_rows):
                    if t == self.own[h] and t:
                        return h, "repeat"
            if self.next_row < self.grid.n_rows and t and _within(t, self.own[self.next_row]):
                self.rest = self.own[self.next_row] - t
                self.next_row += 1
                return self.next_row - 1, "head"
        return None


def _within(a: Counter[str], b: Counter[str]) -> bool:
    return all(b[k] >= n for k, n in a.items())


def _page_rows(
    page: pdfplumber.page.Page,
) -> list[list[tuple[float, float, Counter[str], list[Counter[str]]]]]:
    """Per ruled table on the page, per row: top, own bottom, characters of single-row cells, and the
    characters of each single-row cell (to drop split label fragments when the plain match fails)."""
    out = []
    finder = page.debug_tablefinder({"explicit_horizontal_lines": _closing_rules(page)})
    in_tables = {cell for table in finder.tables for cell in table.cells}
    # pdfplumber leaves out a table of one cell: a full-width heading row alone at a page foot is one
    lone = [Table(page, [cell]) for cell in finder.cells if cell not in in_tables]
    tables = finder.tables + [t for t in lone if any(t.extract()[0])]
    for table in sorted(tables, key=lambda t: t.bbox[1]):
        texts = table.extract()
        rows = []
        for row, cells_text in zip(table.rows, texts, strict=True):
            boxes = [(box, txt or "") for box, txt in zip(row.cells, cells_text, strict=True) if box]
            if not boxes:
                continue
            bottom = min(b[3] for b, _ in boxes)
            single = [_chars(t) for b, t in boxes if b[3] <= bottom + 1.0]
            rows.append((row.bbox[1], bottom, sum(single, Counter[str]()), single))
        if rows:
            out.append(rows)
    return out


def _closing_rules(page: pdfplumber.page.Page) -> list[dict[str, object]]:
    """A row a page break cut open has no rule above (or below) it, nor has a tall header cell a forced
    break left open: where vertical rules end at a height, go on neither across nor beyond it for some of
    them, close them with one from the first to the last of them."""
    rules = [
        (e["x0"], e["x1"], round(e["top"])) for e in page.edges if e["orientation"] == "h" and e["width"] > 3
    ]
    verticals = [(e["x0"], e["top"], e["bottom"]) for e in page.edges if e["orientation"] == "v"]
    ends: dict[float, list[float]] = {}
    open_ends: set[float] = set()
    for x, top, bottom in verticals:
        for y, other in ((top, 2), (bottom, 1)):  # a top end goes on in a rule ending there, and back
            ends.setdefault(round(y), []).append(x)
            ruled = any(abs(t - y) <= 1 and x0 - 1 <= x <= x1 + 1 for x0, x1, t in rules)
            goes_on = any(abs(v[0] - x) <= 1 and abs(v[other] - y) <= 1 for v in verticals)
            if not ruled and not goes_on:
                open_ends.add(round(y))
    return [
        {
            "object_type": "line",
            "x0": min(xs),
            "x1": max(xs),
            "top": y,
            "bottom": y,
            "width": max(xs) - min(xs),
        }
        for y, xs in ends.items()
        if len(xs) > 1 and y in open_ends
    ]


def read_parts(pdf: Path, grids: Sequence[Grid]) -> tuple[list[Part], int]:
    """The table parts of `pdf` in reading order, and how many ruled tables matched no grid."""
    state = [_Expect.of(g) for g in grids]
    parts: list[Part] = []
    unmatched = 0
    current = 0
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, start=1):
            for rows in _page_rows(page):
                j = _which(state, current, rows)
                if j is None:
                    unmatched += 1
                    continue
                current = j
                parts.append(Part(j, number, tuple(_pieces(state[j], rows))))
            page.close()
    return parts, unmatched


def _which(
    state: list[_Expect], current: int, rows: list[tuple[float, float, Counter[str], list[Counter[str]]]]
) -> int | None:
    """The grid this part continues or starts: the current one if its first row fits, else a later one."""
    _, _, first, cells = rows[0]
    for j in range(current, len(state)):
        probe = _Expect(state[j].grid, state[j].own, state[j].labels, state[j].next_row, state[j].rest)
        if probe.match(first, _loose(cells, probe.labels)) is not None:
            return j
    return None


def _loose(cells: list[Counter[str]], labels: list[Counter[str]]) -> Counter[str]:
    kept = [c for c in cells if not any(_within(c, lab) for lab in labels) or not c]
    return sum(kept, Counter[str]())


def _pieces(exp: _Expect, rows: list[tuple[float, float, Counter[str], list[Counter[str]]]]) -> list[Piece]:
    out = []
    for top, bottom, text, cells in rows:
        got = exp.match(text, _loose(cells, exp.labels))
        row, kind = got if got else (-1, "unknown")
        out.append(Piece(row, kind, top, bottom))
    return out


@dataclass(frozen=True)
class Break:
    """Where one page break fell in one table."""

    table: str  # grid name: t2 | t3 | t4 | 统计表
    n_rows: int
    header_rows: int
    after: int  # the last grid row that starts before the break
    cut: bool  # that row goes on after the break (a row cut across pages)
    header_only: bool  # the part before the break holds header rows only
    split_header: bool  # the break falls inside the header band
    empty_fragment: bool  # the part after the break opens with a piece that has no text


def resolved(parts: Sequence[Part]) -> bool:
    return all(p.row >= 0 for part in parts for p in part.pieces)


def breaks_of(parts: Sequence[Part], grids: Sequence[Grid]) -> list[Break]:
    out = []
    for a, b in itertools.pairwise(parts):
        if a.table != b.table:
            continue
        g = grids[a.table]
        own = [p for p in a.pieces if p.kind not in ("repeat", "empty")]
        if not own:
            continue
        last = own[-1]
        nxt = [p for p in b.pieces if p.kind != "repeat"]
        out.append(
            Break(
                table=g.name,
                n_rows=g.n_rows,
                header_rows=g.header_rows,
                after=last.row,
                cut=last.kind == "head",
                header_only=g.header_rows > 0
                and all(p.row < g.header_rows for p in own)
                and last.row == g.header_rows - 1
                and last.kind == "whole",
                split_header=last.row < g.header_rows - 1
                or (last.kind == "head" and last.row < g.header_rows),
                empty_fragment=bool(nxt) and nxt[0].kind == "empty",
            )
        )
    return out


def describe_parts(parts: Sequence[Part], grids: Sequence[Grid]) -> list[str]:
    """Truth notes: each table split by a page break, where, and how."""
    notes = []
    for j, g in enumerate(grids):
        mine = [p for p in parts if p.table == j]
        if len(mine) < 2:
            continue
        pages = f"pages {mine[0].page}-{mine[-1].page}"
        rows = " | ".join(_span(p) for p in mine)
        notes.append(f"{g.name} is split across {pages} (grid rows {rows}, measured from the PDF)")
    for br in breaks_of(parts, grids):
        how = [
            what
            for what, on in (
                ("its header rows alone end the page", br.header_only),
                ("the header band is split", br.split_header),
                (f"row {br.after} is cut across the break", br.cut),
                ("an empty ruled fragment opens the next page", br.empty_fragment),
            )
            if on
        ]
        if how:
            notes.append(f"{br.table}: " + "; ".join(how))
    return notes


def _span(part: Part) -> str:
    rows = [p.row for p in part.pieces if p.kind != "repeat" and p.row >= 0]
    repeat = " (header repeated)" if any(p.kind == "repeat" for p in part.pieces) else ""
    return (f"{min(rows)}-{max(rows)}" if rows else "none") + repeat


def record(parts: Sequence[Part], grids: Sequence[Grid]) -> list[dict[str, object]]:
    """The parts as JSON for the truth file (eval_generated counts breaks from it when a PDF's text
    cannot be matched, e.g. after a ghostscript re-distill garbles it)."""
    return [
        {
            "table": grids[p.table].name,
            "page": p.page,
            "pieces": " ".join(f"{x.row}{x.kind[0]}" for x in p.pieces),
        }
        for p in parts
    ]


KINDS = {k[0]: k for k in ("whole", "head", "tail", "empty", "repeat", "unknown")}


def parts_from_record(rec: Sequence[dict[str, object]], grids: Sequence[Grid]) -> list[Part]:
    """The parts a truth file's `layout.table_parts` recorded (positions are not kept: 0)."""
    names = [g.name for g in grids]
    out = []
    for entry in rec:
        pieces = []
        for tok in str(entry["pieces"]).split():
            pieces.append(Piece(int(tok[:-1]), KINDS[tok[-1]], 0.0, 0.0))
        out.append(Part(names.index(str(entry["table"])), int(str(entry["page"])), tuple(pieces)))
    return out
