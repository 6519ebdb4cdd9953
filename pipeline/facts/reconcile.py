"""Choosing between OCR readings of a cell with the arithmetic of 表三 and 表四.

Where an identity fails and some of its cells were read more than one way (`Fact.alternatives`),
every combination of their readings is tried; a combination is taken only when it is the one
and only combination that makes every identity over those cells hold. Otherwise nothing
changes, the failed check stays, and `checks.apply_checks` lowers the cells' confidence.
A report's own misprint (a total printed wrong) has no alternative reading, so it is never
"corrected": only what the engine itself offered is chosen from.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from pipeline.core.model import Fact
from pipeline.core.numbers import parse_value
from pipeline.facts.checks import facts_to_checks

MAX_COMBINATIONS = 4096  # beyond this a component is left as read (and flagged by its checks)
CHOSEN_CONFIDENCE = 0.85  # picked by arithmetic, not by the engine: below the 0.9 of a sure reading
TABLES = ("t3", "t4")

Key = tuple[str, str, str]


def _key(f: Fact) -> Key | None:
    return (f.table, f.row, f.col) if f.table in TABLES and f.row and f.col else None


def _components(doubtful: set[Key], links: list[set[Key]]) -> list[list[Key]]:
    """Doubtful cells grouped by the identities they share."""
    parent = {k: k for k in doubtful}

    def root(k: Key) -> Key:
        while parent[k] != k:
            k = parent[k]
        return k

    for link in links:
        members = sorted(link & doubtful)
        for other in members[1:]:
            parent[root(other)] = root(members[0])
    groups: dict[Key, list[Key]] = {}
    for k in sorted(doubtful):
        groups.setdefault(root(k), []).append(k)
    return list(groups.values())


def choose_readings(facts: list[Fact]) -> list[Fact]:
    checks = facts_to_checks(facts)
    index = {k: i for i, f in enumerate(facts) if (k := _key(f)) is not None}
    involved = [{(c.table, *cell) for cell in c.cells} for c in checks]
    failed = [inv for inv, c in zip(involved, checks, strict=True) if not c.passed]
    doubtful = {k for inv in failed for k in inv if k in index and facts[index[k]].alternatives}
    if not doubtful:
        return facts
    out = list(facts)
    for component in _components(doubtful, involved):
        options = [[facts[index[k]].raw, *facts[index[k]].alternatives] for k in component]
        if any(not opts for opts in options) or _product(options) > MAX_COMBINATIONS:
            continue
        touched = [c for c, inv in zip(checks, involved, strict=True) if inv & set(component)]
        names = {c.check for c in touched}
        fits = []
        for combo in itertools.product(*options):
            trial = list(out)
            for k, text in zip(component, combo, strict=True):
                trial[index[k]] = _as_read(out[index[k]], text)
            if all(c.passed for c in facts_to_checks(trial) if c.check in names):
                fits.append(combo)
                if len(fits) > 1:
                    break
        if len(fits) == 1:
            for k, text in zip(component, fits[0], strict=True):
                f = out[index[k]]
                if text == f.raw:  # this reading was right: the arithmetic confirms it
                    confirmed = replace(f, confidence=max(f.confidence, CHOSEN_CONFIDENCE))
                    out[index[k]] = confirmed.flagged("chosen_by_check")
                    continue
                others = tuple(dict.fromkeys(a for a in (f.raw, *f.alternatives) if a != text))
                chosen = replace(_as_read(f, text), confidence=CHOSEN_CONFIDENCE, alternatives=others)
                out[index[k]] = chosen.flagged("chosen_by_check")
    return out


def _as_read(f: Fact, text: str) -> Fact:
    return replace(f, raw=text, value=parse_value(text, f.unit))


def _product(options: list[list[str]]) -> int:
    n = 1
    for opts in options:
        n *= len(opts)
    return n
