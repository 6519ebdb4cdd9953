"""Where a numbered heading ends when the paragraph runs on in the same line.

Real reports print "一、概述 2017年，我办…", "二、主动公开政府信息情况截至2020年12月31日，…" or
"（一）主动公开情况。2024年，…". The heading ends at a sentence mark, at a space, at the next
numbering marker, or after a heading's closing word (情况, 概述, 措施 …) that is followed by the
start of a sentence (a year, 我, 本, 全年, 按照 …), or by a quote mark and that start: what OCR
makes of the gap after a bold run-in heading ("三、公开载体建设情况"2017年…").
"""

from __future__ import annotations

import re

from pipeline.core.text import NUMBERING, collapse

CLOSING_WORDS = (
    "情况", "概述", "概况", "事项", "措施", "统计表", "问题", "说明", "工作", "建设", "管理",
    "制度", "领导", "成效", "举措", "机制", "公开", "解读", "回应", "关切", "保障", "监督", "考核",
)  # fmt: skip
SENTENCE_START = re.compile(
    r"^(?:(?:19|20)\d{2}|[一二]〇|本年|今年|全年|去年|近年|截至|截止|按照|根据|依照|依据|对照|结合|围绕|坚持|"
    r"为了|为|在|以|通过|自|从|我|本|全|各|该|无|未|没有|共|一是|其中|严格|认真|进一步|深入|切实|着力|不断|"
    r"积极|全面|主要|目前|当前|今|随着|针对|经|由|对|因|据|关于|管委会|管理委员会)"
)
SENTENCE_MARKS = "。；;！？!?，,"
STRAY_MARKS = "、:：.。,，;；"
GAP_MARKS = "\"'“”‘’"  # OCR reads the gap between a bold heading and its run-on text as a quote
# characters of heading words before a comma (or the line's end) where no sentence mark, space or
# closing word ends the heading: a longer run is a paragraph that starts with a number. (The
# whole heading's limit, numbering included, is segment.HEADING_MAX_CHARS.)
COMMA_CUT_MAX_CHARS = 36


def split_run_in(line: str) -> tuple[str, str]:
    """(heading, run-on text) of a line that starts with outline numbering; a mark after a
    heading's closing word at the end of its line is no part of it (a speck OCR read as 、 or :
    after 情况)."""
    heading, run_on = _split_run_in(collapse(line))
    if (
        not run_on
        and len(heading) > 2
        and heading[-1] in STRAY_MARKS
        and heading[:-1].endswith(CLOSING_WORDS)
    ):
        return heading[:-1], run_on
    return heading, run_on


def _split_run_in(text: str) -> tuple[str, str]:
    marker = _marker_length(text)
    body_start = marker + (1 if text[marker : marker + 1] == " " else 0)
    # 1. a space after the heading words — unless a closing word ends the heading before it,
    # a sentence starting after it: OCR's space next to a number ("…减免情况全年共收取…费用 392
    # 元"), or one inside the run-on text ("六、存在问题及改进措施我区…虽然取得了 一定成效")
    space = text.find(" ", body_start)
    sentence_before = any(m in text[body_start:space] for m in "。；;") if space > 0 else False
    if space - body_start >= 2 and not sentence_before:
        closing = _closing_cut(text, body_start, space)
        return closing or (text[:space], text[space + 1 :].strip())
    # 2. the next numbering marker, e.g. "（二）着力提升实效1.推进网上办事"
    nested = _next_marker(text, body_start + 2)
    # 3. a sentence mark
    mark = min((i for i in (text.find(m, body_start) for m in SENTENCE_MARKS) if i >= 0), default=len(text))
    end = min(nested, mark)
    # 4. a closing word followed by the start of a sentence, before that point
    closing = _closing_cut(text, body_start, end)
    if closing:
        return closing
    if end < len(text) and text[end] in "。；;":
        return text[:end], text[end + 1 :].strip()
    if end == nested and end < len(text):
        return text[:end], text[end:]
    if end - body_start <= COMMA_CUT_MAX_CHARS:
        return text[:end], text[end:].lstrip("，,")
    return text, ""


def _closing_cut(text: str, start: int, end: int) -> tuple[str, str] | None:
    """(heading, run-on) cut after the first closing word in text[start:end] that a sentence
    start follows (a quote mark between them is OCR's reading of the gap)."""
    for match in re.finditer("|".join(CLOSING_WORDS), text[start:end]):
        cut = start + match.end()
        run_on = text[cut:].lstrip(GAP_MARKS + " ")
        if cut < len(text) and SENTENCE_START.match(run_on):
            return text[:cut], run_on
    return None


def _marker_length(text: str) -> int:
    for pattern in NUMBERING.values():
        m = pattern.match(text)
        if m:
            return m.end()
    return 0


def _next_marker(text: str, start: int) -> int:
    """Position of the next outline marker （一） / 1. / （1） inside the line, else len(text)."""
    found = re.search(r"[（(][一二三四五六七八九十\d]{1,3}[）)]|(?<![\d.])\d{1,2}[.、．](?!\d)", text[start:])
    return start + found.start() if found else len(text)
