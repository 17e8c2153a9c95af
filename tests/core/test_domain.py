"""A function and all its derivatives keep the domain of what was typed (issue 7 §5).

Sympy simplifies while it builds (sqrt(x)^2 = x, exp(log(x)) = x, sqrt(x)/sqrt(x) = 1) and
differentiates ln(x) into 1/x, which has values at x < 0. The typed pieces keep the domain:
the values are NaN outside it, on both paths, and the formula says where it holds.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from calcstudio.core.analysis import analyse
from calcstudio.core.function import parse
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import parse_tree
from calcstudio.core.typeset import formula_svg

# text, shown f, shown f′, shown f″, a point outside the domain, a point inside
CASES = [
    ("sqrt(x)^2", "x, for x ≥ 0", "1, for x > 0", "0, for x > 0", -4.0, 4.0),
    ("exp(log(x))", "x, for x > 0", "1, for x > 0", "0, for x > 0", -4.0, 4.0),
    ("sqrt(x)/sqrt(x)", "1, for x > 0", "0, for x > 0", "0, for x > 0", -4.0, 4.0),
    ("log(x)", "log(x)", "1/x, for x > 0", "-1/x^2, for x > 0", -2.0, 2.0),
    ("x/x", "1, for x ≠ 0", "0, for x ≠ 0", "0, for x ≠ 0", 0.0, 2.0),
    ("log(x - 1)*0 + x", "x, for x > 1", "1, for x > 1", "0, for x > 1", 0.5, 2.0),
    ("log(abs(x))", "log(abs(x))", "1/x, for x ≠ 0", "-1/x^2, for x ≠ 0", 0.0, -2.0),
]


@pytest.mark.parametrize(("text", "shown", "slope", "curvature", "outside", "inside"), CASES)
def test_function_and_derivatives_keep_the_typed_domain(
    text: str, shown: str, slope: str, curvature: str, outside: float, inside: float
) -> None:
    f = parse(text)
    symbolic = (f, f.derivative(), f.derivative(order=2))
    assert [g.shown for g in symbolic] == [shown, slope, curvature]
    fast = derivative_evaluators(parse_tree(text))
    points = np.array([outside, inside])
    for exact, quick in zip(symbolic, fast, strict=True):
        values = exact(points)
        assert np.isnan(values[0]) and np.isfinite(values[1]), (text, values)
        np.testing.assert_array_equal(np.isnan(quick(points)), np.isnan(values))
        np.testing.assert_allclose(quick(points)[1], values[1], rtol=1e-12)


def test_the_python_api_keeps_the_domain() -> None:
    f = parse("sqrt(x)^2")
    assert f.text == "x" and f.condition == "x ≥ 0"
    assert np.isnan(f(-4.0)) and float(f(4.0)) == 4.0
    assert np.isnan(parse("log(x)").derivative()(-2.0))
    assert parse("x^2").condition == "" and parse("x^2").shown == "x^2"


def test_the_text_without_its_condition_still_parses_back_to_the_same_values() -> None:
    for text, *_ in CASES:
        for g in (parse(text), parse(text).derivative()):
            x = np.array([2.5, 3.5])
            np.testing.assert_allclose(parse(g.text)(x), g(x), rtol=1e-12)


def test_the_formula_panel_shows_the_condition_typeset() -> None:
    result = analyse("sqrt(x)^2")
    assert result.ok
    assert result.function.shown == "x, for x ≥ 0"
    assert result.derivative.shown == "1, for x > 0"
    assert np.isnan(result.function.evaluator()(np.array([-4.0])))[0]
    assert r"\text{for }" in result.function.latex and result.function.svg
    assert formula_svg(parse("log(x)").derivative().latex)


def test_conditions_that_cannot_be_solved_are_written_as_they_are() -> None:
    f = parse("floor(x^2) + x")
    assert f.derivative().shown == "1, for x^2 is not a whole number"
    slope = f.derivative()(np.array([1.0, 2.0, 1.5, -0.5]))
    np.testing.assert_array_equal(slope, [np.nan, np.nan, 1.0, 1.0])
    assert parse("sqrt(sin(x))^2").shown == "sin(x), for sin(x) ≥ 0"


def test_the_readme_example_on_domains_prints_what_it_says() -> None:
    readme = Path(__file__).resolve().parents[2] / "README.md"
    section = readme.read_text(encoding="utf-8").split("### Domains, kinks")[1]
    code = re.search(r"```py\n(.*?)```", section, re.S)  # "py": the API example is "python"
    assert code is not None
    result = subprocess.run(
        [sys.executable, "-c", code.group(1)], capture_output=True, text=True, check=True
    )
    claimed = re.findall(r"# (.*)", code.group(1))
    assert result.stdout.splitlines() == claimed
