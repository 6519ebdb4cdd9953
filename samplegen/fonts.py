"""Chinese fonts for reportlab, text widths, and line wrapping for CJK text."""

from __future__ import annotations

import functools
import re

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

FONT_FILES = {
    "wqy-zenhei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "uming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # AR PL UMing CN
}
CID_FONTS = ("STSong-Light",)
FONTS = (*FONT_FILES, *CID_FONTS)
NO_LINE_START = set("，。、；：？！）》」』”’％,.;:?!)%】〕")
NO_LINE_END = set("（《「『“‘【〔(")
ATOM = re.compile(r"[A-Za-z0-9０-９.,:/@%+\-_（）()]*[A-Za-z0-9０-９]+[A-Za-z0-9０-９.,:/@%+\-_]*|\s|.", re.S)


@functools.cache
def font(name: str) -> str:
    """Register the font once per process and return its reportlab name."""
    if name in CID_FONTS:
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    else:
        path, index = FONT_FILES[name]
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
    return name


@functools.cache
def _char_width(fontname: str, ch: str) -> float:
    return pdfmetrics.stringWidth(ch, fontname, 1.0)


def text_width(text: str, fontname: str, size: float) -> float:
    return sum(_char_width(fontname, ch) for ch in text) * size


def _atoms(text: str) -> list[str]:
    """Digit/Latin runs stay whole (a number is never broken across lines); CJK breaks anywhere."""
    out: list[str] = []
    for m in ATOM.finditer(text):
        tok = m.group(0)
        if len(tok) > 1 and not any(c.isdigit() or (c.isascii() and c.isalpha()) for c in tok):
            out.extend(tok)
        else:
            out.append(tok)
    return out


def wrap(text: str, fontname: str, size: float, width: float, first_indent: float = 0.0) -> list[str]:
    """Greedy line breaking with light kinsoku; explicit newlines force breaks."""
    lines: list[str] = []
    for para in text.split("\n"):
        lines.extend(_wrap_one(para, fontname, size, width, first_indent if not lines else 0.0))
    return lines


def _wrap_one(text: str, fontname: str, size: float, width: float, indent: float) -> list[str]:
    lines: list[str] = []
    cur, cur_w, limit = "", 0.0, width - indent
    for tok in _atoms(text):
        w = text_width(tok, fontname, size)
        if cur and cur_w + w > limit + 0.01:
            if tok[0] in NO_LINE_START:  # hang the punctuation at the end of the line
                cur, cur_w = cur + tok, cur_w + w
                continue
            if cur[-1] in NO_LINE_END and len(cur) > 1:
                tok, cur = cur[-1] + tok, cur[:-1]
                w = text_width(tok, fontname, size)
            lines.append(cur.rstrip())
            cur, cur_w, limit = "", 0.0, width
            if tok.isspace():
                continue
        if not cur and w > limit and len(tok) > 1:  # an over-long run: break it by character
            for ch in tok:
                cw = text_width(ch, fontname, size)
                if cur and cur_w + cw > limit:
                    lines.append(cur)
                    cur, cur_w, limit = "", 0.0, width
                cur, cur_w = cur + ch, cur_w + cw
            continue
        cur, cur_w = cur + tok, cur_w + w
    if cur.strip() or not lines:
        lines.append(cur.rstrip())
    return lines
