"""The knowledge files load, agree with each other, and a mistake in one is caught at load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.knowledge.load import KnowledgeError, knowledge, load_knowledge

from .conftest import ROOT

KNOWLEDGE = ROOT / "pipeline" / "knowledge"


def test_the_shipped_files_load_and_derive_the_printed_orders() -> None:
    k = knowledge()
    assert [f.key for f in k.formats] == ["2021", "2019", "2008"]
    orders = k.row_orders("t3")
    assert len(orders) == 2 and {len(o) for o in orders} == {23, 25}  # 2019's one 其他处理 row, 2021's three
    assert all(o[0] == "new_received" and o[-1] == "carried_forward" for o in orders)
    assert k.columns("t3")[-1] == "total" and len(k.columns("t3")) == 7
    assert len(k.keys("t4")) == 15 and len(k.keys("t3")) == 26 * 7


def test_the_metrics_are_the_contracts_plus_documented_extensions() -> None:
    """metrics.csv extends ../shared/spec/metrics.csv (more prose and 统计表 keys), never changes it."""
    spec = ROOT.parent / "shared" / "spec" / "metrics.csv"
    if not spec.is_file():
        pytest.skip("../shared/spec is not beside this clone")
    ours = (KNOWLEDGE / "metrics.csv").read_text(encoding="utf-8").splitlines()
    assert set(spec.read_text(encoding="utf-8").splitlines()) <= set(ours)


def broken(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    text = (folder / name).read_text(encoding="utf-8")
    assert old in text
    (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "aliases.csv",
            "legacy,proactive_items,主动公开文件数",
            "legacy,proactive_itemz,主动公开文件数",
            "aliases.csv",
        ),
        ("formats.toml", 'tables = ["t2", "t3", "t4"]', 'tables = ["t2", "t3", "t5"]', "'t5'"),
        ("formats.toml", 'text_default = "2008"', 'text_default = "2007"', "'2007'"),
        (
            "prose.toml",
            "phrase = '当面(?:申请|提出申请)(?:数)?'",
            "phrase = '当面(?:申请'",
            "requests_in_person",
        ),
        ("prose.toml", 'appeal_cases = "review_litigation"', 'appeal_cases = "appeals"', "'appeals'"),
        (
            "tables.toml",
            '{ key = "review", words = ["复议"] }',
            '{ key = "reviews", words = ["复议"] }',
            "reviews",
        ),
        ("sections.csv", "fees,收费 减免", "problems,收费 减免", "twice"),
        (
            "metrics.csv",
            "t4,review,total,行政复议,总计,2019 2021,件",
            "t4,review,total,行政复议,2019 2021,件",
            "fields",
        ),
    ],
)
def test_a_mistake_in_a_data_file_is_caught_at_load(
    tmp_path: Path, name: str, old: str, new: str, message: str
) -> None:
    with pytest.raises(KnowledgeError, match=message.replace("(", r"\(")) as caught:
        load_knowledge(broken(tmp_path, name, old, new))
    assert name in str(caught.value)
