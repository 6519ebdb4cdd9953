"""The photographed sheet is told from the desk around it; a flatbed page keeps its whole image."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from pipeline.ocr.paper import sheet_mask, sheet_outline

H, W = 2339, 1654  # an A4 page at 200 dpi


def _page(rng: np.random.Generator) -> np.ndarray:
    """A white page with lines of 'text' and a big ruled table (60% of the page)."""
    page = np.full((H, W), 250, np.uint8)
    for y in range(200, 500, 40):
        for x in range(150, 1450, 34):
            if rng.random() < 0.85:
                cv2.rectangle(page, (x, y), (x + 26, y + 26), 40, 2)
    cv2.rectangle(page, (140, 600), (1510, 2150), 20, 3)
    for y in range(600, 2150, 70):
        cv2.line(page, (140, y), (1510, y), 20, 2)
    return page


def _photographed(page: np.ndarray, rng: np.random.Generator, angle: float) -> tuple[np.ndarray, np.ndarray]:
    """The page on a dark, grainy desk, smaller, turned and in perspective; and the sheet's true corners."""
    desk = np.clip(rng.normal(95, 18, (H, W)), 0, 255).astype(np.uint8)
    src = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    a = np.radians(angle)
    centre = np.array([W / 2, H / 2])
    corners = []
    for x, y, shrink in ((0.12, 0.08, 0.04), (0.88, 0.08, 0.04), (0.9, 0.93, 0.0), (0.1, 0.93, 0.0)):
        p = np.array([W * (x + (shrink if x < 0.5 else -shrink)), H * y]) - centre
        turned = np.array([p[0] * np.cos(a) - p[1] * np.sin(a), p[0] * np.sin(a) + p[1] * np.cos(a)])
        corners.append(centre + turned)
    dst = np.float32(corners)
    matrix = cv2.getPerspectiveTransform(src, dst)
    sheet = cv2.warpPerspective(page, matrix, (W, H), borderValue=0)
    inside = cv2.warpPerspective(np.full((H, W), 255, np.uint8), matrix, (W, H)) > 0
    # light falling off towards one side, as a phone photo's shadow
    shade = np.linspace(1.0, 0.72, W, dtype=np.float32)[None, :]
    photo = np.where(inside, sheet * shade, desk).astype(np.uint8)
    return photo, dst


@pytest.mark.parametrize("angle", [-4.0, -2.0, 0.0, 3.0])
def test_the_sheet_is_found_on_a_desk_in_perspective_and_shade(angle: float) -> None:
    rng = np.random.default_rng(7)
    photo, corners = _photographed(_page(rng), rng, angle)
    found = sheet_outline(photo)
    assert found is not None and len(found) == 4
    for corner in corners:  # each true corner has a found one within 2% of the page's height
        assert min(np.hypot(*(found - corner).T)) < 0.02 * H
    mask = sheet_mask(photo)
    assert mask is not None
    share = float((mask > 0).mean())
    assert 0.6 < share < 0.85  # the sheet less its rim, the desk left out


def test_a_flatbed_page_with_a_big_table_keeps_its_whole_image() -> None:
    """The table's border is a four-cornered outline of over half the page, but paper lies all
    round it: no desk."""
    page = _page(np.random.default_rng(3))
    assert sheet_outline(page) is None
    assert sheet_mask(page) is None
