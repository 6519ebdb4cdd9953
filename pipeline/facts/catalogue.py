"""The canonical keys (`metrics.csv`) and matching of printed labels to them.

Printed labels vary: spaces and line breaks inside labels, `1、` for `1.`, full-width digits, a
missing or wrong character, the 2019 and 2021 wordings. Labels are compared after `squash` and
without their numbering, by similarity, within the group the label path names (（三）不予公开 …).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache
from importlib import resources

from pipeline.core.text import fold, squash

MIN_SIMILARITY = 0.75
_LEADING_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[.、])"
)
_T3_GROUPS = {"三": "denied", "四": "unavailable", "五": "not_processed", "六": "other"}
_T3_GROUP_NAMES = {
    "denied": "不予公开",
    "unavailable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}


@dataclass(frozen=True)
class Metric:
    table: str
    row: str
    col: str
    row_label: str
    col_label: str
    formats: frozenset[str]
    unit: str


@cache
def metrics() -> tuple[Metric, ...]:
    text = resources.files("pipeline.knowledge").joinpath("metrics.csv").read_text(encoding="utf-8")
    return tuple(
        Metric(
            r["table"],
            r["row"],
            r["col"],
            r["row_label_zh"],
            r["col_label_zh"],
            frozenset(r["formats"].split()),
            r["unit"],
        )
        for r in csv.DictReader(text.splitlines())
    )


def core(label: str) -> str:
    """A label without whitespace, width variants and its leading numbering."""
    s = squash(label).replace("、", ".").replace("．", ".")
    for _ in range(2):
        s = _LEADING_NUMBER.sub("", s)
    return s


def similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def best_match(label: str, candidates: dict[str, str], threshold: float = MIN_SIMILARITY) -> str | None:
    """The key whose label is most like `label` (both compared by `core`), if similar enough."""
    return _best_core_match(core(label), tuple((k, core(v)) for k, v in candidates.items()), threshold)


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


# --- 表三 -------------------------------------------------------------------------------------------


@cache
def _t3_rows() -> dict[str, str]:
    return {m.row: m.row_label.split(" / ")[-1] for m in metrics() if m.table == "t3" and m.row != "*"}


@cache
def _t3_cols() -> dict[str, str]:
    return {m.col: m.col_label.split(" / ")[-1] for m in metrics() if m.table == "t3" and m.col != "*"}


def _t3_group(path: Sequence[str]) -> str | None:
    for part in path:
        m = re.match(r"^\(([三四五六])\)", squash(part))
        if m:
            return _T3_GROUPS[m.group(1)]
    # the group by its name where its numbering is misprinted or misread: （三）不予公开
    for part in path:
        if len(core(part)) <= 2 * len("不予公开"):
            found = best_match(part, _T3_GROUP_NAMES)
            if found:
                return found
    return None


def t3_row_key(path: Sequence[str]) -> str | None:
    return _t3_row_key(tuple(path))


_GROUP_AND_ITEM = re.compile(r"^(\([三四五六]\)\D*?)(\d{1,2}\..*)$")


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

_T4_LEAVES = {
    "maintained": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}


def t4_keys(path: Sequence[str]) -> tuple[str | None, str | None]:
    joined = squash("".join(path[:-1]))
    if "复议后起诉" in joined:
        row: str | None = "litigation_after_review"
    elif "直接起诉" in joined or "未经复议" in joined:
        row = "litigation_direct"
    elif "复议" in joined:
        row = "review"
    else:
        row = None
    return row, (best_match(path[-1], _T4_LEAVES) if path else None)


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
    return re.sub(r"\((单位[:：])?(万元|元)\)$", "", fold(label).replace(" ", ""))


def t2_row(row_path: Sequence[str]) -> str | None:
    """The 表二 row key of a row label alone."""
    hit = best_match(row_path[-1], _t2_rows()) if row_path else None
    return hit.split("|")[0] if hit else None


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
    col_hit = best_match(_without_unit(col_path[-1]), _t2_cols())
    if row_hit is None or col_hit is None:
        return None
    row, col = row_hit.split("|")[0], col_hit.split("|")[0]
    col_label = col_hit.split("|", 1)[1]
    options = [m for m in metrics() if m.table == "t2" and m.row == row and m.col == col]
    exact = [m for m in options if m.col_label == col_label]
    return (exact or options)[0] if options else None


# --- 统计表 (pre-2019) ------------------------------------------------------------------------------

# Wordings of the same 统计表 row across offices and years (the catalogue holds one of each).
_LEGACY_ALIASES = {
    "proactive_items": ("主动公开文件数", "主动公开政府信息数", "主动公开信息总数"),
    "proactive_website": ("政府网站公开数", "网站公开数", "网站公开"),
    "proactive_gazette": ("政府公报公开数",),
    "requests_received": ("受理申请总数", "依申请公开信息总数", "受理政府信息公开申请数"),
    "requests_letter": ("信函、传真申请数", "信函传真申请数"),
    "requests_other_channel": ("其他形式申请数",),
    "requests_answered": ("对申请的答复数", "答复总数"),
    "answers_denied": ("不予公开答复数", "不同意公开答复数"),
    "answers_other": ("其它类型答复数",),
    "appeal_cases": ("申诉数", "行政申诉/举报数", "接受行政申诉、举报数", "举报数"),
    "fees_collected": ("收费（元）", "收取费用", "收费金额", "收费数"),
}


@cache
def _legacy_rows() -> dict[str, str]:
    rows = {f"{m.row}|0": m.row_label for m in metrics() if m.table == "legacy" and m.row != "*"}
    for key, aliases in _LEGACY_ALIASES.items():
        rows.update({f"{key}|{i + 1}": alias for i, alias in enumerate(aliases)})
    return rows


def legacy_keys(row_path: Sequence[str], col_path: Sequence[str]) -> tuple[str | None, str | None]:
    """Keys of a 统计表 cell: the row by its label, the column 本年度 (any year) or 历年累计."""
    hit = best_match(_strip_qizhong(row_path[-1]), _legacy_rows(), threshold=0.8) if row_path else None
    col_text = squash(col_path[-1]) if col_path else ""
    if "累计" in col_text:
        col: str | None = "cumulative"
    elif "本年" in col_text or "年度" in col_text or re.search(r"(19|20)\d{2}年", col_text):
        col = "current"
    else:
        col = None
    return (hit.split("|")[0] if hit else None), col


def _strip_qizhong(label: str) -> str:
    return re.sub(r"^其中[:：]?", "", squash(label))


def metric_for(table: str, row: str | None, col: str | None) -> Metric | None:
    """The catalogue entry of a key pair (rows or columns marked `*` combine freely)."""
    for m in metrics():
        if m.table == table and m.row == row and m.col in (col, "*"):
            return m
    return None
