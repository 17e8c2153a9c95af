"""The symbolic engine: sympy work in one persistent worker process ("spawn" context).

Sympy can run for minutes on innocent-looking input and holds the GIL meanwhile, so a
thread would freeze the window. The worker parses text and works out the derivatives;
it sends back plain data (strings, numbers, nested lists), never sympy objects or
lambdas, and the parent process never imports sympy.

Deadlines: a request may use ``deadline`` seconds of the worker's time, counted from
when the worker can begin it (when it is sent to a ready worker, or when a new worker
that is still importing sympy reports ready: a cold start is not a timeout; start-up
has its own ``startup_timeout``). Past it the worker is terminated and respawned, and
the request gets a ``"timeout"`` result that says in words what took too long.

A GUI calls :meth:`Engine.submit` (never blocks; the newest text wins) and
:meth:`Engine.poll` from a timer or a notifier on :meth:`Engine.fileno`, dropping
results whose ``request_id`` is not ``engine.latest_id``. Notebooks and tests use the
blocking :meth:`Engine.compute`, or :func:`~calcstudio.core.analysis.analyse` in-process
without a deadline. What a result holds is defined in :mod:`calcstudio.core.analysis`.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from calcstudio.core.analysis import (
    TASKS,
    EngineResult,
    ExpressionData,
    Status,
    analyse,
    failed_result,
    quote,
    run_task,
)

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess


def _worker_main(conn: Connection) -> None:
    """Worker process: warm up sympy, say ready, then answer requests until EOF."""
    # Ctrl+C in the terminal is for the parent, which stops the worker itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    analyse("x^2")
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
class _Request:
    request_id: int
    text: str
    deadline: float
    started: float | None = None  # monotonic time the worker could begin it
    task: str = "analyse"
    payload: tuple[str, ...] = ()


class Engine:
    """One persistent worker process doing the symbolic work, with deadlines.

    Not thread-safe: use it from one thread (the GUI thread).

    Parameters
    ----------
    deadline
        Default seconds of worker time one request may take.
    startup_timeout
        Seconds a new worker may take to import sympy and report ready.

    Examples
    --------
    >>> with Engine() as engine:
    ...     result = engine.compute("x^2")
    >>> result.derivative.text
    '2*x'
    """

    def __init__(self, deadline: float = 2.0, startup_timeout: float = 60.0) -> None:
        self.deadline = deadline
        self.startup_timeout = startup_timeout
        self.latest_id = 0
        """Id of the newest submitted ``"analyse"`` request; results with other ids are stale."""
        self.latest_ids: dict[str, int] = {}
        """Id of the newest request of each task: the newest wins per task, so a request
        for an integral and one for derivatives never drop each other."""
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._spawned_at = 0.0
        self._ready = False
        self._in_flight: _Request | None = None
        self._queued: dict[str, _Request] = {}
        self._backlog: list[EngineResult] = []

    def start(self) -> None:
        """Start the worker if it is not running. Returns at once; sympy loads in it."""
        if self._process is not None:
            return
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child,), name="calcstudio-engine", daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        self._spawned_at = time.monotonic()
        self._ready = False

    def _stop_worker(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        self._ready = False
        if conn is not None:
            conn.close()
        if process is not None:  # it holds nothing worth a graceful exit
            process.terminate()
            process.join(1.0)
            if process.is_alive():
                process.kill()
                process.join()

    def close(self) -> None:
        """Stop the worker and forget queued work. The engine can be started again."""
        self._stop_worker()
        self._in_flight = None
        self._queued = {}

    def __enter__(self) -> Engine:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def ready(self) -> bool:
        """True once the worker has imported sympy (as seen by the last poll)."""
        return self._ready

    @property
    def busy(self) -> bool:
        """True while a request is in flight or queued: keep polling."""
        return self._in_flight is not None or bool(self._queued)

    @property
    def pid(self) -> int | None:
        """Process id of the worker, or None if it is not running."""
        return None if self._process is None else self._process.pid

    def fileno(self) -> int | None:
        """File descriptor that becomes readable when the worker has something to say.

        For a ``QSocketNotifier``. It changes when the worker is respawned, so check it
        after each :meth:`poll`; deadlines still need a timer (see :meth:`seconds_to_next_check`).
        """
        return None if self._conn is None else self._conn.fileno()

    def seconds_to_next_check(self) -> float | None:
        """Seconds until :meth:`poll` must run to enforce a deadline; None if idle."""
        now = time.monotonic()
        if self._in_flight is None:
            return None
        if not self._ready:
            return max(0.0, self._spawned_at + self.startup_timeout - now)
        started = self._in_flight.started
        return None if started is None else max(0.0, started + self._in_flight.deadline - now)

    def submit(
        self,
        text: str,
        deadline: float | None = None,
        *,
        task: str = "analyse",
        payload: tuple[str, ...] | None = None,
    ) -> int:
        """Queue ``text``; return its request id. Never blocks.

        If the worker is free the text is sent at once. Otherwise it waits for the
        worker, replacing any request of the same task queued earlier (which then gets
        no result); requests of other tasks keep their place.

        Parameters
        ----------
        text
            The function as typed.
        deadline
            Seconds of worker time allowed; ``Engine.deadline`` if None.
        task
            One of :data:`~calcstudio.core.analysis.TASKS`.
        payload
            The task's plain-data arguments, ``(text,)`` if None; for ``"integral"``
            ``(text, a, b)``.
        """
        if task not in TASKS:
            raise ValueError(f"unknown task {task!r}")
        self.start()
        request_id = max([self.latest_id, *self.latest_ids.values()]) + 1
        self.latest_ids[task] = request_id
        if task == "analyse":
            self.latest_id = request_id
        request = _Request(
            request_id,
            text,
            self.deadline if deadline is None else deadline,
            task=task,
            payload=(text,) if payload is None else tuple(payload),
        )
        if self._in_flight is None:
            self._send(request)
        else:
            self._queued.pop(task, None)  # the newest goes to the back of the line
            self._queued[task] = request
        return request.request_id

    def _send(self, request: _Request) -> None:
        message = ("request", request.request_id, request.task, request.payload)
        self.start()
        assert self._conn is not None
        try:
            self._conn.send(message)
        except OSError:  # the worker died while idle: start a fresh one
            self._stop_worker()
            self.start()
            assert self._conn is not None
            self._conn.send(message)
        request.started = time.monotonic() if self._ready else None
        self._in_flight = request

    def poll(self) -> list[EngineResult]:
        """Collect finished results without blocking; enforce deadlines; send queued text.

        Returns
        -------
        list of EngineResult
            Oldest first. Includes stale results: drop those whose ``request_id`` is not
            :attr:`latest_id`.
        """
        results, self._backlog = self._backlog, []
        return results + self._collect()

    def _collect(self) -> list[EngineResult]:
        results = self._receive() + self._enforce_deadline()
        if self._in_flight is None and self._queued:
            request = self._queued.pop(next(iter(self._queued)))
            self._send(request)
        return results

    def _receive(self) -> list[EngineResult]:
        results: list[EngineResult] = []
        try:
            while self._conn is not None and self._conn.poll():
                message = self._conn.recv()
                if message[0] == "ready":
                    self._ready = True
                    if self._in_flight is not None:
                        self._in_flight.started = time.monotonic()
                else:
                    results.append(message[1])
                    self._in_flight = None
        except (EOFError, OSError):  # the worker died; a new one starts with the next request
            assert self._process is not None
            self._process.join(1.0)
            results += self._abandon(
                "crashed",
                f"The symbolic engine stopped unexpectedly (exit code {self._process.exitcode})"
                " while working on {}; it has been restarted.",
            )
        return results

    def _enforce_deadline(self) -> list[EngineResult]:
        request, wait = self._in_flight, self.seconds_to_next_check()
        if request is None or wait is None or wait > 0:
            return []
        if self._ready:
            what = TASKS[request.task]
            why = f"Working out {what} {{}} took longer than {request.deadline:g} s"
            results = self._abandon("timeout", why + ", so it was stopped.", request.deadline)
        else:
            why = f"The symbolic engine did not start within {self.startup_timeout:g} s"
            results = self._abandon("timeout", why + ", so {} was not worked out.")
        self.start()
        return results

    def _abandon(self, status: Status, template: str, seconds: float = 0.0) -> list[EngineResult]:
        """Stop the worker; the request in flight gets a result: ``template`` with its text."""
        request, self._in_flight = self._in_flight, None
        self._stop_worker()
        if request is None:
            return []
        message = template.format(quote(request.text))  # user text is an argument: safe
        return [
            failed_result(
                request.task, request.request_id, request.payload, status, message, seconds
            )
        ]

    def compute(
        self,
        text: str,
        deadline: float | None = None,
        *,
        task: str = "analyse",
        payload: tuple[str, ...] | None = None,
    ) -> EngineResult:
        """Submit ``text`` and wait for its result (blocking).

        Parameters
        ----------
        text
            The function as typed.
        deadline
            Seconds of worker time allowed; ``Engine.deadline`` if None. A cold start
            does not count against it.
        task, payload
            As for :meth:`submit`.

        Returns
        -------
        EngineResult
            Results for other requests that arrive meanwhile are kept for :meth:`poll`.
        """
        request_id = self.submit(text, deadline, task=task, payload=payload)
        while True:
            for result in self._collect():
                if result.request_id == request_id:
                    return result
                self._backlog.append(result)
            wait = self.seconds_to_next_check()
            if self._conn is not None:
                self._conn.poll(0.1 if wait is None else min(wait + 0.001, 0.1))


__all__ = ["Engine", "EngineResult", "ExpressionData", "Status", "analyse"]
