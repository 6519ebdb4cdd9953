"""The outside programs that print a report, each started as a subprocess with a timeout.

chromium     headless Chromium's print-to-PDF of the report's HTML (Skia PDF backend)
weasyprint   WeasyPrint's command line on the same HTML
libreoffice  `soffice --headless --convert-to pdf` of a DOCX written with python-docx
gs           ghostscript `pdfwrite` re-distill of what another producer printed
reportlab    the generator's own canvas (render.py), no outside program

None of them is downloaded: Chromium, LibreOffice and ghostscript are Debian packages
(scripts/system-deps.sh --producers), WeasyPrint and python-docx are pip packages of the project.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

PRODUCERS = ("reportlab", "chromium", "weasyprint", "libreoffice", "gs")
CHROMIUM = "chromium"
SOFFICE = "soffice"
GS = "gs"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-pdf-header-footer",  # no date, title or URL printed in the page margins
)
TIMEOUT_S = 180
CRASH_RETRIES = 1  # runs more of a program killed by a signal
# ghostscript dates its output with the clock unless told otherwise (Debian's gs honours this)
FIXED_EPOCH = "1767225600"  # 2026-01-01


class ProducerError(RuntimeError):
    """A producer program failed or printed nothing."""


def missing(name: str) -> str | None:
    """Why producer `name` cannot run on this machine, or None when it can."""
    if name == "reportlab":
        return None
    if name == "chromium":
        return (
            None
            if shutil.which(CHROMIUM)
            else "chromium is not installed (scripts/system-deps.sh --producers)"
        )
    if name == "weasyprint":
        return (
            None
            if importlib.util.find_spec("weasyprint")
            else "weasyprint is not installed (pip install -e .)"
        )
    if name == "libreoffice":
        if not shutil.which(SOFFICE):
            return "LibreOffice is not installed (scripts/system-deps.sh --producers)"
        return None if importlib.util.find_spec("docx") else "python-docx is not installed (pip install -e .)"
    if name == "gs":
        return (
            None if shutil.which(GS) else "ghostscript is not installed (scripts/system-deps.sh --producers)"
        )
    return f"unknown producer {name!r}; choose from {', '.join(PRODUCERS)}"


def _run(cmd: list[str], what: str, out: Path, env: dict[str, str] | None = None) -> None:
    """Run one program; one killed by a signal (WeasyPrint has segfaulted on an input it prints fine the
    next time) is run once more, the same input giving the same output."""
    for attempt in range(1 + CRASH_RETRIES):
        out.unlink(missing_ok=True)
        try:
            done = subprocess.run(
                cmd, capture_output=True, text=True, timeout=TIMEOUT_S, env=env, check=False
            )
        except subprocess.TimeoutExpired as e:
            raise ProducerError(f"{what} did not finish within {TIMEOUT_S}s: {' '.join(cmd)}") from e
        if done.returncode >= 0 or attempt == CRASH_RETRIES:
            break
    if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise ProducerError(f"{what} failed (exit {done.returncode}) making {out.name}: {' | '.join(tail)}")


def chromium_pdf(html: Path, pdf: Path, profile: Path) -> None:
    """Print `html` the way a browser's print-to-PDF does; page size and margins come from its @page."""
    cmd = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", html.as_uri()]
    _run(cmd, "chromium --print-to-pdf", pdf)


def weasyprint_pdf(html: Path, pdf: Path) -> None:
    _run([sys.executable, "-m", "weasyprint", "--quiet", str(html), str(pdf)], "weasyprint", pdf)


def libreoffice_pdf(docx: Path, pdf: Path, profile: Path) -> None:
    """Convert with a private LibreOffice profile (a shared one would make parallel runs wait on a lock)."""
    cmd = [
        SOFFICE,
        "--headless",
        "--norestore",
        "--nologo",
        "--nolockcheck",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(pdf.parent),
        str(docx),
    ]
    made = pdf.parent / f"{docx.stem}.pdf"
    _run(cmd, "soffice --convert-to pdf", made)
    if made != pdf:
        made.replace(pdf)


def gs_redistill(src: Path, dst: Path, settings: str) -> None:
    """Re-distill a PDF through ghostscript's pdfwrite, as print-to-PDF drivers and optimisers do."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    cmd = [
        GS,
        "-q",
        "-dNOPAUSE",
        "-dBATCH",
        "-dSAFER",
        "-sDEVICE=pdfwrite",
        f"-dPDFSETTINGS=/{settings}",
        f"-sOutputFile={dst}",
        str(src),
    ]
    _run(cmd, "gs pdfwrite", dst, env)


LOOK_DPI = 72  # pages compared at this resolution …
LOOK_BANDS = 24  # … in this many bands of the page's height …
LOOK_MIN_INK = 60  # … those with this many ink pixels of the two pages …
LOOK_MISMATCH = 0.015  # … alike while this share of their ink has no ink of the other beside it


def looks_alike(src: Path, dst: Path) -> bool:
    """Whether every page of `dst` looks like the same page of `src`: in every band of the page,
    less than LOOK_MISMATCH of the ink of both lies more than a pixel away from ink of the other.
    By band, because a swapped font may draw only a title (measured on 20 reportlab prints: re-distills
    that keep their glyphs 0 to 0.001 in their worst band; those that swap a font's glyphs 0.08 to
    0.27, of which three only in the title band, 0.008 to 0.019 of the whole page)."""
    import cv2
    import numpy as np
    import pypdfium2 as pdfium

    near = np.ones((3, 3), np.uint8)
    with pdfium.PdfDocument(src) as a, pdfium.PdfDocument(dst) as b:
        if len(a) != len(b):
            return False
        for i in range(len(a)):
            x, y = (_ink(doc[i].render(scale=LOOK_DPI / 72, grayscale=True).to_numpy()) for doc in (a, b))
            if x.shape != y.shape:
                return False
            stray = (x & (1 - cv2.dilate(y, near))) + (y & (1 - cv2.dilate(x, near)))
            step = max(1, x.shape[0] // LOOK_BANDS)
            for top in range(0, x.shape[0], step):
                ink = int(x[top : top + step].sum() + y[top : top + step].sum())
                if ink >= LOOK_MIN_INK and int(stray[top : top + step].sum()) >= LOOK_MISMATCH * ink:
                    return False
    return True


def _ink(image: Any) -> Any:
    import numpy as np

    gray = image if image.ndim == 2 else image[..., 0]
    return (gray < 160).astype(np.uint8)
