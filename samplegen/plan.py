"""What one report prints: its content, then either one injected loss or its tables' forced page breaks.

The content is drawn exactly as without either, so a report that gets neither prints byte for byte the
same as with both shares at 0; loss and breaks come from RNGs of their own (losses.py, pagebreaks.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from samplegen.content import build_report
from samplegen.losses import KINDS, apply_loss, check_kinds, draw_loss
from samplegen.model import Report
from samplegen.pagebreaks import apply_breaks, draw_breaks


@dataclass(frozen=True)
class Injections:
    losses: float = 0.0  # share of reports with one injected loss
    loss_kinds: tuple[str, ...] = KINDS
    breaks: float = 0.0  # share of the other reports whose tables break before a body row

    def __post_init__(self) -> None:
        for share in (self.losses, self.breaks):
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"losses and breaks are shares of the reports, between 0 and 1, not {share}")
        check_kinds(self.loss_kinds)

    @classmethod
    def of(cls, losses: float, loss_kinds: Sequence[str], breaks: float) -> Injections:
        return cls(losses, tuple(loss_kinds), breaks)


def plan_report(seed: int, index: int, fmt: str, inj: Injections = Injections()) -> Report:
    report = build_report(seed, index, fmt)
    loss = draw_loss(report, inj.losses, inj.loss_kinds) if inj.losses > 0 else None
    if loss is not None:
        return apply_loss(report, loss)
    where = draw_breaks(report, inj.breaks) if inj.breaks > 0 else ()
    return apply_breaks(report, where) if where else report
