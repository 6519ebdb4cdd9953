"""Option values the command line checks as it reads them: sizes, whole numbers, seconds."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

MAX_SCALE = 8.0  # review page images: 8 px per point is 576 dpi, far past legible
MAX_QUALITY = 95  # Pillow's JPEG quality above 95 only grows the file


def memory_mb(text: str) -> int:
    """'1536', '1536M', '1.5G' → MiB; 0 is "no limit", so a size that rounds down to 0 is refused."""
    value = text.strip().upper().removesuffix("B")
    scale = {"G": 1024, "M": 1, "K": 1 / 1024}.get(value[-1:])
    try:
        number = float(value[:-1]) if scale else float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a size such as 1536M or 1.5G (got {text!r})") from None
    mib = number * (scale or 1)
    if not math.isfinite(mib) or mib < 0 or (0 < mib < 1):
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or at least 1M (got {text!r})")
    return int(mib)


def whole(minimum: int) -> Callable[[str], int]:
    """An integer option of at least `minimum`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number (got {text!r})") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum} (got {text})")
        return value

    parse.__name__ = "whole number"
    return parse


def seconds(zero: bool) -> Callable[[str], float]:
    """A finite number of seconds, positive (or 0 too, where 0 has a documented meaning)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number of seconds (got {text!r})") from None
        if not math.isfinite(value) or value < 0 or (value == 0 and not zero):
            bound = "0 or more" if zero else "more than 0"
            raise argparse.ArgumentTypeError(f"must be a finite number, {bound} (got {text})")
        return value

    parse.__name__ = "seconds"
    return parse


def scale(text: str) -> float:
    value = seconds(zero=False)(text)
    if value > MAX_SCALE:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_SCALE:g} (got {text})")
    return value


def quality(text: str) -> int:
    value = whole(1)(text)
    if value > MAX_QUALITY:
        raise argparse.ArgumentTypeError(f"must be 1 to {MAX_QUALITY} (got {text})")
    return value
