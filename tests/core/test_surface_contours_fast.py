"""The landscape's faster paths give what the straightforward ones give: bands counted level
by level, levels from a sample (the contour lines: test_surface_isolines.py)."""

from __future__ import annotations

import numpy as np

from calcstudio.core.surface.fields import surface
from calcstudio.core.surface.landscape import (
    band_indices,
    contour_levels,
    landscape,
)

ROSENBROCK = "L(x, y) = (1 - x)^2 + 100(y - x^2)^2"


def grid(text: str, w1_range: tuple[float, float], w2_range: tuple[float, float]):
    w1 = np.linspace(*w1_range, 400)
    w2 = np.linspace(*w2_range, 400)
    return w1, w2, surface(text).value(w1[np.newaxis, :], w2[:, np.newaxis])


def test_bands_count_the_levels_below_each_value_and_mark_undefined_points() -> None:
    values = np.array([[-1.0, 0.0, 0.5, np.nan], [1.0, 1.5, 2.0, np.inf]])
    levels = np.array([0.0, 1.0, 2.0])
    # A level equal to the value is not below it (as numpy.searchsorted counts).
    expected = np.array([[0, 0, 1, 255], [1, 2, 2, 3]], dtype=np.uint8)
    np.testing.assert_array_equal(band_indices(values, levels), expected)
    _, _, rosenbrock = grid(ROSENBROCK, (-2.0, 2.0), (-1.0, 3.0))
    rosenbrock[::7, ::5] = np.nan
    levels = contour_levels(rosenbrock)
    reference = np.searchsorted(levels, rosenbrock).astype(np.uint8)
    reference[np.isnan(rosenbrock)] = 255
    np.testing.assert_array_equal(band_indices(rosenbrock, levels), reference)


def test_levels_are_quantiles_of_the_defined_values_whatever_is_undefined() -> None:
    _, _, values = grid(ROSENBROCK, (-2.0, 2.0), (-1.0, 3.0))
    levels = contour_levels(values)
    sample = values.reshape(-1)[:: values.size // 10_000]
    assert len(levels) == 12
    # Each level is its quantile of the sample, to three significant digits.
    quantiles = np.quantile(sample, np.linspace(0.04, 0.96, 12))
    np.testing.assert_allclose(levels, quantiles, rtol=5e-3)
    # Undefined points (whole rows, as where a log is undefined) are left out, not counted.
    holed = values.copy()
    holed[:150] = np.nan
    defined = holed[np.isfinite(holed)]
    expected = np.quantile(defined[:: defined.size // 10_000], np.linspace(0.04, 0.96, 12))
    np.testing.assert_allclose(contour_levels(holed), expected, rtol=5e-3)
    # Two defined values, both missed by the sample: the levels still come from them,
    # evenly between the two, none outside them.
    sparse = np.full((400, 400), np.nan)
    sparse[3, 5], sparse[300, 100] = 1.0, 3.0
    expected = [round(1.0 + 2.0 * q, 2) for q in np.linspace(0.04, 0.96, 12)]
    np.testing.assert_allclose(contour_levels(sparse), expected, rtol=5e-3)


def test_a_landscape_lines_lie_on_their_levels() -> None:
    view = landscape(surface("x^2 + 2y^2"), (-3.0, 3.0), (-2.0, 4.0))
    points = view.lines[np.isfinite(view.lines[:, 0])]
    on_some_level = np.abs(
        (points[:, 0] ** 2 + 2 * points[:, 1] ** 2)[:, None] - view.levels[None, :]
    ).min(axis=1)
    # Linear interpolation between grid points 0.015 apart: a tiny error on a level.
    assert on_some_level.max() < 2e-3 * view.levels.max()
