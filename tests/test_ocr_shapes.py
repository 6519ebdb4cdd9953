"""The shape of a printed 0 settles what tesseract's digit model reads as "10"."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.cell_readings import Reading, plausible
from pipeline.scan_cells import cell_crop, is_zero

FONTS = [
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
]
SCALE = 200 / 72  # pixels per point at 200 dpi


def _crop(text: str, font: Path, size_px: int):  # type: ignore[no-untyped-def]
    """`text` printed in a 40 × 20 pt cell of a 200 dpi gray image, cropped as the OCR path does."""
    width, height = round(40 * SCALE), round(20 * SCALE)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(str(font), size_px)
    draw.text((width / 2, height / 2), text, font=face, fill=0, anchor="mm")
    return cell_crop(np.asarray(image), (0.0, 0.0, 40.0, 20.0), SCALE, (0, 0))


@pytest.mark.parametrize("font", [f for f in FONTS if f.exists()], ids=lambda f: f.stem)
@pytest.mark.parametrize("size_px", [24, 30, 36])  # 9 to 13 pt print at 200 dpi
def test_a_zero_is_known_by_its_shape(font: Path, size_px: int) -> None:
    assert is_zero(_crop("0", font, size_px))
    for other in ("6", "8", "9", "4", "1", "10", "口", "一"):
        assert not is_zero(_crop(other, font, size_px)), other


@pytest.mark.parametrize("font", [f for f in FONTS if f.exists()], ids=lambda f: f.stem)
def test_one_glyph_is_never_read_as_two_digits(font: Path) -> None:
    crop = _crop("0", font, 24)
    assert not plausible("10", crop)
    assert plausible("0", crop)
    assert plausible("10", _crop("10", font, 24))
    assert Reading("0", 0.9).text == "0"
