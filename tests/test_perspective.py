"""Perspective undone and mapped back: boxes found on the corrected image land where the ink is
on the page as stored (provenance stays true on a photographed page)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from pipeline.core.model import BBox
from pipeline.ocr.perspective import LOOK, Unwarp, _fit, in_points, keystone, unwarp

SCALE = 200 / 72


def _table(width: int = 1400, height: int = 2000) -> np.ndarray:
    """A white page with a ruled 6 x 12 table on it."""
    page = np.full((height, width), 255, np.uint8)
    for x in np.linspace(200, 1200, 7).astype(int):
        cv2.line(page, (int(x), 300), (int(x), 1500), 0, 3)
    for y in np.linspace(300, 1500, 13).astype(int):
        cv2.line(page, (200, int(y)), (1200, int(y)), 0, 3)
    return page


def _keystoned(page: np.ndarray, inset: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    h, w = page.shape
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[inset * w, 0], [w - inset * w, 0], [w, h], [0, h]])
    m = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(page, m, (w, h), borderValue=255), m


def test_converging_rules_are_made_level_and_upright_again() -> None:
    photo, _ = _keystoned(_table())
    warp = keystone(photo, SCALE)
    assert warp is not None
    fixed = unwarp(photo, warp)
    ink = (fixed < 128).astype(np.uint8) * 255
    columns = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 600)))
    rows = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (600, 1)))
    n_cols = cv2.connectedComponentsWithStats(columns)[0] - 1
    n_rows = cv2.connectedComponentsWithStats(rows)[0] - 1
    assert (n_cols, n_rows) == (7, 13)  # every rule straight along its whole length again


def test_a_square_page_is_left_as_it_is() -> None:
    assert keystone(_table(), SCALE) is None


def test_a_box_on_the_corrected_image_maps_back_onto_the_photographed_ink() -> None:
    photo, made = _keystoned(_table())
    warp = keystone(photo, SCALE)
    assert warp is not None
    frame = Unwarp(0.0, 0, 0, in_points(np.linalg.inv(warp), SCALE))
    # the table's top-left corner (200, 300) on the page before the photograph: where is it now?
    corner = cv2.perspectiveTransform(np.float32([[[200, 300]]]), made)[0, 0]
    fixed_corner = cv2.perspectiveTransform(np.float32([[corner]]), warp)[0, 0]
    box = BBox(*(fixed_corner / SCALE), *(fixed_corner / SCALE + 0.1))
    back = frame.to_page(box)
    assert abs(back.x0 * SCALE - corner[0]) < 1 and abs(back.top * SCALE - corner[1]) < 1


def _dashed(ink: int, gap: int) -> np.ndarray:
    """A white page with one upright line drawn as `ink` px of ink then `gap` px of paper."""
    page = np.full((1200, 600), 255, np.uint8)
    for y in range(100, 1100, ink + gap):
        cv2.line(page, (300, y), (300, min(1100, y + ink - 1)), 0, 3)
    return page


@pytest.mark.parametrize(("ink", "gap", "is_rule"), [(1000, 0, True), (40, 8, True), (20, 40, False)])
def test_a_line_is_a_rule_only_where_its_ink_runs_along_it(ink: int, gap: int, is_rule: bool) -> None:
    """Seen on a flat photocopy: Hough drew a line 5° off upright through a toner patch's stipple
    (ink at a third of its places), it was taken for the table's right edge, and the page was
    warped so that no grid was left whole (表二 lost). A rule broken by a copier's drop-out keeps
    most of its length."""
    seen = (300 * LOOK, 100 * LOOK, 300 * LOOK, 1100 * LOOK, 1000 * LOOK, 300 * LOOK)
    assert (_fit(_dashed(ink, gap), seen, False) is not None) == is_rule
