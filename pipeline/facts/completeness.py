"""The completeness contract: every figure a report must print is found, or an error says so.

Once the format is known, each table it requires (formats.toml) and each expected row × column
(metrics.csv, in the printed variant the report's own rows fit best: a 2021 表三 may print 2019's
single （六）其他处理 row) either has a fact — a blank cell as printed counts — or is accounted for:

    table_not_found      a required table has no fact at all
    table_incomplete     rows / columns / cells of a table that were not read (listed)
    table_unidentified   a grid shaped like a statistics table that matched none (page, rows × columns),
                         reported where a required table is missing or the format requires none
    cell_unkeyed         printed cells of a statistics table whose label matched no key
    cells_doubtful       expected cells read, but not surely (an OCR reading in doubt, a key taken
                         from the printed order): `facts.flags` says why for each

A pre-2019 report is held to what it announces: a 统计表 it names but that was not read, a
section of a kind whose figures prose.toml expects but none of which could be read.
`Coverage` counts the expected cells, those found, and those found but doubtful (< 0.9).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from pipeline.core.config import SOUND_CONFIDENCE
from pipeline.core.model import Coverage, Fact, Outline, PipelineError, Table
from pipeline.core.numbers import is_value_text
from pipeline.core.text import squash
from pipeline.knowledge.load import knowledge

Key = tuple[str, str]
# a reading in doubt; a failed check alone is not (a report's own misprint is read right: `checks`)
READING_DOUBTS = frozenset(
    {"ocr_unsure", "ocr_unreadable", "key_by_position", "chosen_by_check", "inferred_by_check"}
)
MAX_LISTED = 8  # missing rows, columns or cells named in one message
MIN_VALUE_CELLS = 3  # a grid with fewer numbers than this is no statistics table
VALUE_SHARE = 0.5  # of the cells right of the first column and below the first row


def expected_keys(table: str, fmt: str, found: set[Key]) -> set[Key]:
    """The (row, col) keys a table of format `fmt` prints, in the variant `found` fits best."""
    k = knowledge()
    if all(m.row != "*" and m.col != "*" for m in k.metrics if m.table == table):  # 表二: pairs listed
        return {(m.row, m.col) for m in k.metrics if m.table == table and fmt in m.formats}
    own = tuple(
        dict.fromkeys(m.row for m in k.metrics if m.table == table and fmt in m.formats and m.row != "*")
    )
    found_rows = {r for r, _ in found}
    # the printed variant: the row order the table's rows fit best, the format's own on a tie
    rows = max(k.row_orders(table), key=lambda order: (len(found_rows & set(order)), order == own))
    return {(r, c) for r in rows for c in k.columns(table)}


def completeness(
    fmt: str, facts: Sequence[Fact], tables: Sequence[Table], kinds: Sequence[str], outline: Outline
) -> tuple[Coverage, list[PipelineError]]:
    """The report's coverage and an error for every shortfall (see the module docstring)."""
    k = knowledge()
    spec = k.format(fmt)
    required = spec.tables if spec else ()
    by_table: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        by_table[f.table].append(f)
    errors: list[PipelineError] = []
    expected = found = flagged = 0
    shortfall = False
    for table in required:
        keyed = {(f.row, f.col): f for f in by_table[table] if f.row and f.col}
        want = expected_keys(table, fmt, set(keyed))
        have = want & set(keyed)
        expected += len(want)
        found += len(have)
        flagged += sum(1 for key in have if keyed[key].confidence < SOUND_CONFIDENCE)
        if not have:
            shortfall = True
            errors.append(_not_found(table, len(want), outline))
        elif have != want:
            shortfall = True
            errors.append(_incomplete(table, want - have, by_table[table]))
        doubtful = [keyed[key] for key in sorted(have) if set(keyed[key].flags) & READING_DOUBTS]
        if doubtful:
            errors.append(_doubtful(table, doubtful))
    if fmt in {f.key for f in k.formats if not f.tables}:
        legacy, announced = _announced(outline, by_table)
        expected, found, flagged = expected + legacy[0], found + legacy[1], flagged + legacy[2]
        shortfall = shortfall or bool(announced)
        errors += announced
    errors += _unkeyed(facts)
    if shortfall or not required:
        errors += _unidentified(tables, kinds)
    return Coverage(expected, found, flagged), errors


def _title(table: str) -> str:
    kind = knowledge().tables.get(table)
    return f"{kind.title if kind else table} ({table})"


def _not_found(table: str, cells: int, outline: Outline) -> PipelineError:
    home = _home_page(table, outline)
    where = f"; its section starts on page {home}" if home else ""
    return PipelineError(
        "facts",
        "table_not_found",
        f"{_title(table)} was not found: none of its {cells} cells read{where}",
        home,
    )


def _home_page(table: str, outline: Outline) -> int | None:
    """The page of the level-1 section a table belongs in (by the section kinds its title names)."""
    title = squash(knowledge().tables[table].title) if table in knowledge().tables else ""
    for section in outline.sections:
        if section.level == 1 and section.kind and section.kind != "unknown":
            words = next((s.words for s in knowledge().sections if s.key == section.kind), ())
            if any(w in title for w in words):
                return section.page_start
    return None


def _incomplete(table: str, missing: set[Key], facts: Sequence[Fact]) -> PipelineError:
    """Which rows and columns were not read at all, and the other cells missing."""
    k = knowledge()
    rows = [r for r in dict.fromkeys(m.row for m in k.metrics if m.table == table) if r != "*"]
    present = _present(facts)
    full_rows = [r for r in rows if any(m[0] == r for m in missing) and not any(p[0] == r for p in present)]
    full_cols = [
        c for c in k.columns(table) if any(m[1] == c for m in missing) and not any(p[1] == c for p in present)
    ]
    rest = sorted(m for m in missing if m[0] not in full_rows and m[1] not in full_cols)
    parts = [f"rows {_listed(full_rows)}"] if full_rows else []
    parts += [f"columns {_listed(full_cols)}"] if full_cols else []
    parts += [f"cells {_listed([f'{r}:{c}' for r, c in rest])}"] if rest else []
    return PipelineError(
        "facts",
        "table_incomplete",
        f"{_title(table)}: {len(missing)} expected cells not read — {'; '.join(parts)}",
        min((f.page for f in facts), default=None),
    )


def _doubtful(table: str, facts: Sequence[Fact]) -> PipelineError:
    cells = [f"{f.row}:{f.col} ({', '.join(sorted(set(f.flags) & READING_DOUBTS))})" for f in facts]
    return PipelineError(
        "facts",
        "cells_doubtful",
        f"{_title(table)}: {len(facts)} cells read but in doubt — {_listed(cells)}",
        min(f.page for f in facts),
    )


def _present(facts: Sequence[Fact]) -> set[Key]:
    return {(f.row, f.col) for f in facts if f.row and f.col}


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    return shown + (f" and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else "")


def _announced(
    outline: Outline, by_table: dict[str, list[Fact]]
) -> tuple[tuple[int, int, int], list[PipelineError]]:
    """A pre-2019 report: its 统计表 (counted like a required table when announced or read) and the
    figures its sections announce (prose.toml [expect])."""
    k = knowledge()
    errors: list[PipelineError] = []
    legacy = [f for f in by_table["legacy"] if f.row and f.col]
    if legacy:
        counts = (len(legacy), len(legacy), sum(1 for f in legacy if f.confidence < SOUND_CONFIDENCE))
    elif _names_statistics_table(outline):
        cells = len(k.keys("legacy"))
        counts = (cells, 0, 0)
        errors.append(
            PipelineError(
                "facts",
                "table_not_found",
                f"{_title('legacy')} is announced but was not read: none of its cells",
            )
        )
    else:
        counts = (0, 0, 0)
    stated = {f.row for f in by_table["prose"]}
    for section in outline.sections:
        wanted = k.prose.expect.get(section.kind or "", ())
        if section.level == 1 and wanted and not stated & set(wanted):
            errors.append(
                PipelineError(
                    "facts",
                    "table_incomplete",
                    f"the section 「{section.heading}」 states none of its figures ({', '.join(wanted)}) in a way "
                    "that could be read",
                    section.page_start,
                )
            )
    return counts, errors


def _names_statistics_table(outline: Outline) -> bool:
    words = knowledge().tables["legacy"].announced
    texts = [s.heading for s in outline.sections] + [p.text for p in outline.paragraphs]
    return any(w in squash(text) for text in texts for w in words)


def _unkeyed(facts: Sequence[Fact]) -> list[PipelineError]:
    groups: dict[tuple[str, int], list[Fact]] = defaultdict(list)
    for f in facts:
        if f.table != "prose" and not (f.row and f.col):
            groups[(f.table, f.page)].append(f)
    return [
        PipelineError(
            "facts",
            "cell_unkeyed",
            f"{len(cells)} printed cells of {_title(table)} match no key: "
            + _listed(list(dict.fromkeys(f"{f.row_label} / {f.col_label}" for f in cells))),
            page,
        )
        for (table, page), cells in sorted(groups.items())
    ]


def _unidentified(tables: Sequence[Table], kinds: Sequence[str]) -> list[PipelineError]:
    out = []
    for table, kind in zip(tables, kinds, strict=True):
        if kind or not looks_statistical(table):
            continue
        out.append(
            PipelineError(
                "facts",
                "table_unidentified",
                f"a table of {table.n_rows} rows × {table.n_cols} columns on page {table.pages[0]} holds numbers "
                "but matched no statistics table",
                table.pages[0],
            )
        )
    return out


def looks_statistical(table: Table) -> bool:
    """Mostly numbers right of the first column and below the first row: a table of figures."""
    body = [c for c in table.cells if c.row > 0 and c.col > 0 and c.text.strip()]
    values = sum(1 for c in body if is_value_text(c.text))
    return values >= MIN_VALUE_CELLS and values >= VALUE_SHARE * len(body)
