"""Stages 2–3 on an extracted Document: outline, metadata, facts and their checks."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.model import Check, Document, Fact, PageRecord, PipelineError, ReportMeta, Section
from pipeline.facts.checks import facts_to_checks, penalise_failed
from pipeline.facts.prose import paragraphs_to_facts
from pipeline.facts.reconcile import choose_readings
from pipeline.facts.tables import tables_to_facts
from pipeline.outline.fields import outline_to_meta
from pipeline.outline.segment import document_to_outline


@dataclass(frozen=True)
class Analysis:
    meta: ReportMeta
    pages: tuple[PageRecord, ...]
    facts: tuple[Fact, ...]
    sections: tuple[Section, ...]
    checks: tuple[Check, ...]
    errors: tuple[PipelineError, ...]


def analyze(doc: Document) -> Analysis:
    outline = document_to_outline(doc)
    methods = {p.number: p.method for p in doc.pages}
    facts, kinds = tables_to_facts(doc.tables, methods)
    facts = choose_readings(facts)  # OCR cells read two ways: the reading the identities allow
    facts += paragraphs_to_facts(outline.paragraphs, methods)
    checks = facts_to_checks(facts)
    facts = penalise_failed(facts, checks)
    meta = outline_to_meta(outline, facts, kinds)
    errors = list(doc.errors)
    if doc.pages and not any(p.chars for p in doc.pages):
        errors.append(PipelineError("extract", "no_text", "no page yielded any text"))
    pages = tuple(
        PageRecord(p.number, p.method, p.chars, p.ocr_reason, p.ocr_confidence, p.seconds, len(p.tables))
        for p in doc.pages
    )
    return Analysis(meta, pages, tuple(facts), outline.sections, tuple(checks), tuple(errors))
