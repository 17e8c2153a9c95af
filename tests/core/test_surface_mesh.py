"""The 3-D surface's data: box coordinates, heights with their cut-offs, and lifted paths.

Every expected value is computed here from the formula by hand (numpy on the same grid),
not through the Surface's jets.
"""

from __future__ import annotations

import doctest
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from calcstudio.core.optimize import descend
from calcstudio.core.surface import mesh
from calcstudio.core.surface.descent import surface_objective
from calcstudio.core.surface.fields import surface
from calcstudio.core.surface.landscape import landscape, round_level
from calcstudio.core.surface.mesh import (
    BOX_HEIGHT,
    LIFT,
    SPREAD,
    height_frame,
    lifted_points,
    path_segments,
    surface_mesh,
)


def rosenbrock(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def test_a_bowl_keeps_all_its_height_and_nothing_is_said() -> None:
    view = landscape(surface("w1^2 + 2w2^2"), (-3, 3), (-3, 3))
    frame = height_frame(view)
    assert (frame.floor, frame.ceiling) == (0.0, 27.0)  # 27 = 3² + 2·3² at the corners
    assert not frame.cut_above and not frame.cut_below
    assert frame.note() == ""
    built = surface_mesh(view)
    assert built.z.max() == pytest.approx(BOX_HEIGHT)  # the corners reach the top
    assert built.z.min() == pytest.approx(0.0, abs=1e-3)  # near (0, 0)


def test_rosenbrocks_walls_are_cut_at_the_stated_ceiling() -> None:
    view = landscape(surface("(1 - x)^2 + 100(y - x^2)^2"), (-2, 2), (-1, 3))
    x, y = np.meshgrid(np.linspace(-2, 2, 400), np.linspace(-1, 3, 400))
    values = rosenbrock(x, y)
    low, median = np.quantile(values, (0.02, 0.5))
    ceiling = round_level(low + SPREAD * (median - low))
    frame = height_frame(view)
    assert frame.cut_above and not frame.cut_below
    assert frame.ceiling == ceiling == 565.0  # far below the 2,509 at (−2, −1)
    assert frame.note() == "Heights above L = 565 are cut off (flat there), so the valleys show."
    built = surface_mesh(view)
    # Everything above the ceiling is drawn flat at the top of the box; the rest keeps L.
    rows = np.unique(np.linspace(0, 399, 100).round().astype(int))
    expected = (np.clip(values[np.ix_(rows, rows)], frame.floor, 565.0) - frame.floor) / (
        565.0 - frame.floor
    )
    np.testing.assert_allclose(built.z, expected.T * BOX_HEIGHT, atol=1e-9)
    assert 0.1 < (built.z == BOX_HEIGHT).mean() < 0.25  # the steepest walls are flat tops
    # The minimum (1, 1), at (0.5, 0) in the box, lies on the box's floor.
    i, j = np.argmin(np.abs(built.x - 0.5)), np.argmin(np.abs(built.y))
    assert built.z[i, j] < 0.01 * BOX_HEIGHT


def test_the_box_keeps_equal_scales_on_a_wide_view() -> None:
    view = landscape(surface("x + 2y"), (0, 4), (-1, 1), size=5)
    built = surface_mesh(view, 5)
    frame = built.frame
    assert frame.centre == (2.0, 0.0) and frame.scale == 2.0
    assert frame.reach == (1.0, 0.5)
    assert built.x.tolist() == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert built.y.tolist() == [-0.5, -0.25, 0.0, 0.25, 0.5]
    # L = x + 2y runs from −2 to 6: floor −2, ceiling 6, so L = 2 at the centre is half-way.
    assert (frame.floor, frame.ceiling) == (-2.0, 6.0)
    assert built.z[2, 2] == pytest.approx(BOX_HEIGHT / 2)
    assert built.z[4, 0] == pytest.approx((4 - 2 + 2) / 8 * BOX_HEIGHT)  # at (4, −1): L = 2


def test_undefined_points_lie_on_the_floor_in_the_maps_grey() -> None:
    view = landscape(surface("sqrt(x) + y"), (-1, 1), (-1, 1), size=21)
    built = surface_mesh(view, 21)
    undefined = built.x < 0
    assert (built.z[undefined] == 0).all()
    assert (built.bands[undefined] == 255).all()
    assert (built.bands[~undefined] != 255).all()
    assert np.isfinite(built.z).all()


def test_a_flat_view_is_drawn_level_half_way_up() -> None:
    view = landscape(surface("x - x + y - y + 3"), (-1, 1), (-1, 1), size=11)
    built = surface_mesh(view, 11)
    assert (built.frame.floor, built.frame.ceiling) == (2.0, 4.0)
    np.testing.assert_allclose(built.z, BOX_HEIGHT / 2)


def test_a_pole_on_both_sides_is_cut_above_and_below() -> None:
    # 1/x + y on [−1, 1]²: the 2 % and 98 % quantiles are ∓24.49 and the median 0, so
    # the ceiling is −24.49 + 4·24.49 = 73.5 (three digits), the floor −73.5; L reaches ±400.
    frame = height_frame(landscape(surface("1/x + y"), (-1, 1), (-1, 1)))
    assert frame.cut_above and frame.cut_below
    assert (frame.floor, frame.ceiling) == (-73.5, 73.5)
    assert frame.note() == (
        "Heights are cut off below L = −73.5 and above L = 73.5 (flat there), "
        "so the rest keeps its shape."
    )


def test_path_heights_are_L_at_the_paths_points() -> None:
    function = surface("(1 - x)^2 + 100(y - x^2)^2")
    frame = height_frame(landscape(function, (-2, 2), (-1, 3)))
    trace = descend(surface_objective(function), (-1.2, 1.0), 0.001, steps=60)
    segments = path_segments(frame, trace.points, trace.values)
    assert segments.shape == (2 * 60, 3)  # one pair of ends per step, all in view
    starts = segments[::2]
    # Back from the box: x, y to the points, z (less the lift) to L there.
    np.testing.assert_allclose(starts[:, 0] * frame.scale + frame.centre[0], trace.points[:-1, 0])
    np.testing.assert_allclose(starts[:, 1] * frame.scale + frame.centre[1], trace.points[:-1, 1])
    heights = frame.value(starts[:, 2] - LIFT * BOX_HEIGHT)
    x, y = trace.points[:-1, 0], trace.points[:-1, 1]
    np.testing.assert_allclose(heights, np.minimum(rosenbrock(x, y), frame.ceiling), rtol=1e-9)
    assert (segments[1::2] == lifted_points(frame, trace.points[1:], trace.values[1:])).all()


def test_steps_that_leave_the_view_or_diverge_are_left_out() -> None:
    frame = height_frame(landscape(surface("x^2 + y^2"), (-1, 1), (-1, 1)))
    points = np.array([[0.5, 0.5], [0.0, 0.0], [2.0, 0.0], [0.1, 0.1], [0.2, 0.2], [0.3, 0.3]])
    values = np.array([0.5, 0.0, 4.0, 0.02, np.inf, 0.18])
    placed = lifted_points(frame, points, values)
    assert np.isnan(placed[2]).all() and np.isnan(placed[4]).all()
    segments = path_segments(frame, points, values)
    # Only the step (0.5, 0.5) → (0, 0) has both ends in view and finite.
    assert segments.shape == (2, 3)
    np.testing.assert_allclose(segments[:, :2], [[0.5, 0.5], [0.0, 0.0]])
    np.testing.assert_allclose(segments[:, 2], (np.array([0.25, 0.0]) + LIFT) * BOX_HEIGHT)
    assert path_segments(frame, points[:1], values[:1]).shape == (0, 3)


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(mesh)
    assert result.failed == 0 and result.attempted > 0


ROOT = Path(__file__).resolve().parents[2]


def test_the_presets_that_are_cut_are_those_readme_names() -> None:
    presets = json.loads((ROOT / "resources" / "surface_presets.json").read_text("utf-8"))
    cut = {
        preset["name"].split(":")[0].split(" race")[0]
        for preset in presets
        if height_frame(
            landscape(surface(preset["text"]), preset["x_range"], preset["y_range"])
        ).cut_above
    }
    assert cut == {"Rosenbrock", "Himmelblau", "Six-hump camel"}
    assert not any(
        height_frame(landscape(surface(p["text"]), p["x_range"], p["y_range"])).cut_below
        for p in presets
    )


def test_readmes_3d_example_prints_what_it_says() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(
        code for code in re.findall(r"```python\n(.*?)```", text, re.S) if "surface_mesh(" in code
    )
    result = subprocess.run(
        [sys.executable, "-c", block], capture_output=True, text=True, check=True, cwd=ROOT
    )
    said = [line.split("# ")[1] for line in block.splitlines() if "print(" in line]
    printed = result.stdout.splitlines()
    assert printed[0] == said[0] == "(100, 100) 565.0"
    assert printed[1] == said[1]
    assert said[2].startswith(printed[2] + ":")
