"""The main window's menus and the dialogs behind them: files, exports, presets, help."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from calcstudio import resource_files
from calcstudio.ui.window.session import FILE_SUFFIX

if TYPE_CHECKING:
    from calcstudio.ui.window.host import MenuHost

LANGUAGE_HELP = (
    "<p>Write maths the way a tutorial does:</p>"
    "<p style='margin-left: 12px'>x^2 or x²,&nbsp; 2x,&nbsp; 3(x+1),&nbsp; (x+1)(x-1),&nbsp; "
    "-x^2 means -(x²)<br>"
    "sin, cos, tan, exp, e^x, ln or log, log10, sqrt or √, |x| or abs<br>"
    "sigmoid, relu, softplus, tanh, min, max, floor, ceil, sign<br>"
    "pi or π, e</p>"
    "<p>Variables are one letter (x, t, w1, x_2) or a Greek name (theta); write x·sin(x) or"
    " x&nbsp;sin(x) for a product, since xsin(x) is not read as one. You may start with "
    "'f(x) =' or 'f(w) ='.</p>"
    "<p>Click the plot to move the tangent point, or drag the orange point along the curve; "
    "on the Gradient descent tab a click puts the ball there. Number fields take 0.5, 1e-3, "
    "pi/4 or √2.</p>"
)
HELP_WIDTH_PX = 520
"""The help box's text width: wide enough that no line ends in a lone word."""
ABOUT = (
    "CalcStudio shows the calculus behind machine learning: functions, derivatives, "
    "tangents, secants and gradient descent, live."
)


def add_action(
    menu: QMenu,
    text: str,
    slot: Callable[..., object],
    shortcut: QKeySequence.StandardKey | str | None = None,
) -> QAction:
    """Add an action that runs ``slot`` to ``menu``, with an optional shortcut."""
    action = menu.addAction(text)
    action.triggered.connect(slot)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    return action


class WindowMenus(QObject):
    """Builds the window's menu bar and runs its dialogs.

    Parameters
    ----------
    window
        The main window; the menus call its public methods.
    """

    def __init__(self, window: MenuHost) -> None:
        super().__init__(window)
        self.window = window
        bar = window.menuBar()
        file_menu = bar.addMenu("&File")
        add_action(file_menu, "&Open…", self.open_session, QKeySequence.StandardKey.Open)
        add_action(file_menu, "&Save", self.save_session, QKeySequence.StandardKey.Save)
        add_action(file_menu, "Save &As…", self.save_session_as, QKeySequence.StandardKey.SaveAs)
        file_menu.addSeparator()
        add_action(file_menu, "&Export plot as PNG…", self.export_png, "Ctrl+E")
        add_action(file_menu, "Export descent &trace as CSV…", self.export_trace_csv)
        file_menu.addSeparator()
        add_action(file_menu, "&Quit", window.close, QKeySequence.StandardKey.Quit)

        edit_menu = bar.addMenu("&Edit")
        field = window.editor.field
        add_action(edit_menu, "&Undo", field.undo, QKeySequence.StandardKey.Undo)
        add_action(edit_menu, "&Redo", field.redo, QKeySequence.StandardKey.Redo)
        edit_menu.addSeparator()
        add_action(edit_menu, "&Edit function", window.focus_editor, "Ctrl+L")

        view_menu = bar.addMenu("&View")
        self.second_derivative_action = add_action(
            view_menu, "Show &second derivative f″", window.show_second_derivative, "Ctrl+2"
        )
        self.second_derivative_action.setCheckable(True)
        add_action(view_menu, "&Fit view", window.fit_view, "Ctrl+0")

        presets_menu = bar.addMenu("&Presets")
        for preset in resource_files.read_json("presets.json"):
            action = add_action(
                presets_menu,
                f"{preset['name']}:  {preset['text']}",
                lambda _=False, chosen=preset: window.show_preset(chosen),
            )
            action.setStatusTip(preset["lesson"])
            action.setToolTip(preset["lesson"])
        presets_menu.setToolTipsVisible(True)

        help_menu = bar.addMenu("&Help")
        add_action(
            help_menu,
            "&What can I type?",
            self.show_language_help,
            "F1",
        )
        add_action(
            help_menu, "&About CalcStudio", lambda: QMessageBox.about(window, "About", ABOUT)
        )

    def show_language_help(self) -> QMessageBox:
        """Help > What can I type?: the expression language in a box that wraps cleanly."""
        box = QMessageBox(QMessageBox.Icon.Information, "What can I type?", "", parent=self.window)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(LANGUAGE_HELP)
        # Qt wraps a message box's text at a width of its own; a fixed width wraps whole
        # paragraphs, never a hard line break plus one orphan word.
        box.setStyleSheet(f"QLabel#qt_msgbox_label {{ min-width: {HELP_WIDTH_PX}px; }}")
        box.open()
        return box

    # --- files --------------------------------------------------------------

    def open_session(self) -> None:
        """File > Open: ask for a saved session and load it."""
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            "Open session",
            "",
            f"CalcStudio sessions (*{FILE_SUFFIX});;All files (*)",
        )
        if path:
            self.window.open_session_file(path)

    def save_session(self) -> None:
        """File > Save: save to the current file, or ask for one."""
        if self.window.session_path is None:
            self.save_session_as()
        else:
            self.window.save_session_file(self.window.session_path)

    def save_session_as(self) -> None:
        """File > Save As: ask where to save the session."""
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            "Save session",
            f"session{FILE_SUFFIX}",
            f"CalcStudio sessions (*{FILE_SUFFIX})",
        )
        if path:
            if not path.endswith(FILE_SUFFIX):
                path += FILE_SUFFIX
            self.window.save_session_file(path)

    # --- exports ------------------------------------------------------------

    def export_png(self) -> None:
        """File > Export plot as PNG."""
        window = self.window
        path, _ = QFileDialog.getSaveFileName(
            window, "Export plot", "plot.png", "PNG images (*.png)"
        )
        if path:
            self.export_png_to(path)

    def export_png_to(self, path: str) -> bool:
        """Save the plot as a PNG at ``path``, adding ``.png`` if the name lacks it (the
        image format is chosen by the name's ending); a failure gives a message."""
        window = self.window
        if not path.lower().endswith(".png"):
            path += ".png"
        try:
            window.plot.export_png(path)
        except OSError as error:
            QMessageBox.warning(window, "Could not export the plot", str(error))
            return False
        window.statusBar().showMessage(f"Exported {path}", 5000)
        return True

    def export_trace_csv(self) -> None:
        """File > Export descent trace as CSV."""
        window = self.window
        window.sync_descent()  # never the run of a function no longer on show
        if not window.descent_panel.has_trace():
            QMessageBox.information(
                window,
                "No descent to export",
                "Run gradient descent first (Gradient descent tab: Step or Play).",
            )
            return
        path, _ = QFileDialog.getSaveFileName(window, "Export trace", "descent.csv", "CSV (*.csv)")
        if not path:
            return
        try:
            steps = window.descent_panel.export_csv(path)
        except OSError as error:
            QMessageBox.warning(window, "Could not export the trace", str(error))
            return
        window.statusBar().showMessage(f"Exported {steps} step{'s' * (steps != 1)} to {path}", 5000)


__all__ = ["ABOUT", "LANGUAGE_HELP", "WindowMenus", "add_action"]
