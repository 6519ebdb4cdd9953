"""Counts per table and a hash of the sorted rows of a dataset: did a change alter the output?

    python -m scripts.rows_digest DATASET [--json OUT]

Columns that differ between two runs of the same code are left out: timings, timestamps, run
ids, the pipeline version and file mtimes. Everything else — every fact, label, box, section,
page record, check and error — goes into the hash. Two datasets made from the same files by code
that behaves the same have the same digest; `--compare A B` says which tables differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import pyarrow.dataset as ds

TABLES = ("reports", "facts", "sections", "pages", "checks", "errors", "offices", "panel")
VOLATILE = {
    "run_id",
    "seconds",
    "ingested_at",
    "at",
    "pipeline_version",
    "file_mtime",
    "source_mtimes",
}


def table_digest(folder: Path) -> tuple[int, str]:
    if not folder.is_dir():
        return 0, ""
    table = ds.dataset(str(folder), format="parquet").to_table()
    keep = [name for name in table.column_names if name not in VOLATILE]
    rows = sorted(
        json.dumps(row, sort_keys=True, default=str, ensure_ascii=False)
        for row in table.select(keep).to_pylist()
    )
    digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return len(rows), digest


def dataset_digest(dataset: Path) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for name in TABLES:
        count, digest = table_digest(dataset / name)
        out[name] = {"rows": count, "sha256": digest}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dataset", type=Path, nargs="?")
    parser.add_argument("--json", type=Path, help="write the digest here")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"), help="two digest JSON files")
    args = parser.parse_args(argv)
    if args.compare:
        a, b = (json.loads(p.read_text()) for p in args.compare)
        differ = [name for name in TABLES if a.get(name) != b.get(name)]
        for name in TABLES:
            mark = "DIFFERS" if name in differ else "same"
            print(f"{name:9} {a[name]['rows']:>8} {b[name]['rows']:>8}  {mark}")
        return 1 if differ else 0
    if args.dataset is None:
        parser.error("DATASET or --compare A B")
    digest = dataset_digest(args.dataset)
    text = json.dumps(digest, indent=1)
    if args.json:
        args.json.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
