"""Record tesseract's readings of the corpus scans the fast tests replay (`make replays`).

    python -m scripts.record_replays [--corpus ../shared/corpus]

Writes `tests/data/replay/<scan>.jsonl.gz`. Run it again whenever anything before the engine
changes (rendering, levelling, cropping): `tests/test_engines.py` fails until then.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from pathlib import Path

from pipeline import ReadOptions, process_file

REPLAYED = ("2024_huaian-hongze_scan.pdf",)  # 5 pages: 表二, 表三 across a page break, 表四
OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "replay"


def record(scan: Path, out: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        result = process_file(scan, options=ReadOptions(ocr_engine=f"record:{tmp}"))
        if result.status != "ok":
            raise SystemExit(f"{scan.name}: {result.status} {result.errors}")
        lines = sorted({line for f in Path(tmp).glob("*.jsonl") for line in f.read_text().splitlines()})
    target = out / f"{scan.stem}.jsonl.gz"
    with gzip.GzipFile(target, "wb", mtime=0) as fh:  # mtime 0: the same readings, the same bytes
        fh.write(("\n".join(lines) + "\n").encode())
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus"
    )
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    for name in REPLAYED:
        print(record(args.corpus / "scan" / name, OUT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
