"""Deep chains: why gradients vanish or explode as a network gets deeper.

A chain of n layers h_k = g(w·h_{k−1}), from h_0 = x to f = h_n, has by the chain rule

    ∂f/∂h_{k−1} = ∏_{j=k..n} w·g′(w·h_{j−1}),

a product of n − k + 1 local slopes: the gradient that reaches layer k from the output. With
g = sigmoid each factor is at most |w|/4 (sigmoid′ ≤ 1/4), so with w = 1 the gradient at the
input is at most 4⁻ⁿ: it vanishes. With g = tanh the bound is |w|ⁿ⁻ᵏ⁺¹ (tanh′ ≤ 1), and the
linear chain w·(w·(…w·x)) has exactly |w|ⁿ⁻ᵏ⁺¹: it explodes for |w| > 1 and vanishes for
|w| < 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calcstudio.core.jet_rules import RULES

FAMILIES = {
    "sigmoid": "sigmoid(w·h): each slope at most |w|/4",
    "tanh": "tanh(w·h): each slope at most |w|",
    "linear": "w·h: each slope exactly w",
}
"""The deep chains of the lesson, by key, with what bounds their local slopes."""
MAX_DEPTH = 50
"""Deepest chain offered (the plot's range)."""
_BOUND_PER_LAYER = {"sigmoid": 0.25, "tanh": 1.0, "linear": 1.0}


@dataclass(frozen=True)
class DeepChain:
    """The gradients reaching every layer of a deep chain.

    Attributes
    ----------
    family, depth, weight, x
        Which chain, how many layers, the weight w and the input x.
    layers
        1, 2, …, n.
    outputs
        h_1 … h_n (the forward pass).
    gradients
        |∂f/∂h_{k−1}| for k = 1 … n: the size of the gradient at the input of layer k.
    bounds
        The largest that gradient can be whatever x is (the product of the slope bounds).
    """

    family: str
    depth: int
    weight: float
    x: float
    layers: np.ndarray
    outputs: np.ndarray
    gradients: np.ndarray
    bounds: np.ndarray

    @property
    def input_gradient(self) -> float:
        """|df/dx|: what reaches the input through all n layers."""
        return float(self.gradients[0])


def deep_chain(family: str, depth: int, weight: float = 1.0, x: float = 0.5) -> DeepChain:
    """Run the forward and backward passes of a deep chain.

    Parameters
    ----------
    family
        A key of :data:`FAMILIES`.
    depth
        The number of layers, 1 to :data:`MAX_DEPTH`.
    weight
        The weight w of every layer.
    x
        The input.
    """
    if family not in FAMILIES:
        raise ValueError(f"no deep chain called {family!r}; choose one of {', '.join(FAMILIES)}")
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"the depth must be between 1 and {MAX_DEPTH}")
    h = float(x)
    outputs, slopes = [], []
    with np.errstate(all="ignore"):
        for _ in range(depth):
            if family == "linear":
                h, slope = weight * h, weight
            else:
                value, derivative = RULES[family](weight * h, 1)
                h, slope = float(value), weight * float(derivative)
            outputs.append(h)
            slopes.append(slope)
        # Backward: the gradient at the input of layer k is the product of the slopes of
        # layers k..n, accumulated from the output down.
        gradients = np.abs(np.cumprod(np.array(slopes)[::-1])[::-1])
    remaining = np.arange(depth, 0, -1, dtype=float)  # layers from k to n
    bounds = (abs(weight) * _BOUND_PER_LAYER[family]) ** remaining
    return DeepChain(
        family,
        depth,
        float(weight),
        float(x),
        np.arange(1, depth + 1),
        np.array(outputs),
        gradients,
        bounds,
    )


def chain_text(family: str, depth: int, weight: str = "w", x: str = "x") -> str:
    """The deep chain as a function in the expression language, e.g.
    ``sigmoid(w*sigmoid(w*x))`` for two sigmoid layers."""
    text = x
    for _ in range(depth):
        text = f"{weight}*{text}" if family == "linear" else f"{family}({weight}*{text})"
    return text


def training_loss_text(
    family: str, depth: int, weight: float, x: float, target: float, variable: str = "w"
) -> str:
    """The loss (f − target)² of a deep chain whose *first* layer's weight is the variable,
    the others fixed at ``weight``: ``(sigmoid(1*sigmoid(w*0.5)) - 0.9)^2`` for two layers.

    Its slope in the variable is the gradient that reaches the first layer, a product of all
    ``depth`` layers' slopes: with sigmoid layers it vanishes like 4⁻ⁿ, and descent on it
    stalls. (A weight shared by every layer would not: the last layer's slope alone keeps
    its gradient large.)
    """
    text = f"{variable}*{x!r}" if family == "linear" else f"{family}({variable}*{x!r})"
    for _ in range(depth - 1):
        text = f"{weight!r}*{text}" if family == "linear" else f"{family}({weight!r}*{text})"
    return f"({text} - {target!r})^2"


def verdict(chain: DeepChain) -> str:
    """What the learner sees in the plot, in words."""
    n, gradient = chain.depth, chain.input_gradient
    if not np.isfinite(gradient) or gradient > 1e3:
        return (
            f"Exploding: the gradient at the input is {gradient:.3g}, a product of {n} slopes "
            f"of size {abs(chain.weight):.3g}; updates this large throw the weights around."
        )
    if gradient < 1e-3:
        return (
            f"Vanishing: only {gradient:.3g} of the output's gradient reaches the input through "
            f"{n} layers; the first layers barely learn."
        )
    return f"Healthy: {gradient:.3g} of the output's gradient reaches the input through {n} layers."
