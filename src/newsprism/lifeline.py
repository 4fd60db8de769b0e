"""Worker processes die with their parent, however the parent dies (issue 14, defect 3).

A `kill -9` of `analyse` used to leave its two worker processes (~640 MB each) running,
re-parented to init, minutes later: a pool's own clean-up runs only when the parent
lives to run it. Two independent guards, installed first thing in each worker:

- Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the worker the moment
  its parent exits (with a check that the parent did not die before the call);
- anywhere: a daemon thread that notices the worker's parent pid change (it was
  re-parented) within `WATCH_SECONDS` and exits the worker.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# How often the fallback watchdog looks at the parent pid: an orphan lives at most this.
WATCH_SECONDS = 1.0
ORPHAN_EXIT_CODE = 70  # EX_SOFTWARE: distinct from a crash in the worker's own code


def die_with_parent(parent_pid: int) -> None:
    """Make this process exit when `parent_pid` (its parent) does."""
    _set_pdeathsig()
    if os.getppid() != parent_pid:  # the parent died before the guard was set
        os._exit(ORPHAN_EXIT_CODE)
    watch = threading.Thread(
        target=_watch_parent, args=(parent_pid,), name="newsprism-lifeline", daemon=True
    )
    watch.start()


def _set_pdeathsig() -> bool:
    """Ask Linux to SIGKILL this process when its parent exits; False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent_pid: int) -> None:
    stop = threading.Event()
    while not stop.wait(WATCH_SECONDS):
        if os.getppid() != parent_pid:
            os._exit(ORPHAN_EXIT_CODE)
