"""Heavy modules imported in a thread beside other work, so that the step which needs them finds them loaded."""

from __future__ import annotations

import threading
from collections.abc import Callable


def import_beside(load: Callable[[], object]) -> None:
    """Import a module in a thread beside the caller's work. Not a daemon: a process that ends early (invalid
    data) waits for the import to finish, for a C++ extension (PyMuPDF, libzmq) torn down in the middle of its
    import aborts the whole process (``terminate called without an active exception``)."""
    threading.Thread(target=load, name=f"import {getattr(load, '__name__', '')}").start()
