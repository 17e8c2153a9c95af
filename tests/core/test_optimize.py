"""Optimizers, traces and diagnosis, checked against numbers worked out by hand.

Expected values are written from the textbook update rules with plain arithmetic,
never by calling the code under test.
"""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pytest

from calcstudio.core.function import parse
from calcstudio.core.optimize import (
    OPTIMIZERS,
    Objective,
    Run,
    critical_learning_rate,
    descend,
    diagnose,
    make_optimizer,
    objective_from_evaluators,
    objective_from_function,
)
from calcstudio.core.optimize.export import csv_header, write_traces_csv
from calcstudio.core.optimize.readout import critical_rate_sentence, step_lines

EPS = 1e-8


def square() -> Objective:
    """x^2 from plain numpy callables, as the window builds it (no sympy)."""
    return objective_from_evaluators(
        lambda x: np.asarray(x, dtype=float) ** 2,
        [lambda x: 2.0 * np.asarray(x, dtype=float)],
        [[lambda x: np.full(np.shape(x), 2.0)]],
    )


def two_steps(key: str, start: float = 5.0, **hyper: float) -> list[float]:
    optimizer = make_optimizer(key, **hyper)
    state = optimizer.init(start)
    points = []
    for _ in range(2):
        state, info = optimizer.step(state, square())
        points.append(float(info.w_after[0]))
    return points


# --- the seed numbers --------------------------------------------------------------------


def test_seed_trace_of_x_squared() -> None:
    trace = descend(parse("x^2"), 5.0, 0.1, steps=10)
    assert trace.status == "max_steps"
    assert trace.points.shape == (11, 1)
    assert trace.points[1:4, 0] == pytest.approx([4.0, 3.2, 2.56], abs=1e-12)
    assert trace.points[10, 0] == pytest.approx(0.536870912, abs=1e-12)
    assert trace.values[1] == pytest.approx(16.0, abs=1e-12)
    assert trace.gradients[1, 0] == pytest.approx(8.0, abs=1e-12)
    assert trace.steps[0].text == "x ← 5.000 − 0.1 × 10.000 = 4.000"


def test_update_text_has_the_numbers() -> None:
    _, info = make_optimizer("gd", learning_rate=0.1).step(
        make_optimizer("gd").init(1.2), objective_from_function(parse("x^2"))
    )
    assert info.text == "x ← 1.200 − 0.1 × 2.400 = 0.960"
    assert info.loss_before == pytest.approx(1.44)
    assert info.loss_after == pytest.approx(0.9216)
    assert info.k == 0


def test_gradient_and_one_step_on_the_bowl() -> None:
    objective = objective_from_function(parse("w1^2 + 2*w2^2"))
    assert objective.gradient_at(np.array([1.0, -2.0])).tolist() == [2.0, -8.0]
    optimizer = make_optimizer("gd", learning_rate=0.1)
    state, info = optimizer.step(optimizer.init([1.0, -2.0]), objective)
    assert info.gradient.tolist() == [2.0, -8.0]
    assert info.w_after == pytest.approx([1.0 - 0.1 * 2.0, -2.0 - 0.1 * -8.0])
    assert state.w == pytest.approx([0.8, -1.2])
    assert state.k == 1
    assert info.loss_before == 9.0
    assert info.text.splitlines() == [
        "w1 ← 1.000 − 0.1 × 2.000 = 0.800",
        "w2 ← −2.000 − 0.1 × (−8.000) = −1.200",
    ]


# --- the first two steps of each optimizer, by the textbook formulas -----------------------


def test_momentum_first_two_steps() -> None:
    # v <- beta v + g, w <- w - eta v with eta = 0.1, beta = 0.9 on x^2 from 5
    v1 = 0.9 * 0.0 + 2 * 5.0  # 10
    w1 = 5.0 - 0.1 * v1  # 4
    v2 = 0.9 * v1 + 2 * w1  # 17
    w2 = w1 - 0.1 * v2  # 2.3
    assert two_steps("momentum", learning_rate=0.1, beta=0.9) == pytest.approx([w1, w2])
    assert [w1, w2] == pytest.approx([4.0, 2.3])


def test_nesterov_first_two_steps() -> None:
    # PyTorch's SGD(nesterov=True): v <- beta v + g, w <- w - eta (g + beta v)
    g0 = 2 * 5.0
    v1 = 0.9 * 0.0 + g0  # 10
    w1 = 5.0 - 0.1 * (g0 + 0.9 * v1)  # 3.1
    g1 = 2 * w1  # 6.2
    v2 = 0.9 * v1 + g1  # 15.2
    w2 = w1 - 0.1 * (g1 + 0.9 * v2)  # 1.112
    assert two_steps("nesterov", learning_rate=0.1, beta=0.9) == pytest.approx([w1, w2])
    assert [w1, w2] == pytest.approx([3.1, 1.112])


def test_adagrad_first_two_steps() -> None:
    g0 = 2 * 5.0
    s1 = g0**2  # 100
    w1 = 5.0 - 0.5 * g0 / (math.sqrt(s1) + 1e-10)  # 4.5
    g1 = 2 * w1
    s2 = s1 + g1**2  # 181
    w2 = w1 - 0.5 * g1 / (math.sqrt(s2) + 1e-10)
    assert two_steps("adagrad", learning_rate=0.5) == pytest.approx([w1, w2], abs=1e-12)
    assert w2 == pytest.approx(4.5 - 4.5 / math.sqrt(181), abs=1e-7)


def test_rmsprop_first_two_steps() -> None:
    g0 = 2 * 5.0
    s1 = 0.9 * 0.0 + 0.1 * g0**2  # 10
    w1 = 5.0 - 0.1 * g0 / (math.sqrt(s1) + EPS)
    g1 = 2 * w1
    s2 = 0.9 * s1 + 0.1 * g1**2
    w2 = w1 - 0.1 * g1 / (math.sqrt(s2) + EPS)
    assert two_steps("rmsprop", learning_rate=0.1, rho=0.9) == pytest.approx([w1, w2], abs=1e-12)
    assert w1 == pytest.approx(5.0 - 1.0 / math.sqrt(10), abs=1e-7)


def test_adam_first_two_steps() -> None:
    g0 = 2 * 5.0
    m1 = 0.1 * g0  # 1
    v1 = 0.001 * g0**2  # 0.1
    w1 = 5.0 - 0.1 * (m1 / (1 - 0.9)) / (math.sqrt(v1 / (1 - 0.999)) + EPS)  # 4.9
    g1 = 2 * w1  # 9.8
    m2 = 0.9 * m1 + 0.1 * g1  # 1.88
    v2 = 0.999 * v1 + 0.001 * g1**2  # 0.19594
    w2 = w1 - 0.1 * (m2 / (1 - 0.9**2)) / (math.sqrt(v2 / (1 - 0.999**2)) + EPS)
    assert two_steps("adam", learning_rate=0.1) == pytest.approx([w1, w2], abs=1e-12)
    assert w1 == pytest.approx(4.9, abs=1e-8)


def test_adam_defaults_are_the_paper_values() -> None:
    adam = make_optimizer("adam")
    assert (adam.beta1, adam.beta2, adam.eps) == (0.9, 0.999, 1e-8)


def test_momentum_texts_show_velocity_and_move() -> None:
    optimizer = make_optimizer("momentum", learning_rate=0.1, beta=0.9)
    state, _ = optimizer.step(optimizer.init(5.0), square())
    _, info = optimizer.step(state, square())
    assert info.text.splitlines() == [
        "v ← 0.9 × 10.000 + 8.000 = 17.000",
        "x ← 4.000 − 0.1 × 17.000 = 2.300",
    ]


# --- Newton's method ------------------------------------------------------------------------


def test_newton_solves_a_quadratic_in_one_step() -> None:
    trace = descend(parse("3(x - 2)^2 + 1"), 10.0, optimizer="newton", steps=5)
    assert trace.points[1, 0] == pytest.approx(2.0, abs=1e-12)
    assert trace.status == "converged"
    # w1^2 + 2 w2^2 + w1 w2 - w1: gradient (2w1 + w2 - 1, w1 + 4w2) = 0 at (4/7, -1/7)
    trace = descend(parse("w1^2 + 2w2^2 + w1 w2 - w1"), [3.0, 5.0], optimizer="newton")
    assert trace.points[1] == pytest.approx([4 / 7, -1 / 7], abs=1e-12)
    assert trace.steps[0].note == ""


def test_newton_step_text_one_variable() -> None:
    newton = make_optimizer("newton")
    _, info = newton.step(newton.init(3.0), square())
    assert info.text == "x ← 3.000 − 1 × 6.000 / 2.000 = 0.000"


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        ("-x^2", 1.0, 1.0 - 0.1 * (-2.0)),  # f'' = -2 < 0
        ("x^3", -1.0, -1.0 - 0.1 * 3.0),  # f'' = -6 < 0
    ],
)
def test_newton_falls_back_where_curvature_is_not_positive(
    text: str, start: float, expected: float
) -> None:
    newton = make_optimizer("newton")
    _, info = newton.step(newton.init(start), objective_from_function(parse(text)))
    assert float(info.w_after[0]) == pytest.approx(expected)
    assert "gradient step" in info.note
    assert "≤ 0" in info.note


def test_newton_uses_the_curvature_where_positive_on_x_cubed() -> None:
    newton = make_optimizer("newton")
    _, info = newton.step(newton.init(1.0), objective_from_function(parse("x^3")))
    assert float(info.w_after[0]) == pytest.approx(1.0 - 3.0 / 6.0)
    assert info.note == ""


def test_newton_falls_back_at_a_saddle() -> None:
    newton = make_optimizer("newton")
    _, info = newton.step(newton.init([1.0, 1.0]), objective_from_function(parse("x^2 - y^2")))
    assert info.w_after == pytest.approx([1.0 - 0.1 * 2.0, 1.0 - 0.1 * -2.0])
    assert "not positive definite" in info.note


def test_newton_needs_a_hessian() -> None:
    no_hessian = Objective(square().loss, square().gradient)
    with pytest.raises(ValueError, match="second derivative"):
        descend(no_hessian, 1.0, optimizer="newton")


# --- runs: convergence, divergence, domain --------------------------------------------------


def test_convergence_at_rate_0_1() -> None:
    trace = descend(square(), 5.0, 0.1, steps=500)
    assert trace.status == "converged"
    assert abs(trace.points[-1, 0]) < 1e-6
    assert 50 < trace.step_count < 100  # 10 * 0.8^k < 1e-6 needs k ≥ 73
    assert diagnose(trace).kind == "converged"
    so_far = trace.upto(10)
    assert so_far.points.shape == (11, 1) and so_far.step_count == 10
    assert diagnose(so_far).kind == "converging"


def test_divergence_at_rate_1_1_stops_cleanly() -> None:
    trace = descend(parse("x^2"), 5.0, 1.1, steps=10_000)
    assert trace.status == "diverged"
    assert trace.step_count < 100
    for array in (trace.points, trace.values, trace.gradients):
        assert np.all(np.isfinite(array))
    # x <- x - 1.1 * 2x = -1.2 x
    k = np.arange(trace.step_count + 1)
    assert trace.points[:, 0] == pytest.approx(5.0 * (-1.2) ** k)
    assert diagnose(trace).kind == "diverging"
    assert diagnose(trace.upto(4)).kind == "diverging"  # seen before the run gives up


def test_runaway_to_overflow_keeps_only_finite_values() -> None:
    trace = descend(parse("x^4"), 10.0, 1.0, steps=50)
    assert trace.status == "diverged"
    assert np.all(np.isfinite(trace.points)) and np.all(np.isfinite(trace.values))


def test_stepping_out_of_the_domain_stops_the_run() -> None:
    trace = descend(parse("sqrt(x)"), 1.0, 10.0, steps=50)  # 1 - 10 * 0.5 = -4
    assert trace.status == "undefined"
    assert trace.step_count == 0
    assert "undefined" in trace.message
    assert diagnose(trace).kind == "undefined"
    with pytest.raises(ValueError, match="undefined at the start"):
        descend(parse("log(x)"), -1.0, 0.1)


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_every_optimizer_converges_on_the_bowl(key: str) -> None:
    trace = descend(parse("w1^2 + 2*w2^2"), [1.0, -2.0], steps=2000, optimizer=key)
    assert trace.status == "converged", trace.message
    assert trace.points.shape[1] == 2
    assert trace.points[-1] == pytest.approx([0.0, 0.0], abs=1e-5)
    assert trace.values[-1] < 1e-10


def test_a_run_stepped_by_hand_matches_descend() -> None:
    run = Run(square(), 5.0, make_optimizer("gd", learning_rate=0.1), max_steps=10)
    assert run.status == "running" and run.step_count == 0
    infos = [run.step() for _ in range(10)]
    assert all(info is not None for info in infos)
    assert run.status == "max_steps" and run.finished
    assert run.step() is None and run.step_count == 10
    assert run.points[:4, 0] == pytest.approx([5.0, 4.0, 3.2, 2.56], abs=1e-12)
    assert run.points[10, 0] == pytest.approx(0.536870912, abs=1e-12)
    trace = descend(square(), 5.0, 0.1, steps=10)
    assert np.array_equal(run.trace().points, trace.points)
    assert run.trace().status == trace.status == "max_steps"


def test_a_run_in_progress_can_be_diagnosed_and_extended() -> None:
    run = Run(square(), 5.0, make_optimizer("gd", learning_rate=0.99), max_steps=3)
    while run.step():
        pass
    assert run.status == "max_steps"
    run.set_max_steps(2000)  # more room: it goes on from where it stopped
    assert run.status == "running"
    for _ in range(5):
        run.step()
    assert run.step_count == 8
    assert run.points[8, 0] == pytest.approx(5.0 * (-0.98) ** 8)
    assert diagnose(run.trace(), square()).kind == "oscillating"
    while not run.finished:
        run.step()
    assert run.status == "converged"
    assert run.step_count > 256  # past the first buffer: the arrays grew and kept every point
    assert run.points[:, 0] == pytest.approx(5.0 * (-0.98) ** np.arange(run.step_count + 1))


def test_a_run_that_diverges_keeps_only_finite_values() -> None:
    run = Run(square(), 5.0, make_optimizer("gd", learning_rate=1.1), max_steps=10_000)
    while not run.finished:
        run.step()
    assert run.status == "diverged" and "diverged" in run.message
    assert np.all(np.isfinite(run.points)) and np.all(np.isfinite(run.values))
    assert diagnose(run.trace()).kind == "diverging"


def test_wrong_number_of_coordinates() -> None:
    with pytest.raises(ValueError, match="2 coordinate"):
        descend(parse("w1^2 + w2^2"), 1.0, 0.1)


# --- diagnosis --------------------------------------------------------------------------------


def test_oscillation_at_rate_0_95() -> None:
    trace = descend(parse("x^2"), 5.0, 0.95, steps=12)
    signs = np.sign(trace.points[:, 0])
    assert np.all(signs[1:] == -signs[:-1])  # x <- -0.9 x flips side every step
    diagnosis = diagnose(trace, objective_from_function(parse("x^2")))
    assert diagnosis.kind == "oscillating"
    assert diagnosis.critical_rate == pytest.approx(1.0)
    assert diagnose(trace).kind == "oscillating"  # curvature estimated from the path


def test_stall_near_zero_on_x_cubed() -> None:
    trace = descend(parse("x^3"), 0.01, 0.1, steps=20)
    assert trace.status == "max_steps"
    diagnosis = diagnose(trace)
    assert diagnosis.kind == "stalled"
    assert "flat" in diagnosis.message
    assert diagnosis.curvature is not None
    x = trace.points[-1, 0]
    assert 0.009 < x < 0.01  # twenty steps gained less than a tenth of the way to 0
    assert diagnosis.curvature[0] == pytest.approx(6 * x, rel=0.01)  # f'' = 6x


def test_stall_on_a_plateau_although_the_run_stopped() -> None:
    f = parse("1 - exp(-x^2)")
    trace = descend(f, 5.0, 0.1)  # slope 10 e^-25: nothing moves
    assert trace.status == "converged"
    diagnosis = diagnose(trace, objective_from_function(f))
    assert diagnosis.kind == "stalled"
    assert "flat" in diagnosis.message


def test_stall_at_a_saddle() -> None:
    f = parse("x^2 - y^2")
    trace = descend(f, [1.0, 0.0], 0.1, steps=500)  # slides along y = 0 into the saddle
    assert trace.status == "converged"
    diagnosis = diagnose(trace, objective_from_function(f))
    assert diagnosis.kind == "stalled"
    assert "saddle" in diagnosis.message


def test_tiny_learning_rate_is_called_a_stall() -> None:
    trace = descend(square(), 5.0, 1e-7, steps=5)
    diagnosis = diagnose(trace)
    assert diagnosis.kind == "stalled"
    assert "learning rate is too small" in diagnosis.message


def test_critical_learning_rate() -> None:
    assert critical_learning_rate(2.0) == 1.0  # x^2
    assert critical_learning_rate([[2.0, 0.0], [0.0, 4.0]]) == 0.5  # w1^2 + 2 w2^2
    for not_a_minimum in (0.0, -2.0, math.nan):
        with pytest.raises(ValueError):
            critical_learning_rate(not_a_minimum)
    # just below the critical rate still converges; just above diverges
    assert descend(square(), 1.0, 0.99, steps=5000).status == "converged"
    assert descend(square(), 1.0, 1.01, steps=5000).status == "diverged"


# --- registry and purity --------------------------------------------------------------------


def test_registry_lists_every_optimizer_with_valid_defaults() -> None:
    assert list(OPTIMIZERS) == [
        "gd",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "newton",
    ]
    for key, spec in OPTIMIZERS.items():
        assert spec.key == key and spec.display_name and spec.description and spec.update_rule
        assert spec.hyperparameters[0].name == "learning_rate"
        for h in spec.hyperparameters:
            assert h.minimum <= h.default <= h.maximum, (key, h.name)
        optimizer = make_optimizer(key)
        assert optimizer.key == key
        for name, default in spec.defaults.items():
            assert getattr(optimizer, name) == default


def test_make_optimizer_rejects_unknown_names_and_bad_values() -> None:
    with pytest.raises(ValueError, match="unknown optimizer"):
        make_optimizer("sgd2")
    with pytest.raises(ValueError, match="no hyperparameter 'beta'"):
        make_optimizer("gd", beta=0.9)
    with pytest.raises(ValueError, match="learning rate"):
        make_optimizer("gd", learning_rate=-1.0)
    with pytest.raises(ValueError, match="beta"):
        make_optimizer("momentum", beta=1.0)


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_steps_are_pure(key: str) -> None:
    optimizer = make_optimizer(key)
    state = optimizer.init([1.0, -2.0])
    objective = objective_from_function(parse("w1^2 + 2*w2^2"))
    first, _ = optimizer.step(state, objective)
    second, _ = optimizer.step(state, objective)
    assert np.array_equal(first.w, second.w)
    assert state.w.tolist() == [1.0, -2.0] and state.k == 0
    with pytest.raises(ValueError):
        state.w[0] = 3.0  # read-only


def test_traces_are_written_as_csv_with_the_exact_numbers() -> None:
    one = descend(parse("x^2"), 5.0, learning_rate=0.1, steps=3)
    two = descend(parse("w1^2 + 2w2^2"), [1.0, -2.0], learning_rate=0.1, steps=2)
    assert csv_header(one.variables) == ["optimizer", "learning_rate", "k", "x", "f(x)", "f'(x)"]
    assert csv_header(two.variables)[3:] == ["w1", "w2", "f(w1, w2)", "df/dw1", "df/dw2"]
    buffer = io.StringIO(newline="")
    assert write_traces_csv([one], buffer) == 4
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert [float(row[3]) for row in rows[1:]] == one.points[:, 0].tolist()
    assert rows[2] == ["gd", "0.1", "1", "4.0", "16.0", "8.0"]
    assert write_traces_csv([], io.StringIO()) == 0


def test_the_readout_writes_the_step_with_its_numbers() -> None:
    f = parse("w^2")
    objective = objective_from_function(f)
    run = Run(objective, 1.2, make_optimizer("gd", learning_rate=0.1), max_steps=500)
    assert step_lines(run) == [
        "k = 0  ·  w = 1.200  ·  f(w) = 1.440  ·  f′(w) = 2.400",
        "Press Step or Play: w ← w − η f′(w)",
    ]
    run.step()
    assert step_lines(run)[1] == "w ← 1.200 − 0.1 × 2.400 = 0.960"
    while not run.finished:
        run.step()
    verdict = diagnose(run.trace(), objective)
    assert critical_rate_sentence(verdict, run).startswith(
        "Critical rate for the minimum at w = 0.000: 2/f″ = 1.000"
    )
