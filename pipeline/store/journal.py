"""Atomic changes of many files: a one-record write-ahead journal, rolled forward after a crash.

A change removes some part files and puts others into place (new part files written beforehand
to hidden temporary names, or staged parts out of `_pending/`). Its commit point is the atomic
rename of one JSON record into `_journal/`:

1. every source file of a move is written and fsynced (the caller's job);
2. the record is written to a temporary name, fsynced and renamed into `_journal/` — committed;
3. the change is applied, folder by folder, in the record's order (below); folders are fsynced;
4. the record is deleted.

How a folder changes depends on what it loses:
- a live table folder with removals is swapped whole (swap.py): its next version, without the
  removed parts and with the new ones, replaces it at one instant, so readers see every row of
  the table as before or as after, never hidden and never twice (a publish, a compaction);
- any other folder only gains files, each renamed into place at once (a batch of new reports:
  each new part appears whole), or is not read at all (`_pending/`).

A process killed before 2 leaves only temporary files (`recover` in parts.py deletes them); one
killed after 2 leaves the record, and `roll_forward` finishes 3 and 4. Every step is idempotent
(a swap leaves a marker in the folder; a missing file to remove is already removed; a move whose
source is gone is already done), so replaying a record is always safe.

A record is data read back from disk, so before one is replayed every path in it is checked to
stay inside the dataset: relative, no `..`, no folder on the way that is a symbolic link. A
record that fails (crafted, or damaged) is refused as a whole with `UnsafeRecord`: nothing of
it is done, and the writer stops until someone has looked at it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.store.files import UnsafeDataset, create_new, fsync_dir
from pipeline.store.swap import swap_folder
from pipeline.store.uninterrupted import uninterrupted

JOURNAL_DIR = "_journal"
Step = Callable[[str], None]


def no_step(_: str) -> None:
    """The default step hook; tests pass one that kills the process at a chosen step."""


class UnsafeRecord(UnsafeDataset):
    """A journal record that cannot be replayed safely: unreadable, or naming a path outside the
    dataset. Raised by `roll_forward` (the writer stops; the runner tells it as a value)."""

    def __init__(self, record: str, problem: str) -> None:
        super().__init__(
            f"the journal record {record} {problem}; this pipeline never writes such a record: "
            "check the dataset, then remove the record"
        )


@dataclass(frozen=True)
class Change:
    """Paths are relative to the dataset root. Folders are applied in `order`, then any other in
    the order they first appear among the moves, then among the removals."""

    removes: tuple[str, ...] = ()
    moves: tuple[tuple[str, str], ...] = ()  # (source, destination)
    order: tuple[str, ...] = ()  # folders whose turn matters (`reports` last, say)

    @property
    def empty(self) -> bool:
        return not self.removes and not self.moves

    def folders(self) -> list[str]:
        found = [*self.order, *(_folder(d) for _, d in self.moves), *(_folder(r) for r in self.removes)]
        return list(dict.fromkeys(found))


def commit(root: Path, name: str, change: Change, on_step: Step = no_step) -> None:
    """Make `change` happen as a whole or (if killed before its record lands) not at all. A stop
    asked by SIGINT or SIGTERM waits until it is done (uninterrupted.py)."""
    if change.empty:
        return
    with uninterrupted():
        _commit(root, name, change, on_step)


def _commit(root: Path, name: str, change: Change, on_step: Step) -> None:
    roll_forward(root)  # an earlier change left unapplied (a disk error mid-apply) goes first:
    # its sources may be hidden files of a folder this change swaps, which would go with it
    for rel in _paths(change):
        problem = outside_problem(root, rel)
        if problem:  # a bug, not a crash to recover from: no record is written
            raise UnsafeRecord(f"{JOURNAL_DIR}/{name}.json", problem)
    folder = root / JOURNAL_DIR
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / f"{name}.json"
    tmp = folder / f".{name}.json.tmp"
    data = {"removes": change.removes, "moves": change.moves, "order": change.order}
    with create_new(tmp) as fh:
        fh.write(json.dumps(data).encode("utf-8"))
        fh.flush()
        os.fsync(fh.fileno())
    on_step(f"{name}: record written")
    os.replace(tmp, record)
    fsync_dir(folder)
    on_step(f"{name}: committed")
    _apply(root, name, change, lambda step: on_step(f"{name}: {step}"))
    record.unlink()
    fsync_dir(folder)
    on_step(f"{name}: record deleted")


def roll_forward(root: Path) -> list[str]:
    """Finish every committed change a killed process left; return the records replayed."""
    folder = root / JOURNAL_DIR
    if not folder.is_dir():
        return []
    done = []
    for record in sorted(folder.glob("*.json")):
        change = _read_record(root, record)
        _apply(root, record.stem, change, no_step)
        record.unlink()
        done.append(record.stem)
    if done:
        fsync_dir(folder)
    return done


def _apply(root: Path, name: str, change: Change, on_step: Step) -> None:
    swapped = {_folder(r) for r in change.removes if is_live(_folder(r))}
    linked: list[str] = []  # sources linked into a swapped folder: removed once every swap is done
    touched: set[Path] = set()
    for folder in change.folders():
        moves = [(s, d) for s, d in change.moves if _folder(d) == folder]
        if folder in swapped:
            gone = {PurePosixPath(r).name for r in change.removes if _folder(r) == folder}
            swap_folder(root, folder, gone, [(s, PurePosixPath(d).name) for s, d in moves], name, on_step)
            linked += [s for s, _ in moves]
            continue
        for src, dst in moves:
            source, target = root / src, root / dst
            if source.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
            touched.update((source.parent, target.parent))
            on_step(f"moved {dst}")
    for rel in [*(r for r in change.removes if _folder(r) not in swapped), *linked]:
        path = root / rel
        path.unlink(missing_ok=True)
        touched.add(path.parent)
        on_step(f"removed {rel}")
    for folder_path in sorted(touched):
        if folder_path.is_dir():
            fsync_dir(folder_path)


def is_live(folder: str) -> bool:
    """A table folder readers read (not `_pending/…`, `_journal`, hidden names)."""
    return "/" not in folder and not folder.startswith(("_", "."))


def _folder(rel: str) -> str:
    return str(PurePosixPath(rel).parent)


def _paths(change: Change) -> list[object]:
    return [*change.removes, *(p for move in change.moves for p in move)]


def _read_record(root: Path, record: Path) -> Change:
    name = f"{JOURNAL_DIR}/{record.name}"
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        change = Change(
            tuple(data["removes"]),
            tuple((s, d) for s, d in data["moves"]),
            tuple(data.get("order", ())),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UnsafeRecord(name, f"cannot be read ({type(exc).__name__}: {exc})") from None
    for rel in [*_paths(change), *(f"{f}/x" for f in change.order)]:
        problem = outside_problem(root, rel)
        if problem:
            raise UnsafeRecord(name, problem)
    return change


def outside_problem(root: Path, rel: object) -> str | None:
    """Why `rel` does not name a file inside the dataset `root` (None when it does): it must be a
    relative path below a folder of the dataset, without `.` or `..`, through no symbolic link."""
    if not isinstance(rel, str) or not rel or "\x00" in rel:
        return f"names something that is not a path ({rel!r})"
    path = PurePosixPath(rel)
    if path.is_absolute() or any(part in (".", "..") for part in rel.split("/")) or len(path.parts) < 2:
        return f"names a path outside the dataset's folders ({rel})"
    folder = root
    for part in path.parts[:-1]:
        folder = folder / part
        if folder.is_symlink():
            return f"names a path through a symbolic link ({folder.relative_to(root)})"
    return None
