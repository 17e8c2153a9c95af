"""The main window: wiring only. Each widget does one job; the maths comes from calcstudio.core."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, QTimer
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import (
    QMainWindow,
    QSplitter,
)

from calcstudio import resource_files
from calcstudio.core.engine import Engine, EngineResult
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import ParseError, SyntaxTree
from calcstudio.core.numeric import Evaluator, restricted_to
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.function_editor import FunctionEditor
from calcstudio.ui.widgets.math_view import Formula, MathView
from calcstudio.ui.widgets.plot_view import DEFAULT_X_RANGE, PlotView
from calcstudio.ui.window.engine_adapter import EngineAdapter
from calcstudio.ui.window.layout import lay_out, place_lesson
from calcstudio.ui.window.lesson import Lesson, ShownFunction
from calcstudio.ui.window.lesson_slots import LessonSlot
from calcstudio.ui.window.lessons import LESSONS, unshowable
from calcstudio.ui.window.menus import WindowMenus
from calcstudio.ui.window.routing import LessonRouting
from calcstudio.ui.window.session import Session, load_settings, save_settings
from calcstudio.ui.window.session_files import SessionFiles

if TYPE_CHECKING:  # the descent lesson's modules are imported when it is first built
    from calcstudio.ui.descent.panel import DescentPanel
    from calcstudio.ui.tangent.panel import TangentPanel

HISTORY_DELAY_MS = 1500
"""A function joins the Recent list once it has plotted and the learner paused this long."""

TANGENT_TAB, DESCENT_TAB = (
    [lesson.key for lesson in LESSONS].index(key) for key in ("tangent", "descent")
)


class MainWindow(QMainWindow):
    """CalcStudio's window: the editor, the plot, the formulas, and a tab for each lesson.

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
        self.setWindowIcon(QIcon(str(resource_files.resource_path("icon.svg"))))
        self.settings = settings
        self.files = SessionFiles(self, self.session, self.restore)
        self.f: Evaluator | None = None
        self.df: Evaluator | None = None
        self.d2f: Evaluator | None = None
        self.plotted_text = ""
        """The function whose curves are on screen (fast path or engine-confirmed)."""
        self.plotted_variable = "x"
        self.shown: ShownFunction | None = None
        """The newest function that parsed, as handed to the lessons."""
        self.last_result: EngineResult | None = None
        self.untypeset_second: str | None = None
        """The text last asked for without f″'s typeset formula (f″ was hidden), if so."""

        self.editor = FunctionEditor()
        self.plot = PlotView()
        self.formulas = MathView()
        self.adapter = EngineAdapter(engine, parent=self, first_frame_of=self)
        # Each lesson is built when first needed (its tab shown, say), not at start.
        self.slots = [LessonSlot(card, self._build_lesson) for card in LESSONS]
        self.routing = LessonRouting(self.slots)

        lay_out(self)
        self.history_timer = QTimer(self, singleShot=True, interval=HISTORY_DELAY_MS)
        self.menus = WindowMenus(self)
        self.second_derivative_action = self.menus.second_derivative_action
        self._connect()
        self.resize(1280, 800)
        self.main_splitter.setSizes([760, 520])
        self.side_splitter.setSizes([150, 650])
        self.formulas.set_message("Type a function above to see it and its derivative.")
        self.restore(load_settings(settings) if settings is not None else Session())
        if settings is not None:
            self._restore_layout(settings)
        self.files.start()
        self.editor.functionEdited.connect(self.files.keeper.changed)
        self.plot.getViewBox().sigRangeChanged.connect(self.files.keeper.changed)

    # --- construction -------------------------------------------------------

    def _connect(self) -> None:
        self.editor.functionEdited.connect(self._on_function_edited)
        self.adapter.resultReady.connect(self._on_result)
        self.adapter.statusChanged.connect(self.engine_status.set_text)
        self.plot.plotClicked.connect(self._on_plot_clicked)
        self.history_timer.timeout.connect(self._on_history_timer)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._on_tab_changed(self.tabs.currentIndex())

    # --- lessons ------------------------------------------------------------

    def _build_lesson(self, lesson_class: type[Lesson]) -> Lesson:
        """Make a lesson, put it into its tab and the window, and connect it (inactive)."""
        lesson = lesson_class(self)
        place_lesson(self, self.routing.index(lesson.key), lesson)
        lesson.presetChosen.connect(self.show_preset)
        lesson.statusMessage.connect(self.show_status)
        lesson.set_active(False)  # the tab change that needs it shows it
        return lesson

    def lesson(self, key: str) -> Lesson:
        """The lesson called ``key`` (``"tangent"``, ``"descent"``, ...), built if it was not."""
        return self.routing.lesson(key)

    def current_lesson(self) -> Lesson:
        """The lesson whose tab is current."""
        return self.slots[self.tabs.currentIndex()].lesson

    def show_lesson(self, key: str) -> None:
        """Make the lesson called ``key`` current."""
        self.tabs.setCurrentIndex(self.routing.index(key))

    @property
    def tangent_panel(self) -> TangentPanel:
        """The tangent lesson's panel."""
        return self.lesson("tangent").panel  # type: ignore[return-value]

    @property
    def descent_panel(self) -> DescentPanel:
        """The descent lesson's panel (built if it was not: the menus export its runs)."""
        return self.lesson("descent").panel  # type: ignore[return-value]

    def _on_tab_changed(self, index: int) -> None:
        self.routing.moved_from = None  # the learner chose (set again if the window moved)
        for slot in self.slots[:index] + self.slots[index + 1 :]:
            slot.deactivate()
        current = self.slots[index].lesson
        self.editor.set_in_use(
            None
            if current.variable_counts
            else f"{current.title} works on its own data, not on f: the function above is kept "
            "for the other tabs."
        )
        self.views.setCurrentWidget(current.view or self.plot_splitter)
        if current.under_plot is not None:
            current.under_plot.show()
        if current.variable_counts and self.last_result is not None:
            self._show_formulas(self.last_result)  # a data lesson may have written its own
        current.set_active(True)
        self.routing.show(index, self.shown)

    def _on_plot_clicked(self, x: float) -> None:
        self.current_lesson().plot_clicked(x)

    def set_point(self, a: float) -> None:
        """Move the tangent lesson's point to ``x = a``."""
        self.lesson("tangent").set_point(a)  # type: ignore[attr-defined]

    @property
    def point(self) -> float:
        """The tangent lesson's point a."""
        return self.lesson("tangent").point  # type: ignore[attr-defined,no-any-return]

    def sync_descent(self) -> None:
        """Give the descent lesson the function on show, if it still has an older one."""
        self.routing.catch_up(self.lesson("descent"), self.shown)

    def show_status(self, message: str, timeout_ms: int = 5000) -> None:
        """Say ``message`` in the status bar for ``timeout_ms`` milliseconds."""
        self.statusBar().showMessage(message, timeout_ms)

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
            self.fit_view()

    def show_preset(self, preset: dict[str, Any]) -> None:
        """Plot a lesson preset and frame the part of the curve its lesson is about.

        Parameters
        ----------
        preset
            From ``resources/presets.json`` or a lesson's own presets: ``text`` and
            optionally ``x_range`` and ``y_range`` (the y-range is fitted if missing); the
            current lesson then sets up the rest (:meth:`Lesson.preset_framed`).
        """
        self.editor.set_text(preset["text"])  # the fast path plots synchronously
        self.plot.setXRange(*preset.get("x_range", DEFAULT_X_RANGE), padding=0)
        if "y_range" in preset:
            self.plot.setYRange(*preset["y_range"], padding=0)
            self.plot.resample_now()
        else:
            self.plot.fit_view(keep_x="x_range" in preset)
        self.current_lesson().preset_framed(preset)

    def fit_view(self) -> None:
        """*View › Fit view*: frame the curve's turns and bends and what the lesson watches."""
        self.plot.fit_view(points=self.current_lesson().focus_points())

    def _on_function_edited(self, text: str, tree: SyntaxTree) -> None:
        self.history_timer.stop()
        count = len(tree.variables)
        index = self.routing.index_for(count, self.tabs.currentIndex())
        if index is None:
            message = unshowable(tree.variables) or ""
            self.editor.show_error(ParseError(message, 0, len(text)))
            self._restore_confirmed_plot()
            return
        # The worker is asked once the plot's frame is drawn: its status line and its wake-up
        # stay out of that frame, and a burst of keys before the paint asks only for the last.
        self.plot.after_paint.call("formulas", lambda: self._request_formulas(text))
        if count == 1:
            # Fast path: f, f', f'' straight from the syntax tree (microseconds), so the plot
            # follows every keystroke; the engine's typeset formulas follow.
            fast = derivative_evaluators(tree)
            assert fast is not None  # one variable
            self._plot(text, *fast, tree.variables[0])
            self.shown = ShownFunction(text, tree, tree.variables, *fast)
        else:
            self.shown = ShownFunction(text, tree, tree.variables)
        current = self.tabs.currentIndex()
        if index == current:
            self.routing.show(current, self.shown)
            return
        moved_from = None if index == self.routing.moved_from else current
        self.tabs.setCurrentIndex(index)  # updates the lesson
        self.routing.moved_from = moved_from

    def _request_formulas(self, text: str) -> None:
        # f″'s formula is typeset only when it is shown: it is often the longest.
        shown = self.second_derivative_action.isChecked()
        self.adapter.request(text, second_formula=shown)
        self.untypeset_second = None if shown else text

    def _plot(
        self, text: str, f: Evaluator, df: Evaluator, d2f: Evaluator | None, variable: str
    ) -> None:
        self.f, self.df, self.d2f = f, df, d2f
        self.plotted_text, self.plotted_variable = text, variable
        self.plot.set_variable(variable)
        self.plot.set_functions(f, df, d2f)

    def _on_result(self, result: EngineResult) -> None:
        if self.plot.after_paint.is_queued("formulas") and result.text != self.editor.text():
            return  # an older text's answer, come before the newest text was asked for
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
        if len(result.variables) == 1 and self.plotted_text != result.text:
            self._plot_result(result)  # the fast path has usually drawn it already
        if self.current_lesson().variable_counts:  # a data lesson writes its own formula
            self._show_formulas(result)
        self.current_lesson().engine_result(result)
        self.history_timer.start()

    def _restore_confirmed_plot(self) -> None:
        """Put back the last plot the engine confirmed: an error never loses the good plot."""
        confirmed = self.last_result
        if (
            confirmed is not None
            and len(confirmed.variables) == 1
            and self.plotted_text != confirmed.text
        ):
            self._plot_result(confirmed)

    def _plot_result(self, result: EngineResult) -> None:
        derivative, second = result.derivative, result.second_derivative
        assert result.function is not None and derivative is not None
        f = result.function.evaluator()
        df = restricted_to(f, derivative.evaluator())
        d2f = restricted_to(f, second.evaluator()) if second is not None else None
        self._plot(result.text, f, df, d2f, result.variables[0])

    def _show_formulas(self, result: EngineResult) -> None:
        expressions = result.expressions
        colours = [palette.FUNCTION, palette.DERIVATIVE, palette.SECOND_DERIVATIVE]
        # One variable: f, f′ and, if asked for, f″; more: whatever the engine wrote.
        shown = len(expressions)
        if len(result.variables) == 1:
            shown = 3 if self.second_derivative_action.isChecked() else 2
        items = [
            Formula(data.svg, f"{data.label} = {data.shown}", data.latex, colour)
            for data, colour in zip(expressions[:shown], colours * shown, strict=False)
        ]
        notes = [note for data in expressions[:shown] for note in data.notes]
        self.formulas.set_formulas(items)
        if notes:
            self.statusBar().showMessage("Note: " + " ".join(dict.fromkeys(notes)), 8000)

    def _on_history_timer(self) -> None:
        confirmed = self.last_result
        if confirmed is not None and confirmed.text == self.editor.text():
            self.editor.remember(confirmed.text)

    # --- view ---------------------------------------------------------------

    def show_second_derivative(self, checked: bool) -> None:
        """Show or hide f″: its curve and its formula."""
        self.plot.set_second_derivative_visible(checked)
        if self.last_result is not None:
            self._show_formulas(self.last_result)
            if checked and self.last_result.text == self.untypeset_second:
                self._request_formulas(self.last_result.text)  # for f″'s typeset formula

    def focus_editor(self) -> None:
        """Put the cursor in the function field, with its text selected."""
        self.editor.field.setFocus()
        self.editor.field.selectAll()

    # --- session: settings and files ----------------------------------------

    def session(self) -> Session:
        """The window's state as a :class:`Session`."""
        (x_min, x_max), (y_min, y_max) = self.plot.getViewBox().viewRange()
        tangent = self.lesson("tangent").state()
        # The tangent lesson's a and h are the session's point and step.
        states = {slot.key: slot.state() for slot in self.slots if slot.key != "tangent"}
        return Session(
            function=self.editor.text(),
            point=tangent["point"],
            step=tangent["step"],
            x_range=(x_min, x_max),
            y_range=(y_min, y_max),
            show_second_derivative=self.second_derivative_action.isChecked(),
            history=list(self.editor.history),
            lesson=self.current_lesson().key,
            lessons={key: state for key, state in states.items() if state},
        )

    def restore(self, session: Session) -> None:
        """Put the window into the state ``session`` describes."""
        self.lesson("tangent").restore_state({"point": session.point, "step": session.step})
        self.second_derivative_action.setChecked(session.show_second_derivative)
        self.plot.set_second_derivative_visible(session.show_second_derivative)
        self.plot.setRange(xRange=session.x_range, yRange=session.y_range, padding=0)
        if session.history:
            self.editor.set_history(session.history)
        keys = [slot.key for slot in self.slots]
        # The function first: it moves the window to a lesson that shows f, and the lesson on
        # show may be one with data of its own (the line fit), which f would move away from.
        self.editor.set_text(session.function)
        if session.lesson in keys:
            self.show_lesson(session.lesson)
        for key, state in session.lessons.items():
            if key in keys:  # a lesson not built yet restores it when it is built
                self.slots[keys.index(key)].restore_state(state)

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
        """File › Open: load the session in ``path`` (see :meth:`SessionFiles.open`)."""
        return self.files.open(path)

    def save_session_file(self, path: str) -> bool:
        """File › Save: write the session to ``path`` (see :meth:`SessionFiles.save`)."""
        return self.files.save(path)

    @property
    def session_path(self) -> str | None:
        """The file the session was last opened from or saved to."""
        return self.files.path

    # --- closing ------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the session, stop animations and the worker, then close."""
        for slot in self.slots:
            slot.stop()
        self.files.finish()
        if self.settings is not None:
            save_settings(self.settings, self.session())
            self.settings.setValue("geometry", self.saveGeometry())
            for name, splitter in self._splitters():
                self.settings.setValue(f"splitter/{name}", splitter.saveState())
            self.settings.sync()
        self.adapter.close()
        super().closeEvent(event)
