"""Parabola fits y = a·x² + b·x + c against hand computations and numpy's least squares."""

from __future__ import annotations

import numpy as np
import pytest

from calcstudio.core.language import parse_tree
from calcstudio.core.regression import Dataset, generate
from calcstudio.core.regression.quadratic import QuadraticFit
from calcstudio.core.surface.fields import Surface

ON_PARABOLA = Dataset(np.array([-1.0, 0.0, 1.0, 2.0]), np.array([1.0, 0.0, 1.0, 4.0]))
"""On y = x² exactly."""


def lstsq(data: Dataset) -> np.ndarray:
    design = np.column_stack([data.x**2, data.x, np.ones(len(data))])
    theta, *_ = np.linalg.lstsq(design, data.y, rcond=None)
    return theta


def test_by_hand() -> None:
    fit = QuadraticFit.of(ON_PARABOLA)
    assert fit.best() == pytest.approx((1.0, 0.0, 0.0), abs=1e-12)
    assert fit.value(np.array([1.0, 0.0, 0.0])) == 0.0
    # At θ = 0 the errors are the targets: ∂/∂a = −2Σx²y = −2·18, ∂/∂b = −2Σxy = −2·8,
    # ∂/∂c = −2Σy = −2·6; the SSE is Σy² = 18.
    assert fit.gradient(np.zeros(3)).tolist() == [-36.0, -16.0, -12.0]
    assert fit.value(np.zeros(3)) == 18.0
    mse = QuadraticFit.of(ON_PARABOLA, "MSE")
    assert mse.value(np.zeros(3)) == 4.5 and mse.gradient(np.zeros(3)).tolist() == [-9, -4, -3]
    # 2XᵀX with Σx⁴ = 18, Σx³ = 8, Σx² = 6, Σx = 2, n = 4.
    assert fit.hessian().tolist() == [[36, 16, 12], [16, 12, 4], [12, 4, 8]]


@pytest.mark.parametrize(
    ("x_range", "seed"), [((0.0, 10.0), 1), ((-3.0, 3.0), 2), ((100.0, 110.0), 3)]
)
def test_best_is_numpys_least_squares(x_range: tuple[float, float], seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(*x_range, 30))
    y = 0.3 * x**2 - 2 * x + 5 + rng.normal(0, 1, 30)
    data = Dataset(x, y)
    fit = QuadraticFit.of(data)
    expected = lstsq(data)
    assert fit.best() == pytest.approx(expected, rel=1e-6)
    assert np.linalg.norm(fit.gradient(np.array(fit.best()))) < 1e-6 * np.linalg.norm(
        fit.gradient(np.zeros(3))
    )


def test_fewer_than_three_distinct_x_have_no_single_best() -> None:
    assert QuadraticFit.of(Dataset(np.array([1.0, 1.0, 2.0]), np.array([0.0, 1, 2]))).best() is None


def test_a_plane_through_two_coefficients() -> None:
    data = generate(2.0, 1.0, 1.0, 15, (0.0, 10.0), 5)
    fit = QuadraticFit.of(data, "MSE")
    best = np.array(fit.best())
    plane = fit.plane(("a", "b"), held=best[2])  # c held at its least-squares value
    assert plane.held_name == "c"
    assert plane.bottom() == pytest.approx(best[:2], rel=1e-8)
    held = fit.plane(("b", "c"), held=0.5)  # a held at the current value 0.5
    design = np.column_stack([data.x, np.ones(len(data))])
    (b, c), *_ = np.linalg.lstsq(design, data.y - 0.5 * data.x**2, rcond=None)
    assert held.bottom() == pytest.approx((b, c), rel=1e-8)
    rng = np.random.default_rng(0)
    surface = Surface(parse_tree(held.loss_text()))
    assert surface.variables == ("b", "c")
    for p, q in rng.normal(0, 3, (5, 2)):
        direct = fit.value(np.array([0.5, p, q]))
        assert float(held.value(p, q)) == pytest.approx(direct, rel=1e-9)
        assert float(surface.value_at(p, q)) == pytest.approx(direct, rel=1e-9)
        assert held.gradient(p, q) == pytest.approx(fit.gradient(np.array([0.5, p, q]))[1:])
    with pytest.raises(ValueError, match="two different coefficients"):
        fit.plane(("a", "a"), 0.0)
