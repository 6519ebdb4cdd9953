"""A Report as one HTML page with print CSS, for the browser and WeasyPrint producers.

Tables are real <table>s with rowspan/colspan; the header rows go into <thead> only when the report's
table look repeats them (a browser then repeats them on each page and never splits them), otherwise
they are ordinary rows that a page break may split. Page size, margins and page numbers are @page
rules, so both producers lay the pages out themselves.

A table whose rules were removed (the rules_removed loss, grid.rules none or three_line) draws no cell
borders (a transparent border would still be painted, with an alpha of 0, by Chromium): its cells are
padded by the width they lost, so it is laid out nearly as its ruled twin, printed with `probe=True`
(every border drawn) to show where each row fell. A table not printed (Omitted) prints only its caption.
"""

from __future__ import annotations

from html import escape

from samplegen.grid import Grid, GridCell
from samplegen.model import Block, Closing, Heading, Meta, MetaLine, Omitted, Para, Report, Table, Title
from samplegen.pagesetup import PageSetup, family, steer_spaces

PAGE_NUMBER = {
    "dash": '"-" counter(page) "-"',
    "spaced": '"- " counter(page) " -"',
    "plain": "counter(page)",
    "di": '"第" counter(page) "页"',
}
STEER_MARK = '<div class="steer" style="height:{h:.2f}pt"></div>'


def em_width(text: str) -> float:
    """Width in em: CJK and full-width characters are 1 em, ASCII about half."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)


def report_html(report: Report, setup: PageSetup, probe: bool = False) -> str:
    """The report as HTML; `probe` draws the removed rules of a rules_removed table (same layout)."""
    s = report.style
    body = "\n".join(_blocks(report, setup, probe))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(report.title or '')}</title><style>{_css(report, setup)}</style></head>\n"
        f'<body style="font-size:{s.body_size:g}pt">\n{body}\n</body></html>\n'
    )


def _css(report: Report, setup: PageSetup) -> str:
    s = report.style
    w, h = setup.size
    left, right, top, bottom = setup.margins
    number = PAGE_NUMBER.get(s.page_numbers)
    foot = (
        f"@bottom-center {{ content: {number}; font-family: '{family(setup.body)}'; "
        f"font-size: {s.body_size - 1.5:g}pt; }}"
        if number
        else ""
    )
    bold = "bold" if s.heading_bold else "normal"
    return f"""
@page {{ size: {w:.2f}pt {h:.2f}pt; margin: {top:.2f}pt {right:.2f}pt {bottom:.2f}pt {left:.2f}pt; {foot} }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ margin: 0; font-family: '{family(setup.body)}'; line-height: {s.leading:.2f}; }}
p {{ margin: 0 0 {s.para_gap:.2f}em 0; text-align: justify; }}
p.indent {{ text-indent: 2em; }}
.lead, h1, h2, h3, .caption {{ font-family: '{family(setup.head)}'; font-weight: {bold}; }}
h2, h3 {{ font-size: 1em; margin: 0.3em 0 0.1em 0; break-after: avoid; }}
h2 {{ font-size: {s.body_size + 0.5:g}pt; }}
h2.indent, h3 {{ padding-left: 2em; }}
.title {{ font-family: '{family(setup.title)}'; font-weight: {"bold" if s.title_bold else "normal"};
  text-align: center; white-space: nowrap; line-height: 1.45; margin: 0.6em 0 1.1em 0; }}
.meta {{ font-size: {s.body_size - 2:g}pt; border-bottom: 0.6pt solid black; margin-bottom: 1em; }}
.meta span {{ display: inline-block; width: 50%; }}
.metaline {{ font-size: {s.body_size - 2:g}pt; margin-bottom: 0.8em; }}
.closing {{ text-align: center; width: max-content; margin: 1.2em 2em 0 auto; }}
.caption {{ text-align: center; margin-top: 1em; }}
table {{ border-collapse: collapse; margin: 0.6em auto 0.8em auto; }}
td {{ border: {s.line_width:.2f}pt solid black; padding: {s.cell_pad * 0.7:.2f}pt {s.cell_pad:.2f}pt;
  line-height: 1.3; vertical-align: middle; text-align: center; }}
td.left {{ text-align: left; }}
td.num {{ white-space: nowrap; }}
td.shade {{ background: #d1d1d1; }}
td.bold {{ font-weight: bold; }}
thead {{ display: table-header-group; }}
table.unruled td {{ border-style: none; padding: {s.cell_pad * 0.7 + s.line_width / 2:.2f}pt {s.cell_pad + s.line_width / 2:.2f}pt; }}
table.unruled td.head-bottom {{ border-bottom-style: solid; padding-bottom: {s.cell_pad * 0.7:.2f}pt; }}
.steer {{ break-before: page; }}
"""


def _blocks(report: Report, setup: PageSetup, probe: bool) -> list[str]:
    out: list[str] = []
    spaces = steer_spaces(report.blocks, setup.steers)
    for i, b in enumerate(report.blocks):
        if i in spaces:
            out.append(STEER_MARK.format(h=spaces[i]))
        out.append(_block(b, report, setup, probe))
    return out


def _block(b: Block, report: Report, setup: PageSetup, probe: bool) -> str:
    s = report.style
    if isinstance(b, Title):
        size = min(s.title_size, setup.text_width / (max(em_width(t) for t in b.lines) * 1.04))
        lines = "<br>".join(escape(t) for t in b.lines)
        return f'<div class="title" style="font-size:{size:.2f}pt">{lines}</div>'
    if isinstance(b, Meta):
        pairs = "".join(f"<span>{escape(k)}：{escape(v)}</span>" for k, v in b.pairs)
        return f'<div class="meta">{pairs}</div>'
    if isinstance(b, MetaLine):
        return f'<div class="metaline">{escape(b.text)}</div>'
    if isinstance(b, Heading):
        tag = "h2" if b.level == 1 else "h3"
        cls = ' class="indent"' if s.indent_first else ""
        return f"<{tag}{cls}>{escape(b.text)}</{tag}>"
    if isinstance(b, Para):
        cls = ' class="indent"' if b.indent and s.indent_first else ""
        lead = f'<span class="lead">{escape(b.lead)}</span>' if b.lead else ""
        return f"<p{cls}>{lead}{escape(b.text)}</p>"
    if isinstance(b, Closing):
        return '<div class="closing">' + "<br>".join(escape(t) for t in b.lines) + "</div>"
    if isinstance(b, Omitted):
        return _caption(b.caption)
    return _table(b, s.line_width, probe)


def _caption(text: str) -> str:
    return f'<p class="caption">{escape(text)}</p>' if text else ""


def _table(b: Table, line_width: float, probe: bool) -> str:
    g = b.grid
    total = sum(g.widths)
    cols = "".join(f'<col style="width:{w / total * 100:.2f}%">' for w in g.widths)
    rows = [_row(g, r) for r in range(g.n_rows)]
    head = g.header_rows if g.repeat_header else 0
    thead = f"<thead>{''.join(rows[:head])}</thead>" if head else ""
    style = f"width:{g.width_frac * 100:.1f}%; font-size:{g.font_size:g}pt"
    if g.rules == "three_line":  # wider than the cell borders, so they win the collapsed border
        style += f"; border-top: {line_width * 1.6:.2f}pt solid black; border-bottom: {line_width * 1.6:.2f}pt solid black"
    unruled = ' class="unruled"' if g.rules != "grid" and not probe else ""
    return (
        f'{_caption(b.caption)}<table data-grid="{g.name}"{unruled} style="{style}"><colgroup>{cols}</colgroup>'
        f"{thead}<tbody>{''.join(rows[head:])}</tbody></table>"
    )


def _row(g: Grid, r: int) -> str:
    cells = sorted((c for c in g.cells if c.row == r), key=lambda c: c.col)
    return "<tr>" + "".join(_cell(c, _head_bottom(g, c)) for c in cells) + "</tr>"


def _head_bottom(g: Grid, c: GridCell) -> bool:
    """A three-line table's middle rule runs under the cells that end the header band."""
    return g.rules == "three_line" and 0 < g.header_rows == c.row + c.rowspan


def _cell(c: GridCell, head_bottom: bool = False) -> str:
    cls = [
        name
        for name, on in (
            ("left", c.align == "left"),
            ("num", _is_figure(c.text)),
            ("shade", c.shade),
            ("bold", c.bold),
            ("head-bottom", head_bottom),
        )
        if on
    ]
    attrs = "".join(
        (
            f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "",
            f' colspan="{c.colspan}"' if c.colspan > 1 else "",
            f' class="{" ".join(cls)}"' if cls else "",
        )
    )
    return f"<td{attrs}>{'<br>'.join(escape(t) for t in c.text.split(chr(10)))}</td>"


def _is_figure(text: str) -> bool:
    return bool(text) and not any("\u4e00" <= ch <= "\u9fff" for ch in text)
