"""Random report content: office, year, format, title, metadata, intro, outline, closing, print style."""

from __future__ import annotations

import datetime as dt
import random

from samplegen import legacy, modern, phrases, prose
from samplegen.fonts import FONTS
from samplegen.grid import TableLook, draw_table_look
from samplegen.model import Block, Body, Closing, Meta, Para, Report, Style, Title
from samplegen.names import Office, email, make_office, phone

FORMATS = ("2008", "2019", "2021")


def report_rng(seed: int, index: int) -> random.Random:
    """Each report has its own RNG, so report i does not depend on how many are generated."""
    return random.Random(f"samplegen:{seed}:{index}")


def draw_year(rng: random.Random, fmt: str) -> int:
    """Format is not a function of year, but mostly follows it."""
    if fmt == "2008":
        return rng.randint(2008, 2018) if rng.random() < 0.9 else rng.randint(2019, 2020)
    if fmt == "2019":
        return rng.randint(2019, 2020) if rng.random() < 0.85 else rng.randint(2021, 2023)
    return rng.randint(2021, 2024)


def draw_style(rng: random.Random) -> Style:
    body = rng.choice(FONTS)
    return Style(
        body_font=body,
        head_font=rng.choice((body, "wqy-zenhei", "wqy-zenhei")),
        title_font=rng.choice((body, "wqy-zenhei", "STSong-Light")),
        body_size=rng.choice((10.5, 11.0, 12.0, 12.0, 14.0, 16.0, 16.0)),
        title_size=rng.choice((16.0, 18.0, 20.0, 22.0)),
        leading=rng.uniform(1.4, 1.9),
        margins=(rng.uniform(50, 90), rng.uniform(50, 90), rng.uniform(55, 85), rng.uniform(55, 80)),
        indent_first=rng.random() < 0.85,
        page_numbers=rng.choice(("none", "dash", "spaced", "plain", "di", "spaced")),
        line_width=rng.uniform(0.5, 1.2),
        cell_pad=rng.uniform(2.0, 5.0),
        heading_bold=rng.random() < 0.6,
        title_bold=rng.random() < 0.7,
        para_gap=rng.choice((0.0, 0.0, 0.2, 0.4)),
    )


def make_title(rng: random.Random, office: str, year: int) -> tuple[str, tuple[str, ...]]:
    """The title as one string, and as printed over 1-3 lines."""
    sp = " " if rng.random() < 0.2 else ""
    tail = rng.choices(
        ("年政府信息公开工作年度报告", "年度政府信息公开工作年度报告", "年度政府信息公开年度报告"),
        weights=(6, 3, 1),
    )[0]
    rest = f"{year}{sp}{tail}"
    title = f"{office}{sp}{rest}"
    how = rng.choices(("one", "office", "year", "three"), weights=(3, 6, 1, 1))[0]
    if how == "one" and len(title) <= 24:
        return title, (title,)
    if how == "year":
        return title, (f"{office}{sp}{year}{sp}{tail[0]}", tail[1:])
    if how == "three":
        cut = len(tail) - (rng.choice((4, 6)) if tail.endswith("工作年度报告") else 4)
        return title, (office, f"{year}{sp}{tail[:cut]}", tail[cut:])
    return title, (office, rest)


def _meta(rng: random.Random, office: Office, year: int, published: dt.date) -> Meta:
    code = f"{rng.randint(10**8, 10**9 - 1)}{rng.choice('ABCDEFGHJK')}"
    index = f"{code}/{published.year}-{rng.randint(1, 99999):05d}"
    pairs = [("索引号", index), ("发布机构", office.full), ("发布日期", published.isoformat())]
    if rng.random() < 0.6:
        pairs.append(("成文日期", (published - dt.timedelta(days=rng.randint(0, 5))).isoformat()))
    if rng.random() < 0.5:
        pairs.append(("主题分类", "政府信息公开年报"))
    return Meta(tuple(pairs))


def _intro(rng: random.Random, office: Office, year: int, fmt: str) -> str:
    law = "《中华人民共和国政府信息公开条例》（以下简称《条例》）"
    period = f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    contact = (
        f"如对本报告有疑问，请与{office.compiler}联系（地址：{office.place}"
        f"{phrases.cn_number(rng.randint(1, 99))}路{rng.randint(1, 300)}号；邮编：{office.postcode}；"
        f"电话：{phone(rng, office)}；"
        f"电子邮箱：{email(rng)}）。"
    )
    if fmt == "2008":
        head = f"根据{law}规定，特向社会公布{year}年度{office.full}政府信息公开年度报告。"
        return (
            head
            + period
            + (f"本报告的电子版可在{office.full}门户网站下载。" if rng.random() < 0.5 else "")
            + contact
        )
    head = f"本报告由{office.compiler}根据{law}和上级有关要求编制。"
    return head + period + contact


def build_report(seed: int, index: int, fmt: str) -> Report:
    rng = report_rng(seed, index)
    office = make_office(rng)
    year = draw_year(rng, fmt)
    style = draw_style(rng)
    look = draw_table_look(rng)
    title, title_lines = make_title(rng, office.title_name, year)
    pub_date = phrases.random_date(rng, year + 1, (1, 4))
    blocks: list[Block] = []
    meta_date: str | None = None
    if rng.random() < 0.25:
        blocks.append(_meta(rng, office, year, pub_date))
        meta_date = pub_date.isoformat()
    blocks.append(Title(title_lines))
    blocks.append(Para(_intro(rng, office, year, fmt)))
    body = _body(rng, fmt, office, year, look)
    blocks.extend(body.blocks)
    notes = list(body.notes)
    closing, closing_date = _closing(rng, office, pub_date)
    blocks.extend(closing)
    blocks.extend(body.tail)
    published = closing_date or meta_date
    notes.append(_published_note(closing_date, meta_date))
    if title_lines != (title,):
        shown = " / ".join(f"'{x}'" for x in title_lines)
        notes.append(f"title is printed on {len(title_lines)} lines: {shown}")
    alt = (office.full,) if office.full != office.title_name else ()
    if alt:
        notes.append(f"office is named '{office.title_name}' in the title; its full name is '{office.full}'")
    return Report(
        name=f"{year}_sg{seed}-{index:04d}",
        seed=seed,
        index=index,
        fmt=fmt,
        year=year,
        office=office.title_name,
        office_alt=alt,
        title=title,
        title_lines=title_lines,
        published=published,
        headings=body.headings,
        blocks=tuple(blocks),
        cells=body.cells,
        prose=body.prose,
        appendix=body.appendix,
        notes=tuple(notes),
        data_quality=body.data_quality,
        style=style,
    )


def _body(rng: random.Random, fmt: str, office: Office, year: int, look: TableLook) -> Body:
    verbosity = rng.choice((0, 1, 1, 2, 3, 5))
    if fmt != "2008":
        return modern.build(rng, fmt, office.kind, year, office.self_ref, look, verbosity)
    space, run_in, sub = rng.random() < 0.2, rng.choice((0.0, 0.0, 0.5, 1.0)), rng.choice((".", "、"))
    ctx = legacy.Ctx(office.title_name, year, office.self_ref, space, run_in, sub, verbosity)
    return legacy.build(rng, ctx, prose.draw_figures(rng, office.kind), look)


def _closing(rng: random.Random, office: Office, date: dt.date) -> tuple[list[Block], str | None]:
    how = rng.choices(("date", "office", "none"), weights=(5, 1, 2))[0]
    if how == "none":
        return [], None
    name = rng.choice((office.full, office.full, office.title_name))
    if how == "office":
        return [Closing((name,))], None
    return [Closing((name, phrases.format_date(rng, date)))], date.isoformat()


PUBLISHED_FROM_META = "no date at the end of the report; published is the 发布日期 in the metadata block"
PUBLISHED_NONE = (
    "no date is printed at the end of the report and there is no metadata block, so published is null"
)


def _published_note(closing: str | None, meta: str | None) -> str:
    if closing:
        return "published is the date printed at the end of the report"
    return PUBLISHED_FROM_META if meta else PUBLISHED_NONE
