"""The benchmark's --only: the sections it names run, a name it does not know is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from calcstudio.benchmark.__main__ import SECTIONS, build_parser


def test_an_unknown_section_is_refused_with_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--only", "descnet"])
    error = capsys.readouterr().err
    assert "invalid choice: 'descnet'" in error and "descent" in error


def test_the_help_lists_the_sections() -> None:
    text = " ".join(build_parser().format_help().split())
    assert ", ".join(SECTIONS) in text
    assert SECTIONS == (
        "start",
        "keystroke",
        "pan",
        "soak",
        "descent",
        "surface",
        "fit",
        "chain",
        "area",
    )


def test_window_start_is_timed_with_cached_bytecode_kept_out_of_the_checkout(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import calcstudio
    from calcstudio.benchmark.__main__ import _startup
    from calcstudio.benchmark.budgets import Budgets

    # As in this project's sandbox: a checkout whose runs write no bytecode beside the code.
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    package = Path(calcstudio.__file__).parent
    before = sorted(package.rglob("*.pyc"))
    budgets = Budgets()
    _startup(budgets, runs=1)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and "bytecode cached, as installed" in lines[0]  # one timed start
    (figure,) = budgets.figures
    assert figure.name == "window start to first paint, median" and figure.measured_ms > 0
    assert sorted(package.rglob("*.pyc")) == before  # the cache was a private directory


def test_dragging_the_point_on_a_surface_is_timed_the_notebook_way_too() -> None:
    from calcstudio.benchmark import surface

    times = surface._matplotlib_drag()  # map, point, arrow, two slices: a full Agg redraw each
    assert len(times) == surface.SAMPLES // 3 and min(times) > 0
