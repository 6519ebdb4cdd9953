"""Where a report names its own fields: office and year in the title, the signature, a metadata
line, the opening paragraphs, the file name; the statistics period; the closing date. Each
reader gives what one source says; meta.py picks, per field, the first plausible value."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from pipeline.core.text import collapse, edit_distance, fold, squash
from pipeline.knowledge.load import knowledge
from pipeline.outline.dates import (
    DATE,
    DATE_ISO,
    YEAR_TEXT,
    closing_date,
    cn_or_int,
    date_alone,
    metadata_date,
    parse_date,
)

# what follows the year; the last word may be misread by OCR (报千 for 报告), so it is not required
_TITLE_TAIL = r"年度?的?(?:本?(?:单位|机关))?(?:政府|政务)?信息公开"
_OFFICE_YEAR = re.compile(rf"^(?:关于)?(?P<office>.+?)(?:关于)?(?P<year>{YEAR_TEXT}){_TITLE_TAIL}")
# the same as OCR may read it: a character of 年度 misread (2019征政府…) or read elsewhere
# (2024年政府度信息…), or one of 信息公开 lost (信息公年度报告); the year in digits, then at
# most four characters, then 信息公 or 政府信息
_OFFICE_YEAR_READ = re.compile(
    r"^(?:关于)?(?P<office>.+?)(?P<year>(?:19|20)\d{2}).{0,4}?(?:政府|政务)?信息公"
)
_YEAR_OFFICE = re.compile(
    rf"^({YEAR_TEXT})年度?(?P<office>.+?)(?:政府|政务)?信息公开[工作的年度情况]{{0,8}}(?:报告|年报)"
)
SIGNATURE_MAX_CHARS = 30
OPENING_PARAGRAPHS = 3  # where a report without a title names its office
MIN_AGREED_LENGTH = 6  # `agreed_spelling` respells names this long at least
# a printing of a name that differs from it in one character in five (at least one) is a reading
# of it: 江和市目然痪源和规划局 of 江和市自然资源和规划局, never 淮安市人民政府 of 泽定市人民政府
CHARS_PER_MISREAD_NAME = 5
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年(?!\d{1,2}月)")  # a title's year, no date's
SURER_BY = 0.25  # OCR confidence one printing of a name must have over another to win a tie
# a title's year with one of its last two digits read as something else (20H1年): one misread at most
_YEAR_MISREAD = re.compile(r"(?<!\d)((?:19|20)(?:\d[^\d\s年]|[^\d\s年]\d))\s*年")


def title_to_office_year(title: str | None) -> tuple[str | None, int | None]:
    if not title:
        return None, None
    text = squash(title)
    m = _OFFICE_YEAR.search(text) or _OFFICE_YEAR_READ.search(text)
    office, year_text = (m.group("office"), m.group("year")) if m else (None, None)
    if m is None:
        m = _YEAR_OFFICE.search(text)
        if m:
            office, year_text = m.group("office"), m.group(1)
    reported = "报告" in text or "年报" in text  # a report's title, not a notice's
    if year_text is None and reported and len(years := set(_TITLE_YEAR.findall(text))) == 1:
        year_text = years.pop()  # 2018年政府人和工作年度报告…: the year alone is sure of its place
    year = cn_or_int(year_text) if year_text else None
    if office:
        office = re.sub(r"^(关于|附件\d*[:：]?)", "", office).strip("：:　")
        office = _BEFORE_NAME.sub("", office)  # aaMy ee庆平区…: specks OCR read as letters
    if office in ("政府", "政务", "本单位", "本机关", "我单位"):
        office = None  # "2019年政府信息公开工作年度报告" names no office
    return (office or None), (year if year and 1990 < year < 2100 else None)


def misread_title_year(title: str | None) -> str | None:
    """The year of a title as read, where one of its last two digits was misread (20H1)."""
    m = _YEAR_MISREAD.search(squash(title or ""))
    return m.group(1) if m else None


# the statistics period, whole or by the end OCR read (a speck read before its 日: 31有日); else by
# its start (its end misread: 12月3日烤)
_PERIOD = re.compile(r"((?:19|20)\d{2})年1月1日(?:起)?至(?:\1年)?12月31\D?日")
_PERIOD_END = re.compile(r"1日(?:起)?至((?:19|20)\d{2})年12月31\D?日")  # its start misread (20王芋3朋1日)
_PERIOD_START = re.compile(r"自((?:19|20)\d{2})年1月1日(?:起)?至")


def signature_office(closing: Sequence[str]) -> str | None:
    """The office that signs the report: the line above the closing date, or the last line
    when the report prints no date and that line is a name alone (no sentence mark)."""
    lines = [name_line(line) for line in closing]
    for i in range(len(lines) - 1, 0, -1):
        if date_alone(closing[i]) and _signature(lines[i - 1]):
            return lines[i - 1]
    undated = lines and not any(date_alone(line) for line in closing)
    if undated and _signature(lines[-1]) and not any(mark in closing[-1] for mark in "。，；：,;:"):
        return lines[-1]
    return None


def _signature(line: str) -> bool:
    return len(line) <= SIGNATURE_MAX_CHARS and office_problem(line) is None


# a Chinese office's name begins with a character, or with XX where a template leaves it out
_BEFORE_NAME = re.compile(r"^(?![Xx×]{2})[^\u4e00-\u9fff]+")
_EDGE_MARKS = re.compile(_BEFORE_NAME.pattern + r"|[^\w）)]+$")


def name_line(line: str) -> str:
    """A line as a name alone would print it: without the marks OCR reads at its ends off specks
    or a rule's remains (| 明江县和化乡人民政府) — a name begins and ends with a character."""
    return _EDGE_MARKS.sub("", squash(line))


_KEY_MARK = "[:：,，;；]"  # the colon after a key, as OCR may read it (发布日期,2020-04-02)
MIN_RESPELT_KEY = 4  # a metadata key this long is known with one character misread (发布昌期)


def _key_as_read(key: str) -> str:
    """A pattern for `key` as OCR reads it: one character of a long key may be misread."""
    if len(key) < MIN_RESPELT_KEY:
        return re.escape(key)
    return "(?:" + "|".join(re.escape(key[:i]) + "." + re.escape(key[i + 1 :]) for i in range(len(key))) + ")"


def metadata_values(line: str, keys: Sequence[str]) -> list[str]:
    """The values a metadata line gives for `keys` (索引号：… 发布机构：XX市财政局 发布日期：…):
    each up to the next space or the next key of offices.toml."""
    rules = knowledge().offices
    every = (*rules.metadata_office_keys, *rules.metadata_date_keys, *rules.metadata_other_keys)
    ends = "|".join(re.escape(k) for k in every)
    text = collapse(fold(line))
    out = []
    for key in keys:
        for m in re.finditer(rf"{_key_as_read(key)}{_KEY_MARK}\s*(.+?)(?=\s|(?:{ends}){_KEY_MARK}|$)", text):
            out.append(m.group(1))
    return out


def is_metadata_line(line: str) -> bool:
    """A web page's metadata line (发布机构：…, 2022年01月18日来源:…): a key of offices.toml and a colon."""
    rules = knowledge().offices
    keys = (*rules.metadata_office_keys, *rules.metadata_date_keys, *rules.metadata_other_keys)
    text = squash(line)
    return any(f"{key}:" in text or f"{key}：" in text for key in keys)


def preamble_office(lines: Sequence[str]) -> str | None:
    """The office a metadata line names (发布机构, 来源 …)."""
    for line in lines:
        for value in metadata_values(line, knowledge().offices.metadata_office_keys):
            if office_problem(value) is None:
                return value
    return None


def body_office(paragraphs: Sequence[str]) -> str | None:
    """The office the opening paragraphs name where a report has no title (请联系…, 本报告由…编制):
    the first name found, or the fullest one found that it abbreviates (松桐市海德区人民政府 for
    海德区人民政府, 坪泰市开榆综合保税区管理委员会 for 开榆综合保税区管委会)."""
    found = [
        m.group("office")
        for text in paragraphs[:OPENING_PARAGRAPHS]
        for pattern in knowledge().offices.body_patterns
        for m in pattern.finditer(squash(text))
        if office_problem(m.group("office")) is None
    ]
    if not found:
        return None
    return max((name for name in found if abbreviates(found[0], name)), key=len)


def agreed_spelling(
    name: str,
    texts: Sequence[str],
    lines: Sequence[str] | None = None,
    confidence: Mapping[str, float] | None = None,
    name_confidence: float = 0.0,
) -> str:
    """`name` spelt as most of its printings read it: every stretch of `texts` as long as the name
    and differing from it in one character in five at most (at least one) is another reading, and each character goes to
    the majority of readings (OCR misreads one character of a title, 宝梅 as 至梅, that the opening
    and the contact line print right); first, a name read a character longer or shorter is read as
    the printings read it (`_other_length`; `lines`, default `texts`, are the lines where a name
    alone is a signature). Each printing must be in `texts` once: a signature counted twice outvotes
    a title read right. An exact text layer reads every printing alike; a tie keeps `name` unless
    a name alone on its line (the signature) reads otherwise, and OCR was not clearly surer of
    the printing `name` was read from (`name_confidence`) than of that line (`confidence`, by the
    line as `name_line` gives it): on photocopies either may be the one misread, and a misread
    character lowers the confidence of the run it is in (the title 礼淮区… at 0.91, the signature
    礼准区… at 0.46; a gap under SURER_BY is noise: a title at 0.09 misread, its signature at 0.0
    right). A fuller form (管理委员会 for 管委会) differs in more than two characters."""
    if len(name) < MIN_AGREED_LENGTH:
        return name
    texts = [squash(text) for text in texts]
    alone = [name_line(line) for line in (texts if lines is None else lines)]
    name = _other_length(name, texts, alone)
    size = len(name)
    misread = max(1, size // CHARS_PER_MISREAD_NAME)
    readings = [name]
    for text in texts:
        for start in range(len(text) - size + 1):
            window = text[start : start + size]
            if _misreading(window, name, misread):
                readings.append(window)
    confidence = confidence or {}
    signed = [r for r in readings[1:] if r in alone and confidence.get(r, 1.0) + SURER_BY > name_confidence]
    if len(readings) < 3 and not signed:
        return name
    spelt = []
    for i, ch in enumerate(name):
        votes = Counter(r[i] for r in readings)
        best, count = votes.most_common(1)[0]
        if count > votes[ch]:
            spelt.append(best)
        elif signed and len({r[i] for r in signed}) == 1 and votes[signed[0][i]] == votes[ch]:
            spelt.append(signed[0][i])  # a tie: the signature, alone in body type, reads it
        else:
            spelt.append(ch)
    return "".join(spelt)


def _misreading(window: str, name: str, most: int) -> bool:
    """`window` reads `name` with at most `most` characters misread, none two side by side (a
    stretch one character off a longer name, 管理委 of 管理委员会 for 管委会, differs in a run)."""
    differ = [i for i, (a, b) in enumerate(zip(window, name, strict=True)) if a != b]
    return len(differ) <= 1 or (len(differ) <= most and all(j - i > 1 for i, j in itertools.pairwise(differ)))


def _other_length(name: str, texts: Sequence[str], lines: Sequence[str]) -> str:
    """`name` as the report's printings read it when OCR read it a character longer or shorter
    (县 as 有具; the last character of the line above run into a title, 府竹礼龙…): the stretch of
    the texts one character shorter or longer, within two edits of it and ending as it does, that
    most printings read where `name` itself is not printed — twice at least, more often than
    `name`, and once as a line of its own (the signature): a stretch inside a printing of `name`,
    or inside another name (安市人民政府 of 淮安市人民政府), is no reading of it."""
    readings: Counter[str] = Counter()
    printed = 0
    for text in texts:
        inside = bytearray(len(text))
        for m in re.finditer(re.escape(name), text):
            printed += 1
            inside[m.start() : m.end()] = b"\x01" * len(name)
        for size in (len(name) - 1, len(name) + 1):
            for start in range(len(text) - size + 1):
                window = text[start : start + size]
                if (
                    window[-2:] == name[-2:]
                    and not any(inside[start : start + size])
                    and edit_distance(window, name) <= 2
                ):
                    readings[window] += 1
    alone = set(lines)  # a signature or contact line that is the name alone
    readings = Counter({r: n for r, n in readings.items() if r in alone})
    if not readings:
        return name
    best, count = readings.most_common(1)[0]
    return best if count >= 2 and count > printed and office_problem(best) is None else name


def abbreviates(short: str, full: str) -> bool:
    """Whether `short` is `full` shortened: its characters in order in `full`, beginning with the
    same place name (its first two characters together)."""
    rest = iter(full)
    return short[:2] in full and all(ch in rest for ch in short)


def file_name_office_year(name: str) -> tuple[str | None, int | None]:
    """Office and year from a file name that carries the title (梅河市人力资源和社会保障局2016年
    政府信息公开工作年度报告.pdf, also after a number or code and an underscore)."""
    stem = Path(name).stem
    for part in (*re.split(r"[_\s]+", stem), stem):  # the parts first: a code is no part of a name
        office, year = title_to_office_year(part)
        if office and office_problem(office) is None:
            return office, year
    return None, None


def period_year(paragraphs: Sequence[str]) -> int | None:
    """The year of the statistics period the introduction states (1月1日至12月31日); else, where
    OCR garbled its start under a copier's toner patch, the year of its end (…1日起至2013年12月31日);
    else that of its start (自2020年1月1日起至…, its end garbled)."""
    for pattern in (_PERIOD, _PERIOD_END, _PERIOD_START):
        for text in paragraphs[:5]:
            if m := pattern.search(squash(text)):
                return int(m.group(1))
    return None


CLOSING_LINES = 8  # the signature block: the date line and the lines above it


def closing_span(lines: Sequence[str]) -> range:
    """Where the lines that close the report are: up to its last line that is a date alone (a
    统计表 printed after the signature without rules reads as lines below it), else the last lines."""
    end = next((i + 1 for i in range(len(lines) - 1, -1, -1) if closing_date([lines[i]])), len(lines))
    return range(max(0, end - CLOSING_LINES), end)


def preamble_date(lines: Sequence[str]) -> date | None:
    """The date of a metadata line: after 发布日期 / 成文日期 …, the keys tried in offices.toml's
    order whatever the order of the lines (a 成文日期 line above the 发布日期 one), or opening a
    line that names the office (2022年01月18日 来源：…)."""
    rules = knowledge().offices
    for key in rules.metadata_date_keys:
        for line in lines:
            found = next(filter(None, map(metadata_date, metadata_values(line, [key]))), None)
            if found:
                return found
    for line in lines:
        s = squash(line)
        if any(f"{key}:" in fold(s) for key in rules.metadata_office_keys):
            m = DATE.match(s) or DATE_ISO.match(s)
            if m:
                return parse_date(m.group(0))
    return None


def office_problem(name: str) -> str | None:
    """Why `name` cannot be an issuing office's name (offices.toml), or None if it can."""
    rules = knowledge().offices
    text = squash(name)
    if not rules.min_chars <= len(text) <= rules.max_chars:
        return f"{len(text)} characters long"
    odd = next((w for w in rules.not_in_name if w in text), None)
    if odd:
        return f"it contains {odd!r}"
    if not text.endswith(rules.endings):
        return "it does not end in an office or area word"
    return None
