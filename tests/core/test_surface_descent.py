"""Optimizers on surfaces, and the verdicts in two dimensions.

The reference iterates are written from the textbook update rules with plain Python
floats and hand-derived gradients, never by calling the code under test.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from calcstudio.core.optimize import Run, descend, make_optimizer
from calcstudio.core.surface.critical import critical_points
from calcstudio.core.surface.descent import surface_objective, vector_update
from calcstudio.core.surface.fields import surface
from calcstudio.core.surface.verdicts import critical_rate_sentence, surface_verdict

Vector = tuple[float, float]
Gradient = Callable[[float, float], Vector]
Hessian = Callable[[float, float], tuple[Vector, Vector]]


def bowl_gradient(x: float, y: float) -> Vector:
    return 2 * x, 4 * y


def bowl_hessian(x: float, y: float) -> tuple[Vector, Vector]:
    return (2.0, 0.0), (0.0, 4.0)


def rosenbrock_gradient(x: float, y: float) -> Vector:
    return -2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)


def rosenbrock_hessian(x: float, y: float) -> tuple[Vector, Vector]:
    return (2 - 400 * (y - x * x) + 800 * x * x, -400 * x), (-400 * x, 200.0)


def reference(key: str, g: Gradient, h: Hessian, start: Vector, eta: float) -> list[Vector]:
    """21 points: the start and 20 iterates of the textbook rule ``key``."""
    x, y = start
    points = [(x, y)]
    v = [0.0, 0.0]  # velocity, or the sum / mean of squares
    m = [0.0, 0.0]  # Adam's mean
    for t in range(1, 21):
        gx, gy = g(x, y)
        if key == "gd":
            dx, dy = gx, gy
        elif key == "momentum":
            v = [0.9 * v[0] + gx, 0.9 * v[1] + gy]
            dx, dy = v
        elif key == "nesterov":
            ax, ay = g(x - eta * 0.9 * v[0], y - eta * 0.9 * v[1])
            v = [0.9 * v[0] + ax, 0.9 * v[1] + ay]
            dx, dy = v
        elif key == "adagrad":
            v = [v[0] + gx * gx, v[1] + gy * gy]
            dx, dy = gx / (math.sqrt(v[0]) + 1e-8), gy / (math.sqrt(v[1]) + 1e-8)
        elif key == "rmsprop":
            v = [0.9 * v[0] + 0.1 * gx * gx, 0.9 * v[1] + 0.1 * gy * gy]
            dx, dy = gx / (math.sqrt(v[0]) + 1e-8), gy / (math.sqrt(v[1]) + 1e-8)
        elif key == "adam":
            m = [0.9 * m[0] + 0.1 * gx, 0.9 * m[1] + 0.1 * gy]
            v = [0.999 * v[0] + 0.001 * gx * gx, 0.999 * v[1] + 0.001 * gy * gy]
            mx, my = m[0] / (1 - 0.9**t), m[1] / (1 - 0.9**t)
            sx, sy = v[0] / (1 - 0.999**t), v[1] / (1 - 0.999**t)
            dx, dy = mx / (math.sqrt(sx) + 1e-8), my / (math.sqrt(sy) + 1e-8)
        else:  # Newton: solve H d = g by Cramer's rule where H is positive definite
            (a, b), (_, c) = h(x, y)
            det = a * c - b * b
            if a > 0 and det > 0:
                dx, dy = (c * gx - b * gy) / det, (a * gy - b * gx) / det
            else:
                x, y = x - 0.1 * gx, y - 0.1 * gy
                points.append((x, y))
                continue
        x, y = x - eta * dx, y - eta * dy
        points.append((x, y))
    return points


HYPERPARAMETERS = {
    "gd": {},
    "momentum": {"beta": 0.9},
    "nesterov": {"beta": 0.9},
    "adagrad": {"eps": 1e-8},
    "rmsprop": {"rho": 0.9, "eps": 1e-8},
    "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    "newton": {"fallback_rate": 0.1},
}
BOWL_RATES = {
    "gd": 0.1,
    "momentum": 0.05,
    "nesterov": 0.05,
    "adagrad": 0.5,
    "rmsprop": 0.05,
    "adam": 0.1,
    "newton": 0.5,
}
ROSENBROCK_RATES = {
    "gd": 0.001,
    "momentum": 0.0002,
    "nesterov": 0.0002,
    "adagrad": 0.1,
    "rmsprop": 0.005,
    "adam": 0.05,
    "newton": 1.0,
}


def iterates(text: str, key: str, start: Vector, eta: float) -> np.ndarray:
    objective = surface_objective(surface(text))
    optimizer = make_optimizer(key, learning_rate=eta, **HYPERPARAMETERS[key])
    run = Run(objective, start, optimizer, max_steps=20, tolerance=0.0)
    while not run.finished:
        run.step()
    return run.points


@pytest.mark.parametrize("key", list(HYPERPARAMETERS))
def test_first_20_iterates_on_the_seed_bowl(key: str) -> None:
    points = iterates("w1^2 + 2w2^2", key, (1.0, -2.0), BOWL_RATES[key])
    expected = reference(key, bowl_gradient, bowl_hessian, (1.0, -2.0), BOWL_RATES[key])
    assert points.shape == (21, 2)
    np.testing.assert_allclose(points, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("key", list(HYPERPARAMETERS))
def test_first_20_iterates_on_rosenbrock(key: str) -> None:
    text = "(1 - x)^2 + 100(y - x^2)^2"
    points = iterates(text, key, (-1.2, 1.0), ROSENBROCK_RATES[key])
    expected = reference(
        key, rosenbrock_gradient, rosenbrock_hessian, (-1.2, 1.0), ROSENBROCK_RATES[key]
    )
    assert points.shape == (21, 2)
    np.testing.assert_allclose(points, expected, rtol=1e-8, atol=1e-10)


def test_newton_falls_back_where_the_hessian_is_not_positive_definite() -> None:
    # L = x² − y² + y⁴/4: at y = 0.5 the curvature in y is −2 + 3y² = −1.25 < 0.
    text = "x^2 - y^2 + y^4/4"

    def gradient(x: float, y: float) -> Vector:
        return 2 * x, -2 * y + y**3

    def hessian(x: float, y: float) -> tuple[Vector, Vector]:
        return (2.0, 0.0), (0.0, -2 + 3 * y * y)

    points = iterates(text, "newton", (1.0, 0.5), 1.0)
    np.testing.assert_allclose(points, reference("newton", gradient, hessian, (1.0, 0.5), 1.0))
    trace = descend(surface_objective(surface(text)), (1.0, 0.5), steps=1, optimizer="newton")
    assert "not positive definite" in trace.steps[0].note
    assert "eigenvalues −1.250, 2.000" in trace.steps[0].note


def test_the_seed_update_in_vector_form() -> None:
    trace = descend(surface_objective(surface("w1^2 + 2w2^2")), (1.0, -2.0), 0.1, steps=1)
    text = vector_update(trace.steps[0], "gd", 0.1)
    assert text == "w ← w − η·∇L = (1.000, −2.000) − 0.1·(2.000, −8.000) = (0.800, −1.200)"


def test_newton_vector_form_names_its_direction() -> None:
    objective = surface_objective(surface("w1^2 + 2w2^2"))
    trace = descend(objective, (1.0, -2.0), 1.0, steps=1, optimizer="newton")
    # H⁻¹∇L = (2/2, −8/4) = (1, −2): one full step lands on the minimum.
    text = vector_update(trace.steps[0], "newton", 1.0)
    assert text == "w ← w − η·H⁻¹∇L = (1.000, −2.000) − 1·(1.000, −2.000) = (0.000, 0.000)"


def verdict(text: str, start: Vector, eta: float, steps: int, span: float = 2.0) -> object:
    function = surface(text)
    objective = surface_objective(function)
    points = critical_points(function, (-span, span), (-span, span))
    trace = descend(objective, start, eta, steps=steps)
    return surface_verdict(trace, objective, points, 2 * span)


def test_zigzag_across_a_narrow_valley_names_the_condition_number() -> None:
    # H = diag(2, 40): κ = 20, 2/λmax = 0.05; η = 0.045 multiplies w2 by 1 − 1.8 = −0.8
    # each step (it flips side) while w1 shrinks by 0.91: a zigzag.
    found = verdict("w1^2 + 20w2^2", (-1.8, 0.5), 0.045, 12)
    assert found.kind == "zigzag"
    assert "20.000 times more steeply" in found.message
    assert "2/λmax = 0.050" in found.message
    assert found.condition_number == pytest.approx(20.0)
    assert found.critical_rate == pytest.approx(0.05)
    # the same valley with a small rate does not zigzag
    assert verdict("w1^2 + 20w2^2", (-1.8, 0.5), 0.01, 12).kind == "converging"


def test_stuck_on_a_saddle_and_escaping_it() -> None:
    # From (1, 0) the path runs along the ridge y = 0 into the saddle and stays.
    stuck = verdict("x^2 - y^2", (1.0, 0.0), 0.1, 400)
    assert stuck.kind == "saddle"
    assert stuck.message.startswith("Stuck at the saddle (0.000, 0.000)")
    assert "eigenvalue −2.000" in stuck.message
    # A nudge of 0.001 off the ridge grows by 1.2 per step: it escapes downhill.
    escaped = verdict("x^2 - y^2", (1.0, 0.001), 0.1, 40)
    assert escaped.kind == "saddle"
    assert escaped.message.startswith("Escaped the saddle (0.000, 0.000)")


def test_a_flat_critical_point_is_not_called_a_saddle() -> None:
    found = verdict("x^4 + y^4", (1.0, 0.5), 0.1, 400)
    assert found.kind == "stalled"
    assert "cannot tell whether this is a minimum" in found.message


def test_local_and_equally_low_minima() -> None:
    camel = "(4 - 2.1x^2 + x^4/3)x^2 + x y + (-4 + 4y^2)y^2"
    local = verdict(camel, (1.8, 0.8), 0.02, 500)
    assert local.kind == "local minimum"
    assert "(L = 2.104), not the lowest in view" in local.message
    assert "(0.090, −0.713) is lower (L = −1.032)" in local.message
    himmelblau = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"
    one_of_four = verdict(himmelblau, (0.0, 0.0), 0.01, 500, span=5.0)
    assert one_of_four.kind == "converged"
    assert "one of 4 minima in view with the same value" in one_of_four.message


def test_critical_rate_sentence_at_the_seed_minimum() -> None:
    found = verdict("w1^2 + 2w2^2", (1.0, -2.0), 0.1, 500)
    assert found.kind == "converged"
    assert critical_rate_sentence(found) == (
        "Critical rate here: 2/λmax = 0.500 (λmax = 4.000). Plain gradient descent "
        "diverges near here with any larger η."
    )
    # and it is true: just above 2/λmax = 0.5 gradient descent runs away
    above = descend(surface_objective(surface("w1^2 + 2w2^2")), (1.0, -2.0), 0.51, steps=2000)
    below = descend(surface_objective(surface("w1^2 + 2w2^2")), (1.0, -2.0), 0.49, steps=2000)
    assert above.status == "diverged" and below.status == "converged"
