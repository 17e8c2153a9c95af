"""A window's own worker starts once the window's first frame is drawn (real processes)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject

from calcstudio.ui.window import engine_adapter
from calcstudio.ui.window.main_window import MainWindow


class PaintWatch(QObject):
    """Notes, at the window's first paint, whether its worker had started."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.worker_at_first_paint: list[int | None] = []
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.worker_at_first_paint:
            self.worker_at_first_paint.append(self.window.adapter.engine.pid)
        return False


def test_the_worker_starts_after_the_first_frame_and_then_answers(qtbot) -> None:
    window = MainWindow(settings=None)
    qtbot.addWidget(window)
    watch = PaintWatch(window)
    window.set_function_text("x^3 - 3x")
    assert window.adapter.engine.held and window.adapter.engine.pid is None
    window.show()
    qtbot.waitUntil(lambda: bool(watch.worker_at_first_paint), timeout=10_000)
    assert watch.worker_at_first_paint == [None]  # the frame was drawn without it
    qtbot.waitUntil(lambda: window.adapter.engine.pid is not None, timeout=1_000)
    # What was typed before it started is answered.
    qtbot.waitUntil(lambda: window.last_result is not None, timeout=60_000)
    assert window.last_result.derivative.text == "3*x^2 - 3"
    window.close()


def test_a_window_never_shown_starts_its_worker_at_once(qtbot) -> None:
    window = MainWindow(settings=None)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.adapter.engine.pid is not None, timeout=1_000)
    window.close()


def test_a_shown_window_that_never_paints_starts_its_worker_in_time(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(engine_adapter, "LATEST_START_MS", 300)
    window = MainWindow(settings=None)
    qtbot.addWidget(window)
    window.setVisible(True)  # visible to Qt, but its paints are swallowed below

    class NoPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            return event.type() == QEvent.Type.Paint

    blocker = NoPaint()
    window.installEventFilter(blocker)
    qtbot.waitUntil(lambda: window.adapter.engine.pid is not None, timeout=2_000)
    window.close()
