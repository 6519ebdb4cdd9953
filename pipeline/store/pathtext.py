"""File paths as Parquet text, losslessly, even when a name is not valid UTF-8.

Linux file names are bytes; Python gives a name that is not UTF-8 back with its odd bytes as lone
surrogates (PEP 383: `b'bad\\xff.pdf'` → `'bad\\udcff.pdf'`), which Arrow refuses to store. Such a
path is stored as readable text with each odd byte written `\\xff` and each backslash doubled
(`bad\\xff.pdf`), and the row says so (`path_escaped = true`): the path comes back byte for byte
(`path_from_store`), and a person reads it as it is shown everywhere else. A path that is valid
UTF-8 is stored as it is, whatever it holds (backslashes included), with `path_escaped = false`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

ODD_BYTE = re.compile("[\\\\\udc80-\udcff]")
ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2})")


def is_utf8(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def needs_escape(paths: Iterable[str]) -> bool:
    """Whether a row with these paths stores them escaped (one of them is not UTF-8)."""
    return not all(is_utf8(p) for p in paths)


def stored_path(path: str, escaped: bool) -> str:
    """The text stored for `path` in a row whose `path_escaped` is `escaped`."""
    if not escaped:
        return path
    return ODD_BYTE.sub(lambda m: "\\\\" if m.group() == "\\" else f"\\x{ord(m.group()) - 0xDC00:02x}", path)


def path_from_store(text: str, escaped: bool) -> str:
    """The path (as Python's file functions take it) that `stored_path` turned into `text`."""
    if not escaped:
        return text
    return ESCAPE.sub(lambda m: "\\" if m.group(1) == "\\" else chr(0xDC00 + int(m.group(1)[1:], 16)), text)


def with_stored_paths(row: dict[str, Any]) -> dict[str, Any]:
    """A row (`reports`, `errors`) with its `source_path`(s) as stored and `path_escaped` set."""
    paths = row.get("source_paths") or [row["source_path"]]
    escaped = needs_escape(p for p in paths if p is not None)
    out = {**row, "path_escaped": escaped}
    if row.get("source_path") is not None:
        out["source_path"] = stored_path(row["source_path"], escaped)
    if row.get("source_paths") is not None:
        out["source_paths"] = [stored_path(p, escaped) for p in row["source_paths"]]
    return out


def paths_from_row(row: dict[str, Any]) -> list[str]:
    """The real paths of a stored `reports` row (`source_paths`, else `source_path`)."""
    escaped = bool(row.get("path_escaped"))
    return [path_from_store(p, escaped) for p in (row.get("source_paths") or [row["source_path"]])]
