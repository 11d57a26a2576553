"""SIGTERM as an orderly exit of the ``overgan`` command.

Python's default for SIGTERM (what ``kill``, a CI timeout or the device tool's ``timeout_s``
send) ends the process at once: no ``finally`` block runs, so a temporary folder (``bench
fid``'s PNGs) or an atomic write's temporary file stays behind. :func:`sigterm_unwinds` turns
the signal into :class:`Terminated`, a :class:`SystemExit`, which unwinds the stack like any
exit; a training run keeps its last checkpoint and resumes from it when run again.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator


class Terminated(SystemExit):
    """Raised in the main thread on SIGTERM; its code is the shell's 128 + 15. A
    :class:`SystemExit`, so no ``except Exception`` (a sweep recording a crashed run) takes
    it for the run's own error."""


@contextlib.contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """Inside the block, SIGTERM raises :class:`Terminated`; the previous handler is restored
    afterwards. Outside the main thread (where handlers cannot be set) it does nothing. A
    process forked inside the block (a worker) dies of the signal as by default, since the
    exception is only meaningful in the process that entered the block."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def on_term(signum: int, _frame) -> None:
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Terminated(128 + signum)

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
