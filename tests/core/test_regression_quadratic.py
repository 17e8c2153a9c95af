"""Parabola fits y = a·x² + b·x + c against hand computations and numpy's least squares."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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


def test_readouts_by_hand() -> None:
    fit = QuadraticFit.of(ON_PARABOLA)
    assert fit.curve_text(np.array([0.5, -2.0, 0.0])) == "y = 0.5·x² − 2·x + 0"
    assert fit.partial_lines(np.zeros(3)) == (
        "∂SSE/∂a = −2·Σxᵢ²(yᵢ − a·xᵢ² − b·xᵢ − c) = −36",
        "∂SSE/∂b = −2·Σxᵢ(yᵢ − a·xᵢ² − b·xᵢ − c) = −16",
        "∂SSE/∂c = −2·Σ(yᵢ − a·xᵢ² − b·xᵢ − c) = −12",
    )
    # The (a, c) block of 2XᵀX is [[36, 12], [12, 8]]: eigenvalues 22 ± √340.
    plane = fit.plane(("a", "c"), held=0.0)
    low, high = 22 - 340**0.5, 22 + 340**0.5
    assert plane.condition_number() == pytest.approx(high / low)
    assert plane.critical_rate() == pytest.approx(2 / high)


def test_the_critical_rate_is_where_descent_on_the_pair_diverges() -> None:
    fit = QuadraticFit.of(generate(1.0, 0.0, 1.0, 12, (-2.0, 3.0), 8))
    plane = fit.plane(("a", "b"), held=0.0)
    start = np.array([2.0, 2.0])

    def distance_after(rate: float) -> float:
        w = start.copy()
        for _ in range(300):
            w = w - rate * plane.gradient(*w)
        return float(np.hypot(*(w - plane.bottom())))

    assert distance_after(0.99 * plane.critical_rate()) < 1.0
    assert distance_after(1.05 * plane.critical_rate()) > 1e3
    (a0, a1), (b0, b1) = plane.view((2.0, 2.0))
    assert a0 < 2.0 < a1 and b0 < 2.0 < b1  # the start is in the frame
    assert (a0 + a1) / 2 == pytest.approx(plane.bottom()[0])


def test_the_readme_example_prints_what_it_says() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    code = next(block for block in blocks if "QuadraticFit" in block)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    # By hand: y = x² exactly; the (a, c) block [[36, 12], [12, 8]] has λmax = 22 + √340.
    assert result.stdout.splitlines() == [
        "[1.0, 0.0, 0.0]",
        "[-36. -16. -12.]",
        f"[1.0, 0.0] {round(2 / (22 + 340**0.5), 5)}",
        "18.0",
    ]
