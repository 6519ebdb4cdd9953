"""The content model of a synthetic report: blocks to print, truth figures, and the print style."""

from __future__ import annotations

from dataclasses import dataclass

from samplegen.grid import Grid


@dataclass(frozen=True)
class Title:
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Meta:
    """The metadata block some sites print above the title (索引号, 发布机构, 发布日期 …)."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class MetaLine:
    """One line of site metadata printed with the body (来源：…, 2022年01月18日来源:…, 发布机构：…)."""

    text: str


@dataclass(frozen=True)
class Heading:
    text: str
    level: int


@dataclass(frozen=True)
class Para:
    """A paragraph; `lead` is a run-in heading printed in the heading font on the same line."""

    text: str
    lead: str = ""
    indent: bool = True


@dataclass(frozen=True)
class Table:
    grid: Grid
    caption: str = ""


@dataclass(frozen=True)
class Omitted:
    """Where a table was to be printed and is not (the `table_deleted` loss): only its caption is printed."""

    name: str
    caption: str = ""


@dataclass(frozen=True)
class Closing:
    """Right-aligned signature lines: office, date."""

    lines: tuple[str, ...]


Block = Title | Meta | MetaLine | Heading | Para | Table | Omitted | Closing


@dataclass(frozen=True)
class TruthCell:
    table: str
    row: str
    col: str
    value: str


@dataclass(frozen=True)
class ProseFact:
    label: str
    value: str
    unit: str
    note: str | None = None
    key: str | None = None  # the score.py prose key the label is meant to map to (not written to truth)


@dataclass(frozen=True)
class Appendix:
    title: str
    header: tuple[str, ...]
    cells: tuple[TruthCell, ...]


@dataclass(frozen=True)
class Body:
    """What an outline builder returns: the sections, what follows the closing, and their truth."""

    blocks: tuple[Block, ...]
    tail: tuple[Block, ...]  # printed after the closing (the 统计表 appendix)
    headings: tuple[str, ...]
    cells: tuple[TruthCell, ...]
    prose: tuple[ProseFact, ...]
    appendix: Appendix | None
    notes: tuple[str, ...]
    data_quality: tuple[str, ...]


@dataclass(frozen=True)
class Style:
    body_font: str
    head_font: str
    title_font: str
    body_size: float
    title_size: float
    leading: float  # line height as a multiple of the font size
    margins: tuple[float, float, float, float]  # left, right, top, bottom (pt)
    indent_first: bool
    page_numbers: str  # none | dash | spaced | plain | di
    line_width: float
    cell_pad: float
    heading_bold: bool
    title_bold: bool
    para_gap: float  # extra space after a paragraph, as a multiple of the font size


@dataclass(frozen=True)
class Loss:
    """One injected loss (samplegen/losses.py): a table the report does not print as it should."""

    kind: str  # one of losses.KINDS
    table: str  # t2 | t3 | t4 | 统计表
    break_before: int | None = None  # header_alone, header_split, header_band_alone: the row after the break
    at: tuple[int, int] | None = None  # header_garbled: grid row and column of the misprinted label …
    label: str = ""  # … the canonical label …
    printed: str = ""  # … and how it is printed
    rules: str = ""  # rules_removed: three_line | none
    angle: int = 0  # page_turned: degrees the page is turned clockwise as displayed
    how: str = ""  # page_turned: rotate_key (the page's /Rotate) | content (the content is drawn turned)


@dataclass(frozen=True)
class Report:
    name: str
    seed: int
    index: int
    fmt: str
    year: int
    office: str  # as named in the title
    office_alt: tuple[str, ...]
    title: str | None  # None: the PDF prints no title (archive.py)
    title_lines: tuple[str, ...]
    published: str | None
    headings: tuple[str, ...]
    blocks: tuple[Block, ...]
    cells: tuple[TruthCell, ...]
    prose: tuple[ProseFact, ...]
    appendix: Appendix | None
    notes: tuple[str, ...]
    data_quality: tuple[str, ...]
    style: Style
    loss: Loss | None = None
    page_breaks: tuple[tuple[str, int], ...] = ()  # (table, row): page breaks forced before body rows
