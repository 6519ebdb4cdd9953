"""Synthetic 政府信息公开工作年度报告 PDFs (text and scanned) with truth files: the pipeline's test bed."""

from samplegen.content import FORMATS, build_report
from samplegen.generate import generate
from samplegen.losses import KINDS as LOSS_KINDS
from samplegen.plan import Injections, plan_report

__all__ = ["FORMATS", "LOSS_KINDS", "Injections", "build_report", "generate", "plan_report"]
