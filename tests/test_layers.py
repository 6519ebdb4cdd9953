"""The layer order holds (scripts/check_layers.py, also run by `make lint`), and the check fails
on what it must catch: a circle hidden in a function, an upward import, a crowded package top."""

from __future__ import annotations

from pathlib import Path

from scripts.check_layers import MAX_TOP_MODULES, check

from .conftest import ROOT


def make_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "pipeline"
    for name, text in {"__init__.py": "", **files}.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return package


def test_the_package_keeps_its_layer_order() -> None:
    assert check(ROOT / "pipeline") == []


def test_a_circle_through_an_import_inside_a_function_is_found(tmp_path: Path) -> None:
    package = make_package(
        tmp_path,
        {
            "extract/__init__.py": "",
            "extract/a.py": "from pipeline.extract.b import g\n",
            "extract/b.py": "def g():\n    from pipeline.extract import a\n    return a\n",
        },
    )
    assert check(package) == ["import circle: pipeline.extract.a → pipeline.extract.b"]


def test_a_stage_that_imports_a_later_one_is_found(tmp_path: Path) -> None:
    package = make_package(
        tmp_path,
        {
            "facts/__init__.py": "",
            "facts/x.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pipeline.run.y import Z\n",
            "run/__init__.py": "",
            "run/y.py": "Z = 1\n",
        },
    )
    assert check(package) == [
        "pipeline.facts.x imports pipeline.run.y: facts comes before run in the layer order"
    ]


def test_a_crowded_package_top_is_found(tmp_path: Path) -> None:
    package = make_package(tmp_path, {f"m{i}.py": "" for i in range(MAX_TOP_MODULES)})
    problems = check(package)
    assert any("modules at the package top" in p for p in problems)
