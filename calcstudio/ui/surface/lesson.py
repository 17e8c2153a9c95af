"""The surface lesson: a function of two variables as a landscape, its gradient, its slices,
its critical points, and optimizers descending on it.

Per drag or keystroke, every number comes from the syntax tree's jets
(:mod:`calcstudio.core.surface`); the worker only adds the typeset partial derivatives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QHBoxLayout, QSplitter, QVBoxLayout, QWidget

from calcstudio.core.surface.critical import CriticalPoint, critical_points
from calcstudio.core.surface.descent import surface_objective
from calcstudio.core.surface.fields import Surface
from calcstudio.core.surface.readout import critical_lines, point_lines
from calcstudio.ui.surface.landscape_view import LandscapeView
from calcstudio.ui.surface.numerical import PartialDifferences
from calcstudio.ui.surface.opengl import opengl_problem, quick_problem
from calcstudio.ui.surface.panel import SurfacePanel
from calcstudio.ui.surface.slices import Slices
from calcstudio.ui.surface.surface_3d import Surface3DView
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.math_view import Formula
from calcstudio.ui.window.lesson import Lesson, LessonHost, ShownFunction, from_card

if TYPE_CHECKING:
    from calcstudio.core.analysis import EngineResult

CRITICAL_DELAY_MS = 150
"""The critical points are searched again this long after the view stops moving: the
search (10 to 30 ms) would not fit in a pan frame."""
DEFAULT_VIEW = ((-3.0, 3.0), (-3.0, 3.0))


class SurfaceView(QWidget):
    """The lesson's main view: the map (and the 3-D surface beside it, when asked for), and
    under it the two slices and the loss plot."""

    def __init__(
        self, landscape: LandscapeView, surface_3d: Surface3DView, slices: Slices, loss: QWidget
    ) -> None:
        super().__init__()
        self.maps = QSplitter(Qt.Orientation.Horizontal)
        self.maps.addWidget(landscape)
        self.maps.addWidget(surface_3d)
        under = QWidget()
        row = QHBoxLayout(under)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(slices.along_first)
        row.addWidget(slices.along_second)
        row.addWidget(loss)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.maps)
        splitter.addWidget(under)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def share_maps(self) -> None:
        """Give the map and the 3-D surface beside it half the width each."""
        half = max(self.maps.width() // 2, 1)
        self.maps.setSizes([half, half])


@from_card("surface")
class SurfaceLesson(Lesson):
    """Two variables: landscapes, partial derivatives, the gradient, saddles and descent."""

    def __init__(self, host: LessonHost) -> None:
        super().__init__(host)
        self.surface: Surface | None = None
        self.critical: list[CriticalPoint] = []
        self.point = (1.0, -2.0)
        self.landscape = LandscapeView()
        self.slices = Slices()
        self.panel = SurfacePanel()
        self.descent = self.panel.descent
        self.partials = PartialDifferences()
        """The numerical partial derivatives at the point (a collapsible section)."""
        self.partials.place_in(self.panel, after=self.panel.surface_note)
        self.surface_3d = Surface3DView()
        self.view = SurfaceView(
            self.landscape, self.surface_3d, self.slices, self.descent.loss_plot
        )
        self.landscape.set_view(*DEFAULT_VIEW)
        self.critical_timer = QTimer(self)
        self.critical_timer.setSingleShot(True)
        self.critical_timer.setInterval(CRITICAL_DELAY_MS)
        self.critical_timer.timeout.connect(self.find_critical_points)
        self.landscape.pointDragged.connect(self.move_point)
        self.landscape.mapClicked.connect(self.descent.place_start)
        self.landscape.viewChanged.connect(self._on_view_changed)
        self.panel.pointEdited.connect(self.move_point)
        self.panel.presetChosen.connect(self.presetChosen)
        self.panel.field_box.toggled.connect(self.landscape.set_field_shown)
        self.panel.surface_box.toggled.connect(self.show_3d)
        if problem := quick_problem():
            self.panel.refuse_3d(problem)
        self.descent.pathsChanged.connect(self.landscape.set_paths)
        self.descent.pathsChanged.connect(self._on_paths_changed)
        self.descent.runsStarted.connect(self._on_runs_started)
        self.descent.startMoved.connect(self.landscape.set_start)
        self.landscape.set_start(*self.descent.start)

    # --- the Lesson interface -------------------------------------------------

    def set_function(self, shown: ShownFunction) -> None:
        """Show the landscape of a function of two variables."""
        self.surface = Surface(shown.tree)
        self.panel.set_variables(self.surface.variables)
        self.landscape.set_surface(self.surface)
        self.descent.set_objective(surface_objective(self.surface))
        self.move_point(*self.point)
        # The landscape first; the search (10 to 30 ms) follows once typing pauses.
        self.critical = []
        self.landscape.set_critical_points([])
        self.panel.show_critical(["Searching the view…"])
        self.critical_timer.start()

    def set_active(self, active: bool) -> None:
        """A hidden lesson runs no timers."""
        if not active:
            self.stop()

    def engine_result(self, result: EngineResult) -> None:
        """Show L and its two partial derivatives, typeset, in the formula panel."""
        if not result.ok or len(result.variables) != 2 or result.function is None:
            return
        colours = [palette.FUNCTION, palette.DERIVATIVE, palette.DERIVATIVE]
        items = [
            Formula(data.svg, f"{data.label} = {data.text}", data.latex, colour)
            for data, colour in zip((result.function, *result.gradient), colours, strict=True)
        ]
        self.host.formulas.set_formulas(items)

    def preset_framed(self, preset: dict[str, Any]) -> None:
        """Frame the preset's view and put the point and the start at its start."""
        self.landscape.set_view(preset["x_range"], preset["y_range"])
        w1, w2 = preset["start"]
        self.move_point(w1, w2)
        self.descent.place_start(w1, w2)

    def pending(self) -> str | None:
        """ "the search for critical points" while the panel says "Searching the view…"."""
        return "the search for critical points" if self.critical_timer.isActive() else None

    def show_first_preset(self) -> bool:
        """The seed bowl from (1, −2) (``calcstudio --lesson surface``)."""
        self.panel.choose_preset(0)
        return True

    def state(self) -> dict[str, Any]:
        """The point, the start and the view."""
        w1_range, w2_range = self.landscape.view_ranges()
        return {
            "point": list(self.point),
            "start": list(self.descent.start),
            "w1_range": list(w1_range),
            "w2_range": list(w2_range),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        """Put back what :meth:`state` gave; a field that is not two finite numbers is skipped."""

        def pair(name: str) -> tuple[float, float] | None:
            value = state.get(name)
            try:
                a, b = (float(v) for v in value)  # type: ignore[union-attr]
            except (TypeError, ValueError):
                return None
            return (a, b) if np.isfinite(a) and np.isfinite(b) else None

        ranges = pair("w1_range"), pair("w2_range")
        if ranges[0] and ranges[1] and ranges[0][0] < ranges[0][1] and ranges[1][0] < ranges[1][1]:
            self.landscape.set_view(*ranges)
        if point := pair("point"):
            self.move_point(*point)
        if start := pair("start"):
            self.descent.place_start(*start)

    def stop(self) -> None:
        """Stop the animation and the pending search."""
        self.descent.stop()
        self.critical_timer.stop()

    # --- work -----------------------------------------------------------------

    def move_point(self, w1: float, w2: float) -> None:
        """Put the point at ``(w1, w2)``: arrows, slices and readouts follow."""
        self.point = (float(w1), float(w2))
        if self.surface is None:
            return
        value, gradient, _ = self.surface.at(w1, w2)
        self.landscape.set_point(w1, w2, gradient)
        self.surface_3d.set_point(w1, w2, value)
        self.slices.show_point(
            self.surface, self.point, value, gradient, self.landscape.view_ranges()
        )
        self.panel.show_point(
            w1, w2, point_lines(self.surface.variables, self.point, value, gradient)
        )
        self.partials.show_point(self.surface, self.point)

    def show_3d(self, shown: bool) -> None:
        """Show the 3-D surface beside the map, or hide it; where OpenGL cannot be had, the
        option is turned off and says why."""
        if shown and (problem := opengl_problem()):
            self.panel.refuse_3d(problem)
            return
        if shown and self.surface_3d.scene is None:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # ~0.3 s, the first time
            try:
                self.surface_3d.set_shown(True)
            finally:
                QApplication.restoreOverrideCursor()
        else:
            self.surface_3d.set_shown(shown)
        if shown:
            self.view.share_maps()

    def find_critical_points(self) -> None:
        """Search the view for critical points, mark and list them."""
        if self.surface is None:
            return
        w1_range, w2_range = self.landscape.view_ranges()
        self.critical = critical_points(self.surface, w1_range, w2_range)
        self.landscape.set_critical_points(self.critical)
        self.panel.show_critical(critical_lines(self.critical))
        size = max(w1_range[1] - w1_range[0], w2_range[1] - w2_range[0])
        self.descent.set_critical_points(self.critical, size)

    def _on_view_changed(self) -> None:
        if self.surface is not None:
            self.surface_3d.set_landscape(self.landscape.current, self.surface.variables)
            self.critical_timer.start()

    def _on_runs_started(self, colours: list[str], names: list[str]) -> None:
        self.landscape.show_runs(colours, names)
        self.surface_3d.show_runs(colours)

    def _on_paths_changed(self, paths: list[np.ndarray]) -> None:
        # L at each point comes with the runs: nothing is evaluated again for the 3-D view.
        self.surface_3d.set_paths(paths, [run.values for _, run in self.descent.runs])
