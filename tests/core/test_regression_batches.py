"""Mini-batch and stochastic descent on a line fit, against hand computations, an independent
loop over the points and numpy's least squares."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from calcstudio.core.language import parse_tree
from calcstudio.core.optimize import Run, descend
from calcstudio.core.regression import Dataset, LineFit, generate
from calcstudio.core.regression.batches import (
    MiniBatchDescent,
    batch_end,
    batch_gradient,
    batch_indices,
    batch_verdict,
)
from calcstudio.core.surface.descent import surface_objective
from calcstudio.core.surface.fields import Surface

THREE = Dataset(np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 5.0]))
NOISY = generate(2.0, 1.0, 1.5, 20, (0.0, 10.0), 4)  # the first preset


def objective(data: Dataset, loss: str):
    return surface_objective(Surface(parse_tree(LineFit.of(data, loss).loss_text())))


def lstsq(data: Dataset) -> tuple[float, float]:
    design = np.column_stack([data.x, np.ones(len(data))])
    (m, c), *_ = np.linalg.lstsq(design, data.y, rcond=None)
    return float(m), float(c)


def test_batch_gradient_by_hand() -> None:
    # At (m, c) = (1, 1) the errors y − x − 1 are 0, 0, 1. Points 2 and 3 (x = 2, 3):
    # ∂SSE_B/∂m = −2(2·0 + 3·1) = −6, ∂SSE_B/∂c = −2(0 + 1) = −2; the MSE halves them.
    both = np.array([1, 2])
    assert batch_gradient(THREE, "SSE", 1.0, 1.0, both).tolist() == [-6.0, -2.0]
    assert batch_gradient(THREE, "MSE", 1.0, 1.0, both).tolist() == [-3.0, -1.0]
    every = np.arange(3)  # the full batch is the full gradient
    fit = LineFit.of(THREE, "MSE")
    assert batch_gradient(THREE, "MSE", 0.3, -2.0, every) == pytest.approx(fit.gradient(0.3, -2))


@pytest.mark.parametrize("k", [1, 3, 7, 20])
def test_an_epoch_visits_every_point_once_reproducibly(k: int) -> None:
    per_epoch = math.ceil(20 / k)
    for epoch in range(3):
        seen = np.concatenate(
            [batch_indices(20, k, 5, epoch * per_epoch + b) for b in range(per_epoch)]
        )
        assert sorted(seen.tolist()) == list(range(20))
    assert batch_indices(20, k, 5, 4).tolist() == batch_indices(20, k, 5, 4).tolist()
    if k < 20:
        orders = {tuple(batch_indices(20, k, seed, 0)) for seed in range(5)}
        assert len(orders) > 1  # the seed changes the order


@pytest.mark.parametrize("k", [1, 4, 5])
def test_batch_gradients_add_up_to_the_full_one_over_an_epoch(k: int) -> None:
    """The rate note's claim: SSE batches sum to the full SSE gradient; MSE batches of equal
    size average to the full MSE gradient (so the MSE's rate does not depend on k or n)."""
    m, c = 0.7, -1.5
    per_epoch = 20 // k
    batches = [batch_indices(20, k, 3, b) for b in range(per_epoch)]
    sse = sum(batch_gradient(NOISY, "SSE", m, c, b) for b in batches)
    assert sse == pytest.approx(LineFit.of(NOISY, "SSE").gradient(m, c), rel=1e-12)
    mse = sum(batch_gradient(NOISY, "MSE", m, c, b) for b in batches) / per_epoch
    assert mse == pytest.approx(LineFit.of(NOISY, "MSE").gradient(m, c), rel=1e-12)


def independent_sgd(data: Dataset, k: int, seed: int, rate: float, steps: int) -> np.ndarray:
    """Mini-batch descent on the MSE written out point by point (PyTorch's shuffled loader)."""
    w = np.zeros(2)
    path = [w.copy()]
    order: list[int] = []
    epoch = 0
    for _ in range(steps):
        if not order:
            order = list(np.random.default_rng([seed, epoch]).permutation(len(data)))
            epoch += 1
        batch, order = order[:k], order[k:]
        gm = gc = 0.0
        for i in batch:
            error = data.y[i] - (w[0] * data.x[i] + w[1])
            gm += -2 * data.x[i] * error / len(batch)
            gc += -2 * error / len(batch)
        w = w - rate * np.array([gm, gc])
        path.append(w.copy())
    return np.array(path)


@pytest.mark.parametrize("k", [1, 6])
def test_a_run_is_the_independent_loop_and_noisy(k: int) -> None:
    rate = 0.01
    run = Run(
        objective(NOISY, "MSE"),
        (0, 0),
        MiniBatchDescent(rate, dataset=NOISY, loss="MSE", batch_size=k, seed=9),
        max_steps=300,
    )
    while not run.finished:
        run.step()
    expected = independent_sgd(NOISY, k, 9, rate, 300)
    assert run.points == pytest.approx(expected, rel=1e-9, abs=1e-12)
    full = descend(
        objective(NOISY, "MSE"),
        (0, 0),
        steps=300,
        optimizer=MiniBatchDescent(rate, dataset=NOISY, loss="MSE", batch_size=20, seed=9),
    )
    # Noisy: the batch steps do not follow the full gradient (whose direction the full
    # batch run takes exactly).
    cosines = []
    for info in run.steps:
        true = LineFit.of(NOISY, "MSE").gradient(*info.w_before)
        step = (info.w_before - info.w_after) / rate  # the batch gradient the step took
        assert step == pytest.approx(run.optimizer.step_gradient(info.k, info.w_before))
        cosines.append(np.dot(step, true) / np.linalg.norm(step) / np.linalg.norm(true))
    assert min(cosines) < 0.9
    assert np.abs(run.points - full.points).max() > 0.05
    # The run's loss readout is the whole data's loss at each point.
    assert run.values[-1] == pytest.approx(float(LineFit.of(NOISY, "MSE").value(*run.points[-1])))


def test_the_verdict_gives_the_distance_to_least_squares() -> None:
    fit = LineFit.of(NOISY, "MSE")
    run = descend(
        objective(NOISY, "MSE"),
        (0, 0),
        steps=2000,
        optimizer=MiniBatchDescent(0.01, dataset=NOISY, loss="MSE", batch_size=5, seed=0),
    )
    best = lstsq(NOISY)
    distance = math.hypot(run.points[-1, 0] - best[0], run.points[-1, 1] - best[1])
    assert 1e-3 < distance < 0.22  # near, not at
    above = float(
        np.mean((NOISY.y - run.points[-1, 0] * NOISY.x - run.points[-1, 1]) ** 2)
    ) - float(np.mean((NOISY.y - best[0] * NOISY.x - best[1]) ** 2))
    words = batch_verdict(fit, run.points, 5, run.status)
    assert words.startswith("Noisy (mini-batch of 5 of the 20 points a step)")
    assert f"After 2000 steps it is {distance:.6g} from the least-squares point" in words
    assert f"its MSE {above:.6g} above the bottom: near the bottom, not at it" in words
    end = batch_end(fit, run.points)
    assert end is not None and end.wander >= end.distance
    # A smaller rate settles closer (the words' advice, shown by a run).
    slow = descend(
        objective(NOISY, "MSE"),
        (0, 0),
        steps=20000,
        optimizer=MiniBatchDescent(0.001, dataset=NOISY, loss="MSE", batch_size=5, seed=0),
    )
    assert batch_end(fit, slow.points).wander < end.wander
    larger = descend(
        objective(NOISY, "MSE"),
        (0, 0),
        steps=2000,
        optimizer=MiniBatchDescent(0.01, dataset=NOISY, loss="MSE", batch_size=10, seed=0),
    )
    assert batch_end(fit, larger.points).wander < end.wander  # and so does a larger batch


def test_sgd_on_points_on_a_line_converges_and_says_so() -> None:
    exact = Dataset(np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, 3.0, 5.0, 7.0]))
    run = descend(
        objective(exact, "MSE"),
        (0, 0),
        steps=5000,
        optimizer=MiniBatchDescent(0.05, dataset=exact, loss="MSE", batch_size=1, seed=0),
    )
    assert run.status == "converged"
    assert run.points[-1] == pytest.approx((2.0, 1.0), abs=1e-5)
    words = batch_verdict(LineFit.of(exact, "MSE"), run.points, 1, run.status)
    assert words.startswith(f"Converged after {len(run.points) - 1} steps (SGD, one point a step)")


def test_too_large_a_rate_diverges_in_words() -> None:
    fit = LineFit.of(NOISY, "MSE")
    run = descend(
        objective(NOISY, "MSE"),
        (0, 0),
        steps=500,
        optimizer=MiniBatchDescent(1.0, dataset=NOISY, loss="MSE", batch_size=1, seed=0),
    )
    assert run.status == "diverged"
    assert batch_verdict(fit, run.points, 1, run.status).startswith("Diverged (SGD")


def test_the_step_text_names_its_batch() -> None:
    run = Run(
        objective(THREE, "SSE"),
        (1, 1),
        MiniBatchDescent(0.1, dataset=THREE, loss="SSE", batch_size=2, seed=0),
        max_steps=5,
    )
    info = run.step()
    batch = batch_indices(3, 2, 0, 0)
    assert info.gradient.tolist() == batch_gradient(THREE, "SSE", 1.0, 1.0, batch).tolist()
    assert run.optimizer.step_gradient(0, np.array([1.0, 1.0])).tolist() == info.gradient.tolist()
    assert info.w_after == pytest.approx(np.array([1.0, 1.0]) - 0.1 * info.gradient)
    points = ", ".join(str(i + 1) for i in batch)
    assert (
        info.note
        == f"batch 1 of 2 in epoch 1: points {points} (the gradient of the SSE over these 2)"
    )
    assert info.text.splitlines()[0].startswith("m ← 1 − 0.1 × ")


def test_the_readme_example_prints_what_it_says() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    code = next(block for block in blocks if "MiniBatchDescent" in block)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    first, words = result.stdout.splitlines()
    assert first == "[ 4 19  6  2 13]" and "[ 4 19  6  2 13]" in code
    path = independent_sgd(NOISY, 5, 0, 0.01, 2000)
    best = lstsq(NOISY)
    distance = math.hypot(path[-1, 0] - best[0], path[-1, 1] - best[1])
    assert f"After 2000 steps it is {distance:.6g} from" in words
    assert f"After 2000 steps it is {distance:.6g} from" in code  # the README's comment
    assert words.startswith("Noisy (mini-batch of 5 of the 20 points a step)")
