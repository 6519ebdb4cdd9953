"""Stage 2: a Document → Outline (title, headings as a level tree, body paragraphs).

Headings are found by their Chinese numbering (一、 /（一）/ 1. 1、 /（1）) at the start of a
line that starts a paragraph; level-1 numbering must run in sequence (a repeat or a skip of one
is tolerated, as real reports do both), which keeps a wrapped line that happens to begin with
"二、" from becoming a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.core.model import Document, Line, Outline, Paragraph, Section
from pipeline.core.text import CN_NUMERALS, collapse, join_lines, level1_number, numbering_of, squash
from pipeline.outline.fields import closing_span, is_metadata_line
from pipeline.outline.gap_headings import with_gap_headings
from pipeline.outline.headings import SENTENCE_START, split_run_in
from pipeline.outline.kinds import section_kind
from pipeline.outline.phrasings import standard_wording, standard_wordings

TITLE_WORDS = ("报告", "年报")
ORPHAN_CHARS = 2  # a title's wrap may leave this many characters alone on its last line
TITLE_SIZE_SLACK = 0.2  # lines of one title differ this much in size (ink boxes: digits print taller)
TITLE_PRINT = 1.15  # a title is printed at least this much larger than the body
SPECK_MARKS = ",，.、·'\"`"
PREAMBLE_KEY = re.compile(
    r"^(索引号|发布机构|发文机关|发布日期|成文日期|生成日期|公开日期|文号|发文字号|主题分类|分类|有效性|名称|标题)[:：]"
)
SENTENCE_END = "。；：！？;:!?"
OPENING_LINES = 3  # the first lines of the body: where a web page's metadata line sits without a title
WRAP_TAIL_CHARS = 6  # a wrapped heading's end before the run-in text on its next line
HEADING_MAX_CHARS = 40  # a longer numbered line (numbering included) is a paragraph that starts with a number


@dataclass(frozen=True)
class _FlowLine:
    line: Line
    page: int
    read_by_ocr: bool = False


def document_to_outline(doc: Document) -> Outline:
    flow = [_FlowLine(line, page.number, page.method == "ocr") for page in doc.pages for line in page.lines]
    if not flow:
        return Outline(None, None, (), (), (), ())
    right = _right_margin(flow)
    title_start, title_end = _title_span(flow)
    preamble = tuple(f.line.text for f in flow[:title_start])
    title = (
        join_lines([f.line.text for f in flow[title_start:title_end]]).rstrip(SPECK_MARKS)
        if title_end > title_start
        else None
    )
    title_page = flow[title_start].page if title else None
    body = flow[title_end:]
    heads = _headings(body, right)
    sections = _sections(body, heads, doc)
    paragraphs = _paragraphs(body, heads)
    closing = [body[i] for i in closing_span([f.line.text for f in body])]
    opening = tuple(f.line.text for f in body[:OPENING_LINES])
    return Outline(
        collapse(title) if title else None,
        title_page,
        tuple(sections),
        tuple(paragraphs),
        tuple(f.line.text for f in closing),
        preamble,
        opening,
        min((_confidence(f.line) for f in flow[title_start:title_end]), default=1.0),
        tuple(_confidence(f.line) for f in closing),
    )


def _confidence(line: Line) -> float:
    return min((w.confidence for w in line.words), default=1.0)


def _right_margin(flow: list[_FlowLine]) -> float:
    rights = sorted(f.line.bbox.x1 for f in flow)
    return rights[int(0.9 * (len(rights) - 1))]


def _local_left(flow: list[_FlowLine], i: int, reach: int = 4) -> float:
    """The left edge of the lines around line `i` on its page: the margin an indent is measured
    from. Local, because a scan's tilt moves the margin down the page and pages differ."""
    page = flow[i].page
    near = [
        flow[j].line.bbox.x0
        for j in range(max(0, i - reach), min(len(flow), i + reach + 1))
        if j != i and flow[j].page == page
    ]
    return min(near, default=flow[i].line.bbox.x0)


def _body_size(flow: list[_FlowLine]) -> float:
    sizes = sorted(f.line.size for f in flow)
    return sizes[len(sizes) // 2]


def _title_span(flow: list[_FlowLine]) -> tuple[int, int]:
    """[start, end) of the title lines among the first lines of the document."""
    first_page = flow[0].page
    head = [i for i, f in enumerate(flow[:20]) if f.page == first_page]
    body_size = _body_size(flow)
    for i in head:
        text = squash(flow[i].line.text)
        if flow[i].line.size >= TITLE_PRINT * body_size:
            text = text.rstrip(SPECK_MARKS)  # no title ends in a mark: a speck after it read as one
        end = i + 1
        if not any(w in text for w in TITLE_WORDS) and _orphan_after(flow, i, head):
            text += squash(flow[i + 1].line.text)  # …年度报 / 告: the wrap split the title word
            end = i + 2
        if PREAMBLE_KEY.match(text) or is_metadata_line(text):
            continue  # 发布日期 misread, the line still ends 主题分类:政府信息公开年报
        if not re.sub(r"[（(][^）)]*[）)]$", "", text).endswith(TITLE_WORDS):
            continue  # a title ends with its word (…年度报告, …年度报告（全文）); a sentence runs on
        if (
            len(text) > 60
            or text.startswith("本报告")
            or any(c in text for c in "。，,")
            or "以下简称" in text
        ):
            continue  # a sentence of the introduction that mentions the report
        start = i
        # the title may wrap: take the lines above it that are printed like it
        while (
            start - 1 >= 0
            and start - 1 in head
            and i - start < 2
            and _title_like(flow[start - 1], flow[i], body_size)
        ):
            start -= 1
        return start, end
    # no line names a report: take the run of largest lines at the top
    big = [
        i
        for i in head[:6]
        if flow[i].line.size >= TITLE_PRINT * body_size and _could_be_title(squash(flow[i].line.text))
    ]
    if big:
        end = big[0] + 1
        while end in big:
            end += 1
        return big[0], end
    return 0, 0


def _could_be_title(text: str) -> bool:
    """Not a metadata line, a numbered heading or a line of a sentence (a title has no comma or stop)."""
    return not (
        PREAMBLE_KEY.match(text)
        or is_metadata_line(text)
        or numbering_of(text)
        or any(c in text for c in "。，,；;")
    )


def _orphan_after(flow: list[_FlowLine], i: int, head: list[int]) -> bool:
    """The next line is a wrapped title's last character or two, printed like line i."""
    if i + 1 not in head:
        return False
    tail, line = flow[i + 1].line, flow[i].line
    return len(squash(tail.text)) <= ORPHAN_CHARS and abs(tail.size - line.size) <= 0.15 * line.size


def _title_like(candidate: _FlowLine, title: _FlowLine, body_size: float) -> bool:
    text = squash(candidate.line.text)
    if not _could_be_title(text) or text.endswith(tuple(SENTENCE_END + "。")):
        return False
    same_size = abs(candidate.line.size - title.line.size) <= TITLE_SIZE_SLACK * title.line.size
    return same_size and (title.line.size >= 1.1 * body_size or len(text) <= 30)


def _starts_paragraph(flow: list[_FlowLine], i: int, after_heading: bool) -> bool:
    """An indented line, or one after a sentence end or a heading.

    A line that merely ends short is no paragraph end: a number or a Latin word that does not
    fit is carried to the next line whole ("…受理申请" / "143件，…").
    """
    line = flow[i].line
    if i == 0 or after_heading or line.bbox.x0 > _local_left(flow, i) + 0.6 * line.size:
        return True
    return flow[i - 1].line.text.rstrip().endswith(tuple(SENTENCE_END))


def _headings(body: list[_FlowLine], right: float) -> list[tuple[int, int, str, str]]:
    """(index in body, level, number as printed, heading text) of each heading line."""
    heads: list[tuple[int, int, str, str]] = []
    last_level1 = 0
    for i, f in enumerate(body):
        found = numbering_of(f.line.text)
        line_text = f.line.text
        if found is None:
            respelt = _lost_numeral(f.line.text, last_level1, f.read_by_ocr)
            respelt = respelt or _after_junk(f.line.text, last_level1)
            if respelt is None and f.read_by_ocr:
                respelt = _run_into(f.line.text, last_level1)
            if respelt is None:
                continue
            found, line_text = (1, respelt[0]), "".join(respelt)
        level, number = found
        if level == 1 and f.read_by_ocr:  # before a mark misread in it cuts the heading short
            line_text = _standard_heading(number, line_text.strip())
        n = level1_number(number) if level == 1 else 0
        if level == 1 and f.read_by_ocr and (speck := _speck_numeral(number, n, last_level1)):
            number, n, line_text = speck, last_level1 + 1, speck + line_text.lstrip()[len(number) :]
        # the next level-1 number is a heading even after a line that fills the measure
        expected = level == 1 and n == last_level1 + 1 and bool(heads)
        text, run_on = split_run_in(line_text)
        # a whole line that names a known section is a heading wherever it stands (even when OCR
        # lost the heading before it, so that its number is not the next one)
        named = level == 1 and not run_on and section_kind(text) != "unknown"
        after_heading = bool(heads) and heads[-1][0] == i - 1 and _is_whole_line(body, heads[-1])
        if not (expected or named) and not _starts_paragraph(body, i, after_heading):
            continue
        if len(squash(text)) > HEADING_MAX_CHARS:
            continue  # a paragraph that starts with a number
        if level == 1:
            # a skip of one is tolerated; a longer one only by a line that names a known section
            # (OCR lost both headings before 四、政府信息公开行政复议、行政诉讼情况)
            if last_level1 and not (last_level1 <= n <= last_level1 + 2 or (named and n > last_level1)):
                continue
            last_level1 = n
            if not run_on:
                text = _wrapped_heading(body, i, right, text)
            if f.read_by_ocr:
                text = _standard_heading(number, text)
        heads.append((i, level, number, text))
    taken = {i for i, *_ in heads}
    lines = [f.line.text if f.read_by_ocr and i not in taken else None for i, f in enumerate(body)]
    return _agreed_separators(body, with_gap_headings(lines, heads))


def _standard_heading(number: str, text: str) -> str:
    """A level-1 heading read by OCR, its words spelt as the standard wording they misread."""
    words = text[len(number) :] if text.startswith(number) else None
    wording = standard_wording(words) if words else None
    if words is None or wording is None:
        return text
    return number + words[: len(words) - len(words.lstrip())] + wording


def _agreed_separators(
    body: list[_FlowLine], heads: list[tuple[int, int, str, str]]
) -> list[tuple[int, int, str, str]]:
    """Level-1 numbering as the document prints it: OCR reads a heading's 、 as . or ， now and
    then ("一.概述" among "二、…", "三、…"); on an OCR page, a separator that differs from the one
    most other level-1 headings have is taken as theirs (text pages keep theirs as printed)."""
    separators = [number[-1] for _, level, number, _ in heads if level == 1]
    if len(separators) < 3:
        return heads
    usual = max(set(separators), key=separators.count)
    if separators.count(usual) * 2 <= len(separators):
        return heads
    agreed = []
    for i, level, number, text in heads:
        if level == 1 and body[i].read_by_ocr and number[-1] != usual and text.startswith(number):
            respelt = number[:-1] + usual
            number, text = respelt, respelt + text[len(number) :]
        agreed.append((i, level, number, text))
    return agreed


def _lost_numeral(text: str, last_level1: int, read_by_ocr: bool = True) -> tuple[str, str] | None:
    """A level-1 heading whose numeral or whose 、 OCR lost or misread ("、收到和处理政府信息公开申请情况",
    "三主动公开政府信息的情况" after 二、, "丸、其他需要报告的事项" after 八、): the next number in
    sequence, when the words name a known section and end as a heading does (a numeral misread or
    read as junk only on a page read by OCR: a text layer prints what it prints)."""
    stripped = text.lstrip()
    if not 0 <= last_level1 < 10:
        return None
    numeral = CN_NUMERALS[last_level1]
    junk = None
    if stripped.startswith("、") and last_level1:  # the first heading's lost numeral is no sure 一
        words = stripped[1:]
    elif stripped.startswith(numeral) and stripped[1:2] not in _COUNTED and numbering_of(stripped) is None:
        words = stripped[1:]  # "三是…", "三年来…", "三项…" are sentences; "二)…" a level-2 heading
    elif not read_by_ocr:
        return None
    elif stripped[1:2] == "、" and "\u4e00" <= stripped[0] <= "\u9fff" and stripped[0] not in CN_NUMERALS:
        words = stripped[2:]  # a numeral misread as another character
    elif not stripped.startswith("、") and (junk := _NUMBERING_READ_AS_JUNK.match(stripped)):
        words = stripped[junk.end() :]  # "eg 总体情况": only a standard heading's words will do
    else:
        return None
    if read_by_ocr:
        words = standard_wording(words) or words
    heading = split_run_in("一、" + words)[0][2:]
    if read_by_ocr:
        heading = standard_wording(heading) or heading
    if section_kind(heading) == "unknown" or not heading.endswith(_HEADING_ENDS):
        return None
    if junk and heading not in standard_wordings():
        return None
    return numeral + "、", words


def _speck_numeral(number: str, n: int, last_level1: int) -> str | None:
    """The next level-1 number where OCR read a speck before it as another numeral (二七、 after
    六、): its last numeral is the next in sequence, the run as a whole is not."""
    if not 1 <= last_level1 < 10 or last_level1 <= n <= last_level1 + 2:
        return None
    numerals = number.rstrip("、.．").strip()
    if len(numerals) < 2 or numerals[-1] != CN_NUMERALS[last_level1]:
        return None
    return numerals[-1] + number[-1]


# a numbering OCR read as a few Latin letters, digits or marks (一、 as "eg ", 二、 in bold on a copy
# as "[1 、"), then the heading's words
_NUMBERING_READ_AS_JUNK = re.compile(r"^[A-Za-z0-9\W_]{1,3}\s*、?\s*(?=[\u4e00-\u9fff])")
_COUNTED = set("是年项个类次级大方部条件名家期月日天季批)）")
_HEADING_ENDS = ("情况", "事项", "措施", "概述", "统计表", "问题")
# what OCR reads off specks or a rule's remains before a heading and after it, at most (seen: 和和,
# 0下, |下|; 淹二|了, 本全)
JUNK_BEFORE_CHARS = 3
JUNK_AFTER_CHARS = 4


def _after_junk(text: str, last_level1: int) -> tuple[str, str] | None:
    """(number, words) of the next level-1 heading in sequence that OCR read with junk on its
    line ("和和四、政府信息公开行政复议、行政诉讼情况淹二|了", "0下六、其他需要报告的事项本全"
    on phone photos): a few characters, no sentence, before the numeral, and after the heading's
    closing word unless a paragraph runs on there; the words name a known section."""
    if not 1 <= last_level1 < 10:
        return None
    number = CN_NUMERALS[last_level1] + "、"
    stripped = text.strip()
    start = stripped.find(number)
    junk = stripped[:start].replace(" ", "")
    if start < 1 or len(junk) > JUNK_BEFORE_CHARS or any(ch in "。，；：,;:" for ch in junk):
        return None
    words = squash(stripped[start + len(number) :])
    ends = [m.end() for m in re.finditer("|".join(_HEADING_ENDS), words)]
    if not ends:
        return None
    for end in ends:  # the paragraph may run on after the heading
        if SENTENCE_START.match(words[end:]):
            return (number, words) if section_kind(words[:end]) != "unknown" else None
    heading, rest = words[: ends[-1]], words[ends[-1] :]
    if len(rest) > JUNK_AFTER_CHARS or any(ch in "。，；," for ch in rest):
        return None
    return (number, heading) if section_kind(heading) != "unknown" else None


def _run_into(text: str, last_level1: int) -> tuple[str, str] | None:
    """(number, words) of the next level-1 heading in sequence where OCR ran the line before it
    into its line (…依申请公开工三、政府信息主动公开情况 2010 年，…: lines of a tilted phone
    photo read as one): the words after the numeral a standard heading's, then a sentence."""
    if not 1 <= last_level1 < 10:
        return None
    number = CN_NUMERALS[last_level1] + "、"
    start = squash(text).find(number, 1)
    if start < 0:
        return None
    words = squash(text)[start + len(number) :]
    heading, run_on = split_run_in(number + words)
    heading_words = heading[len(number) :]
    if heading_words not in standard_wordings() and standard_wording(heading_words) is None:
        return None
    if run_on and not SENTENCE_START.match(run_on):
        return None
    return number, words


def _is_whole_line(body: list[_FlowLine], head: tuple[int, int, str, str]) -> bool:
    """Whether a heading fills its line (no paragraph runs on after it)."""
    return len(squash(body[head[0]].line.text)) <= len(squash(head[3]))


def _wrapped_heading(body: list[_FlowLine], i: int, right: float, text: str) -> str:
    """A level-1 heading that fills its line and continues on a short next line, or at the start
    of the next line up to where the section's text runs in (…申诉的 / 情况全年我镇…)."""
    line = body[i].line
    if i + 1 < len(body) and line.bbox.x1 >= right - 1.5 * line.size and body[i + 1].page == body[i].page:
        nxt = body[i + 1].line.text
        if numbering_of(nxt) is None and "。" not in nxt and len(squash(nxt)) <= 20:
            return collapse(text + nxt)
        whole, run_on = split_run_in(text + nxt)  # the line's start, up to where the text runs in
        if run_on and numbering_of(nxt) is None and len(whole) - len(text) <= WRAP_TAIL_CHARS:
            return collapse(whole)
    return text


def _sections(body: list[_FlowLine], heads: list[tuple[int, int, str, str]], doc: Document) -> list[Section]:
    sections = []
    for k, (i, level, number, heading) in enumerate(heads):
        end = next((j for j, lv, _, _ in heads[k + 1 :] if lv <= level), len(body))
        lines = body[i:end]
        text = join_lines([f.line.text for f in lines])
        text = text[len(heading) :] if text.startswith(heading) else text
        # pages of tables between the section's last line and the next heading belong to it
        next_page = body[end].page if end < len(body) else len(doc.pages) + 1
        page_end = max(body[end - 1].page, next_page - 1)
        kind = section_kind(heading) if level == 1 else None
        sections.append(Section(k + 1, level, number, heading, kind, text.strip(), body[i].page, page_end))
    return sections


def _paragraphs(body: list[_FlowLine], heads: list[tuple[int, int, str, str]]) -> list[Paragraph]:
    starts = {i: k + 1 for k, (i, _, _, _) in enumerate(heads)}
    whole = {h[0] for h in heads if _is_whole_line(body, h)}
    topics = {i: section_kind(heading) for i, level, _, heading in heads if level == 1}
    out: list[Paragraph] = []
    current: list[str] = []
    page = body[0].page if body else 1
    ordinal: int | None = None
    topic: str | None = None
    for i, f in enumerate(body):
        if i in starts or _starts_paragraph(body, i, after_heading=i - 1 in whole):
            if current:
                out.append(Paragraph(join_lines(current), page, ordinal, topic))
            current, page = [], f.page
            ordinal = starts.get(i, ordinal)
            topic = topics.get(i, topic)
        current.append(f.line.text)
    if current:
        out.append(Paragraph(join_lines(current), page, ordinal, topic))
    return out
