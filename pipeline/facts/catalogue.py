"""The canonical keys (`metrics.csv`) and matching of printed labels to them.

Printed labels vary: spaces and line breaks inside labels, `1、` for `1.`, full-width digits, a
missing or wrong character, the 2019 and 2021 wordings. Labels are compared after `squash` and
without their numbering, by similarity, within the group the label path names (（三）不予公开 …).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import cache, lru_cache

from pipeline.core.text import UNREAD, fold, squash, text_similarity
from pipeline.knowledge.load import Metric, knowledge

MIN_SIMILARITY = 0.75
LABEL_TABLE_SIMILARITY = 0.8  # a label counts for a table when this like one of its labels
MIN_SHARED_CHARACTERS = 2  # a garbled 表二 row label is its column's row that shares this many
CHARS_PER_MISREAD_LABEL = 5  # a 统计表 label read with one character in five other is respelt
MIN_LABEL_FOR_EXTRA = 5  # … and a row label this long with a character more or less
# a numbering's brackets as printed or as OCR and broken maps give them: （一） 〈一） 〔一〕 【一】
OPEN, CLOSE = r"[(〈<〔\[【]", r"[)〉>〕\]】]"
_LEADING_NUMBER = re.compile(
    rf"^(?:[一二三四五六七八九十]{{1,3}}[、.]|{OPEN}[一二三四五六七八九十\d]{{1,3}}{CLOSE}|\d{{1,2}}[.、])"
)


def metrics() -> tuple[Metric, ...]:
    return knowledge().metrics


def core(label: str) -> str:
    """A label without whitespace, width variants and its leading numbering."""
    s = squash(label).replace("、", ".").replace("．", ".")
    for _ in range(2):
        s = _LEADING_NUMBER.sub("", s)
    return s


def similarity(a: str, b: str) -> float:
    """How alike two labels are; a character never read (UNREAD) in `a` is any character of `b` at
    its place (自�人 is 自然人)."""
    if UNREAD in a and len(a) == len(b):
        a = "".join(y if x == UNREAD else x for x, y in zip(a, b, strict=True))
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return text_similarity(a, b)


def best_match(label: str, candidates: dict[str, str], threshold: float = MIN_SIMILARITY) -> str | None:
    """The key whose label is most like `label` (both compared by `core`), if similar enough."""
    return _best_core_match(core(label), _cored(tuple(candidates.items())), threshold)


@lru_cache(maxsize=1024)
def _cored(candidates: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """Candidate labels by `core`, once per set of candidates (the same few sets, over and over)."""
    return tuple((k, core(v)) for k, v in candidates)


@lru_cache(maxsize=65536)
def _best_core_match(target: str, candidates: tuple[tuple[str, str], ...], threshold: float) -> str | None:
    """Cached: an archive prints the same few hundred labels over and over."""
    # inclusive: one character of a four-character label misread (OCR: 予→子) is still that label
    best_key, best_score = None, threshold - 1e-9
    for key, candidate in candidates:
        if candidate == target:
            return key
        score = similarity(target, candidate)
        if score > best_score:
            best_key, best_score = key, score
    return best_key


# --- which table a label belongs to ------------------------------------------------------------


@cache
def _table_labels() -> dict[str, frozenset[str]]:
    """Each statistics table's printed label words (metrics.csv paths split, aliases.csv), by `core`."""
    labels: dict[str, set[str]] = {}
    for m in metrics():
        for path in (m.row_label, m.col_label):
            labels.setdefault(m.table, set()).update(core(part) for part in path.split(" / ") if part != "*")
    for table, _, alias in knowledge().aliases:
        labels.setdefault(table, set()).add(core(alias))
    return {table: frozenset(w for w in words if len(w) >= 2) for table, words in labels.items()}


def tables_of_label(text: str, threshold: float = LABEL_TABLE_SIMILARITY) -> frozenset[str]:
    """The statistics tables that print a label like `text` (a misread character allowed)."""
    target = core(text)
    if len(target) < 2:
        return frozenset()
    return frozenset(
        table
        for table, words in _table_labels().items()
        if _best_core_match(target, tuple((w, w) for w in words), threshold) is not None
    )


# --- 表三 -------------------------------------------------------------------------------------------


@cache
def _t3_rows() -> dict[str, str]:
    return {m.row: m.row_label.split(" / ")[-1] for m in metrics() if m.table == "t3" and m.row != "*"}


@cache
def _t3_cols() -> dict[str, str]:
    return {m.col: m.col_label.split(" / ")[-1] for m in metrics() if m.table == "t3" and m.col != "*"}


@cache
def _t3_groups() -> dict[str, str]:
    """（三）… （六）: numeral → the key prefix of the group's rows."""
    return {g.numeral: g.key for g in knowledge().tables["t3"].groups}


@cache
def _t3_group_names() -> dict[str, str]:
    return {g.key: g.name for g in knowledge().tables["t3"].groups}


@cache
def _t3_group_marker() -> re.Pattern[str]:
    return re.compile(rf"^{OPEN}([{''.join(_t3_groups())}]){CLOSE}")


def _t3_group(path: Sequence[str]) -> str | None:
    for part in path:
        m = _t3_group_marker().match(squash(part))
        if m:
            return _t3_groups()[m.group(1)]
    # the group by its name where its numbering is misprinted or misread: （三）不予公开
    names = _t3_group_names()
    longest = max(len(name) for name in names.values())
    for part in path:
        if len(core(part)) <= 2 * longest:
            found = best_match(part, names)
            if found:
                return found
    return None


def t3_row_key(path: Sequence[str]) -> str | None:
    return _t3_row_key(tuple(path))


_GROUP_AND_ITEM = re.compile(rf"^({OPEN}[三四五六]{CLOSE}\D*?)(\d{{1,2}}\..*)$")


@lru_cache(maxsize=8192)
def _t3_row_key(path: tuple[str, ...]) -> str | None:
    if not path:
        return None
    # a group and its item printed in one cell: "（三）不予公开 1.属于国家秘密"
    both = _GROUP_AND_ITEM.match(squash(path[-1]).replace("、", "."))
    if both:
        path = (*path[:-1], both.group(1), both.group(2))
    group = _t3_group(path)
    rows = _t3_rows()
    leaf = path[-1]
    if group and _t3_group([leaf]) == group:  # the group itself is the row, e.g. （六）其他处理
        candidates = {k: v for k, v in rows.items() if k == group or "." not in k}
    elif group:
        candidates = {k: v for k, v in rows.items() if k.startswith(group + ".")}
    else:
        # no group printed, lost at a page break or unreadable (a scan): the leaf's own words decide
        candidates = {k: v for k, v in rows.items() if "." not in k}
        return best_match(leaf, candidates) or best_match(leaf, {k: v for k, v in rows.items() if "." in k})
    return best_match(leaf, candidates)


def t3_col_key(path: Sequence[str]) -> str | None:
    return best_match(path[-1], _t3_cols()) if path else None


# --- 表四 -------------------------------------------------------------------------------------------


@cache
def _t4_leaves() -> dict[str, str]:
    """表四's column keys and their printed labels (结果维持 …)."""
    return {m.col: m.col_label for m in metrics() if m.table == "t4"}


def t4_keys(path: Sequence[str]) -> tuple[str | None, str | None]:
    joined = squash("".join(path[:-1]))
    row = next((r.key for r in knowledge().tables["t4"].rows if any(w in joined for w in r.words)), None)
    return row, (best_match(path[-1], _t4_leaves()) if path else None)


# --- 表二 -------------------------------------------------------------------------------------------


@cache
def _t2_rows() -> dict[str, str]:
    out: dict[str, str] = {}
    for m in metrics():
        if m.table == "t2":
            out.setdefault(f"{m.row}|{m.row_label}", m.row_label)
    return out


@cache
def _t2_cols() -> dict[str, str]:
    return {f"{m.col}|{m.col_label}": _without_unit(m.col_label) for m in metrics() if m.table == "t2"}


def _without_unit(label: str) -> str:
    """A 表二 column label without its unit suffix: （万元）, （单位：万元）, also with a bracket or
    colon misread (人单位：万元）, （单位；万元）: 单位 … 元 at the end says it is the unit."""
    return re.sub(
        rf"({OPEN}(单位[:：])?(万元|元){CLOSE}|.?单位.{{0,2}}元.?)$", "", fold(label).replace(" ", "")
    )


def t2_row(row_path: Sequence[str], col_path: Sequence[str] = ()) -> str | None:
    """The 表二 row key of a row label alone; else, of a label OCR garbled past matching (和下规范),
    the row with the cell's column (`col_path`) whose label shares MIN_SHARED_CHARACTERS or more
    with it, more than any other row with that column shares (行政规范性文件 2, 规章 1)."""
    if not row_path:
        return None
    hit = best_match(row_path[-1], _t2_rows())
    if hit is not None:
        return hit.split("|")[0]
    col_hit = _t2_col_hit(col_path)
    if col_hit is None:
        return None
    col, label = col_hit.split("|")[0], set(core(row_path[-1]))
    shared: dict[str, int] = {}
    for m in metrics():
        if m.table == "t2" and m.col == col:
            shared[m.row] = max(shared.get(m.row, 0), len(label & set(core(m.row_label))))
    ranked = sorted(shared.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < MIN_SHARED_CHARACTERS:
        return None
    return ranked[0][0] if len(ranked) == 1 or ranked[1][1] < ranked[0][1] else None


def _t2_col_hit(col_path: Sequence[str]) -> str | None:
    """The 表二 column (`key|label`) of the deepest header level that names one: on a photo a
    speck line under the header (read 'W', '全') is one level more."""
    return next(filter(None, (best_match(_without_unit(c), _t2_cols()) for c in reversed(col_path))), None)


@cache
def t2_column_orders() -> dict[tuple[str, str], tuple[str, ...]]:
    """(format, row key) → that row's column keys in printed order (metrics.csv order)."""
    orders: dict[tuple[str, str], tuple[str, ...]] = {}
    for m in metrics():
        for fmt in m.formats if m.table == "t2" else ():
            orders[(fmt, m.row)] = (*orders.get((fmt, m.row), ()), m.col)
    return orders


def t2_metric(row_path: Sequence[str], col_path: Sequence[str]) -> Metric | None:
    """The 表二 metric of a (row label, column label) pair, in either format's wording."""
    if not row_path or not col_path:
        return None
    row_hit = best_match(row_path[-1], _t2_rows())
    col_hit = _t2_col_hit(col_path)
    if row_hit is None or col_hit is None:
        return None
    row, col = row_hit.split("|")[0], col_hit.split("|")[0]
    col_label = col_hit.split("|", 1)[1]
    options = [m for m in metrics() if m.table == "t2" and m.row == row and m.col == col]
    exact = [m for m in options if m.col_label == col_label]
    return (exact or options)[0] if options else None


# --- 统计表 (pre-2019) ------------------------------------------------------------------------------


@cache
def _legacy_rows() -> dict[str, str]:
    """统计表 row keys and every wording of them (metrics.csv's, then aliases.csv's), `key|n`."""
    rows = {f"{m.row}|0": m.row_label for m in metrics() if m.table == "legacy" and m.row != "*"}
    count: dict[str, int] = {}
    for table, key, alias in knowledge().aliases:
        if table == "legacy":
            count[key] = count.get(key, 0) + 1
            rows[f"{key}|{count[key]}"] = alias
    return rows


def legacy_keys(row_path: Sequence[str], col_path: Sequence[str]) -> tuple[str | None, str | None]:
    """Keys of a 统计表 cell: the row by its label, the column 本年度 (any year) or 历年累计."""
    hit = best_match(_strip_qizhong(row_path[-1]), _legacy_rows(), threshold=0.8) if row_path else None
    col_text = squash(col_path[-1]) if col_path else ""
    columns = knowledge().tables["legacy"].columns
    col = next((c.key for c in columns if any(w in col_text for w in c.words)), None)
    if col is None and re.search(r"(19|20)\d{2}年", col_text):
        col = "current"  # a year printed as the column's name: that year's figures
    return (hit.split("|")[0] if hit else None), col


def legacy_row_as_printed(label: str) -> str:
    """A 统计表 row label misread or misprinted in a character or so (主动公开文件类), or with a
    character more or less (a speck read as one: 和否决公开答复数), spelt as the wording it stands
    for (主动公开文件数, 否决公开答复数); a label worded otherwise stays as printed."""
    printed = squash(label)
    body = core(_strip_qizhong(printed))
    hit = best_match(body, _legacy_rows(), threshold=0.8)
    if hit is None or not printed.endswith(body):
        return label
    wording = core(_legacy_rows()[hit])
    if not (_one_off(body, wording) or _one_more_or_less(body, wording)):
        return label
    return printed[: len(printed) - len(body)] + wording


def legacy_header_as_printed(label: str) -> str:
    """A 统计表 header label misread or misprinted in a character (本年庋, 历年紧计: a text layer's
    font can map a glyph to the wrong character, as OCR can), spelt as the known header wording
    (tables.toml `headers`) it is nearest; an exact wording, or one a character off two, stays."""
    printed = squash(label)
    headers = knowledge().tables["legacy"].headers
    near = [w for w in headers if w == printed or _one_off(printed, w)]
    return near[0] if len(near) == 1 else label


def _one_off(printed: str, wording: str) -> bool:
    """Whether `printed` is `wording` with a character or so other: as long, at most one character
    in CHARS_PER_MISREAD_LABEL other, none two side by side."""
    if printed == wording or len(printed) != len(wording):
        return False
    differ = [i for i, (a, b) in enumerate(zip(printed, wording, strict=True)) if a != b]
    return len(differ) <= max(1, len(printed) // CHARS_PER_MISREAD_LABEL) and all(
        j - i >= 2 for i, j in itertools.pairwise(differ)
    )


def _one_more_or_less(printed: str, wording: str) -> bool:
    """Whether one of the two is the other with one character more, both at least
    MIN_LABEL_FOR_EXTRA characters long (a short label a character longer is another label)."""
    longer, shorter = (printed, wording) if len(printed) > len(wording) else (wording, printed)
    if len(longer) != len(shorter) + 1 or len(shorter) < MIN_LABEL_FOR_EXTRA:
        return False
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _strip_qizhong(label: str) -> str:
    return re.sub(r"^其中[:：]?", "", squash(label))


def metric_for(table: str, row: str | None, col: str | None) -> Metric | None:
    """The catalogue entry of a key pair (rows or columns marked `*` combine freely)."""
    for m in metrics():
        if m.table == table and m.row == row and m.col in (col, "*"):
            return m
    return None
