"""Synthetic 政府信息公开工作年度报告 PDFs (text and scanned) with truth files: the pipeline's test bed."""

from samplegen.content import FORMATS, build_report
from samplegen.generate import generate

__all__ = ["FORMATS", "build_report", "generate"]
