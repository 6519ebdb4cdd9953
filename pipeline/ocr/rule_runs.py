"""Runs of ink a morphological opening found → the segments that may be rules: each no thicker
than a rule (or a rule taken out of a blob of stipple stuck to it), with paper along one side at
least, and marked where it runs through stipple (both sides inked), which `scan_grid.keep_grid`
holds to a stricter test.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from pipeline.ocr.broken_rules import PxSegment
from pipeline.ocr.raster import Gray

CORE_FILL = 0.75  # of a blob's length: rows of ink this full in a thick blob are a rule's
MAX_SLANT = 0.02  # a rule's rise over its length still taken as straight (about 1°)
RULE_SIDE_PT = (1.5, 3.0)  # the band beside a rule (from, to its middle) that is paper …
RULE_SIDE_INK = 0.3  # … holding at most this share of ink on one side at least
RULE_SIDE_CLEAR = 0.15  # … and a rule with more on both sides lies in stipple (keep_grid)


def components(mask: Gray, horizontal: bool, max_thickness: int) -> list[PxSegment]:
    """Runs of the mask as segments: each no thicker on average than `max_thickness` (its area
    over its length: specks stuck to a rule do not make it thick, nor a slight slant), and no
    wider across than that slant allows; from a blob thicker than that, the rules inside it
    (`_cores`)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for k in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[k])
        length, across = (w, h) if horizontal else (h, w)
        if area > max_thickness * length or across > max_thickness + MAX_SLANT * length:
            own = labels[y : y + h, x : x + w] == k
            out += [
                _shifted(c, x, y) for c in _cores(own if horizontal else own.T, max_thickness, horizontal)
            ]
            continue
        if horizontal:
            out.append((x, y + h // 2, x + w - 1, y + h // 2))
        else:
            out.append((x + w // 2, y, x + w // 2, y + h - 1))
    return out


def _cores(blob: npt.NDArray[np.bool_], max_thickness: int, horizontal: bool) -> list[PxSegment]:
    """Rules inside a blob too thick to be one (laid along its rows): the bands of rows that run
    nearly its whole length, each no thicker than a rule. A rule along a shaded row or through a
    copier's toner patch has the stipple stuck to it (lost: 表二's rows under a patch ran
    together); the stipple itself runs the whole length in no row, or in a band too thick."""
    full = blob.sum(axis=1) >= CORE_FILL * blob.shape[1]
    out = []
    start = None
    for row, on in enumerate([*full.tolist(), False]):
        if on and start is None:
            start = row
        elif not on and start is not None:
            if row - start <= max_thickness:
                cols = np.flatnonzero(blob[start:row].any(axis=0))
                middle = (start + row - 1) // 2
                seg = (int(cols[0]), middle, int(cols[-1]), middle)
                out.append(seg if horizontal else (middle, seg[0], middle, seg[2]))
            start = None
    return out


def _shifted(seg: PxSegment, dx: int, dy: int) -> PxSegment:
    return (seg[0] + dx, seg[1] + dy, seg[2] + dx, seg[3] + dy)


def side_shares(seg: PxSegment, ink: Gray, horizontal: bool, s: float) -> list[float]:
    """The share of ink in the band along either side of a run (RULE_SIDE_PT from its middle)."""
    near, far = round(RULE_SIDE_PT[0] * s), round(RULE_SIDE_PT[1] * s)
    x0, y0, x1, y1 = seg
    if horizontal:
        sides = (
            ink[max(0, y0 - far) : max(0, y0 - near), x0 : x1 + 1],
            ink[y0 + near : y0 + far, x0 : x1 + 1],
        )
    else:
        sides = (
            ink[y0 : y1 + 1, max(0, x0 - far) : max(0, x0 - near)],
            ink[y0 : y1 + 1, x0 + near : x0 + far],
        )
    return [float(np.count_nonzero(side)) / side.size for side in sides if side.size]


def on_paper(segments: list[PxSegment], ink: Gray, horizontal: bool, s: float) -> list[PxSegment]:
    """Runs of ink with paper along at least one side, as a printed rule has (text beside it on
    one side, or a double rule's other line, at most): in a toner patch's core, where a copier's
    stipple runs together, runs found in every direction have ink all round (false rules joined
    表三 to 表四 across a patch between them)."""
    kept = []
    for seg in segments:
        shares = side_shares(seg, ink, horizontal, s)
        if not shares or min(shares) <= RULE_SIDE_INK:
            kept.append(seg)
    return kept


def in_stipple(segments: list[PxSegment], ink: Gray, horizontal: bool, s: float) -> set[PxSegment]:
    """Runs with ink along both sides (more than RULE_SIDE_CLEAR): a rule through a toner patch,
    or a run of the patch's own stipple that passed `on_paper` by chance."""
    return {
        seg for seg in segments if min(side_shares(seg, ink, horizontal, s), default=1.0) > RULE_SIDE_CLEAR
    }
