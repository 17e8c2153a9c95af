"""The language's LaTeX printer and the chain lesson's typeset formulas.

Each LaTeX is checked three ways: by hand for the lesson's examples; by reading it back (a
small reader below turns the printer's LaTeX into the language again, which the project's
parser reads) and comparing values at several points, for every step of a table of
expressions; and by typesetting it with mathtext, for every operator and function.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from calcstudio.core.chain import explain
from calcstudio.core.chain.latex import derivative_label, link_latex, product_latex, step_latex
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import FUNCTION_ARITY, parse_tree
from calcstudio.core.language.latex import name_latex, number_latex, text_latex, tree_latex
from calcstudio.core.typeset import formula_svg
from calcstudio.core.typeset_task import typeset_formulas
from tests.core.test_chain import EXAMPLES

# --- a reader of the printer's LaTeX, for the tests only --------------------------------------

_COMMANDS = {
    r"\cdot": "*",
    r"\times": "*",
    r"\pi": "pi",
    r"\tau": "tau",
    r"\left(": "(",
    r"\right)": ")",
    r"\left|": "abs(",
    r"\right|": ")",
    r"\left\lfloor": "floor(",
    r"\right\rfloor": ")",
    r"\left\lceil": "ceil(",
    r"\right\rceil": ")",
}


def _group(latex: str, start: int) -> tuple[str, int]:
    """The contents of the ``{…}`` group opening at ``start`` and the index after it."""
    assert latex[start] == "{", latex[start:]
    depth = 0
    for index in range(start, len(latex)):
        depth += {"{": 1, "}": -1}.get(latex[index], 0)
        if depth == 0:
            return latex[start + 1 : index], index + 1
    raise AssertionError(f"unbalanced braces in {latex!r}")


def read_back(latex: str) -> str:
    """The printer's LaTeX as text in the expression language (spaces are products)."""
    out, i = [], 0
    while i < len(latex):
        rest = latex[i:]
        if rest.startswith(r"\frac"):
            top, i = _group(latex, i + 5)
            bottom, i = _group(latex, i)
            out.append(f"(({read_back(top)})/({read_back(bottom)}))")
        elif rest.startswith(r"\sqrt[3]"):
            inside, i = _group(latex, i + 8)
            out.append(f"cbrt({read_back(inside)})")
        elif rest.startswith(r"\sqrt"):
            inside, i = _group(latex, i + 5)
            out.append(f"sqrt({read_back(inside)})")
        elif rest.startswith("^"):
            inside, i = _group(latex, i + 1)
            out.append(f"^({read_back(inside)})")
        elif rest.startswith("_"):
            inside, i = _group(latex, i + 1)
            out.append(read_back(inside))  # w_{1} is w1
        elif rest.startswith(r"\log_"):
            base, i = _group(latex, i + 5)
            match = re.match(r"\\left\(", latex[i:])
            assert match, latex[i:]
            depth, j = 1, i + len(match.group())
            while depth:  # the argument, up to its closing \right)
                if latex.startswith(r"\left", j):
                    depth += 1
                elif latex.startswith(r"\right", j):
                    depth -= 1
                j += 1
            inside = latex[i + len(match.group()) : j - 1]
            i = j - 1 + len(r"\right)")
            out.append(f"log({read_back(inside)}, {read_back(base)})")
        elif rest.startswith(r"\operatorname") or rest.startswith(r"\mathrm"):
            name, i = _group(latex, latex.index("{", i))
            out.append(f" {name}")
        elif (command := next((c for c in _COMMANDS if rest.startswith(c)), None)) is not None:
            out.append(f" {_COMMANDS[command]} ")
            i += len(command)
        elif rest.startswith("\\"):
            name = re.match(r"\\([a-z]+)", rest).group(1)
            out.append(" " + {"arcsin": "asin", "arccos": "acos", "arctan": "atan"}.get(name, name))
            i += len(name) + 1
        elif rest.startswith("e^"):
            inside, i = _group(latex, i + 2)
            out.append(f" exp({read_back(inside)})")
        else:
            out.append(latex[i])
            i += 1
    return "".join(out)


def values(text: str, variable: str, points: np.ndarray) -> np.ndarray:
    tree = parse_tree(f"f({variable}) = {text}")
    evaluators = derivative_evaluators(tree)
    assert evaluators is not None
    with np.errstate(all="ignore"):
        return np.broadcast_to(evaluators[0](points), points.shape)


def assert_same_function(latex: str, text: str, variable: str = "x") -> None:
    points = np.array([0.37, 0.81, 1.3, 1.7, 2.6])
    expected = values(text, variable, points)
    got = values(read_back(latex), variable, points)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14, err_msg=f"{latex} ≠ {text}")


# --- by hand ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("sin((4x)^2)", r"\sin\left(\left(4 x\right)^{2}\right)"),
        ("cos((4x)^2)*2(4x)*4",
         r"\cos\left(\left(4 x\right)^{2}\right)\cdot 2 \left(4 x\right)\cdot 4"),
        ("32x*cos(16x^2)", r"32 x \cos\left(16 x^{2}\right)"),
        ("(x^2)^3", r"\left(x^{2}\right)^{3}"),
        ("3(x^2)^2*2x", r"3 \left(x^{2}\right)^{2}\cdot 2 x"),
        ("w1^2 + 2w2^2", r"w_{1}^{2} + 2 w_{2}^{2}"),
        ("-x^2", r"-x^{2}"),
        ("a - (b - c)", r"a - \left(b - c\right)"),
        ("x/(1+x)^2", r"\frac{x}{\left(1 + x\right)^{2}}"),
        ("e^x + exp(x)^2", r"e^{x} + \left(e^{x}\right)^{2}"),
        ("2^x^y", r"2^{x^{y}}"),
        ("exp(-x^2/2) + x^(1/3)", r"e^{-x^{2}/2} + x^{1/3}"),  # fractions in exponents: a/b
        ("x^((x+1)/(2x))", r"x^{\left(x + 1\right)/\left(2 x\right)}"),
        ("|x| + floor(x)", r"\left|x\right| + \left\lfloor x\right\rfloor"),
        ("log(x, 2) + ln(x) + log10(x)",
         r"\log_{2}\left(x\right) + \ln\left(x\right) + \log_{10}\left(x\right)"),
        ("sigmoid(u)*(1 - sigmoid(u))",
         r"\operatorname{sigmoid}\left(u\right) "
         r"\left(1 - \operatorname{sigmoid}\left(u\right)\right)"),
        ("1e-3x + .5", r"10^{-3} x + 0.5"),
        ("2.5e4 theta_1 x_min", r"2.5\times 10^{4} \theta_{1} x_{\mathrm{min}}"),
        ("asin(x) + cbrt(x) + sqrt(x)", r"\arcsin\left(x\right) + \sqrt[3]{x} + \sqrt{x}"),
    ],
)  # fmt: skip
def test_the_printer_writes_what_a_textbook_would(text: str, latex: str) -> None:
    assert text_latex(text) == latex


def test_names_and_numbers() -> None:
    assert [name_latex(n) for n in ("x", "w12", "theta", "θ", "E", "pi", "rate")] == [
        "x",
        "w_{12}",
        r"\theta",
        r"\theta",
        "e",
        r"\pi",
        r"\mathrm{rate}",
    ]
    assert [number_latex(n) for n in ("3", ".25", "1e6", "4.5E-7")] == [
        "3",
        "0.25",
        "10^{6}",
        r"4.5\times 10^{-7}",
    ]
    assert text_latex("sin(") == ""  # not a formula: the window keeps its text
    assert text_latex("exp(-x^2/2)") == "e^{-x^{2}/2}"  # as README says


def test_the_lessons_chain_as_latex() -> None:
    text = "sin((4x)^2)"
    lesson = explain(parse_tree(text), text, {"x": 1.0})
    assert [link_latex(link) for link in lesson.links] == [
        (r"A(u) = \sin\left(u\right)", r"A^{\prime}\!(u) = \cos\left(u\right)"),
        ("B(u) = u^{2}", r"B^{\prime}\!(u) = 2 u"),
        ("C(x) = 4 x", r"C^{\prime}\!(x) = 4"),
    ]
    assert product_latex(lesson.links, lesson.product, derivative_label("x", False)) == (
        r"f^{\prime}\!(x) = A^{\prime}\!(B(C(x)))\cdot B^{\prime}\!(C(x))\cdot C^{\prime}\!(x)",
        r"= \cos\left(\left(4 x\right)^{2}\right)\cdot 2 \left(4 x\right)\cdot 4",
    )
    assert step_latex(lesson.steps["x"][0]) == (
        r"\left(\sin\left(\left(4 x\right)^{2}\right)\right)^{\prime} = "
        r"32 x \cos\left(\left(4 x\right)^{2}\right)"
    )
    assert derivative_label("w1", True) == r"\frac{\partial f}{\partial w_{1}}"
    seed = explain(parse_tree("w1^2 + 2w2^2"), "w1^2 + 2w2^2", {"w1": 1.0, "w2": -2.0})
    assert step_latex(seed.steps["w2"][0], "w2") == (
        r"\frac{\partial}{\partial w_{2}}\left(w_{1}^{2} + 2 w_{2}^{2}\right) = 4 w_{2}"
    )


def test_a_500_term_sum_prints_without_recursion() -> None:
    text = "+".join(["x"] * 500)  # as long as the parser takes
    assert tree_latex(parse_tree(text).root) == " + ".join(["x"] * 500)


# --- read back: the LaTeX means the same function ---------------------------------------------

TABLE = [
    *EXAMPLES,
    "log2(x)",
    "tanh(softplus(x))*cbrt(x) - (x - 2)",
    "atan(x)/(1 + asinh(x)) - 1e-3x",
    "-(x - 1)*(-x)",
    "exp(-x^2/2)*x^((x+1)/(x+2))",
]


@pytest.mark.parametrize("text", TABLE)
def test_every_formula_of_the_lesson_reads_back_as_the_same_function(text: str) -> None:
    lesson = explain(parse_tree(text), text, {"x": 1.1})
    assert_same_function(text_latex(text), text)
    for link in lesson.links:
        formula, slope = link_latex(link)
        _, written = formula.split(" = ", 1)
        assert_same_function(written, link.formula, link.variable)
        if link.slope is not None:
            assert_same_function(slope.split(" = ", 1)[1], link.slope, link.variable)
    if lesson.product is not None:
        assert_same_function(text_latex(lesson.product), lesson.product)
    for step in lesson.steps["x"]:
        latex = step_latex(step)
        assert latex.startswith(r"\left("), step
        left, right = latex.split(r"\right)^{\prime} = ", 1)
        assert_same_function(left[len(r"\left(") :], step.expression)
        assert_same_function(right, step.derivative)


# --- typeset: mathtext reads all of it -------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FUNCTION_ARITY))
def test_every_function_typesets(name: str) -> None:
    fewest = FUNCTION_ARITY[name][0]
    text = f"-{name}({', '.join(['x/2 + 1'] * max(fewest, 2 if name == 'log' else 1))})^2*3"
    latex = text_latex(text)
    assert latex, text
    assert formula_svg(latex).startswith("<?xml"), latex


@pytest.mark.parametrize(
    "text",
    ["x + y - z", "2x y", "x/y", "x^y^z", "-(-x)", "(x*y)^2", "2*3", "x*(-y)", "1e-9/7.5e3",
     "alpha*beta_2 + omega + π*tau + e", "(x/2)(x - 1)", "2|x|sqrt(x)", "floor(x)ceil(x)"],
)  # fmt: skip
def test_every_operator_typesets(text: str) -> None:
    assert formula_svg(text_latex(text)).startswith("<?xml"), text


def test_every_rule_statement_typesets() -> None:
    text = "x*sin(x)/(1+x) - 2^x + x^x + log(x,2) + 1/x + exp(x^2) + 3/(x^2) + (x^2)^3 - (-x)"
    lesson = explain(parse_tree(text), text, {"x": 0.7})
    statements = {step.statement_latex for step in lesson.steps["x"]}
    assert len(statements) >= 10
    for latex in statements:
        assert formula_svg(latex).startswith("<?xml"), latex


def test_the_worker_task_typesets_in_order_within_its_budget() -> None:
    formulas = (r"A(u) = \sin\left(u\right)", "B(u) = u^{2}", r"\left(\right", "C(x) = 4 x")
    everything = typeset_formulas("sin((4x)^2)", formulas, 7, budget=60.0)
    assert (everything.request_id, everything.text, everything.latex) == (
        7,
        "sin((4x)^2)",
        formulas,
    )
    assert [bool(svg) for svg in everything.svgs] == [True, True, False, True]  # \left( alone: no
    first_only = typeset_formulas("sin((4x)^2)", formulas, 8, budget=0.0)
    assert first_only.latex == formulas[:1] and first_only.ok
    assert math.isfinite(first_only.seconds)
