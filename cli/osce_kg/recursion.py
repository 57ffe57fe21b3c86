"""Room for the recursive parts of the RDF libraries osce-kg stands on.

rdflib's SPARQL parser and algebra, and its Turtle and JSON-LD writers, recurse
a few frames per level of nesting (of a query's groups, of blank nodes inside
blank nodes).  Real data nests a few levels; hostile or generated data may nest
100,000, and Python's default limit of 1,000 frames then ends the run with a
RecursionError.  :func:`deep_recursion` raises the limit for code that is
bounded by a check first (queries: :data:`osce_kg.sparql_bind.MAX_NESTING`);
:func:`run_deep` runs unbounded work in a thread with a stack large enough for
it, so the build writes a 100,000-deep chain of blank nodes instead of failing.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")

# A thread's stack is reserved, not committed: the pages are used only as deep
# as the recursion goes.
_STACK_BYTES = 1 << 29
_DEEP_LIMIT = 2_000_000
_lock = threading.Lock()


@contextlib.contextmanager
def deep_recursion(limit: int = 8000) -> Iterator[None]:
    """Raise the recursion limit to at least ``limit`` for the block."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def run_deep(work: Callable[[], T]) -> T:
    """``work()``, run in a thread with a 512 MB stack and a recursion limit of
    two million frames; its result, or the exception it raised.  Interrupted
    (Ctrl-C), it waits for the work to end, then raises KeyboardInterrupt; a
    second interrupt stops the wait."""
    result: list[T] = []
    failure: list[BaseException] = []

    started, finished = threading.Event(), threading.Event()

    def target() -> None:
        started.wait()  # until the stack size is back to what it was
        try:
            result.append(work())
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc)
        finally:
            finished.set()

    with _lock:  # the stack size and the recursion limit are process-wide settings
        worker = threading.Thread(target=target, name="osce-kg-deep", daemon=True)
        with deep_recursion(_DEEP_LIMIT):
            # The size counts when a thread starts: threads that ``work`` starts
            # (a validation's query threads) get the usual stack, not 512 MB each.
            previous_stack = threading.stack_size(_STACK_BYTES)
            try:
                worker.start()
            finally:
                threading.stack_size(previous_stack)
                started.set()
            # An event, not Thread.join(): a join that Ctrl-C interrupts marks the
            # thread as ended while it still runs (Python 3.11, bpo-45274's fix).
            try:
                finished.wait()
            except KeyboardInterrupt:
                # A thread cannot be stopped from outside: the work ends first, so
                # nothing it writes outlives the clean-up that the interrupt sets
                # off (a second Ctrl-C does not wait).
                with contextlib.suppress(KeyboardInterrupt):
                    finished.wait()
                raise
            worker.join()
    if failure:
        raise failure[0]
    return result[0]
