"""Generated reports of every format (the variety real archives have), scored like the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from samplegen.generate import generate

from .conftest import SCORER, ingest_to, load_scorer

pytestmark = pytest.mark.skipif(
    not SCORER.is_file(), reason="../shared/eval/score.py is not beside this clone"
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("generated")
    generate(root / "gen", 36, seed=20261126, formats=["2008", "2019", "2021"], scans=0)
    return root / "gen", ingest_to(root / "gen" / "pdf", root / "out")


@pytest.mark.parametrize("measure", ["doc", "heading", "cell", "prose", "appendix"])
def test_every_measure_is_exact(generated: tuple[Path, Path], measure: str) -> None:
    gen, out = generated
    summary = load_scorer().score(out, gen / "truth")["summary"]
    assert summary[measure]["total"] > 0
    assert summary[measure]["rate"] == 1.0, summary[measure]


def test_failed_checks_are_the_misprints_the_truth_documents(generated: tuple[Path, Path]) -> None:
    gen, out = generated
    reports = pd.read_parquet(out / "reports")
    checks = pd.read_parquet(out / "checks")
    failing = set(reports[reports.report_id.isin(checks[~checks.passed].report_id)].source_path)
    truths = [json.loads(path.read_text(encoding="utf-8")) for path in (gen / "truth").glob("*.json")]
    misprinted = {  # the generator's arithmetic misprints ("t3: …", "t4: …"), not its label typos
        truth["file"] for truth in truths if any(q.startswith(("t3:", "t4:")) for q in truth["data_quality"])
    }
    assert misprinted, "this seed misprints nothing: choose one that does"
    assert {Path(p).name for p in failing} == misprinted
    assert len(checks) > 36 * 20  # identities were tested on every table report


def test_every_report_is_ok(generated: tuple[Path, Path]) -> None:
    _, out = generated
    reports = pd.read_parquet(out / "reports")
    assert len(reports) == 36
    assert set(reports.status) == {"ok"}
    assert set(reports.format) == {"2008", "2019", "2021"}
