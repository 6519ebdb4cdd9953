"""One name for the dataset in every command: `--dataset DIR` (default data/processed).

Older spellings still work and say once, on stderr, what to write instead: `ingest --out DIR`,
`report DIR`, `compact DIR` (a positional folder).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.core import config


class _Deprecated(argparse.Action):
    """Stores into `dataset`, and notes that the old spelling was used."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option: str | None = None,
    ) -> None:
        if values is None:
            return
        namespace.dataset = Path(values)
        spelled = option or "a positional DATASET"
        note = f"note: {spelled} is deprecated; write --dataset {values} (the same in every command)"
        namespace.deprecations = [*getattr(namespace, "deprecations", []), note]


def add_dataset_option(
    parser: argparse.ArgumentParser, old: str | None = None, help: str = "dataset folder"
) -> None:
    parser.add_argument(
        "--dataset",
        type=Path,
        default=config.DATASET,
        metavar="DIR",
        help=f"{help} (default: {config.DATASET})",
    )
    if old:
        parser.add_argument(
            old, action=_Deprecated, dest="old_dataset", metavar="DIR", help=argparse.SUPPRESS
        )


def add_positional_dataset(parser: argparse.ArgumentParser) -> None:
    """The former positional dataset folder (`report DIR`), still read, with a note."""
    parser.add_argument(
        "old_dataset", nargs="?", action=_Deprecated, metavar="DATASET", help=argparse.SUPPRESS
    )


def tell_deprecations(args: argparse.Namespace, notes: Sequence[str] = ()) -> None:
    for note in [*getattr(args, "deprecations", []), *notes]:
        print(note, file=sys.stderr, flush=True)
