"""The source folder as found: every file a reader reads, and every entry that is not one.

A run lists `*.pdf` files (the suffixes a reader reads) under the source folder with their size
and mtime. Links to files are followed (their target's bytes are the report). What cannot be
read as a report is not dropped silently: each is a `Skipped` entry with a stable class, which
the run reports (summary, log, an `errors` row of stage `inventory`):

- `unreadable_folder`: a folder that cannot be listed (permissions); its files are not read,
  and the reports already in the dataset from there are kept, not called missing;
- `folder_link`: a link to a folder, not followed (it could lead back into the tree: a loop);
  its target can be ingested on its own;
- `dangling_link`, `link_loop`: a `*.pdf` link to nothing, or to itself through other links;
- `not_a_regular_file`: a FIFO, a device or a socket named `*.pdf` (reading a FIFO would block
  the run forever);
- `unreadable_file`: a `*.pdf` entry that cannot even be looked at (stat fails).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.model import PathStat
from pipeline.extract.document import input_suffixes


@dataclass(frozen=True)
class Skipped:
    path: str  # relative to the folder ingested ("." for the folder itself)
    error: str
    message: str


@dataclass(frozen=True)
class Listing:
    root: Path  # what paths are relative to
    found: list[PathStat]  # sorted by path
    skipped: tuple[Skipped, ...]

    @property
    def unlisted(self) -> tuple[str, ...]:
        """Folders that could not be listed: what lies under them was not seen tonight."""
        return tuple(s.path for s in self.skipped if s.error == "unreadable_folder")


def scan_folder(src: Path) -> Listing:
    """Every regular file of a type a reader reads under `src` (or `src` itself, a file), with
    its size and mtime, paths relative to the root; and every entry skipped, with why."""
    if src.is_file():
        st = src.stat()
        return Listing(src.parent, [PathStat(src.name, st.st_size, st.st_mtime_ns // 1000)], ())
    found: list[PathStat] = []
    skipped: list[Skipped] = []
    suffixes = input_suffixes()

    def unlistable(exc: OSError) -> None:
        rel = os.path.relpath(exc.filename, src) if exc.filename else "."
        why = f"the folder cannot be listed ({exc.strerror}): its files are not read; the reports of those already in the dataset are kept"
        skipped.append(Skipped(rel, "unreadable_folder", why))

    for folder, dirs, files in os.walk(src, onerror=unlistable):
        dirs.sort()
        for name in dirs:
            if os.path.islink(os.path.join(folder, name)):  # os.walk does not enter it
                rel = os.path.relpath(os.path.join(folder, name), src)
                why = "a link to a folder is not followed (it could lead back into the tree); ingest its target on its own"
                skipped.append(Skipped(rel, "folder_link", why))
        for name in files:
            if not name.lower().endswith(suffixes):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, src)
            try:
                st = os.stat(path)
            except OSError as exc:
                skipped.append(_unstattable(rel, path, exc))
                continue
            if not stat.S_ISREG(st.st_mode):
                why = "not a regular file (a FIFO, a device or a socket): reading it could block the run"
                skipped.append(Skipped(rel, "not_a_regular_file", why))
                continue
            found.append(PathStat(rel, st.st_size, st.st_mtime_ns // 1000))
    return Listing(src, sorted(found, key=lambda p: p.path), tuple(sorted(skipped, key=lambda s: s.path)))


def _unstattable(rel: str, path: str, exc: OSError) -> Skipped:
    if exc.errno == errno.ELOOP:
        return Skipped(rel, "link_loop", "a link that leads back to itself")
    if os.path.islink(path):
        return Skipped(rel, "dangling_link", f"a link to nothing ({os.readlink(path)})")
    return Skipped(rel, "unreadable_file", f"cannot look at the file ({exc.strerror})")
