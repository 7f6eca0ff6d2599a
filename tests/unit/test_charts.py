"""Charts are drawn from the catalog, in a CJK font: no box ever stands in for a Chinese character."""

from __future__ import annotations

import warnings

import matplotlib
import pytest

from helpers.charts import Bar, Panel, draw, to_png
from helpers.dataset import load_dataset
from helpers.section import SectionView

from ..conftest import DATA


def missing_glyph_warnings(render) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render()
    return [str(w.message) for w in caught if "missing from" in str(w.message)]


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(DATA, "taoyuan", 2024)


def test_every_section_chart_draws_every_character(dataset):
    drawn = 0
    for section_id in dataset.outline.sections:
        fig = SectionView(dataset, section_id).chart()
        if fig is not None:
            assert missing_glyph_warnings(lambda fig=fig: to_png(fig)) == [], section_id
            drawn += 1
    assert drawn == 7


def test_each_bar_stands_beside_last_years_and_a_single_value_is_not_charted(dataset, data_copy):
    bars = [b for p in SectionView(dataset, "s3-4").panels() for b in p.bars]
    drills = next(b for b in bars if b.label == "应急演练活动")
    assert (drills.value, drills.previous, drills.previous_illustrative) == (22, 18, True)
    # a figure counted over another period than last year's has no pair
    assert next(b for b in bars if b.label.startswith("调解成功率")).previous is not None
    lone = load_dataset(data_copy, "taoyuan", 2022)  # the first year: nothing to pair with
    view = SectionView(lone, "s3-1")
    assert len(view.figures) == 1 and not view.chartable and view.chart() is None


def test_no_chart_text_is_smaller_than_a_phone_can_read(dataset):
    from helpers.charts import MIN_FONT_PT

    for section_id in ("s3-3", "s3-4"):
        view = SectionView(dataset, section_id)
        for fig in (view.chart(), view.trend_chart()):
            sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
            assert sizes and min(sizes) >= MIN_FONT_PT


def test_the_glyph_check_catches_a_font_without_chinese():
    """The check above is real: a Latin-only font does warn."""
    fig = draw([Panel("比率", (Bar("调解成功率", 97.6, "97.6%"),), share=True)])
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        for text in fig.findobj(matplotlib.text.Text):
            text.set_fontfamily("DejaVu Sans")
        assert missing_glyph_warnings(lambda: fig.savefig(__import__("io").BytesIO(), format="png"))


def test_a_rate_with_its_counts_becomes_one_share_bar(dataset):
    panels = SectionView(dataset, "s3-4").panels()
    shares = next(p for p in panels if p.share)
    assert Bar("调解成功率（截至10月）", 97.6, "97.6%", 97.1, "97.1%", True) in shares.bars
    counted = [b.label for p in panels if not p.share for b in p.bars]
    assert not any(label.startswith("人民调解案件") or label.startswith("调解成功案件") for label in counted)


def test_counts_are_grouped_by_unit_so_no_scale_mixes_units(dataset):
    panels = SectionView(dataset, "s3-3").panels()
    titles = [p.title for p in panels]
    assert "数量（单位：宗）" in titles and "数量（单位：万元）" in titles
    yuan = next(p for p in panels if p.title == "数量（单位：万元）")
    assert [b.text for b in yuan.bars] == ["61.7万元"]


def test_a_section_without_figures_has_no_chart(dataset):
    assert SectionView(dataset, "s2").chart() is None
