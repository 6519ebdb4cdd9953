"""What real archives do to a report's first page and text, applied to a built Report (class C and D of
issue 12): a title wrapping with a one-character orphan; no title at all (the title was on the web page
and the PDF starts with the body), the office then named only in the body, in a metadata line, or in the
file name; metadata lines (来源：…, 2022年01月18日来源:…); radical compatibility characters in the text.

The truth stays what a careful reader would say: `office` is the name the document prints (the file
name's, when it prints none), `published` the date printed at the end or else in a metadata line, and
every variation is described in `notes`. The variations draw from their own RNG, so the report's
content (figures, tables, prose) is the one build_report gives.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import replace

from samplegen import phrases, radicals
from samplegen.content import PUBLISHED_FROM_META, PUBLISHED_NONE
from samplegen.grid import Grid, GridCell
from samplegen.model import (
    Appendix,
    Block,
    Closing,
    Heading,
    Meta,
    MetaLine,
    Omitted,
    Para,
    Report,
    Table,
    Title,
)

NO_TITLE_SOURCES = ("body", "contact", "metadata", "file name")


def archive_variant(report: Report, rng: random.Random) -> Report:
    """The report with some of the archive variations (each drawn independently)."""
    title_how = rng.choices(("as built", "orphan", "none"), weights=(6, 2, 3))[0]
    if title_how == "orphan":
        report = _orphan_title(report)
    elif title_how == "none":
        report = _no_title(report, rng, rng.choice(NO_TITLE_SOURCES))
    elif rng.random() < 0.2:
        report = _with_meta_line(report, rng)
    if rng.random() < 0.25:
        report = _with_radicals(report, rng)
    return report


def full_name(report: Report) -> str:
    return report.office_alt[0] if report.office_alt else report.office


def _without_notes(report: Report, *prefixes: str) -> list[str]:
    return [n for n in report.notes if not n.startswith(prefixes)]


def _orphan_title(report: Report) -> Report:
    title = report.title or ""
    if len(title) <= 25:
        lines: tuple[str, ...] = (title[:-1], title[-1])
    else:
        rest = title[len(report.office) :].strip()
        lines = (report.office, rest[:-1], rest[-1])
    blocks = tuple(Title(lines) if isinstance(b, Title) else b for b in report.blocks)
    shown = " / ".join(f"'{x}'" for x in lines)
    notes = _without_notes(report, "title is printed on")
    notes.append(f"the title wraps with a one-character orphan: {shown}; truth title is the whole title")
    return replace(report, blocks=blocks, title_lines=lines, notes=tuple(notes))


def _date_text(rng: random.Random, date: dt.date) -> str:
    return rng.choice((date.isoformat(), f"{date.year}年{date.month:02d}月{date.day:02d}日"))


def _meta_line(rng: random.Random, office: str, date: dt.date) -> str:
    return rng.choice(
        (
            f"{_date_text(rng, date)}来源:{office}",
            f"发布机构：{office}　发布日期：{_date_text(rng, date)}",
            f"来源：{office}　发布时间：{_date_text(rng, date)}",
            f"{_date_text(rng, date)}　来源：{office}　浏览次数：{rng.randint(30, 9000)}",
        )
    )


def _line_date(report: Report, rng: random.Random) -> tuple[dt.date, bool]:
    """The date a metadata line prints: the report's own date when it has one, else a fresh one."""
    if report.published:
        return dt.date.fromisoformat(report.published), False
    return phrases.random_date(rng, report.year + 1, (1, 4)), True


def _with_meta_line(report: Report, rng: random.Random) -> Report:
    date, fresh = _line_date(report, rng)
    line = MetaLine(_meta_line(rng, full_name(report), date))
    notes = list(report.notes)
    published = report.published
    if fresh:
        notes = _without_notes(report, "no date is printed at the end")
        notes.append("no date at the end of the report; published is the date in the metadata line")
        published = date.isoformat()
    notes.append(f"a metadata line is printed above the title: '{line.text}'")
    return replace(report, blocks=(line, *report.blocks), published=published, notes=tuple(notes))


def _scrub(text: str, names: tuple[str, ...]) -> str:
    """The intro and contact sentences without the office's names (the file-name-only case)."""
    text = re.sub(r"本报告由[^，。]*?根据", "本报告根据", text)
    text = re.sub(r"请与[^，。（]*?联系", "请与本机关政务公开工作机构联系", text)
    text = re.sub(r"本报告的电子版可在[^，。]*?门户网站下载", "本报告的电子版可在门户网站下载", text)
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "")
    return text


def _no_title(report: Report, rng: random.Random, source: str) -> Report:
    full, names = full_name(report), (full_name(report), report.office)
    intro = next(i for i, b in enumerate(report.blocks) if isinstance(b, Para))
    blocks: list[Block] = []
    appendix = report.appendix
    for i, b in enumerate(report.blocks):
        if isinstance(b, Title) or (isinstance(b, Meta) and source == "file name"):
            continue
        if i == intro and isinstance(b, Para):
            text = b.text
            if source != "body":
                text = (
                    _scrub(text, names)
                    if source != "contact"
                    else re.sub(r"本报告由[^，。]*?根据", "本报告根据", text)
                )
            if source == "body" and "本报告由" in text:
                text = re.sub(r"本报告由[^，。]*?根据", f"本报告由{full}根据", text)
            if source == "contact":
                text = re.sub(r"请与[^，。（]*?联系", f"请联系{full}", text)
            b = replace(b, text=text)
        elif source == "file name" and isinstance(b, Closing):
            kept = tuple(line for line in b.lines if line not in names)
            if not kept:
                continue
            b = Closing(kept)
        elif source == "file name" and isinstance(b, Table | Omitted) and b.caption:
            b = replace(b, caption=_scrub(b.caption, names))
            if appendix and appendix.title != b.caption:
                appendix = Appendix(b.caption, appendix.header, appendix.cells)
        blocks.append(b)
    notes = _without_notes(report, "title is printed on", "office is named")
    published = report.published
    if source == "file name" and PUBLISHED_FROM_META in notes:  # the block named the office: dropped with it
        notes = [n for n in notes if n != PUBLISHED_FROM_META] + [PUBLISHED_NONE]
        published = None
    if source == "metadata":
        date, fresh = _line_date(report, rng)
        line = MetaLine(_meta_line(rng, full, date))
        blocks.insert(0, line)
        notes.append(f"the office is named in the metadata line '{line.text}'")
        if fresh:
            notes = [n for n in notes if not n.startswith("no date is printed at the end")]
            notes.append("no date at the end of the report; published is the date in the metadata line")
            published = date.isoformat()
    name = report.name
    if source == "file name":
        name = f"{report.name}_{full}{report.year}年政府信息公开工作年度报告"
        notes.append("the office is printed nowhere in the report: only the file name carries it")
    notes.insert(0, f"no title is printed: the PDF starts with the body (the office comes from the {source})")
    printed = _printed_names(blocks, names)
    office = full if full in printed or not printed else printed[0]
    alt = tuple(n for n in printed if n != office)
    return replace(
        report,
        name=name,
        blocks=tuple(blocks),
        title=None,
        title_lines=(),
        office=office,
        office_alt=alt,
        published=published,
        appendix=appendix,
        notes=tuple(notes),
    )


def _printed_names(blocks: list[Block], names: tuple[str, ...]) -> list[str]:
    text = "\n".join(_texts(blocks))
    return [n for n in dict.fromkeys(names) if n in text]


def _texts(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Para):
            out.append(b.lead + b.text)
        elif isinstance(b, Heading | MetaLine):
            out.append(b.text)
        elif isinstance(b, Closing | Title):
            out.extend(b.lines)
        elif isinstance(b, Meta):
            out.extend(v for _, v in b.pairs)
        elif isinstance(b, Table | Omitted):  # an omitted table (table_deleted loss) prints its caption
            out.append(b.caption)
    return out


SCOPES = ("the whole text", "the body paragraphs", "the tables", "the title and headings")


def _in_scope(b: Block, scope: str) -> bool:
    if scope == "the whole text":
        return True
    if scope == "the body paragraphs":
        return isinstance(b, Para)
    if scope == "the tables":
        return isinstance(b, Table | Omitted)
    return isinstance(b, Title | Heading)


def _scope_text(blocks: tuple[Block, ...], scope: str) -> str:
    chosen = [b for b in blocks if _in_scope(b, scope)]
    cells = [c.text for b in chosen if isinstance(b, Table) for c in b.grid.cells]
    return "\n".join(_texts(chosen) + cells)


def _with_radicals(report: Report, rng: random.Random) -> Report:
    chars = radicals.draw_radical_set(rng)
    scope = rng.choice(SCOPES)
    used = "".join(c for c in chars if c in _scope_text(report.blocks, scope))
    if not used:  # none of the drawn characters occurs there: the producer writes them everywhere
        scope = SCOPES[0]
        used = "".join(c for c in chars if c in _scope_text(report.blocks, scope))
    if not used:
        return report

    def swap(text: str) -> str:
        return radicals.with_radicals(text, used)

    blocks: list[Block] = []
    for b in report.blocks:
        if _in_scope(b, scope):
            if isinstance(b, Para):
                b = replace(b, text=swap(b.text), lead=swap(b.lead))
            elif isinstance(b, Table):
                b = replace(b, grid=_swap_grid(b.grid, swap), caption=swap(b.caption))
            elif isinstance(b, Omitted):
                b = replace(b, caption=swap(b.caption))
            elif isinstance(b, Title | Closing):
                b = replace(b, lines=tuple(swap(x) for x in b.lines))
            elif isinstance(b, Heading | MetaLine):
                b = replace(b, text=swap(b.text))
        blocks.append(b)
    note = (
        f"radical compatibility characters are printed in {scope} ({radicals.describe(used)}), as some "
        "producers write them; truth uses the unified ideographs"
    )
    return replace(report, blocks=tuple(blocks), notes=(*report.notes, note))


def _swap_grid(grid: Grid, swap: object) -> Grid:
    assert callable(swap)
    cells = tuple(GridCell(**{**c.__dict__, "text": swap(c.text)}) for c in grid.cells)
    return replace(grid, cells=cells)
