"""A second process loading every core, for measuring a build on a busy machine (``--load`` of run.py and
city.py): the ratios are then taken between steps that all ran under the same load."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator

#: One busy loop a core, in a process of its own so it competes for the processor as another job would.
SPIN = "import multiprocessing as m, sys\ndef spin(_):\n    while True: pass\nm.Pool(int(sys.argv[1])).map(spin, range(int(sys.argv[1])))"


@contextlib.contextmanager
def loaded(on: bool = True) -> Iterator[None]:
    """Every core busy with a second process for the duration (nothing, where ``on`` is false)."""
    if not on:
        yield
        return
    busy = subprocess.Popen([sys.executable, "-c", SPIN, str(os.cpu_count() or 1)], start_new_session=True)
    try:
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(busy.pid, 9)
        busy.wait()
