"""The run plan, as a pure function of the folder found and the reports already written."""

from __future__ import annotations

from pipeline.core.model import PathStat, PipelineError
from pipeline.run.inventory import Known, Policy, needs_hashing, plan_run

V1 = Policy("1")


def stat(path: str, size: int = 10, mtime: int = 1) -> PathStat:
    return PathStat(path, size, mtime)


def known(rid: str | None, *paths: PathStat, version: str = "1", status: str = "ok") -> Known:
    return Known(rid, tuple(paths), version, status)


def test_unchanged_paths_are_not_hashed_and_need_nothing() -> None:
    found = [stat("a.pdf"), stat("b.pdf")]
    old = [known("A", stat("a.pdf")), known("B", stat("b.pdf"))]
    assert needs_hashing(found, old) == []
    plan = plan_run(found, old, {}, V1)
    assert (plan.unchanged, plan.hashed, plan.tasks, plan.updates, plan.deletes, plan.missing) == (
        2,
        0,
        (),
        (),
        (),
        (),
    )


def test_a_touched_file_is_hashed_and_only_its_mtime_recorded() -> None:
    found = [stat("a.pdf", mtime=2)]
    old = [known("A", stat("a.pdf"))]
    assert needs_hashing(found, old) == found
    plan = plan_run(found, old, {"a.pdf": "A"}, V1)
    assert plan.tasks == ()
    assert [u.paths for u in plan.updates] == [(stat("a.pdf", mtime=2),)]


def test_same_bytes_under_two_paths_are_one_task_with_both_paths() -> None:
    found = [stat("x/b.pdf"), stat("a.pdf")]
    plan = plan_run(found, [], {"a.pdf": "H", "x/b.pdf": "H"}, V1)
    assert len(plan.tasks) == 1
    assert [p.path for p in plan.tasks[0].paths] == ["a.pdf", "x/b.pdf"]
    assert not plan.tasks[0].replaces


def test_a_new_copy_of_a_known_report_updates_its_paths_only() -> None:
    found = [stat("a.pdf"), stat("copy.pdf", mtime=5)]
    old = [known("A", stat("a.pdf"))]
    plan = plan_run(found, old, {"copy.pdf": "A"}, V1)
    assert plan.tasks == ()
    assert [(u.report_id, [p.path for p in u.paths]) for u in plan.updates] == [("A", ["a.pdf", "copy.pdf"])]


def test_a_file_changed_in_place_replaces_its_old_report() -> None:
    found = [stat("a.pdf", size=11)]
    old = [known("A", stat("a.pdf"))]
    plan = plan_run(found, old, {"a.pdf": "B"}, V1)
    assert [(t.report_id, t.replaces) for t in plan.tasks] == [("B", True)]
    assert plan.deletes == (("A", "a.pdf"),)


def test_a_changed_file_whose_old_bytes_live_on_elsewhere_only_loses_that_path() -> None:
    found = [stat("a.pdf", size=11), stat("b.pdf")]
    old = [known("A", stat("a.pdf"), stat("b.pdf"))]
    plan = plan_run(found, old, {"a.pdf": "B"}, V1)
    assert [t.report_id for t in plan.tasks] == ["B"]
    assert [(u.report_id, [p.path for p in u.paths]) for u in plan.updates] == [("A", ["b.pdf"])]
    assert plan.deletes == ()


def test_a_report_with_no_file_left_is_missing_and_kept() -> None:
    old = [known("A", stat("a.pdf"), stat("copy.pdf")), known("B", stat("b.pdf"))]
    plan = plan_run([stat("b.pdf")], old, {}, V1)
    assert plan.missing == ("a.pdf", "copy.pdf")
    assert plan.deletes == () and plan.updates == () and plan.tasks == ()


def test_a_moved_file_is_a_path_update_not_a_missing_report() -> None:
    old = [known("A", stat("old/a.pdf"))]
    plan = plan_run([stat("new/a.pdf")], old, {"new/a.pdf": "A"}, V1)
    assert plan.missing == ()
    assert [[p.path for p in u.paths] for u in plan.updates] == [["new/a.pdf"]]


def test_a_new_version_or_force_reprocesses_without_hashing() -> None:
    found = [stat("a.pdf")]
    old = [known("A", stat("a.pdf"), version="0")]
    plan = plan_run(found, old, {}, V1)
    assert [(t.report_id, t.replaces) for t in plan.tasks] == [("A", True)]
    assert plan_run(found, [known("A", stat("a.pdf"))], {}, Policy("1", force=True)).tasks


def test_failed_reports_are_retried_only_when_asked() -> None:
    found = [stat("a.pdf")]
    old = [known("A", stat("a.pdf"), status="failed")]
    assert plan_run(found, old, {}, V1).tasks == ()
    assert len(plan_run(found, old, {}, Policy("1", retry_failed=True)).tasks) == 1


def test_unreadable_files_and_their_recovery() -> None:
    error = PipelineError("hash", "unreadable_file", "denied")
    plan = plan_run([stat("a.pdf")], [], {"a.pdf": error}, V1)
    assert [(u.stat.path, u.error.error, u.replaces) for u in plan.unreadable] == [
        ("a.pdf", "unreadable_file", False)
    ]
    # readable again (different mtime): the failed, id-less row is deleted, the bytes processed
    later = plan_run([stat("a.pdf", mtime=2)], [known(None, stat("a.pdf"))], {"a.pdf": "A"}, V1)
    assert later.deletes == ((None, "a.pdf"),)
    assert [(t.report_id, t.replaces) for t in later.tasks] == [("A", True)]


def test_larger_files_go_first() -> None:
    found = [stat("small.pdf", size=1), stat("big.pdf", size=100)]
    plan = plan_run(found, [], {"small.pdf": "S", "big.pdf": "B"}, V1)
    assert [t.primary.path for t in plan.tasks] == ["big.pdf", "small.pdf"]


def test_a_known_report_unreadable_tonight_is_kept_not_deleted() -> None:
    """Issue 14, fault 2: its path is there, but could not be read: neither replaced nor missing."""
    error = PipelineError("hash", "unreadable_file", "denied")
    plan = plan_run([stat("a.pdf", mtime=2)], [known("A", stat("a.pdf"))], {"a.pdf": error}, V1)
    assert (plan.deletes, plan.missing, plan.tasks, plan.updates) == ((), (), (), ())
    assert [(u.stat.path, u.replaces, u.keeps) for u in plan.unreadable] == [("a.pdf", True, True)]
    # an id-less failure is hashed again every run, even at the size and mtime it was recorded with
    assert needs_hashing([stat("b.pdf")], [known(None, stat("b.pdf"))]) == [stat("b.pdf")]
