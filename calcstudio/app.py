"""Start CalcStudio: build the QApplication and the main window; the command line.

``calcstudio [--lesson KEY] [FUNCTION]`` opens the window (on that lesson's tab, with FUNCTION
if given). ``calcstudio --screenshot out.png [--size 1200x800] [--lesson KEY] [FUNCTION]``
renders the window offscreen to a PNG and exits: 0 on success, 2 at once with the reason on
stderr if FUNCTION cannot be read or shown.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QWidget

    from calcstudio.core.engine import EngineResult
    from calcstudio.ui.window.main_window import MainWindow

APP_NAME = "CalcStudio"
SCREENSHOT_TIMEOUT = 60.0
"""Seconds to wait for the worker's first answer (a cold start imports sympy) before a
screenshot is taken without the typeset formulas."""
SETTLE_ROUNDS = 20
"""Rounds of events a screenshot waits after the last answer, so every layout has settled."""
SETTLE_TIMEOUT = 20.0
"""Seconds to wait, once the formulas are in, for the lesson to settle (the area lesson's
integral from the worker) before the picture is taken as it is."""
LESSON_KEYS = ("tangent", "descent", "surface", "fit", "chain", "area", "newton")
"""The lessons' keys, in tab order (checked against ``ui.window.lessons`` by a test; kept here
so ``--help`` does not import Qt)."""


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
        "--lesson",
        choices=LESSON_KEYS,
        help="open on this lesson's tab (with its first preset if no FUNCTION is given)",
    )
    parser.add_argument(
        "--screenshot",
        metavar="PNG",
        help="render the window offscreen to this PNG file and exit",
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
        return _screenshot(args.function, args.screenshot, args.size, args.lesson)
    return _run_window(args.function, args.lesson)


def recovery_directory() -> str:
    """Where autosaves live: ``recovery`` in the app's data folder (QApplication names set)."""
    from PySide6.QtCore import QStandardPaths

    location = QStandardPaths.StandardLocation.AppDataLocation
    return os.path.join(QStandardPaths.writableLocation(location), "recovery")


def _open(window: MainWindow, function: str | None, lesson: str | None) -> None:
    """Show ``lesson`` (if given) with ``function``, or with the lesson's first preset."""
    if lesson is not None:
        window.show_lesson(lesson)
        if not function and window.current_lesson().show_first_preset():
            return
    if function:
        window.set_function_text(function, fit=True)


def _run_window(function: str | None, lesson: str | None) -> int:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    from calcstudio.ui.window.main_window import MainWindow

    window = MainWindow(settings=QSettings(APP_NAME, APP_NAME))
    _open(window, function, lesson)
    fit_to_screen(window)
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


def fit_to_screen(window: QWidget) -> None:
    """Shrink ``window`` to the screen's free area if it is larger (the default 1280×800 on
    a 1024×640 screen would open with its side panel off the screen)."""
    screen = window.screen()
    if screen is None:
        return
    free = screen.availableGeometry()
    if window.width() > free.width() or window.height() > free.height():
        window.resize(min(window.width(), free.width()), min(window.height(), free.height()))


def _screenshot(function: str | None, path: str, size: tuple[int, int], lesson: str | None) -> int:
    if not function and lesson is None:
        print('calcstudio: --screenshot needs a function, e.g. "x^2", or --lesson', file=sys.stderr)
        return 2
    if function:
        problem = _unreadable(function)
        if problem is not None:
            print(f"calcstudio: cannot show {function!r}: {problem}", file=sys.stderr)
            return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    _hide_offscreen_notice()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    from calcstudio.ui.window.main_window import MainWindow

    window = MainWindow(settings=None)
    window.resize(*size)
    window.show()
    answers: list[EngineResult] = []
    window.adapter.resultReady.connect(answers.append)
    _open(window, function, lesson)
    text = window.editor.text()
    # The worker checks what only sympy finds (a division by zero) and typesets the formulas
    # (a lesson's own too, such as the chain rule's steps, asked for once the answer is in);
    # if it takes too long, the picture is taken without the formulas.
    deadline = time.monotonic() + SCREENSHOT_TIMEOUT
    while time.monotonic() < deadline and (
        not any(answer.text == text for answer in answers) or window.adapter.engine.busy
    ):
        app.processEvents()
        time.sleep(0.005)
    answer = next((answer for answer in answers if answer.text == text), None)
    if answer is not None and answer.status == "error":
        print(f"calcstudio: cannot show {text!r}: {answer.message}", file=sys.stderr)
        window.close()
        return 2
    if answer is None or not answer.ok:
        print("calcstudio: the formulas took too long; the picture has none", file=sys.stderr)
    waiting = wait_until_settled(app, window, SETTLE_TIMEOUT)
    if waiting is not None:
        print(
            f"calcstudio: {waiting} took too long; the picture shows it still being worked out",
            file=sys.stderr,
        )
    window.plot.resample_now()
    for _ in range(SETTLE_ROUNDS):  # a picture that came last re-lays out its panel, level by level
        app.processEvents()
    saved = window.grab().save(path, "PNG")
    window.close()
    if not saved:
        print(f"calcstudio: could not write {path}", file=sys.stderr)
        return 1
    return 0


def wait_until_settled(app: QCoreApplication, window: MainWindow, seconds: float) -> str | None:
    """Handle events until the current lesson has settled (:meth:`Lesson.pending` is None)
    or ``seconds`` have passed; returns what it was still working out then, or None."""
    lesson = window.current_lesson()
    deadline = time.monotonic() + seconds
    while lesson.pending() is not None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    return lesson.pending()


def _hide_offscreen_notice() -> None:
    """Drop the offscreen platform's "does not support propagateSizeHints()" notice.

    It says only that a headless screen has no window manager to tell about sizes; every
    other message still reaches stderr.
    """
    from PySide6.QtCore import qFormatLogMessage, qInstallMessageHandler

    def handler(mode: object, context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(qFormatLogMessage(mode, context, message), file=sys.stderr)

    qInstallMessageHandler(handler)


def _unreadable(function: str) -> str | None:
    """Why ``function`` cannot be shown by any lesson, at once (no sympy), or None."""
    from calcstudio.core.language import ParseError, parse_tree

    try:
        tree = parse_tree(function)
    except ParseError as error:
        return str(error)
    from calcstudio.ui.window.lessons import unshowable

    return unshowable(tree.variables)
