"""What a run has to do: the folder as found, against the `reports` table already written.

A report is the sha256 of its bytes. A path whose size and mtime equal those recorded is taken
as unchanged without reading it; every other path is hashed. Then, per distinct report:
- unknown bytes are processed (a task);
- known bytes are processed again only for a new pipeline version, `force`, or (with
  `retry_failed`) a failed report; otherwise, if the paths they are found under changed (a copy
  added, moved or deleted), only the `reports` row is updated (`source_paths`);
- a known report found nowhere, whose recorded paths now hold other bytes (changed in place),
  is deleted: the new bytes' report replaces it;
- a known report found nowhere, none of whose paths exist any more, is *missing*: its rows
  stay, and the run reports its paths (every run, until the file is back or the rows removed);
- a path that cannot be read tonight (permissions, an I/O error) changes nothing that is
  committed: a known report there is kept as it is, and the path is read again next run (a
  path whose only row is an id-less failure is hashed every run, whatever its size and mtime).
A task or update that replaces rows already in the dataset is marked, so that the run stages it
and publishes it atomically (see publish.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.core.identity import file_sha256
from pipeline.core.model import PathStat, PipelineError
from pipeline.run.roots import in_scope
from pipeline.store.pathtext import paths_from_row

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class Policy:
    version: str
    force: bool = False
    retry_failed: bool = False


@dataclass(frozen=True)
class Known:
    """A report already in the dataset: its id (None for an unhashable file) and recorded paths."""

    report_id: str | None
    paths: tuple[PathStat, ...]
    version: str
    status: str


@dataclass(frozen=True)
class FileTask:
    report_id: str
    paths: tuple[PathStat, ...]  # every path the bytes were found under, sorted
    replaces: bool  # rows of this report, or of another report at one of its paths, exist already

    @property
    def primary(self) -> PathStat:
        return self.paths[0]


@dataclass(frozen=True)
class Unreadable:
    """A path that could not be read to hash it, tonight."""

    stat: PathStat
    error: PipelineError
    replaces: bool  # an earlier row claims the path
    keeps: bool = False  # that row is a hashed report: it stays as it is (the failure is tonight's)


@dataclass(frozen=True)
class PathUpdate:
    report_id: str
    paths: tuple[PathStat, ...]


@dataclass(frozen=True)
class Plan:
    found: int
    unchanged: int  # paths that passed the size + mtime check
    hashed: int
    tasks: tuple[FileTask, ...]
    unreadable: tuple[Unreadable, ...]
    updates: tuple[PathUpdate, ...]
    deletes: tuple[tuple[str | None, str], ...]  # (report_id, a source_path of it)
    missing: tuple[str, ...]


def known_reports(reports: pa.Table) -> list[Known]:
    """The `reports` table (live) as `Known` entries."""
    cols = ["report_id", "source_path", "source_paths", "source_mtimes", "file_size", "file_mtime"]
    cols += ["path_escaped", "pipeline_version", "status"]
    known = []
    for row in reports.select(cols).to_pylist():
        names = paths_from_row(row)  # as the folder's listing gives them, odd bytes and all
        mtimes = row["source_mtimes"] or [row["file_mtime"]] + [None] * (len(names) - 1)
        paths = tuple(
            PathStat(name, row["file_size"] or 0, _us(mtime))
            for name, mtime in zip(names, mtimes, strict=True)
        )
        known.append(Known(row["report_id"], paths, row["pipeline_version"] or "", row["status"] or ""))
    return known


def _us(value: object) -> int:
    """A timestamp read back from Arrow as integer microseconds since the epoch (-1 if null)."""
    if value is None:
        return -1
    delta = value - datetime(1970, 1, 1, tzinfo=UTC)  # type: ignore[operator]
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def needs_hashing(found: Sequence[PathStat], known: Sequence[Known]) -> list[PathStat]:
    """The paths whose size or mtime differ from the recorded ones, that are new, or whose last
    reading failed before the file could be hashed (a failure of that night: tried again)."""
    recorded = {p.path: p for k in known if k.report_id is not None for p in k.paths}
    return [f for f in found if recorded.get(f.path) != f]


def hash_files(root: Path, paths: Sequence[PathStat], threads: int) -> dict[str, str | PipelineError]:
    """sha256 of each path (hashlib releases the GIL, so threads use several cores)."""

    def one(path: PathStat) -> str | PipelineError:
        try:
            return file_sha256(root / path.path)
        except OSError as exc:
            return PipelineError("hash", "unreadable_file", f"cannot read the file: {exc}")

    pool = ThreadPoolExecutor(max(1, threads))
    try:
        return dict(zip((p.path for p in paths), pool.map(one, paths), strict=True))
    finally:  # on a stop (KeyboardInterrupt), the files not yet begun are not read at all
        pool.shutdown(wait=True, cancel_futures=True)


def plan_run(
    found: Sequence[PathStat],
    known: Sequence[Known],
    hashes: dict[str, str | PipelineError],
    policy: Policy,
    unlisted: Sequence[str] = (),
    scope: str = ".",
) -> Plan:
    """Decide every task, update, delete and missing path. Pure. Paths under an `unlisted`
    folder (one that could not be listed tonight) were not seen: their reports are kept; so are
    paths outside `scope`, the part of the dataset's tree this run was given (roots.py)."""
    claim = {p.path: k for k in known for p in k.paths}
    by_id = {k.report_id: k for k in known if k.report_id}
    here = {f.path for f in found}
    groups: dict[str, list[PathStat]] = {}
    unreadable = []
    for f in found:
        digest = hashes.get(f.path)
        if digest is None:  # unchanged by size and mtime: the recorded report
            rid = claim[f.path].report_id
            if rid is not None:
                groups.setdefault(rid, []).append(f)
        elif isinstance(digest, PipelineError):
            claimant = claim.get(f.path)
            keeps = claimant is not None and claimant.report_id is not None
            unreadable.append(Unreadable(f, digest, f.path in claim, keeps))
        else:
            groups.setdefault(digest, []).append(f)

    tasks, updates = [], []
    for rid, paths in groups.items():
        old = by_id.get(rid)
        if old is not None:  # where the same bytes lie outside tonight's scope, they still lie
            paths = paths + [p for p in old.paths if not in_scope(p.path, scope)]
        now = tuple(sorted(paths, key=lambda p: p.path))
        if old is None or _reprocess(old, policy):
            replaces = old is not None or any(p.path in claim for p in paths)
            tasks.append(FileTask(rid, now, replaces))
        elif now != old.paths:  # a copy added, moved or removed, or a touched mtime
            updates.append(PathUpdate(rid, now))

    deletes: list[tuple[str | None, str]] = []
    missing: list[str] = []
    unread = {u.stat.path for u in unreadable}
    for k in known:
        if k.report_id in groups:
            continue
        if k.report_id is None:  # an unhashable file's row
            digest = hashes.get(k.paths[0].path)
            if isinstance(digest, str):
                deletes.append((None, k.paths[0].path))
            elif (
                k.paths[0].path not in here
                and not _under(k.paths[0].path, unlisted)
                and in_scope(k.paths[0].path, scope)
            ):
                missing.append(k.paths[0].path)
            continue
        if any(p.path in unread or _under(p.path, unlisted) or not in_scope(p.path, scope) for p in k.paths):
            continue  # not read tonight, or not in the part of the tree this run was given: kept
        if any(p.path in here for p in k.paths):  # its paths now hold other bytes: replaced
            deletes.append((k.report_id, k.paths[0].path))
        else:  # no file left with these bytes: the rows stay, the run reports it
            missing.extend(p.path for p in k.paths)
    tasks.sort(key=lambda t: (-t.primary.size, t.primary.path))  # largest first: a shorter tail
    return Plan(
        len(found),
        len(found) - len(hashes),
        len(hashes),
        tuple(tasks),
        tuple(unreadable),
        tuple(updates),
        tuple(deletes),
        tuple(sorted(missing)),
    )


def _under(path: str, folders: Sequence[str]) -> bool:
    return any(f == "." or path.startswith(f"{f}/") for f in folders)


def _reprocess(known: Known, policy: Policy) -> bool:
    return (
        policy.force or known.version != policy.version or (policy.retry_failed and known.status == "failed")
    )
