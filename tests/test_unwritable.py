"""An output that cannot be written stops the run before it starts: exit 2, one line, no traceback
(issue 14, fault 3). Real faults: permissions enforced on a child without root's powers, a full
and a read-only tmpfs in a private mount namespace, a path under a regular file."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pandas as pd

from .batchkit import assert_same_data, cli, make_archive
from .confine import cli_powerless, in_tmpfs


def one_error_line(stderr: str, *reasons: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: cannot write "), stderr
    assert any(reason in lines[0] for reason in reasons), stderr
    assert "Traceback" not in stderr


def read_only(tree: Path) -> None:
    for path in [tree, *tree.rglob("*")]:
        mode = path.lstat().st_mode
        if not stat.S_ISLNK(mode):
            path.chmod(stat.S_IMODE(mode) & ~0o222)


def test_a_read_only_dataset(tmp_path: Path, sample_pdfs: list[Path]) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    make_archive(sample_pdfs, src, 2)
    assert cli("ingest", src, "--dataset", out, "--no-report").returncode == 0
    make_archive(sample_pdfs, src, 3, prefix="new")
    before = tmp_path / "before"
    shutil.copytree(out, before)
    read_only(out)
    try:
        run = cli_powerless("ingest", src, "--dataset", out, "--quiet")
    finally:
        for path in [out, *out.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)
    assert run.returncode == 2, run.stderr
    one_error_line(run.stderr, "Permission denied")
    assert_same_data(before, out)


def test_a_new_dataset_in_a_folder_it_may_not_write(tmp_path: Path, sample_pdfs: list[Path]) -> None:
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    run = cli_powerless("ingest", sample_pdfs[0], "--dataset", parent / "out")
    parent.chmod(0o755)
    assert run.returncode == 2, run.stderr
    one_error_line(run.stderr, "Permission denied")
    assert not (parent / "out").exists()


def test_out_under_a_regular_file(tmp_path: Path, sample_pdfs: list[Path]) -> None:
    (tmp_path / "plain.txt").write_text("not a folder\n", encoding="utf-8")
    run = cli("ingest", sample_pdfs[0], "--dataset", tmp_path / "plain.txt" / "out")
    assert run.returncode == 2, run.stderr
    one_error_line(run.stderr, "Not a directory", "File exists")


def test_a_disk_full_before_the_start_and_a_read_only_mount(tmp_path: Path, sample_pdfs: list[Path]) -> None:
    src = tmp_path / "src"
    make_archive(sample_pdfs, src, 2)
    fs = tmp_path / "fs"
    full, ro = tmp_path / "full.err", tmp_path / "ro.err"
    script = f"""
    mkdir "$FS/out"
    cat /dev/zero > "$FS/filler" 2>/dev/null
    "$PY" -m pipeline ingest {src} --dataset "$FS/out" 2>{full}; echo "full=$?"
    rm "$FS/filler"
    "$PY" -m pipeline ingest {src} --dataset "$FS/out" --no-report >/dev/null 2>&1; echo "first=$?"
    mount -o remount,ro "$FS"
    "$PY" -m pipeline ingest {src} --dataset "$FS/out" 2>{ro}; echo "ro=$?"
    """
    run = in_tmpfs(script, fs, size="4m")
    assert "full=2" in run.stdout, (run.stdout, full.read_text(encoding="utf-8"))
    one_error_line(full.read_text(encoding="utf-8"), "No space left on device")
    assert "first=0" in run.stdout, run.stdout
    assert "ro=2" in run.stdout, (run.stdout, ro.read_text(encoding="utf-8"))
    one_error_line(ro.read_text(encoding="utf-8"), "Read-only file system")
    assert not list(fs.iterdir())  # the tmpfs was private to the namespace


def test_the_compact_and_report_commands_say_so_too(tmp_path: Path, sample_pdfs: list[Path]) -> None:
    out = tmp_path / "out"
    assert cli("ingest", sample_pdfs[0], "--dataset", out, "--no-report").returncode == 0
    read_only(out)
    try:
        compacted = cli_powerless("compact", "--dataset", out)
        reported = cli_powerless("report", "--dataset", out, "--out", out / "r.html")
    finally:
        for path in [out, *out.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)
    for run in (compacted, reported):
        assert run.returncode == 2, run.stderr
        one_error_line(run.stderr, "Permission denied")
    assert len(pd.read_parquet(out / "reports")) == 1


def test_a_disk_full_mid_run_keeps_its_outcome_and_leaves_no_litter(
    tmp_path: Path, sample_pdfs: list[Path]
) -> None:
    """Issue 14, fault 12: the disk fills while a run commits its batches. The run ends `error`
    with the system's reason (exit 2), and the next run, once there is room, keeps that outcome
    (not `interrupted`) and leaves no temporary file in `_runs/`."""
    src = tmp_path / "src"
    make_archive(sample_pdfs, src, 8)
    fs, copy = tmp_path / "fs", tmp_path / "copy"
    script = f"""
    "$PY" -m pipeline ingest {src} --dataset "$FS/out" --workers 1 --batch-size 1 >/dev/null 2>{tmp_path}/full.err &
    run=$!
    until ls "$FS"/out/runs/part-*-running.parquet >/dev/null 2>&1; do sleep 0.02; done
    cat /dev/zero > "$FS/filler" 2>/dev/null
    wait $run; echo "full=$?"
    rm "$FS/filler"
    "$PY" -m pipeline ingest {src} --dataset "$FS/out" --workers 1 >/dev/null 2>&1; echo "next=$?"
    cp -a "$FS/out" {copy}
    """
    run = in_tmpfs(script, fs, size="6m")
    assert "full=2" in run.stdout, (run.stdout, (tmp_path / "full.err").read_text(encoding="utf-8"))
    assert "next=0" in run.stdout, run.stdout
    runs = pd.read_parquet(copy / "runs").sort_values("started_at")
    assert runs.outcome.tolist() == ["error", "ok"], runs[["outcome", "message"]]
    assert "No space left on device" in runs.message.iloc[0]
    assert runs.finished_at.iloc[0] is not None
    assert not [p.name for p in (copy / "_runs").iterdir() if p.name.startswith(".")]
    assert len(pd.read_parquet(copy / "reports")) == 8
