"""Start CalcStudio: build the QApplication and the main window; the command line.

``calcstudio [FUNCTION]`` opens the window (with FUNCTION if given).
``calcstudio --screenshot out.png [--size 1200x800] FUNCTION`` renders the window offscreen to
a PNG and exits: 0 on success, 2 with the parse error on stderr if FUNCTION is not valid.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import time
from collections.abc import Sequence

APP_NAME = "CalcStudio"
SCREENSHOT_TIMEOUT = 30.0
"""Seconds to wait for the worker's first result before a screenshot gives up."""


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", text)
    if match is None:
        raise argparse.ArgumentTypeError(f"size must look like 1200x800, not {text!r}")
    width, height = int(match.group(1)), int(match.group(2))
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 8000 pixels")
    return width, height


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(
        prog="calcstudio",
        description="See the calculus behind machine learning: a function, its derivative, "
        "a tangent, a secant and gradient descent, live.",
    )
    parser.add_argument("function", nargs="?", help='the function to open, e.g. "sin(x)"')
    parser.add_argument(
        "--screenshot",
        metavar="PNG",
        help="render the window offscreen to this PNG file and exit (needs FUNCTION)",
    )
    parser.add_argument(
        "--size",
        type=_size,
        default=(1200, 800),
        metavar="WxH",
        help="window size for --screenshot (default 1200x800)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run CalcStudio; returns the process exit code."""
    args = build_parser().parse_args(argv)
    if args.screenshot:
        return _screenshot(args.function, args.screenshot, args.size)
    return _run_window(args.function)


def recovery_directory() -> str:
    """Where autosaves live: ``recovery`` in the app's data folder (QApplication names set)."""
    from PySide6.QtCore import QStandardPaths

    location = QStandardPaths.StandardLocation.AppDataLocation
    return os.path.join(QStandardPaths.writableLocation(location), "recovery")


def _run_window(function: str | None) -> int:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    from calcstudio.ui.window.main_window import MainWindow

    window = MainWindow(settings=QSettings(APP_NAME, APP_NAME))
    if function:
        window.set_function_text(function, fit=True)
    window.show()
    window.files.keep_safe(recovery_directory())
    # Ctrl+C in the terminal, or a polite kill, closes the window as its close button
    # would, so the session is saved. Python runs signal handlers only between bytecodes:
    # the timer lets it in while Qt's loop waits.
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: app.closeAllWindows())
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(200)
    return app.exec()


def _screenshot(function: str | None, path: str, size: tuple[int, int]) -> int:
    if not function:
        print('calcstudio: --screenshot needs a function, e.g. "x^2"', file=sys.stderr)
        return 2
    # Full check (including what only the symbolic stage finds, such as division by zero).
    from calcstudio.core.function import parse
    from calcstudio.core.language import ParseError

    try:
        parse(function)
    except ParseError as error:
        print(f"calcstudio: cannot read {function!r}: {error}", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    from calcstudio.ui.window.main_window import MainWindow

    window = MainWindow(settings=None)
    window.resize(*size)
    window.show()
    window.set_function_text(function, fit=True)
    deadline = time.monotonic() + SCREENSHOT_TIMEOUT
    while window.last_result is None or window.last_result.text != function:
        if time.monotonic() > deadline:
            print("calcstudio: the maths engine did not answer in time", file=sys.stderr)
            window.close()
            return 1
        app.processEvents()
        time.sleep(0.005)
    window.plot.resample_now()
    app.processEvents()
    saved = window.grab().save(path, "PNG")
    window.close()
    if not saved:
        print(f"calcstudio: could not write {path}", file=sys.stderr)
        return 1
    return 0
