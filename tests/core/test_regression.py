"""The line fit's maths against hand computations, numpy's least squares and real CSV files."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calcstudio.core.language import parse_tree
from calcstudio.core.optimize import descend, diagnose
from calcstudio.core.regression import (
    Dataset,
    DatasetError,
    LineFit,
    generate,
    parse_csv,
    read_csv,
    write_csv,
)
from calcstudio.core.regression.dataset import exact_sum
from calcstudio.core.surface.fields import Surface

THREE = Dataset(np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 5.0]))
"""By hand: Σx = 6, Σx² = 14, Σy = 10, Σxy = 23, Σy² = 38; best line y = 1.5x + 1/3."""


def test_sums_and_loss_by_hand() -> None:
    s = THREE.statistics()
    assert (s.n, s.sx, s.sxx, s.sy, s.sxy, s.syy) == (3, 6.0, 14.0, 10.0, 23.0, 38.0)
    fit = LineFit.of(THREE)
    # y = x + 1 misses by 0, 0, 1: SSE = 1, MSE = 1/3.
    assert float(fit.value(1.0, 1.0)) == pytest.approx(1.0)
    assert float(LineFit.of(THREE, "MSE").value(1.0, 1.0)) == pytest.approx(1 / 3)
    # ∂SSE/∂m = −2 Σ x(y − x − 1) = −2·3 = −6; ∂SSE/∂c = −2 Σ(y − x − 1) = −2.
    assert fit.gradient(1.0, 1.0) == pytest.approx([-6.0, -2.0])
    assert fit.hessian() == pytest.approx(np.array([[28.0, 12.0], [12.0, 6.0]]))
    m, c = fit.best_line()
    assert (m, c) == (pytest.approx(1.5), pytest.approx(1 / 3))


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    count=st.integers(2, 300),
    offset=st.floats(-1e8, 1e8),
)
def test_best_line_is_numpys_least_squares(seed: int, count: int, offset: float) -> None:
    data = generate(-0.7, 3.0, 2.0, count, x_range=(offset, offset + 10), seed=seed)
    fit = LineFit.of(data)
    # numpy on the same points shifted to start at 0 (well conditioned), then shifted back.
    design = np.column_stack([data.x - offset, np.ones(count)])
    (slope, intercept), *_ = np.linalg.lstsq(design, data.y, rcond=None)
    best = fit.best_line()
    assert best is not None
    # x itself is stored to about 1e-16 of |offset|: that much of its spread is rounding.
    assert best[0] == pytest.approx(slope, rel=1e-6, abs=1e-9)
    shifted_back = intercept - slope * offset
    assert best[1] == pytest.approx(shifted_back, abs=1e-6 * max(1, abs(offset)))
    assert float(fit.value(*best)) <= float(fit.value(best[0] * (1 + 1e-9), best[1])) + 1e-9
    # The value from the sums equals the sum over the points.
    residuals = data.y - (0.3 * data.x - 1.0)
    assert float(fit.value(0.3, -1.0)) == pytest.approx(float(residuals @ residuals), rel=1e-9)


def test_far_from_zero_the_spread_of_x_is_not_lost() -> None:
    data = Dataset(1e7 + np.arange(11.0), 3.0 + 0.5 * np.arange(11.0))
    fit = LineFit.of(data)
    assert fit.best_line() == pytest.approx((0.5, 3.0 - 0.5e7))
    assert float(fit.value(*fit.best_line())) == pytest.approx(0.0, abs=1e-6)


def test_values_too_large_to_square_are_refused() -> None:
    with pytest.raises(DatasetError, match="too large to square"):
        Dataset(np.array([1.0, 2.0]), np.array([1e200, 3.0]))
    with pytest.raises(DatasetError, match="too large to square"):
        generate(1e155, 0, 0, 5)


def test_every_x_the_same_has_no_single_bottom() -> None:
    data = Dataset(np.array([2.0, 2.0, 2.0]), np.array([1.0, 2.0, 3.0]))
    fit = LineFit.of(data)
    assert fit.best_line() is None
    assert math.isinf(fit.condition_number())


def test_condition_number_and_critical_rate_of_the_bowl() -> None:
    fit = LineFit.of(THREE)
    low, high = np.linalg.eigvalsh(np.array([[28.0, 12.0], [12.0, 6.0]]))
    assert fit.condition_number() == pytest.approx(high / low)
    assert fit.critical_rate() == pytest.approx(2 / high)
    # Centring x makes the Hessian diagonal 2·diag(Σ(x − x̄)², n): far better conditioned.
    centred = LineFit.of(THREE.centred())
    assert centred.hessian() == pytest.approx(np.array([[4.0, 0.0], [0.0, 6.0]]))
    assert centred.condition_number() == pytest.approx(1.5)
    assert centred.best_line() == pytest.approx((1.5, 10 / 3))  # same m; c is ȳ


def test_critical_rate_is_where_gradient_descent_starts_to_diverge() -> None:
    fit = LineFit.of(THREE)
    surface = Surface(parse_tree(fit.loss_text()))
    from calcstudio.core.surface.descent import surface_objective

    objective = surface_objective(surface)
    rate = fit.critical_rate()
    below = descend(objective, (0.0, 0.0), learning_rate=0.95 * rate, steps=4000)
    above = descend(objective, (0.0, 0.0), learning_rate=1.05 * rate, steps=400)
    assert below.points[-1] == pytest.approx(fit.best_line(), abs=1e-4)  # stops when settled
    assert diagnose(above).kind == "diverging"


def test_loss_text_is_the_same_function_for_the_surface_lesson() -> None:
    data = generate(2.0, 1.0, 0.5, 40, seed=3)
    for loss in ("SSE", "MSE"):
        fit = LineFit.of(data, loss)
        tree = parse_tree(fit.loss_text())
        assert tree.variables == ("m", "c")
        surface = Surface(tree)
        m, c = np.meshgrid(np.linspace(-1, 4, 7), np.linspace(-3, 3, 5))
        np.testing.assert_allclose(surface.value(m, c), fit.value(m, c), rtol=1e-10)
        _, gradient, hessian = surface.at(0.5, -1.0)
        assert gradient == pytest.approx(fit.gradient(0.5, -1.0), rel=1e-9)
        assert hessian == pytest.approx(fit.hessian(), rel=1e-9)


def test_readouts_carry_the_datas_numbers() -> None:
    fit = LineFit.of(THREE)
    dm, dc = fit.partial_lines(1.0, 1.0)
    assert dm == "∂SSE/∂m = −2·Σxᵢ(yᵢ − m·xᵢ − c) = −2·(23 − 1·14 − 1·6) = −6"
    assert dc == "∂SSE/∂c = −2·Σ(yᵢ − m·xᵢ − c) = −2·(10 − 1·6 − 3·1) = −2"
    um, uc = fit.update_lines(1.0, 1.0, 0.01)
    assert um == "m ← m − η·∂SSE/∂m = 1 − 0.01·(−6) = 1.06"
    assert uc == "c ← c − η·∂SSE/∂c = 1 − 0.01·(−2) = 1.02"


# --- CSV -------------------------------------------------------------------------------


def test_csv_with_and_without_header(tmp_path: Path) -> None:
    assert parse_csv("x,y\n1,2\n2,3\n").x.tolist() == [1.0, 2.0]
    assert parse_csv("\ufeff1, 2\n\n# a note\n2,3.5\n").y.tolist() == [2.0, 3.5]
    path = tmp_path / "data.csv"
    write_csv(THREE, path)
    assert path.read_text(encoding="utf-8").splitlines()[0] == "x,y"
    again = read_csv(path)
    assert again.x.tolist() == THREE.x.tolist() and again.y.tolist() == THREE.y.tolist()


def test_bad_rows_are_named_by_line_and_nothing_is_loaded() -> None:
    with pytest.raises(DatasetError) as caught:
        parse_csv("x,y\n1,2\n2,abc\n3\n4,5,6\n5,inf\n")
    message = str(caught.value)
    assert message.startswith("nothing was loaded")
    assert "line 3: y = 'abc' is not a number" in message
    assert "line 4: 1 columns where x and y need 2" in message
    assert "line 5: 3 columns" in message
    assert "line 6: y = 'inf' is not an ordinary number" in message
    with pytest.raises(DatasetError, match="no x, y pairs"):
        parse_csv("x,y\n")


def test_unreadable_files_are_refused_in_words(tmp_path: Path) -> None:
    binary = tmp_path / "picture.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(DatasetError, match="not text"):
        read_csv(binary)
    with pytest.raises(DatasetError, match="could not read"):
        read_csv(tmp_path / "missing.csv")


def test_generated_data_is_reproducible_and_checked() -> None:
    first, second = generate(2, 1, 0.5, 10, seed=7), generate(2, 1, 0.5, 10, seed=7)
    assert first.y.tolist() == second.y.tolist()
    assert generate(2, 1, 0.0, 5).y.tolist() == [1.0, 6.0, 11.0, 16.0, 21.0]
    with pytest.raises(DatasetError, match="between 1 and"):
        generate(1, 0, 1, 0)
    with pytest.raises(DatasetError, match="noise must be 0 or more"):
        generate(1, 0, -1, 5)


def test_datasets_refuse_what_is_not_data() -> None:
    with pytest.raises(DatasetError, match="each x needs its y"):
        Dataset(np.array([1.0, 2.0]), np.array([1.0]))
    with pytest.raises(DatasetError, match="finite"):
        Dataset(np.array([1.0, math.nan]), np.array([1.0, 2.0]))
    edited = THREE.with_point(4.0, 4.0).moved(0, 0.0, 1.0).without(1)
    assert edited.x.tolist() == [0.0, 3.0, 4.0]


def test_the_readme_example_prints_what_it_says() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    code = next(block for block in blocks if "calcstudio.core.regression" in block)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == [
        "[1.5, 0.333333]",
        "1.0 [-6. -2.]",
        "46.14 0.0601",
    ]


def test_generated_x_spans_the_range_asked_for() -> None:
    far = generate(0.5, -20, 0.0, 11, (100.0, 110.0))
    assert far.x.tolist() == [100.0 + k for k in range(11)]  # evenly spaced, both ends in
    assert far.y.tolist() == pytest.approx([0.5 * x - 20 for x in far.x])
    assert generate(1, 0, 0, 1, (3.0, 3.0)).x.tolist() == [3.0]  # one point: one x is fine
    with pytest.raises(DatasetError, match="x from 10 to 0 is not a range"):
        generate(1, 0, 1, 5, (10.0, 0.0))
    with pytest.raises(DatasetError, match="x from 2 to 2 is not a range"):
        generate(1, 0, 1, 5, (2.0, 2.0))
    with pytest.raises(DatasetError, match="x beyond"):
        generate(1, 0, 1, 5, (0.0, 1e200))
    with pytest.raises(DatasetError, match="too large to square"):
        generate(1e99, 0, 1, 5, (0.0, 1e10))  # y beyond ±1e100


def test_the_objective_is_the_loss_text_from_the_sums() -> None:
    # The optimizers of the fit lesson descend on objective(); the loss written in the
    # expression language and evaluated by the surface machinery is the independent check.
    from calcstudio.core.surface.descent import surface_objective

    data = generate(2.0, 1.0, 0.5, 40, seed=3)
    points = np.random.default_rng(5).uniform(-5, 5, size=(25, 2))
    for loss in ("SSE", "MSE"):
        fit = LineFit.of(data, loss)
        objective = fit.objective()
        written = surface_objective(Surface(parse_tree(fit.loss_text())))
        assert objective.variables == written.variables == ("m", "c")
        for w in points:
            assert objective.loss_at(w) == pytest.approx(written.loss_at(w), rel=1e-11)
            np.testing.assert_allclose(objective.gradient_at(w), written.gradient_at(w), rtol=1e-9)
            np.testing.assert_allclose(objective.hessian_at(w), written.hessian_at(w), rtol=1e-11)
        np.testing.assert_allclose(objective.hessians_at(points), written.hessians_at(points))
        # and the same claim holds on it: the critical rate is where descent starts to diverge
        rate = fit.critical_rate()
        below = descend(objective, (0.0, 0.0), learning_rate=0.95 * rate, steps=4000)
        above = descend(objective, (0.0, 0.0), learning_rate=1.05 * rate, steps=400)
        assert below.points[-1] == pytest.approx(fit.best_line(), abs=1e-4)
        assert diagnose(above).kind == "diverging"


def test_exact_sum_is_fsum_of_the_same_floats() -> None:
    rng = np.random.default_rng(5)
    # Terms of wildly different sizes, where any plain summation order loses digits.
    values = rng.normal(size=2_000) * 10.0 ** rng.integers(-12, 16, size=2_000)
    values = np.concatenate((values, -values[:700], [1e16, 1.0, -1e16]))
    assert exact_sum(values) == math.fsum(values)
    assert exact_sum(values) != float(np.sum(values))  # the case is a hard one
    assert exact_sum(np.empty(0)) == 0.0
