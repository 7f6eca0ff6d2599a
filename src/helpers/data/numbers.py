"""Reading a number as a clerk typed it: full-width digits, thousands separators, a trailing % or unit."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
#: More integer digits than any figure of an office's year (a trillion is 13); beyond it, a typing slip.
MAX_DIGITS = 15
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_number(text: str, unit: str = "") -> Decimal:
    """Parse ``text`` into an exact Decimal; raise ValueError saying why not.

    Tolerated: full-width forms (１２３，４５６．７), thousands separators, spaces, and the
    indicator's own unit written after the number (97.6%, 61.7万元).
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if unit and cleaned.endswith(unicodedata.normalize("NFKC", unit)):
        cleaned = cleaned[: -len(unicodedata.normalize("NFKC", unit))]
    if _GROUPED.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _NUMBER.match(cleaned):
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise ValueError(f"“{shown}”不是数字")
    digits = len(cleaned.lstrip("+-").split(".")[0].lstrip("0"))
    if digits > MAX_DIGITS:
        raise ValueError(f"数值有{digits}位整数，超过{MAX_DIGITS}位：请核对是否多打了数字")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above already excludes this
        raise ValueError(f"“{text}”不是数字") from exc


def decimal_places(value: Decimal) -> int:
    """How many decimals a figure was stated with (97.6 → 1, 100 → 0)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
