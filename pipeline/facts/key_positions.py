"""Canonical keys of 表三/表四 cells by position, where OCR left a label unreadable.

The rows and columns of 表三 and the columns of 表四 come in a fixed order (国办公开办函
〔2019〕60号 / 〔2021〕30号): metrics.csv's order. A row whose label OCR garbled ("审结" for 尚未审结,
"过己床" for 不予公开) sits between rows whose labels were read; when exactly as many canonical
keys fit between those neighbours as there are unread rows, the keys follow from the order.
Nothing is filled where the count differs (a report that leaves a row out, or adds one), and
only on OCR pages: a text layer's label that matches no key is the report's own wording, kept
as printed with a null key.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Hashable, Sequence
from functools import cache
from typing import TypeVar

from pipeline.facts import catalogue
from pipeline.knowledge.load import knowledge

K = TypeVar("K", bound=Hashable)


@cache
def t3_row_orders() -> tuple[tuple[str, ...], ...]:
    """表三's rows in printed order: 2019's （六）其他处理 as one row, 2021's with its three items."""
    return knowledge().row_orders("t3")


@cache
def t3_columns() -> tuple[str, ...]:
    return knowledge().columns("t3")


@cache
def t4_slots() -> tuple[tuple[str, str], ...]:
    """表四's columns in printed order: each (row, column) pair, rows outermost."""
    k = knowledge()
    return tuple((row, col) for order in k.row_orders("t4")[:1] for row in order for col in k.columns("t4"))


Keys = tuple[str | None, str | None]


def fill_gaps(slots: Sequence[K | None], orders: Sequence[Sequence[K]]) -> list[K | None]:
    """Unknown slots between known ones, filled from the one canonical order that fits.

    An order fits when the known keys appear in it in the same order (one key on two neighbouring
    slots: a column a false rule split); each run of unknown slots takes the keys the order puts
    between its neighbours, if there are exactly that many. Where two fitting orders fill a slot
    differently, it stays unknown.
    """
    results = [r for order in orders if (r := _fill(slots, order)) is not None]
    out = list(slots)
    for i, known in enumerate(slots):
        fills = {r[i] for r in results if r[i] is not None}
        if known is None and len(fills) == 1:
            out[i] = fills.pop()
    return out


def _fill(slots: Sequence[K | None], order: Sequence[K]) -> list[K | None] | None:
    where = {k: i for i, k in enumerate(order)}
    known = [(i, where[k]) for i, k in enumerate(slots) if k is not None and k in where]
    # a key on two neighbouring slots is one line split in two (a false rule through a header)
    if any(b[1] < a[1] or (b[1] == a[1] and b[0] != a[0] + 1) for a, b in itertools.pairwise(known)):
        return None
    out = list(slots)
    bounds = [(-1, -1), *known, (len(slots), len(order))]
    for (i0, k0), (i1, k1) in itertools.pairwise(bounds):
        run = list(range(i0 + 1, i1))
        if run and k1 - k0 - 1 == len(run) and all(slots[i] is None for i in run):
            for i, k in zip(run, order[k0 + 1 : k1], strict=True):
                out[i] = k
    return out


def _slot_keys(positions: Sequence[int], keys: Sequence[str | None]) -> tuple[list[int], list[str | None]]:
    """The grid lines in order, each with the key most of its cells have (None if none)."""
    lines = sorted(set(positions))
    votes: dict[int, Counter[str]] = {line: Counter() for line in lines}
    for p, k in zip(positions, keys, strict=True):
        if k is not None:
            votes[p][k] += 1
    return lines, [votes[line].most_common(1)[0][0] if votes[line] else None for line in lines]


def keys_by_position(
    kind: str,
    cells: Sequence[tuple[int, int]],
    keys: Sequence[Keys],
    row_keys: Sequence[str | None] = (),
    after: str | None = None,
) -> list[Keys]:
    """(row key, col key) of each value cell, (grid row, grid col) given, gaps filled by order.
    `row_keys`: 表二 only, each cell's row key from its row label alone. `after`: 表三 only, the
    last row key of the part of the table printed before this one (a part on the next page that
    was not joined to it begins after it: its first rows unread are the rows that follow)."""
    if kind == "t2":
        return _t2_by_position(cells, keys, row_keys)
    if kind == "t3":
        rows, row_keys = _slot_keys([r for r, _ in cells], [k[0] for k in keys])
        cols, col_keys = _slot_keys([c for _, c in cells], [k[1] for k in keys])
        # a row keyed as the one above it (a label cell over both, the rule between lost and
        # the second item's number with it: 1.信访举报投诉类申请重复申请) is keyed by its place
        # if its place holds a key; else it is the same row, split by a false rule
        again = {rows[i] for i in range(1, len(rows)) if row_keys[i] and row_keys[i] == row_keys[i - 1]}
        row_slots = [None if r in again else k for r, k in zip(rows, row_keys, strict=True)]
        placed = fill_gaps(row_slots, t3_row_orders())
        if after is not None:  # the rows this part follows bound its first unread ones
            bounded = fill_gaps([after, *row_slots], t3_row_orders())[1:]
            placed = [p if p is not None else b for p, b in zip(placed, bounded, strict=True)]
        row_of = dict(zip(rows, placed, strict=True))
        col_of = dict(zip(cols, fill_gaps(col_keys, [t3_columns()]), strict=True))
        return [
            ((row_of[r] or k[0]) if r in again else (k[0] or row_of[r]), k[1] or col_of[c])
            for (r, c), k in zip(cells, keys, strict=True)
        ]
    if kind == "t4":
        pairs = [k if k[0] and k[1] else None for k in keys]
        cols, slot_keys = _slot_keys([c for _, c in cells], [f"{p[0]}|{p[1]}" if p else None for p in pairs])
        slots = [tuple(k.split("|")) if k else None for k in slot_keys]
        # a column keyed as an earlier one (未经复议直接起诉 garbled to its 复议: a second 行政复议)
        # is keyed by its place: each of 表四's columns is printed once
        again = {cols[i] for i, k in enumerate(slots) if k is not None and k in slots[:i]}
        # every column printed, most read labels at their own place: each column's place is its
        # key (复议后起诉 misread 复议后走 reads as 行政复议's, and breaks the order gaps are filled by)
        if len(cols) == len(t4_slots()):
            at_place = sum(k == want for k, want in zip(slots, t4_slots(), strict=True))
            if at_place > sum(k is not None for k in slots) - at_place:
                again |= {c for c, k, want in zip(cols, slots, t4_slots(), strict=True) if k != want}
        slots = [None if c in again else k for c, k in zip(cols, slots, strict=True)]
        filled = dict(zip(cols, fill_gaps(slots, [t4_slots()]), strict=True))
        out: list[Keys] = []
        for (_, c), k in zip(cells, keys, strict=True):
            pair = filled[c]
            own = k[0] and k[1] and c not in again
            out.append(k if own or not pair else (pair[0], pair[1]))
        return out
    return list(keys)


def _t2_by_position(
    cells: Sequence[tuple[int, int]], keys: Sequence[Keys], row_keys: Sequence[str | None]
) -> list[Keys]:
    """表二: a row whose label was read takes the keys of its unread column labels from the order
    of that row's columns, in the format(s) the table's read keys fit (2019 and 2021 both print
    规章 with three columns, so a row with nothing read in a table of unknown format stays
    unknown); a row whose label was not read, its key from its place between rows read (the
    rows' printed order, metrics.csv's, in the formats that fit)."""
    orders = catalogue.t2_column_orders()
    formats = {f.key for f in knowledge().formats if "t2" in f.tables}
    for row, col in keys:
        if row and col:
            formats = {fmt for fmt in formats if col in orders.get((fmt, row), ())} or formats
    by_row: dict[int, list[int]] = {}
    for i, (grid_row, _) in enumerate(cells):
        by_row.setdefault(grid_row, []).append(i)
    names: dict[int, str | None] = {}
    for grid_row, members in by_row.items():
        named = [k for i in members if (k := keys[i][0])] or [k for i in members if (k := row_keys[i])]
        names[grid_row] = named[0] if named else None
    # a row whose label was not read at all: its key from its place among the rows read
    lines = sorted(names)
    row_orders = [tuple(dict.fromkeys(r for f, r in orders if f == fmt)) for fmt in sorted(formats)]
    by_place = dict(zip(lines, fill_gaps([names[line] for line in lines], row_orders), strict=True))
    out = list(keys)
    for grid_row, members in by_row.items():
        members.sort(key=lambda i: cells[i][1])
        row = names[grid_row] or by_place[grid_row]
        if row is None:
            continue
        known: list[str | None] = [keys[i][1] if keys[i][0] == row else None for i in members]
        candidates = [orders[(fmt, row)] for fmt in sorted(formats) if (fmt, row) in orders]
        for i, col in zip(members, fill_gaps(known, candidates), strict=True):
            if col is not None and not (keys[i][0] and keys[i][1]):
                out[i] = (row, col)
    return out
