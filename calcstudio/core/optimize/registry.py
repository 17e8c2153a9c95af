"""The optimizers a window can offer: names, hyperparameters and words for a learner."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from calcstudio.core.optimize.adaptive import AdaGrad, Adam, RMSProp
from calcstudio.core.optimize.base import Optimizer
from calcstudio.core.optimize.first_order import GradientDescent, Momentum, Nesterov
from calcstudio.core.optimize.newton import Newton


@dataclass(frozen=True)
class Hyperparameter:
    """One knob of an optimizer, with a range suitable for a slider.

    Attributes
    ----------
    name
        The keyword argument, e.g. ``"learning_rate"``.
    label
        What a learner reads, e.g. ``"learning rate η"``.
    default
        The default value.
    minimum, maximum
        A sensible slider range (the optimizer itself checks only validity).
    log_scale
        True when the slider should move in powers of ten.
    description
        One sentence on what the knob does.
    """

    name: str
    label: str
    default: float
    minimum: float
    maximum: float
    log_scale: bool
    description: str


@dataclass(frozen=True)
class OptimizerSpec:
    """An optimizer as listed in the window.

    Attributes
    ----------
    key
        Short name used by :func:`make_optimizer` and ``descend``, e.g. ``"adam"``.
    display_name
        E.g. ``"Momentum (heavy ball)"``.
    short_name
        For tight places such as a table column, e.g. ``"Momentum"``.
    optimizer
        The optimizer class.
    hyperparameters
        Its knobs, learning rate first.
    update_rule
        The update in symbols, for a point ``w`` of any number of variables.
    description
        A few sentences for a learner.
    one_variable_rule
        The update for one variable where it is not ``update_rule`` with ``∇f`` read as
        ``f′`` (Newton's method divides by f″ instead of inverting a Hessian).
    """

    key: str
    display_name: str
    short_name: str
    optimizer: type[Optimizer[Any]]
    hyperparameters: tuple[Hyperparameter, ...]
    update_rule: str
    description: str
    one_variable_rule: str = ""

    @property
    def defaults(self) -> dict[str, float]:
        """Hyperparameter names mapped to their defaults."""
        return {h.name: h.default for h in self.hyperparameters}

    def rule_for(self, variables: Sequence[str]) -> str:
        """The update written with the function's own variables.

        Examples
        --------
        >>> OPTIMIZERS["gd"].rule_for(["x"])
        'x ← x − η f′(x)'
        >>> OPTIMIZERS["gd"].rule_for(["w1", "w2"])
        'w ← w − η ∇f(w)'
        """
        if len(variables) != 1:
            return self.update_rule
        rule = self.one_variable_rule or self.update_rule.replace("∇f", "f′")
        return re.sub(r"\bw\b", variables[0], rule)


MIN_RATE = 1e-7
"""The smallest learning rate: the line fit's SSE on inputs far from 0 needs rates near 1e-6."""


def _rate(default: float, maximum: float = 3.0) -> Hyperparameter:
    return Hyperparameter(
        "learning_rate",
        "learning rate η",
        default,
        MIN_RATE,
        maximum,
        True,
        "How far each step moves: too small crawls, too large overshoots.",
    )


def _decay(name: str, label: str, default: float, maximum: float, what: str) -> Hyperparameter:
    return Hyperparameter(name, label, default, 0.0, maximum, False, what)


def _eps(default: float) -> Hyperparameter:
    return Hyperparameter(
        "eps",
        "ε",
        default,
        1e-12,
        1e-2,
        True,
        "A tiny number added before dividing, so a zero gradient history cannot divide by zero.",
    )


_BETA = _decay(
    "beta",
    "momentum β",
    0.9,
    0.999,
    "The share of the previous velocity kept each step: 0 is plain gradient descent.",
)

_SPECS = (
    OptimizerSpec(
        "gd",
        "Gradient descent",
        "GD",
        GradientDescent,
        (_rate(0.1),),
        "w ← w − η ∇f(w)",
        "Step straight downhill: move against the slope by the learning rate times the "
        "slope. Steep ground gives big steps, flat ground small ones. On a bowl with "
        "curvature f″ the steps shrink smoothly when η < 1/f″, zigzag across the bottom "
        "when 1/f″ < η < 2/f″, and grow without end when η > 2/f″.",
    ),
    OptimizerSpec(
        "momentum",
        "Momentum (heavy ball)",
        "Momentum",
        Momentum,
        (_rate(0.1), _BETA),
        "v ← β v + ∇f(w);  w ← w − η v",
        "A heavy ball rolling downhill: the velocity v remembers past slopes, so the ball "
        "speeds up on long gentle slopes and coasts across small bumps and flat stretches, "
        "but it can also roll past the bottom and swing back before it settles. "
        "The same numbers as PyTorch's SGD(momentum=β) (v starts at 0).",
    ),
    OptimizerSpec(
        "nesterov",
        "Nesterov momentum",
        "Nesterov",
        Nesterov,
        (_rate(0.1), _BETA),
        "v ← β v + ∇f(w);  w ← w − η (∇f(w) + β v)",
        "Momentum that looks ahead: the move adds the slope here to the velocity it is about "
        "to carry, so it starts braking sooner than the heavy ball when the slope turns. "
        "The same numbers as PyTorch's SGD(momentum=β, nesterov=True); the look-ahead "
        "form of textbooks, which takes the slope at w − η β v, gives other points.",
    ),
    OptimizerSpec(
        "adagrad",
        "AdaGrad",
        "AdaGrad",
        AdaGrad,
        (_rate(0.5), _eps(1e-10)),
        "g = ∇f(w);  s ← s + g²;  w ← w − η g / (√s + ε)",
        "Each variable gets its own step size: the rate is divided by the root of the sum "
        "of all its squared slopes so far. Steep directions are tamed and gentle ones are "
        "boosted, but the sum only grows, so the steps keep shrinking and can stall. "
        "PyTorch's Adagrad with its ε = 1e−10 (s starts at 0, no learning-rate decay).",
    ),
    OptimizerSpec(
        "rmsprop",
        "RMSProp",
        "RMSProp",
        RMSProp,
        (
            _rate(0.1),
            _decay(
                "rho",
                "decay ρ",
                0.99,
                0.999,
                "The share of the running average of squared slopes kept each step "
                "(PyTorch's alpha).",
            ),
            _eps(1e-8),
        ),
        "g = ∇f(w);  s ← ρ s + (1 − ρ) g²;  w ← w − η g / (√s + ε)",
        "AdaGrad with a memory that fades: dividing by a moving average of squared slopes "
        "keeps each variable's steps near η, without shrinking forever. PyTorch's RMSprop "
        "with its defaults ρ = 0.99 (its alpha) and ε = 1e−8.",
    ),
    OptimizerSpec(
        "adam",
        "Adam",
        "Adam",
        Adam,
        (
            _rate(0.1),
            _decay(
                "beta1",
                "β₁ (slope average)",
                0.9,
                0.999,
                "The share of the moving average of slopes kept each step (momentum).",
            ),
            _decay(
                "beta2",
                "β₂ (squared-slope average)",
                0.999,
                0.9999,
                "The share of the moving average of squared slopes kept each step.",
            ),
            _eps(1e-8),
        ),
        "g = ∇f(w);  m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;  "
        "m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  w ← w − η m̂ / (√v̂ + ε)",
        "Momentum and RMSProp together, the usual default for training networks: a moving "
        "average of slopes sets the direction, a moving average of squared slopes sets each "
        "variable's scale, and both are corrected for starting at zero. Each step moves "
        "about η, whatever the steepness; t counts the steps from 1. PyTorch's Adam with "
        "its defaults β₁ = 0.9, β₂ = 0.999, ε = 1e−8 (it defaults to η = 0.001 for "
        "networks; 0.1 suits these small examples).",
    ),
    OptimizerSpec(
        "newton",
        "Newton's method",
        "Newton",
        Newton,
        (
            _rate(1.0, maximum=2.0),
            Hyperparameter(
                "fallback_rate",
                "fallback rate",
                0.1,
                1e-4,
                3.0,
                True,
                "The gradient-descent rate used where the curvature is not positive.",
            ),
        ),
        "w ← w − η H⁻¹ ∇f(w)",
        "Uses the curvature as well as the slope: it fits a parabola at the current point "
        "and jumps to its bottom (a fraction η of the way), so with η = 1 a quadratic is "
        "solved in one step. Where the curvature is zero, negative or undefined the parabola "
        "has no bottom, so it takes a plain gradient step with the fallback rate instead "
        "and says so.",
        "w ← w − η f′(w) / f″(w)",
    ),
)

OPTIMIZERS: dict[str, OptimizerSpec] = {spec.key: spec for spec in _SPECS}
"""Every optimizer, by key, in the order a window should list them."""


def make_optimizer(key: str, **hyperparameters: float) -> Optimizer[Any]:
    """Build an optimizer by key, with the registry defaults for anything not given.

    Parameters
    ----------
    key
        One of :data:`OPTIMIZERS` (``"gd"``, ``"momentum"``, ``"nesterov"``,
        ``"adagrad"``, ``"rmsprop"``, ``"adam"``, ``"newton"``).
    **hyperparameters
        Values by name, e.g. ``learning_rate=0.05, beta=0.8``.

    Raises
    ------
    ValueError
        For an unknown key or hyperparameter name, or an invalid value.
    """
    spec = OPTIMIZERS.get(key)
    if spec is None:
        raise ValueError(f"unknown optimizer {key!r}; choose one of {', '.join(OPTIMIZERS)}")
    accepted = {f.name for f in fields(spec.optimizer)}
    unknown = sorted(set(hyperparameters) - accepted)
    if unknown:
        raise ValueError(
            f"{spec.display_name} has no hyperparameter {', '.join(map(repr, unknown))}; "
            f"it takes {', '.join(sorted(accepted))}"
        )
    return spec.optimizer(**{**spec.defaults, **hyperparameters})
