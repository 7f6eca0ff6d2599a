"""Charts are drawn from the catalog, in a CJK font: no box ever stands in for a Chinese character."""

from __future__ import annotations

import warnings

import matplotlib
import pytest

from helpers.data.dataset import load_dataset
from helpers.model.charts import Bar, Panel, draw, to_svg
from helpers.model.sectionview import SectionView

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
            assert missing_glyph_warnings(lambda fig=fig: to_svg(fig)) == [], section_id
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
    from helpers.model.charts import MIN_FONT_PT

    for section_id in ("s3-3", "s3-4"):
        view = SectionView(dataset, section_id)
        for fig in (view.chart(), view.trend_chart()):
            sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
            assert sizes and min(sizes) >= MIN_FONT_PT
            # shown across a 390 px phone (358 CSS px inside the page's margins), the smallest text is 11 px or more
            assert min(sizes) / 72 * 358 / fig.get_figwidth() >= 11


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


@pytest.mark.parametrize("section_id", ["s3-3", "s3-4"])
def test_counts_are_grouped_into_a_few_panels_where_every_bar_is_visible(dataset, section_id):
    from helpers.model.section import MAX_RATIO

    view = SectionView(dataset, section_id)
    panels = [p for p in view.panels() if not p.share]
    assert 1 <= len(panels) <= 4, [p.title for p in panels]
    for panel in panels:
        values = [v for b in panel.bars for v in (b.value, b.previous) if v]
        assert max(values) <= MAX_RATIO * min(values), (panel.title, values)
        assert len(panel.bars) > 1 or panel.bars[0].previous is not None, panel.title  # never a lone bar scaled alone
    money = [p for p in panels if any(b.text.endswith("万元") for b in p.bars)]
    assert all(all(b.text.endswith("万元") for b in p.bars) for p in money)  # amounts of money apart from counts


def test_a_bar_far_smaller_than_the_rest_is_left_to_the_table_and_the_alt_text_says_so():
    from helpers.model.section import _by_size

    bars = [Bar("信访", 1549, "1549宗"), Bar("复议", 5, "5宗"), Bar("诉讼", 7, "7宗"), Bar("排查", 463, "463次")]
    groups = _by_size(bars)
    assert [[b.label for b in g] for g in groups] == [["信访", "排查"], ["复议", "诉讼"]]


def test_a_chart_shows_itself_in_a_notebook_as_a_picture_in_vector_form_only(dataset):
    fig = SectionView(dataset, "s3-4").chart()
    assert fig._repr_svg_().lstrip().startswith("<?xml") and "<svg" in fig._repr_svg_()
    assert not hasattr(fig, "_repr_png_") or fig._repr_png_() is None  # the Word copy's PNG is drawn at render time
    shown, metadata = SectionView(dataset, "s3-4").figure()._repr_mimebundle_()
    assert set(shown) == {"image/svg+xml"} and set(metadata) == {"image/svg+xml"}  # the SVG and what it is drawn from


def test_importing_helpers_in_ipython_sets_matplotlibs_faces_to_the_reports():
    import subprocess
    import sys

    code = "import IPython, helpers, matplotlib; print(matplotlib.rcParams['font.family'][0])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    from helpers.fonts import chart_faces

    assert out == chart_faces()[0]


def test_counts_show_as_whole_numbers_beside_rates(dataset):
    frame = SectionView(dataset, "s3-4").data()
    drills = frame[(frame.indicator == "safety.drills") & (frame.year == 2024)]["value"].iloc[0]
    assert repr(drills) == "22"
    rate = frame[(frame.indicator == "mediation.success_rate") & (frame.year == 2024)]["value"].iloc[0]
    assert rate == 97.6


def test_a_section_without_figures_has_no_chart(dataset):
    assert SectionView(dataset, "s2").chart() is None
