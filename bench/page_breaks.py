"""Where the tables of generated reports actually broke, per producer: each PDF read back (samplegen's
tablebreaks on pdfplumber's ruled tables), the grids rebuilt from the truth's seed and index (with its
injected loss, when the truth lists one: a deleted table, a garbled label).

When a PDF's text cannot be matched to its grids (a ghostscript re-distill can garble the text layer),
the parts the generator measured on the same layout before the re-distill (truth `layout.table_parts`)
are counted instead, and the count of such reports is given.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from samplegen.content import build_report
from samplegen.generate import NONE, planned_report
from samplegen.pagesetup import tables_of
from samplegen.plan import Injections
from samplegen.tablebreaks import Break, breaks_of, parts_from_record, read_parts, resolved


def _grids(truth: dict[str, Any], inj: Injections) -> list[Any]:
    """The tables as printed: the loss the truth lists changes them (a report whose loss its producer did
    not print was printed from its content alone); forced breaks and archive variations leave their cells'
    characters as they are (radicals are folded when matching)."""
    m = re.fullmatch(r"samplegen:seed=(\d+):index=(\d+)", truth["source"])
    assert m, truth["source"]
    seed, index = int(m.group(1)), int(m.group(2))
    if truth.get("losses"):
        producer = truth.get("producer")
        report = planned_report(seed, index, truth["format"], inj, producer, truth.get("producer_base"))
        assert report.loss is not None and report.loss.kind == truth["losses"][0]["kind"], truth["file"]
    else:
        report = build_report(seed, index, truth["format"])
    return [t.grid for t in tables_of(report.blocks)]


def count_breaks(pdf_dir: Path, truths: list[dict[str, Any]], inj: Injections = NONE) -> dict[str, Any]:
    """Per producer: break positions per table shape, header-only fragments, split header bands, cut
    rows, empty fragments, and the positions covered out of those possible. `inj` are the injections the
    reports were generated with (their losses change the tables)."""
    per: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"breaks": 0, "read_back": 0, "from_record": 0, "kinds": Counter(), "positions": {}}
    )
    for truth in truths:
        producer = truth.get("producer")
        if not producer:
            continue
        grids = _grids(truth, inj)
        parts, _ = read_parts(pdf_dir / truth["file"], grids)
        acc = per[producer]
        if resolved(parts):
            acc["read_back"] += 1
        else:
            parts = parts_from_record(truth.get("layout", {}).get("table_parts", []), grids)
            acc["from_record"] += 1
        for br in breaks_of(parts, grids):
            _add(acc, br)
    return {p: _summary(acc) for p, acc in sorted(per.items())}


def _add(acc: dict[str, Any], br: Break) -> None:
    acc["breaks"] += 1
    shape = f"{br.table}/{br.n_rows}"
    acc["positions"].setdefault(shape, Counter())[br.after] += 1
    kinds: Counter[str] = acc["kinds"]
    for name, on in (
        ("header_only", br.header_only),
        ("split_header", br.split_header),
        ("cut_row", br.cut),
        ("empty_fragment", br.empty_fragment),
    ):
        kinds[name] += int(on)


def _summary(acc: dict[str, Any]) -> dict[str, Any]:
    coverage = {}
    for shape, counts in sorted(acc["positions"].items()):
        n = int(shape.rsplit("/", 1)[1])
        possible = n - 1
        covered = sorted(k for k in counts if 0 <= k < possible)
        missing = [k for k in range(possible) if k not in counts]
        coverage[shape] = {
            "covered": len(covered),
            "possible": possible,
            "missing": missing,
            "breaks_after_row": {str(k): counts[k] for k in sorted(counts)},
        }
    return {
        "breaks": acc["breaks"],
        "reports_read_back": acc["read_back"],
        "reports_from_record": acc["from_record"],
        **dict(acc["kinds"]),
        "coverage": coverage,
    }
