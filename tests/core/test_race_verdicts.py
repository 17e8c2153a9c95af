"""A race's verdicts are read together (f probed for every racer in one evaluation): each
must be the verdict :func:`diagnose` gives that racer alone, at every frame of the race."""

from __future__ import annotations

import numpy as np
import pytest

from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language.syntax import parse_tree
from calcstudio.core.optimize import (
    OPTIMIZERS,
    Objective,
    Run,
    diagnose,
    make_optimizer,
    objective_from_evaluators,
)
from calcstudio.core.optimize.diagnosis import diagnose_each
from calcstudio.core.optimize.landscape import look_downhill, look_downhill_from_each
from calcstudio.core.surface.critical import critical_points
from calcstudio.core.surface.descent import surface_objective
from calcstudio.core.surface.fields import surface
from calcstudio.core.surface.verdicts import surface_verdict, surface_verdicts


def one_variable(text: str) -> Objective:
    """f, f′, f″ as the window's fast path compiles them."""
    tree = parse_tree(text)
    f, df, d2f = derivative_evaluators(tree)
    return objective_from_evaluators(f, [df], [[d2f]], tree.variables)


def race(objective: Objective, start: object, rate: float, steps: int) -> list[Run]:
    return [
        Run(objective, start, make_optimizer(key, learning_rate=rate), max_steps=steps)
        for key in OPTIMIZERS
    ]


@pytest.mark.parametrize(
    ("text", "start", "rate"),
    [
        ("x^4 - 3x^2 + x", 2.0, 0.1),  # converging into two valleys, oscillating
        ("x^2", 5.0, 1.05),  # diverging
        ("-x^2", 0.1, 0.1),  # running away downhill
        ("abs(x)", 0.05, 0.1),  # across a corner
    ],
)
def test_one_variable_race_verdicts_are_each_racers_own(
    text: str, start: float, rate: float
) -> None:
    objective = one_variable(text)
    runs = race(objective, start, rate, 60)
    kinds = set()
    for _ in range(60):
        traces = [run.trace() for run in runs]
        together = diagnose_each(traces, objective)
        assert together == [diagnose(trace, objective) for trace in traces]
        kinds |= {verdict.kind for verdict in together}
        for run in runs:
            run.step()
    assert len(kinds) >= 2  # the race showed more than one verdict


@pytest.mark.parametrize(
    ("text", "start", "rate", "span"),
    [
        ("L(x, y) = (1 - x)^2 + 100(y - x^2)^2", (-1.2, 1.0), 1e-3, 2.0),  # Rosenbrock
        ("x^2 - y^2", (1.0, 0.01), 0.1, 2.0),  # a saddle: running away downhill
        ("(4 - 2.1x^2 + x^4/3)x^2 + x y + (-4 + 4y^2)y^2", (-1.5, 1.0), 0.05, 2.0),  # camel
        ("w1^2 + 2w2^2", (1.0, -2.0), 0.6, 2.0),  # zigzag, diverging
    ],
)
def test_surface_race_verdicts_are_each_racers_own(
    text: str, start: tuple[float, float], rate: float, span: float
) -> None:
    function = surface(text)
    objective = surface_objective(function)
    points = critical_points(function, (-span, span), (-span, span))
    runs = race(objective, start, rate, 40)
    kinds = set()
    for _ in range(40):
        traces = [run.trace() for run in runs]
        together = surface_verdicts(traces, objective, points, 2 * span)
        assert together == [surface_verdict(t, objective, points, 2 * span) for t in traces]
        kinds |= {verdict.kind for verdict in together}
        for run in runs:
            run.step()
    assert len(kinds) >= 2


def test_looking_downhill_from_several_points_at_once_finds_what_each_look_finds() -> None:
    objective = surface_objective(surface("x^2 - y^2 + x y^3 / 5"))
    points = [np.array(p) for p in [(1.0, 0.3), (0.0, 0.0), (-2.0, 1.5), (0.5, -1.0)]]
    firsts = [1e-3, 1e-3, 0.2, 1e-6]
    for exact in (True, False):
        together = look_downhill_from_each(objective, points, firsts, exact=exact)
        alone = [
            look_downhill(objective, w, f, exact=exact) for w, f in zip(points, firsts, strict=True)
        ]
        assert [look.kind for look in together] == [look.kind for look in alone]
        for a, b in zip(together, alone, strict=True):
            np.testing.assert_array_equal(a.point, b.point)
    # At (0, 0) the slope is 0: nothing to follow, as for one point alone.
    assert together[1].kind == "unknown"


def test_hessians_at_many_points_are_those_at_each() -> None:
    objective = surface_objective(surface("x^3 y + exp(x - y)"))
    points = np.array([[0.0, 0.0], [1.0, -2.0], [-0.5, 3.0]])
    together = objective.hessians_at(points)
    assert together.shape == (3, 2, 2)
    for w, hessian in zip(points, together, strict=True):
        np.testing.assert_allclose(hessian, objective.hessian_at(w), rtol=1e-15)
    # Callables that take one number at a time are asked point by point.
    single = one_variable("x^3")
    np.testing.assert_allclose(single.hessians_at(np.array([[2.0], [-1.0]]))[:, 0, 0], [12, -6])
