"""Shared fixtures: the dev corpus (skipped cleanly when absent) and the scorer."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from pipeline import ReadOptions, ingest
from pipeline.core.config import RunOptions

from .batchkit import clean_run, first_state, make_archive, second_state

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SCORER = SHARED / "eval" / "score.py"

needs_corpus = pytest.mark.skipif(
    not (CORPUS / "truth").is_dir() or not SCORER.is_file(),
    reason="../shared/corpus and ../shared/eval are not beside this clone (they are in CI, not in a user's clone)",
)


def load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ingest_to(src: Path, out: Path, **options: object) -> Path:
    ingest(src, out, ReadOptions(**options))  # type: ignore[arg-type]
    return out


@pytest.fixture(scope="session")
def corpus_pdf_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The text PDFs of the corpus, ingested once for every test that reads them."""
    if not (CORPUS / "pdf").is_dir():
        pytest.skip("../shared/corpus is not here")
    return ingest_to(CORPUS / "pdf", tmp_path_factory.mktemp("corpus-pdf"))


def score_rates(processed: Path, truth_files: list[Path], tmp: Path) -> dict[str, dict[str, float]]:
    """Run the project's scorer on `processed` against the given truth files only."""
    truth = tmp / "truth"
    truth.mkdir(exist_ok=True)
    for f in truth_files:
        (truth / f.name).write_bytes(f.read_bytes())
    result = load_scorer().score(processed, truth)
    return result["summary"]  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def sample_pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Six small synthetic reports (samplegen: 2008, 2019 and 2021 formats), made once."""
    from samplegen import generate

    return generate(tmp_path_factory.mktemp("samplegen"), 6, seed=5)


@pytest.fixture(scope="session")
def corpus_views_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus text PDFs and the two hostile files, for the run report, review and show tests."""
    if not (CORPUS / "pdf").is_dir():
        pytest.skip("../shared/corpus is not here")
    out = tmp_path_factory.mktemp("corpus-views")
    ingest_to(CORPUS / "pdf", out)
    if (CORPUS / "bad").is_dir():
        ingest_to(CORPUS / "bad", out)
    return out


@pytest.fixture(scope="session")
def corpus_all_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole corpus in one dataset: text PDFs, their scans, the mixed file (real OCR) and the
    two hostile files — three copies of 淮安市 2024, two of each 洪泽区 year, two of 平潭 2018."""
    if not (CORPUS / "scan").is_dir():
        pytest.skip("../shared/corpus is not here")
    return ingest_to(CORPUS, tmp_path_factory.mktemp("corpus-all"))


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's headless Chromium (fresh profile, off the network); skips only if it is missing."""
    from tests.chromium import browser_context, unavailable

    reason = unavailable()
    if reason:
        pytest.skip(reason)
    with browser_context() as context:
        yield context


@pytest.fixture(scope="session")
def references(tmp_path_factory: pytest.TempPathFactory, sample_pdfs: list[Path]) -> dict[str, Path]:
    """Clean datasets after the first and the second state of the folder."""
    base = tmp_path_factory.mktemp("reference")
    src = base / "src"
    first_state(src, sample_pdfs)
    clean_run(src, base / "first")
    shutil.copytree(base / "first", base / "second")
    second_state(src, sample_pdfs)
    clean_run(src, base / "second")
    return {"first": base / "first", "second": base / "second"}


@pytest.fixture(scope="session")
def many_parts(tmp_path_factory: pytest.TempPathFactory, sample_pdfs: list[Path]) -> Path:
    """A dataset of 12 reports in one-report batches, over two runs (many small parts)."""
    base = tmp_path_factory.mktemp("many-parts")
    make_archive(sample_pdfs, base / "src", 8)
    ingest(base / "src", base / "out", ReadOptions(), RunOptions(workers=2, batch_size=1))
    make_archive(sample_pdfs, base / "src" / "later", 4, prefix="l")
    ingest(base / "src", base / "out", ReadOptions(), RunOptions(workers=2, batch_size=1))
    return base / "out"
