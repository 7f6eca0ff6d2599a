"""A CJK font is found through fontconfig (fast) or matplotlib, and its absence is a clear setup error."""

from __future__ import annotations

import pytest

from helpers import fonts
from helpers.errors import SetupError


@pytest.fixture(autouse=True)
def fresh_lookup():
    fonts.installed_families.cache_clear()
    yield
    fonts.installed_families.cache_clear()


def test_fontconfig_and_matplotlib_agree_on_the_chart_font():
    assert fonts.cjk_family("sans") == fonts.chart_family()
    assert "CJK" in fonts.cjk_family("serif") or "Han" in fonts.cjk_family("serif")


def test_without_fontconfig_matplotlib_finds_the_font(monkeypatch):
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    assert fonts.cjk_family("serif") in fonts.SERIF + fonts.SANS


def test_a_machine_without_a_cjk_font_gets_the_install_line(monkeypatch):
    monkeypatch.setattr(fonts, "_fontconfig_families", lambda: {"DejaVu Sans"})
    monkeypatch.setattr(fonts, "_matplotlib_families", lambda: {"DejaVu Sans"})
    with pytest.raises(SetupError, match="apt-get install fonts-noto-cjk"):
        fonts.cjk_family("serif")
