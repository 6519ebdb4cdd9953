"""Shapes of pieces of ink, told by their pixels: the widest row of a mask, the bowl of a 5 whose
stem a copier lost, and the loose top bar over it (a copier drops the hairline joining them)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int32]

BAR_FLATNESS = 2.0  # a 5's top bar cut loose: this many times wider than tall, …
BAR_HEIGHT = 0.35  # … no taller than this share of the body under it, …
BAR_WIDTH = 0.45  # … as wide as this share of it at least, …
BAR_LEFT = 0.3  # … starting this near its left (of its width), …
BAR_GAP = 0.6  # … and this near its top (of its height: the stem's place, seen 0.3-0.4)
FIVE_FOOT = (0.35, 0.9)  # of a bowl's width: its foot's (a 5's round; a 1's or 7's a stem's end, a 2's a bar)


def loose_bars(labels: Ints, stats: Ints, small: set[int], text: set[int]) -> set[int]:
    """The pieces of `small` that are a 5's top bar a copier cut loose (whole or in pieces): together
    flat, over the left of a piece of the text and as wide as most of it, that piece a bowl open on
    its left at mid-height (the 5's body without its stem; a 0, a 6 or an 8 is closed there).
    Cleared as a speck, the rest read D, 口, 3 or 2."""
    bars: set[int] = set()
    for b in text:
        bx, by, bw, bh = (int(v) for v in stats[b, :4])
        above = [
            k
            for k in small
            if 0 <= by - (stats[k, 1] + stats[k, 3]) <= BAR_GAP * bh
            and bx - BAR_LEFT * bw <= stats[k, 0]
            and stats[k, 0] + stats[k, 2] <= bx + bw
        ]
        if not above:
            continue
        x0, y0 = min(int(stats[k, 0]) for k in above), min(int(stats[k, 1]) for k in above)
        x1 = max(int(stats[k, 0] + stats[k, 2]) for k in above)
        y1 = max(int(stats[k, 1] + stats[k, 3]) for k in above)
        if (
            y1 - y0 <= BAR_HEIGHT * bh
            and x1 - x0 >= max(BAR_WIDTH * bw, BAR_FLATNESS * (y1 - y0))
            and abs(x0 - bx) <= BAR_LEFT * bw
            and bowl_of_a_five(labels[by : by + bh, bx : bx + bw] == b)
        ):
            bars.update(above)
    return bars


def widest_row(ink: npt.NDArray[np.bool_]) -> int:
    """The widest span of ink in any row, first ink to last (gaps in it counted)."""
    spans = [int(np.flatnonzero(row)[-1] - np.flatnonzero(row)[0] + 1) for row in ink if row.any()]
    return max(spans, default=0)


def bowl_of_a_five(body: npt.NDArray[np.bool_]) -> bool:
    """Ink shaped as a 5's bowl without its stem: open on its left between the stem's stub (its top
    fifth) and the bowl's tail, which curls back up on the left to half its height or more (a 0, 6
    or 8 has ink there), curved down its right side, and round at its foot (a 1's or a 7's foot is
    a stem's end, a 2's a bar across it)."""
    height, width = body.shape
    if not body.any():
        return False
    side = max(1, round(0.35 * width))
    open_left = not body[round(0.3 * height) : round(0.45 * height) + 1, :side].any()
    # … its curve down the right side, and its tail back on the left (a 1's stem or a 7's
    # diagonal has neither)
    curved = body[round(0.4 * height) : round(0.7 * height) + 1, width - side :].any()
    tail = body[round(0.65 * height) :, : max(1, width // 2)].any()
    round_foot = FIVE_FOOT[0] * width <= widest_row(body[round(0.85 * height) :]) < FIVE_FOOT[1] * width
    return bool(open_left and curved and tail and round_foot)
