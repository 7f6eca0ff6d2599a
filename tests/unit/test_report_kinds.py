"""A report's own title, kind and signatory come from report.yml or offices.csv, never from a fixed pattern."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.data.dataset import load_dataset
from helpers.document.document import compose
from helpers.errors import InputError
from helpers.model.variables import all_metrics


def _compose(data_dir: Path, office: str = "taoyuan", year: int = 2024) -> str:
    data = load_dataset(data_dir, office, year)
    return compose(data, all_metrics(data))


def _report_yml(data_copy: Path, text: str, office: str = "taoyuan", year: int = 2024) -> None:
    (data_copy / office / str(year) / "report.yml").write_text(text, encoding="utf-8")


def test_the_default_title_and_signature_are_the_kinds_and_the_offices(data_copy):
    qmd = _compose(data_copy)
    assert "title: 深圳市南山区桃源街道办事处2024年法治政府建设年度报告" in qmd
    assert "::: {.signature}\n深圳市南山区桃源街道办事处\\\n2024年12月9日\n:::" in qmd


def test_report_yml_sets_the_whole_title_and_a_persons_signature(data_copy):
    _report_yml(
        data_copy,
        "date: 2024-12-09\nstatus: final\nkind: principal-duty\ntitle: 桃源街道党工委书记2024年度述法报告\n"
        "signature:\n  - 桃源街道党工委书记\n  - 张某某\n",
    )
    qmd = _compose(data_copy)
    assert "title: 桃源街道党工委书记2024年度述法报告" in qmd
    assert "::: {.signature}\n桃源街道党工委书记\\\n张某某\\\n2024年12月9日\n:::" in qmd


def test_a_kind_gives_its_own_title_pattern(data_copy):
    _report_yml(data_copy, "date: 2024-12-09\nstatus: final\nkind: principal-duty\n")
    data = load_dataset(data_copy, "taoyuan", 2024)
    assert data.title == "深圳市南山区桃源街道办事处党政主要负责人2024年度履行推进法治建设第一责任人职责情况报告"


def test_an_offices_title_pattern_is_used_for_each_of_its_years(data_copy):
    offices = data_copy / "offices.csv"
    text = offices.read_text(encoding="utf-8").splitlines()
    text[0] += ",title_zh"
    text = [text[0]] + [line + (",{short}法治政府建设年度报告({year}年度)" if line.startswith("taoyuan,") else ",") for line in text[1:]]
    offices.write_text("\n".join(text) + "\n", encoding="utf-8")
    assert load_dataset(data_copy, "taoyuan", 2024).title == "桃源街道办法治政府建设年度报告(2024年度)"
    assert load_dataset(data_copy, "xinhe", 2024).title.endswith("2024年法治政府建设年度报告")


def test_an_unknown_placeholder_in_an_offices_title_pattern_is_located(data_copy):
    offices = data_copy / "offices.csv"
    lines = offices.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",title_zh"] + [line + ",{town}{year}年报告" for line in lines[1:]]
    offices.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_dataset(data_copy, "taoyuan", 2024)
    assert any(p.column == "title_zh" and "{town}" in p.message and p.row == 2 for p in caught.value.problems)


@pytest.mark.parametrize(
    "text, column",
    [
        ("date: 2024-12-09\nsignatory: 张三\n", "signatory"),
        ("date: 2024-12-09\nkind: annual\n", "kind"),
        ("date: 2024-12-09\nsignature: []\n", "signature"),
        ("date: 2024-12-09\ntitle:\n  - a\n", "title"),
    ],
)
def test_report_yml_refuses_what_it_does_not_know_with_file_line_and_key(data_copy, text, column):
    _report_yml(data_copy, text)
    with pytest.raises(InputError) as caught:
        load_dataset(data_copy, "taoyuan", 2024)
    problem = next(p for p in caught.value.problems if p.column == column)
    assert problem.file.endswith("taoyuan/2024/report.yml") and problem.row == 2


def test_an_outline_without_a_part_its_kind_requires_is_warned_about(data_copy):
    sections = data_copy / "xinhe" / "sections.csv"
    sections.write_text(sections.read_text(encoding="utf-8").replace("存在的不足和原因", "其他情况"), encoding="utf-8")
    data = load_dataset(data_copy, "xinhe", 2024)
    assert any("不足" in w.message and w.file.endswith("xinhe/sections.csv") for w in data.warnings)


def test_an_office_reports_a_catalog_indicator_in_its_own_name_and_unit(data_copy):
    (data_copy / "taoyuan" / "definitions.csv").write_text("indicator,name_zh,unit,definition_zh\nmediation.cases,调解案件,件,\n", encoding="utf-8")
    data = load_dataset(data_copy, "taoyuan", 2024)
    assert data.figures["mediation.cases"].text == "502件"
    assert data.catalog.indicators["mediation.cases"].name_zh == "调解案件"
    qmd = compose(data, all_metrics(data))
    assert "502件" in qmd and "502宗" not in qmd
    other = load_dataset(data_copy, "qingshi", 2024)  # another office keeps the catalog's words
    assert other.catalog.indicators["mediation.cases"].unit == "宗"
    assert load_dataset(data_copy, "xinhe", 2024).figures["mediation.cases"].text == "410件"  # and its own


def test_an_office_cannot_give_a_rate_another_unit_than_percent(data_copy):
    (data_copy / "taoyuan" / "definitions.csv").write_text("indicator,unit\nmediation.success_rate,分\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_dataset(data_copy, "taoyuan", 2024)
    assert any(p.column == "unit" and p.row == 2 and "比率" in p.message for p in caught.value.problems)


def _add_to_catalog(data_copy: Path, rows: list[str]) -> None:
    """Rows in the fixtures' catalog columns: id … headline, parts_complete, max_value."""
    catalog = data_copy / "indicators.csv"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n".join(rows) + "\n", encoding="utf-8")


def _parts_of_review(data_copy: Path, parts: dict[str, int], whole: int = 1090, complete: bool = False) -> None:
    """合法性审查 and its parts (规范性文件, 执法决定, 合同 …) added to the fixtures' catalog and Taoyuan 2024."""
    rows = [f"review.total,s3-2,合法性审查,件,count,neutral,,,,,{'yes' if complete else ''},"]
    rows += [
        f"review.{key},s3-2,{name},件,count,neutral,,,review.total,,,"
        for key, name in (("docs", "规范性文件"), ("decisions", "执法决定"), ("other", "其他"), ("contracts", "合同"))
    ]
    _add_to_catalog(data_copy, rows)
    values = data_copy / "taoyuan" / "2024" / "values.csv"
    extra = [f"review.total,{whole},,,街道台账,"] + [f"review.{key},{n},,,街道台账," for key, n in parts.items()]
    values.write_text(values.read_text(encoding="utf-8") + "\n".join(extra) + "\n", encoding="utf-8")
    report = data_copy / "taoyuan" / "2024" / "report.yml"
    report.write_text("date: 2024-12-09\nstatus: draft\n", encoding="utf-8")


def test_parts_adding_to_more_than_their_whole_are_a_located_warning_in_a_draft(data_copy):
    _parts_of_review(data_copy, {"docs": 2, "decisions": 10, "other": 1, "contracts": 1080})
    data = load_dataset(data_copy, "taoyuan", 2024)
    warning = next(w for w in data.warnings if "其中各项之和" in w.message)
    assert warning.file.endswith("taoyuan/2024/values.csv") and warning.column == "value"
    assert "2件+10件+1件+1080件=1093件，大于总数" in warning.message


def test_parts_that_cover_their_whole_must_add_up_to_it(data_copy):
    _parts_of_review(data_copy, {"docs": 2, "decisions": 10, "other": 1, "contracts": 1070}, complete=True)
    with pytest.raises(InputError) as caught:
        load_dataset(data_copy, "taoyuan", 2024)
    assert any("应合计等于总数" in p.message and "=1083件" in p.message for p in caught.value.problems)


def test_a_whole_shows_its_parts_under_it_in_the_table_and_together_in_the_chart(data_copy):
    from helpers.model.sectionview import SectionView

    _parts_of_review(data_copy, {"docs": 2, "decisions": 10, "other": 1, "contracts": 1077})
    view = SectionView(load_dataset(data_copy, "taoyuan", 2024), "s3-2")
    table = view.table_markdown()
    lines = [line for line in table.splitlines() if "合法性审查" in line or "规范性文件" in line or "执法决定" in line]
    assert lines[0].startswith("| 合法性审查 |") and lines[1].startswith("| 其中：规范性文件 |")
    assert lines[2].startswith("| 　　　执法决定 |")
    panels = {p.title: p for p in view.panels()}
    parts = panels["合法性审查的构成（%）"]
    assert [b.label for b in parts.bars] == ["规范性文件占合法性审查", "执法决定占合法性审查", "其他占合法性审查", "合同占合法性审查"]
    assert round(sum(b.value for b in parts.bars), 1) == 100.0
    assert all(b.label.endswith("合法性审查") for b in parts.bars)  # no unrelated rate among them


def _scored(data_copy: Path, score_now: str, score_then: str, rank_now: str, rank_then: str) -> None:
    """A score out of 100 and a rank added to the fixtures' catalog, for Taoyuan 2023 and 2024."""
    _add_to_catalog(
        data_copy, ["assessment.score,s2,班子成员述法平均得分,分,score,up,,,,,,100", "assessment.rank,s2,全区考核排名,名,rank,down,,,,,,"]
    )
    for year, score, rank in ((2023, score_then, rank_then), (2024, score_now, rank_now)):
        values = data_copy / "taoyuan" / str(year) / "values.csv"
        values.write_text(
            values.read_text(encoding="utf-8") + f"assessment.score,{score},,,区考核通报,\nassessment.rank,{rank},,,区考核通报,\n", encoding="utf-8"
        )


def test_a_score_changes_in_points_and_a_rank_moves_in_places(data_copy):
    from helpers.model.comparison import Verdict
    from helpers.model.sectionview import SectionView

    _scored(data_copy, "98", "96.5", "3", "5")
    view = SectionView(load_dataset(data_copy, "taoyuan", 2024), "s2")
    found = {c.current.indicator.id: c for c in view.comparisons()}
    assert found["assessment.score"].phrase == "较上年提高1.5分" and found["assessment.score"].verdict == Verdict.IMPROVED
    assert found["assessment.rank"].phrase == "较上年前进2位" and found["assessment.rank"].verdict == Verdict.IMPROVED
    assert found["assessment.rank"].current.text == "第3名"
    assert not any(b.label.startswith("全区考核排名") for p in view.panels() for b in p.bars)  # a place is not a length
    assert "全区考核排名是名次，只列在表中" in view.chart_alt()


@pytest.mark.parametrize("score, rank, column_message", [("101", "3", "超过满分100分"), ("98", "0", "须为正整数"), ("98", "2.5", "不是整数")])
def test_a_score_above_its_maximum_or_a_rank_that_is_not_a_place_is_refused(data_copy, score, rank, column_message):
    _scored(data_copy, score, "96", rank, "5")
    with pytest.raises(InputError) as caught:
        load_dataset(data_copy, "taoyuan", 2024)
    assert any(column_message in p.message and p.file.endswith("taoyuan/2024/values.csv") for p in caught.value.problems)


def _honoured(data_copy: Path, now: str, then: str, qualifier: str = "") -> None:
    """An honour (a text value) added to the fixtures' catalog, for Taoyuan 2023 and 2024."""
    _add_to_catalog(data_copy, ["assessment.honour,s2,法治建设荣誉,项,honour,neutral,,,,,,"])
    for year, words in ((2023, then), (2024, now)):
        values = data_copy / "taoyuan" / str(year) / "values.csv"
        if words:
            values.write_text(values.read_text(encoding="utf-8") + f"assessment.honour,{words},{qualifier},,区通报,\n", encoding="utf-8")


@pytest.mark.parametrize(
    "then, phrase",
    [
        ("获评市级法治宣传教育先进单位", "上年为“获评市级法治宣传教育先进单位”"),
        ("入选省级民主法治示范社区（第三批）", "与上年相同"),
        ("", "上年无此项"),
    ],
)
def test_an_honour_is_stated_and_compared_as_words_never_charted(data_copy, then, phrase):
    from helpers.model.comparison import Verdict
    from helpers.model.sectionview import SectionView

    _honoured(data_copy, "入选省级民主法治示范社区（第三批）", then)
    view = SectionView(load_dataset(data_copy, "taoyuan", 2024), "s2")
    found = {c.current.indicator.id: c for c in view.comparisons()}["assessment.honour"]
    assert found.current.text == "入选省级民主法治示范社区（第三批）"  # as typed: full-width brackets stay
    assert found.phrase == phrase
    assert found.verdict in (Verdict.DESCRIBED, Verdict.UNCHANGED) and found.change is None
    assert "| 法治建设荣誉 | 入选省级民主法治示范社区（第三批） |" in view.table_markdown()
    assert not any(b.label.startswith("法治建设荣誉") for p in view.panels() for b in p.bars)
    assert not any(t.title.startswith("法治建设荣誉") for t in view.trends())
    rows = view.data()
    assert rows.loc[rows.indicator == "assessment.honour", "value"].tolist()[-1] == "入选省级民主法治示范社区（第三批）"


@pytest.mark.parametrize("words, qualifier, message", [("入选" * 31, "", "荣誉最多60字"), ("获评先进单位", "约", "不能加限定词")])
def test_an_honour_that_is_too_long_or_qualified_is_refused_located(data_copy, words, qualifier, message):
    _honoured(data_copy, words, "", qualifier)
    with pytest.raises(InputError) as caught:
        load_dataset(data_copy, "taoyuan", 2024)
    assert any(message in p.message and p.file.endswith("taoyuan/2024/values.csv") for p in caught.value.problems)


def test_an_honour_that_claims_a_direction_is_refused_in_the_catalog(data_copy):
    _add_to_catalog(data_copy, ["assessment.honour,s2,法治建设荣誉,项,honour,up,,,,,,"])
    with pytest.raises(InputError) as caught:
        load_dataset(data_copy, "taoyuan", 2024)
    assert any(p.column == "polarity" and "荣誉" in p.message and p.file.endswith("indicators.csv") for p in caught.value.problems)


def test_an_honour_cannot_be_a_whole_or_the_base_of_a_rate(data_copy):
    """Words cannot be summed or divided: a part of an honour is refused in the catalog, located, with no traceback."""
    _add_to_catalog(
        data_copy,
        ["assessment.honour,s2,法治建设荣誉,项,honour,neutral,,,,,,", "assessment.part,s2,荣誉之一,项,count,neutral,,,assessment.honour,,,"],
    )
    with pytest.raises(InputError) as caught:
        load_dataset(data_copy, "taoyuan", 2024)
    assert any(p.column == "part_of" and "是荣誉（文字）" in p.message and p.file.endswith("indicators.csv") for p in caught.value.problems)
