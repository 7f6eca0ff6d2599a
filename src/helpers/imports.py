"""Heavy modules imported in a thread beside other work, so that the step which needs them finds them loaded,
and without optional parts nothing here uses."""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType


def import_beside(load: Callable[[], object]) -> None:
    """Import a module in a thread beside the caller's work. Not a daemon: a process that ends early (invalid
    data) waits for the import to finish, for a C++ extension (PyMuPDF, libzmq) torn down in the middle of its
    import aborts the whole process (``terminate called without an active exception``)."""
    threading.Thread(target=load, name=f"import {getattr(load, '__name__', '')}").start()


def import_without(name: str, *absent: str) -> ModuleType:
    """Import ``name`` with its optional modules ``absent`` marked absent in this process: the library imports
    each inside ``try`` and goes on without it (see each caller for what it costs and why nothing needs it)."""
    for optional in absent:
        sys.modules.setdefault(optional, None)  # type: ignore[arg-type]
    return importlib.import_module(name)


@contextmanager
def absent(name: str) -> Iterator[None]:
    """Inside the block, ``name`` is marked absent (unless this process has already imported it): a library
    importing it there inside ``try`` goes on without it, and the process may still import it afterwards."""
    if name in sys.modules:
        yield
        return
    sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get(name, 0) is None:
            del sys.modules[name]
