"""Canonical kinds of level-1 sections: many wordings of one topic map to one value.

Rules are tried in order; the first whose words occur in the heading wins. The order matters:
"因政府信息公开申请行政复议、提起行政诉讼的情况" names requests and appeals, and is about appeals.
"""

from __future__ import annotations

from pipeline.core.text import squash

KIND_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("statistics", ("统计表", "统计数据", "情况统计")),
    (
        "problems",
        (
            "存在的主要问题",
            "存在问题",
            "主要问题",
            "问题和改进",
            "问题及改进",
            "改进措施",
            "改进情况",
            "不足",
        ),
    ),
    ("fees", ("收费", "减免")),
    ("review_litigation", ("行政复议", "行政诉讼", "复议", "诉讼", "申诉")),
    ("requests", ("依申请", "收到和处理", "申请公开", "公开申请")),
    ("proactive", ("主动公开",)),
    ("interpretation", ("政策解读", "解读", "回应社会关切", "回应关切", "舆情")),
    ("platforms", ("平台建设", "载体建设", "网站建设", "公开平台", "公开载体", "新媒体")),
    ("management", ("组织领导", "领导", "机构建设", "制度建设", "保障措施", "监督", "考核", "培训", "队伍")),
    ("other", ("其他需要报告", "其他事项", "其他需要说明", "其他")),
    ("overview", ("总体情况", "概述", "基本情况", "概况", "总体", "工作情况")),
)
KINDS = (*(kind for kind, _ in KIND_RULES), "unknown")


def section_kind(heading: str) -> str:
    text = squash(heading)
    for kind, words in KIND_RULES:
        if any(w in text for w in words):
            return kind
    return "unknown"
