"""Helpers for the annual rule-of-law government report pipeline.

Notebooks and the ``annual-report`` command call these modules; keeping the
logic here (not in notebooks) is what lets it be unit-tested.
"""

__version__ = "0.1.0"
