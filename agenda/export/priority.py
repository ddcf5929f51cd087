"""Work that may wait: run it in a thread of lower CPU priority, so that the pages asked
meanwhile by other visitors (in other worker processes) get the processor first.

A feed built for a new filter set takes about a second of CPU; a client that asks for a new
one each time (``/calendar.ics?from=<a new day>``, from many addresses) would otherwise take
a core away from the home page.  On Linux the nice value is a per-thread attribute, so the
build runs in a short-lived thread made nicer by ``nice`` (raising it needs no privilege);
elsewhere, or with ``nice=0``, the work simply runs in that thread at normal priority.
"""

from __future__ import annotations

import os
import threading
from typing import Callable, TypeVar

T = TypeVar("T")


def run_nicer(work: Callable[[], T], *, nice: int) -> T:
    """``work()``, run in a thread ``nice`` steps nicer than this one; its result or error."""
    if nice <= 0:
        return work()
    outcome: dict = {}

    def target() -> None:
        lower_priority(nice)
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed back to the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=target, name="nicer-work", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def lower_priority(nice: int) -> bool:
    """Make the calling thread ``nice`` steps nicer; False where that is not possible."""
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
    except (AttributeError, OSError):
        return False
    return True
