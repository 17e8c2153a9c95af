"""The line fit's bowl as a landscape: the same values as the loss typed as a function, and
level curves that are the exact ellipses L = level, at any zoom."""

from __future__ import annotations

import numpy as np
import pytest

from calcstudio.core.language import parse_tree
from calcstudio.core.regression import Bowl, Dataset, LineFit, generate
from calcstudio.core.surface.fields import Surface
from calcstudio.core.surface.landscape import contour_lines, landscape


def finite(points: np.ndarray) -> np.ndarray:
    return points[np.isfinite(points[:, 0])]


@pytest.mark.parametrize("loss", ["SSE", "MSE"])
def test_the_bowls_landscape_is_the_loss_functions(loss: str) -> None:
    fit = LineFit.of(generate(2.0, 1.0, 1.5, 1000, seed=1), loss)  # type: ignore[arg-type]
    view = fit.view((0.0, 0.0))
    exact = landscape(Bowl(fit), *view)
    typed = landscape(Surface(parse_tree(fit.loss_text())), *view)
    np.testing.assert_allclose(exact.values, typed.values, rtol=1e-12)
    np.testing.assert_array_equal(exact.levels, typed.levels)
    np.testing.assert_array_equal(exact.bands, typed.bands)
    assert len(exact.labels) == len(exact.levels) == 12


def test_level_curves_are_the_ellipses_at_their_levels_and_match_contouring() -> None:
    fit = LineFit.of(Dataset(np.array([0.0, 1, 2, 4]), np.array([1.0, 2, 2, 5])))
    view = ((-2.0, 4.0), (-3.0, 4.0))
    grid = landscape(Bowl(fit), *view)
    curves = Bowl(fit).level_curves(grid.levels, *view)
    assert curves is not None and len(curves) == len(grid.levels)
    for level, curve in zip(grid.levels, curves, strict=True):
        points = finite(curve)
        assert len(points) > 0
        np.testing.assert_allclose(fit.value(points[:, 0], points[:, 1]), level, rtol=1e-9)
    # contourpy's lines on the 400×400 grid lie on the same curves, to its interpolation error
    lines, _ = contour_lines(grid.w1, grid.w2, grid.values, grid.levels)
    points = finite(lines)
    values = fit.value(points[:, 0], points[:, 1])
    nearest = np.abs(values[:, None] - grid.levels[None, :]).min(axis=1)
    assert nearest.max() < 1e-3 * grid.levels.max()


def test_a_long_valley_zoomed_in_keeps_its_curves_exact_and_short() -> None:
    # x far from 0: a valley thousands of times longer than wide
    data = generate(0.5, 3.0, 0.2, 50, x_range=(1000.0, 1010.0), seed=4)
    fit = LineFit.of(data)
    assert fit.condition_number() > 1e6
    m, c = fit.best_line()  # type: ignore[misc]
    view = ((m - 1e-3, m + 1e-3), (c - 1e-3, c + 1e-3))
    grid = landscape(Bowl(fit), *view)
    assert len(grid.levels) >= 4
    curves = Bowl(fit).level_curves(grid.levels, *view)
    assert curves is not None
    for level, curve in zip(grid.levels, curves, strict=True):
        assert len(curve) < 2_000  # only what is in view, not the whole ellipse
        points = finite(curve)
        np.testing.assert_allclose(fit.value(points[:, 0], points[:, 1]), level, rtol=1e-6)
        # consecutive points in view are close enough for the polygon to look like the curve
        inside = points[(np.abs(points[:, 0] - m) < 1e-3) & (np.abs(points[:, 1] - c) < 1e-3)]
        assert len(inside) >= 2


def test_a_level_below_the_bottom_has_no_curve_and_no_bottom_leaves_it_to_contouring() -> None:
    fit = LineFit.of(Dataset(np.array([0.0, 1, 2]), np.array([0.0, 1, 3])))
    bottom = float(fit.value(*fit.best_line()))  # type: ignore[misc]
    curves = Bowl(fit).level_curves(np.array([bottom / 2, bottom * 2]), (-5, 5), (-5, 5))
    assert curves is not None and len(curves[0]) == 0 and len(curves[1]) > 0
    same_x = LineFit.of(Dataset(np.array([1.0, 1, 1]), np.array([0.0, 1, 2])))
    assert Bowl(same_x).level_curves(np.array([1.0]), (-5, 5), (-5, 5)) is None
    trough = landscape(Bowl(same_x), (-5, 5), (-5, 5), size=50)
    assert np.isfinite(trough.lines).any()  # contourpy drew the pairs of lines


def test_the_gradient_on_a_grid_is_the_fits() -> None:
    fit = LineFit.of(Dataset(np.array([0.0, 1, 2]), np.array([1.0, 3, 5])))
    dm, dc = Bowl(fit).gradient(np.array([[0.0, 2.0]]), np.array([[0.0], [1.0]]))
    assert (dm[1, 1], dc[1, 1]) == (0.0, 0.0)  # the bottom: y = 2x + 1
    np.testing.assert_allclose((dm[0, 0], dc[0, 0]), fit.gradient(0.0, 0.0))
