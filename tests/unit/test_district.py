"""A district compares its offices: shared indicators side by side, never two different things on one scale."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.errors import UsageError
from helpers.model.district import load_comparison

from ..conftest import DATA, replace_in


def test_shared_indicators_are_side_by_side_with_each_offices_own_change():
    comparison = load_comparison(2024, "taoyuan,xinhe", DATA)
    shared = {s.indicator.id: s for s in comparison.shared}
    rate = shared["study.exam_participation_rate"]
    assert rate.comparable and [e.office.id for e in rate.entries] == ["taoyuan", "xinhe"]
    assert [e.change.phrase for e in rate.entries] == ["与上年持平", "较上年提高1.5个百分点"]
    assert [p.title for p in comparison.panels()] == ["干部学法考试参考率（%）"]


def test_values_with_different_periods_qualifiers_or_definitions_are_flagged_not_compared():
    shared = {s.indicator.id: s for s in load_comparison(2024, ("taoyuan", "xinhe"), DATA).shared}
    assert shared["mediation.cases"].reasons == ["统计期不同：桃源街道办截至10月，新河街道办（示例）全年",
                                                 "计量单位不同：桃源街道办宗，新河街道办（示例）件"]
    assert shared["mediation.cases"].names == "各单位名称不同：桃源街道办称“人民调解案件”，新河街道办（示例）称“调解矛盾纠纷”"
    assert shared["mediation.success_rate"].names == ""  # the same name: nothing to say
    assert shared["petitions.cases"].reasons == ["含约数：新河街道办（示例）约800宗"]
    assert shared["disputes.litigation_cases"].reasons[0].startswith("统计口径不同：")
    assert not any(s.comparable for key, s in shared.items() if key != "study.exam_participation_rate")


def test_indicators_only_one_office_reports_are_listed_apart():
    comparison = load_comparison(2024, "", DATA)
    single = {e.indicator.id: e.office.id for e in comparison.single}
    assert single["training.law_sessions"] == "xinhe" and single["publicity.new_zones"] == "taoyuan"
    assert "disclosure.requests" in single  # not applicable to xinhe this year: taoyuan's alone
    assert not set(single) & {s.indicator.id for s in comparison.shared}


def test_the_same_definition_makes_a_figure_comparable(data_copy: Path):
    (data_copy / "xinhe" / "definitions.csv").unlink()
    replace_in(data_copy / "xinhe" / "2024" / "values.csv", "petitions.cases,800,约", "petitions.cases,800,")
    shared = {s.indicator.id: s for s in load_comparison(2024, "", data_copy).shared}
    assert shared["disputes.litigation_cases"].comparable and shared["petitions.cases"].comparable


def test_a_comparison_needs_two_offices():
    with pytest.raises(UsageError, match="至少需要两个单位"):
        load_comparison(2024, "taoyuan", DATA)
