"""``python -m calcstudio.benchmark.worker_memory [REQUESTS]``: the worker's memory over a soak.

Sends REQUESTS different functions (3,000 by default) through one :class:`Engine`, each
typeset afresh, and prints the resident memory of the process answering every 500 requests,
first with the engine's recycling budget, then (for comparison) with recycling switched off.
Linux only: memory is read from ``/proc``.
"""

from __future__ import annotations

import sys
import time

from calcstudio.core.engine import Engine


def soak(engine: Engine, requests: int) -> tuple[list[tuple[int, float, int]], int]:
    """Send ``requests`` functions.

    Returns
    -------
    figures, failed
        (requests done, worker MB, worker pid) every 500 requests, and how many requests
        did not come back ok (a shared machine can push one past its deadline).
    """
    figures: list[tuple[int, float, int]] = []
    failed = 0
    engine.compute("x")
    for k in range(1, requests + 1):
        failed += not engine.compute(f"sin({k}x) + x^{k % 7 + 2}/{k % 13 + 1}").ok
        if k % 500 == 0 or k == requests:
            figures.append((k, engine.memory_mb or float("nan"), engine.pid or 0))
    return figures, failed


def main(argv: list[str]) -> int:
    """Run both soaks and print their figures."""
    requests = int(argv[0]) if argv else 3000
    runs = (
        ("recycled (the default budget)", Engine(deadline=10.0)),
        ("never recycled", Engine(deadline=10.0, max_requests=10**9, max_memory_mb=1e9)),
    )
    for name, engine in runs:
        began = time.perf_counter()
        with engine:
            figures, failed = soak(engine, requests)
        pids = len({pid for _, _, pid in figures})
        print(f"Worker memory, {name}: {time.perf_counter() - began:.0f} s", flush=True)
        for done, megabytes, pid in figures:
            print(f"  after {done:5d} requests: {megabytes:6.0f} MB (worker {pid})", flush=True)
        print(
            f"  {pids} worker process(es) at the checkpoints, {failed} requests not ok", flush=True
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
