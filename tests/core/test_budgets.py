"""The benchmark's budget lines: within or over, with the notebook ratio where it is required."""

from __future__ import annotations

import math

import pytest

from calcstudio.benchmark.__main__ import SECTIONS, build_parser
from calcstudio.benchmark.budgets import Budgets, Figure


def test_a_figure_is_within_only_under_its_limit_and_ratio() -> None:
    assert Figure("plot", 7.9, 8).within
    assert not Figure("plot", 8.1, 8).within
    assert not Figure("plot", math.nan, 8).within
    assert Figure("plot", 7.0, 8, baseline_ms=35.0, min_ratio=4).within  # 5x
    assert not Figure("plot", 7.0, 8, baseline_ms=21.0, min_ratio=4).within  # 3x


def test_the_lines_say_each_verdict_and_count_the_overs() -> None:
    budgets = Budgets()
    budgets.add("keystroke, median", 7.0, 8, 35.0, 4)
    budgets.add("pan, p95", 12.0, 10)
    lines = budgets.lines()
    assert lines[0].endswith("within") and "notebook 35.0 ms (5.0x, needs 4x)" in lines[0]
    assert lines[1].endswith("OVER") and "budget <= 10 ms" in lines[1]
    assert lines[2] == "1 of 2 budgets within, 1 over"


def test_the_benchmark_can_measure_only_some_sections() -> None:
    parser = build_parser()
    assert parser.parse_args(["--only", "keystroke", "pan"]).only == ["keystroke", "pan"]
    assert tuple(parser.parse_args([]).only) == SECTIONS
    with pytest.raises(SystemExit):
        parser.parse_args(["--only", "typing"])  # not a section
