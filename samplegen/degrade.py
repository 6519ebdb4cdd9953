"""Scan degradations of real archives, one pure function per class: a clean page image (the text PDF
rendered at the class's dpi) and the page's drawn parameters in, the degraded page out.

Each class has a `<class>_params` that draws a page's parameters from a seeded `random.Random` (plain
numbers, written to the truth's `scan.pages`; the pixel noise is drawn from a `seed` among them) and
the function that applies them. The same parameters give the same pixels. The faint rules and the
seals are in faint.py and seal.py; scan.py chooses, applies and saves them.

  mild       the corpus's scans: 200 dpi gray, a tilt of ±0.3-1.2°, blur, noise, contrast
  lowres     150 dpi colour, blur, noise, a tinted paper; saved as JPEG of quality 40-60
  photocopy  300 dpi bilevel: thresholded, toner patches (stippled), specks, drop-out streaks and holes
  phone      a phone photo: 2-4° tilt, keystone (top edge narrower), desk around the page, uneven light
             and a shadow at one side, warm paper, blur, noise (colour JPEG)
  turned     mild, and some pages turned 90, 180 or 270° clockwise (the image turned, its size swapped)
"""

from __future__ import annotations

import math
import random
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageEnhance, ImageFilter

Params = dict[str, Any]
Floats = npt.NDArray[np.float32]

MILD_BLUR = 0.6
MILD_NOISE = 7.0
TURNS = (90, 180, 270)  # clockwise, as displayed (the meaning of a page's /Rotate, pageturn.py)
_TRANSPOSE = {
    90: Image.Transpose.ROTATE_270,  # PIL's ROTATE_n turn counter-clockwise
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


def _signed(rng: random.Random, low: float, high: float) -> float:
    return round(rng.choice((-1, 1)) * rng.uniform(low, high), 2)


def _u8(a: npt.NDArray[Any]) -> npt.NDArray[np.uint8]:
    return np.clip(np.rint(a), 0, 255).astype(np.uint8)


def _noise(shape: tuple[int, ...], sigma: float, seed: int) -> Floats:
    return np.random.default_rng(seed).normal(0.0, sigma, shape).astype(np.float32)


def _tilted(img: Image.Image, degrees: float, blur: float) -> Floats:
    """The page in gray, turned `degrees` counter-clockwise (white corners), blurred."""
    out = img.convert("L").rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return np.asarray(out.filter(ImageFilter.GaussianBlur(blur)), dtype=np.float32)


# --- mild (the corpus's scans; scan.py draws its parameters as it always did) -----------------------


def mild(img: Image.Image, angle: float, contrast: float, brightness: float, noise_seed: int) -> Image.Image:
    """One page: rotate (bicubic, white fill), blur, Gaussian noise, contrast and brightness."""
    out = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    out = out.filter(ImageFilter.GaussianBlur(MILD_BLUR))
    arr = np.asarray(out, dtype=np.float32)
    arr = arr + np.random.default_rng(noise_seed).normal(0.0, MILD_NOISE, arr.shape).astype(np.float32)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), mode="L")
    out = ImageEnhance.Contrast(out).enhance(contrast)
    return ImageEnhance.Brightness(out).enhance(brightness)


def mild_params(rng: random.Random) -> Params:
    return {
        "tilt_deg": _signed(rng, 0.3, 1.2),
        "contrast": round(rng.uniform(0.85, 1.10), 2),
        "brightness": round(rng.uniform(0.95, 1.03), 2),
        "seed": rng.getrandbits(63),
    }


# --- lowres ------------------------------------------------------------------------------------------


def lowres_params(rng: random.Random) -> Params:
    return {
        "tilt_deg": _signed(rng, 0.2, 1.0),
        "blur_px": round(rng.uniform(0.5, 0.8), 2),
        "noise_sigma": round(rng.uniform(3.0, 6.0), 1),
        "paper_rgb": [rng.randint(246, 255), rng.randint(242, 252), rng.randint(230, 246)],
        "seed": rng.getrandbits(63),
    }


def lowres(img: Image.Image, p: Params) -> Image.Image:
    """A cheap colour flatbed scan at 150 dpi: tilt, blur, a tinted paper, noise in each channel (the
    JPEG of low quality that scan.py saves it as adds the blocks and the chroma smear)."""
    gray = _tilted(img, p["tilt_deg"], p["blur_px"])
    rgb = gray[:, :, None] * (np.asarray(p["paper_rgb"], np.float32) / 255.0)
    return Image.fromarray(_u8(rgb + _noise(rgb.shape, p["noise_sigma"], p["seed"])), mode="RGB")


# --- photocopy ---------------------------------------------------------------------------------------


def photocopy_params(rng: random.Random, size: tuple[int, int]) -> Params:
    w, h = size
    patches = [
        {
            "x": rng.randrange(w),
            "y": rng.randrange(h),
            "rx": rng.randint(w // 14, w // 5),
            "ry": rng.randint(h // 20, h // 7),
            "depth": rng.randint(40, 75),
        }
        for _ in range(rng.randint(1, 3))
    ]
    streaks = []
    for _ in range(rng.randint(1, 3)):
        axis = rng.choice(("vertical", "vertical", "horizontal"))  # the paper's feed leaves vertical ones
        span = w if axis == "vertical" else h
        start = rng.uniform(0.0, 0.5)
        streaks.append(
            {
                "axis": axis,
                "at": rng.randrange(span),
                "width": rng.randint(1, 3),
                "from": round(start, 3),
                "to": round(min(1.0, start + rng.uniform(0.3, 1.0)), 3),
            }
        )
    edge = None
    if rng.random() < 0.4:  # the copier's lid: a black band where the sheet did not cover the glass
        edge = {"side": rng.choice(("left", "right", "top", "bottom")), "width": rng.randint(8, 40)}
    return {
        "tilt_deg": _signed(rng, 0.2, 1.2),
        "blur_px": 0.7,
        "threshold": rng.randint(140, 170),
        "patches": patches,
        "speckles": rng.randint(400, 1200),
        "speckle_px": [1, 3],
        "dropout_share": round(rng.uniform(0.01, 0.04), 3),
        "streaks": streaks,
        "edge": edge,
        "seed": rng.getrandbits(63),
    }


def photocopy(img: Image.Image, p: Params) -> Image.Image:
    """A photocopy scanned bilevel at 300 dpi: gray toner patches stippled by the threshold, ink knocked
    out in small holes (broken strokes) and along white streaks (drop-out), isolated dark specks of
    1-3 px, sometimes a black band at one edge. Mode "1": every pixel 0 or 255."""
    a = _tilted(img, p["tilt_deg"], p["blur_px"])
    h, w = a.shape
    rng = np.random.default_rng(p["seed"])
    for patch in p["patches"]:  # toner: darker in the middle, grainy
        x0, x1 = max(0, patch["x"] - 2 * patch["rx"]), min(w, patch["x"] + 2 * patch["rx"])
        y0, y1 = max(0, patch["y"] - 2 * patch["ry"]), min(h, patch["y"] + 2 * patch["ry"])
        ys, xs = np.ogrid[y0:y1, x0:x1]
        d2 = ((xs - patch["x"]) / patch["rx"]) ** 2 + ((ys - patch["y"]) / patch["ry"]) ** 2
        field = (patch["depth"] * np.exp(-d2)).astype(np.float32)
        a[y0:y1, x0:x1] -= field * rng.exponential(1.0, field.shape).astype(np.float32)
    ink = a < p["threshold"]
    holes = rng.random((h // 3 + 1, w // 3 + 1)) < p["dropout_share"]  # 3 px holes: broken strokes
    ink &= ~np.repeat(np.repeat(holes, 3, axis=0), 3, axis=1)[:h, :w]
    for s in p["streaks"]:
        if s["axis"] == "vertical":
            ink[int(s["from"] * h) : int(s["to"] * h), s["at"] : s["at"] + s["width"]] = False
        else:
            ink[s["at"] : s["at"] + s["width"], int(s["from"] * w) : int(s["to"] * w)] = False
    low, high = p["speckle_px"]
    ys = rng.integers(0, h - high, p["speckles"])
    xs = rng.integers(0, w - high, p["speckles"])
    sizes = rng.integers(low, high + 1, p["speckles"])
    for y, x, s in zip(ys.tolist(), xs.tolist(), sizes.tolist(), strict=True):
        ink[y : y + s, x : x + s] = True
    if p["edge"]:
        _edge_band(ink, p["edge"], rng)
    return Image.fromarray(~ink)  # a bool array: mode "1"


def _edge_band(ink: npt.NDArray[np.bool_], edge: Params, rng: np.random.Generator) -> None:
    """A black band along one side whose inner edge wanders by a few pixels."""
    side, width = edge["side"], edge["width"]
    view = ink if side in ("left", "right") else ink.T
    if side in ("right", "bottom"):
        view = view[:, ::-1]
    depth = width + np.cumsum(rng.integers(-1, 2, view.shape[0])).clip(-width // 2, width // 2)
    cols = np.arange(view.shape[1])[None, :]
    view |= cols < depth[:, None]


# --- phone -------------------------------------------------------------------------------------------


def phone_params(rng: random.Random, size: tuple[int, int]) -> Params:
    w, h = size
    tilt, keystone, margin = (
        _signed(rng, 2.0, 4.0),
        round(rng.uniform(0.02, 0.05), 3),
        rng.uniform(0.02, 0.04),
    )
    return {
        "tilt_deg": tilt,
        "keystone": keystone,
        "corners": page_quad(w, h, tilt, keystone, margin),
        "desk_rgb": [rng.randint(90, 150), rng.randint(80, 130), rng.randint(60, 110)],
        "paper_rgb": [255, rng.randint(240, 248), rng.randint(220, 234)],
        "light_angle_deg": rng.randrange(360),
        "light_drop": round(rng.uniform(0.10, 0.22), 3),
        "vignette": round(rng.uniform(0.08, 0.16), 3),
        "shadow_side": rng.choice(("left", "right", "top", "bottom")),
        "shadow_width": round(rng.uniform(0.08, 0.22), 3),
        "shadow_depth": round(rng.uniform(0.25, 0.40), 3),
        "blur_px": round(rng.uniform(0.8, 1.2), 2),
        "noise_sigma": round(rng.uniform(3.0, 5.0), 1),
        "seed": rng.getrandbits(63),
    }


def page_quad(w: int, h: int, tilt: float, keystone: float, margin: float) -> list[list[float]]:
    """Where the page's corners (top-left, top-right, bottom-right, bottom-left) land in the photo: the
    top edge `keystone` shorter than the bottom, turned `tilt` degrees counter-clockwise, scaled to
    leave `margin` of desk around it."""
    quad = [(-(1 - keystone), -1.0), (1 - keystone, -1.0), (1.0, 1.0), (-1.0, 1.0)]
    a = math.radians(tilt)
    turned = [
        (
            x * w / 2 * math.cos(a) + y * h / 2 * math.sin(a),
            -x * w / 2 * math.sin(a) + y * h / 2 * math.cos(a),
        )
        for x, y in quad
    ]
    scale = min(
        (0.5 - margin) * w / max(abs(x) for x, _ in turned),
        (0.5 - margin) * h / max(abs(y) for _, y in turned),
    )
    return [[round(w / 2 + x * scale, 1), round(h / 2 + y * scale, 1)] for x, y in turned]


def phone(img: Image.Image, p: Params) -> Image.Image:
    """A phone photo of the page lying on a desk (RGB): the page a tilted trapezoid, light falling off
    across it and towards the corners, a soft shadow over one side, blur and sensor noise."""
    gray = np.asarray(img.convert("L"), dtype=np.float32)
    h, w = gray.shape
    page = gray[:, :, None] * (np.asarray(p["paper_rgb"], np.float32) / 255.0)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, np.array(p["corners"], dtype=np.float32))
    photo = cv2.warpPerspective(page, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0))
    cover = cv2.warpPerspective(np.ones((h, w), np.float32), matrix, (w, h), flags=cv2.INTER_LINEAR)
    rng = np.random.default_rng(p["seed"])
    grain = cv2.resize(rng.normal(0, 8, (h // 16, w // 16)).astype(np.float32), (w, h))
    desk = np.asarray(p["desk_rgb"], np.float32)[None, None, :] + grain[:, :, None]
    photo = photo + desk * (1.0 - cover)[:, :, None]
    ys, xs = np.ogrid[0:h, 0:w]
    u, v = xs / w - 0.5, ys / h - 0.5
    a = math.radians(p["light_angle_deg"])
    along = np.clip(u * math.cos(a) + v * math.sin(a) + 0.5, 0.0, 1.0)
    light = (1.0 - p["light_drop"] * along) * (1.0 - p["vignette"] * (u * u + v * v) * 2.0)
    side = {"left": -u, "right": u, "top": -v, "bottom": v}[p["shadow_side"]] + 0.5  # 0..1 away from it
    inside = 1.0 / (1.0 + np.exp((side - (1.0 - p["shadow_width"])) / -0.015))
    light = light * (1.0 - p["shadow_depth"] * inside)
    photo = photo * light.astype(np.float32)[:, :, None]
    photo = cv2.GaussianBlur(photo, (0, 0), p["blur_px"])
    photo = photo + rng.normal(0, p["noise_sigma"], photo.shape).astype(np.float32)
    return Image.fromarray(_u8(photo), mode="RGB")


# --- turned ------------------------------------------------------------------------------------------


def turned_pages(rng: random.Random, n_pages: int) -> list[int]:
    """The clockwise turn of each page: about a third of the pages turned (at least one), never all of a
    report of two pages or more."""
    turns = [rng.choice(TURNS) if rng.random() < 0.35 else 0 for _ in range(n_pages)]
    if not any(turns):
        turns[rng.randrange(n_pages)] = rng.choice(TURNS)
    if n_pages > 1 and all(turns):
        turns[rng.randrange(n_pages)] = 0
    return turns


def turned(img: Image.Image, p: Params) -> Image.Image:
    """A mild scan of the page turned `turn_deg` clockwise (90 and 270: width and height swapped)."""
    out = mild(img.convert("L"), p["tilt_deg"], p["contrast"], p["brightness"], p["seed"])
    return out.transpose(_TRANSPOSE[p["turn_deg"]]) if p["turn_deg"] else out
