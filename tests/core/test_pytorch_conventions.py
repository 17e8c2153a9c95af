"""Each optimizer's first 20 points against PyTorch's documented update rules.

The references below are written straight from the algorithm boxes of the PyTorch docs
(``torch.optim.SGD``, ``Adagrad``, ``RMSprop``, ``Adam``) with no weight decay, dampening,
centring, learning-rate decay or ``maximize``; torch itself is not needed. Each keeps its
state per coordinate, as a tensor of parameters would.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from calcstudio.core.function import parse
from calcstudio.core.optimize import OPTIMIZERS, descend, make_optimizer

Gradient = Callable[[np.ndarray], np.ndarray]
STEPS = 20


def torch_sgd(grad: Gradient, theta: np.ndarray, lr: float, momentum: float, nesterov: bool):
    """torch.optim.SGD: b_1 = g_1, b_t = mu b_(t-1) + g_t; nesterov uses g_t + mu b_t."""
    points, buffer = [theta.copy()], None
    for _ in range(STEPS):
        g = grad(theta)
        if momentum != 0:
            buffer = g.copy() if buffer is None else momentum * buffer + g
            g = g + momentum * buffer if nesterov else buffer
        theta = theta - lr * g
        points.append(theta.copy())
    return np.array(points)


def torch_adagrad(grad: Gradient, theta: np.ndarray, lr: float, eps: float = 1e-10):
    """torch.optim.Adagrad: state_sum += g^2, theta -= lr g / (sqrt(state_sum) + eps)."""
    points, state_sum = [theta.copy()], np.zeros_like(theta)
    for _ in range(STEPS):
        g = grad(theta)
        state_sum = state_sum + g * g
        theta = theta - lr * g / (np.sqrt(state_sum) + eps)
        points.append(theta.copy())
    return np.array(points)


def torch_rmsprop(
    grad: Gradient, theta: np.ndarray, lr: float, alpha: float = 0.99, eps: float = 1e-8
):
    """torch.optim.RMSprop: v = alpha v + (1 - alpha) g^2, theta -= lr g / (sqrt(v) + eps)."""
    points, v = [theta.copy()], np.zeros_like(theta)
    for _ in range(STEPS):
        g = grad(theta)
        v = alpha * v + (1 - alpha) * g * g
        theta = theta - lr * g / (np.sqrt(v) + eps)
        points.append(theta.copy())
    return np.array(points)


def torch_adam(
    grad: Gradient,
    theta: np.ndarray,
    lr: float,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
):
    """torch.optim.Adam: bias-corrected m and v, theta -= lr m_hat / (sqrt(v_hat) + eps)."""
    beta1, beta2 = betas
    points, m, v = [theta.copy()], np.zeros_like(theta), np.zeros_like(theta)
    for t in range(1, STEPS + 1):
        g = grad(theta)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        points.append(theta.copy())
    return np.array(points)


CASES = {
    "x^2": (lambda w: 2 * w, [5.0]),
    "w1^2 + 2w2^2": (lambda w: np.array([2 * w[0], 4 * w[1]]), [1.0, -2.0]),
}


def references(grad: Gradient, start: np.ndarray, lr: float) -> dict[str, np.ndarray]:
    """PyTorch's points for each optimizer key, with PyTorch's defaults."""
    return {
        "gd": torch_sgd(grad, start, lr, 0.0, False),
        "momentum": torch_sgd(grad, start, lr, 0.9, False),
        "nesterov": torch_sgd(grad, start, lr, 0.9, True),
        "adagrad": torch_adagrad(grad, start, lr),
        "rmsprop": torch_rmsprop(grad, start, lr),
        "adam": torch_adam(grad, start, lr),
    }


@pytest.mark.parametrize("function", list(CASES))
@pytest.mark.parametrize("key", ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
@pytest.mark.parametrize("lr", [0.1, 0.01])
def test_first_20_points_match_pytorch(function: str, key: str, lr: float) -> None:
    grad, start = CASES[function]
    expected = references(grad, np.array(start), lr)[key]
    # The registry's defaults (momentum β = 0.9 as in the usual torch recipe) and no others.
    trace = descend(parse(function), start, lr, steps=STEPS, optimizer=key, tolerance=0.0)
    assert trace.points.shape == expected.shape
    np.testing.assert_allclose(trace.points, expected, rtol=1e-12, atol=1e-12)


def test_nesterov_matches_the_numbers_pytorch_prints() -> None:
    # torch.optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True) on p^2 from 5
    trace = descend(parse("x^2"), 5.0, 0.1, steps=2, optimizer="nesterov", beta=0.9)
    assert trace.points[1:, 0] == pytest.approx([3.1, 1.112], abs=1e-12)


def test_defaults_are_pytorchs() -> None:
    assert make_optimizer("adagrad").eps == 1e-10
    rmsprop = make_optimizer("rmsprop")
    assert (rmsprop.rho, rmsprop.eps) == (0.99, 1e-8)
    adam = make_optimizer("adam")
    assert (adam.beta1, adam.beta2, adam.eps) == (0.9, 0.999, 1e-8)


def test_the_rules_shown_say_what_is_computed() -> None:
    assert OPTIMIZERS["nesterov"].rule_for(["x"]) == "v ← β v + f′(x);  x ← x − η (f′(x) + β v)"
    assert OPTIMIZERS["momentum"].rule_for(["x"]) == "v ← β v + f′(x);  x ← x − η v"
    assert "m̂ = m / (1 − β₁ᵗ)" in OPTIMIZERS["adam"].rule_for(["x"])
    for key in ("adagrad", "rmsprop", "adam"):
        assert OPTIMIZERS[key].rule_for(["x"]).startswith("g = f′(x);")
        assert "PyTorch" in OPTIMIZERS[key].description
