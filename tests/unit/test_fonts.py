"""Each role of the document (仿宋 body, 黑体 and 楷体 headings, 小标宋 title, 宋体 page numbers) takes the
first installed face of its chain, keeps the rest behind it, and says when it had to fall back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import fonts
from helpers.errors import SetupError


@pytest.fixture(autouse=True)
def fresh_lookup():
    fonts.installed_families.cache_clear()
    fonts.chart_faces.cache_clear()
    yield
    fonts.installed_families.cache_clear()
    fonts.chart_faces.cache_clear()


def installed(monkeypatch, *families: str) -> None:
    monkeypatch.setattr(fonts, "installed_families", lambda: frozenset(families))


def test_a_role_takes_its_first_installed_face_and_keeps_the_rest_behind_it(monkeypatch):
    installed(monkeypatch, "FandolKai", "Noto Serif CJK SC", "DejaVu Sans")
    assert fonts.faces("subheading") == ("FandolKai", "Noto Serif CJK SC")


def test_a_licensed_face_an_office_installs_is_preferred_without_any_setting(monkeypatch):
    installed(monkeypatch, "FZFangSong-Z02S", "FandolFang R", "Noto Serif CJK SC")
    assert fonts.face("body") == "FZFangSong-Z02S"
    assert fonts.substitutes() != [] and not [n for n in fonts.substitutes() if "仿宋" in n]


def test_a_missing_face_is_said_with_what_stands_in_for_it(monkeypatch):
    installed(monkeypatch, "Noto Serif CJK SC", "Noto Sans CJK SC")
    notes = fonts.substitutes()
    assert len(notes) == len(fonts.ROLES)
    assert any("仿宋" in n and "FandolFang R" in n and "Noto Serif CJK SC" in n for n in notes)
    assert all("tools/system-packages.sh" in n for n in notes)


def test_a_machine_without_a_cjk_face_gets_the_install_line(monkeypatch):
    installed(monkeypatch, "DejaVu Sans")
    with pytest.raises(SetupError, match=r"tools/system-packages\.sh"):
        fonts.face("body")


def test_the_typst_declarations_name_every_role_in_chain_order(monkeypatch):
    installed(monkeypatch, "FandolFang R", "FandolHei", "FandolKai", "FandolSong", "Noto Serif CJK SC", "Noto Sans CJK SC")
    text = fonts.typst_declarations()
    for role in fonts.ROLES:
        assert f"#let {role}-fonts = (" in text
    assert '#let body-fonts = ("FandolFang R", "Noto Serif CJK SC", "Noto Sans CJK SC",)' in text


@pytest.mark.skipif(not shutil.which("fc-list"), reason="needs fontconfig")
def test_charts_are_set_in_the_faces_of_the_body_on_this_machine():
    assert fonts.chart_faces() == fonts.faces("body")


def test_without_fontconfig_matplotlib_still_finds_a_face(monkeypatch):
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    assert fonts.face("body") in fonts.ROLES["body"].chain


@pytest.mark.skipif(not shutil.which("fc-match"), reason="needs fontconfig")
def test_a_character_the_first_face_lacks_is_drawn_by_the_next_and_only_one_no_face_has_is_flagged():
    # 堃 is outside GB 2312 (so outside the Fandol faces) but in Noto CJK; U+20000 is in neither
    assert fonts.uncovered("桃源堃\U00020000") == [(3, "\U00020000")]


def test_the_html_names_the_same_chains_as_the_pdf():
    shipped = Path(__file__).parents[2] / "report" / "fonts.css"
    assert shipped.read_text(encoding="utf-8") == fonts.css_declarations(), "run: python -m helpers.fonts report/fonts.css"
