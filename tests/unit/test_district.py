"""A district compares its offices: measures lined up by the shared concepts whatever each office calls
them, never two different things on one scale, with who reports what and the figures per 10,000 residents."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from helpers.document.document import compose_comparison
from helpers.errors import InputError, UsageError
from helpers.model.district import Standing, load_comparison

from ..conftest import DATA, replace_in
from ..district import DISTRICT, make_district


def test_shared_indicators_are_side_by_side_with_each_offices_own_change():
    comparison = load_comparison(2024, "taoyuan,xinhe", DATA)
    shared = {s.key: s for s in comparison.shared}
    rate = shared["concept:exam_participation_rate"]
    assert rate.comparable and [e.office.id for e in rate.entries] == ["taoyuan", "xinhe"]
    assert [e.change.phrase for e in rate.entries] == ["与上年持平", "较上年提高1.5个百分点"]


def test_different_indicator_ids_for_one_concept_are_compared_each_under_its_own_name():
    comparison = load_comparison(2024, "taoyuan,xinhe", DATA)
    appeals = next(s for s in comparison.shared if s.key == "concept:reconsideration_cases")
    assert [(e.office.id, e.indicator.id, e.indicator.name_zh) for e in appeals.entries] == [
        ("taoyuan", "disputes.reconsideration_cases", "配合处置行政复议案件"),
        ("xinhe", "review.cases", "行政复议案件"),
    ]
    assert appeals.comparable and appeals.name_zh == "行政复议案件"
    assert "| 配合处置行政复议案件 | 5宗 |" in comparison.table_markdown()


def test_values_with_different_periods_qualifiers_or_definitions_are_flagged_not_compared():
    shared = {s.key: s for s in load_comparison(2024, ("taoyuan", "xinhe"), DATA).shared}
    cases = shared["concept:mediation_cases"]
    assert cases.reasons == ["统计期不同：桃源街道办截至10月"]  # 宗 and 件: a count's measure word, not a definition
    assert [cases.standing(e) for e in cases.entries] == [Standing.OTHER_PERIOD, Standing.REPORTED]
    assert shared["concept:petitions"].reasons == ["含约数：新河街道办（示例）约800宗"]
    assert shared["concept:litigation_cases"].reasons[0].startswith("统计口径不同：新河街道办（示例）口径为“仅统计")
    fines = shared["concept:confiscations"]  # the catalog says how Taoyuan's 罚款 differs from 罚没金额
    assert fines.reasons[0].startswith("统计口径不同：桃源街道办口径为“各重点领域执法累计罚款")
    assert {key for key, s in shared.items() if s.comparable} == {"concept:exam_participation_rate", "concept:reconsideration_cases"}


def test_an_amount_in_another_unit_is_another_definition(data_copy: Path):
    replace_in(data_copy / "xinhe" / "definitions.csv", "mediation.resolved,,件,", "mediation.resolved,,件,\nenforcement.confiscations,,元,")
    fines = next(s for s in load_comparison(2024, "taoyuan,xinhe", data_copy).shared if s.key == "concept:confiscations")
    assert [fines.standing(e) for e in fines.entries] == [Standing.OTHER_DEFINITION, Standing.OTHER_DEFINITION]
    assert "新河街道办（示例）以元计" in fines.reasons[0]


def test_indicators_only_one_office_reports_are_listed_apart():
    comparison = load_comparison(2024, "", DATA)
    single = {e.indicator.id: e.office.id for e in comparison.single}
    assert single["training.law_sessions"] == "xinhe" and single["publicity.new_zones"] == "taoyuan"
    assert "disclosure.requests" in single  # not applicable to xinhe this year: taoyuan's alone
    assert not set(single) & {e.indicator.id for s in comparison.shared for e in s.entries}


def test_the_same_definition_makes_a_figure_comparable(data_copy: Path):
    (data_copy / "xinhe" / "definitions.csv").unlink()
    replace_in(data_copy / "xinhe" / "2024" / "values.csv", "petitions.cases,800,约", "petitions.cases,800,")
    shared = {s.key: s for s in load_comparison(2024, "", data_copy).shared}
    assert shared["concept:litigation_cases"].comparable and shared["concept:petitions"].comparable


def test_four_offices_with_their_own_ids_compare_on_the_concepts_they_name(data_copy: Path):
    make_district(data_copy)
    comparison = load_comparison(2024, "", data_copy, district=DISTRICT)
    assert [o.id for o in comparison.offices] == ["beishan", "dongcun", "nanwan", "xijie"]
    assert comparison.title == f"2024年{DISTRICT}各单位法治政府建设指标对比"
    meetings = next(s for s in comparison.shared if s.key == "concept:committee_meetings")
    assert [e.indicator.name_zh for e in meetings.entries] == ["法治建设领导小组会议", "依法治镇委员会专题会议", "专题党委会", "依法治街委员会会议"]
    assert len(meetings.comparable_entries) == 4
    appeals = next(s for s in comparison.shared if s.key == "concept:reconsideration_cases")
    assert [e.office.id for e in appeals.comparable_entries] == ["dongcun", "nanwan", "xijie"]  # beishan's is 截至10月
    assert comparison.charted and {p.title for p in comparison.panels()} >= {"依法治街（镇）委员会会议（次）", "行政复议案件（件）"}


def test_the_coverage_table_lists_every_office_and_concept(data_copy: Path):
    make_district(data_copy)
    comparison = load_comparison(2024, "", data_copy, district=DISTRICT)
    coverage = comparison.coverage_tidy()
    assert len(coverage) == 4 * len(comparison.concepts) and len(comparison.concepts) >= 20
    cells = {(r.office, r.concept): r.standing for r in coverage.itertuples()}
    assert cells[("南湾街道（示例）", "legality_contracts")] == "approximate"
    assert cells[("北山镇（示例）", "reconsideration_cases")] == "other_period"
    assert cells[("北山镇（示例）", "legality_contracts")] == "missing"
    assert cells[("东村镇（示例）", "committee_meetings")] == "reported"
    table = comparison.coverage_markdown().splitlines()
    assert table[0].split("|")[2:6] == [" 北山镇（示例） ", " 东村镇（示例） ", " 南湾街道（示例） ", " 西街街道（示例） "]
    assert len(table) == 2 + len(comparison.concepts)


def test_counts_are_shown_per_ten_thousand_residents_where_the_population_is_known(data_copy: Path):
    make_district(data_copy)
    comparison = load_comparison(2024, "", data_copy, district=DISTRICT)
    meetings = {e.office.id: e for s in comparison.shared if s.key == "concept:committee_meetings" for e in s.entries}
    assert meetings["xijie"].per_capita == Decimal("0.23") and meetings["xijie"].per_capita_text() == "每万人0.23次"
    assert meetings["nanwan"].per_capita is None  # no population in offices.csv: none is made up
    rate = next(e for s in comparison.shared if s.key == "concept:mediation_success_rate" for e in s.entries)
    assert rate.per_capita is None  # a rate is not divided by the population
    assert "| 每万人 |" in comparison.table_markdown() and "常住人口128000人" in compose_comparison(comparison)


def test_a_comparison_with_nothing_in_common_says_so_and_shows_no_empty_figure_or_table():
    comparison = load_comparison(2024, "taoyuan,qingshi", DATA)
    assert not comparison.shared and not comparison.charted
    qmd = compose_comparison(comparison)
    assert "没有统计口径、统计期相同的共同指标，不作对比图" in qmd and "没有共同填报的指标，不列对比表" in qmd
    assert "fig-compare" not in qmd and 'tbl-compare"' not in qmd and "tbl-compare >" not in qmd
    assert "{{< embed notebooks/compare.ipynb#tbl-coverage >}}" in qmd  # who reports what is still worth a table


def test_fewer_than_three_comparable_concepts_draw_no_chart_and_say_how_many():
    comparison = load_comparison(2024, "taoyuan,xinhe", DATA)
    assert len(comparison.compared) == 2 and comparison.chart() is None
    qmd = compose_comparison(comparison)
    assert "只有2项（少于3项），不作对比图" in qmd and "fig-compare" not in qmd and "#tbl-compare >" in qmd


def test_an_indicator_naming_an_unknown_concept_or_one_of_another_kind_is_refused(data_copy: Path):
    replace_in(data_copy / "indicators.csv", ",petitions\n", ",no_such_concept\n")
    replace_in(data_copy / "indicators.csv", ",legal_opinions\n", ",exam_pass_rate\n")
    with pytest.raises(InputError) as caught:
        load_comparison(2024, "", data_copy)
    said = [str(p) for p in caught.value.problems]
    assert any(":concept: 概念“no_such_concept”未定义" in s for s in said)
    assert any(":concept: “法律顾问出具法律意见”的 kind 是 count" in s for s in said)


def test_a_district_not_in_offices_csv_is_refused_with_the_districts_there_are():
    with pytest.raises(UsageError, match="没有区“北区”；已有：南山区、"):
        load_comparison(2024, "", DATA, district="北区")


def test_a_comparison_needs_two_offices():
    with pytest.raises(UsageError, match="至少需要两个单位"):
        load_comparison(2024, "taoyuan", DATA)


def test_a_chart_of_many_offices_keeps_to_one_printed_page_and_leaves_the_rest_to_the_table():
    from helpers.model.charts import PAGE_IN, Bar, Panel, draw, fit_page

    panels = [Panel(f"指标{n}（件）", tuple(Bar(f"第{i:02d}街道", float(i), f"{i}件") for i in range(1, 13))) for n in range(13)]
    kept, row = fit_page(panels)
    assert len(kept) == 1 and row == pytest.approx(0.34)  # rows stay readable; twelve more measures are in the table
    assert draw(kept, row_in=row).get_size_inches()[1] <= PAGE_IN
    few = [Panel("甲（件）", (Bar("东", 1, "1件"), Bar("西", 2, "2件"))), Panel("乙（件）", (Bar("东", 3, "3件"),))]
    assert fit_page(few) == (few, pytest.approx(0.34))


def test_a_comparison_of_more_offices_than_fit_side_by_side_summarises_each_measure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import helpers.model.district as district

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    make_district(data)
    monkeypatch.setattr(district, "SIDE_BY_SIDE", 3)  # the four offices stand for a city of hundreds
    comparison = load_comparison(2024, (), data, district=DISTRICT)
    assert comparison.large and not comparison.charted and comparison.chart_panels() == ([], 0.0)
    table = comparison.table_markdown()
    assert table.splitlines()[0].startswith("| 指标 | 填报单位 | 可比单位 | 最小 | 中位数 | 最大 |")
    assert len(table.splitlines()) == 2 + len(comparison.shared)  # a row a measure, not a row an office
    assert "| 行政复议案件 | 4 | 3 | 1件 | 2件 | 5件 |" in table  # 北山镇's figure is of another period: not in the range
    assert "| 合同合法性审查 | 3 | 2 | 96件 | 138件 | 180件 |" in table  # 南湾's 约60件 neither
    coverage = comparison.coverage_markdown().splitlines()
    assert len(coverage) == 2 + len(comparison.concepts) and all(s.words in coverage[0] for s in Standing)
    text = compose_comparison(comparison)
    assert "单位较多（4个）" in text and "不逐一作图" in text and "北山镇（示例）、东村镇" in text


def test_a_large_download_is_staged_beside_the_document_and_put_into_the_html_after(tmp_path: Path):
    import base64

    import pandas as pd

    from helpers.document import downloads

    big = pd.DataFrame({"office": [f"第{n}街道" for n in range(5000)], "value": range(5000)})
    small = pd.DataFrame({"office": ["甲"], "value": [1]})
    with downloads.collecting() as large:
        markdown = downloads.link("大表", big) + downloads.link("小表", small)
    assert len(large) == 1 and "data:text/csv" in markdown and len(markdown) < downloads.INLINE_MAX
    downloads.stage(large, tmp_path)
    page = tmp_path / "report.html"
    page.write_text(markdown, encoding="utf-8")
    downloads.fill(page, tmp_path)
    uris = re.findall(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', page.read_text(encoding="utf-8"))
    assert [base64.b64decode(u) for u in uris] == [downloads.csv_bytes(big), downloads.csv_bytes(small)]
    assert downloads.link("大表", big).count("data:text/csv") == 1  # composed outside a build: inline, as before
