"""Window start to first paint: run as a fresh process by the benchmark.

Prints one line, ``first-paint <seconds since this module began>``, then exits.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import os  # noqa: E402
import sys  # noqa: E402


def main() -> int:
    """Open the window, wait for its first paint, print the time, close."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from calcstudio.ui.window.main_window import MainWindow

    window = MainWindow(settings=None)
    painted: list[float] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.perf_counter())
            return False

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    window.show()
    while not painted:
        app.processEvents()
    app.processEvents()  # let the first paint finish
    print(f"first-paint {time.perf_counter() - STARTED:.3f}", flush=True)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
