"""Where a dataset's files live: the source root its paths are relative to, kept across runs.

The first run's folder is the dataset's root (`runs.root`). A later run of a folder inside it
(`ingest ARCHIVE/2024`), or of one file in it, keeps that root: its paths are stored relative to
the root, as before, and only the part of the tree it was given is looked at — the rest of the
dataset is neither re-rooted nor reported missing. A run of a folder outside the root (or
above it) makes that folder the root, as a first run would.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow.compute as pc

from pipeline.store.parts import read_table
from pipeline.store.pathtext import path_from_store

WHOLE = "."


@dataclass(frozen=True)
class Rooted:
    root: Path  # absolute: what the dataset's paths are relative to
    scope: str  # the part of the tree this run looks at, relative to the root ("." : all of it)
    prefix: str  # what to put before the paths the folder's listing gives ("" : nothing)


def previous_root(out: Path) -> Path | None:
    """The root the dataset's last run recorded (an older run without one: its source)."""
    runs = read_table(out, "runs")
    runs = runs.filter(pc.not_equal(runs.column("outcome"), "error")).sort_by([("started_at", "descending")])
    for row in runs.select(["root", "source"]).to_pylist():
        text = row["root"] or row["source"]
        if text:
            given = Path(path_from_store(text, escaped=True)) if not Path(text).exists() else Path(text)
            if given.is_absolute():
                return given
    return None


def choose_root(out: Path, src: Path) -> Rooted:
    given = Path(os.path.abspath(src))
    folder = given if given.is_dir() or not given.exists() else given.parent
    root = previous_root(out)
    if root is not None and (given == root or root in given.parents):
        prefix = Path(os.path.relpath(folder, root)).as_posix()
        scope = Path(os.path.relpath(given, root)).as_posix()
        return Rooted(root, scope, "" if prefix == WHOLE else prefix)
    return Rooted(folder, given.name if folder != given else WHOLE, "")


def in_scope(path: str, scope: str) -> bool:
    return scope == WHOLE or path == scope or path.startswith(f"{scope}/")
