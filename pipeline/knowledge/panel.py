"""panel.toml → the panel's headline metrics, each checked against metrics.csv as it is loaded."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.knowledge.load import Knowledge, KnowledgeError, knowledge

FILE = "panel.toml"


@dataclass(frozen=True)
class Source:
    table: str  # t2 | t3 | t4 | legacy | prose
    rows: tuple[str, ...]  # summed
    col: str
    scale: float = 1.0  # printed unit → the metric's


@dataclass(frozen=True)
class PanelMetric:
    name: str
    unit: str
    definition: str
    sources: tuple[Source, ...]  # tried in order


def load_panel(data: Mapping[str, Any], known: Knowledge, where: str = FILE) -> tuple[PanelMetric, ...]:
    metrics: list[PanelMetric] = []
    for item in data.get("metric", []):
        name = item.get("name")
        if not isinstance(name, str) or not name.isidentifier() or name in {m.name for m in metrics}:
            raise KnowledgeError(f"{where}: metric name {name!r} is missing, not an identifier, or repeated")
        sources = []
        for s in item.get("sources", []):
            rows = tuple(s.get("rows", ()))
            keys = known.keys(s.get("table", ""))
            missing = [r for r in rows if (r, s.get("col")) not in keys]
            if not rows or missing:
                raise KnowledgeError(
                    f"{where}: {name}: {s.get('table')} {missing or 'no rows'} not in metrics.csv"
                )
            sources.append(Source(s["table"], rows, s["col"], float(s.get("scale", 1.0))))
        if not sources or not item.get("definition") or not item.get("unit"):
            raise KnowledgeError(f"{where}: {name}: needs a unit, a definition and at least one source")
        metrics.append(PanelMetric(name, item["unit"], item["definition"], tuple(sources)))
    if not metrics:
        raise KnowledgeError(f"{where}: no [[metric]]")
    return tuple(metrics)


def read_panel(folder: Path, known: Knowledge) -> tuple[PanelMetric, ...]:
    try:
        data = tomllib.loads((folder / FILE).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise KnowledgeError(f"{FILE}: {exc}") from exc
    return load_panel(data, known)


@cache
def panel_metrics() -> tuple[PanelMetric, ...]:
    with resources.as_file(resources.files("pipeline.knowledge")) as folder:
        return read_panel(Path(folder), knowledge())
