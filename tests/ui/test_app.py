"""The command line: ``calcstudio --screenshot`` and a bad function."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

from calcstudio.ui.widgets import palette


def run_calcstudio(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "calcstudio", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def pixels(path: Path) -> np.ndarray:
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    # Copied: the buffer belongs to the QImage, which is gone once this returns.
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(height, image.bytesPerLine())
    return data[:, : width * 4].reshape(height, width, 4)[:, :, 2::-1].copy()  # BGRA -> RGB


def count_colour(rgb: np.ndarray, colour: str, tolerance: float = 30.0) -> int:
    """Pixels of ``colour`` drawn on white, antialiased edges (at least half ink) included."""
    target = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    white = np.full(3, 255.0)
    pixels = rgb.reshape(-1, 3).astype(float)
    # How far along the line from white to the colour each pixel is, and how far off it.
    direction = target - white
    ink = (pixels - white) @ direction / (direction @ direction)
    off = np.linalg.norm(pixels - (white + np.outer(ink, direction)), axis=1)
    return int(np.count_nonzero((ink >= 0.5) & (off < tolerance)))


def test_formulas_that_just_need_the_scroll_bar_do_not_crash_the_window(tmp_path: Path) -> None:
    # At 1200x800 these formulas were a scroll bar's width too tall: the bar came, the rows
    # narrowed and shrank, the bar went, the rows widened and grew, each resize inside the
    # last, until the window crashed (segmentation fault, exit code -11).
    out = tmp_path / "window.png"
    text = "x^9/9 - 3x^8 + 5x^7 - 7x^6 + 9x^5 - 11x^4 + 13x^3 - 15x^2 + 17x + sin(x)"
    result = run_calcstudio("--screenshot", str(out), "--size", "1200x800", text)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 0


def test_screenshot_shows_the_curves_in_their_colours(qapp, tmp_path: Path) -> None:
    # qapp: reading the PNG back with QImage needs a QGuiApplication in this process.
    out = tmp_path / "window.png"
    result = run_calcstudio("--screenshot", str(out), "--size", "1000x700", "x^2")
    assert result.returncode == 0, result.stderr
    rgb = pixels(out)
    assert rgb.shape[:2] == (700, 1000)
    plot = rgb[:, : rgb.shape[1] // 2]  # the plot's side of the window, not the formulas
    for colour in (palette.FUNCTION, palette.DERIVATIVE, palette.TANGENT, palette.SECANT):
        assert count_colour(plot, colour) > 150, colour


def test_screenshot_of_a_bad_function_fails_with_the_parse_error(tmp_path: Path) -> None:
    out = tmp_path / "never.png"
    result = run_calcstudio("--screenshot", str(out), "sinx")
    assert result.returncode != 0
    assert "sin(x)" in result.stderr  # the suggestion
    assert not out.exists()


def test_bad_size_is_refused() -> None:
    result = run_calcstudio("--screenshot", "x.png", "--size", "huge", "x^2")
    assert result.returncode != 0
    assert "1200x800" in result.stderr


def test_a_polite_kill_closes_the_window_and_keeps_the_session(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path),
        "XDG_DATA_HOME": str(data),
    }
    app = subprocess.Popen(
        [sys.executable, "-m", "calcstudio", "tanh(x)"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The autosave's lock appears once the window is up, just before the signal handlers
        # are installed; waiting for it (not a fixed sleep) keeps the test true under load.
        deadline = time.monotonic() + 60.0
        while not list(data.rglob("*.lock")) and time.monotonic() < deadline:
            assert app.poll() is None, app.stderr.read() if app.stderr else ""
            time.sleep(0.1)
        assert list(data.rglob("*.lock")), "the window never started its autosave"
        time.sleep(0.5)
        assert app.poll() is None, app.stderr.read() if app.stderr else ""
        app.send_signal(signal.SIGTERM)
        _, errors = app.communicate(timeout=30)
    finally:
        if app.poll() is None:
            app.kill()
    assert app.returncode == 0, errors
    assert "Traceback" not in errors
    settings = (tmp_path / "CalcStudio" / "CalcStudio.conf").read_text(encoding="utf-8")
    assert "tanh(x)" in settings


def test_lesson_keys_of_the_command_line_are_the_windows_lessons() -> None:
    from calcstudio.app import LESSON_KEYS
    from calcstudio.ui.window.lessons import LESSONS

    assert tuple(lesson.key for lesson in LESSONS) == LESSON_KEYS


def test_readme_names_every_lesson_key() -> None:
    from calcstudio.app import LESSON_KEYS

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    sentence = readme.split("`--lesson` takes the key of a lesson:")[1].split(".")[0]
    assert [key for key in LESSON_KEYS if f"`{key}`" in sentence] == list(LESSON_KEYS)


def test_screenshot_of_a_lesson_opens_its_tab(qapp, tmp_path: Path) -> None:
    out = tmp_path / "descent.png"
    result = run_calcstudio("--screenshot", str(out), "--lesson", "descent", "x^2")
    assert result.returncode == 0, result.stderr
    rgb = pixels(out)
    # The descent tab draws its ball (and the loss plot); the tangent lesson's secant is hidden.
    assert count_colour(rgb, palette.DESCENT) > 30
    assert count_colour(rgb, palette.SECANT) < 30


def test_screenshot_of_a_function_no_lesson_shows_fails_at_once(tmp_path: Path) -> None:
    out = tmp_path / "never.png"
    began = time.monotonic()
    result = run_calcstudio("--screenshot", str(out), "a + b + c")
    assert result.returncode == 2
    assert "3 variables (a, b, c)" in result.stderr
    assert time.monotonic() - began < 10  # no waiting for the worker
    assert not out.exists()


def test_unknown_lesson_is_refused_with_the_choices() -> None:
    result = run_calcstudio("--lesson", "nonsense", "x^2")
    assert result.returncode == 2
    assert "tangent" in result.stderr and "descent" in result.stderr


def test_screenshot_of_a_function_whose_formulas_take_too_long_is_still_taken(
    tmp_path: Path,
) -> None:
    out = tmp_path / "slow.png"
    product = "*".join(f"sin({k}x)" for k in range(1, 41))  # sympy needs far more than 2 s
    began = time.monotonic()
    result = run_calcstudio("--screenshot", str(out), product)
    assert result.returncode == 0, result.stderr
    assert "the formulas took too long" in result.stderr
    assert out.exists() and out.stat().st_size > 10_000
    assert time.monotonic() - began < 60


def test_the_window_is_shrunk_to_a_small_screen(qtbot, engine, tmp_path: Path) -> None:
    from calcstudio.app import fit_to_screen
    from tests.ui.window_helpers import open_window

    window = open_window(qtbot, engine, tmp_path)
    free = window.screen().availableGeometry()
    window.resize(free.width() + 400, free.height() + 300)  # as the default on a small screen
    fit_to_screen(window)
    assert window.width() <= free.width() and window.height() <= free.height()
