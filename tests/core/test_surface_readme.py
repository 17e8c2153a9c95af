"""README's surface example runs and prints what its comments say."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_surface_example_prints_what_it_says() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Two variables: the surface lesson") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    result = subprocess.run(
        [sys.executable, "-c", code.group(1)], capture_output=True, text=True, check=True
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "9.0 [2.0, -8.0] [[2.0, 0.0], [0.0, 4.0]]"
    assert lines[1] == "(400, 400) 12"
    kinds = [word.strip(" '") for word in lines[2].strip("[]").split(",")]
    assert kinds.count("minimum") == 4 and kinds.count("maximum") == 1
    assert kinds.count("saddle") == 4
    assert lines[3] == "w ← w − η·∇L = (1, −2) − 0.1·(2, −8) = (0.8, −1.2)"
    assert lines[4] == "zigzag 20"
