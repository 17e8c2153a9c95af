"""The benchmark's --only: the sections it names run, a name it does not know is refused."""

from __future__ import annotations

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
