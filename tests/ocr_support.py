"""What the OCR tests share: real tesseract (skipped cleanly where it is missing), corpus paths."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import CORPUS


def _has_chi_sim() -> bool:
    if shutil.which("tesseract") is None:
        return False
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
    return "chi_sim" in langs.stdout.split()


needs_tesseract = pytest.mark.skipif(not _has_chi_sim(), reason="tesseract with chi_sim is not installed")

SCAN = CORPUS / "scan"
PDF = CORPUS / "pdf"
MIXED = CORPUS / "mixed"
