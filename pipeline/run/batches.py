"""Results → committed batches: new reports go live, replacements are staged for the publish.

`BatchWriter` gathers the rows of finished reports and commits them every `size` reports or
every `seconds`, whichever comes first, so a killed run loses at most one batch of work (which
the next run redoes: nothing of an uncommitted batch is visible).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core.model import PathStat, ReportResult
from pipeline.run.inventory import PathUpdate, Plan
from pipeline.store.journal import Step, no_step
from pipeline.store.parts import commit_batch, new_batch_id, read_table
from pipeline.store.pathtext import needs_escape, stored_path, with_stored_paths
from pipeline.store.schema import Row, from_us, result_to_rows
from pipeline.store.uninterrupted import uninterrupted


@dataclass
class Tally:
    reports: int = 0
    ok: int = 0
    partial: int = 0
    failed: int = 0
    pages: int = 0
    facts: int = 0
    checks_failed: int = 0
    batches: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    not_read: list[tuple[str, str, str]] = field(default_factory=list)  # nothing committed for them


class BatchWriter:
    def __init__(
        self, out: Path, run_id: str, version: str, size: int, seconds: float, on_step: Step = no_step
    ) -> None:
        self.out, self.run_id, self.version = out, run_id, version
        self.size, self.seconds, self.on_step = max(1, size), seconds, on_step
        self.live: dict[str, list[Row]] = {}
        self.pending: dict[str, list[Row]] = {}
        self.count = 0
        self.last_commit = time.monotonic()
        self.tally = Tally()

    def add(self, result: ReportResult, paths: tuple[PathStat, ...], replaces: bool) -> bool:
        """Queue one report's rows; return True when that committed a batch. A stop (SIGINT,
        SIGTERM) waits until the report is queued whole, and its batch committed if it was due."""
        rows = _paths_stored(result_to_rows(result, self.version, self.run_id, paths))
        with uninterrupted():
            target = self.pending if replaces else self.live
            for name, table_rows in rows.items():
                target.setdefault(name, []).extend(table_rows)
            if replaces:
                rid = result.source.report_id or None
                self._change(rid, paths[0].path, "replace")
            self._count(result)
            self.count += 1
            if self.count >= self.size or time.monotonic() - self.last_commit >= self.seconds:
                self.flush()
                return True
        return False

    def stage_plan(self, plan: Plan) -> None:
        """Path updates and deletions decided by the inventory, staged in the run's first commit."""
        if plan.updates:
            self.pending.setdefault("reports", []).extend(self._updated_rows(plan.updates))
        for update in plan.updates:
            self._change(update.report_id, update.paths[0].path, "update")
        for rid, path in plan.deletes:
            self._change(rid, path, "delete")
        self.count += len(plan.updates) + len(plan.deletes)

    def flush(self) -> None:
        """Commit what is queued; a stop waits until the batch and its bookkeeping are both done."""
        with uninterrupted():
            if self.live or self.pending:
                batch = new_batch_id(self.run_id, self.tally.batches)
                commit_batch(self.out, batch, self.live, self.pending, self.on_step)
                self.tally.batches += 1
            self.live, self.pending, self.count = {}, {}, 0
            self.last_commit = time.monotonic()

    def _change(self, rid: str | None, path: str, action: str) -> None:
        stored = stored_path(path, needs_escape([path]))  # as the rows of an id-less report store it
        row = {"report_id": rid, "source_path": stored, "action": action, "run_id": self.run_id}
        self.pending.setdefault("changes", []).append(row)

    def _updated_rows(self, updates: Iterable[PathUpdate]) -> list[Row]:
        by_id = {u.report_id: u for u in updates}
        reports = read_table(self.out, "reports")
        old = reports.filter(pc.is_in(reports.column("report_id"), pa.array(list(by_id), pa.string())))
        rows = []
        for row in old.to_pylist():
            paths = by_id[row["report_id"]].paths
            row.update(
                source_path=paths[0].path,
                source_paths=[p.path for p in paths],
                source_mtimes=[from_us(p.mtime_us) for p in paths],
                file_mtime=from_us(paths[0].mtime_us),
                run_id=self.run_id,
            )
            rows.append(with_stored_paths(row))
        return rows

    def _count(self, result: ReportResult) -> None:
        t = self.tally
        t.reports += 1
        setattr(t, result.status, getattr(t, result.status) + 1)
        t.pages += len(result.pages)
        t.facts += len(result.facts)
        t.checks_failed += sum(1 for c in result.checks if not c.passed)
        if result.status == "failed":
            error = result.errors[0] if result.errors else None
            t.failures.append(
                (result.source.path, error.error if error else "unknown", error.message if error else "")
            )


def _paths_stored(rows: dict[str, list[Row]]) -> dict[str, list[Row]]:
    """Paths as Parquet can hold them (pathtext.py): a name that is not UTF-8 escaped, flagged."""
    return {
        name: [with_stored_paths(r) for r in table] if name in ("reports", "errors") else table
        for name, table in rows.items()
    }
