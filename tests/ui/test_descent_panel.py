"""The descent panel on a real plot, offscreen: clicks, steps, play, divergence, race, CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, QSignalBlocker, Qt
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QHBoxLayout, QStyle, QVBoxLayout, QWidget

from calcstudio.core.function import parse
from calcstudio.core.optimize import OPTIMIZERS
from calcstudio.core.optimize.base import format_number
from calcstudio.ui.descent.panel import DescentPanel
from calcstudio.ui.descent.race import colour_of
from calcstudio.ui.widgets import palette
from tests.ui.window_helpers import count_calls


class Window(QWidget):
    """A plot and the panel side by side, wired the way the main window wires them."""

    def __init__(self) -> None:
        super().__init__()
        self.plot = pg.PlotWidget()
        self.panel = DescentPanel(plot_item=self.plot.getPlotItem())
        layout = QHBoxLayout(self)
        column = QVBoxLayout()
        column.addWidget(self.plot, 3)
        column.addWidget(self.panel.loss_plot, 1)
        layout.addLayout(column, 3)
        layout.addWidget(self.panel, 2)
        self.plot.scene().sigMouseClicked.connect(self._on_clicked)

    def _on_clicked(self, event: object) -> None:
        view = self.plot.getPlotItem().getViewBox()
        self.panel.place_ball(view.mapSceneToView(event.scenePos()).x())

    def show_function(self, text: str, low: float = -3.0, high: float = 3.0) -> None:
        f = parse(text)
        df = f.derivative()
        x = np.linspace(low, high, 400)
        self.plot.plot(x, f(x), clear=False)
        self.plot.setXRange(low, high, padding=0)
        self.panel.set_function(f, df, df.derivative(), f.variables[0])


@pytest.fixture
def window(qtbot) -> Window:
    shown = Window()
    qtbot.addWidget(shown)
    shown.resize(1100, 700)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def path_points(path: QPainterPath) -> tuple[list[float], list[float]]:
    """The x and y of every point a painted path passes through."""
    points = [path.elementAt(i) for i in range(path.elementCount())]
    return [p.x for p in points], [p.y for p in points]


def ball(panel: DescentPanel, index: int = 0) -> tuple[float, float]:
    positions = panel.overlay.ball_positions()
    assert len(positions) == len(panel.runs)
    return positions[index]


def all_finite(panel: DescentPanel) -> bool:
    arrays = []
    layer = panel.overlay.layer
    arrays.extend(np.array(path_points(path)) for path, _, _ in layer.strokes)
    dots = panel.overlay.layer.dots
    arrays.extend(np.array([[p.x(), p.y()] for p in points.toList()]) for points, _ in dots)
    arrays.extend(np.array([centre.x(), centre.y()]) for centre, _ in layer.balls)
    arrays.extend(a for curve in panel.loss_plot.curves for a in curve.getData() if a is not None)
    return all(np.all(np.isfinite(a)) for a in arrays)


def test_clicking_the_curve_places_the_ball(window: Window, qtbot) -> None:
    window.show_function("x^2")
    view = window.plot.getPlotItem().getViewBox()
    target = window.plot.mapFromScene(view.mapViewToScene(QPointF(1.5, 2.25)))
    qtbot.mouseClick(window.plot.viewport(), Qt.MouseButton.LeftButton, pos=target)
    x, y = ball(window.panel)
    assert x == pytest.approx(1.5, abs=2 * view.viewPixelSize()[0])
    assert y == pytest.approx(x**2)
    assert float(window.panel.start_field.text()) == pytest.approx(x, rel=1e-5)
    assert "k = 0" in window.panel.readout.text()


def test_step_moves_to_w_minus_rate_times_slope(window: Window, qtbot) -> None:
    window.show_function("x^2")
    panel = window.panel
    panel.place_ball(1.2)
    panel.rate_slider.setValue(0.1)
    qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    assert ball(panel) == (1.2 - 0.1 * 2.4, (1.2 - 0.1 * 2.4) ** 2)
    text = panel.readout.text()
    assert "x ← 1.2 − 0.1 × 2.4 = 0.96" in text
    assert "k = 1" in text and "f′(x) = 1.92" in text and "f(x) = 0.9216" in text
    racer = panel.overlay.racers[0]
    trail_x, trail_y = path_points(racer.trail)
    assert trail_x == [1.2, 1.2 - 0.1 * 2.4]
    assert trail_y == [1.2**2, (1.2 - 0.1 * 2.4) ** 2]
    ticks_x, ticks_y = path_points(racer.ticks)
    assert sorted(ticks_x) == [0.96, 0.96, 1.2, 1.2]  # a tick on the w axis under each point
    assert ticks_y[0] == -ticks_y[1] and ticks_y[0] < 0 < ticks_y[1]
    painted = [path for path, _, _ in panel.overlay.layer.strokes]
    assert racer.trail in painted and racer.ticks in painted and racer.slope in painted
    slope_x, slope_y = path_points(racer.slope)
    assert (slope_y[1] - slope_y[0]) / (slope_x[1] - slope_x[0]) == pytest.approx(2 * 0.96)
    assert panel.loss_plot.curves[0].getData()[1] == pytest.approx([1.44, 0.9216])
    assert panel.has_trace()


def test_play_runs_until_converged_and_stops(window: Window, qtbot) -> None:
    window.show_function("x^2")
    panel = window.panel
    panel.place_ball(5.0)
    panel.speed_spin.setValue(1000)
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    assert panel.is_playing() and panel.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: not panel.is_playing(), timeout=5000)
    run = panel.runs[0][1]
    assert run.status == "converged" and run.step_count == 73  # 10 * 0.8^k < 1e-6
    assert panel.play_button.text() == "Play"
    assert abs(ball(panel)[0]) < 1e-6
    assert "Converged to the minimum at x = 0:" in panel.diagnosis_label.text()
    assert panel.critical_label.text() == (
        "Critical rate for the minimum at x = 0: 2/f″ = 1, the rate above which "
        "plain gradient descent cannot settle at this minimum. Here η = 0.1 is below it."
    )
    assert len(panel.loss_plot.curves[0].getData()[0]) == 74


def test_a_diverging_rate_stops_cleanly_with_only_finite_values(window: Window, qtbot) -> None:
    window.show_function("x^2")
    panel = window.panel
    panel.place_ball(5.0)
    panel.rate_slider.setValue(1.1)
    panel.speed_spin.setValue(1000)
    panel.loss_plot.log_box.setChecked(True)
    panel.play()
    qtbot.waitUntil(lambda: not panel.is_playing(), timeout=5000)
    assert panel.runs[0][1].status == "diverged"
    assert panel.diagnosis_label.text().startswith("Diverged")
    # f″ away from the minimum says nothing about it: no critical rate while diverging
    assert "critical" not in panel.diagnosis_label.text()
    assert panel.critical_label.text() == ""
    assert abs(ball(panel)[0]) > 1e3  # 5 × 1.2^k until the loss grew a millionfold
    assert all_finite(panel)


def test_oscillation_is_named_and_the_critical_rate_shown(window: Window) -> None:
    window.show_function("x^2")
    panel = window.panel
    panel.place_ball(5.0)
    panel.rate_slider.setValue(0.95)
    for _ in range(6):
        panel.step()
    assert panel.diagnosis_label.text().startswith("Oscillating")
    assert "2/f″ = 1," in panel.critical_label.text()


def test_race_table_shows_an_exactly_written_number_whole(window: Window) -> None:
    # The seed example raced: GD's tenth point is 5 · 0.8¹⁰ = 0.536870912 exactly, written in
    # full by the one rule for digits, and wider than the columns are set up for; its slope
    # 2x = 1.073741824 likewise. Qt would cut either to "0.5368…".
    window.show_function("x^2")
    panel = window.panel
    panel.place_ball(5.0)
    panel.chooser.set_race(["gd", "adam"])
    for _ in range(10):
        panel.step()
    table = panel.race_table
    metrics = table.fontMetrics()
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    cells = {table.horizontalHeaderItem(column).text(): column for column in range(6)}
    assert table.item(0, 0).text() == "GD"
    shown = {}
    for name in ("x", "f′(x)"):
        column = cells[name]
        text = table.item(0, column).text()
        room = table.columnWidth(column) - 2 * margin
        assert metrics.elidedText(text, Qt.TextElideMode.ElideRight, room) == text, (name, text)
        shown[name] = text
    assert shown == {"x": "0.536870912", "f′(x)": "1.073741824"}
    assert table.minimumSizeHint().width() >= sum(table.columnWidth(c) for c in range(6))


def test_race_runs_every_selected_optimizer_and_exports_every_step(
    window: Window, tmp_path: Path
) -> None:
    window.show_function("x^2")
    panel = window.panel
    panel.place_ball(2.0)
    panel.chooser.set_race(list(OPTIMIZERS))
    for _ in range(5):
        panel.step()
    assert [key for key, _ in panel.runs] == list(OPTIMIZERS)
    counts = [run.step_count for _, run in panel.runs]
    # Newton lands on 0 in one step and sees it has stopped moving on the next.
    assert counts[-1] == 2 and panel.runs[-1][1].points[1, 0] == 0.0
    assert counts[:-1] == [5] * 6
    for index, (key, run) in enumerate(panel.runs):
        assert ball(panel, index) == (run.points[-1, 0], run.values[-1])
        curve = panel.loss_plot.curves[index]
        assert curve.isVisible()
        assert curve.getData()[1].tolist() == run.values.tolist()
        assert panel.overlay.racers[index].shown, key
    finish = panel.finish_label.text().splitlines()
    assert finish[0] == "Finish: 1.\u00a0Newton\u00a0(2\u00a0steps,\u00a0f\u00a0=\u00a00)"
    assert finish[1] == "Still rolling: GD, Momentum, Nesterov, AdaGrad, RMSProp, Adam"
    table = panel.race_table
    assert table.isVisible() and not panel.readout.isVisible()
    assert table.rowCount() == len(OPTIMIZERS)
    for row, (key, run) in enumerate(panel.runs):
        texts = [table.item(row, column).text() for column in range(table.columnCount())]
        assert texts[:2] == [OPTIMIZERS[key].short_name, str(run.step_count)]
        assert texts[2] == format_number(run.points[-1, 0])
    assert table.item(len(OPTIMIZERS) - 1, 5).text() == "converged"

    path = tmp_path / "race.csv"
    steps = panel.export_csv(str(path))
    assert steps == sum(counts)  # the steps taken; each run's start is a row, not a step
    with path.open(encoding="utf-8") as file:
        exported = list(csv.reader(file))
    assert exported[0] == ["optimizer", "learning_rate", "k", "x", "f(x)", "f'(x)"]
    gd = [row for row in exported[1:] if row[0] == "gd"]
    assert [int(row[2]) for row in gd] == [0, 1, 2, 3, 4, 5]
    w1 = 2.0 - 0.1 * 4.0
    assert [float(row[3]) for row in gd[:3]] == [2.0, w1, w1 - 0.1 * (2 * w1)]
    assert float(gd[1][4]) == 1.6**2 and float(gd[1][5]) == 2 * 1.6
    assert {row[0] for row in exported[1:]} == set(OPTIMIZERS)


def test_no_function_means_idle_with_a_message(window: Window) -> None:
    panel = window.panel
    panel.set_function(None, None, None)
    panel.step()
    assert panel.runs == [] and not panel.has_trace()
    assert "Type a function" in panel.diagnosis_label.text()


def test_a_new_function_mid_animation_restarts(window: Window, qtbot) -> None:
    window.show_function("x^2")
    panel = window.panel
    panel.place_ball(3.0)
    panel.play()
    qtbot.wait(50)
    window.show_function("(x - 1)^2")
    assert not panel.is_playing()
    assert panel.runs[0][1].step_count == 0
    assert ball(panel) == (3.0, 4.0)


def test_bad_start_and_missing_second_derivative_are_explained(window: Window) -> None:
    window.show_function("x^2")
    panel = window.panel
    panel.place_ball(1.5)
    panel.start_field.setText("two")
    panel.start_field.editingFinished.emit()
    assert "not a number" in panel.start_message.text()
    assert "stays at 1.5" in panel.start_message.text()
    panel.step()  # the message stays until the field holds a number
    assert panel.start_message.isVisibleTo(panel) and ball(panel)[0] != 1.5
    panel.start_field.setText("0.5")
    panel.start_field.editingFinished.emit()
    assert not panel.start_message.isVisibleTo(panel) and ball(panel) == (0.5, 0.25)
    f = parse("x^2")
    panel.set_function(f, f.derivative(), None)
    panel.chooser.set_current("newton")
    assert panel.runs == []
    assert "second derivative" in panel.diagnosis_label.text()
    panel.set_function(parse("log(x)"), parse("1/x"), None)
    panel.chooser.set_current("gd")
    panel.place_ball(-1.0)
    assert "undefined at the start" in panel.diagnosis_label.text()


def test_preset_sets_start_rate_and_function(window: Window, qtbot) -> None:
    panel = window.panel
    names = [preset["name"] for preset in panel.presets]
    index = names.index("Several local minima")
    with qtbot.waitSignal(panel.presetChosen) as chosen:
        panel.choose_preset(index)
    assert chosen.args[0]["text"] == "x^4 - 3x^2 + x"
    assert chosen.args[0]["x_range"] == [-2.3, 2.3]
    window.show_function("x^4 - 3x^2 + x")
    assert panel.rate_slider.value() == 0.02
    assert ball(panel) == (2.0, 6.0)
    assert {"x^2", "x^4 - 3x^2 + x", "10x^2", "x^3", "1 - exp(-x^2)"} <= {
        preset["text"] for preset in panel.presets
    }


def test_log_scale_leaves_out_losses_below_zero(window: Window) -> None:
    window.show_function("x^4 - 3x^2 + x")
    panel = window.panel
    panel.place_ball(2.0)
    panel.rate_slider.setValue(0.02)
    for _ in range(10):
        panel.step()
    panel.loss_plot.log_box.setChecked(True)
    steps, losses = panel.loss_plot.curves[0].getData()
    assert steps.tolist() == [0.0, 1.0]  # f(2) = 6 and f after one step are positive
    assert losses[0] == pytest.approx(np.log10(6.0))  # drawn as log10 on a log axis
    assert "cannot be shown" in panel.loss_plot.note.text()


def test_each_racer_has_a_colour_of_its_own() -> None:
    meanings = {
        palette.FUNCTION,
        palette.DERIVATIVE,
        palette.SECOND_DERIVATIVE,
        palette.TANGENT,
        palette.SECANT,
    }
    colours = [colour_of(key) for key in OPTIMIZERS]
    assert len(set(colours)) == len(colours)
    assert not meanings & set(colours)


def test_hiding_a_racer_in_the_legend_hides_its_ball_and_loss_curve(window: Window) -> None:
    window.show_function("x^2")
    panel = window.panel
    panel.place_ball(2.0)
    panel.chooser.set_race(["gd", "adam"])
    panel.step()
    assert len(panel.overlay.layer.balls) == 2
    panel.overlay.racers[1].sample.setVisible(False)  # what a click on its legend entry does
    assert len(panel.overlay.layer.balls) == 1
    assert not panel.loss_plot.curves[1].isVisible()
    panel.overlay.racers[1].sample.setVisible(True)
    assert len(panel.overlay.layer.balls) == 2 and panel.loss_plot.curves[1].isVisible()


def test_the_log_scale_keeps_the_loss_axes_in_the_panels_hands(window: Window) -> None:
    window.show_function("x^2")
    panel = window.panel
    panel.place_ball(2.0)
    for _ in range(30):
        panel.step()
    plot = panel.loss_plot.plot
    panel.loss_plot.log_box.setChecked(True)
    assert plot.getViewBox().autoRangeEnabled() == [False, False]
    (x_low, x_high), _ = plot.getViewBox().viewRange()
    assert x_low == 0 and 30 <= x_high <= 100  # round numbers with room, not pyqtgraph's fit


def test_playing_fast_writes_the_table_and_verdicts_ten_times_a_second_and_afresh_on_a_pause(
    window: Window, monkeypatch: pytest.MonkeyPatch
) -> None:
    import calcstudio.ui.descent.verdicts as verdicts_module

    real = verdicts_module.diagnose_each
    readings = count_calls(monkeypatch, verdicts_module, "diagnose_each")
    window.show_function("x^4 - 3x^2 + x")
    panel = window.panel
    panel.place_ball(2.0)
    panel.chooser.set_race(list(OPTIMIZERS))
    panel.speed_spin.setValue(60)  # a frame every 17 ms: verdicts every 6th frame (102 ms)
    panel.play()
    readings.clear()
    with QSignalBlocker(panel.timer):  # the frames are taken here, one by one
        for _ in range(13):
            read, shown = len(readings), panel.race_table.item(0, 1).text()
            panel.tick()
            row = panel.race_table.item(0, 1).text()
            if len(readings) > read:  # the numbers are written with the verdicts, of one step
                assert row == str(panel.runs[0][1].step_count)
            else:  # and stay until the next reading
                assert row == shown != str(panel.runs[0][1].step_count)
    assert [len(traces) for traces in readings] == [7, 7]
    panel.stop()
    assert len(readings) == 3  # a pause shows the verdicts of where the runs are now
    assert panel.race_table.item(0, 1).text() == str(panel.runs[0][1].step_count)
    fresh = real([run.trace() for _, run in panel.runs], panel.objective)
    shown = [panel.race_table.item(row, 5).text() for row in range(len(OPTIMIZERS))]
    panel.race_table.show_runs(panel.runs, fresh, "x")
    assert shown == [panel.race_table.item(row, 5).text() for row in range(len(OPTIMIZERS))]

    panel.speed_spin.setValue(10)  # a frame every 100 ms: verdicts on every frame
    panel.play()
    readings.clear()
    with QSignalBlocker(panel.timer):
        for _ in range(3):
            panel.tick()
    assert len(readings) == 3
    panel.stop()


def test_the_benchmark_times_frames_as_the_playing_animation_takes_them(
    window: Window, monkeypatch: pytest.MonkeyPatch
) -> None:
    import calcstudio.ui.descent.verdicts as verdicts_module
    from calcstudio.benchmark.animation import animation_frames

    readings = count_calls(monkeypatch, verdicts_module, "diagnose")
    window.show_function("x^2")
    panel = window.panel
    panel.chooser.set_value("gd", "learning_rate", 1e-4)
    panel.place_ball(5.0)
    readings.clear()
    repaints = []
    times = animation_frames(panel, 12, lambda: repaints.append(panel.is_playing()))
    assert len(times) == 12 and all(t > 0 for t in times)
    assert repaints == [True] * 12  # each frame timed while the animation plays
    assert panel.runs[0][1].step_count == 12 and not panel.is_playing()
    assert len(readings) == 2 + 1  # frames 6 and 12, then the pause
