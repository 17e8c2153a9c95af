"""Each surface preset's lesson text is a claim: run the preset as the lesson does and check it."""

from __future__ import annotations

import numpy as np
import pytest

from calcstudio import resource_files
from calcstudio.core.optimize import OPTIMIZERS, Trace, descend, make_optimizer
from calcstudio.core.surface.critical import critical_points
from calcstudio.core.surface.descent import surface_objective
from calcstudio.core.surface.fields import surface
from calcstudio.core.surface.verdicts import surface_verdict

PRESETS = {preset["name"]: preset for preset in resource_files.read_json("surface_presets.json")}


def run(name: str, start: tuple[float, float] | None = None) -> dict[str, Trace]:
    """Every racer of preset ``name`` (or its one optimizer), with the rates the lesson sets."""
    preset = PRESETS[name]
    objective = surface_objective(surface(preset["text"]))
    traces = {}
    for key in preset.get("race", [preset["optimizer"]]):
        values = dict(OPTIMIZERS[key].defaults)
        if key == preset["optimizer"]:
            values["learning_rate"] = preset["learning_rate"]
        values["learning_rate"] = preset.get("rates", {}).get(key, values["learning_rate"])
        optimizer = make_optimizer(key, **values)
        traces[key] = descend(
            objective, start or preset["start"], steps=preset["max_steps"], optimizer=optimizer
        )
    return traces


def verdict_of(name: str, trace: Trace) -> str:
    preset = PRESETS[name]
    function = surface(preset["text"])
    points = critical_points(function, preset["x_range"], preset["y_range"])
    size = max(np.ptp(preset["x_range"]), np.ptp(preset["y_range"]))
    return surface_verdict(trace, surface_objective(function), points, size).kind


def test_every_preset_parses_with_two_variables_and_starts_in_view() -> None:
    for preset in PRESETS.values():
        assert len(surface(preset["text"]).variables) == 2
        (x0, x1), (y0, y1) = preset["x_range"], preset["y_range"]
        assert x0 <= preset["start"][0] <= x1 and y0 <= preset["start"][1] <= y1


def test_seed_bowl_first_step() -> None:
    trace = run("Seed bowl")["gd"]
    assert trace.points[1] == pytest.approx([0.8, -1.2])
    assert trace.gradients[0].tolist() == [2.0, -8.0]


def test_narrow_valley_zigzags_and_a_small_rate_does_not() -> None:
    trace = run("Narrow valley")["gd"]
    assert verdict_of("Narrow valley", trace.upto(12)) == "zigzag"
    slow = descend(surface_objective(surface(PRESETS["Narrow valley"]["text"])), (-4, 1), 0.01)
    moves = np.diff(slow.points[:13], axis=0)
    assert np.all(np.einsum("ij,ij->i", moves[1:], moves[:-1]) > 0)  # never turns back


def test_rosenbrock_race() -> None:
    traces = run("Rosenbrock")
    assert traces["gd"].points[-1] == pytest.approx([0.84, 0.71], abs=0.01)
    assert traces["gd"].step_count == 3000
    for key in ("momentum", "adam"):
        assert traces[key].points[-1] == pytest.approx([1.0, 1.0], abs=1e-2)
    assert traces["newton"].status == "converged" and traces["newton"].step_count == 7


def test_himmelblau_start_decides() -> None:
    left = run("Himmelblau: four minima")["gd"]
    assert left.status == "converged"
    assert left.points[-1] == pytest.approx([-2.805, 3.131], abs=1e-3)
    right = run("Himmelblau: four minima", (0.5, 0.0))["gd"]
    assert right.points[-1] == pytest.approx([3.0, 2.0], abs=1e-3)


def test_saddle_escape_and_stuck() -> None:
    escaped = run("Saddle")["gd"]
    assert verdict_of("Saddle", escaped) == "saddle"
    assert escaped.points[-1][1] > 1.0  # off downhill along y
    stuck = run("Saddle", (1.5, 0.0))["gd"]
    assert np.all(stuck.points[:, 1] == 0.0)  # never leaves the ridge
    assert stuck.points[-1] == pytest.approx([0.0, 0.0], abs=1e-5)


def test_monkey_saddle_creeps_along_the_ridge() -> None:
    trace = run("Monkey saddle")["gd"]
    assert np.all(trace.points[:, 1] == 0.0)  # stays on the ridge y = 0
    moves = np.abs(np.diff(trace.points[:, 0]))
    assert np.all(np.diff(moves) < 0)  # ever more slowly
    assert verdict_of("Monkey saddle", trace) == "stalled"  # the flat critical point


def test_saddle_in_a_plateau() -> None:
    preset = PRESETS["Saddle in a plateau"]
    kinds = sorted(
        p.kind for p in critical_points(surface(preset["text"]), (-2.5, 2.5), (-2.5, 2.5))
    )
    assert kinds == ["maximum", "maximum", "minimum", "minimum", "saddle"]
    trace = run("Saddle in a plateau")["gd"]
    assert trace.status == "converged" and trace.points[-1] == pytest.approx([0.0, 1.0], abs=1e-4)
    slopes = np.linalg.norm(trace.gradients, axis=1)
    assert slopes.min() < 0.01 < slopes[0]  # lingered where the slope is almost 0
    plateau = run("Saddle in a plateau", (2.5, 0.5))["gd"]
    assert np.linalg.norm(plateau.gradients[0]) == pytest.approx(0.04, abs=0.005)
    assert np.linalg.norm(plateau.points[-1] - plateau.points[0]) == pytest.approx(0.6, abs=0.05)
    assert np.linalg.norm(plateau.points[-1]) > np.linalg.norm(plateau.points[0])  # outwards


def test_six_hump_camel_race() -> None:
    traces = run("Six-hump camel race")
    local = [
        k for k, t in traces.items() if t.points[-1] == pytest.approx([-1.607, -0.569], abs=1e-3)
    ]
    assert sorted(local) == sorted(["gd", "adagrad", "rmsprop", "adam", "newton"])
    for key in ("momentum", "nesterov"):
        assert traces[key].points[-1] == pytest.approx([-1.704, 0.796], abs=1e-3)
        assert traces[key].values[-1] == pytest.approx(-0.215, abs=1e-3)
    assert all(t.values[-1] > -1.0 for t in traces.values())  # none reaches −1.032
