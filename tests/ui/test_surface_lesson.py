"""The surface lesson, offscreen with real widgets: the map, the point, slices, descent.

Until the window lists lessons, the lesson runs in a small real host: a real formula panel
(MathView) and the real parser; the worker's result comes from the engine's own function.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QSignalBlocker, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from calcstudio.core.analysis import analyse
from calcstudio.core.language import parse_tree
from calcstudio.ui.surface.lesson import SurfaceLesson
from calcstudio.ui.widgets.math_view import MathView
from calcstudio.ui.window.lesson import ShownFunction
from tests.ui.window_helpers import count_calls

SEED = "L(w1, w2) = w1^2 + 2w2^2"


class Host:
    """What the window offers a lesson: the formula panel and the editor's text."""

    def __init__(self) -> None:
        self.formulas = MathView()
        self.texts: list[str] = []

    def set_function_text(self, text: str, *, fit: bool = False) -> None:
        self.texts.append(text)

    def show_status(self, message: str, timeout_ms: int = 5000) -> None:
        """Nothing to show it in."""


@pytest.fixture
def lesson(qtbot: object) -> Iterator[SurfaceLesson]:
    made = SurfaceLesson(Host())  # type: ignore[arg-type]
    made.view.resize(1000, 700)
    made.view.show()
    made.panel.resize(420, 900)
    qtbot.waitExposed(made.view)  # type: ignore[attr-defined]
    yield made
    made.stop()
    # Delete the plots and their many items now: left to the event loop, their deletion
    # would land in a later test's timed animation.
    for widget in (made.view, made.panel):
        widget.close()
        widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    gc.collect()


def show(lesson: SurfaceLesson, text: str) -> None:
    tree = parse_tree(text)
    lesson.set_function(ShownFunction(text, tree, tree.variables))


def test_seed_gradient_readout_and_arrows(lesson: SurfaceLesson) -> None:
    show(lesson, SEED)
    text = lesson.panel.point_readout.text()
    assert "L(1, −2) = 9" in text
    assert "∇L(1, −2) = (∂L/∂w1, ∂L/∂w2) = (2, −8)" in text
    assert "|∇L| = 8.246 (the steepest slope, uphill along ∇L)" in text  # √(4 + 64)
    assert "−∇L = (−2, 8)" in text
    x, y = lesson.landscape.gradient_arrow.getData()
    direction = np.array([x[1] - x[0], y[1] - y[0]])
    assert (x[0], y[0]) == (1.0, -2.0)
    np.testing.assert_allclose(direction / np.linalg.norm(direction), np.array([2, -8]) / 68**0.5)
    x, y = lesson.landscape.steepest_arrow.getData()
    assert x[1] - x[0] == pytest.approx(-direction[0]) and y[1] - y[0] == pytest.approx(
        -direction[1]
    )


def test_landscape_items_hold_the_core_landscape(lesson: SurfaceLesson) -> None:
    show(lesson, SEED)
    view = lesson.landscape.current
    assert view is not None
    assert lesson.landscape.image.bands is not None
    assert lesson.landscape.image.bands.shape == (400, 400)
    np.testing.assert_array_equal(lesson.landscape.image.bands, view.bands)
    x, _y = lesson.landscape.lines.getData()
    assert np.isnan(x).any() and len(x) == len(view.lines)
    shown = lesson.landscape.labels.labels
    assert len(shown) == len(view.labels) >= 10
    assert [(x, y) for x, y, _text in shown] == [(x, y) for x, y, _level in view.labels]
    assert lesson.landscape.plot.getAxis("bottom").labelText == "w1"
    assert lesson.landscape.plot.getAxis("left").labelText == "w2"
    np.testing.assert_array_equal(lesson.landscape.bar_levels, view.levels)
    # values match L on the grid: the corner (w1[0], w2[0])
    assert view.values[0, 0] == pytest.approx(view.w1[0] ** 2 + 2 * view.w2[0] ** 2)


def test_pan_recomputes_the_landscape_and_then_the_critical_points(
    lesson: SurfaceLesson, qtbot: object
) -> None:
    show(lesson, "x^2 - y^2")
    assert lesson.panel.critical_label.text() == "Searching the view…"
    qtbot.waitUntil(lambda: bool(lesson.critical), timeout=2000)  # type: ignore[attr-defined]
    assert [p.kind for p in lesson.critical] == ["saddle"]
    assert lesson.panel.critical_label.text() == "saddle (0, 0): L = 0; λ = −2, 2"
    lesson.landscape.set_view((2.0, 4.0), (2.0, 4.0))
    view = lesson.landscape.current
    assert view is not None and view.w1[0] >= 1.0  # re-computed for the new view
    qtbot.waitUntil(lambda: lesson.critical == [], timeout=2000)  # type: ignore[attr-defined]
    assert lesson.panel.critical_label.text().startswith("No critical point in view")


def test_dragging_the_point_moves_the_slices_and_their_tangents(lesson: SurfaceLesson) -> None:
    show(lesson, SEED)
    lesson.landscape.point.setPos(2.0, 1.0)  # as a drag does
    assert "∇L(2, 1) = (∂L/∂w1, ∂L/∂w2) = (4, 4)" in lesson.panel.point_readout.text()
    first = lesson.slices.along_first
    t, values = first.curve.getData()
    np.testing.assert_allclose(values, t**2 + 2.0)  # w2 = 1 held
    xs, ys = first.tangent.getData()
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(4.0)  # ∂L/∂w1 = 2 w1
    assert "slope ∂L/∂w1 = 4" in first.title.text()
    second = lesson.slices.along_second
    t, values = second.curve.getData()
    np.testing.assert_allclose(values, 4.0 + 2 * t**2)  # w1 = 2 held
    xs, ys = second.tangent.getData()
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(4.0)  # ∂L/∂w2 = 4 w2


def test_a_typed_point_and_a_bad_one(lesson: SurfaceLesson, qtbot: object) -> None:
    show(lesson, SEED)
    first, second = lesson.panel.point_fields
    first.setText("0.5")
    second.setText("1")
    second.editingFinished.emit()
    assert lesson.point == (0.5, 1.0)
    assert "∇L(0.5, 1) = (∂L/∂w1, ∂L/∂w2) = (1, 4)" in lesson.panel.point_readout.text()
    second.setText("abc")
    second.editingFinished.emit()
    assert lesson.point == (0.5, 1.0)
    assert lesson.panel.point_message.isVisibleTo(lesson.panel)
    assert "The point stays where it was" in lesson.panel.point_message.text()


def test_clicking_the_map_places_the_start(lesson: SurfaceLesson, qtbot: object) -> None:
    show(lesson, SEED)
    where = lesson.landscape.map_to_pixels(-1.5, 1.0)
    qtbot.mouseClick(  # type: ignore[attr-defined]
        lesson.landscape.viewport(), Qt.MouseButton.LeftButton, pos=where
    )
    w1, w2 = lesson.descent.start
    assert w1 == pytest.approx(-1.5, abs=0.05) and w2 == pytest.approx(1.0, abs=0.05)
    x, y = lesson.landscape.start_marker.getData()
    assert (x[0], y[0]) == (w1, w2)


def test_a_step_in_vector_form_and_the_path_on_the_map(lesson: SurfaceLesson) -> None:
    show(lesson, SEED)
    lesson.descent.place_start(1.0, -2.0)
    lesson.descent.step()
    text = lesson.descent.readout.text()
    assert "w ← w − η·∇L = (1, −2) − 0.1·(2, −8) = (0.8, −1.2)" in text
    assert "w2 ← −2 − 0.1 × (−8) = −1.2" in text
    x, y = lesson.landscape.paths[0].getData()
    np.testing.assert_allclose(np.column_stack((x, y)), [[1.0, -2.0], [0.8, -1.2]])
    _, losses = lesson.descent.loss_plot.curves[0].getData()
    np.testing.assert_allclose(losses, [9.0, 0.64 + 2 * 1.44])
    assert lesson.descent.verdict_label.text().startswith("Converging")
    assert "2/λmax = 0.5" in lesson.descent.critical_label.text()


def test_the_race_on_six_hump_camel(lesson: SurfaceLesson) -> None:
    index = [p["name"] for p in lesson.panel.presets].index("Six-hump camel race")
    preset = lesson.panel.presets[index]
    lesson.panel.choose_preset(index)
    show(lesson, preset["text"])
    lesson.preset_framed(preset)
    lesson.find_critical_points()
    for _ in range(60):
        lesson.descent.step()
    table = lesson.descent.race_table
    assert table.rowCount() == 7 and table.isVisibleTo(lesson.panel)
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["optimizer", "k", "x", "y", "L", "status"]
    newton = next(r for r in range(7) if table.item(r, 0).text() == "Newton")
    assert table.item(newton, 5).text() == "local minimum"
    assert table.item(newton, 2).text() == "−1.607" and table.item(newton, 3).text() == "−0.5687"
    finish = lesson.descent.finish_label.text().replace("\u00a0", " ")
    assert finish.startswith("Finish: 1. Newton (6 steps, L = 2.104)")
    assert "Momentum" not in finish.split("\n")[0]  # still rolling into the deeper valley
    shown_paths = [path for path in lesson.landscape.paths if path.isVisible()]
    assert len(shown_paths) == 7


def test_formula_panel_gets_the_typeset_partials(lesson: SurfaceLesson) -> None:
    show(lesson, SEED)
    lesson.engine_result(analyse(SEED))
    assert lesson.host.formulas.shown_texts() == [
        "L(w1, w2) = w1^2 + 2*w2^2",
        "∂L/∂w1 = 2*w1",
        "∂L/∂w2 = 4*w2",
    ]


def test_field_of_arrows_and_critical_markers(lesson: SurfaceLesson) -> None:
    show(lesson, "(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    lesson.landscape.set_view((-5, 5), (-5, 5))
    lesson.find_critical_points()
    kinds = [point.data() for point in lesson.landscape.critical.points()]
    assert sorted(kinds) == sorted(["minimum"] * 4 + ["saddle"] * 4 + ["maximum"])
    assert lesson.panel.critical_label.text().splitlines()[0].startswith("minimum (")
    lesson.panel.field_box.setChecked(True)
    x, _ = lesson.landscape.field.getData()
    assert np.isfinite(x).sum() == 15 * 15 * 5  # a five-point arrow in each cell
    lesson.panel.field_box.setChecked(False)
    assert len(lesson.landscape.field.getData()[0]) == 0


def test_session_state_round_trip(lesson: SurfaceLesson) -> None:
    show(lesson, SEED)
    lesson.move_point(0.25, 0.5)
    lesson.descent.place_start(-1.0, 1.0)
    state = lesson.state()
    other = SurfaceLesson(Host())  # type: ignore[arg-type]
    show(other, SEED)
    other.restore_state(state)
    other.restore_state({"point": ["x", 1], "start": None})  # bad fields are skipped
    assert other.point == (0.25, 0.5) and other.descent.start == (-1.0, 1.0)
    assert math.isclose(other.state()["w1_range"][0], state["w1_range"][0], rel_tol=0.2)
    other.stop()
    for widget in (other.view, other.panel):
        widget.deleteLater()


def test_the_map_after_a_pan_is_the_landscape_of_the_new_view(lesson: SurfaceLesson) -> None:
    from calcstudio.core.surface.landscape import landscape

    show(lesson, "L(x, y) = (1 - x)^2 + 100(y - x^2)^2")
    view = lesson.landscape
    before = view.current
    assert before is not None
    bar_ticks = view.bar.getAxis("right")._tickLevels
    (x0, x1), (y0, y1) = view.view_ranges()
    view.plot.setRange(xRange=(x0 + 0.3, x1 + 0.3), yRange=(y0 - 0.2, y1 - 0.2), padding=0)
    shown = view.current
    assert shown is not None and shown is not before
    ranges = view.view_ranges()
    expected = landscape(lesson.surface, *ranges, levels=before.levels)  # a pan keeps levels
    np.testing.assert_array_equal(shown.w1, expected.w1)
    np.testing.assert_array_equal(shown.w2, expected.w2)
    np.testing.assert_array_equal(view.image.bands, expected.bands)
    x, y = view.lines.getData()
    np.testing.assert_array_equal(x, expected.lines[:, 0])
    np.testing.assert_array_equal(y, expected.lines[:, 1])
    assert view.labels.labels == tuple((lx, ly, f"{level:g}") for lx, ly, level in expected.labels)
    # the image covers the grid's cells: each grid point at the centre of its pixel
    rect = view.image.boundingRect()
    step = (expected.w1[-1] - expected.w1[0]) / 399
    assert rect.left() == pytest.approx(expected.w1[0] - step / 2)
    assert rect.width() == pytest.approx(400 * step)
    # the colour bar keeps its levels, its ticks and colours
    np.testing.assert_array_equal(view.bar_levels, before.levels)
    assert view.bar.getAxis("right")._tickLevels is bar_ticks


def test_each_label_is_written_at_its_place_and_nowhere_else(lesson: SurfaceLesson) -> None:
    show(lesson, SEED)
    view = lesson.landscape

    def pixels() -> np.ndarray:
        image = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        data = np.frombuffer(
            image.constBits(), dtype=np.uint32, count=image.width() * image.height()
        )
        return data.reshape(image.height(), image.width()).copy()

    shown = pixels()
    view.labels.hide()
    bare = pixels()
    view.labels.show()
    changed = shown != bare
    near = np.zeros_like(changed)
    assert len(view.labels.labels) >= 10
    for x, y, text in view.labels.labels:
        at = view.map_to_pixels(x, y)
        box = (
            slice(at.y() - 12, at.y() + 13),
            slice(at.x() - 8 * len(text), at.x() + 8 * len(text)),
        )
        assert changed[box].sum() > 30, text  # its patch and its text
        near[box] = True
    assert not (changed & ~near).any()  # nothing drawn away from the labels


def test_a_race_playing_fast_writes_its_table_and_verdicts_every_sixth_frame_and_on_a_pause(
    lesson: SurfaceLesson, monkeypatch: pytest.MonkeyPatch
) -> None:
    import calcstudio.ui.surface.descent as descent_module

    readings = count_calls(monkeypatch, descent_module, "surface_verdicts")
    show(lesson, SEED)
    descent = lesson.descent
    descent.chooser.set_race(["gd", "momentum", "adam"])
    descent.speed_spin.setValue(60)  # a frame every 17 ms: verdicts every 6th frame
    descent.play()
    readings.clear()
    with QSignalBlocker(descent.timer):
        for _ in range(13):
            read, shown = len(readings), descent.race_table.item(0, 1).text()
            descent.tick()
            row = descent.race_table.item(0, 1).text()
            if len(readings) > read:  # the numbers are written with the verdicts, of one step
                assert row == str(descent.runs[0][1].step_count)
            else:  # and stay until the next reading
                assert row == shown != str(descent.runs[0][1].step_count)
    assert [len(traces) for traces in readings] == [3, 3]
    descent.stop()
    assert len(readings) == 3
    assert descent.race_table.item(0, 1).text() == str(descent.runs[0][1].step_count)
    descent.step()  # a step by hand: fresh
    assert len(readings) == 4
