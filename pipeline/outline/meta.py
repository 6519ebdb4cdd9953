"""The report's fields, each from the first source that gives a plausible value, and where from.

    office     title → signature → metadata line → opening paragraphs → file name, each character
               as most of its printings read it (an OCR misreading in one of them outvoted)
    year       title → statistics period → file name → the title's year with a digit misread,
               as the closing date tells it
    published  closing date → metadata line → the closing date's month and day, its year
               garbled past reading, in the year after the report's

A field no source gives is null with a `doc_field_missing` error; one for which only
implausible values were read (an office that is a sentence fragment, a year outside the
disclosure era, after publication or years before the report's closing date, a date in the
future) is null with `doc_field_implausible`.
The format comes from the facts (facts/formats.py); an `unknown` one is missing too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from pipeline.core.model import Outline, PipelineError, ReportMeta
from pipeline.knowledge.load import knowledge
from pipeline.outline.dates import closing_month_day, read_closing_date
from pipeline.outline.fields import (
    agreed_spelling,
    body_office,
    file_name_office_year,
    misread_title_year,
    name_line,
    office_problem,
    period_year,
    preamble_date,
    preamble_office,
    signature_office,
    title_to_office_year,
)
from pipeline.outline.phrasings import office_words_respelt

T = TypeVar("T", str, int, date)
# a report is signed early in the year after the one it reports on; two years later at most
MAX_SIGNED_LAG = 2
DECEMBER = 12


def outline_to_meta(
    outline: Outline, fmt: str, today: date, file_name: str = ""
) -> tuple[ReportMeta, list[PipelineError]]:
    errors: list[PipelineError] = []
    title_office, title_year = title_to_office_year(outline.title)
    name_office, name_year = file_name_office_year(file_name) if file_name else (None, None)
    paragraphs = [p.text for p in outline.paragraphs]
    metadata = [*outline.preamble_lines, *outline.opening_lines]
    office, office_source = _first_plausible(
        "office",
        [
            (title_office, "title"),
            (signature_office(outline.closing_lines), "signature"),
            (preamble_office(metadata), "metadata"),
            (body_office(paragraphs), "body"),
            (name_office, "file_name"),
        ],
        office_problem,
        errors,
    )
    if office is not None:
        # every line of the body is in one paragraph: the opening and closing lines are no
        # printings of their own, only where a name may stand alone
        lines = [*metadata, *outline.closing_lines]
        sure = {
            name_line(t): c for t, c in zip(outline.closing_lines, outline.closing_confidences, strict=False)
        }
        from_title = outline.title_confidence if office_source == "title" else 0.0
        texts = [*outline.preamble_lines, *paragraphs]
        office = office_words_respelt(agreed_spelling(office, texts, lines, sure, from_title))
    unread_date: list[PipelineError] = []  # kept unless the month and day give the date after all
    published, published_source = _first_plausible(
        "published",
        [(read_closing_date(outline.closing_lines), "closing"), (preamble_date(metadata), "metadata")],
        lambda d: _date_problem(d, today),
        unread_date,
        required=False,
    )
    unread_year: list[PipelineError] = []
    year, year_source = _first_plausible(
        "year",
        [(title_year, "title"), (period_year(paragraphs), "period"), (name_year, "file_name")],
        lambda y: _year_problem(y, published, today, published_source == "closing"),
        unread_year,
    )
    if year is None and published is not None:
        year = _title_year_as_signed(outline.title, published)
        year_source = "title_and_closing" if year else None
    if year is None:  # a year found at last is no error
        errors += unread_year
    if published is None and year is not None:
        published, published_source = _signed_after(year, closing_month_day(outline.closing_lines), today)
    if published is None:  # a date refused for its year and read by its month and day is no error
        errors += unread_date
    if fmt == "unknown":
        errors.append(
            PipelineError("fields", "doc_field_missing", "format: no table or text told the format")
        )
    meta = ReportMeta(
        outline.title, office, year, published, fmt, office_source, year_source, published_source
    )
    return meta, errors


def _signing_years(year: int, month: int) -> list[int]:
    """The years a report on `year` may be signed in, in that month: a report is signed once
    its year is over, in the next — or, in December, maybe that year still."""
    return [year + 1] + ([year] if month == DECEMBER else [])


def _signed_after(
    year: int, month_day: tuple[int, int] | None, today: date
) -> tuple[date | None, str | None]:
    """The closing date whose month and day alone were read, in the year the report on `year`
    was signed — where that is one year (`_signing_years`: not for a December date)."""
    if month_day is None or len(years := _signing_years(year, month_day[0])) > 1:
        return None, None
    try:
        day = date(years[0], *month_day)
    except ValueError:  # 2月29日 of a year not leap
        return None, None
    return (day, "closing_month_day") if _date_problem(day, today) is None else (None, None)


def _title_year_as_signed(title: str | None, published: date) -> int | None:
    """The title's year with one of its last two digits misread (20H1年), as the report's date
    tells it: the one year a report signed then reports on (`_signing_years`) whose digits are
    those read."""
    read = misread_title_year(title)
    if read is None:
        return None
    years = [
        y
        for y in (published.year - 1, published.year)
        if published.year in _signing_years(y, published.month)
    ]
    fits = [y for y in years if all(a == b for a, b in zip(str(y), read, strict=True) if b.isdigit())]
    return fits[0] if len(fits) == 1 else None


def _date_problem(day: date, today: date) -> str | None:
    if not date(knowledge().offices.first_year, 1, 1) <= day <= today:
        return "outside the disclosure era or in the future"
    return None


def _year_problem(year: int, published: date | None, today: date, signed: bool = False) -> str | None:
    """A year outside the disclosure era or after publication; also, when the report's own
    closing date is `signed` under it, one more than MAX_SIGNED_LAG years before that date (a
    digit of the title misread: 2015 for 2019 in a report signed 2020-02-20)."""
    first = knowledge().offices.first_year
    latest = published.year if published else today.year
    if not first <= year <= latest:
        after = f"published {published}" if published else "this year"
        return f"not between {first} and {latest} ({after})"
    if signed and published and year < published.year - MAX_SIGNED_LAG:
        return f"more than {MAX_SIGNED_LAG} years before the report's closing date {published}"
    return None


def _first_plausible(
    field: str,
    candidates: list[tuple[T | None, str]],  # each value read, and the source it was read from
    problem: Callable[[T], str | None],
    errors: list[PipelineError],
    required: bool = True,
) -> tuple[T | None, str | None]:
    """The first candidate without a problem, and its source; errors for what was refused or
    not found (a date is not required: many reports print none)."""
    read = [(value, source) for value, source in candidates if value is not None]
    for value, source in read:
        if problem(value) is None:
            return value, source
    if read:
        value, source = read[0]
        message = f"{field} {str(value)!r} ({source}) refused: {problem(value)}"
        errors.append(PipelineError("fields", "doc_field_implausible", message))
    elif required:
        sources = ", ".join(source for _, source in candidates)
        errors.append(PipelineError("fields", "doc_field_missing", f"{field}: found in none of {sources}"))
    return None, None
