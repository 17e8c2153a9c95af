"""Typeset formulas: SVG that QtSvg can draw, made in the worker, with a text fallback."""

from __future__ import annotations

import time

from calcstudio.core.engine import analyse
from calcstudio.core.typeset import MAX_LATEX, formula_svg


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
