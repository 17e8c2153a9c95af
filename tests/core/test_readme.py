"""README's Python example runs and prints what its comments say."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_python_api_example_prints_what_it_says() -> None:
    code = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert code is not None
    result = subprocess.run(
        [sys.executable, "-c", code.group(1)], capture_output=True, text=True, check=True
    )
    lines = result.stdout.splitlines()
    assert lines[:4] == ["32*x*cos(16*x^2)", "6*x^5", "[2.0, -8.0]", "y = 3x - 2.25"]
    assert abs(float(lines[4]) - 6.0) < 1e-8
    assert [line.split()[:2] for line in lines[5:8]] == [
        ["1.0", "3.0"],
        ["0.1", "2.100000000000002"],
        ["0.01", "2.0100000000000007"],
    ]
    assert lines[8] == "[5.   4.   3.2  2.56]"
    assert lines[9] == "diverging"
