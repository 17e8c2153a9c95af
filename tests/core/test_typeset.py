"""Typeset formulas: SVG that QtSvg can draw, made in the worker, with a text fallback."""

from __future__ import annotations

import re
import time

from calcstudio.core.engine import analyse
from calcstudio.core.typeset import MAX_LATEX, absolute_bars, break_lines, formula_svg


def test_a_formula_becomes_svg_with_glyphs_as_paths() -> None:
    svg = formula_svg(r"f'(x) = \frac{e^{- x}}{\left(1 + e^{- x}\right)^{2}}")
    assert svg.startswith("<?xml") and 'version="1.1"' in svg  # QtSvg cannot draw SVG 2
    assert "<path" in svg and "<text" not in svg  # no fonts needed to draw it
    assert "fill: #ffffff" not in svg  # transparent, so the window can tint the ink


def test_deep_nesting_is_typeset_quickly() -> None:
    # ziamath took minutes here (4x per level); the typesetter must stay linear.
    latex = "x"
    for _ in range(12):
        latex = rf"\sin{{\left({latex}\right)}}"
    started = time.perf_counter()
    assert formula_svg(latex)
    assert time.perf_counter() - started < 2.0


def test_what_cannot_be_typeset_gives_empty_text() -> None:
    assert formula_svg(r"\frac{1}{") == ""  # malformed LaTeX
    assert formula_svg("x + " * (MAX_LATEX // 4 + 1)) == ""  # too long to read anyway
    assert formula_svg("") == ""


def test_the_engine_sends_each_equation_typeset() -> None:
    result = analyse("x^2")
    assert [data.label for data in result.expressions] == ["f(x)", "f'(x)", "f''(x)"]
    assert all(data.svg.startswith("<?xml") for data in result.expressions)
    assert analyse("x^2", typeset=False).function.svg == ""


LONG = (
    r"f'(x) = \frac{2 x^{6}}{\left(x^{2} + 1\right)^{2}} - \frac{5 x^{4}}{x^{2} + 1} - 2 x "
    r"e^{- x^{2}} \cos{\left(3 x \right)} + 3 \log{\left(x^{2} + 1 \right)} \sin^{2}{\left(x "
    r"\right)} \cos{\left(x \right)} - 3 e^{- x^{2}} \sin{\left(3 x \right)}"
)


def test_a_long_formula_is_broken_before_top_level_signs() -> None:
    lines = break_lines(LONG)
    assert len(lines) > 1
    assert " ".join(lines) == LONG  # nothing lost or reordered
    assert lines[0].startswith("f'(x) = ")
    assert all(line[0] in "+-" for line in lines[1:])
    # Never inside brackets: each line's \left and \right pair up.
    assert all(line.count(r"\left") == line.count(r"\right") for line in lines)
    assert break_lines(r"f(x) = x^{2} - 1") == [r"f(x) = x^{2} - 1"]  # short: one line


def test_a_broken_formula_is_one_svg_of_stacked_lines() -> None:
    svg = formula_svg(LONG)
    one_line = formula_svg(r"f'(x) = \frac{2 x^{6}}{\left(x^{2} + 1\right)^{2}}")
    height = float(re.search(r'height="([\d.]+)pt"', svg).group(1))
    line_height = float(re.search(r'height="([\d.]+)pt"', one_line).group(1))
    assert height > 2 * line_height
    assert svg.count('<g id="figure_1">') == len(break_lines(LONG))


def test_absolute_value_bars_stand_clear_of_their_contents() -> None:
    assert absolute_bars(r"\left|{x}\right|") == r"|\,{x}\,|"
    nested = absolute_bars(r"\left|{\left|{x}\right| - 1}\right|")
    assert nested == r"|\,{|\,{x}\,| - 1}\,|"
    # A fraction keeps bars that grow with it.
    assert absolute_bars(r"\left|{\frac{x}{2}}\right|") == r"\left|\,{\frac{x}{2}}\,\right|"
    assert absolute_bars(r"\sin{\left(x \right)}") == r"\sin{\left(x \right)}"
