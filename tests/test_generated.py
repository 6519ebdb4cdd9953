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


def test_eval_scores_each_loss_kind_apart() -> None:
    """bench/eval_generated.py: every report lands in exactly one group, per format and for all formats."""
    from bench.eval_generated import GROUPS, evaluate

    result = evaluate(count=12, seed=5, scans=0, losses=0.6, breaks=0.5)
    groups = result["groups"]
    per_format = [row for key, row in groups.items() if not key.startswith("all ")]
    assert sum(row["reports"] for row in per_format) == 12
    assert {row["group"] for row in per_format} <= set(GROUPS) and "none" in {
        row["group"] for row in per_format
    }
    assert any(row["group"] not in ("none", "page_break") for row in per_format)
    for row in groups.values():
        assert row["flagged"][0] <= row["flagged"][1] <= row["cell"][1] - row["cell"][0]
        assert ("false_alarms" in row) == (row["group"] in ("none", "page_break"))
