"""One convention at kinks, the one PyTorch uses, on both paths and in the descent.

PyTorch's values, from its documented backward formulas (``derivatives.yaml``): relu′(0) = 0
(``threshold_backward`` passes the gradient only where the input is > 0); abs′(0) = sgn(0) = 0;
``torch.maximum(a, b)`` and ``torch.minimum(a, b)`` give each of a tie ``grad / 2``; a max or
min of more values nests from the left. Where the slope jumps (a kink) there is no second
derivative; where f jumps (floor, sign) there is no first.
"""

from __future__ import annotations

import numpy as np
import pytest

from calcstudio.core.function import parse
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import parse_tree
from calcstudio.core.optimize import descend


def _both(text: str, x: float) -> list[tuple[float, float]]:
    """(fast, symbolic) values of f, f′ and f″ at x."""
    fast = derivative_evaluators(parse_tree(text))
    f = parse(text)
    symbolic = (f, f.derivative(), f.derivative(order=2))
    points = np.array([x])
    return [(float(a(points)[0]), float(b(points)[0])) for a, b in zip(fast, symbolic, strict=True)]


# text, x, f′(x), f″(x) (None: undefined)
KINKS = [
    ("relu(x)", 0.0, 0.0, None),  # PyTorch: relu′(0) = 0
    ("relu(x - 1)", 1.0, 0.0, None),
    ("abs(x)", 0.0, 0.0, None),  # sign(0) = 0
    ("max(x, 0)", 0.0, 0.5, None),  # torch.maximum shares a tie equally
    ("max(0, x)", 0.0, 0.5, None),
    ("min(x, 0)", 0.0, 0.5, None),
    ("max(x, x^2)", 1.0, 1.5, None),
    ("min(x^2, 1, 2-x)", 1.0, 0.0, None),  # min(min(x², 1), 2 - x): (2+0)/2 = 1, then (1-1)/2
    # Just x: the halves add up; each typed kink still has no second derivative at 0.
    ("max(x, 0) + min(x, 0)", 0.0, 1.0, None),
    ("sqrt(x^2)", 0.0, None, None),  # PyTorch: 2x * 0.5/sqrt(0) = 0 * inf = NaN
    ("floor(x)", 2.0, None, None),  # a jump: no slope
    ("ceil(x^2)", 1.0, None, None),
    ("sign(x)", 0.0, None, None),
    ("step(x)", 0.0, None, None),
    ("floor(x)", 2.5, 0.0, 0.0),
    ("acot(x)", 0.0, None, None),  # acot(0) = π/2 but acot(0⁻) → -π/2
]


@pytest.mark.parametrize(("text", "x", "slope", "curvature"), KINKS)
def test_both_paths_follow_pytorch_at_kinks(
    text: str, x: float, slope: float | None, curvature: float | None
) -> None:
    (_, _), (fast1, exact1), (fast2, exact2) = _both(text, x)
    for value, expected in (
        (fast1, slope),
        (exact1, slope),
        (fast2, curvature),
        (exact2, curvature),
    ):
        if expected is None:
            assert np.isnan(value), (text, value)
        else:
            assert value == pytest.approx(expected, abs=1e-12), (text, value)


def test_relu_step_is_the_derivative_and_is_written_in_the_language() -> None:
    f = parse("relu(x)")
    assert f.derivative().text == "step(x)"
    assert float(parse("step(x)")(0.0)) == 0.0 and float(parse("step(x)")(1e-300)) == 1.0
    assert f.derivative(order=2).shown == "0, for x ≠ 0"


def test_the_descent_uses_the_same_convention() -> None:
    # Started on the kink, the subgradient used is 0 (PyTorch's), so relu stays put...
    trace = descend(parse("relu(x)"), 0.0, learning_rate=0.5, steps=3)
    assert set(trace.points[:, 0]) == {0.0}
    # ...and max(x, 0) moves by half a step, as torch.maximum's shared gradient does.
    trace = descend(parse("max(x, 0)"), 0.0, learning_rate=0.5, steps=1)
    assert trace.points[1, 0] == pytest.approx(-0.25)
