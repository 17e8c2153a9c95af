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

Lifetime: the worker's memory grows with every typeset formula (about 0.2 MB each, in
matplotlib's caches), so after ``max_requests`` answers, or once its resident memory passes
``max_memory_mb``, a fresh worker is started beside it and takes over, between requests,
once it has imported sympy: nobody waits for the swap. The worker's own code, and the handle
this engine holds on each worker, are in :mod:`calcstudio.core.worker`.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass

from calcstudio.core.analysis import (
    TASKS,
    EngineResult,
    ExpressionData,
    Status,
    analyse,
    failed_result,
    quote,
)
from calcstudio.core.worker import Worker


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
    max_requests
        Answers one worker gives before a fresh one takes over (between requests).
    max_memory_mb
        Resident memory of a worker, in MB, past which a fresh one takes over (measured
        where the system tells it: Linux).

    Examples
    --------
    >>> with Engine() as engine:
    ...     result = engine.compute("x^2")
    >>> result.derivative.text
    '2*x'
    """

    def __init__(
        self,
        deadline: float = 2.0,
        startup_timeout: float = 60.0,
        max_requests: int = 400,
        max_memory_mb: float = 300.0,
    ) -> None:
        self.deadline = deadline
        self.startup_timeout = startup_timeout
        self.max_requests = max_requests
        self.max_memory_mb = max_memory_mb
        self.latest_id = 0
        """Id of the newest submitted ``"analyse"`` request; results with other ids are stale."""
        self.latest_ids: dict[str, int] = {}
        """Id of the newest request of each task: the newest wins per task, so a request
        for an integral and one for derivatives never drop each other."""
        self._context = multiprocessing.get_context("spawn")
        self._worker: Worker | None = None
        """The worker answering requests."""
        self._in_flight: _Request | None = None
        self._queued: dict[str, _Request] = {}
        self._backlog: list[EngineResult] = []
        self._spare: Worker | None = None
        """A fresh worker starting up to take over from one past its budget."""
        self._held = False
        """Whether the start of the worker waits for :meth:`release`."""

    def start(self) -> None:
        """Start the worker if it is not running (and not held). Returns at once; sympy
        loads in it."""
        if self._held:
            return
        self._adopt_spare()
        if self._worker is None:
            self._worker = Worker.spawn(self._context)

    def hold(self) -> None:
        """Start no worker until :meth:`release`; requests submitted meanwhile wait (the
        newest of each task), and go to the worker when it starts.

        For a window's first frame: a worker importing sympy on the machine's other core
        slowed it by about a tenth of a second. Does nothing while a worker is running.
        """
        if self._worker is None:
            self._held = True

    def release(self) -> None:
        """Start the worker held by :meth:`hold`, and send it the oldest waiting request."""
        if not self._held:
            return
        self._held = False
        self.start()
        self._send_next()

    @property
    def held(self) -> bool:
        """Whether the worker's start waits for :meth:`release`."""
        return self._held

    def _adopt_spare(self) -> None:
        """Let a spare worker take over once it is ready and the current one is idle.

        With no current worker (it timed out or crashed) the spare takes over at once,
        ready or not: it has a head start on a new one.
        """
        spare = self._spare
        if spare is None:
            return
        if spare.failed_to_start(self.startup_timeout):
            # It died or is stuck starting: the worker goes on, a new spare comes when due.
            self._spare = None
            spare.stop()
            return
        if self._worker is not None and not (spare.ready and self._in_flight is None):
            return
        self._spare = None
        self._stop_worker()
        self._worker = spare

    def _plan_recycling(self) -> None:
        """After an answer: start a spare if the worker has used up its budget."""
        if self._spare is not None or self._worker is None:
            return
        memory = self._worker.memory_mb
        worn = memory is not None and memory > self.max_memory_mb
        if self._worker.served >= self.max_requests or worn:
            self._spare = Worker.spawn(self._context)

    def _stop_worker(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop()

    def close(self) -> None:
        """Stop the worker and forget queued work. The engine can be started again."""
        self._stop_worker()
        if self._spare is not None:
            self._spare.stop()
            self._spare = None
        self._in_flight = None
        self._queued = {}
        self._held = False

    def __enter__(self) -> Engine:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def ready(self) -> bool:
        """True once the worker has imported sympy (as seen by the last poll)."""
        return self._worker is not None and self._worker.ready

    @property
    def busy(self) -> bool:
        """True while a request is in flight or queued: keep polling."""
        return self._in_flight is not None or bool(self._queued)

    @property
    def pid(self) -> int | None:
        """Process id of the worker, or None if it is not running."""
        return None if self._worker is None else self._worker.process.pid

    @property
    def memory_mb(self) -> float | None:
        """Resident memory of the worker in MB; None if it is not running or the system
        does not say (only Linux is asked)."""
        return None if self._worker is None else self._worker.memory_mb

    def fileno(self) -> int | None:
        """File descriptor that becomes readable when the worker has something to say.

        For a ``QSocketNotifier``. It changes when the worker is respawned, so check it
        after each :meth:`poll`; deadlines still need a timer (see :meth:`seconds_to_next_check`).
        """
        return None if self._worker is None else self._worker.conn.fileno()

    def seconds_to_next_check(self) -> float | None:
        """Seconds until :meth:`poll` must run to enforce a deadline; None if idle."""
        now, worker = time.monotonic(), self._worker
        if self._in_flight is None or worker is None:
            return None
        if not worker.ready:
            return max(0.0, worker.spawned_at + self.startup_timeout - now)
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

        If the worker is free the text is sent at once. Otherwise (or while the worker's
        start is held, :meth:`hold`) it waits for the worker, replacing any request of the
        same task queued earlier (which then gets no result); requests of other tasks keep
        their place.

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
        if self._in_flight is None and not self._held:
            self._send(request)
        else:
            self._queued.pop(task, None)  # the newest goes to the back of the line
            self._queued[task] = request
        return request.request_id

    def _send(self, request: _Request) -> None:
        message = ("request", request.request_id, request.task, request.payload)
        self.start()
        assert self._worker is not None
        try:
            self._worker.conn.send(message)
        except OSError:  # the worker died while idle: start a fresh one
            self._stop_worker()
            self.start()
            assert self._worker is not None
            self._worker.conn.send(message)
        request.started = time.monotonic() if self._worker.ready else None
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
        self._adopt_spare()
        self._send_next()
        return results

    def _send_next(self) -> None:
        """Send the oldest waiting request if the worker is free (and its start not held)."""
        if self._in_flight is None and self._queued and not self._held:
            self._send(self._queued.pop(next(iter(self._queued))))

    def _receive(self) -> list[EngineResult]:
        results: list[EngineResult] = []
        try:
            while self._worker is not None and self._worker.conn.poll():
                message = self._worker.conn.recv()
                if message[0] == "ready":
                    self._worker.ready = True
                    if self._in_flight is not None:
                        self._in_flight.started = time.monotonic()
                else:
                    results.append(message[1])
                    self._in_flight = None
                    self._worker.served += 1
                    self._plan_recycling()
        except (EOFError, OSError):  # the worker died; a new one starts with the next request
            assert self._worker is not None
            process = self._worker.process
            process.join(1.0)
            results += self._abandon(
                "crashed",
                f"The symbolic engine stopped unexpectedly (exit code {process.exitcode})"
                " while working on {}; it has been restarted.",
            )
        return results

    def _enforce_deadline(self) -> list[EngineResult]:
        request, wait = self._in_flight, self.seconds_to_next_check()
        if request is None or wait is None or wait > 0:
            return []
        if self.ready:
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
        """Submit ``text`` and wait for its result (blocking); a held worker is started.

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
        self.release()  # waiting for a held worker would wait for ever
        while True:
            for result in self._collect():
                if result.request_id == request_id:
                    return result
                self._backlog.append(result)
            wait = self.seconds_to_next_check()
            if self._worker is not None:
                self._worker.conn.poll(0.1 if wait is None else min(wait + 0.001, 0.1))


__all__ = ["Engine", "EngineResult", "ExpressionData", "Status", "analyse"]
