"""Surfaces: L, ∇L and Hessians from the syntax tree, landscapes and critical points.

Expected values are worked out by hand (or are textbook facts: Himmelblau's four minima,
Rosenbrock's at (1, 1)), never by calling the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from calcstudio.core.function import parse
from calcstudio.core.surface.critical import classify, critical_points
from calcstudio.core.surface.fields import surface
from calcstudio.core.surface.landscape import contour_levels, landscape, round_level

ROSENBROCK = "(1 - x)^2 + 100(y - x^2)^2"
HIMMELBLAU = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"


def test_seed_gradient_of_the_bowl() -> None:
    # L = w1² + 2 w2²: ∂L/∂w1 = 2 w1 = 2, ∂L/∂w2 = 4 w2 = −8 at (1, −2).
    value, gradient, hessian = surface("w1^2 + 2w2^2").at(1.0, -2.0)
    assert value == 9.0
    assert gradient.tolist() == [2.0, -8.0]
    assert hessian.tolist() == [[2.0, 0.0], [0.0, 4.0]]


def test_gradient_on_a_grid_broadcasts() -> None:
    bowl = surface("w1^2 + 2w2^2")
    w1 = np.array([[0.0, 1.0, 2.0]])
    w2 = np.array([[-1.0], [3.0]])
    g1, g2 = bowl.gradient(w1, w2)
    assert g1.tolist() == [[0.0, 2.0, 4.0], [0.0, 2.0, 4.0]]
    assert g2.tolist() == [[-4.0, -4.0, -4.0], [12.0, 12.0, 12.0]]
    assert bowl.value(w1, w2).shape == (2, 3)


def test_hessians_by_hand() -> None:
    # Rosenbrock: L11 = 2 − 400(y − x²) + 800x², L12 = −400x, L22 = 200.
    _, gradient, hessian = surface(ROSENBROCK).at(-1.2, 1.0)
    assert gradient == pytest.approx([-2 * 2.2 - 400 * -1.2 * (1 - 1.44), 200 * (1 - 1.44)])
    np.testing.assert_allclose(
        hessian, [[2 - 400 * (1 - 1.44) + 800 * 1.44, 480.0], [480.0, 200.0]]
    )
    # x y e^(x): L11 = (x + 2) y e^x, L12 = (x + 1) e^x, L22 = 0.
    _, gradient, hessian = surface("x y e^x").at(1.0, 2.0)
    e = math.e
    assert gradient == pytest.approx([2 * 2 * e, e])
    np.testing.assert_allclose(hessian, [[3 * 2 * e, 2 * e], [2 * e, 0.0]], atol=1e-12)
    # sin(x) cos(y) at (π/4, π/3)
    x, y = math.pi / 4, math.pi / 3
    _, gradient, hessian = surface("sin(x) cos(y)").at(x, y)
    assert gradient == pytest.approx([math.cos(x) * math.cos(y), -math.sin(x) * math.sin(y)])
    expected = [
        [-math.sin(x) * math.cos(y), -math.cos(x) * math.sin(y)],
        [-math.cos(x) * math.sin(y), -math.sin(x) * math.cos(y)],
    ]
    np.testing.assert_allclose(hessian, expected, atol=1e-12)


def test_jets_agree_with_sympys_derivatives() -> None:
    text = "log(1 + x^2 + y^2) + sigmoid(x - 2y) + max(x, y)^2"
    fast = surface(text)
    f = parse(text)
    rng = np.random.default_rng(3)
    w1, w2 = rng.uniform(-2, 2, 50), rng.uniform(-2, 2, 50)
    d = fast.derivatives(w1, w2)
    np.testing.assert_allclose(d.value, f(w1, w2), rtol=1e-12)
    for mine, theirs in zip(d.gradient, f.gradient(), strict=True):
        np.testing.assert_allclose(mine, theirs(w1, w2), rtol=1e-10, atol=1e-12)
    for row, rows in zip(d.hessian, f.hessian(), strict=True):
        for mine, theirs in zip(row, rows, strict=True):
            np.testing.assert_allclose(mine, theirs(w1, w2), rtol=1e-8, atol=1e-9)


def test_undefined_points_are_nan() -> None:
    root = surface("sqrt(x) + y")
    value, gradient, hessian = root.at(-1.0, 0.0)
    assert math.isnan(value)
    assert np.all(np.isnan(gradient)) and np.all(np.isnan(hessian))


def test_a_surface_needs_two_variables() -> None:
    with pytest.raises(ValueError, match="two variables; this one has 1"):
        surface("x^2")
    with pytest.raises(ValueError, match="has 3"):
        surface("x + y + z")


def test_classification_by_eigenvalues() -> None:
    assert classify(np.array([[2.0, 0.0], [0.0, 4.0]])) == ("minimum", (2.0, 4.0))
    assert classify(np.array([[-2.0, 0.0], [0.0, -1.0]]))[0] == "maximum"
    assert classify(np.array([[2.0, 0.0], [0.0, -2.0]]))[0] == "saddle"
    assert classify(np.zeros((2, 2)))[0] == "degenerate"
    # [[1, 2], [2, 1]] has eigenvalues −1 and 3: a saddle though both diagonals are positive
    kind, eigenvalues = classify(np.array([[1.0, 2.0], [2.0, 1.0]]))
    assert kind == "saddle" and eigenvalues == pytest.approx((-1.0, 3.0))


def test_saddle_of_x2_minus_y2() -> None:
    (point,) = critical_points(surface("x^2 - y^2"), (-2, 2), (-1, 3))
    assert point.kind == "saddle"
    assert point.point == (0.0, 0.0)
    assert point.eigenvalues == pytest.approx((-2.0, 2.0))
    assert point.critical_rate is None and point.condition_number is None


def test_monkey_saddle_is_degenerate() -> None:
    (point,) = critical_points(surface("x^3 - 3x y^2"), (-1, 1), (-1, 1))
    assert point.kind == "degenerate"
    assert point.point == (0.0, 0.0)
    assert point.value == 0.0


def test_himmelblaus_four_minima() -> None:
    points = critical_points(surface(HIMMELBLAU), (-5, 5), (-5, 5))
    minima = sorted(p.point for p in points if p.kind == "minimum")
    # The four known minima, all with L = 0 (Himmelblau 1972).
    known = sorted(
        [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
    )
    assert len(minima) == 4
    for found, expected in zip(minima, known, strict=True):
        assert found == pytest.approx(expected, abs=1e-6)
    assert all(abs(p.value) < 1e-12 for p in points if p.kind == "minimum")
    kinds = [p.kind for p in points]
    assert kinds.count("maximum") == 1 and kinds.count("saddle") == 4


def test_rosenbrocks_minimum_and_its_numbers() -> None:
    (point,) = critical_points(surface(ROSENBROCK), (-2, 2), (-1, 3))
    assert point.kind == "minimum" and point.point == pytest.approx((1.0, 1.0))
    # H = [[802, −400], [−400, 200]]: λ = 501 ± √(301² + 400²) = 501 ± √250601
    root = math.sqrt(301**2 + 400**2)
    assert point.eigenvalues == pytest.approx((501 - root, 501 + root))
    assert point.critical_rate == pytest.approx(2 / (501 + root))
    assert point.condition_number == pytest.approx((501 + root) / (501 - root))


def test_no_critical_point_in_a_view_without_one() -> None:
    assert critical_points(surface("x + y"), (-1, 1), (-1, 1)) == []
    assert critical_points(surface("x^2 + y^2"), (2, 3), (2, 3)) == []


def test_landscape_grid_levels_and_bands() -> None:
    view = landscape(surface("x^2 + y^2"), (-1.0, 1.0), (0.0, 2.0), size=41)
    assert view.values.shape == (41, 41)
    # row j is w2[j], column i is w1[i]
    assert view.values[40, 0] == pytest.approx(1.0 + 4.0)
    assert view.rect == (-1.0, 0.0, 2.0, 2.0)
    assert len(view.levels) == 12 and np.all(np.diff(view.levels) > 0)
    j, i = 10, 30
    below = int(np.sum(view.levels < view.values[j, i]))
    assert view.bands[j, i] == below


def test_contour_lines_lie_on_their_levels() -> None:
    circle = surface("x^2 + y^2")
    view = landscape(circle, (-2, 2), (-2, 2), size=200, levels=np.array([1.0, 2.0]))
    lines = view.lines
    pieces = np.isnan(lines[:, 0])
    assert pieces.sum() >= 2  # a NaN row after each level's line
    radii = np.hypot(lines[~pieces, 0], lines[~pieces, 1])
    near_one = radii[radii < 1.2]
    near_two = radii[radii > 1.2]
    assert near_one == pytest.approx(1.0, abs=2e-3)
    assert near_two == pytest.approx(math.sqrt(2.0), abs=2e-3)
    assert [round(label[2], 6) for label in view.labels] == [1.0, 2.0]
    for x, y, level in view.labels:
        assert x * x + y * y == pytest.approx(level, abs=1e-2)


def test_levels_follow_a_narrow_valley() -> None:
    view = landscape(surface(ROSENBROCK), (-2, 2), (-1, 3), size=100)
    # Evenly spaced levels would put nearly all lines on the walls (L up to 2500);
    # quantiles put several in the valley, below L = 50.
    assert np.sum(view.levels < 50) >= 3


def test_undefined_values_have_their_own_band() -> None:
    view = landscape(surface("sqrt(x) + y"), (-1, 1), (-1, 1), size=20)
    assert np.all(view.bands[:, view.w1 < 0] == 255)
    assert np.all(view.bands[:, view.w1 > 0] < 255)


def test_levels_and_rounding() -> None:
    assert round_level(0.124987) == 0.125
    assert round_level(2468.2) == 2470.0
    assert contour_levels(np.full((5, 5), 3.0)).size == 0
    assert contour_levels(np.full((5, 5), np.nan)).size == 0
