"""A table folder replaced by its next version at one instant: a reader sees it before or after.

A commit that removes part files from a live table (a publish, a compaction, the runs row, the
cross-year checks) must never let a reader see the table between the two: without the old part
and without its replacement (rows hidden), or with both (rows twice). So the table's next
version is built beside it, under `_next/<commit>/<table>/`, with a hard link to every part that
stays and to every new part, plus a marker `.commit-<commit>`; then the two folders are swapped
by one `renameat2(RENAME_EXCHANGE)` and the old one (now in `_next/`) is deleted. Readers that
list `DST/<table>/*.parquet` get one folder or the other; a reader in the middle of a file keeps
its open file.

Replaying after a kill is safe at every step: the marker in the live folder says the swap was
done; otherwise the next version is built again from scratch (the live folder and the sources of
the new parts are untouched until the swap). Where the kernel or filesystem cannot exchange two
names (EINVAL: e.g. NFS), the old folder is renamed away and the new one into place: a reader
may then, for an instant, find no folder (an error, never wrong rows).
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from pipeline.store.files import UnsafeDataset, create_new, fsync_dir

NEXT_DIR = "_next"
RENAME_EXCHANGE = 2
AT_FDCWD = -100
_libc = ctypes.CDLL(None, use_errno=True)
_renameat2 = getattr(_libc, "renameat2", None)


class UnsafeFolder(UnsafeDataset):
    """A table folder that cannot be swapped without harm (a link, or holding a folder)."""


def exchange(a: Path, b: Path) -> bool:
    """Swap the names `a` and `b` atomically; False where this kernel or filesystem cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def marker(commit: str) -> str:
    return f".commit-{commit}"


def swap_folder(
    root: Path,
    folder: str,
    removes: Collection[str],
    adds: Sequence[tuple[str, str]],
    commit: str,
    on_step: Callable[[str], None],
) -> None:
    """Replace `root/folder` by itself without the files named in `removes` and with each `adds`
    source (relative to root) under its new name. Idempotent (see the module's docstring)."""
    live = root / folder
    staging = root / NEXT_DIR / commit / folder
    if (live / marker(commit)).exists():
        discard(root, commit, folder)  # swapped before a kill: only the old folder is left to delete
        return
    if not live.exists() and (staging / marker(commit)).exists():
        os.rename(staging, live)  # the fallback's second rename, killed before it
        return
    _refuse_links(root, folder)
    if staging.exists():
        shutil.rmtree(staging)  # half built by a killed writer: built again
    staging.mkdir(parents=True)
    _carry(live, staging, set(removes))
    for source, name in adds:
        os.link(root / source, staging / name)
    with create_new(staging / marker(commit)):
        pass
    fsync_dir(staging)
    on_step(f"built {folder}")
    if live.exists() and not exchange(staging, live):
        os.rename(live, staging.with_name(f"{folder}.old"))
        os.rename(staging, live)
    elif not live.exists():
        os.rename(staging, live)
    fsync_dir(root)
    on_step(f"swapped {folder}")
    discard(root, commit, folder)


def discard(root: Path, commit: str, folder: str) -> None:
    """Delete what a swap left in `_next/<commit>/`: the old folder (either name)."""
    base = root / NEXT_DIR / commit
    for leftover in (base / folder, base / f"{folder}.old"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)
    if base.is_dir() and not any(base.iterdir()):
        base.rmdir()


def _carry(live: Path, staging: Path, removes: set[str]) -> None:
    """Hard-link every file of `live` that stays into `staging` (hidden files stay behind)."""
    if not live.is_dir():
        return
    for entry in os.scandir(live):
        if entry.name.startswith(".") or entry.name in removes:
            continue
        if entry.is_dir(follow_symlinks=False):
            raise UnsafeFolder(
                f"the table folder {live} holds a folder ({entry.name}) this pipeline did not write; "
                "move it away, then run again"
            )
        os.link(entry.path, staging / entry.name, follow_symlinks=False)


def _refuse_links(root: Path, folder: str) -> None:
    for path in (root / NEXT_DIR, root / folder):
        if path.is_symlink():
            raise UnsafeFolder(f"{path} is a symbolic link; a dataset's folders must be real folders")
