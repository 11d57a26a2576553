"""A busy core for benchmarks: ``--load`` measures how code behaves beside other work.

Readers run the book beside a browser and CI machines are shared; PyTorch's OpenMP threads
spin-wait for a peer that the OS has descheduled, so a multi-threaded workload can slow by
far more than its share when one core is taken. :func:`busy_core` reproduces that.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def busy_core(enabled: bool = True) -> Iterator[None]:
    """Keep one core busy (a spinning Python process) for the duration of the block."""
    if not enabled:
        yield
        return
    proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        proc.kill()
        proc.wait()
