"""Every wrong OCR cell must be visible to a user: flagged by a failed check, or below 0.9.

Joins the truth (through the scorer's own key mapping and number parsing, so "wrong" means
exactly what the scorer counts as a miss) with the `facts` and `checks` tables of a dataset.

    python -m bench.ocr_flags --processed /tmp/x --truth ../shared/corpus/truth
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pyarrow.dataset as ds

DOUBT = 0.9


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(processed: Path, name: str) -> list[dict[str, Any]]:
    path = processed / name
    return ds.dataset(str(path), format="parquet").to_table().to_pylist() if path.exists() else []


def wrong_cells(processed: Path, truth_dir: Path, scorer: ModuleType) -> list[dict[str, Any]]:
    """Each truth cell the dataset gets wrong, with the fact (if any) and whether it is flagged."""
    reports = {Path(str(r["source_path"])).name: r for r in _rows(processed, "reports")}
    facts: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for f in _rows(processed, "facts"):
        if f["table"] in ("t2", "t3", "t4") and f["row"] and f["col"]:
            facts.setdefault((f["report_id"], f["table"], f["row"], f["col"]), f)
    failed: set[tuple[str, str, str, str]] = set()
    for c in _rows(processed, "checks"):
        if not c["passed"]:
            for cell in c["cells"] or []:
                row, col = cell.split(":", 1)
                failed.add((c["report_id"], c["table"], row, col))
    out = []
    for tf in sorted(truth_dir.glob("*.json")):
        truth = json.loads(tf.read_text(encoding="utf-8"))
        report = reports.get(truth["file"])
        if report is None:
            continue
        rid = report["report_id"]
        for cell in truth.get("cells", []):
            key = scorer.truth_key(cell, truth["format"])
            if key is None:
                continue
            want = scorer.parse_number(cell["value"], scorer.unit_of(key, truth["format"]))
            fact = facts.get((rid, *key))
            have = None if fact is None else fact["value"]
            if isinstance(have, float) and math.isnan(have):
                have = None
            if fact is not None and scorer.same_number(want, have):
                continue
            if fact is None and want is None:
                continue
            flagged = fact is not None and ((rid, *key) in failed or float(fact["confidence"]) < DOUBT)
            out.append(
                {
                    "file": truth["file"],
                    "cell": list(key),
                    "want": cell["value"],
                    "raw": None if fact is None else fact["raw"],
                    "method": None if fact is None else fact["method"],
                    "confidence": None if fact is None else round(float(fact["confidence"]), 3),
                    "flagged": flagged,
                }
            )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--processed", type=Path, required=True)
    ap.add_argument("--truth", type=Path, required=True)
    ap.add_argument(
        "--scorer", type=Path, default=Path(__file__).resolve().parents[2] / "shared/eval/score.py"
    )
    args = ap.parse_args(argv)
    wrong = wrong_cells(args.processed, args.truth, load_scorer(args.scorer))
    for w in wrong:
        print(json.dumps(w, ensure_ascii=False))
    unflagged = [w for w in wrong if not w["flagged"]]
    print(f"wrong cells: {len(wrong)}, flagged: {len(wrong) - len(unflagged)}, unflagged: {len(unflagged)}")
    return 1 if unflagged else 0


if __name__ == "__main__":
    sys.exit(main())
