"""Typeset formulas: SVG that QtSvg can draw, made in the worker, with a text fallback."""

from __future__ import annotations

import re
import time

import numpy as np
import pytest

from calcstudio.core.engine import analyse
from calcstudio.core.typeset import (
    MAX_LATEX,
    absolute_bars,
    break_lines,
    formula_svg,
    path_data,
    split_terms,
    typeset_piece,
)


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
    baselines = set(re.findall(r"translate\([\d.]+ ([\d.]+)\)", svg))
    assert len(baselines) == len(break_lines(LONG))  # each line's terms share a baseline
    assert svg.count('<g class="line">') == len(break_lines(LONG))


def test_absolute_value_bars_stand_clear_of_their_contents() -> None:
    assert absolute_bars(r"\left|{x}\right|") == r"|\,{x}\,|"
    nested = absolute_bars(r"\left|{\left|{x}\right| - 1}\right|")
    assert nested == r"|\,{|\,{x}\,| - 1}\,|"
    # A fraction keeps bars that grow with it.
    assert absolute_bars(r"\left|{\frac{x}{2}}\right|") == r"\left|\,{\frac{x}{2}}\,\right|"
    assert absolute_bars(r"\sin{\left(x \right)}") == r"\sin{\left(x \right)}"


def _points(d: str) -> list[tuple[str, list[int]]]:
    """SVG path data read back as (command, coordinates) per segment, implicit ones spelt out."""
    arity = {"M": 2, "L": 2, "Q": 4, "C": 6, "Z": 0}
    segments: list[tuple[str, list[int]]] = []
    command = ""
    for word in re.findall(r"[MLQCZ]|-?\d+", d):
        if word in arity:
            command = word
            segments.append((command, []))
            continue
        if len(segments[-1][1]) == arity[segments[-1][0]]:  # a repeated command
            command = "L" if command == "M" else command
            segments.append((command, []))
        segments[-1][1].append(int(word))
    return segments


def test_path_data_writes_each_segment_with_repeated_commands_left_implicit() -> None:
    vertices = np.array(
        [
            [0, 0],
            [10, 0],
            [10, 10],
            [5, 15],
            [0, 10],
            [0, 0],
            [1, 1],
            [2, 2],
            [3, 3],
            [4, 4],
            [9, 9],
            [20.4, 30.6],
            [40, 40],
            [0, 0],
        ],
        dtype=float,
    )
    codes = [1, 2, 2, 3, 3, 79, 1, 4, 4, 4, 4, 4, 4, 79]
    d = path_data(vertices, codes)
    assert d.count("L") == 1 and d.count("C") == 1  # the second L and C are implicit
    assert _points(d) == [
        ("M", [0, 0]), ("L", [10, 0]), ("L", [10, 10]), ("Q", [5, 15, 0, 10]), ("Z", []),
        ("M", [1, 1]), ("C", [2, 2, 3, 3, 4, 4]), ("C", [9, 9, 20, 31, 40, 40]), ("Z", []),
    ]  # fmt: skip


SUMS = [
    r"f'(x) = 3 x^{2} + 2 x - 7",
    r"f^{\prime}\!(x) = 87 x^{29} + 28 x^{27} - \sin{\left(x \right)} + 1",
    r"f(x) = - x^{2} + \frac{1}{x} - 1",
    r"f(x) = e^{- x} - \log{\left(x + 1 \right)} - x",
]


@pytest.mark.parametrize("latex", SUMS)
def test_terms_typeset_apart_line_up_as_the_whole_line_does(latex: str) -> None:
    svg = formula_svg(latex)
    whole = typeset_piece(latex)  # the line laid out by mathtext in one go
    assert whole is not None and len(split_terms(latex)) > 1
    size = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    width, height = float(size.group(1)), float(size.group(2))
    assert width == pytest.approx(whole.width, abs=0.3)
    assert height == pytest.approx(whole.ascent + whole.depth, abs=0.01)
    # Every glyph where the whole line has it, to a third of a point (mathtext rounds its
    # kerns to a fifth); the whole line draws its fraction bars last, so match by shape.
    paths = re.findall(r'translate\(([\d.]+) ([\d.]+)\) scale\(0.1 -0.1\)" d="([^"]*)"', svg)
    assert len(paths) == len(split_terms(latex))
    assert all(float(y) == pytest.approx(whole.ascent, abs=0.01) for _, y, _ in paths)
    joined = [contour for x, _, d in paths for contour in _contours(d, round(10 * float(x)))]
    expected = _contours(whole.outline, 0)
    assert len(joined) == len(expected)
    for contour in joined:
        assert min(_gap(contour, other) for other in expected) <= 3


def _contours(d: str, shift: int) -> list[list[tuple[str, list[int]]]]:
    """Each closed outline of path data ``d``, moved ``shift`` to the right."""
    contours: list[list[tuple[str, list[int]]]] = []
    for command, xy in _points(d):
        if command == "M":
            contours.append([])
        moved = [v + shift if k % 2 == 0 else v for k, v in enumerate(xy)]
        contours[-1].append((command, moved))
    return contours


def _gap(a: list[tuple[str, list[int]]], b: list[tuple[str, list[int]]]) -> float:
    """The largest distance between matching coordinates of two outlines (inf if unalike)."""
    if [command for command, _ in a] != [command for command, _ in b]:
        return float("inf")
    pairs = zip(a, b, strict=True)
    return max(abs(u - v) for (_, p), (_, q) in pairs for u, v in zip(p, q, strict=True))


def test_typing_the_next_term_typesets_only_that_term() -> None:
    terms = [f"{k + 2} x^{{{k}}}" for k in range(30, 0, -1)]
    formula_svg("f(x) = " + " + ".join(terms[:-1]))
    before = typeset_piece.cache_info().misses
    svg = formula_svg("f(x) = " + " + ".join(terms))
    assert svg.startswith("<?xml")
    assert typeset_piece.cache_info().misses - before == 1


def test_a_sign_mathtext_draws_unary_stays_with_its_term() -> None:
    assert split_terms("f(x) = - x + 1") == ["f(x) = - x", "+ 1"]
    assert split_terms("g = ( - x) - 1") == ["g = ( - x)", "- 1"]
    assert split_terms(r"\left(x - 1\right) - 2") == [r"\left(x - 1\right)", "- 2"]


def test_a_short_last_term_stays_on_the_line_before() -> None:
    # Rosenbrock's ∂f/∂w1 is one character over a line: its "− 2" alone below read as a
    # formula of its own.
    latex = (
        r"\frac{\partial f}{\partial w_{1}} = - 400 w_{1} \left(- w_{1}^{2} + w_{2}\right) "
        r"+ 2 w_{1} - 2"
    )
    assert break_lines(latex) == [latex]
    # A longer last term still starts its own line.
    assert break_lines(LONG)[-1] == r"- 3 e^{- x^{2}} \sin{\left(3 x \right)}"
