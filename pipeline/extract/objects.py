"""A page's objects as raw PDFium handles, nested forms included.

pypdfium2's `get_objects` wraps every object of a page (its text objects too, thousands on a page of
a table) in a Python `PdfObject` before it filters them by kind: a third of the time of reading a
text page went there. Here only the handles of the kinds asked for are yielded.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


class PageObject(NamedTuple):
    handle: pdfium_c.FPDF_PAGEOBJECT
    kind: int  # FPDF_PAGEOBJ_*
    level: int  # forms it is nested in (0: drawn by the page itself)


def page_objects(page: pdfium.PdfPage, kinds: frozenset[int], max_depth: int) -> Iterator[PageObject]:
    """The page's objects of `kinds`, in drawing order, looking into forms `max_depth` deep."""
    yield from _objects(page.raw, None, kinds, max_depth, 0)


def _objects(
    page: pdfium_c.FPDF_PAGE,
    form: pdfium_c.FPDF_PAGEOBJECT | None,
    kinds: frozenset[int],
    max_depth: int,
    level: int,
) -> Iterator[PageObject]:
    on_page = form is None
    count = pdfium_c.FPDFPage_CountObjects(page) if on_page else pdfium_c.FPDFFormObj_CountObjects(form)
    for i in range(max(0, count)):
        handle = pdfium_c.FPDFPage_GetObject(page, i) if on_page else pdfium_c.FPDFFormObj_GetObject(form, i)
        if not handle:
            continue
        kind = pdfium_c.FPDFPageObj_GetType(handle)
        if kind in kinds:
            yield PageObject(handle, kind, level)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and level < max_depth - 1:
            yield from _objects(page, handle, kinds, max_depth, level + 1)


def object_bounds(handle: pdfium_c.FPDF_PAGEOBJECT) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) in PDF points; zeros when PDFium cannot tell."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(handle, left, bottom, right, top):
        return 0.0, 0.0, 0.0, 0.0
    return left.value, bottom.value, right.value, top.value


def object_matrix(handle: pdfium_c.FPDF_PAGEOBJECT) -> tuple[float, float, float, float, float, float]:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(handle, m):
        return 1.0, 0.0, 0.0, 1.0, 0.0, 0.0
    return m.a, m.b, m.c, m.d, m.e, m.f
