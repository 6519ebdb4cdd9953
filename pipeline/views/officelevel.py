"""The administrative level of an issuing office, for the run report's chart: office identity's
(pipeline/offices/identity.py, which reads the name against the region codes and the words of
knowledge/office_words.toml); `unknown` for a missing office."""

from __future__ import annotations

from pipeline.offices.identity import LEVELS, identify

__all__ = ["LEVELS", "office_level"]


def office_level(office: str | None) -> str:
    """One of `LEVELS` for an office name as printed in a report's title."""
    return identify(office).level if office and office.strip() else "unknown"
