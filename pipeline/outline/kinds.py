"""Canonical kinds of level-1 sections: many wordings of one topic map to one value.

The kinds and their words are knowledge/sections.csv, tried in order; the first whose words
occur in the heading wins. The order matters: "因政府信息公开申请行政复议、提起行政诉讼的情况"
names requests and appeals, and is about appeals.
"""

from __future__ import annotations

from pipeline.core.text import squash
from pipeline.knowledge.load import knowledge


def section_kind(heading: str) -> str:
    """The kind of a level-1 heading: sections.csv's first kind whose words occur in it."""
    text = squash(heading)
    for kind in knowledge().sections:
        if any(w in text for w in kind.words):
            return kind.key
    return "unknown"
