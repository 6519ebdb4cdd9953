"""The sheet in a photograph: what lies around it (a desk, a hand, the copier's lid) painted paper.

A phone photo shows the desk around the sheet. Tesseract's page layout takes a page framed by
a dark, grainy border for a picture and reads no word in it (seen: a page of two headings and
two tables, every table read, 0 words outside them). The sheet is found the way document
scanner apps find it: the largest four-cornered outline of strong edges on a small, smoothed
copy. It is taken only when what lies outside it is clearly darker than what lies inside — a
flatbed scan, whose outline of that size would be a big table's border on white paper, keeps
its whole image.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

Gray = npt.NDArray[np.uint8]

LOOK_PX = 600  # the small copy's height: enough for a sheet's edges, too small for print
MIN_SHEET = 0.4  # of the image's area: a smaller outline is a table or a box, not the sheet
MAX_SHEET = 0.97  # a larger one is the image's own frame: nothing around the sheet
DESK_DARKER = 40  # gray levels: the surroundings' median below the sheet's
INSET_PX = 3  # at the small copy's size: the sheet's shaded rim is left out too
CORNER_SLACK = 0.02  # of an outline's length: how far a corner may bend and stay one side


def sheet_outline(gray: Gray) -> npt.NDArray[np.int32] | None:
    """The sheet's four corners (x, y; full size), or None when the image is the sheet."""
    factor = LOOK_PX / gray.shape[0]
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    smooth = cv2.GaussianBlur(small, (5, 5), 0)
    edges = cv2.dilate(cv2.Canny(smooth, 50, 150), np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    area = small.shape[0] * small.shape[1]
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        hull = cv2.convexHull(contour)
        corners = cv2.approxPolyDP(hull, CORNER_SLACK * cv2.arcLength(hull, True), True)
        if len(corners) != 4 or not MIN_SHEET * area <= cv2.contourArea(corners) <= MAX_SHEET * area:
            continue
        inside = np.zeros_like(small)
        cv2.fillConvexPoly(inside, corners, 255)
        rim = cv2.erode(inside, np.ones((2 * INSET_PX + 1, 2 * INSET_PX + 1), np.uint8))
        around = cv2.dilate(inside, np.ones((2 * INSET_PX + 1, 2 * INSET_PX + 1), np.uint8)) == 0
        if not around.any():
            return None
        if float(np.median(small[around])) > float(np.median(small[rim > 0])) - DESK_DARKER:
            return None  # paper all round: a big table's border on a flatbed scan
        shrunk, _ = cv2.findContours(rim, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        sheet = cv2.approxPolyDP(max(shrunk, key=cv2.contourArea), 2.0, True)
        return np.round(sheet.reshape(-1, 2) / factor).astype(np.int32)
    return None


def sheet_mask(gray: Gray) -> Gray | None:
    """255 on the photographed sheet, 0 around it; None when the image is the sheet."""
    outline = sheet_outline(gray)
    if outline is None:
        return None
    mask = np.zeros_like(gray)
    cv2.fillPoly(mask, [outline], 255)
    return mask
