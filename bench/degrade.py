"""Scans worse than the corpus's: re-render text PDFs as poor copier scans (seeded).

The corpus scans are 200 dpi with ±0.3-1.2° tilt, 0.6 px blur, σ=7 noise, JPEG 75. Real
archives hold worse; this makes a harder set from the text originals (their truth applies):
150 dpi, ±1-2.5° tilt, 0.9 px blur, σ=12 noise, uneven lighting, JPEG 50.

    python -m bench.degrade SRC_DIR OUT_DIR
"""

from __future__ import annotations

import argparse
import io
import random
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

DPI = 150


def degrade_page(gray: Image.Image, rng: random.Random) -> Image.Image:
    angle = rng.choice((-1, 1)) * rng.uniform(1.0, 2.5)
    img = gray.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(0.9))
    a = np.asarray(img, dtype=np.float32)
    w = a.shape[1]
    light = np.linspace(rng.uniform(0.85, 0.95), 1.0, w, dtype=np.float32)[None, :]  # a darker edge
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    a = a * light + nrng.normal(0, 12, a.shape).astype(np.float32)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=50)
    return Image.open(io.BytesIO(buf.getvalue()))


def degrade_pdf(src: Path, out: Path, seed: int) -> None:
    rng = random.Random(f"{seed}:{src.name}")
    doc = pdfium.PdfDocument(str(src))
    try:
        pages = [
            degrade_page(doc[i].render(scale=DPI / 72, grayscale=True).to_pil().convert("L"), rng)
            for i in range(len(doc))
        ]
    finally:
        doc.close()
    pages[0].save(out, save_all=True, append_images=pages[1:], resolution=DPI)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for pdf in sorted(args.src.glob("*.pdf")):
        degrade_pdf(pdf, args.out / f"{pdf.stem}_hard.pdf", args.seed)


if __name__ == "__main__":
    main()
