"""Optimizers as pure step functions, runs of them (traces), and a diagnosis in words.

>>> from calcstudio.core.function import parse
>>> trace = descend(parse("x^2"), 5.0, learning_rate=0.1, steps=200)
>>> trace.status
'converged'
>>> diagnose(trace).kind
'converged'

Modules: :mod:`.objective` (what is minimised, as plain callables), :mod:`.base` (state,
step report, formatting), :mod:`.first_order`, :mod:`.adaptive`, :mod:`.newton` (the
optimizers), :mod:`.registry` (what a window lists), :mod:`.trace` (a run's path),
:mod:`.run` (``Run``, stepped one frame at a time, and ``descend``), :mod:`.diagnosis` (its
rules in :mod:`.resting` and :mod:`.moving`, checked on f with :mod:`.landscape`).
"""

from __future__ import annotations

from calcstudio.core.optimize.adaptive import AdaGrad, Adam, AdamState, RMSProp, SquaresState
from calcstudio.core.optimize.base import Optimizer, State, StepInfo
from calcstudio.core.optimize.diagnosis import Diagnosis, critical_learning_rate, diagnose
from calcstudio.core.optimize.first_order import GradientDescent, Momentum, MomentumState, Nesterov
from calcstudio.core.optimize.newton import Newton
from calcstudio.core.optimize.objective import (
    Objective,
    objective_from_evaluators,
    objective_from_function,
)
from calcstudio.core.optimize.registry import (
    OPTIMIZERS,
    Hyperparameter,
    OptimizerSpec,
    make_optimizer,
)
from calcstudio.core.optimize.run import Run, RunStatus, descend
from calcstudio.core.optimize.trace import Trace

__all__ = [
    "OPTIMIZERS",
    "AdaGrad",
    "Adam",
    "AdamState",
    "Diagnosis",
    "GradientDescent",
    "Hyperparameter",
    "Momentum",
    "MomentumState",
    "Nesterov",
    "Newton",
    "Objective",
    "Optimizer",
    "OptimizerSpec",
    "RMSProp",
    "Run",
    "RunStatus",
    "SquaresState",
    "State",
    "StepInfo",
    "Trace",
    "critical_learning_rate",
    "descend",
    "diagnose",
    "make_optimizer",
    "objective_from_evaluators",
    "objective_from_function",
]
