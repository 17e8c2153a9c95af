"""The main window: wiring only. Each widget does one job; the maths comes from calcstudio.core."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from calcstudio.core.calculus import (
    limit_table,
    secant,
    tangent_at,
)
from calcstudio.core.derivative_check import check_derivative
from calcstudio.core.engine import Engine, EngineResult
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import ParseError, SyntaxTree
from calcstudio.core.numeric import Evaluator, restricted_to
from calcstudio.core.sampling import interesting_x_range
from calcstudio.ui.descent.panel import DescentPanel
from calcstudio.ui.tangent.panel import TangentPanel
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.function_editor import FunctionEditor
from calcstudio.ui.widgets.math_view import Formula, MathView
from calcstudio.ui.widgets.plot_view import DEFAULT_X_RANGE, PlotView
from calcstudio.ui.window.engine_adapter import EngineAdapter
from calcstudio.ui.window.menus import WindowMenus
from calcstudio.ui.window.session import (
    Session,
    SessionFileError,
    load_settings,
    read_session_file,
    save_settings,
    write_session_file,
)

HISTORY_DELAY_MS = 1500
"""A function joins the Recent list once it has plotted and the learner paused this long."""

TANGENT_TAB, DESCENT_TAB = 0, 1


def _scrollable(panel: QWidget) -> QScrollArea:
    """``panel`` in a scroll area, so a small window still shows all of it, scrolled."""
    area = QScrollArea()
    area.setWidget(panel)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    # As wide as the panel (and its scroll bar) needs as it starts; what it shows later
    # (the race table) may need more, and then a narrow window scrolls sideways too.
    scroll_bar = area.verticalScrollBar().sizeHint().width()
    area.setMinimumWidth(panel.minimumSizeHint().width() + scroll_bar)
    return area


class MainWindow(QMainWindow):
    """CalcStudio's window: editor, plot, formulas, tangent & secant panel, descent panel.

    Parameters
    ----------
    engine
        A started symbolic engine to share (tests pass one); if None the window starts its own
        worker without waiting for it.
    settings
        Where the session is remembered between launches; None remembers nothing (used for
        ``--screenshot``).
    """

    def __init__(self, engine: Engine | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("CalcStudio")
        self.settings = settings
        self.session_path: str | None = None
        self.f: Evaluator | None = None
        self.df: Evaluator | None = None
        self.d2f: Evaluator | None = None
        self.plotted_text = ""
        """The function whose curves are on screen (fast path or engine-confirmed)."""
        self.plotted_variable = "x"
        self.descent_text = ""
        self.last_result: EngineResult | None = None
        self.point = 1.0

        self.editor = FunctionEditor()
        self.plot = PlotView()
        self.formulas = MathView()
        self.tangent_panel = TangentPanel()
        self.descent_panel = DescentPanel(plot_item=self.plot.getPlotItem())
        self.tabs = QTabWidget()
        self.tabs.addTab(_scrollable(self.tangent_panel), "Tangent && secant")
        self.tabs.addTab(_scrollable(self.descent_panel), "Gradient descent")
        self.tabs.setTabToolTip(TANGENT_TAB, "The derivative as the limit of secant slopes")
        self.tabs.setTabToolTip(DESCENT_TAB, "Roll a ball downhill: w ← w − η·f′(w)")

        self.side_splitter = QSplitter(Qt.Orientation.Vertical)
        self.side_splitter.addWidget(self.formulas)
        self.side_splitter.addWidget(self.tabs)
        self.side_splitter.setStretchFactor(1, 1)
        # The loss plot sits under the curve it comes from, shown with the descent tab.
        self.plot_splitter = QSplitter(Qt.Orientation.Vertical)
        self.plot_splitter.addWidget(self.plot)
        self.plot_splitter.addWidget(self.descent_panel.loss_plot)
        self.plot_splitter.setStretchFactor(0, 3)
        self.plot_splitter.setStretchFactor(1, 1)
        self.plot_splitter.setChildrenCollapsible(False)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(self.plot_splitter)
        self.main_splitter.addWidget(self.side_splitter)
        self.main_splitter.setStretchFactor(0, 3)
        self.main_splitter.setStretchFactor(1, 2)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.editor)
        layout.addWidget(self.main_splitter, 1)
        self.setCentralWidget(central)
        self.engine_status = QLabel("Starting the maths engine…")
        self.engine_status.setObjectName("engineStatus")
        self.engine_status.setToolTip(
            "The symbolic maths runs in a separate process, so the window never freezes"
        )
        self.statusBar().addWidget(self.engine_status, 1)

        self.adapter = EngineAdapter(engine, parent=self)
        self.history_timer = QTimer(self, singleShot=True, interval=HISTORY_DELAY_MS)
        self.menus = WindowMenus(self)
        self.second_derivative_action = self.menus.second_derivative_action
        self._connect()
        self.resize(1280, 800)
        self.main_splitter.setSizes([760, 520])
        self.side_splitter.setSizes([150, 650])
        self.plot_splitter.setSizes([540, 200])
        self.formulas.set_message("Type a function above to see it and its derivative.")
        self.tangent_panel.clear("Type a function to see its tangent and secant.")
        self.restore(load_settings(settings) if settings is not None else Session())
        if settings is not None:
            self._restore_layout(settings)

    # --- construction -------------------------------------------------------

    def _connect(self) -> None:
        self.editor.functionEdited.connect(self._on_function_edited)
        self.adapter.resultReady.connect(self._on_result)
        self.adapter.statusChanged.connect(self.engine_status.setText)
        self.plot.plotClicked.connect(self._on_plot_clicked)
        self.plot.tangentDragged.connect(self.set_point)
        self.tangent_panel.pointEdited.connect(self.set_point)
        self.tangent_panel.stepChanged.connect(lambda _h: self._update_point())
        self.descent_panel.presetChosen.connect(self.show_preset)
        self.history_timer.timeout.connect(self._on_history_timer)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._on_tab_changed(self.tabs.currentIndex())

    # --- the function -------------------------------------------------------

    def set_function_text(self, text: str, *, fit: bool = False) -> None:
        """Put ``text`` into the editor (one undoable edit); the plot follows.

        Parameters
        ----------
        text
            The function, as a learner would type it.
        fit
            Also frame it: the x-range around its turns and bends, the y-range fitted
            (for a function given on the command line).
        """
        self.editor.set_text(text)  # the fast path plots synchronously
        if fit and self.df is not None and self.plotted_text == text:
            known = [g for g in (self.df, self.d2f) if g is not None]
            self.plot.setXRange(*interesting_x_range(known), padding=0)
            self.plot.fit_view()

    def show_preset(self, preset: dict[str, Any]) -> None:
        """Plot a lesson preset and frame the part of the curve its lesson is about.

        Parameters
        ----------
        preset
            From ``resources/presets.json`` or ``descent_presets.json``: ``text`` and
            optionally ``x_range`` and ``y_range`` (the y-range is fitted if missing).
        """
        self.editor.set_text(preset["text"])  # the fast path plots synchronously
        self.plot.setXRange(*preset.get("x_range", DEFAULT_X_RANGE), padding=0)
        if "y_range" in preset:
            self.plot.setYRange(*preset["y_range"], padding=0)
            self.plot.resample_now()
        else:
            self.plot.fit_view()

    def _on_function_edited(self, text: str, tree: SyntaxTree) -> None:
        self.history_timer.stop()
        if len(tree.variables) > 1:
            names = ", ".join(tree.variables)
            self.editor.show_error(
                ParseError(
                    f"this function has {len(tree.variables)} variables ({names}); "
                    "the plot shows functions of one variable",
                    0,
                    len(text),
                )
            )
            self._restore_confirmed_plot()
            return
        self.adapter.request(text)
        # Fast path: f, f', f'' straight from the syntax tree (microseconds), so the plot
        # follows every keystroke; the engine's typeset formulas follow.
        fast = derivative_evaluators(tree)
        assert fast is not None  # one variable
        self._plot(text, *fast, tree.variables[0])

    def _plot(
        self, text: str, f: Evaluator, df: Evaluator, d2f: Evaluator | None, variable: str
    ) -> None:
        self.f, self.df, self.d2f = f, df, d2f
        self.plotted_text, self.plotted_variable = text, variable
        self.plot.set_functions(f, df, d2f)
        self._update_lesson()

    def _update_lesson(self) -> None:
        """Bring the current tab's lesson up to date; the hidden tab catches up when shown."""
        if self.tabs.currentIndex() == TANGENT_TAB:
            self._update_point()
        else:
            self.sync_descent()

    def sync_descent(self) -> None:
        """Give the descent panel the function on show, if it still has an older one.

        A new function restarts the descent; nothing else does.
        """
        if self.plotted_text != self.descent_text and self.f is not None:
            self.descent_text = self.plotted_text
            self.descent_panel.set_function(self.f, self.df, self.d2f, self.plotted_variable)

    def _on_result(self, result: EngineResult) -> None:
        if result.status == "error":
            self.editor.show_error(ParseError(result.message, result.error_start, result.error_end))
            self._restore_confirmed_plot()
            return
        if not result.ok:
            # A timeout or crash: the status line tells it; the fast plot stays, but the
            # formulas on show belong to an earlier function.
            self.formulas.set_message(
                "The formulas of this function took too long to work out, so they are not "
                "shown. The plot and the numbers are still right."
            )
            return
        self.last_result = result
        if self.plotted_text != result.text:  # the fast path has usually drawn it already
            self._plot_result(result)
        self._show_formulas(result)
        self.history_timer.start()

    def _restore_confirmed_plot(self) -> None:
        """Put back the last plot the engine confirmed: an error never loses the good plot."""
        confirmed = self.last_result
        if confirmed is not None and self.plotted_text != confirmed.text:
            self._plot_result(confirmed)

    def _plot_result(self, result: EngineResult) -> None:
        derivative, second = result.derivative, result.second_derivative
        assert result.function is not None and derivative is not None
        f = result.function.evaluator()
        self._plot(
            result.text,
            f,
            restricted_to(f, derivative.evaluator()),
            restricted_to(f, second.evaluator()) if second is not None else None,
            result.variables[0],
        )

    def _show_formulas(self, result: EngineResult) -> None:
        expressions = result.expressions
        colours = [palette.FUNCTION, palette.DERIVATIVE, palette.SECOND_DERIVATIVE]
        shown = 3 if self.second_derivative_action.isChecked() else 2
        items = [
            Formula(data.svg, f"{data.label} = {data.shown}", data.latex, colour)
            for data, colour in zip(expressions[:shown], colours, strict=False)
        ]
        notes = [note for data in expressions[:shown] for note in data.notes]
        self.formulas.set_formulas(items)
        if notes:
            self.statusBar().showMessage("Note: " + " ".join(dict.fromkeys(notes)), 8000)

    def _on_history_timer(self) -> None:
        confirmed = self.last_result
        if confirmed is not None and confirmed.text == self.editor.text():
            self.editor.remember(confirmed.text)

    # --- tangent and secant -------------------------------------------------

    def _on_tab_changed(self, index: int) -> None:
        # Each tab draws its own lesson on the plot: tangent and secant, or the rolling ball.
        self.plot.set_tangent_and_secant_shown(index == TANGENT_TAB)
        self.descent_panel.set_overlay_shown(index == DESCENT_TAB)
        self.descent_panel.loss_plot.setVisible(index == DESCENT_TAB)
        self._update_lesson()

    def _on_plot_clicked(self, x: float) -> None:
        if self.tabs.currentIndex() == DESCENT_TAB:
            self.descent_panel.place_ball(x)
        else:
            self.set_point(x)

    def set_point(self, a: float) -> None:
        """Move the tangent point to ``x = a`` and update the lines and readouts."""
        if not math.isfinite(a):
            return
        self.point = a
        self.tangent_panel.set_point(a)
        self._update_point()

    def _update_point(self) -> None:
        f, df = self.f, self.df
        if f is None or df is None:
            return
        a, h = self.point, self.tangent_panel.step()
        tangent = tangent_at(f, df, a)
        check = check_derivative(f, a)
        defined = math.isfinite(tangent.value)
        has_tangent = defined and check.exists and math.isfinite(tangent.slope)
        line = secant(f, a, h) if defined else None
        self.plot.set_tangent(tangent if has_tangent else None)
        self.plot.set_secant(line if line is not None and math.isfinite(line.slope) else None)
        rows = limit_table(f, a, tangent.slope if has_tangent else None) if defined else []
        self.tangent_panel.show_values(tangent if has_tangent else None, line, rows, check)

    # --- view ---------------------------------------------------------------

    def show_second_derivative(self, checked: bool) -> None:
        """Show or hide f″: its curve and its formula."""
        self.plot.set_second_derivative_visible(checked)
        if self.last_result is not None:
            self._show_formulas(self.last_result)

    def focus_editor(self) -> None:
        """Put the cursor in the function field, with its text selected."""
        self.editor.field.setFocus()
        self.editor.field.selectAll()

    # --- session: settings and files ----------------------------------------

    def session(self) -> Session:
        """The window's state as a :class:`Session`."""
        (x_min, x_max), (y_min, y_max) = self.plot.getViewBox().viewRange()
        return Session(
            function=self.editor.text(),
            point=self.point,
            step=self.tangent_panel.step(),
            x_range=(x_min, x_max),
            y_range=(y_min, y_max),
            show_second_derivative=self.second_derivative_action.isChecked(),
            history=list(self.editor.history),
        )

    def restore(self, session: Session) -> None:
        """Put the window into the state ``session`` describes."""
        self.point = session.point
        self.tangent_panel.set_point(session.point)
        self.tangent_panel.set_step(session.step)
        self.second_derivative_action.setChecked(session.show_second_derivative)
        self.plot.set_second_derivative_visible(session.show_second_derivative)
        self.plot.setRange(xRange=session.x_range, yRange=session.y_range, padding=0)
        if session.history:
            self.editor.set_history(session.history)
        self.editor.set_text(session.function)
        # The text may be the one on show already, or one that cannot be plotted: either
        # way the readouts must be for the restored a and h.
        self._update_lesson()

    def _restore_layout(self, settings: QSettings) -> None:
        """The window's size and its splitters' positions as they were at the last close."""
        geometry = settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        for name, splitter in self._splitters():
            state = settings.value(f"splitter/{name}")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)

    def _splitters(self) -> tuple[tuple[str, QSplitter], ...]:
        return (
            ("main", self.main_splitter),
            ("side", self.side_splitter),
            ("plot", self.plot_splitter),
        )

    def open_session_file(self, path: str) -> bool:
        """Load the session in ``path``; a bad file gives a message, and nothing changes."""
        try:
            session = read_session_file(path)
        except SessionFileError as error:
            QMessageBox.warning(self, "Could not open the session", str(error))
            return False
        session.history = list(self.editor.history)
        self.restore(session)
        self.session_path = path
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def save_session_file(self, path: str) -> bool:
        """Write the session to ``path``; an unwritable place gives a message."""
        try:
            write_session_file(self.session(), path)
        except OSError as error:
            QMessageBox.warning(self, "Could not save the session", str(error))
            return False
        self.session_path = path
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    # --- closing ------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the session, stop animations and the worker, then close."""
        self.descent_panel.stop()
        if self.settings is not None:
            save_settings(self.settings, self.session())
            self.settings.setValue("geometry", self.saveGeometry())
            for name, splitter in self._splitters():
                self.settings.setValue(f"splitter/{name}", splitter.saveState())
            self.settings.sync()
        self.adapter.close()
        super().closeEvent(event)
