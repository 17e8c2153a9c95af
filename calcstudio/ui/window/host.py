"""What the window's parts (layout, menus) need of the window, as protocols.

They take the window through these, not by importing the main window's module, so the window
imports its parts and no part imports the window.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtWidgets import (
    QMenuBar,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QTabWidget,
    QWidget,
)

from calcstudio.ui.descent.panel import DescentPanel
from calcstudio.ui.widgets.function_editor import FunctionEditor
from calcstudio.ui.widgets.live_text import LiveText
from calcstudio.ui.widgets.math_view import MathView
from calcstudio.ui.widgets.plot_view import PlotView
from calcstudio.ui.window.lesson_slots import LessonSlot


class LaidOut(Protocol):
    """The window as :func:`calcstudio.ui.window.layout.lay_out` fills it."""

    editor: FunctionEditor
    plot: PlotView
    formulas: MathView
    slots: list[LessonSlot]
    tabs: QTabWidget
    plot_splitter: QSplitter
    views: QStackedWidget
    side_splitter: QSplitter
    main_splitter: QSplitter
    engine_status: LiveText

    def setCentralWidget(self, widget: QWidget) -> None: ...

    def statusBar(self) -> QStatusBar: ...


class MenuHost(Protocol):
    """The window as :class:`calcstudio.ui.window.menus.WindowMenus` drives it."""

    editor: FunctionEditor
    plot: PlotView
    descent_panel: DescentPanel
    session_path: str | None

    def menuBar(self) -> QMenuBar: ...

    def statusBar(self) -> QStatusBar: ...

    def close(self) -> bool: ...

    def fit_view(self) -> None: ...

    def focus_editor(self) -> None: ...

    def show_preset(self, preset: dict[str, Any]) -> None: ...

    def show_second_derivative(self, checked: bool) -> None: ...

    def sync_descent(self) -> None: ...

    def open_session_file(self, path: str) -> bool: ...

    def save_session_file(self, path: str) -> bool: ...
