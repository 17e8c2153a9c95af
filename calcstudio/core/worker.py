"""The symbolic worker process: the code it runs, and the parent's handle on one.

:func:`worker_main` runs in a ``"spawn"`` child (so it stays importable at module level):
it imports sympy, says ready, then answers requests with
:func:`~calcstudio.core.analysis.run_task` until its pipe closes. A worker whose parent has
died exits by itself within a moment, whatever it is computing (see
:func:`_exit_with_parent`).

:class:`Worker` is what the parent, :class:`~calcstudio.core.engine.Engine`, holds: the
process and its pipe, whether it has said ready and how many answers it has given. It starts
one, tells when one cannot start, measures its memory and stops it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from calcstudio.core.analysis import TASKS, analyse, failed_result, quote, run_task

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess


def _exit_with_parent() -> None:
    """Watch the parent from a thread of the worker; exit the moment it is gone.

    A killed window cannot stop its worker, and a worker deep in sympy does not read its
    pipe: without this it would compute on, orphaned. The parent's sentinel (a pipe the
    spawn start method keeps open in the parent) reaches end-of-file when the parent dies,
    however it dies; sympy is pure Python, so this thread gets the GIL within milliseconds.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(0)  # no clean-up: it would wait for the computation this exit cuts short

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def warm_up() -> None:
    """Import and exercise sympy, then set everything alive aside from garbage collection.

    sympy, matplotlib and their caches are some 100,000 objects that live as long as the
    worker; every full collection went through all of them, 70 to 80 ms in the middle of
    some keystroke's answer. Frozen (:func:`gc.freeze`), they are never looked at again
    (they are still freed if their count drops to 0): a full collection took 15 to 21 ms.
    """
    analyse("x^2")
    gc.collect()  # what the warm-up left for collection is collected, not frozen
    gc.freeze()


def worker_main(conn: Connection) -> None:
    """Worker process: warm up sympy, say ready, then answer requests until EOF."""
    # Ctrl+C in the terminal is for the parent, which stops the worker itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    warm_up()
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        _, request_id, task, payload = message
        result = run_task(task, payload, request_id)
        try:
            conn.send(("result", result))
        except Exception as error:  # pickling failed (nothing was written): report it
            why = f"Could not send back {TASKS[task]} {quote(payload[0])}: {error}"
            conn.send(("result", failed_result(task, request_id, payload, "error", why)))


@dataclass
class Worker:
    """A worker process with its pipe, as the parent sees it."""

    process: BaseProcess
    conn: Connection
    spawned_at: float
    """Monotonic time it was started."""
    ready: bool = False
    """Whether it has imported sympy and said so (as seen by the parent so far)."""
    served: int = 0
    """Answers it has given."""

    @classmethod
    def spawn(cls, context: BaseContext) -> Worker:
        """Start a worker process in ``context``; it says ready once sympy is imported."""
        parent, child = context.Pipe()
        process = context.Process(
            target=worker_main, args=(child,), name="calcstudio-engine", daemon=True
        )
        process.start()
        child.close()
        return cls(process, parent, time.monotonic())

    def failed_to_start(self, startup_timeout: float) -> bool:
        """Read its ready message if it came; True if it died or is stuck starting."""
        try:
            if not self.ready and self.conn.poll():
                self.ready = self.conn.recv() == ("ready",)
        except (EOFError, OSError):
            return True
        return not self.ready and time.monotonic() - self.spawned_at > startup_timeout

    @property
    def memory_mb(self) -> float | None:
        """Resident memory in MB, or None where the system does not say (only Linux does)."""
        try:
            pages = int(Path(f"/proc/{self.process.pid}/statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            return None
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6

    def stop(self) -> None:
        """Close the pipe and stop the process: it holds nothing worth a graceful exit."""
        self.conn.close()
        self.process.terminate()
        self.process.join(1.0)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
