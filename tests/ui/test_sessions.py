"""Session files, the title, remembered settings, autosave and crash recovery, through the
real window (offscreen) and a real app process that is killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

import calcstudio
from calcstudio.core.engine import Engine
from calcstudio.core.session_file import Session
from calcstudio.ui.window.main_window import MainWindow


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, engine: Engine, settings: QSettings) -> MainWindow:
    shown = MainWindow(engine=engine, settings=settings)
    qtbot.addWidget(shown)
    shown.resize(1200, 800)
    shown.show()
    qtbot.waitExposed(shown)
    wait_for_result(qtbot, shown, "x^2")
    return shown


def wait_for_result(qtbot, window: MainWindow, text: str) -> None:
    qtbot.waitUntil(
        lambda: window.last_result is not None and window.last_result.text == text, timeout=20000
    )


def answer_dialog(button_text: str | None = None) -> list[str]:
    """Answer the next modal message box: press ``button_text`` (or close it); its text is
    appended to the returned list."""
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, answer)
            return
        seen.append(box.text())
        if button_text is None:
            box.close()
            return
        (button,) = [b for b in box.findChildren(QPushButton) if b.text() == button_text]
        button.click()

    QTimer.singleShot(50, answer)
    return seen


def opened(window: MainWindow, path: Path) -> tuple[bool, list[str]]:
    seen = answer_dialog()
    result = window.open_session_file(str(path))
    return result, seen


# --- opening and saving ---------------------------------------------------------


def test_wrong_fields_are_named_and_the_rest_is_opened(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    window.set_point(0.5)
    path = tmp_path / "half.calcstudio"
    data = {"function": "cos(x)", "point": "abc", "step": 0.25, "x_range": [3, -3]}
    path.write_text(json.dumps(data))
    ok, seen = opened(window, path)
    assert ok
    assert seen == [
        "half.calcstudio was opened, but these parts of it were wrong and were left as they "
        "were:\n\n• the point a (point): 'abc' is not a number\n• the view's x range "
        "(x_range): [3, -3] is not a range from low to high within ±10¹² (and at least 10⁻⁹ wide)"
    ]
    assert window.editor.text() == "cos(x)"
    assert window.point == 0.5  # kept, not silently replaced by a default
    assert window.tangent_panel.step() == 0.25
    wait_for_result(qtbot, window, "cos(x)")
    assert window.formulas.shown_texts()[0] == "f(x) = cos(x)"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            '{"function": "sin(", "point": 2}',
            "The function in bad.calcstudio, 'sin(', cannot be read",
        ),
        ("[" * 100_000, "nests more than 40 levels deep"),
        ('{"function": "x^2", "point": 1' + "0" * 5000 + "}", None),
        ("\ufeff{not json", "is not JSON"),
    ],
)
def test_a_file_that_cannot_be_used_changes_nothing(
    qtbot, window: MainWindow, tmp_path: Path, content: str, reason: str | None
) -> None:
    window.show_second_derivative(True)
    window.second_derivative_action.setChecked(True)
    window.set_function_text("tanh(x)")
    wait_for_result(qtbot, window, "tanh(x)")
    formulas = window.formulas.shown_texts()
    assert len(formulas) == 3  # f, f′ and f″
    path = tmp_path / "bad.calcstudio"
    path.write_text(content, encoding="utf-8")
    ok, seen = opened(window, path)
    if reason is None:  # a huge number: the file opens, and the field is named
        assert ok and "the point a (point): a number of 5,001 digits is too large" in seen[0]
    else:
        assert not ok and reason in seen[0]
    assert window.editor.text() == ("x^2" if reason is None else "tanh(x)")
    if reason is not None:
        assert window.formulas.shown_texts() == formulas


def test_dev_zero_is_refused_at_once(window: MainWindow) -> None:
    ok, seen = opened(window, Path("/dev/zero"))
    assert not ok and seen == ["zero is not a file that holds a session."]


def test_the_title_names_the_file_and_marks_changes(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    assert window.windowTitle() == "CalcStudio"
    path = tmp_path / "lesson.calcstudio"
    assert window.save_session_file(str(path))
    assert window.windowTitle() == "lesson.calcstudio[*] — CalcStudio"
    assert not window.isWindowModified()
    window.set_function_text("sin(x)")
    qtbot.waitUntil(window.isWindowModified, timeout=5000)
    window.set_function_text("x^2")  # back as the file has it
    qtbot.waitUntil(lambda: not window.isWindowModified(), timeout=5000)
    window.set_point(2.0)
    qtbot.waitUntil(window.isWindowModified, timeout=5000)
    assert window.save_session_file(str(path))
    assert not window.isWindowModified()
    assert json.loads(path.read_text())["point"] == 2.0


def test_a_failed_save_says_why_and_keeps_the_title(window: MainWindow, tmp_path: Path) -> None:
    seen = answer_dialog()
    assert not window.save_session_file(str(tmp_path / "missing" / "s.calcstudio"))
    assert seen == ["Could not save s.calcstudio: no such file or directory."]
    assert window.windowTitle() == "CalcStudio" and window.session_path is None


# --- remembered settings ---------------------------------------------------------


@pytest.mark.parametrize(
    "remembered",
    [
        '{"function": "x^3", "point": 1' + "0" * 5000 + "}",
        "[" * 100_000,
        '{"function": "x^3", "x_range": [-1e308, 1e308], "step": "abc"}',
        "not json at all",
    ],
)
def test_bad_remembered_values_never_stop_the_app_starting(
    qtbot, engine: Engine, settings: QSettings, remembered: str
) -> None:
    settings.setValue("session", remembered)
    settings.setValue("geometry", b"\x00garbage")
    settings.setValue("splitter/main", 12345)
    settings.sync()
    started = MainWindow(engine=engine, settings=settings)
    qtbot.addWidget(started)
    started.show()
    expected = "x^3" if remembered.startswith('{"function"') else "x^2"
    assert started.editor.text() == expected
    assert started.plot.view_x_range()[1] - started.plot.view_x_range()[0] < 1e12
    assert started.tangent_panel.step() == Session().step
    started.close()


# --- autosave and recovery ---------------------------------------------------------


def test_autosave_keeps_the_session_a_moment_after_each_change(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    directory = tmp_path / "recovery"
    window.files.keep_safe(directory)  # nothing to recover: no dialog
    path = window.files.keeper.autosave_path
    assert path is not None and path.parent == directory

    def autosaved() -> dict:
        window.files.keeper.wait_for_autosave()
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    window.set_function_text("exp(-x^2)")
    qtbot.waitUntil(lambda: autosaved().get("function") == "exp(-x^2)", timeout=5000)
    window.set_point(-1.25)
    qtbot.waitUntil(lambda: autosaved().get("point") == -1.25, timeout=5000)
    window.close()  # a clean exit: nothing to recover next time
    assert list(directory.iterdir()) == []


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _wait(condition: Callable[[], bool], seconds: float, what: str) -> None:
    stop = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < stop, what
        time.sleep(0.1)


@pytest.mark.skipif(not Path("/proc").exists(), reason="finds the worker in /proc")
def test_after_a_kill_the_next_start_offers_the_session_back(
    qtbot, engine: Engine, settings: QSettings, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "PYTHONPATH": str(Path(calcstudio.__file__).parents[1]),
    }
    app = subprocess.Popen(
        [sys.executable, "-m", "calcstudio", "tanh(x) + x/4"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:

        def autosaves() -> list[Path]:
            return list((tmp_path / "data").rglob("autosave-*.calcstudio"))

        def saved_function() -> bool:
            files = autosaves()
            return bool(files) and "tanh(x) + x/4" in files[0].read_text(encoding="utf-8")

        _wait(saved_function, 60, "the running app never autosaved")
        # The symbolic worker (and multiprocessing's resource tracker): started once the
        # window's first frame is drawn, which may come after the first autosave.
        _wait(lambda: bool(_children(app.pid)), 10, "the app never started its worker")
        workers = _children(app.pid)
        app.send_signal(signal.SIGKILL)
        app.wait(10)
    finally:
        if app.poll() is None:
            app.kill()
    assert app.returncode == -signal.SIGKILL
    # Nothing of the killed app keeps running: its worker exits by itself.
    _wait(lambda: not any(_alive(pid) for pid in workers), 10, "an orphan kept running")
    (left,) = autosaves()
    # The next start: the same call the app makes once its window is up.
    window = MainWindow(engine=engine, settings=settings)
    qtbot.addWidget(window)
    window.show()
    seen = answer_dialog("Restore")
    window.files.keep_safe(left.parent)
    assert seen and seen[0].startswith("CalcStudio did not close properly last time.")
    assert "with f = tanh(x) + x/4?" in seen[0]
    assert window.editor.text() == "tanh(x) + x/4"
    wait_for_result(qtbot, window, "tanh(x) + x/4")
    # The old autosave is gone; this run keeps its own.
    assert autosaves() == [window.files.keeper.autosave_path]
    window.close()
    assert autosaves() == []


def test_starting_afresh_discards_the_old_autosave(
    qtbot, engine: Engine, settings: QSettings, tmp_path: Path
) -> None:
    orphan = tmp_path / "autosave-999999999.calcstudio"  # no such process: not locked
    orphan.write_text(Session(function="cosh(x)").to_json(), encoding="utf-8")
    window = MainWindow(engine=engine, settings=settings)
    qtbot.addWidget(window)
    window.show()
    seen = answer_dialog("Start afresh")
    window.files.keep_safe(tmp_path)
    assert seen and "with f = cosh(x)?" in seen[0]
    assert window.editor.text() == "x^2"
    assert not orphan.exists()
    window.close()


def test_the_lesson_on_show_and_the_lessons_states_are_kept(
    qtbot, engine: Engine, settings: QSettings, tmp_path: Path
) -> None:
    first = MainWindow(engine=engine, settings=settings)
    qtbot.addWidget(first)
    first.show()
    first.show_lesson("chain")
    path = tmp_path / "chain.calcstudio"
    assert first.save_session_file(str(path))
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["lesson"] == "chain"
    assert saved["lessons"]["chain"] == first.lesson("chain").state()
    first.close()
    second = MainWindow(engine=engine, settings=settings)
    qtbot.addWidget(second)
    second.show()
    assert second.current_lesson().key == "chain"
    second.show_lesson("tangent")
    assert second.open_session_file(str(path))
    assert second.current_lesson().key == "chain"
    second.close()


def test_a_session_on_the_line_fit_opens_on_the_line_fit(qtbot, window: MainWindow) -> None:
    # The line fit has data of its own: f (one variable) would move the window to a lesson
    # that shows it, had the function been set after the lesson was shown.
    window.restore(Session(function="x^4 - 3x^2 + 2x", lesson="fit"))
    qtbot.wait(200)
    assert window.current_lesson().key == "fit"
    assert window.editor.text() == "x^4 - 3x^2 + 2x"
    window.restore(Session(function="x^2 + y^2", lesson="surface"))
    qtbot.wait(200)
    assert window.current_lesson().key == "surface"


def test_export_png_to_a_name_without_png_writes_name_png(
    window: MainWindow, tmp_path: Path
) -> None:
    assert window.menus.export_png_to(str(tmp_path / "slide"))
    image = QImage(str(tmp_path / "slide.png"))
    assert image.width() > 100 and image.height() > 100
    assert window.statusBar().currentMessage() == f"Exported {tmp_path / 'slide.png'}"
    assert window.menus.export_png_to(str(tmp_path / "Slide.PNG"))
    assert sorted(p.name for p in tmp_path.glob("*lide*")) == ["Slide.PNG", "slide.png"]


def test_the_runs_settings_come_back_from_a_file(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.show_lesson("descent")
    panel = window.descent_panel
    chooser = panel.chooser
    panel.place_ball(2.5)
    chooser.set_value("adam", "learning_rate", 0.05)
    chooser.set_current("adam")
    chooser.set_race(["gd", "adam", "newton"])
    panel.max_steps_spin.setValue(1234)
    path = tmp_path / "race.calcstudio"
    assert window.save_session_file(str(path))

    chooser.load("gd", 0.1, None)  # everything back to the defaults
    panel.place_ball(-1.0)
    panel.max_steps_spin.setValue(500)
    window.show_lesson("tangent")
    assert window.open_session_file(str(path))
    assert window.current_lesson().key == "descent"
    assert panel.start == 2.5
    assert chooser.current_key() == "adam"
    assert chooser.values["adam"]["learning_rate"] == 0.05
    assert chooser.racing() and chooser.runners() == ["gd", "adam", "newton"]
    assert panel.max_steps_spin.value() == 1234
    panel.step()
    assert [key for key, _ in panel.runs] == ["gd", "adam", "newton"]
    assert all(run.step_count == 1 for _, run in panel.runs)


def test_wrong_run_settings_are_left_out(qtbot, window: MainWindow, tmp_path: Path) -> None:
    lesson = window.lesson("descent")
    lesson.restore_state(
        {
            "start": "far",
            "optimizer": "sgd++",
            "values": {"adam": {"learning_rate": -3.0, "beta1": 0.8}},
            "race": ["gd", "nonsense"],
            "max_steps": 1e12,
        }
    )
    chooser = window.descent_panel.chooser
    assert chooser.current_key() == "gd" and not chooser.racing()
    assert chooser.values["adam"]["learning_rate"] == 0.1  # refused: a negative rate
    assert chooser.values["adam"]["beta1"] == 0.8
    assert window.descent_panel.max_steps_spin.value() == 100_000
    assert window.descent_panel.start == 1.0


def test_a_lesson_state_that_cannot_be_saved_is_said_not_raised(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.files.keep_safe(tmp_path / "recovery")
    lesson = window.lesson("descent")
    monkeypatch.setattr(lesson, "state", lambda: {"start": float("nan")})
    window.files.keeper.check()
    assert window.statusBar().currentMessage() == (
        "Autosave failed: a lesson's settings hold a number that is not finite"
    )
    seen = answer_dialog()
    assert not window.save_session_file(str(tmp_path / "s.calcstudio"))
    assert seen == [
        "Could not save s.calcstudio: a lesson's settings hold a number that is not finite."
    ]
    window.set_function_text("cos(x)")
    window.close()  # the rest of the session is still remembered
    assert json.loads(window.settings.value("session"))["function"] == "cos(x)"
