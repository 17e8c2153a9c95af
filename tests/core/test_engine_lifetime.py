"""The worker's lifetime: recycled when worn, gone when its parent is gone (real processes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import calcstudio
from calcstudio.core.engine import Engine

# Sympy needs about 18 s to differentiate and typeset 58 nested sines (measured here).
SLOWER_TEXT = "sin(" * 58 + "x" + ")" * 58


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie nobody has reaped yet counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state not in ("Z", "X")


def test_a_worn_worker_is_replaced_between_requests_by_a_warm_one() -> None:
    with Engine(max_requests=3) as engine:
        first = engine.pid
        texts = [f"x^{k} + sin({k}x)" for k in range(1, 40)]
        answers = 0
        for text in texts:
            result = engine.compute(text)
            answers += 1
            assert result.ok, result.message
            assert result.function is not None and result.function.text
            if engine.pid != first:
                break
            time.sleep(0.1)  # give the spare time to import sympy, as a learner's pauses do
        else:
            pytest.fail("the worker was never replaced")
        # The fresh worker took over ready: the request after the swap did not wait for sympy.
        assert engine.ready
        assert answers > 3  # not before its budget was used
        assert not alive(first)
        assert engine.compute("x^3").derivative.text == "3*x^2"


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="memory is read from /proc")
def test_a_worker_over_its_memory_budget_is_replaced() -> None:
    # Every worker is over 1 MB, so one answer is enough to start its replacement.
    with Engine(max_memory_mb=1.0) as engine:
        first = engine.pid
        engine.compute("x^2")
        stop = time.monotonic() + 60
        while engine.pid == first:
            assert time.monotonic() < stop, "the worker was never replaced"
            assert engine.compute("cos(x)").ok
            time.sleep(0.1)
        assert engine.ready
        assert not alive(first)


def test_close_also_stops_a_spare_worker() -> None:
    engine = Engine(max_requests=1)
    engine.start()
    engine.compute("x")  # one answer: a spare starts
    time.sleep(0.5)  # until it has become a Python of its own
    children = {int(pid) for pid in _children(os.getpid())}
    engine.close()
    assert len(children) == 2  # the worker and its spare
    assert not any(alive(pid) for pid in children)


def _children(pid: int) -> list[str]:
    """Worker processes started by ``pid`` (not multiprocessing's resource tracker)."""
    found: list[str] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += (task / "children").read_text().split()
    return [child for child in found if b"spawn_main" in _command_line(child)]


def _command_line(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


ORPHAN_PARENT = f"""
import sys, time
from calcstudio.core.engine import Engine
if __name__ == "__main__":
    engine = Engine(deadline=600)
    engine.compute("x")
    engine.submit({SLOWER_TEXT!r})
    print(engine.pid, flush=True)
    time.sleep(600)
"""


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads worker states from /proc")
def test_the_worker_exits_when_its_parent_is_killed_mid_computation(tmp_path: Path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(ORPHAN_PARENT)
    # This checkout's calcstudio, whatever else is installed.
    env = {**os.environ, "PYTHONPATH": str(Path(calcstudio.__file__).parents[1])}
    parent = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        time.sleep(1.0)  # deep in sympy by now (the slow text needs seconds)
        assert alive(worker)
        cpu_before = _cpu_ticks(worker)
        time.sleep(0.5)
        assert _cpu_ticks(worker) > cpu_before  # it is computing, not waiting on its pipe
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        stop = time.monotonic() + 5  # its computation would go on for seconds more
        while alive(worker):
            assert time.monotonic() < stop, "the orphaned worker kept running"
            time.sleep(0.05)
    finally:
        if parent.poll() is None:
            parent.kill()


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def test_a_spare_that_cannot_start_in_time_is_dropped_and_the_worker_goes_on() -> None:
    with Engine(max_requests=1) as engine:
        engine.compute("x")  # one answer: a spare is starting
        # Only until it shows: a spare warms up in about half a second now, and a ready one
        # would take over.
        deadline = time.monotonic() + 5
        while True:
            spares = [int(pid) for pid in _children(os.getpid()) if int(pid) != engine.pid]
            if spares or time.monotonic() > deadline:
                break
            time.sleep(0.01)
        assert len(spares) == 1
        engine.startup_timeout = 0.0  # it cannot be ready in no time
        worker = engine.pid
        result = engine.compute("x^2")
        assert result.ok and engine.pid == worker  # the old worker answered
        _ = engine.poll()
        assert not alive(spares[0])


def test_the_warmed_up_worker_sets_what_lives_for_ever_aside_from_collection() -> None:
    # In a fresh interpreter, as a worker is: freezing this test process's objects would
    # change every later test's collections.
    script = (
        "import gc\n"
        "from calcstudio.core.worker import warm_up\n"
        "warm_up()\n"
        "print(gc.get_freeze_count(), len(gc.get_objects()))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    frozen, tracked = map(int, output.split())
    # sympy and its caches: tens of thousands of objects no full collection visits again
    assert frozen > 20_000 and tracked < frozen / 10
