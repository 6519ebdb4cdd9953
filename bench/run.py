"""`make bench`: every benchmark whose inputs are present, results in bench/out/*.json."""

from __future__ import annotations

import importlib

BENCHMARKS = (
    "bench.bench_text",
    "bench.eval_generated",
    "bench.bench_ocr",
    "bench.bench_archive",
    "bench.bench_pages",
    "bench.bench_html",
)


def main() -> None:
    for name in BENCHMARKS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.main()


if __name__ == "__main__":
    main()
