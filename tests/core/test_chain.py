"""The chain rule lesson's maths: graph passes, links, derivation steps, deep chains, layout."""

from __future__ import annotations

import math
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calcstudio.core.chain import build_graph, chain_text, deep_chain, explain, passes
from calcstudio.core.chain.depth import verdict
from calcstudio.core.chain.formula import atom
from calcstudio.core.chain.layout import layered_layout
from calcstudio.core.chain.steps import SLOPES
from calcstudio.core.function import parse
from calcstudio.core.jet_rules import RULES
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import FUNCTION_ARITY, parse_tree


def slope_by_jets(text: str, a: float, variable: str | None = None) -> float:
    """f′(a) from the fast path, reading the text back with the project's parser."""
    tree = parse_tree(text)
    if variable is not None and tree.variables != (variable,):
        tree = parse_tree(f"f({variable}) = {text}") if variable not in tree.variables else tree
    evaluators = derivative_evaluators(tree)
    assert evaluators is not None
    return float(evaluators[1](np.array([a]))[0])


def value_by_jets(text: str, a: float, variable: str) -> float:
    tree = parse_tree(f"f({variable}) = {text}")
    evaluators = derivative_evaluators(tree)
    assert evaluators is not None
    return float(evaluators[0](np.array([a]))[0])


# --- the lesson's own examples ------------------------------------------------------------


def test_sin_of_4x_squared_is_the_lessons_chain() -> None:
    text, a = "sin((4x)^2)", 0.7
    explanation = explain(parse_tree(text), text, {"x": a})
    links = explanation.links
    assert [(link.name, link.formula, link.slope) for link in links] == [
        ("A", "sin(u)", "cos(u)"),
        ("B", "u^2", "2u"),
        ("C", "4x", "4"),
    ]
    assert [link.inner for link in links] == ["(4x)^2", "4x", "x"]
    assert explanation.product == "cos((4x)^2)*2(4x)*4"
    truth = 32 * a * math.cos(16 * a * a)  # the lesson's 32x·cos(16x²), by hand
    assert explanation.gradient[0] == pytest.approx(truth, rel=1e-12)
    assert math.prod(link.slope_value for link in links) == pytest.approx(truth, rel=1e-12)
    assert value_by_jets(explanation.product, a, "x") == pytest.approx(truth, rel=1e-12)
    steps = explanation.steps["x"]
    assert [step.rule for step in steps] == [
        "chain rule",
        "power rule and chain rule",
        "constant multiple",
    ]
    assert steps[0].derivative == "32x*cos((4x)^2)"


def test_x_squared_cubed_is_6x_to_the_5() -> None:
    text, a = "(x^2)^3", 1.3
    explanation = explain(parse_tree(text), text, {"x": a})
    assert [link.formula for link in explanation.links] == ["u^3", "x^2"]
    assert [link.slope for link in explanation.links] == ["3u^2", "2x"]
    assert explanation.product == "3(x^2)^2*2x"
    assert explanation.gradient[0] == pytest.approx(6 * a**5, rel=1e-12)


def test_the_seed_gradient_comes_from_one_backward_pass() -> None:
    text = "w1^2 + 2w2^2"
    graph = build_graph(parse_tree(text), text)
    result = passes(graph, {"w1": 1.0, "w2": -2.0})
    assert result.gradient(graph) == (2.0, -8.0)
    # One pass: every node's adjoint was written once, in one sweep from the output.
    assert result.order[0] == graph.output and sorted(result.order) == list(range(len(graph.nodes)))
    assert result.values[graph.output] == 9.0


def test_a_variable_used_twice_sums_its_paths() -> None:
    text = "x*sin(x)"
    graph = build_graph(parse_tree(text), text)
    assert [node.label for node in graph.nodes].count("x") == 1  # one input node
    result = passes(graph, 2.0)
    x = graph.input_index("x")
    assert result.adjoints[x] == pytest.approx(math.sin(2) + 2 * math.cos(2), rel=1e-14)


def test_constant_subtrees_are_one_node_labelled_as_typed() -> None:
    text = "2pi*x + (1/3)x"
    graph = build_graph(parse_tree(text), text)
    constants = [node.label for node in graph.nodes if node.kind == "constant"]
    assert constants == ["2pi", "1/3"]
    assert passes(graph, 1.0).gradient(graph)[0] == pytest.approx(2 * math.pi + 1 / 3)


# --- agreement with both derivative paths -------------------------------------------------

UNARY = sorted(name for name, (low, _) in FUNCTION_ARITY.items() if low == 1 and name != "log")
SAFE_INNER = ["0.3x + 0.2", "x/2", "sin(x)/3", "0.5tanh(x)", "x^2/4 + 0.1"]


@pytest.mark.parametrize("name", UNARY)
def test_every_function_agrees_with_jets_and_sympy(name: str) -> None:
    # A composition 3 deep through each function, at points where all are defined.
    inner = "x + 1.5" if name in ("acosh", "asec", "acsc") else SAFE_INNER[len(name) % 5]
    text = f"{name}({inner}) * 1.5 + x"
    tree = parse_tree(text)
    graph = build_graph(tree, text)
    symbolic = parse(text).derivative()
    for a in (0.35, 0.6):
        backward = passes(graph, a).gradient(graph)[0]
        assert backward == pytest.approx(slope_by_jets(text, a), rel=1e-12, abs=1e-12)
        reference = float(symbolic(a))
        if math.isfinite(reference):
            assert backward == pytest.approx(reference, rel=1e-9, abs=1e-12)


def _composition(rng: random.Random, depth: int, names: tuple[str, ...]) -> str:
    text = rng.choice(names)
    for _ in range(depth):
        g = rng.choice(["sin", "cos", "tanh", "sigmoid", "exp", "atan", "softplus", "sqrt"])
        shape = rng.choice(["{g}({t})", "{g}({t})^2", "2{g}({t}) - {v}", "{g}({v} * {t})"])
        inner = shape.format(g=g, t=text, v=rng.choice(names))
        text = f"{inner}/3" if g == "exp" else inner
    return text


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), depth=st.integers(3, 6))
def test_random_compositions_of_several_variables_match_sympy(seed: int, depth: int) -> None:
    rng = random.Random(seed)
    names = ("x",) if seed % 3 == 0 else ("w1", "w2")
    text = _composition(rng, depth, names)
    tree = parse_tree(text)
    point = {name: rng.uniform(0.2, 1.2) for name in tree.variables}
    explanation = explain(tree, text, point)
    function = parse(text)
    if math.isnan(explanation.result.values[explanation.graph.output]):
        # Undefined as typed (sqrt of a negative): no slope either, whatever sympy's
        # simplified form (sqrt(u)^2 = u) would say outside the typed domain.
        assert all(math.isnan(value) for value in explanation.gradient)
        return
    for name, backward in zip(tree.variables, explanation.gradient, strict=True):
        reference = float(function.derivative(name)(*(point[v] for v in tree.variables)))
        if math.isfinite(reference) and abs(reference) < 1e12:
            assert backward == pytest.approx(reference, rel=1e-8, abs=1e-10)
        # The step for the whole function states the same value.
        assert explanation.steps[name][0].value == pytest.approx(
            backward, rel=1e-12, abs=1e-15, nan_ok=True
        )


# --- the texts are in the language and mean what they say ---------------------------------


@pytest.mark.parametrize("name", sorted(SLOPES))
def test_each_slope_formula_is_the_functions_derivative(name: str) -> None:
    formula = SLOPES[name](atom("u")).text
    rule = RULES.get(name)
    points = np.array([0.37, 0.81, 1.7, 2.6])
    with np.errstate(all="ignore"):
        expected = rule(points, 1)[1] if rule is not None else None
    if expected is None:  # cbrt: a power rule
        expected = points ** (-2 / 3) / 3
    for u, slope in zip(points, np.broadcast_to(expected, points.shape), strict=True):
        got = value_by_jets(formula, float(u), "u")
        if math.isfinite(slope):
            assert got == pytest.approx(slope, rel=1e-12, abs=1e-14), formula


EXAMPLES = [
    "sin((4x)^2)",
    "(x^2)^3",
    "x*sin(x)",
    "(x+1)/(x-1)",
    "e^(x^2)",
    "2^x",
    "x^x",
    "-cos(x)^2",
    "sigmoid(2x+1)",
    "log(x, 2) + log10(x)",
    "sqrt(x)/x",
    "3/(x^2+1)",
    "relu(x - 1) + abs(x)",
    "x^(1/3) + x^(-2)",
]
"""Functions whose every written derivative is checked (the chain lesson's LaTeX of them too)."""


@pytest.mark.parametrize("text", EXAMPLES)
def test_every_derivative_written_parses_back_to_its_value(text: str) -> None:
    a = 1.7
    explanation = explain(parse_tree(text), text, {"x": a})
    for step in explanation.steps["x"]:
        assert step.derivative is not None, step
        assert value_by_jets(step.derivative, a, "x") == pytest.approx(step.value, rel=1e-10)
    if explanation.product is not None:
        assert value_by_jets(explanation.product, a, "x") == pytest.approx(
            explanation.gradient[0], rel=1e-10
        )


def test_rules_are_named_where_they_apply() -> None:
    def rules(text: str) -> list[str]:
        return [step.rule for step in explain(parse_tree(text), text, {"x": 2.0}).steps["x"]]

    assert rules("x*sin(x)")[0] == "product rule"
    assert rules("sin(x)/x")[0] == "quotient rule"
    assert rules("x^2 + x")[0] == "sum rule"
    assert rules("x^3")[0] == "power rule"
    assert rules("sin(x)")[0] == "derivative of sin"
    assert rules("sin(x^2)")[0] == "chain rule"


def test_a_500_term_sum_builds_without_recursion() -> None:
    text = "+".join(["x"] * 500)
    explanation = explain(parse_tree(text), text, {"x": 1.0})
    assert explanation.gradient == (500.0,)


# --- deep chains ----------------------------------------------------------------------------


def test_sigmoid_chain_vanishes_within_four_to_the_minus_n() -> None:
    chain = deep_chain("sigmoid", 20, weight=1.0, x=0.5)
    assert np.all(chain.gradients <= chain.bounds)
    assert chain.bounds[0] == pytest.approx(4.0**-20)
    assert chain.input_gradient < 4.0**-20
    assert chain.input_gradient > 0.2**20  # sigmoid′ stays above 0.2 near sigmoid's fixed point
    assert verdict(chain).startswith("Vanishing")


def test_linear_chain_is_exactly_w_to_the_power() -> None:
    chain = deep_chain("linear", 10, weight=1.5)
    assert chain.gradients == pytest.approx(1.5 ** np.arange(10, 0, -1))
    assert verdict(chain).startswith("Exploding") is False  # 1.5^10 = 57.7: large, not yet 1e3
    assert verdict(deep_chain("linear", 30, weight=1.5)).startswith("Exploding")


def test_verdicts_follow_what_reaches_the_input() -> None:
    assert verdict(deep_chain("sigmoid", 4)).startswith("Vanishing: only 0.00271")
    assert verdict(deep_chain("linear", 50, weight=1.1)).startswith("Exploding")
    healthy = verdict(deep_chain("tanh", 3, weight=1.0))
    assert healthy.startswith("Healthy: the gradient at the input is")
    assert "each layer multiplies it by" in healthy


def test_constants_and_long_chains_are_explained() -> None:
    assert explain(parse_tree("3"), "3", {"x": 1.0}).gradient == (0.0,)
    text = "sigmoid(" * 24 + "x" + ")" * 24
    names = [link.name for link in explain(parse_tree(text), text, {"x": 0.1}).links]
    assert len(set(names)) == len(names) == 24


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("max(x, x^2) + min(sin(x), 0.5)", 0.4),
        ("log(x^2 + 1, 3)", 0.8),
        ("log(3, x + 2)", 0.8),
        ("max(w1*w2, w1 + w2, 0)", {"w1": 0.7, "w2": 1.3}),
    ],
)
def test_min_max_and_logs_with_a_base_agree_with_jets_and_sympy(text: str, point) -> None:
    tree = parse_tree(text)
    point = point if isinstance(point, dict) else {"x": point}
    explanation = explain(tree, text, point)
    function = parse(text)
    for name, backward in zip(tree.variables, explanation.gradient, strict=True):
        reference = float(function.derivative(name)(*(point[v] for v in tree.variables)))
        assert backward == pytest.approx(reference, rel=1e-10)
    rules = [step.rule for step in explanation.steps[tree.variables[0]]]
    assert any(rule.startswith(("max rule", "logarithm")) for rule in rules)


def test_deep_chain_agrees_with_the_graphs_backward_pass() -> None:
    for family in ("sigmoid", "tanh", "linear"):
        text = chain_text(family, 5, weight="0.9", x="x")
        graph = build_graph(parse_tree(text), text)
        backward = passes(graph, 0.5).gradient(graph)[0]
        assert abs(backward) == pytest.approx(deep_chain(family, 5, 0.9, 0.5).input_gradient)


def test_deep_chain_refuses_what_it_cannot_show() -> None:
    with pytest.raises(ValueError, match="between 1 and 50"):
        deep_chain("sigmoid", 51)
    with pytest.raises(ValueError, match="no deep chain"):
        deep_chain("softmax", 3)


# --- layout ---------------------------------------------------------------------------------


def test_layout_puts_inputs_left_output_right_and_edges_forward() -> None:
    text = "sigmoid(w1*x1 + w2*x2 + b)"
    graph = build_graph(parse_tree(text), text)
    layout = layered_layout(graph)
    assert layout.columns[graph.output] == layout.width - 1
    for index, node in enumerate(graph.nodes):
        if node.kind == "input":
            assert layout.columns[index] == 0
        for source in node.inputs:
            assert layout.columns[source] < layout.columns[index]
    cells = {(layout.columns[i], layout.rows[i]) for i in range(len(graph.nodes))}
    assert len(cells) == len(graph.nodes)  # no two nodes on top of each other


def test_the_readme_example_prints_what_it_says() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    code = next(block for block in blocks if "calcstudio.core.chain" in block)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "['A(u) = sin(u)', 'B(u) = u^2', 'C(x) = 4x']"
    assert lines[1] == "cos((4x)^2)*2(4x)*4 (0.3131783971257463,)"
    assert lines[2].startswith("['chain rule', 'power rule and chain rule'")
    assert lines[3:] == ["(2.0, -8.0)", "True"]


def test_training_the_first_layer_of_a_deep_chain_stalls() -> None:
    from calcstudio.core.chain.depth import training_loss_text
    from calcstudio.core.optimize import descend

    moved = {}
    for depth in (1, 10):
        loss = parse(training_loss_text("sigmoid", depth, 1.0, 0.5, 0.9))
        run = descend(loss, 1.0, learning_rate=0.1, steps=200)
        moved[depth] = abs(float(run.points[-1, 0]) - 1.0)
    assert moved[1] > 0.5  # one layer: the weight learns
    assert moved[10] < 1e-3  # ten layers: the gradient that reaches it vanishes
