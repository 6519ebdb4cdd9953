"""Archive-scale runs: throughput, the nightly no-op run, one new file, parallel speed-up, Dask, memory.

    python -m bench.bench_archive            (GOVREPORT_BENCH_REPORTS=5000 by default)

The archive: `BASES` distinct synthetic reports from `samplegen` (2008/2019/2021 formats),
each copied with a unique PDF comment after %%EOF until there are `REPORTS` files (valid PDFs,
each its own sha256, so each is a report of its own), spread over 50 office folders. It is
built once and cached under /tmp. Every measured run is the real CLI in a subprocess; its
memory is sampled every 0.2 s (the parent alone, and the parent with its workers). The machine
is shared with other engineers' CPU-heavy work: the load average is recorded with each
measurement, speed-ups are ratios of best-of-`REPEAT` times taken alternately.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil
import pyarrow.dataset as pads

from bench.common import OUT, write_json

REPORTS = int(os.environ.get("GOVREPORT_BENCH_REPORTS", "5000"))
BASES = int(os.environ.get("GOVREPORT_BENCH_BASES", "200"))
SPEEDUP_FILES = int(os.environ.get("GOVREPORT_BENCH_SPEEDUP_FILES", "300"))
REPEAT = 2
OUT_JSON = OUT / "archive.json"
CACHE = Path(tempfile.gettempdir()) / f"govreport-bench-archive-{REPORTS}-{BASES}"


def build_archive() -> Path:
    """REPORTS distinct files from BASES samplegen reports (cached)."""
    src = CACHE / "src"
    done = CACHE / "complete"
    if done.exists():
        return src
    from samplegen import generate

    shutil.rmtree(CACHE, ignore_errors=True)
    bases = generate(CACHE / "bases", BASES, seed=2026)
    for i in range(REPORTS):
        base = bases[i % len(bases)]
        target = src / f"office{i % 50:02d}" / f"{i:06d}-{base.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base.read_bytes() + f"\n%bench-copy {i}\n".encode())
    done.write_text("ok")
    return src


def subset(src: Path, count: int, name: str) -> Path:
    """The first `count` files of the archive as a folder of hard links (same bytes, same stat)."""
    folder = CACHE / name
    if folder.exists():
        return folder
    files = sorted(src.rglob("*.pdf"))[:count]
    for f in files:
        target = folder / f.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(f, target)
    return folder


def measured_run(src: Path, out: Path, *options: str) -> dict[str, Any]:
    """One CLI ingest: wall and CPU time, peak memory of the parent and of the whole tree, its summary."""
    summary_file = out.parent / f"{out.name}-summary.json"
    load = os.getloadavg()[0]
    start = time.perf_counter()
    command = [sys.executable, "-m", "pipeline", "ingest", str(src), "--dataset", str(out), "--quiet"]
    proc = subprocess.Popen(
        [*command, "--summary", str(summary_file), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    peaks = {"parent": 0, "tree": 0, "worker": 0}
    stop = threading.Event()

    def sample() -> None:
        parent = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                rss = parent.memory_info().rss
                kids = [c.memory_info().rss for c in parent.children(recursive=True)]
            except psutil.Error:
                break
            peaks["parent"] = max(peaks["parent"], rss)
            peaks["tree"] = max(peaks["tree"], rss + sum(kids))
            peaks["worker"] = max(peaks["worker"], max(kids, default=0))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)  # CPU time of the run and of the workers it waited for
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"ingest failed ({proc.returncode}): {err.decode()[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    summary = json.loads(summary_file.read_text(encoding="utf-8"))
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 1),
        "cores_used": round(cpu / seconds, 2),
        "processed": summary["processed"],
        "skipped": summary["skipped"],
        "failed": summary["failed"],
        "files": summary["files"],
        "parent_peak_mb": round(peaks["parent"] / 2**20, 1),
        "tree_peak_mb": round(peaks["tree"] / 2**20, 1),
        "worker_peak_mb": round(peaks["worker"] / 2**20, 1),
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }


def fresh(work: Path, name: str) -> Path:
    out = work / name
    shutil.rmtree(out, ignore_errors=True)
    return out


def fingerprint(out: Path) -> dict[str, int]:
    """Row counts of every table and the number of distinct reports: runs must agree on these."""
    tables = ("reports", "facts", "sections", "pages", "checks", "errors")
    counts = {t: pads.dataset(out / t, format="parquet").count_rows() for t in tables}
    ids = pads.dataset(out / "reports").to_table(columns=["report_id"]).column(0).to_pylist()
    counts["distinct_reports"] = len(set(ids))
    return counts


def main() -> None:
    phases = os.environ.get("GOVREPORT_BENCH_PHASES", "archive,speedup").split(",")
    t0 = time.perf_counter()
    src = build_archive()
    built = time.perf_counter() - t0
    work = CACHE / "runs"
    work.mkdir(exist_ok=True)
    previous = OUT_JSON.read_text(encoding="utf-8") if OUT_JSON.exists() else "{}"
    results: dict[str, Any] = json.loads(previous)  # a phase not rerun keeps its last results
    results.update(reports=REPORTS, bases=BASES, cores=os.cpu_count(), archive_build_seconds=round(built, 1))
    if "archive" in phases:
        archive_phase(src, work, results)
    if "speedup" in phases:
        speedup_phase(src, work, results)
    path = write_json("archive", results)
    print_table(results)
    print(f"written {path}")


def archive_phase(src: Path, work: Path, results: dict[str, Any]) -> None:
    """First runs at 1k and all files (memory, throughput), the no-op run, one new file."""
    one_k = subset(src, min(1000, REPORTS), "subset-1k")
    results["first_run_1k"] = measured_run(one_k, fresh(work, "out-1k"), "--workers", "2")
    out = fresh(work, "out-all")
    results["first_run"] = first = measured_run(src, out, "--workers", "2")
    first["files_per_second"] = round(first["processed"] / first["seconds"], 1)
    results["noop_run"] = measured_run(src, out, "--workers", "2")
    new = src / "office00" / "zz-new.pdf"
    new.write_bytes(next(src.rglob("*.pdf")).read_bytes() + f"\n%bench-new {time.time()}\n".encode())
    try:
        results["one_new_file"] = measured_run(src, out, "--workers", "2")
    finally:
        new.unlink()
    results["after_one_new_noop"] = measured_run(src, out, "--workers", "2")  # reports it missing
    results["memory_flat"] = {
        "parent_peak_mb_1k": results["first_run_1k"]["parent_peak_mb"],
        "parent_peak_mb_all": first["parent_peak_mb"],
        "worker_peak_mb_1k": results["first_run_1k"]["worker_peak_mb"],
        "worker_peak_mb_all": first["worker_peak_mb"],
    }


def speedup_phase(src: Path, work: Path, results: dict[str, Any]) -> None:
    """1 vs 2 local workers and a 2-worker Dask LocalCluster, alternated, best of REPEAT each."""
    small = subset(src, SPEEDUP_FILES, f"subset-{SPEEDUP_FILES}")
    labels = {
        "local-1": ("--workers", "1"),
        "local-2": ("--workers", "2"),
        "dask-2": ("--workers", "2", "--executor", "dask"),
    }
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label in labels}
    prints: dict[str, dict[str, int]] = {}
    for _ in range(REPEAT):
        for label, options in labels.items():
            run_out = fresh(work, f"out-{label}")
            runs[label].append(measured_run(small, run_out, *options))
            prints[label] = fingerprint(run_out)
    best = {label: min(runs[label], key=lambda r: r["seconds"]) for label in labels}
    loads = [r[k] for rs in runs.values() for r in rs for k in ("load_before", "load_after")]
    results["speedup"] = {
        "files": SPEEDUP_FILES,
        "runs": runs,
        "best_seconds": {label: best[label]["seconds"] for label in labels},
        "cores_used": {label: best[label]["cores_used"] for label in labels},
        "cpu_seconds_per_file": {
            label: round(best[label]["cpu_seconds"] / SPEEDUP_FILES, 3) for label in labels
        },
        "local_2_over_1": round(best["local-1"]["seconds"] / best["local-2"]["seconds"], 2),
        "dask_2_over_local_1": round(best["local-1"]["seconds"] / best["dask-2"]["seconds"], 2),
        "dask_same_rows_as_local": prints["dask-2"] == prints["local-2"] == prints["local-1"],
        "load_average_range": [min(loads), max(loads)],
    }


def print_table(r: dict[str, Any]) -> None:
    s, m = r["speedup"], r["memory_flat"]
    first, noop, new = r["first_run"], r["noop_run"], r["one_new_file"]
    rows = [
        ("archive", f"{r['reports']} files ({r['bases']} samplegen reports × distinct %%EOF comments)"),
        (
            "first run, 1k files, 2 workers",
            f"{r['first_run_1k']['seconds']} s (load {r['first_run_1k']['load_before']})",
        ),
        (
            "first run, all files, 2 workers",
            f"{first['seconds']} s = {first['files_per_second']} files/s, {first.get('cores_used', '?')} cores busy",
        ),
        ("second run, nothing new", f"{noop['seconds']} s (skipped {noop['skipped']})"),
        ("one new file", f"{new['seconds']} s (processed {new['processed']})"),
        ("parent peak RSS 1k → all", f"{m['parent_peak_mb_1k']} → {m['parent_peak_mb_all']} MiB"),
        ("worker peak RSS 1k → all", f"{m['worker_peak_mb_1k']} → {m['worker_peak_mb_all']} MiB"),
    ]
    for label, name in (
        ("local-1", "1 worker"),
        ("local-2", "2 workers"),
        ("dask-2", "Dask LocalCluster, 2 workers"),
    ):
        rows.append(
            (
                f"{s['files']} files, {name} (best of {REPEAT})",
                f"{s['best_seconds'][label]} s, {s['cores_used'][label]} cores busy, "
                f"{s['cpu_seconds_per_file'][label]} CPU s/file",
            )
        )
    rows += [
        ("speed-up 2 workers / 1", f"{s['local_2_over_1']}×"),
        (
            "speed-up Dask 2 / local 1",
            f"{s['dask_2_over_local_1']}× (same rows as local: {s['dask_same_rows_as_local']})",
        ),
        (
            "load average during speed-up runs",
            f"{s['load_average_range'][0]}–{s['load_average_range'][1]} (2 cores)",
        ),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
