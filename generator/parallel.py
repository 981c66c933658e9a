"""Work spread over the machine's cores, or done in this process when that is cheaper.

Starting a worker process costs tens of milliseconds and every result comes back through a
pipe, so small networks (the example, the tests, most real builds) run in one process. Large
ones use forked workers, which inherit the loaded model instead of receiving a copy. Results
come back in the order of the input, so a parallel build gives the same bytes as a serial one.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

log = logging.getLogger(__name__)

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")

# Below this many items of work, one process is faster than starting workers.
MIN_PARALLEL_ITEMS = 400
# Set FABABREST_JOBS=1 to force one process (debugging, profiling), or N for N workers.
JOBS_VARIABLE = "FABABREST_JOBS"


def workers() -> int:
    """How many processes to use: FABABREST_JOBS, or the cores this process may run on."""
    setting = os.environ.get(JOBS_VARIABLE, "")
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def pays_off(count: int, min_items: int | None = None) -> bool:
    """Whether count items of work (min_items or more pay, 400 by default) are worth
    starting worker processes for."""
    fork = sys.platform != "win32" and "fork" in multiprocessing.get_all_start_methods()
    enough = min_items if min_items is not None else MIN_PARALLEL_ITEMS
    return fork and count >= enough and workers() >= 2


def chunks(items: Sequence[_Item], size: int) -> list[Sequence[_Item]]:
    """The items cut into consecutive slices of at most size."""
    return [items[start : start + size] for start in range(0, len(items), size)]


def map_ordered(
    function: Callable[[Sequence[_Item]], _Result],
    items: Sequence[_Item],
    chunk_size: int,
    min_items: int | None = None,
) -> Iterator[_Result]:
    """function(chunk) for consecutive chunks of items (at most chunk_size), in order; in
    workers if it pays, with at least four chunks a worker so that they finish together.

    `function` must be a module-level function: with the fork start method, workers see
    the module state the parent had when this is called (the loaded network, the theme).
    """
    count = workers()
    if count < 2 or not pays_off(len(items), min_items):
        yield from map(function, chunks(items, chunk_size))
        return
    parts = chunks(items, max(1, min(chunk_size, -(-len(items) // (4 * count)))))
    log.debug("%d chunks of work in %d processes", len(parts), count)
    with multiprocessing.get_context("fork").Pool(count, initializer=_worker_started) as pool:
        yield from pool.imap(function, parts)


def _worker_started() -> None:
    """A worker leaves Ctrl-C to its parent, which stops the pool (a worker's traceback for
    each key press would say nothing more), and ends with its parent however the parent
    ends: on Linux, the kernel sends it SIGTERM when its parent dies (prctl's
    PR_SET_PDEATHSIG), so a parent killed outright leaves no worker waiting for work forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() == 1:  # the parent died before the line above: end now
            os._exit(1)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
