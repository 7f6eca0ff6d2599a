"""The report's typefaces: one role per part of an official document (GB/T 9704), each a chain of faces.

A role's chain lists licensed faces first (an office that has 方正 fonts installed gets them without any
setting), then the open Fandol face ``tools/system-packages.sh`` installs, then Noto CJK. The first
installed face of the chain sets the role; the rest stand behind it, so a character the first face lacks
is drawn by the next, never as a box.
"""

from __future__ import annotations

import bisect
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import SetupError

NOTO_SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN")
NOTO_SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN")
INSTALL_HINT = "请安装中文字体：运行 bash tools/system-packages.sh（Debian/Ubuntu；make report 以 root 运行时会自动安装）"


@dataclass(frozen=True)
class Role:
    """What a face does in the document. ``licensed`` are faces of the right kind (仿宋 for the body) an
    office may have installed, best first; ``shipped`` is the open one tools/system-packages.sh installs;
    ``fallback`` stands in for them all where none is installed."""

    name: str
    kind_zh: str
    licensed: tuple[str, ...]
    shipped: str
    fallback: tuple[str, ...]
    generic: str = "serif"  # the CSS family a browser falls back to after the chain
    office: tuple[str, ...] = ()  # the names Word and WPS know this kind of face by on an office PC, first choice first

    @property
    def faces(self) -> tuple[str, ...]:
        return (*self.licensed, self.shipped)

    @property
    def chain(self) -> tuple[str, ...]:
        return self.faces + self.fallback


#: Family names as Typst, Word and fontconfig all know them (each face's own family name, name ID 1).
ROLES: dict[str, Role] = {
    role.name: role
    for role in (
        Role(
            "title",
            "小标宋",
            ("FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05"),
            "FandolSong",
            NOTO_SERIF,
            office=("方正小标宋简体", "方正小标宋_GBK", "华文中宋", "宋体"),
        ),
        Role(
            "body",
            "仿宋",
            ("FZFangSong-Z02S", "FZFangSong-Z02", "FangSong_GB2312", "FangSong", "STFangsong"),
            "FandolFang R",
            NOTO_SERIF + NOTO_SANS,
            office=("仿宋_GB2312", "仿宋", "方正仿宋_GBK", "FangSong"),
        ),
        Role(
            "heading",
            "黑体",
            ("FZHei-B01S", "FZHei-B01", "SimHei", "STHeiti"),
            "FandolHei",
            NOTO_SANS + NOTO_SERIF,
            "sans-serif",
            office=("黑体", "方正黑体_GBK", "SimHei"),
        ),
        Role(
            "subheading",
            "楷体",
            ("FZKai-Z03S", "FZKai-Z03", "KaiTi_GB2312", "KaiTi", "STKaiti"),
            "FandolKai",
            ("AR PL UKai CN", *NOTO_SERIF, *NOTO_SANS),
            office=("楷体_GB2312", "楷体", "方正楷体_GBK", "KaiTi"),
        ),
        Role("number", "宋体", ("FZShuSong-Z01S", "FZShuSong-Z01", "SimSun", "STSong"), "FandolSong", NOTO_SERIF, office=("宋体", "SimSun")),
    )
}


def _fontconfig_families() -> set[str]:
    """Families fontconfig knows (what Typst, the browser and LibreOffice see), read in milliseconds."""
    if not shutil.which("fc-list"):
        return set()
    try:
        out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.strip() for line in out.splitlines() for name in line.split(",")}


def _fontconfig_files(family: str) -> list[str]:
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(["fc-list", family, "file"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip().rstrip(":") for line in out.splitlines() if line.strip()]


def _matplotlib_families() -> set[str]:
    """Families matplotlib can draw with. Its font list is cached on disk and may predate a font install:
    faces of the roles that fontconfig has and matplotlib lacks are added (for this process)."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    wanted = {face for role in ROLES.values() for face in role.chain}
    for family in wanted & _fontconfig_families() - names:
        for path in _fontconfig_files(family):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    names = {f.name for f in font_manager.fontManager.ttflist}
    if not names & wanted:  # no fontconfig: scan the system's font folders once
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
    if not found.intersection(face for role in ROLES.values() for face in role.chain):
        found |= _matplotlib_families()  # no fontconfig, or it knows no CJK face: ask matplotlib
    return frozenset(found)


def _installed(chain: tuple[str, ...], families) -> tuple[str, ...]:
    found = tuple(face for face in chain if face in families)
    if not found:
        raise SetupError(f"没有找到中文字体（试过：{'、'.join(chain)}）。{INSTALL_HINT}")
    return found


def faces(role: str) -> tuple[str, ...]:
    """The installed faces of ``role``, first choice first: the chain the PDF and the Word copy use."""
    return _installed(ROLES[role].chain, installed_families())


def face(role: str) -> str:
    return faces(role)[0]


def substitutes() -> list[str]:
    """One sentence per role whose own kind of face is missing, naming the face used instead."""
    notes = []
    for role in ROLES.values():
        chosen = faces(role.name)[0]
        if chosen not in role.faces:
            notes.append(f"未找到{role.kind_zh}字体（如 {role.shipped}），改用 {chosen}；运行 bash tools/system-packages.sh 可安装")
    return notes


@lru_cache(maxsize=1)
def chart_faces() -> tuple[str, ...]:
    """The body's chain, as matplotlib knows it: charts are set in the faces of the text around them."""
    return _installed(ROLES["body"].chain, _matplotlib_families())


def use_report_faces() -> None:
    """Set matplotlib's own faces to the report's CJK faces, so a chart an analyst draws with pyplot shows
    Chinese, not boxes. Without a CJK face installed, matplotlib is left as it is (the build says why)."""
    import matplotlib

    try:
        faces = chart_faces()
    except SetupError:
        return
    matplotlib.rcParams.update({"font.family": list(faces), "axes.unicode_minus": False})


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


def _covers(ranges: tuple[tuple[int, ...], tuple[int, ...]], point: int) -> bool:
    starts, ends = ranges
    i = bisect.bisect_right(starts, point) - 1
    return i >= 0 and point <= ends[i]


def uncovered(text: str) -> list[tuple[int, str]]:
    """(offset, character) of each character of ``text`` that no face of the body's chain can draw:
    it would be shown as a box. Empty where fontconfig is not there to ask."""
    try:
        chain = faces("body")
    except SetupError:
        return []
    charsets = [ranges for ranges in map(_charset, chain) if ranges is not None]
    if not charsets:
        return []
    return [(offset, char) for offset, char in enumerate(text) if ord(char) >= 0x80 and not any(_covers(ranges, ord(char)) for ranges in charsets)]


def office_faces() -> frozenset[str]:
    """Every face name an office PC knows, of every role: what a Word copy's styles may name."""
    return frozenset(face for role in ROLES.values() for face in role.office)


def fontconfig_aliases() -> str:
    """A fontconfig file that draws each office-PC name (仿宋_GB2312, 黑体 …) with the role's installed face,
    so LibreOffice on Linux shows a Word copy as Word on an office PC does."""
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        "<!-- Written by make setup from src/helpers/fonts.py (ROLES): office-PC face names, drawn with open faces. -->",
        "<fontconfig>",
    ]
    for role in ROLES.values():
        chain = "".join(f"<family>{face}</family>" for face in (role.shipped, *role.fallback))
        for name in role.office:
            lines.append(f'  <alias binding="same"><family>{name}</family><prefer>{chain}</prefer></alias>')
    return "\n".join([*lines, "</fontconfig>"]) + "\n"


def install_aliases(home: Path | None = None) -> Path:
    """Put :func:`fontconfig_aliases` in the user's fontconfig folder (idempotent)."""
    import os

    base = Path(os.environ.get("XDG_CONFIG_HOME") or (home or Path.home()) / ".config")
    target = base / "fontconfig" / "conf.d" / "65-annual-report-office-faces.conf"
    text = fontconfig_aliases()
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        installed_families.cache_clear()
    return target


def typst_declarations() -> str:
    """``report/typst/fonts.typ`` for this machine: each role's installed faces, as header.typ reads them."""
    lines = ["// The faces of each role installed on the machine that built the report (helpers/fonts.py)."]
    for role in ROLES:
        chain = ", ".join(f'"{family}"' for family in faces(role))
        lines.append(f"#let {role}-fonts = ({chain},)")
    return "\n".join(lines) + "\n"


def css_declarations() -> str:
    """``report/fonts.css``: each role's whole chain as a CSS variable, for the HTML. A browser skips the faces
    its machine lacks, so the reviewer's own 仿宋 or 黑体 (Windows, macOS) is used where there is one."""
    lines = ["/* The faces of each role (src/helpers/fonts.py, ROLES); written by python -m helpers.fonts. */", ":root {"]
    for name, role in ROLES.items():
        chain = ", ".join(f'"{face}"' for face in role.chain)
        lines.append(f"  --{name}-faces: {chain}, {role.generic};")
    return "\n".join(lines) + "\n}\n"


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--aliases"]:  # make setup: LibreOffice draws the Word copy's office faces
        print(install_aliases())
    else:
        Path(sys.argv[1] if len(sys.argv) > 1 else "report/fonts.css").write_text(css_declarations(), encoding="utf-8")
