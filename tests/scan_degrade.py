"""Real corpus scans made worse one way at a time, as archives hold them (seeded, numpy/OpenCV).

Each degradation takes a page image at 200 dpi (the corpus scans' own resolution) and returns
the image a worse scanner, copier or phone would have stored, and its resolution:

- `lowres`: 150 dpi, a soft lens, noise, JPEG quality 35 (a cheap scanner's archive setting);
- `photocopy`: 300 dpi bilevel (a copier's threshold), speckle, white drop-out streaks;
- `phone`: a photograph: 2-4° tilt, keystone (the top of the sheet farther from the lens),
  uneven light, a little blur and noise, JPEG;
- `faint`: rules printed gray 223-228 on paper 252, broken by gaps of 3-12 px;
- `seal`: a red seal (ring, star, arc of text) multiplied over the first table;
- `turned`: the page image stored turned a quarter turn.

Used by tests/test_scan_degradations.py on one page, and as a measurement over all the corpus
scans:

    python -m tests.scan_degrade [--kinds lowres,photocopy] [--jobs 2] [--only GLOB]

prints, per degradation, the table cells read right of the truth's and how many misses are
flagged (../shared/eval/score.py).
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SOURCE_DPI = 200

Gray = npt.NDArray[np.uint8]
Degraded = tuple[Image.Image, float]  # the stored image and its resolution


def page_images(path: Path, pages: list[int] | None = None) -> list[Gray]:
    """The pages of a scan as 200 dpi gray arrays (1-based `pages`, default all)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        numbers = pages or list(range(1, len(doc) + 1))
        out = []
        for n in numbers:
            page = doc[n - 1]
            bitmap = page.render(scale=SOURCE_DPI / 72, grayscale=True)
            array = bitmap.to_numpy()
            out.append(np.array(array if array.ndim == 2 else array[:, :, 0], dtype=np.uint8))
            bitmap.close()
            page.close()
        return out
    finally:
        doc.close()


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    import io

    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert(image.mode)


def lowres(gray: Gray, rng: np.random.Generator, dpi: float = 150, quality: int = 35) -> Degraded:
    """A cheap scanner's archive setting: 150 dpi, a soft lens, sensor noise, JPEG quality 35."""
    f = dpi / SOURCE_DPI
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    soft = cv2.GaussianBlur(small.astype(np.float32), (0, 0), 0.6) + rng.normal(0, 6, small.shape).astype(
        np.float32
    )
    return _jpeg(Image.fromarray(np.clip(soft, 0, 255).astype(np.uint8)), quality), dpi


def rule_masks(gray: Gray, length_px: int = 60) -> tuple[Gray, Gray]:
    """Where the page's long straight rules are (dark runs longer than `length_px`), horizontal
    and vertical apart."""
    ink = (gray < 170).astype(np.uint8) * 255
    h = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length_px, 1)))
    v = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length_px)))
    return h, v  # type: ignore[return-value]


def rule_mask(gray: Gray, length_px: int = 60) -> Gray:
    return cv2.bitwise_or(*rule_masks(gray, length_px))  # type: ignore[return-value]


def speckle(ink: npt.NDArray[np.bool_], rng: np.random.Generator, per_mpx: float, max_r: int) -> None:
    """Black specks (toner dust), 1 to `max_r` pixels across, `per_mpx` per million pixels."""
    h, w = ink.shape
    n = int(per_mpx * h * w / 1e6)
    ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
    radii = rng.integers(0, max_r + 1, n)
    dots = np.zeros((h, w), np.uint8)
    for y, x, r in zip(ys, xs, radii, strict=True):
        if r == 0:
            dots[y, x] = 1
        else:
            cv2.circle(dots, (int(x), int(y)), int(r), 1, -1)
    ink |= dots.astype(bool)


def photocopy(
    gray: Gray,
    rng: np.random.Generator,
    dpi: float = 300,
    threshold: int = 150,
    specks_per_mpx: float = 1500.0,
    streaks: int = 3,
) -> Degraded:
    """A copy of a copy: 300 dpi, black or white only at a copier's fixed threshold (the toner
    noise before it makes ragged strokes and stray dots), toner specks, and white streaks where
    the drum dropped out, across rules and characters alike."""
    f = dpi / SOURCE_DPI
    big = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC).astype(np.float32)
    big += rng.normal(0, 25, big.shape).astype(np.float32)
    ink = big < threshold
    speckle(ink, rng, specks_per_mpx, 1)
    h, w = ink.shape
    for _ in range(streaks):  # across the paper's travel: 2-3 px wide
        y, width = int(rng.integers(0, h)), int(rng.integers(2, 4))
        ink[y : y + width, :] = False
    for _ in range(max(1, streaks // 2)):
        x, width = int(rng.integers(0, w)), int(rng.integers(2, 4))
        ink[:, x : x + width] = False
    return Image.fromarray(np.where(ink, 0, 255).astype(np.uint8)).convert("1"), dpi


def phone(
    gray: Gray,
    rng: np.random.Generator,
    tilt: float | None = None,
    keystone: float = 0.07,
    quality: int = 70,
) -> Degraded:
    """A photograph of the sheet: turned 2-4°, its top edge `keystone` narrower than its bottom
    (the camera leaned back), light falling off across the sheet, a slight blur, noise, JPEG."""
    h, w = gray.shape
    angle = tilt if tilt is not None else float(rng.choice((-1, 1)) * rng.uniform(2.0, 4.0))
    inset = keystone * w / 2
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[inset, 0.02 * h], [w - inset, 0.02 * h], [w, h], [0, h]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    turn = np.vstack([cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0), [0, 0, 1]])
    warped = cv2.warpPerspective(
        gray, turn @ matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=150
    )
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    light = 1.0 - 0.28 * ((xx - cx) ** 2 + (yy - cy) ** 2) / (w**2 + h**2)  # vignette, off centre
    light *= np.linspace(rng.uniform(0.8, 0.9), 1.0, w, dtype=np.float32)[None, :]  # one side darker
    out = cv2.GaussianBlur(warped.astype(np.float32), (0, 0), 0.9) * light
    out += rng.normal(0, 5, out.shape).astype(np.float32)
    return _jpeg(Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)), quality), SOURCE_DPI


def faint(
    gray: Gray, rng: np.random.Generator, paper: int = 252, rule: tuple[int, int] = (223, 228)
) -> Degraded:
    """Hairline rules: every long rule lightened to gray 223-228 on paper 252 (text stays dark),
    broken every 15-60 px by a gap of 3-12 px."""
    out = np.clip(gray.astype(np.int16) + (paper - int(np.median(gray))), 0, 255).astype(np.uint8)
    rules = rule_mask(gray)
    halo = cv2.dilate(rules, np.ones((5, 5), np.uint8)) > 0
    text = (gray < 200) & ~halo
    tone = rng.integers(rule[0], rule[1] + 1, gray.shape).astype(np.uint8)
    out[halo] = np.maximum(out[halo], tone[halo])
    out[rules > 0] = tone[rules > 0]
    out[text] = gray[text]  # characters touching a rule keep their ink
    gaps = np.zeros(gray.shape, bool)
    for horizontal, mask in zip((True, False), rule_masks(gray), strict=True):
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for k in range(1, n):  # each rule on its own, cut across every 15-60 px
            x, y, w, h, _ = (int(v) for v in stats[k])
            length = w if horizontal else h
            at = int(rng.integers(5, 40))
            while at < length:
                gap = int(rng.integers(3, 13))
                if horizontal:
                    gaps[max(0, y - 3) : y + h + 3, x + at : x + at + gap] = True
                else:
                    gaps[y + at : y + at + gap, max(0, x - 3) : x + w + 3] = True
                at += gap + int(rng.integers(15, 61))
    gaps &= halo & ~text
    out[gaps] = paper - rng.integers(0, 3, int(gaps.sum())).astype(np.uint8)
    return Image.fromarray(out), SOURCE_DPI


def _table_centre(gray: Gray) -> tuple[int, int]:
    rules = rule_mask(gray, 200)
    ys, xs = np.nonzero(rules)
    if len(ys) == 0:
        return gray.shape[1] // 2, gray.shape[0] // 2
    return int(np.median(xs)), int(np.median(ys))


def seal(gray: Gray, rng: np.random.Generator, radius_mm: float = 21.0) -> Degraded:
    """A round red seal multiplied over the page's tables: a ring, a star, an arc of strokes."""
    r = int(radius_mm / 25.4 * SOURCE_DPI)
    cx, cy = _table_centre(gray)
    cx += int(rng.integers(-r // 2, r // 2))
    ink = np.zeros(gray.shape, np.uint8)
    cv2.circle(ink, (cx, cy), r, 255, max(6, r // 18))
    star = [
        (
            cx + (r * (0.35 if k % 2 == 0 else 0.14)) * math.sin(math.pi * k / 5),
            cy - (r * (0.35 if k % 2 == 0 else 0.14)) * math.cos(math.pi * k / 5),
        )
        for k in range(10)
    ]
    cv2.fillPoly(ink, [np.array(star, np.int32)], 255)
    for k in range(14):  # the office's name around the ring: short strokes, like characters
        a = math.radians(200 + 140 * k / 13)
        px, py = cx + 0.75 * r * math.cos(a), cy + 0.75 * r * math.sin(a)
        for _ in range(4):
            dx, dy = rng.integers(-12, 13, 2)
            cv2.line(ink, (int(px), int(py)), (int(px + dx), int(py + dy)), 255, 3)
    alpha = cv2.GaussianBlur(ink, (0, 0), 1.0).astype(np.float32) / 255 * 0.85
    page = np.repeat(gray[:, :, None].astype(np.float32), 3, axis=2)
    red = np.array([225, 35, 40], np.float32)  # RGB
    out = page * (1 - alpha[:, :, None] + alpha[:, :, None] * red / 255)
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB"), SOURCE_DPI


def turned(gray: Gray, rng: np.random.Generator, quarter: int | None = None) -> Degraded:
    """The page stored a quarter turn (or half turn) off: 90°, 180° or 270° counter-clockwise."""
    k = quarter if quarter is not None else int(rng.choice((1, 2, 3)))
    return Image.fromarray(np.ascontiguousarray(np.rot90(gray, k))), SOURCE_DPI


KINDS: dict[str, Callable[[Gray, np.random.Generator], Degraded]] = {
    "lowres": lowres,
    "photocopy": photocopy,
    "phone": phone,
    "faint": faint,
    "seal": seal,
    "turned": turned,
}


def save_pdf(images: list[Degraded], dst: Path) -> Path:
    """Image-only PDF, one page per image at its own resolution."""
    first, dpi = images[0]
    # bilevel pages are stored CCITT G4 (lossless); others as JPEG, a second light pass
    jpeg = {} if first.mode == "1" else {"quality": 90}
    first.save(
        dst, "PDF", save_all=True, append_images=[im for im, _ in images[1:]], resolution=float(dpi), **jpeg
    )
    return dst


def degrade_pdf(src: Path, dst: Path, kind: str, seed: int = 13, pages: list[int] | None = None) -> Path:
    rng = np.random.default_rng([seed, sum(src.name.encode())])
    return save_pdf([KINDS[kind](g, rng) for g in page_images(src, pages)], dst)


# --- measurement over the corpus scans ---------------------------------------------------------


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _process(pdf: str, kind: str) -> tuple[str, object, float]:
    """One degraded file read; its CPU seconds with tesseract's."""
    from pipeline import process_file

    start = _cpu()
    result = process_file(Path(pdf))
    return kind, result, _cpu() - start


MEASURES = ("cell", "flagged", "heading", "appendix")


def measure(kinds: list[str], only: str = "*", jobs: int = 2, seed: int = 13) -> dict[str, dict[str, object]]:
    from pipeline.store.parts import write_results

    from .conftest import load_scorer

    work = Path(tempfile.mkdtemp(prefix="scan-degrade-"))
    scans = sorted((CORPUS / "scan").glob(f"{only}.pdf"))
    truth = work / "truth"
    truth.mkdir()
    for s in scans:
        shutil.copy(CORPUS / "truth" / f"{s.stem}.json", truth)
    todo = []
    for kind in kinds:
        (work / kind).mkdir()
        for s in scans:
            todo.append((str(degrade_pdf(s, work / kind / s.name, kind, seed)), kind))
    results: dict[str, list[object]] = {k: [] for k in kinds}
    cpu: dict[str, float] = dict.fromkeys(kinds, 0.0)
    with ProcessPoolExecutor(jobs) as pool:
        for kind, result, seconds in pool.map(_process, *zip(*todo, strict=True)):
            results[kind].append(result)
            cpu[kind] += seconds
    scorer = load_scorer()
    out: dict[str, dict[str, object]] = {}
    for kind in kinds:
        dataset = write_results(work / f"out-{kind}", results[kind])  # type: ignore[arg-type]
        scored = scorer.score(dataset, truth, verbose=True)
        summary = scored["summary"]
        pages = sum(len(r.pages) for r in results[kind])  # type: ignore[attr-defined]
        out[kind] = {
            **{m: (summary[m]["hits"], summary[m]["total"]) for m in MEASURES if m in summary},
            "pages": pages,
            "errors": sorted({e.error for r in results[kind] for e in r.errors}),  # type: ignore[attr-defined]
            "cell_misses": {
                d["file"]: sum(m.startswith("cell:") for m in d["misses"]) for d in scored["documents"]
            },
            "silent": [m for d in scored["documents"] for m in d["misses"] if m.startswith("flagged")],
            "cpu_s_per_page": round(cpu[kind] / max(1, pages), 2),
        }
    shutil.rmtree(work, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--only", default="*", help="scans to degrade, a glob on the name")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--keep", type=Path, help="write the degraded PDFs here and stop")
    args = ap.parse_args(argv)
    kinds = args.kinds.split(",")
    if args.keep:
        for kind in kinds:
            (args.keep / kind).mkdir(parents=True, exist_ok=True)
            for s in sorted((CORPUS / "scan").glob(f"{args.only}.pdf")):
                degrade_pdf(s, args.keep / kind / s.name, kind, args.seed)
        return
    for kind, row in measure(kinds, args.only, args.jobs, args.seed).items():
        print(kind, json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
