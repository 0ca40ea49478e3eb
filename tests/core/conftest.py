"""Shared set-up of the tests/core interrupt and fork tests: Ctrl-C sent from a thread to a
running Rust kernel, and work run in a process forked after parallel work."""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

import pytest

Interrupt = Callable[[Callable[[], object]], tuple[float, float]]
Forked = Callable[[Callable[[], Any]], tuple[Any, list[str]]]


@pytest.fixture
def ctrl_c() -> Interrupt:
    """``ctrl_c(call)`` runs ``call`` on the main thread while another thread sends SIGINT
    0.5 s in; it checks that ``call`` raised KeyboardInterrupt and returns (seconds from the
    signal to the stop, seconds from the start to the stop)."""

    def run(call: Callable[[], object]) -> tuple[float, float]:
        main = threading.main_thread().ident
        assert main is not None and threading.get_ident() == main
        sent: list[float] = []

        def send() -> None:
            time.sleep(0.5)
            sent.append(time.perf_counter())
            signal.pthread_kill(main, signal.SIGINT)

        old = signal.signal(signal.SIGINT, signal.default_int_handler)
        thread = threading.Thread(target=send)
        try:
            start = time.perf_counter()
            thread.start()
            with pytest.raises(KeyboardInterrupt):
                call()
            stopped = time.perf_counter()
        finally:
            thread.join()
            signal.signal(signal.SIGINT, old)
        assert sent, "the signal was never sent"
        return stopped - sent[0], stopped - start

    return run


def _child(work: Callable[[], Any], queue: Any) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = work()
    queue.put((res, [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]))


@pytest.fixture
def in_forked_child() -> Forked:
    """``in_forked_child(work)`` runs ``work`` in a child forked from this process (skipped
    where there is no fork) and returns (its result, the RuntimeWarning messages it raised);
    a child still running after 120 s fails the test as deadlocked."""
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork start method")

    def run(work: Callable[[], Any]) -> tuple[Any, list[str]]:
        ctx = multiprocessing.get_context("fork")
        queue = ctx.Queue()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork of a threaded process
            proc = ctx.Process(target=_child, args=(work, queue))
            proc.start()
        proc.join(120)
        if proc.is_alive():
            proc.kill()
            pytest.fail("the forked child deadlocked in a parallel kernel")
        assert proc.exitcode == 0
        res, messages = queue.get(timeout=10)
        return res, messages

    return run
