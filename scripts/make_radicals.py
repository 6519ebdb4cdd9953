"""Write pipeline/knowledge/radicals.csv from Unicode's EquivalentUnifiedIdeograph.txt.

    python -m scripts.make_radicals [/usr/share/unicode/EquivalentUnifiedIdeograph.txt]

Some PDF producers write a CJK or Kangxi radical code point (⺠ U+2EA0, ⼀ U+2F00) for a
character that is a plain ideograph (民, 一); NFKC folds the Kangxi radicals but not the CJK
Radicals Supplement. The Unicode Character Database lists the equivalent ideograph of each
(Debian's package `unicode-data` installs the file); the pipeline reads the CSV this writes.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

SOURCE = Path("/usr/share/unicode/EquivalentUnifiedIdeograph.txt")
TARGET = Path(__file__).resolve().parents[1] / "pipeline" / "knowledge" / "radicals.csv"


def parse(text: str) -> list[tuple[int, int]]:
    pairs = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        codes, ideograph = (part.strip() for part in line.split(";"))
        first, _, last = codes.partition("..")
        for code in range(int(first, 16), int(last or first, 16) + 1):
            pairs.append((code, int(ideograph, 16)))
    return pairs


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    source = Path(args[0]) if args else SOURCE
    text = source.read_text(encoding="utf-8")
    version = next(
        (line for line in text.splitlines() if line.startswith("# EquivalentUnifiedIdeograph")), ""
    )
    rows = ["radical,ideograph,name"]
    rows += [f"{chr(r)},{chr(i)},{unicodedata.name(chr(r), '')}" for r, i in parse(text)]
    TARGET.write_text(
        f"# from {version.lstrip('# ')} (scripts/make_radicals.py)\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    print(f"{len(rows) - 1} radicals → {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
