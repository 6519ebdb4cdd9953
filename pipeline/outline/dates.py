"""A report's dates as printed and as OCR reads them: 2020年3月4日, 二〇二〇年三月四日, 2020-03-04,
and their numerals misread (二OO二OO年, 2016年0i月23日, 26019年), in a closing line or a metadata line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from pipeline.core.text import MAX_DATE_CHARS, cn_to_int, squash

_CN_DIGIT = "〇零○一二三四五六七八九"
YEAR_TEXT = rf"(?:19|20)\d{{2}}|[{_CN_DIGIT}]{{4}}"
_YEAR = rf"({YEAR_TEXT})"
DATE = re.compile(rf"{_YEAR}年([0-9一二三四五六七八九十]{{1,3}})月([0-9一二三四五六七八九十]{{1,3}})日")
DATE_ISO = re.compile(r"((?:19|20)\d{2})[-./](\d{1,2})[-./](\d{1,2})")
_DIGIT_LOOKALIKES = str.maketrans("OoQDCcIil|", "0000001111")  # in a date of digits alone
# a metadata line's date with a separator OCR lost (2020.0304, 20200304): two digits each
_DATE_COMPACT = re.compile(r"((?:19|20)\d{2})[-./]?(\d{2})[-./]?(\d{2})(?!\d)")
_MONTH_OR_DAY = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"  # as OCR may read them
_READ_DATE = re.compile(  # a closing date as OCR may read it: see `read_closing_date`
    rf"[^。，；：,;:]{{0,30}}?{_YEAR}年({_MONTH_OR_DAY})[^0-9一二三四五六七八九十\W]"
    rf"({_MONTH_OR_DAY})[^0-9一二三四五六七八九十]?(?:日[\W_]*)?"
)
# what OCR reads for the 〇 of a year in Chinese numerals (二〇二三 as 二@〇二三, 二0二三, 二O二三, 二C一四)
_ZERO_LOOKALIKES = "OoQDCc@0○◯口"  # C: a 〇 whose circle a photocopy broke open
_READ_CN_YEAR = re.compile(rf"([{_CN_DIGIT}{_ZERO_LOOKALIKES}=]{{4,6}})年")  # = : a 二 read so
_READ_CENTURY = re.compile(r"(?<!\d)2[^\d\u4e00-\u9fff](\d{2})年")  # 2)11年: a 2011 whose 0 OCR misread
_READ_FIVE_DIGITS = re.compile(r"(?<!\d)(\d{5})(?=\s*年)")  # 26019年: a speck read as a digit
# 二计八日: a day or month of three Chinese numerals, its 十 misread
_READ_TENS = re.compile(r"([二三])[^一二三四五六七八九十〇年月日\d\W]([一二三四五六七八九][日月])")
# "O一三年: a year in Chinese numerals whose leading 二 OCR lost or read as a mark (every year a
# report carries is 20xx, 二〇xx)
_READ_CN_YEAR_TAIL = re.compile(
    rf"(?<![{_CN_DIGIT}{_ZERO_LOOKALIKES}])[^\w\s]?[{_ZERO_LOOKALIKES}]([一二三四五六七八九〇]{{2}})年"
)
# 年]月, 年0i月: a month's or day's 1 read as a bar, a bracket or a letter
_READ_ONE = re.compile(r"(?<=[年月])(\d?)[\]\[|Il!i](\d?)(?=[月日])")
# 年-月: a month (or day) 一 read as a dash, its one stroke alone between two date characters
_READ_DASH_ONE = re.compile(r"(?<=[年月])[-—_－](?=[月日])")
# 年:月: a month's or day's 1 a copier's streak cut in two, a colon alone between two date characters
_READ_CUT_ONE = re.compile(r"(?<=[年月])[:：](?=[月日])")
# 4月:1日: a speck read as a mark beside a numeral of a date
_NUMERAL = "0-9一二三四五六七八九十"
_READ_SPECK = re.compile(
    rf"(?<=[年月])[:：;；,，.'\"`]+(?=[{_NUMERAL}])|(?<=[{_NUMERAL}])[:：;；,，.'\"`]+(?=[月日])"
)
# a closing date whose year OCR garbled past reading (二9二@年四月八日, 二G二至征一月三日): up to six
# characters, two of them a year's numerals or their look-alikes, then month and day as read
_READ_MONTH_DAY = re.compile(
    rf"(?P<year>[^。，；：,;:]{{2,6}}?)年?(?P<month>{_MONTH_OR_DAY})月(?P<day>{_MONTH_OR_DAY})"
    rf"(?:日|[^\W\d一二三四五六七八九十])?[\W_]*"
)
_YEARISH = f"0-9{_CN_DIGIT}{_ZERO_LOOKALIKES}"
MIN_YEARISH = 2  # of a garbled year's characters, this many read as numerals at least


def cn_or_int(text: str) -> int | None:
    text = text.replace("○", "〇")
    return int(text) if text.isdigit() else cn_to_int(text)


def date_alone(line: str) -> bool:
    """A line that is a date alone, also as OCR may read it (its 日 misread: 2009年01月22纠)."""
    if closing_date([line]):
        return True
    m = _READ_DATE.fullmatch(numerals_restored(squash(line)))
    return m is not None and m.start(1) == 0 and _match_to_date(m) is not None


def parse_date(text: str) -> date | None:
    s = squash(text)
    m = DATE.search(s) or DATE_ISO.search(s)
    return _match_to_date(m) if m else None


def metadata_date(value: str) -> date | None:
    """The date a metadata value opens with, its digits as OCR may read them (2C21-04-03,
    2020.0304)."""
    digits = squash(value).translate(_DIGIT_LOOKALIKES)
    m = DATE_ISO.match(digits) or _DATE_COMPACT.match(digits)
    return parse_date(value) or (_match_to_date(m) if m else None)


def _match_to_date(m: re.Match[str]) -> date | None:
    """The date of a match's (year, month, day) groups, digits or Chinese numerals; None for none
    (2月30日)."""
    y, mo, d = (cn_or_int(g) for g in m.groups())
    if y is None or mo is None or d is None:
        return None
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def numerals_restored(text: str) -> str:
    """A date's numerals as printed where OCR misread one of them: a year in Chinese numerals
    whose 〇 was read as a look-alike (two or more Chinese numerals, the others 〇 or look-alikes;
    a look-alike beside a 〇, or beside another in a year of five or six, is that 〇 read twice:
    二OO二OO年) or whose
    二 was read =; a year in digits whose 0 was read as a mark or a letter (2)11年: every year a
    report carries is 20xx) or that has a speck read as a fifth digit (26019年: only if one 20xx
    is left whichever digit goes); a day or month of three Chinese numerals whose middle one, always
    十, was misread (二计八日); a year in Chinese numerals whose leading 二 was lost or read as a
    mark ("O一三年); a month's or day's 1 read as a bar, a bracket or a letter (2020年]月25日,
    2016年0i月23日) or, cut in two, a colon alone (年:月), a month or day 一 as a dash (年-月); a
    speck read as a mark beside a numeral dropped (4月:1日)."""

    def restored(m: re.Match[str]) -> str:
        year = m.group(1).replace("=", "二")
        if sum(ch in "一二三四五六七八九" for ch in year) < 2:
            return m.group(0)  # 2023年: digits, not a misread
        year = re.sub(rf"[{_ZERO_LOOKALIKES}](?=〇)|(?<=〇)[{_ZERO_LOOKALIKES}]", "", year)
        year = "".join("〇" if ch in _ZERO_LOOKALIKES else ch for ch in year)
        while len(year) > 4 and "〇〇" in year:  # look-alikes side by side: one 〇 read twice
            year = year.replace("〇〇", "〇", 1)
        return year + "年" if len(year) == 4 else m.group(0)

    def one_digit_less(m: re.Match[str]) -> str:
        digits = m.group(1)
        years = {y for i in range(5) if re.fullmatch(r"20\d\d", y := digits[:i] + digits[i + 1 :])}
        return years.pop() if len(years) == 1 else digits

    text = _READ_CN_YEAR.sub(restored, _READ_CN_YEAR_TAIL.sub(r"二〇\1年", text))
    text = _READ_FIVE_DIGITS.sub(one_digit_less, _READ_CENTURY.sub(r"20\1年", text))
    text = _READ_SPECK.sub("", _READ_CUT_ONE.sub("1", _READ_DASH_ONE.sub("一", text)))
    return _READ_ONE.sub(r"\g<1>1\g<2>", _READ_TENS.sub(r"\1十\2", text))


def closing_date(lines: Sequence[str]) -> date | None:
    """The date line that closes the report (under the signature), if printed."""
    for line in reversed(lines):
        s = numerals_restored(squash(line))
        if len(s) <= 14 and (DATE.fullmatch(s) or DATE_ISO.fullmatch(s)):
            return parse_date(s)
    return None


def read_closing_date(closing: Sequence[str]) -> date | None:
    """The closing date of the report's closing lines; else, as OCR may read it, one of them that
    ends in a date whose 日 or 月 is misread (25缚, 一户十四日), or has a speck read before its 日
    or marks after it (25上日:), or begins with the signature read onto the same line (no
    sentence before it: no 。，；：). A line going on after its 日 is a sentence (…1日起至)."""
    if (day := closing_date(closing)) is not None:
        return day
    for line in reversed(closing):
        m = _READ_DATE.fullmatch(numerals_restored(squash(line)))
        if m is not None and (day := _match_to_date(m)) is not None:
            return day
    return None


def closing_month_day(closing: Sequence[str]) -> tuple[int, int] | None:
    """The month and day of the report's closing date where its year was garbled past reading
    (二9二@年四月八日, OO一八年一月二十六日): the last closing line that is a date of at most
    MAX_DATE_CHARS whose year is two to six characters, MIN_YEARISH of them numerals or their
    look-alikes, and whose month and day read as a real one (2月30日 is none)."""
    for line in reversed(closing):
        s = numerals_restored(squash(line))
        m = _READ_MONTH_DAY.fullmatch(s) if len(s) <= MAX_DATE_CHARS else None
        if m is None or len(re.findall(f"[{_YEARISH}]", m["year"])) < MIN_YEARISH:
            continue
        month, day = cn_or_int(m["month"]), cn_or_int(m["day"])
        if month is None or day is None:
            continue
        try:
            date(2000, month, day)  # a leap year: 2月29日 is a day of some year
        except ValueError:
            continue
        return month, day
    return None
