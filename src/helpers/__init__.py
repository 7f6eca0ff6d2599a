"""Helpers for the annual rule-of-law government report pipeline.

Notebooks and the ``annual-report`` command call these modules; keeping the
logic here (not in notebooks) is what lets it be unit-tested.
"""

__version__ = "0.1.0"

import sys as _sys

if "IPython" in _sys.modules:
    # In JupyterLab (or IPython) an analyst's own charts use the report's Chinese faces, not DejaVu Sans.
    from .fonts import use_report_faces as _use_report_faces

    _use_report_faces()
