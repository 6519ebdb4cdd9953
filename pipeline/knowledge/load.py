"""The data files of this folder → one frozen `Knowledge`, validated as it is loaded.

    metrics.csv    canonical keys: table, row, column, printed labels, formats, unit — in printed order
    formats.toml   the report formats, what each must print, how the format is told from the tables
    tables.toml    how each statistics table is recognised, and its label knowledge
    aliases.csv    other printed wordings of a key (offices and years word rows differently)
    sections.csv   the kinds of level-1 sections and the words that name them
    headings.csv   standard wordings of level-1 headings, by kind
    prose.toml     the phrasings of figures stated in sentences, and what a section must state
    offices.toml   what an issuing office's name looks like; the first year a report can be about
    radicals.csv   radical code points some producers write for ideographs (Unicode's equivalents)

Every cross-reference is checked (a format's tables exist, an alias or a prose rule names a key
of metrics.csv, a regular expression compiles …); a mistake is a `KnowledgeError` naming the
file, at load, never a silent miss later. `knowledge()` loads the package's own files once.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any


class KnowledgeError(ValueError):
    """A data file that is malformed or contradicts another."""


@dataclass(frozen=True)
class Metric:
    table: str
    row: str  # `*`: combines with every column key of the table
    col: str  # `*`: likewise
    row_label: str
    col_label: str
    formats: frozenset[str]
    unit: str


@dataclass(frozen=True)
class Format:
    key: str
    name: str
    cites: tuple[str, ...]  # the circular a report of this format cites, as printed
    tables: tuple[str, ...]  # the statistics tables a report of this format must print


@dataclass(frozen=True)
class Detection:
    vote_table: str
    t3_rows: tuple[tuple[str, frozenset[str]], ...]  # (format, rows that mark it), tried in order
    tables_default: str
    text_default: str


@dataclass(frozen=True)
class Group:
    numeral: str  # 三 in （三）
    key: str  # the key prefix of its rows
    name: str  # 不予公开


@dataclass(frozen=True)
class Keyed:
    key: str
    words: tuple[str, ...]  # any of them names the key


@dataclass(frozen=True)
class TableKind:
    key: str
    title: str
    identify: tuple[tuple[str, ...], ...]  # every word of one group printed → this table
    identify_any: tuple[str, ...]  # or at least `identify_at_least` of these
    identify_at_least: int
    groups: tuple[Group, ...]
    rows: tuple[Keyed, ...]
    columns: tuple[Keyed, ...]
    announced: tuple[str, ...]  # words that announce the table in a report's text
    headers: tuple[str, ...]  # its header labels' printed wordings (a label a character off is one)
    counts: bool  # every figure is a number of requests or cases: whole, never below 0

    def named_in(self, text: str) -> bool:
        """Whether `text` (squashed) prints the words that identify this table."""
        if any(all(w in text for w in group) for group in self.identify):
            return True
        return bool(self.identify_any) and sum(w in text for w in self.identify_any) >= self.identify_at_least


@dataclass(frozen=True)
class ProseRule:
    key: str
    phrase: re.Pattern[str]
    units: tuple[str, ...]
    context: re.Pattern[str] | None  # the sentence must also say this


@dataclass(frozen=True)
class Prose:
    rules: tuple[ProseRule, ...]
    negation: re.Pattern[str]
    absence: tuple[tuple[str, re.Pattern[str]], ...]  # (key, topic)
    home: Mapping[str, str]  # key → section kind where a statement of it is at home
    default_home: str
    expect: Mapping[str, tuple[str, ...]]  # section kind → figures a section of it must state


@dataclass(frozen=True)
class OfficeNames:
    endings: tuple[str, ...]
    not_in_name: tuple[str, ...]
    min_chars: int
    max_chars: int
    first_year: int  # the first year a report can be about
    metadata_office_keys: tuple[str, ...]
    metadata_date_keys: tuple[str, ...]
    metadata_other_keys: tuple[str, ...]
    body_patterns: tuple[re.Pattern[str], ...]  # each with an `office` group


@dataclass(frozen=True)
class Knowledge:
    metrics: tuple[Metric, ...]
    formats: tuple[Format, ...]
    detection: Detection
    tables: Mapping[str, TableKind]
    aliases: tuple[tuple[str, str, str], ...]  # (table, key, printed wording)
    sections: tuple[Keyed, ...]  # in the order they are tried: the first whose words occur wins
    prose: Prose
    offices: OfficeNames
    radicals: Mapping[str, str]  # a radical code point → the ideograph it stands for (⺠ → 民)
    headings: tuple[Keyed, ...]  # standard wordings of level-1 headings: (kind, (wording,))

    def format(self, key: str) -> Format | None:
        return next((f for f in self.formats if f.key == key), None)

    def row_orders(self, table: str) -> tuple[tuple[str, ...], ...]:
        """The printed row orders of a table, one per format that prints it (distinct)."""
        orders: list[tuple[str, ...]] = []
        for fmt in self.formats:
            order = tuple(
                dict.fromkeys(m.row for m in self.metrics if m.table == table and fmt.key in m.formats)
            )
            order = tuple(r for r in order if r != "*")
            if order and order not in orders:
                orders.append(order)
        return tuple(orders)

    def columns(self, table: str) -> tuple[str, ...]:
        """A table's column keys in printed order (every format's, once)."""
        cols = dict.fromkeys(m.col for m in self.metrics if m.table == table)
        return tuple(c for c in cols if c != "*")

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every pair of adjacent Chinese characters of the labels, section words and table
        titles: text read right from a report shares many of them, text misread shares none."""
        texts = [m.row_label + m.col_label for m in self.metrics]
        texts += [" ".join(s.words) for s in self.sections] + [t.title for t in self.tables.values()]
        texts += self.heading_wordings
        return frozenset(pair for text in texts for pair in han_pairs(text))

    @cached_property
    def heading_wordings(self) -> tuple[str, ...]:
        """The standard wordings of level-1 headings (headings.csv), in its order."""
        return tuple(h.words[0] for h in self.headings)

    def keys(self, table: str) -> set[tuple[str, str]]:
        """Every (row, col) key pair metrics.csv defines for a table (`*` combined freely)."""
        rows = {m.row for m in self.metrics if m.table == table and m.row != "*"}
        cols = {m.col for m in self.metrics if m.table == table and m.col != "*"}
        pairs = set()
        for m in self.metrics:
            if m.table != table:
                continue
            for r in rows if m.row == "*" else {m.row}:
                for c in cols if m.col == "*" else {m.col}:
                    pairs.add((r, c))
        return pairs


HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def han_pairs(text: str) -> list[str]:
    """The pairs of adjacent Chinese characters of `text`, in order."""
    return [run[i : i + 2] for run in HAN_RUN.findall(text) for i in range(len(run) - 1)]


def _read(folder: Path, name: str) -> str:
    try:
        return (folder / name).read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeError(f"{name}: cannot be read ({exc})") from exc


def _toml(folder: Path, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(_read(folder, name))
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(f"{name}: {exc}") from exc


def _csv(folder: Path, name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a CSV file (lines starting with `#` are comments)."""
    lines = [line for line in _read(folder, name).splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    if not rows or tuple(rows[0]) != columns:
        raise KnowledgeError(f"{name}: expected the columns {', '.join(columns)}")
    for number, row in enumerate(rows, start=2):
        if any(row[c] is None for c in columns) or None in row:
            raise KnowledgeError(f"{name} line {number}: expected {len(columns)} fields")
    return rows


def _regex(name: str, where: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise KnowledgeError(f"{name}: {where}: {exc}") from exc


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise KnowledgeError(message)


def _metrics(folder: Path) -> tuple[Metric, ...]:
    columns = ("table", "row", "col", "row_label_zh", "col_label_zh", "formats", "unit")
    rows = _csv(folder, "metrics.csv", columns)
    out = tuple(
        Metric(
            r["table"],
            r["row"],
            r["col"],
            r["row_label_zh"],
            r["col_label_zh"],
            frozenset(r["formats"].split()),
            r["unit"],
        )
        for r in rows
    )
    seen: dict[tuple[str, str, str], frozenset[str]] = {}
    for m in out:
        key = (m.table, m.row, m.col)
        # one key may be worded differently per format (2019 处理决定数量, 2021 本年处理决定数量)
        _require(
            not (seen.get(key, frozenset()) & m.formats), f"metrics.csv: {' '.join(key)} twice in one format"
        )
        seen[key] = seen.get(key, frozenset()) | m.formats
    return out


def _formats(folder: Path, tables: Mapping[str, TableKind]) -> tuple[tuple[Format, ...], Detection]:
    data = _toml(folder, "formats.toml")
    formats = tuple(
        Format(key, str(f["name"]), tuple(f.get("cites", ())), tuple(f.get("tables", ())))
        for key, f in data.get("formats", {}).items()
    )
    for f in formats:
        for t in f.tables:
            _require(t in tables, f"formats.toml: format {f.key} needs table {t!r}, which tables.toml lacks")
    d = data.get("detection", {})
    keys = {f.key for f in formats}
    try:
        marks = tuple((str(m["format"]), frozenset(m["rows"])) for m in d["t3_rows"])
        detection = Detection(d["vote_table"], marks, d["tables_default"], d["text_default"])
    except KeyError as exc:
        raise KnowledgeError(f"formats.toml: [detection] lacks {exc}") from exc
    for fmt in (detection.tables_default, detection.text_default, *(f for f, _ in detection.t3_rows)):
        _require(fmt in keys, f"formats.toml: [detection] names format {fmt!r}, which is not defined")
    return formats, detection


def _keyed(name: str, items: list[dict[str, Any]]) -> tuple[Keyed, ...]:
    try:
        return tuple(Keyed(str(i["key"]), tuple(i["words"])) for i in items)
    except (KeyError, TypeError) as exc:
        raise KnowledgeError(f"{name}: an entry lacks `key` or `words`") from exc


def _tables(folder: Path) -> dict[str, TableKind]:
    data = _toml(folder, "tables.toml").get("tables", {})
    out = {}
    for key, t in data.items():
        groups = tuple(Group(numeral, g["key"], g["name"]) for numeral, g in t.get("groups", {}).items())
        out[key] = TableKind(
            key,
            str(t.get("title", key)),
            tuple(tuple(group) for group in t.get("identify", ())),
            tuple(t.get("identify_any", ())),
            int(t.get("identify_at_least", 1)),
            groups,
            _keyed("tables.toml", t.get("rows", [])),
            _keyed("tables.toml", t.get("columns", [])),
            tuple(t.get("announced", ())),
            tuple(t.get("headers", ())),
            bool(t.get("counts", False)),
        )
        _require(
            bool(out[key].identify or out[key].identify_any),
            f"tables.toml: table {key} has no way to be recognised",
        )
    return out


def _prose(folder: Path) -> Prose:
    data = _toml(folder, "prose.toml")
    count_units = tuple(data.get("count_units", ()))
    rules = []
    for i, r in enumerate(data.get("rules", [])):
        where = f"rule {i + 1} ({r.get('key')})"
        context = r.get("context")
        rules.append(
            ProseRule(
                str(r["key"]),
                _regex("prose.toml", where, r["phrase"]),
                tuple(r.get("units", count_units)),
                _regex("prose.toml", where, context) if context else None,
            )
        )
    absence = data.get("absence", {})
    topics = tuple(
        (str(t["key"]), _regex("prose.toml", f"absence topic {t['key']}", t["topic"]))
        for t in absence.get("topics", [])
    )
    return Prose(
        tuple(rules),
        _regex("prose.toml", "absence negation", absence.get("negation", "")),
        topics,
        dict(data.get("home", {})),
        str(data.get("default_home", "requests")),
        {kind: tuple(keys) for kind, keys in data.get("expect", {}).items()},
    )


def _offices(folder: Path) -> OfficeNames:
    data = _toml(folder, "offices.toml")
    try:
        names = OfficeNames(
            tuple(data["endings"]),
            tuple(data["not_in_name"]),
            int(data["min_chars"]),
            int(data["max_chars"]),
            int(data["first_year"]),
            tuple(data["metadata_office_keys"]),
            tuple(data["metadata_date_keys"]),
            tuple(data["metadata_other_keys"]),
            tuple(
                _regex("offices.toml", f"body pattern {i + 1}", p)
                for i, p in enumerate(data["body_patterns"])
            ),
        )
    except (KeyError, ValueError) as exc:
        raise KnowledgeError(f"offices.toml: {exc}") from exc
    _require(
        bool(names.endings) and names.min_chars < names.max_chars, "offices.toml: no endings, or min >= max"
    )
    return names


RADICAL_BLOCKS = ((0x2E80, 0x2FDF), (0x31C0, 0x31EF))  # CJK Radicals Supplement, Kangxi Radicals, CJK Strokes


def _radicals(folder: Path) -> dict[str, str]:
    out = {}
    for row in _csv(folder, "radicals.csv", ("radical", "ideograph", "name")):
        radical, ideograph = row["radical"], row["ideograph"]
        _require(
            len(radical) == 1 and any(a <= ord(radical) <= b for a, b in RADICAL_BLOCKS),
            f"radicals.csv: {radical!r} is no radical",
        )
        _require(
            len(ideograph) == 1 and ord(ideograph) >= 0x3400, f"radicals.csv: {ideograph!r} is no ideograph"
        )
        out[radical] = ideograph
    return out


def load_knowledge(folder: Path) -> Knowledge:
    """Every data file of `folder`, cross-checked."""
    metrics = _metrics(folder)
    tables = _tables(folder)
    formats, detection = _formats(folder, tables)
    defined = {(m.table, m.row) for m in metrics} | {(m.table, m.col) for m in metrics}
    aliases = tuple(
        (r["table"], r["key"], r["alias"]) for r in _csv(folder, "aliases.csv", ("table", "key", "alias"))
    )
    for table, key, alias in aliases:
        _require(
            (table, key) in defined, f"aliases.csv: {alias} names {table} {key}, which metrics.csv lacks"
        )
    sections = tuple(
        Keyed(r["kind"], tuple(r["words"].split())) for r in _csv(folder, "sections.csv", ("kind", "words"))
    )
    _require(len({s.key for s in sections}) == len(sections), "sections.csv: a kind is listed twice")
    prose = _prose(folder)
    for rule in prose.rules:
        _require(
            ("prose", rule.key) in defined, f"prose.toml: rule {rule.key} is not a prose key of metrics.csv"
        )
    for key, _ in prose.absence:
        _require(
            ("prose", key) in defined, f"prose.toml: absence topic {key} is not a prose key of metrics.csv"
        )
    kinds = {s.key for s in sections}
    for key, kind in {**prose.home, "*": prose.default_home}.items():
        _require(kind in kinds, f"prose.toml: [home] {key} = {kind!r} is not a kind of sections.csv")
    for kind, keys in prose.expect.items():
        _require(kind in kinds, f"prose.toml: [expect] {kind!r} is not a kind of sections.csv")
        for key in keys:
            _require(
                ("prose", key) in defined,
                f"prose.toml: [expect] {kind}: {key} is not a prose key of metrics.csv",
            )
    for row in {row for _, rows in detection.t3_rows for row in rows}:
        _require(
            ("t3", row) in defined, f"formats.toml: [detection] row {row} is not a t3 key of metrics.csv"
        )
    for spec in tables.values():
        for group in spec.groups:
            _require(
                any(m.table == spec.key and m.row.startswith(group.key) for m in metrics),
                f"tables.toml: {spec.key} group {group.key} prefixes no row of metrics.csv",
            )
        for item in (*spec.rows, *spec.columns):
            _require(
                (spec.key, item.key) in defined,
                f"tables.toml: {spec.key} {item.key} is not a key of metrics.csv",
            )
    headings = _headings(folder, sections)
    return Knowledge(
        metrics,
        formats,
        detection,
        tables,
        aliases,
        sections,
        prose,
        _offices(folder),
        _radicals(folder),
        headings,
    )


def _headings(folder: Path, sections: tuple[Keyed, ...]) -> tuple[Keyed, ...]:
    """headings.csv, each wording checked to name its kind as sections.csv tells kinds apart."""
    headings = tuple(
        Keyed(r["kind"], (r["heading"],)) for r in _csv(folder, "headings.csv", ("kind", "heading"))
    )
    for heading in headings:
        named = next((s.key for s in sections if any(w in heading.words[0] for w in s.words)), None)
        _require(
            named == heading.key,
            f"headings.csv: {heading.words[0]} is listed as {heading.key} but sections.csv names it {named}",
        )
    return headings


@cache
def knowledge() -> Knowledge:
    """The package's own data files, loaded once per process."""
    with resources.as_file(resources.files("pipeline.knowledge")) as folder:
        return load_knowledge(folder)
