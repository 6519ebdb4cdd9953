"""Helpers shared by the benchmarks: where the inputs are, timing, scoring a dataset."""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GOVREPORT_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
OUT = ROOT / "bench" / "out"


def scorer() -> ModuleType | None:
    path = SHARED / "eval" / "score.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(processed: Path, truth: Path) -> dict[str, Any]:
    module = scorer()
    if module is None or not truth.is_dir():
        return {}
    summary = module.score(processed, truth)["summary"]
    return {k: v for k, v in summary.items() if "[" not in k and v["total"]}


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best wall time of `repeat` runs (the machine is shared: the minimum is the least disturbed)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_json(name: str, data: dict[str, Any]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def print_table(title: str, rows: Iterable[tuple[Any, ...]]) -> None:
    print(f"\n## {title}")
    for row in rows:
        print("  " + " | ".join(f"{c:.3f}" if isinstance(c, float) else str(c) for c in row))
