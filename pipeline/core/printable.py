"""Text from strangers (file names, a PDF's title) made safe to show: on a terminal, in a log line.

A file name may hold an escape sequence (ESC ] 0 ; … BEL retitles a terminal, ESC [ 2 J clears
it), a newline (a forged log line), a right-to-left override (text that reads backwards), or
bytes that are not UTF-8 (kept by Python as lone surrogates, which cannot even be printed).
`printable` escapes all of them the way Python writes them in a string literal (`\\x1b`, `\\n`,
`\\u202e`; an undecodable byte as `\\xff`), and leaves every other character — Chinese included —
as it is. `json_line` is `json.dumps` that does the same inside a JSON string: JSON already
escapes C0 controls; the C1 controls, the direction marks and the lone surrogates are escaped
as `\\uXXXX` too, so a log line stays one line and a JSON reader gets the exact text back.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 and C1 controls, DEL, bidirectional marks and overrides, line/paragraph separators, BOM,
# and the lone surrogates that stand for undecodable bytes (PEP 383)
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# in JSON text a raw tab or line break can only be layout (`indent`): json.dumps escapes them in strings
JSON_UNSAFE = re.compile(UNSAFE.pattern.replace("\x00-\x1f", "\x00-\x08\x0b\x0c\x0e-\x1f"))


def printable(text: object) -> str:
    """`text` with every control, direction mark and undecodable byte escaped; one line."""
    return UNSAFE.sub(_escaped, str(text))


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in NAMED:
        return NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_json(data: Any, indent: int | None = None) -> str:
    """JSON, readable (Chinese as itself), with nothing a terminal would act on (one line unless
    `indent`)."""
    text = json.dumps(data, ensure_ascii=False, default=str, indent=indent)
    return JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
