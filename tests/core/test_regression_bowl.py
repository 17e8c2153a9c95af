"""The line fit's bowl as a landscape: the same values as the loss typed as a function, and
level curves that are the exact ellipses L = level, at any zoom."""

from __future__ import annotations

import numpy as np
import pytest

from calcstudio.core.language import parse_tree
from calcstudio.core.regression import Bowl, Dataset, LineFit, generate
from calcstudio.core.surface.fields import Surface
from calcstudio.core.surface.landscape import (
    GRID_SIZE,
    MIN_GRID_SIZE,
    contour_lines,
    grid_size,
    landscape,
)


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


def _pieces_in_t(curve: np.ndarray, centre: np.ndarray, frame: np.ndarray) -> list[np.ndarray]:
    """Each NaN-separated piece of ``curve`` as its parameters t along the ellipse (unwrapped)."""
    pieces = []
    breaks = np.flatnonzero(np.isnan(curve[:, 0]))
    for piece in np.split(curve, breaks):
        piece = piece[np.isfinite(piece[:, 0])]
        if len(piece):
            u = np.linalg.solve(frame, (piece - centre).T)
            pieces.append(np.unwrap(np.arctan2(u[1], u[0])))
    return pieces


@pytest.mark.parametrize(
    "view",
    [
        ((-40.0, 40.0), (-40.0, 40.0)),  # every level whole in view
        ((1.0, 3.0), (0.0, 2.0)),  # levels crossing all four edges
        ((1.9, 2.1), (-5.0, 7.0)),  # a thin strip: many short arcs
        ((2.5, 30.0), (-30.0, -2.0)),  # a corner of the bowl
    ],
)
def test_level_curves_cover_the_view_and_stay_within_the_tolerance(view) -> None:
    from calcstudio.core.regression.bowl import TOLERANCE

    fit = LineFit.of(generate(2.0, 1.0, 1.5, 200, seed=3))
    centre = np.array(fit.best_line())
    lowest = float(fit.value(*centre))
    curvatures, axes = np.linalg.eigh(fit.hessian())
    levels = lowest + np.array([0.5, 5.0, 50.0, 500.0, 5000.0])
    curves = Bowl(fit).level_curves(levels, *view)
    assert curves is not None
    (m0, m1), (c0, c1) = view
    spans = np.array([m1 - m0, c1 - c0])  # distances in view sides, as on the map
    t_dense = np.linspace(0, 2 * np.pi, 200_001)
    for level, curve in zip(levels, curves, strict=True):
        frame = axes * np.sqrt(2 * (level - lowest) / curvatures)
        dense = np.column_stack((np.cos(t_dense), np.sin(t_dense))) @ frame.T + centre
        in_view = (dense[:, 0] > m0) & (dense[:, 0] < m1) & (dense[:, 1] > c0) & (dense[:, 1] < c1)
        pieces = _pieces_in_t(curve, centre, frame)
        # every point of the ellipse in view lies on a drawn arc
        covered = np.zeros_like(in_view)
        for t in pieces:
            low, high = t.min(), t.max()
            for shift in (-2 * np.pi, 0.0, 2 * np.pi):
                covered |= (t_dense + shift >= low - 1e-9) & (t_dense + shift <= high + 1e-9)
        assert not (in_view & ~covered).any(), f"level {level}: part in view not drawn"
        # nothing is drawn far outside the view
        points = finite(curve)
        if len(points):
            low, high = np.array([m0, c0]) - 0.011 * spans, np.array([m1, c1]) + 0.011 * spans
            assert (points.min(axis=0) >= low).all() and (points.max(axis=0) <= high).all()
        # each segment strays from the ellipse by at most the tolerance (checked at its middle)
        for t in pieces:
            middle = (t[:-1] + t[1:]) / 2
            on_curve = np.column_stack((np.cos(middle), np.sin(middle))) @ frame.T + centre
            polygon = np.column_stack((np.cos(t), np.sin(t))) @ frame.T + centre
            chord_middle = (polygon[:-1] + polygon[1:]) / 2
            stray = np.hypot(*((on_curve - chord_middle) / spans).T)
            assert stray.max(initial=0.0) <= TOLERANCE * 1.0001


def test_a_bowl_map_gets_a_grid_point_a_pixel_and_a_surface_the_full_grid() -> None:
    bowl = Bowl(LineFit.of(generate(2.0, 1.0, 1.5, 50, seed=3)))
    sides = [(310, 542), (310.2, 0), (1000, 10), (float("nan"), 64)]
    assert [grid_size(bowl, pixels) for pixels in sides] == [
        (310, GRID_SIZE),
        (311, GRID_SIZE),
        (GRID_SIZE, MIN_GRID_SIZE),
        (GRID_SIZE, 64),
    ]
    assert grid_size(Surface(parse_tree("x^2 + y^2")), (310, 200)) == (GRID_SIZE, GRID_SIZE)
    view = landscape(bowl, (0.0, 4.0), (-1.0, 3.0), (310, GRID_SIZE))
    assert view.values.shape == (GRID_SIZE, 310) and view.bands.shape == view.values.shape
    assert view.w1.size == 310 and view.w2.size == GRID_SIZE
    row, column = 123, 45
    assert view.values[row, column] == pytest.approx(
        float(bowl.value(view.w1[column], view.w2[row])), rel=1e-12
    )
