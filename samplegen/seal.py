"""The `seal` class: a colour scan with round official seals, red (sometimes blue), stamped over a
table on one page and over the closing office and date.

A seal is a ring, a five-pointed star, the office's name along the upper arc (real glyphs, turned to
face outwards) and sometimes a serial number under the star, inked unevenly and multiplied onto the
page the way seal ink lies on print: black print under it stays black.
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from samplegen.faint import table_boxes

Params = dict[str, Any]
Box = tuple[int, int, int, int]

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
MM = 1 / 25.4  # inches
RED = ((196, 232), (18, 52), (28, 64))
BLUE = ((26, 54), (58, 96), (160, 212))


def seal_spec(
    rng: random.Random, centre: tuple[float, float], dpi: float, text: str, over: str, blue: float
) -> Params:
    colour = "blue" if rng.random() < blue else "red"
    radius = round(rng.uniform(19.0, 22.5) * MM * dpi)
    return {
        "over": over,
        "x": round(centre[0]),
        "y": round(centre[1]),
        "radius_px": radius,
        "ring_px": max(3, round(rng.uniform(1.0, 1.5) * MM * dpi)),
        "colour": colour,
        "rgb": [rng.randint(*band) for band in (RED if colour == "red" else BLUE)],
        "opacity": round(rng.uniform(0.75, 0.92), 3),
        "turn_deg": round(rng.uniform(-25.0, 25.0), 1),
        "text": text,
        "serial": "".join(str(rng.randrange(10)) for _ in range(13)) if rng.random() < 0.5 else "",
        "seed": rng.getrandbits(63),
    }


def plan_seals(
    rng: random.Random,
    grays: list[npt.NDArray[np.uint8]],
    dpi: float,
    closing: tuple[int, Box] | None,
    text: str,
) -> list[list[Params]]:
    """The seals of each page: one over a table (a page with a ruled table drawn at random; blue one time
    in three), one over the closing office and date (else over the last lines of the last page)."""
    seals: list[list[Params]] = [[] for _ in grays]
    tables = [(i, box) for i, g in enumerate(grays) for box in table_boxes(g, dpi)]
    if tables:
        page, (x0, y0, x1, y1) = rng.choice(tables)
        w, h = x1 - x0, y1 - y0
        centre = (rng.uniform(x0 + 0.25 * w, x1 - 0.25 * w), rng.uniform(y0 + 0.2 * h, y1 - 0.2 * h))
        seals[page].append(seal_spec(rng, centre, dpi, text, "table", blue=1 / 3))
    if closing is not None:
        page, (x0, y0, x1, y1) = closing
        centre = ((x0 + x1) / 2 + rng.uniform(-0.2, 0.2) * (x1 - x0), (y0 + y1) / 2 + rng.uniform(-20, 20))
    else:
        page, centre = len(grays) - 1, _last_lines(grays[-1])
    seals[page].append(seal_spec(rng, centre, dpi, text, "closing", blue=0.1))
    return seals


def _last_lines(gray: npt.NDArray[np.uint8]) -> tuple[float, float]:
    """Right of the middle, on the lowest line of print above the page's foot (its folio)."""
    h, w = gray.shape
    rows = np.nonzero((gray[: int(h * 0.9)] < 128).sum(axis=1) > 3)[0]
    return 0.68 * w, float(rows[-1]) if len(rows) else 0.75 * h


def seal_params(rng: random.Random, seals: list[Params]) -> Params:
    return {
        "tilt_deg": round(rng.choice((-1, 1)) * rng.uniform(0.2, 0.9), 2),
        "blur_px": round(rng.uniform(0.5, 0.8), 2),
        "noise_sigma": round(rng.uniform(3.0, 5.0), 1),
        "paper_rgb": [rng.randint(248, 255), rng.randint(245, 252), rng.randint(236, 246)],
        "seals": seals,
        "seed": rng.getrandbits(63),
    }


def seal(img: Image.Image, p: Params) -> Image.Image:
    """A colour scan: tinted paper, the seals multiplied onto the print, tilt, blur, noise (RGB)."""
    gray = np.asarray(img.convert("L"), dtype=np.float32)
    page = gray[:, :, None] * (np.asarray(p["paper_rgb"], np.float32) / 255.0)
    for s in p["seals"]:
        stamp(page, s)
    paper = tuple(int(c) for c in p["paper_rgb"])
    out = Image.fromarray(np.clip(np.rint(page), 0, 255).astype(np.uint8), mode="RGB")
    out = out.rotate(p["tilt_deg"], resample=Image.Resampling.BICUBIC, fillcolor=paper)
    a = np.asarray(out.filter(ImageFilter.GaussianBlur(p["blur_px"])), dtype=np.float32)
    a = a + np.random.default_rng(p["seed"]).normal(0.0, p["noise_sigma"], a.shape).astype(np.float32)
    return Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8), mode="RGB")


def stamp(page: npt.NDArray[np.float32], s: Params) -> None:
    """Multiply one seal onto an RGB page (float, 0-255) in place."""
    alpha = seal_alpha(s)
    size = alpha.shape[0]
    x0, y0 = s["x"] - size // 2, s["y"] - size // 2
    h, w = page.shape[:2]
    cx0, cy0, cx1, cy1 = max(0, x0), max(0, y0), min(w, x0 + size), min(h, y0 + size)
    if cx0 >= cx1 or cy0 >= cy1:
        return
    a = alpha[cy0 - y0 : cy1 - y0, cx0 - x0 : cx1 - x0, None]
    ink = np.asarray(s["rgb"], np.float32)[None, None, :] / 255.0
    page[cy0:cy1, cx0:cx1] *= 1.0 - a * (1.0 - ink)


def seal_alpha(s: Params) -> npt.NDArray[np.float32]:
    """The seal's ink cover (0-1), square, centred: ring, star, arc text, serial; turned, inked unevenly."""
    r, ring = s["radius_px"], s["ring_px"]
    size = 2 * r + 8
    c = size / 2
    canvas = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((c - r, c - r, c + r, c + r), outline=255, width=ring)
    star = [
        (
            c + (0.3 if k % 2 == 0 else 0.115) * r * math.cos(math.radians(-90 + 36 * k)),
            c + (0.3 if k % 2 == 0 else 0.115) * r * math.sin(math.radians(-90 + 36 * k)),
        )
        for k in range(10)
    ]
    draw.polygon(star, fill=255)
    text = s["text"][:18]
    if text:
        span = min(250.0, max(150.0, 20.0 * len(text)))
        along = r - ring - 0.2 * r  # the glyphs' centres
        glyph = int(min(0.3 * r, 0.9 * 2 * math.pi * along * span / 360 / len(text)))
        font = ImageFont.truetype(str(FONT), glyph)
        for k, ch in enumerate(text):
            angle = -90 - span / 2 + span * (k + 0.5) / len(text)
            tile = Image.new("L", (glyph * 2, glyph * 2), 0)
            ImageDraw.Draw(tile).text((glyph, glyph), ch, fill=255, font=font, anchor="mm")
            tile = tile.rotate(-(angle + 90), resample=Image.Resampling.BICUBIC)
            x = c + along * math.cos(math.radians(angle)) - glyph
            y = c + along * math.sin(math.radians(angle)) - glyph
            canvas.paste(
                ImageChops.lighter(
                    canvas.crop((int(x), int(y), int(x) + 2 * glyph, int(y) + 2 * glyph)), tile
                ),
                (int(x), int(y)),
            )
    if s["serial"]:
        small = ImageFont.truetype(str(FONT), max(8, int(0.11 * r)))
        draw.text((c, c + 0.62 * r), s["serial"], fill=255, font=small, anchor="mm")
    canvas = canvas.rotate(s["turn_deg"], resample=Image.Resampling.BICUBIC)
    rng = np.random.default_rng(s["seed"])
    cells = max(2, size // 14)
    blots = cv2.resize(rng.uniform(0.0, 1.0, (cells, cells)).astype(np.float32), (size, size))
    grain = rng.uniform(0.8, 1.0, (size, size)).astype(np.float32)
    cover = np.asarray(canvas, dtype=np.float32) / 255.0
    return cover * s["opacity"] * np.clip(0.55 + 0.6 * blots, 0.0, 1.0) * grain
