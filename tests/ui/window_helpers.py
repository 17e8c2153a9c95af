"""What the whole-window tests share: a shown window on a lesson, and typing into the editor."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from calcstudio.core.engine import Engine
from calcstudio.ui.window.main_window import MainWindow


def open_window(qtbot, engine: Engine, tmp_path: Path, lesson: str | None = None) -> MainWindow:
    """A real window (1400×900, settings in ``tmp_path``), shown, on ``lesson`` if given."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    shown = MainWindow(engine=engine, settings=settings)
    qtbot.addWidget(shown)
    shown.resize(1400, 900)
    shown.show()
    qtbot.waitExposed(shown)
    if lesson is not None:
        shown.show_lesson(lesson)
    return shown


def type_function(qtbot, window: MainWindow, text: str) -> None:
    """Replace the editor's text by typing ``text`` key by key."""
    window.editor.field.selectAll()
    qtbot.keyClick(window.editor.field, Qt.Key.Key_Delete)
    qtbot.keyClicks(window.editor.field, text)


def turn_wheel(widget: QWidget) -> None:
    """One notch of the mouse wheel, down, over the middle of ``widget``."""
    centre = widget.rect().center()
    event = QWheelEvent(
        centre,
        widget.mapToGlobal(centre),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def panel_numbers(qtbot, window: MainWindow) -> None:
    """Wait for the numbers the tangent panel writes once the plot has painted its lines."""
    qtbot.waitUntil(lambda: not window.plot.after_paint.pending, timeout=2000)


def count_calls(monkeypatch, module: object, name: str) -> list[object]:
    """Replace ``module.name`` by the same function that also records each call's first
    argument (in the list returned): the real thing runs, and a test sees how often."""
    calls: list[object] = []
    real = getattr(module, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls
