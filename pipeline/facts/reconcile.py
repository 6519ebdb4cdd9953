"""Choosing between OCR readings of a cell with the arithmetic of 表三 and 表四.

Where an identity fails and some of its cells were read more than one way (`Fact.alternatives`),
every combination of their readings is tried; a combination is taken only when it is the one
and only combination that makes every identity over those cells hold. Otherwise nothing
changes, the failed check stays, and `checks.apply_checks` lowers the cells' confidence.
One misread glyph (a copied 0 read 9) is looked for too: an OCR figure that every failed
identity it takes part in (two at least: a row and a column) fixes to one value, one digit off
the reading, is taken to be that value (`one_glyph_corrected`); and such values join the
engine's alternatives in the search for the one combination that fits (two misreads in one
row, each found by its column). Never for a cell of 表四 alone (one identity: any of its cells
could be the wrong one). A misprint stays unless it is one digit off what both its row and its
column say; then it is `chosen_by_check` as well, the printed reading kept in `alternatives`.

A cell with ink that no reading made a number of (`ocr_unreadable`) is given the value the
identities fix, when it is the one unknown of an identity and every such identity agrees
(`inferred_by_check`, confidence INFERRED_CONFIDENCE): a figure the table itself determines,
said to be so, rather than none — but not a 0 in a table that leaves cells blank (it may have
left this one blank). Cells read, however doubtfully, are never overwritten.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.core.model import Fact
from pipeline.core.numbers import is_blank, parse_value
from pipeline.facts.checks import Identity, facts_to_checks, identities, identity_check, table_values

MAX_STEPS = 200_000  # readings tried in one component's search; beyond, it is left as read (and flagged)
CHOSEN_CONFIDENCE = 0.85  # picked by arithmetic, not by the engine: below the 0.9 of a sure reading
INFERRED_CONFIDENCE = 0.7  # not read at all: the sums alone say what was printed
TABLES = ("t3", "t4")
MAX_ROUNDS = 4  # each round settles what the one before left the one unknown of its identities

Key = tuple[str, str, str]


def _key(f: Fact) -> Key | None:
    return (f.table, f.row, f.col) if f.table in TABLES and f.row and f.col else None


def _index(facts: list[Fact]) -> dict[Key, int]:
    return {k: i for i, f in enumerate(facts) if (k := _key(f)) is not None}


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


def reconciled(facts: list[Fact]) -> list[Fact]:
    """The figures of 表三/表四 the identities settle: a digit misread that a row and a column
    both show, a reading among several, an unreadable cell the sums fix — in rounds, as each
    settled figure can leave another the one unknown of its identities."""
    for _ in range(MAX_ROUNDS):
        settled = inferred_unreadable(choose_readings(one_glyph_corrected(facts)))
        if settled == facts:
            break
        facts = settled
    return facts


def choose_readings(facts: list[Fact]) -> list[Fact]:
    checks = facts_to_checks(facts)
    index = _index(facts)
    implied = _one_digit_off_readings(facts, index)
    readings = {
        k: list(dict.fromkeys((facts[i].raw, *facts[i].alternatives, *implied.get(k, ()))))
        for k, i in index.items()
    }
    involved = [{(c.table, *cell) for cell in c.cells} for c in checks]
    failed = [inv for inv, c in zip(involved, checks, strict=True) if not c.passed]
    doubtful = {k for inv in failed for k in inv if k in index and len(readings[k]) > 1}
    if not doubtful:
        return facts
    out = list(facts)
    rules = identities(facts)
    for component in _components(doubtful, involved):
        fits = _fits(component, [readings[k] for k in component], out, index, rules)
        if len(fits) == 1:
            for k, text in zip(component, fits[0], strict=True):
                f = out[index[k]]
                if text == f.raw:  # this reading was right: the arithmetic confirms it
                    confirmed = replace(f, confidence=max(f.confidence, CHOSEN_CONFIDENCE))
                    out[index[k]] = confirmed.flagged("chosen_by_check")
                    continue
                out[index[k]] = _chosen(f, text)
    return out


def _fits(
    component: list[Key],
    options: list[list[str]],
    facts: list[Fact],
    index: dict[Key, int],
    rules: list[Identity],
) -> list[tuple[str, ...]]:
    """The combinations of the component's readings that make every identity over its cells hold
    (two of different values at most: a second means the arithmetic cannot choose; none when the
    search would take more than MAX_STEPS). Depth first, each identity tested as soon as its last
    cell of the component has a reading, so that a wrong reading is dropped before the cells
    after it."""
    position = {k: n for n, k in enumerate(component)}
    due: list[list[Identity]] = [[] for _ in component]
    for rule in rules:
        at = [position[key] for cell in (*rule[2], *rule[3]) if (key := (rule[0], *cell)) in position]
        if at:
            due[max(at)].append(rule)
    values = table_values(facts)
    parsed = [
        [_as_read(facts[index[k]], text).value for text in opts]
        for k, opts in zip(component, options, strict=True)
    ]
    fits: list[tuple[str, ...]] = []
    found: set[tuple[float | None, ...]] = set()
    chosen: list[int] = []
    steps = 0

    def search(depth: int) -> bool:  # False: give up
        nonlocal steps
        if depth == len(component):
            same = tuple(parsed[d][n] for d, n in enumerate(chosen))
            if same not in found:  # '-0' and '0' are one fit
                found.add(same)
                fits.append(tuple(options[d][n] for d, n in enumerate(chosen)))
            return len(fits) < 2
        key = component[depth]
        for n, value in enumerate(parsed[depth]):
            steps += 1
            if steps > MAX_STEPS:
                fits.clear()
                return False
            values[key[0]][key[1:]] = value
            if all((c := identity_check(rule, values[rule[0]])) is None or c.passed for rule in due[depth]):
                chosen.append(n)
                going = search(depth + 1)
                chosen.pop()
                if not going:
                    return False
        return True

    search(0)
    return fits


def _as_read(f: Fact, text: str) -> Fact:
    return replace(f, raw=text, value=parse_value(text, f.unit))


def _chosen(f: Fact, text: str) -> Fact:
    """The fact read as `text`, picked by the arithmetic: its other readings kept as alternatives."""
    others = tuple(dict.fromkeys(a for a in (f.raw, *f.alternatives) if a != text))
    return replace(_as_read(f, text), confidence=CHOSEN_CONFIDENCE, alternatives=others).flagged(
        "chosen_by_check"
    )


def inferred_unreadable(facts: list[Fact]) -> list[Fact]:
    """Unreadable cells of 表三 and 表四 filled from the identities (see the module's doc), in
    rounds: a cell filled may leave another the one unknown of its identity."""
    out = list(facts)
    index = _index(out)
    rules = identities(out)
    blanks = {f.table for f in out if f.value is None and is_blank(f.raw) and "ocr_unreadable" not in f.flags}
    while True:
        unknown = {k for k, i in index.items() if out[i].value is None and "ocr_unreadable" in out[i].flags}
        solved: dict[Key, set[float]] = {}
        for rule in rules:
            for key, value in _solve(rule, out, index, unknown):
                solved.setdefault(key, set()).add(value)
        found = {k: v.pop() for k, v in solved.items() if len(v) == 1}
        # a 0 where the table leaves other cells blank may have been printed blank: not said
        found = {k: v for k, v in found.items() if v >= 0 and v == int(v) and (v or k[0] not in blanks)}
        if not found:
            return out
        for key, value in found.items():
            f = out[index[key]]
            flags = tuple(x for x in f.flags if x != "ocr_unreadable")
            filled = replace(f, value=value, confidence=INFERRED_CONFIDENCE, flags=flags)
            out[index[key]] = filled.flagged("inferred_by_check")


def _solve(
    rule: Identity, facts: list[Fact], index: dict[Key, int], unknown: set[Key]
) -> list[tuple[Key, float]]:
    """The value of the identity's one unknown cell, if it has exactly one and every other cell
    was found (a part left blank counts as 0; a total must be printed)."""
    table, _, totals, parts = rule
    cells = [((table, *k), True) for k in totals] + [((table, *k), False) for k in parts]
    missing = [(k, is_total) for k, is_total in cells if k in unknown]
    if len(missing) != 1 or any(k not in index for k, _ in cells):
        return []
    key, is_total = missing[0]
    total = part = 0.0
    for k, in_totals in cells:
        if k == key:
            continue
        value = facts[index[k]].value
        if value is None and in_totals:
            return []  # a total not printed: the identity does not hold as printed
        if in_totals:
            total += value or 0.0
        else:
            part += value or 0.0
    return [(key, part - total if is_total else total - part)]


def one_glyph_corrected(facts: list[Fact]) -> list[Fact]:
    """OCR figures of 表三/表四 that every failed identity they take part in (two at least) fixes
    to one value, one digit off the reading: taken at once, before the search for combinations
    (`choose_readings`), which more candidates can leave with more than one fit."""
    out = list(facts)
    index = _index(out)
    for key, wanted in _identity_fixes(out, index).items():
        f = out[index[key]]
        new = wanted[0]
        if len(wanted) < 2 or any(w != new for w in wanted) or new < 0 or new != int(new):
            continue
        text = str(int(new))
        if not _one_digit_off(f.raw, text):
            continue
        trial = list(out)
        trial[index[key]] = _chosen(f, text)
        if all(c.passed for c in facts_to_checks(trial) if c.table == key[0] and key[1:] in c.cells):
            out = trial
    return out


def _one_digit_off_readings(facts: list[Fact], index: dict[Key, int]) -> dict[Key, list[str]]:
    """For each OCR figure in two failed identities or more, the values that would make them
    hold, where they differ from the reading in one digit: what one misread glyph would have
    hidden; for a lone digit, every other digit (where two misreads share its row or column,
    neither identity says what it should be). (A cell in one failed identity alone, as every
    cell of 表四 is, gets none: any cell of it could be the misread one.)"""
    out = {}
    for key, values in _identity_fixes(facts, index).items():
        raw = facts[index[key]].raw
        if len(values) < 2:
            continue
        implied = [str(int(v)) for v in dict.fromkeys(values) if v >= 0 and v == int(v)]
        # a lone digit may be any other (two misreads in one row or column imply neither's value)
        digits = [d for d in "0123456789" if d != raw] if len(raw) == 1 and raw.isdigit() else []
        out[key] = list(dict.fromkeys(v for v in (*implied, *digits) if _one_digit_off(raw, v)))
    return out


def _identity_fixes(facts: list[Fact], index: dict[Key, int]) -> dict[Key, list[float]]:
    """For each OCR figure in a failed identity, the value each such identity would need it to be."""
    by_table = table_values(facts)
    fixes: dict[Key, list[float]] = {}
    for rule in identities(facts):
        table, _, totals, _parts = rule
        check = identity_check(rule, by_table[table])
        if check is None or check.passed:
            continue
        gap = check.actual - check.expected  # a total short by this, a part over by it
        for cell in check.cells:
            f = facts[index[(table, *cell)]] if (table, *cell) in index else None
            if f is not None and f.value is not None and f.method == "ocr":
                fixes.setdefault((table, *cell), []).append(
                    f.value + gap if cell in totals else f.value - gap
                )
    return fixes


def _one_digit_off(read: str, printed: str) -> bool:
    """Whether two figures of as many digits differ in one of them."""
    digits = "".join(ch for ch in read if ch.isdigit())
    return len(digits) == len(printed) and sum(a != b for a, b in zip(digits, printed, strict=True)) == 1
