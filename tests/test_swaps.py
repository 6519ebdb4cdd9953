"""Readers see every table as before or as after a publish or a compaction, at every instant; a
kill inside the apply step hides no unchanged report and doubles none (issue 14, fault 5).

Three killers: the writer's own step hook firing at every step of the apply; a reader watching
the files while a slowed writer applies the change; and a watcher that SIGKILLs the writer the
instant it sees a table folder change.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest

from pipeline.store.parts import has_pending, recover
from pipeline.store.schema import TABLES

from .batchkit import assert_same_data, first_state, second_state
from .test_crash import assert_readable_and_at_most_once, killer

Counts = dict[str, dict[str, int]]  # table → report id → rows


def counts(out: Path, ids: set[str]) -> Counts:
    """Rows per report of `ids` in every per-report table, as a reader listing the folders sees them."""
    seen: Counts = {}
    for name in TABLES:
        files = sorted(str(p) for p in (out / name).glob("*.parquet"))
        column = pads.dataset(files, format="parquet").to_table(columns=["report_id"]).column(0)
        tally: dict[str, int] = {}
        for rid in column.to_pylist():
            if rid in ids:
                tally[rid] = tally.get(rid, 0) + 1
        seen[name] = tally
    return seen


def unchanged(references: dict[str, Path]) -> tuple[set[str], Counts]:
    """Reports in both states of the folder, and their rows per table (the same in both)."""
    first = set(pq.read_table(references["first"] / "reports", columns=["report_id"]).column(0).to_pylist())
    second = set(pq.read_table(references["second"] / "reports", columns=["report_id"]).column(0).to_pylist())
    ids = first & second
    expected = counts(references["second"], ids)
    assert expected == counts(references["first"], ids) and len(ids) >= 5
    return ids, expected


@pytest.fixture(scope="module")
def staged(
    tmp_path_factory: pytest.TempPathFactory, sample_pdfs: list[Path], references: dict[str, Path]
) -> Path:
    """The first state's dataset, with a run over the second state killed just before its publish:
    replacements, a deletion and a path update all staged."""
    base = tmp_path_factory.mktemp("staged")
    src = base / "src"
    first_state(src, sample_pdfs)
    second_state(src, sample_pdfs)
    shutil.copytree(references["first"], base / "count")
    steps = killer("ingest", src, base / "count", "count")
    before_publish = next(
        i for i, s in enumerate(steps) if s.startswith("publish-")
    )  # 1-based: the step before
    out = base / "staged"
    shutil.copytree(references["first"], out)
    killer("ingest", src, out, str(before_publish))
    assert has_pending(out)
    return out


def apply_steps(steps: list[str], kinds: tuple[str, ...] = (": built ", ": swapped ")) -> list[int]:
    """1-based numbers of the steps of the apply where a reader's view can change: the commit
    point, each table's next version built and swapped in, the first clean-up, the record gone."""
    start = next(i for i, s in enumerate(steps) if s.endswith(": committed"))
    end = next(i for i, s in enumerate(steps) if s.endswith(": record deleted"))
    cleanup = [i for i, s in enumerate(steps) if ": removed " in s][:1]
    chosen = [i for i in range(start, end + 1) if any(k in steps[i] for k in kinds)]
    return sorted(i + 1 for i in {start, *chosen, *cleanup, end})


@pytest.mark.slow
def test_a_publish_killed_at_every_step_of_its_apply_hides_no_unchanged_report(
    staged: Path, references: dict[str, Path], tmp_path: Path
) -> None:
    ids, expected = unchanged(references)
    shutil.copytree(staged, tmp_path / "count")
    points = apply_steps(killer("publish", Path("-"), tmp_path / "count", "count"))
    assert len(points) >= 10  # 4 tables rewritten, the staged reports published
    for point in points:
        out = tmp_path / f"out{point}"
        shutil.copytree(staged, out)
        killer("publish", Path("-"), out, str(point))
        assert_readable_and_at_most_once(out)
        assert counts(out, ids) == expected, point
        recover(out)
        assert counts(out, ids) == expected
        assert not has_pending(out)


@pytest.mark.slow
def test_a_compaction_killed_at_every_step_of_its_apply_reads_as_before(
    many_parts: Path,
    tmp_path: Path,
) -> None:
    shutil.copytree(many_parts, tmp_path / "count")
    points = apply_steps(killer("compact", Path("-"), tmp_path / "count", "count"), (": swapped ",))
    assert len(points) >= 9  # every table swapped in turn
    for point in points:
        out = tmp_path / f"out{point}"
        shutil.copytree(many_parts, out)
        killer("compact", Path("-"), out, str(point))
        assert_same_data(many_parts, out)  # before any recovery
        if point in (points[0], points[-1]):
            recover(out)
            assert_same_data(many_parts, out)


def slowed(mode: str, out: Path, pause: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.killer", mode, "-", str(out), "never"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "KILLER_PAUSE": str(pause)},
    )


def test_a_reader_watching_a_publish_always_sees_every_unchanged_report(
    staged: Path, references: dict[str, Path], tmp_path: Path
) -> None:
    ids, expected = unchanged(references)
    out = tmp_path / "out"
    shutil.copytree(staged, out)
    writer = slowed("publish", out, 0.1)
    samples = 0
    while writer.poll() is None:
        try:
            seen = counts(out, ids)
        except FileNotFoundError:  # a file listed, then swapped away before it was opened: read again
            continue
        assert seen == expected, f"sample {samples}"
        samples += 1
    assert writer.returncode == 0
    assert samples >= 10
    assert counts(out, ids) == expected


def listing(out: Path) -> dict[str, frozenset[str]]:
    """What a reader of `DST/<table>/*.parquet` finds, table by table."""
    return {name: frozenset(p.name for p in (out / name).glob("*.parquet")) for name in (*TABLES, "runs")}


def test_a_watcher_that_kills_a_compaction_at_its_first_visible_change(
    many_parts: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(many_parts, out)
    start = listing(out)
    writer = slowed("compact", out, 0.2)
    deadline = time.monotonic() + 120
    while listing(out) == start and writer.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert listing(out) != start, "the compaction changed nothing visible"
    assert_same_data(many_parts, out)
    recover(out)
    assert_same_data(many_parts, out)
