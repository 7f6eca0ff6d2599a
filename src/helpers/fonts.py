"""Finding a CJK font on this machine, so no chart or page shows a box in place of a character."""

from __future__ import annotations

import bisect
import shutil
import subprocess
from functools import lru_cache

from .errors import SetupError

#: Families tried in order; the first installed one is used. Serif for the body of the PDF, sans for charts.
SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "SimSun", "Songti SC", "AR PL UMing CN")
SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Microsoft YaHei", "PingFang SC",
        "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei")
INSTALL_HINT = "请安装中文字体，例如 Debian/Ubuntu 上运行：sudo apt-get install fonts-noto-cjk（make report 以 root 运行时会自动安装）"


def _fontconfig_families() -> set[str]:
    """Families fontconfig knows (what Typst and the browser see), read in milliseconds; empty without it."""
    if not shutil.which("fc-list"):
        return set()
    try:
        out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.strip() for line in out.splitlines() for name in line.split(",")}


def _matplotlib_families() -> set[str]:
    """Families matplotlib can draw with, refreshing its cache once if it predates a CJK font install."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    if not names.intersection(SERIF + SANS):
        known = {f.fname for f in font_manager.fontManager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        names = {f.name for f in font_manager.fontManager.ttflist}
    return names


@lru_cache(maxsize=1)
def installed_families() -> frozenset[str]:
    found = _fontconfig_families()
    if not found.intersection(SERIF + SANS):  # no fontconfig, or it knows no CJK font: ask matplotlib
        found |= _matplotlib_families()
    return frozenset(found)


def _first(preferred: tuple[str, ...], families) -> str:
    for family in preferred:
        if family in families:
            return family
    raise SetupError(f"没有找到中文字体（试过：{'、'.join(preferred)}）。{INSTALL_HINT}")


def cjk_family(style: str = "sans") -> str:
    """The first installed CJK family of ``style`` ('serif' or 'sans'), falling back to the other style."""
    return _first(SERIF + SANS if style == "serif" else SANS + SERIF, installed_families())


@lru_cache(maxsize=1)
def chart_family() -> str:
    """The CJK family for charts, checked against matplotlib's own font list (which may lag fontconfig)."""
    return _first(SANS + SERIF, _matplotlib_families())


@lru_cache(maxsize=8)
def _charset(family: str) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """The code points ``family`` covers as (starts, ends) of ranges, from fontconfig; None without it."""
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(["fc-match", "-f", "%{charset}", family], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    starts, ends = [], []
    for part in out.split():
        low, _, high = part.partition("-")
        try:
            starts.append(int(low, 16))
            ends.append(int(high or low, 16))
        except ValueError:
            return None
    return (tuple(starts), tuple(ends)) if starts else None


def uncovered(text: str) -> list[tuple[int, str]]:
    """(offset, character) of each character of ``text`` the report's CJK face cannot draw: shown as a box.

    Checked against the PDF's body face; empty where fontconfig is not there to ask."""
    try:
        family = cjk_family("serif")
    except SetupError:
        return []
    ranges = _charset(family)
    if ranges is None:
        return []
    starts, ends = ranges
    found = []
    for offset, char in enumerate(text):
        point = ord(char)
        if point < 0x80 or char in "\n\r\t":
            continue
        i = bisect.bisect_right(starts, point) - 1
        if i < 0 or point > ends[i]:
            found.append((offset, char))
    return found
