"""Turn a text PDF into an image-only scan: 200 dpi gray, rotation, blur, noise, contrast, JPEG, A4 pages.

A page printed turned (its /Rotate, or its content drawn turned) renders, and so is scanned, turned.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageEnhance, ImageFilter

DPI = 200
BLUR = 0.6
NOISE = 7.0
JPEG_QUALITY = 75
FIXED_DATE = time.gmtime(1_767_225_600)  # fixed PDF dates: same seed, same bytes


def degrade(
    img: Image.Image, angle: float, contrast: float, brightness: float, noise_seed: int
) -> Image.Image:
    """One page: rotate (bicubic, white fill), blur, Gaussian noise, contrast and brightness."""
    out = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    out = out.filter(ImageFilter.GaussianBlur(BLUR))
    arr = np.asarray(out, dtype=np.float32)
    arr = arr + np.random.default_rng(noise_seed).normal(0.0, NOISE, arr.shape).astype(np.float32)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), mode="L")
    out = ImageEnhance.Contrast(out).enhance(contrast)
    return ImageEnhance.Brightness(out).enhance(brightness)


def scan_pdf(src: Path, dst: Path, rng: random.Random, made_from: str) -> dict[str, Any]:
    """Write an image-only scan of src to dst; return the truth's `scan` key."""
    angles, contrasts, brights = [], [], []
    pages: list[Image.Image] = []
    pdf = pdfium.PdfDocument(src)
    try:
        for page in pdf:
            img = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
            page.close()
            angle = round(rng.choice((-1, 1)) * rng.uniform(0.3, 1.2), 2)
            contrast = round(rng.uniform(0.85, 1.10), 2)
            bright = round(rng.uniform(0.95, 1.03), 2)
            pages.append(degrade(img, angle, contrast, bright, rng.getrandbits(63)))
            angles.append(angle)
            contrasts.append(contrast)
            brights.append(bright)
    finally:
        pdf.close()
    dst.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(
        dst,
        "PDF",
        save_all=True,
        append_images=pages[1:],
        resolution=float(DPI),
        quality=JPEG_QUALITY,
        creationDate=FIXED_DATE,
        modDate=FIXED_DATE,
        producer="samplegen",
    )
    return {
        "made_from": made_from,
        "dpi": DPI,
        "gray": True,
        "rotation_deg_per_page": angles,
        "blur": f"gaussian radius {BLUR} px",
        "noise": f"gaussian sigma {NOISE:g} (0-255 scale)",
        "contrast_per_page": contrasts,
        "brightness_per_page": brights,
        "stamp": None,
        "jpeg_quality": JPEG_QUALITY,
        "text_layer": False,
    }
