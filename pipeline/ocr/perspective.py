"""A page photographed at an angle, made square again from its own long rules.

A phone held over a sheet sees its far edge smaller than its near one (keystone): the rules of a
table converge, and one angle of tilt cannot level them all — a converging vertical rule is cut
into steps by the rule search and dropped as too thick. A table's outer rules, or the sheet's own
edges, are straight lines on the page: the outermost two of each direction are found on a
quarter-size image (Hough), fitted again at full size, and the perspective that makes them level
and upright is undone on the whole page. A page whose long lines already run level and upright
(any flatbed scan) is left as it is, for the cost of the quarter-size look.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from pipeline.core.model import BBox, Straighten

Gray = npt.NDArray[np.uint8]
Matrix = tuple[float, ...]  # a 3x3 homography, row by row

LOOK = 0.5  # the size of the first look (at a quarter, thin rules fade out)
LONG_PT = 100.0  # a line at least this long (a table's width is 400 pt; a character is 15)
STRAIGHT_DEG = 12.0  # lines within this of level or upright are rules; others are noise
SAME_LINE_PX = 5.0  # at the first look's size: segments this near and parallel are one line …
SAME_LINE_GAP_PX = 16.0  # … if no further apart along it than this (two tables' edges are two lines)
MIN_SPAN_PT = 120.0  # the two lines of a direction stand at least this far apart
SQUARE_DEG = 0.12  # lines closer than this to level and upright need nothing
MAX_SHIFT = 0.12  # of the page's size: a corner moved further is a line found wrong
BAND_PX = 5  # full size: the rule's ink within this of the line first seen
RUN_PX = 15  # full size: ink running this far along the line is the line's
MIN_COVERAGE = 0.6  # of the line's length: the share that has its ink


@dataclass(frozen=True)
class Unwarp(Straighten):
    """`Straighten` for a page also freed of its perspective: boxes on the corrected image go
    back through the inverse homography (`inverse`, points), then the turn."""

    inverse: Matrix = ()

    def to_page(self, box: BBox) -> BBox:
        m = np.array(self.inverse, dtype=np.float64).reshape(3, 3)
        corners = np.array(
            [[box.x0, box.top], [box.x1, box.top], [box.x0, box.bottom], [box.x1, box.bottom]], np.float64
        )
        level = cv2.perspectiveTransform(corners[None, :, :], m)[0]
        a = math.radians(self.angle)
        cos, sin = math.cos(a), math.sin(a)
        dx, dy = level[:, 0] - self.cx, level[:, 1] - self.cy
        xs, ys = self.cx + dx * cos + dy * sin, self.cy - dx * sin + dy * cos
        return BBox(float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))


@dataclass(frozen=True)
class _Line:
    """A line as a point on it and its direction (unit vector), full-size pixels."""

    x: float
    y: float
    dx: float
    dy: float
    length: float

    def at(self, other: _Line) -> tuple[float, float]:
        """Where this line meets another."""
        det = self.dx * other.dy - self.dy * other.dx
        t = ((other.x - self.x) * other.dy - (other.y - self.y) * other.dx) / det
        return self.x + t * self.dx, self.y + t * self.dy

    def degrees_off(self, horizontal: bool) -> float:
        """How far the line runs from level (or from upright)."""
        a = math.degrees(math.atan2(self.dy, self.dx) if horizontal else math.atan2(self.dx, self.dy))
        return abs((a + 90) % 180 - 90)


def keystone(gray: Gray, scale: float) -> npt.NDArray[np.float64] | None:
    """The homography (pixels to pixels) that makes the page's outermost long rules level and
    upright, or None when they are already (within SQUARE_DEG) or too few are found."""
    small = cv2.resize(gray, None, fx=LOOK, fy=LOOK, interpolation=cv2.INTER_AREA)
    otsu, _ = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    _, ink = cv2.threshold(small, min(otsu, 200.0), 255, cv2.THRESH_BINARY_INV)
    long_px = LONG_PT * scale * LOOK
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y, w, h = (stats[:, k] for k in range(4))
    big = (w >= long_px) | (h >= long_px)
    # the sheet's edge against what lies around it reaches the image's border: a table does not
    big &= (x > 1) & (y > 1) & (x + w < ink.shape[1] - 1) & (y + h < ink.shape[0] - 1)
    big[0] = False
    if not big.any():
        return None
    mask = np.where(big[labels], 255, 0).astype(np.uint8)
    found = cv2.HoughLinesP(
        mask, 1, np.pi / 720, threshold=round(long_px / 2), minLineLength=round(long_px), maxLineGap=3
    )
    if found is None:
        return None
    segments = np.asarray(found, dtype=np.float64).reshape(-1, 4)
    lines = {horizontal: _merge(segments, horizontal) for horizontal in (True, False)}
    outer = {}
    for horizontal, group in lines.items():
        longest = max((g[4] for g in group), default=0.0)
        kept = [g for g in group if g[4] >= 0.4 * longest]
        if len(kept) < 2:
            return None
        first, last = kept[0], kept[-1]
        if abs(last[5] - first[5]) / LOOK < MIN_SPAN_PT * scale:
            return None
        outer[horizontal] = (first, last)
    fitted = [
        line for horizontal, pair in outer.items() for seg in pair if (line := _fit(gray, seg, horizontal))
    ]
    if len(fitted) < 4:
        return None
    top, bottom, left, right = fitted
    if (
        max(
            top.degrees_off(True), bottom.degrees_off(True), left.degrees_off(False), right.degrees_off(False)
        )
        < SQUARE_DEG
    ):
        return None
    corners = np.array([top.at(left), top.at(right), bottom.at(right), bottom.at(left)], np.float32)
    x0, x1 = (corners[0, 0] + corners[3, 0]) / 2, (corners[1, 0] + corners[2, 0]) / 2
    y0, y1 = (corners[0, 1] + corners[1, 1]) / 2, (corners[2, 1] + corners[3, 1]) / 2
    square = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)
    h, w = gray.shape
    if np.abs(corners - square).max() > MAX_SHIFT * min(h, w):
        return None
    return np.asarray(cv2.getPerspectiveTransform(corners, square), dtype=np.float64)


Seen = tuple[float, float, float, float, float, float]  # x0, y0, x1, y1, length of ink, offset


def _merge(segments: npt.NDArray[np.float64], horizontal: bool) -> list[Seen]:
    """Hough segments of one direction merged into lines, ordered across them (by their
    height at the middle of the image, or their x)."""
    out: list[list[float]] = []  # a0, a1 (extent along), slope, offset, length
    for x0, y0, x1, y1 in segments:
        a0, b0, a1, b1 = (x0, y0, x1, y1) if horizontal else (y0, x0, y1, x1)  # along, across
        if a1 < a0:
            a0, b0, a1, b1 = a1, b1, a0, b0
        if a1 - a0 < 1 or math.degrees(math.atan2(abs(b1 - b0), a1 - a0)) > STRAIGHT_DEG:
            continue
        slope = (b1 - b0) / (a1 - a0)
        middle = (a0 + a1) / 2
        for line in out:
            beside = a0 <= line[1] + SAME_LINE_GAP_PX and a1 >= line[0] - SAME_LINE_GAP_PX
            if beside and abs(line[3] + line[2] * middle - (b0 + slope * (middle - a0))) <= SAME_LINE_PX:
                line[0], line[1] = min(line[0], a0), max(line[1], a1)
                line[4] += math.hypot(a1 - a0, b1 - b0)
                break
        else:
            out.append([a0, a1, slope, b0 - slope * a0, math.hypot(a1 - a0, b1 - b0)])
    seen = []
    for a0, a1, slope, offset, length in out:
        b0, b1 = offset + slope * a0, offset + slope * a1
        ends = (a0, b0, a1, b1) if horizontal else (b0, a0, b1, a1)
        seen.append((*ends, length, offset + slope * (a0 + a1) / 2))
    return sorted(seen, key=lambda t: t[5])


def _fit(gray: Gray, seg: tuple[float, ...], horizontal: bool) -> _Line | None:
    """The line first seen at a quarter size, fitted again to the ink of the full-size image
    within BAND_PX of it; None where that ink covers too little of its length."""
    x0, y0, x1, y1 = (v / LOOK for v in seg[:4])
    h, w = gray.shape
    pad = BAND_PX + 2 / LOOK
    left, right = max(0, int(min(x0, x1) - pad)), min(w, int(max(x0, x1) + pad) + 1)
    up, down = max(0, int(min(y0, y1) - pad)), min(h, int(max(y0, y1) + pad) + 1)
    region = gray[up:down, left:right]
    if region.size == 0:
        return None
    otsu, _ = cv2.threshold(region, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    _, ink = cv2.threshold(region, min(otsu, 200.0), 255, cv2.THRESH_BINARY_INV)
    run = (RUN_PX, 1) if horizontal else (1, RUN_PX)  # the crossing rules' ink is no part of it
    ys, xs = np.nonzero(cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, run)))
    xs, ys = xs + left, ys + up
    length = math.hypot(x1 - x0, y1 - y0)
    nx, ny = -(y1 - y0) / length, (x1 - x0) / length  # the normal
    near = np.abs((xs - x0) * nx + (ys - y0) * ny) <= pad
    if near.sum() < 20:
        return None
    points = np.column_stack([xs[near], ys[near]]).astype(np.float32)
    dx, dy, px, py = (float(v) for v in cv2.fitLine(points, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel())
    if (horizontal and dx < 0) or (not horizontal and dy < 0):
        dx, dy = -dx, -dy
    # a rule's ink runs all along it; a line Hough drew through a toner patch's stipple has ink at
    # a third of its places (a flat photocopy was warped 5° by one)
    along = np.round((points[:, 0] - px) * dx + (points[:, 1] - py) * dy)
    if len(np.unique(along)) < MIN_COVERAGE * length:
        return None
    return _Line(px, py, dx, dy, float(seg[4]) / LOOK)


def unwarp(gray: Gray, matrix: npt.NDArray[np.float64]) -> Gray:
    h, w = gray.shape
    return cv2.warpPerspective(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)  # type: ignore[return-value]


def in_points(matrix: npt.NDArray[np.float64], scale: float) -> Matrix:
    """A homography between pixel images as one between points on the page (`scale` px/pt)."""
    s = np.diag([scale, scale, 1.0])
    return tuple(float(v) for v in (np.linalg.inv(s) @ matrix @ s).ravel())
