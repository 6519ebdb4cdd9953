"""File names are data from strangers (issue 14, faults 1 and 8).

A name that is not valid UTF-8 is stored losslessly (escaped text, flagged) and the batch commits;
every human-facing output (plain log lines, the summary, `show`, JSON log lines) shows control
characters escaped, so a name cannot drive the terminal nor forge a log line.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd

from pipeline.store.pathtext import path_from_store

from .batchkit import cli

CONTROL = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))]


def bytes_name(folder: Path, name: bytes) -> Path:
    return Path(os.fsdecode(os.fsencode(folder) + b"/" + name))


def test_a_name_that_is_not_utf8_is_stored_losslessly(tmp_path: Path, sample_pdfs: list[Path]) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    shutil.copy(sample_pdfs[0], bytes_name(src, b"bad\xff.pdf"))
    odd = bytes_name(src, b"dir\xfe")
    odd.mkdir()
    shutil.copy(sample_pdfs[1], odd / "back\\slash.pdf")  # a backslash in an escaped row stays itself
    shutil.copy(sample_pdfs[2], src / "good.pdf")
    bytes_name(src, b"broken\xfd.pdf").write_bytes(b"%PDF-1.7\nnothing else")
    run = cli("ingest", src, "--dataset", out)
    assert run.returncode == 1, run.stderr  # the broken file failed; everything committed
    assert "failed: broken\\xfd.pdf: corrupt_pdf" in run.stdout
    reports = pd.read_parquet(out / "reports").set_index("source_path")
    assert sorted(reports.index) == [
        "bad\\xff.pdf",
        "broken\\xfd.pdf",
        "dir\\xfe/back\\\\slash.pdf",
        "good.pdf",
    ]
    assert reports.path_escaped.to_dict() == {
        "bad\\xff.pdf": True,
        "broken\\xfd.pdf": True,
        "dir\\xfe/back\\\\slash.pdf": True,
        "good.pdf": False,
    }
    for text in reports.index:
        real = path_from_store(text, bool(reports.path_escaped[text]))
        assert os.path.isfile(os.path.join(src, real)), text
    errors = pd.read_parquet(out / "errors")
    assert errors[["source_path", "path_escaped"]].values.tolist() == [["broken\\xfd.pdf", True]]
    again = cli("ingest", src, "--dataset", out)  # the stored paths are the paths found: nothing to redo
    assert again.returncode == 0, again.stderr
    assert "0 ok, 0 partial, 0 failed, 4 skipped" in again.stdout
    shown = cli("show", "bad\\xff", "--dataset", out)
    assert shown.returncode == 0, shown.stderr
    assert "bad\\xff.pdf" in shown.stdout
    review = cli("review", "bad\\xff", "--dataset", out, "--out", tmp_path / "review.html")
    assert review.returncode == 0, review.stderr  # the PDF found again through its real name


def test_control_characters_in_names_are_escaped_in_every_output(
    tmp_path: Path, sample_pdfs: list[Path]
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    names = {
        "title\x1b]0;owned\x07.pdf": "title\\x1b]0;owned\\x07.pdf",
        "red\x1b[31m\u202etxt.pdf": "red\\x1b[31m\\u202etxt.pdf",
        "x\nfound 99 files: 0 unchanged, forged.pdf": "x\\nfound 99 files: 0 unchanged, forged.pdf",
        "csi\x9b2J.pdf": "csi\\x9b2J.pdf",
    }
    for i, name in enumerate(names):
        shutil.copy(sample_pdfs[i], src / name)
    (src / "bell\x07broken.pdf").write_bytes(b"%PDF-1.7\nnothing else")
    plain = cli("ingest", src, "--dataset", out)
    assert plain.returncode == 1, plain.stderr
    for output in (plain.stdout, plain.stderr):
        assert not any(c in output.replace("\n", "") for c in CONTROL), repr(output)
        assert "\u202e" not in output
    lines = plain.stderr.splitlines()
    assert not any(line.startswith("found 99") for line in lines), lines
    assert sum(line.startswith("[") for line in lines) == 5
    for shown in names.values():
        assert shown in plain.stderr
    assert "failed: bell\\x07broken.pdf: corrupt_pdf" in plain.stdout

    logged = cli("ingest", src, "--dataset", tmp_path / "json", "--log-json")
    for line in logged.stderr.splitlines():
        assert not any(c in line for c in CONTROL) and "\u202e" not in line, repr(line)
        json.loads(line)
    paths = {json.loads(line).get("path") for line in logged.stderr.splitlines()}
    assert set(names) <= paths  # JSON escapes give back the names exactly

    for key in ("title", "red", "forged"):
        shown = cli("show", key, "--dataset", out)
        assert shown.returncode == 0, shown.stderr
        assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout and "\u202e" not in shown.stdout
