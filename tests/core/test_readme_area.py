"""README's area, differences and Newton example runs and prints what its comments say."""

from __future__ import annotations

import math
import re
import subprocess
import sys

from tests.core.test_readme import README


def test_the_area_example_prints_what_it_says() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    code = next(block for block in blocks if "riemann_sum" in block)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "0.2734375"
    assert abs(float(lines[1]) + 2) < 0.01
    assert lines[2] == "diverges"
    assert float(lines[3]) == math.pi / 2
    assert lines[4] == "x^3/3 9"
    assert lines[5] == "[ 2. -8.]"
    assert abs(float(lines[6]) - math.cos(1)) < 1e-10
    assert lines[7] == "['2.0000000000', '-8.000000000']"
    forward, central = (float(v) for v in lines[8].split())
    assert abs(forward - 1) < 0.1 and abs(central - 2) < 0.1
    assert lines[9].startswith("converged 1.41421356237")
