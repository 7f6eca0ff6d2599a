"""Any office: its own outline, or what it has reported; nothing of another office ever reaches its report."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from openpyxl import load_workbook

from helpers.data.dataset import load_dataset
from helpers.data.excel import SHEET, write_template
from helpers.data.scaffold import new_year
from helpers.document.document import compose
from helpers.model.scorecard import scorecard_markdown
from helpers.model.sectionview import SectionView

from ..conftest import DATA
from .test_year_over_year import metrics

TAOYUAN_ONLY = ("鹏辰驿站", "物联感知", "中小企业服务站", "巡回普法")


def without_xinhe(tmp_path: Path) -> Path:
    """The fixture data as it was before the second office and its catalog rows were added."""
    data = tmp_path / "before"
    shutil.copytree(DATA, data)
    shutil.rmtree(data / "xinhe")
    for name, column in (("offices.csv", "id"), ("indicators.csv", "section")):
        rows = list(csv.DictReader(io.StringIO((data / name).read_text(encoding="utf-8"))))
        kept = [r for r in rows if (r[column] != "xinhe" if column == "id" else r[column] != "")]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
        (data / name).write_text(out.getvalue(), encoding="utf-8")
    return data


def test_adding_an_office_and_its_catalog_rows_leaves_another_offices_report_unchanged(tmp_path: Path):
    before = load_dataset(without_xinhe(tmp_path), "taoyuan", 2024)
    after = load_dataset(DATA, "taoyuan", 2024)
    assert len(after.catalog.indicators) > len(before.catalog.indicators)
    assert compose(after, metrics(after)) == compose(before, metrics(before))


def test_an_office_with_its_own_outline_reports_its_headings_in_its_order():
    data = load_dataset(DATA, "xinhe", 2024)
    headings = [s.heading(2024) for s in data.outline.sections.values()]
    assert headings == [
        "一、2024年度法治政府建设情况",
        "（一）提高依法行政的意识和能力",
        "（二）坚持严格规范公正文明执法",
        "1.合法性审查",
        "（三）化解矛盾纠纷",
        "1.人民调解",
        "2.信访工作",
        "二、存在的不足和原因",
        "三、下一年度工作计划",
    ]
    assert [f.indicator.id for f in SectionView(data, "a3-1").figures][:2] == ["mediation.cases", "mediation.resolved"]
    assert SectionView(data, "a3").figures == ()  # its items hold its figures, under their own headings


def test_no_other_offices_indicator_reaches_its_report_template_scaffold_or_scorecard(tmp_path: Path, data_copy: Path):
    data = load_dataset(DATA, "xinhe", 2024)
    qmd = compose(data, metrics(data))
    assert not any(word in qmd for word in TAOYUAN_ONLY)
    assert "待补" not in qmd and "尚无数据" not in qmd
    assert "本节以下指标本年不适用：收到政府信息公开申请" in qmd
    assert not any(word in scorecard_markdown(data) for word in TAOYUAN_ONLY)

    book = load_workbook(write_template(DATA, "xinhe", 2025, tmp_path / "t.xlsx"))[SHEET]
    listed = [row[0].value for row in book.iter_rows(min_row=2)]
    assert listed == data.outline.indicators

    new_year(data_copy, "xinhe", 2025)
    scaffold = (data_copy / "xinhe" / "2025" / "values.csv").read_text(encoding="utf-8")
    assert [line.split(",")[0] for line in scaffold.splitlines()[1:]] == data.outline.indicators


def test_an_office_without_an_outline_holds_only_what_it_has_reported(data_copy: Path):
    (data_copy / "offices.csv").write_text(
        (data_copy / "offices.csv").read_text(encoding="utf-8") + "small,示例镇（示例）,示例镇,示例区,示例市\n", encoding="utf-8"
    )
    year = data_copy / "small" / "2024"
    year.mkdir(parents=True)
    (year / "values.csv").write_text(
        "indicator,value,qualifier,period_end,source,note\nmediation.cases,12,,,示例,\nsafety.drills,,不适用,,,\n", encoding="utf-8"
    )
    data = load_dataset(data_copy, "small", 2024)
    assert data.outline.indicators == ["safety.drills", "mediation.cases"]
    qmd = compose(data, metrics(data))
    assert "待补" not in qmd and "人民调解案件" in qmd and "本节以下指标本年不适用：应急演练活动" in qmd
    assert not any(word in qmd for word in TAOYUAN_ONLY)


def test_an_indicator_definition_is_printed_in_the_sources_appendix():
    data = load_dataset(DATA, "xinhe", 2024)
    qmd = compose(data, metrics(data))
    assert "仅统计街道办事处作为被告的一审案件（示例）" in qmd.split("## 附件2")[1]


def test_an_office_chooses_its_own_verdict_words_and_keeps_the_symbols():
    xinhe = load_dataset(DATA, "xinhe", 2024)
    tables = scorecard_markdown(xinhe) + SectionView(xinhe, "a2").table_markdown()
    assert "↑ 提升" in tables and "↑ 改善" not in tables
    taoyuan = load_dataset(DATA, "taoyuan", 2024)
    assert "↓ 退步" in scorecard_markdown(taoyuan)  # the default words stay where an office chose none


def test_the_colophon_clock_reads_the_offices_time_zone(data_copy):
    from helpers.document.render import built_at

    assert built_at().endswith("北京时间")
    assert built_at("Asia/Urumqi").endswith("UTC+06:00")
    offices = data_copy / "offices.csv"
    offices.write_text(offices.read_text(encoding="utf-8").replace("示例市,Asia/Shanghai", "示例市,Mars/Base"), encoding="utf-8")
    import pytest

    from helpers.errors import InputError

    with pytest.raises(InputError, match="时区“Mars/Base”无法识别"):
        load_dataset(data_copy, "xinhe", 2024)


def test_an_outline_nests_to_four_levels_numbered_by_order_and_level(data_copy):
    (data_copy / "xinhe" / "sections.csv").write_text(
        "id,parent,title_zh,indicators\na,,情况,\nb,a,执法,\nc,b,行政检查,enforcement.inspections\nd,c,日常检查,review.cases\n"
        "e,b,行政处罚,enforcement.confiscations\n",
        encoding="utf-8",
    )
    for name in ("a1", "a2", "a2-1", "a3", "b", "c"):
        (data_copy / "xinhe" / "2024" / "narrative" / f"{name}.md").unlink(missing_ok=True)
    data = load_dataset(data_copy, "xinhe", 2024)
    headings = [s.heading(2024) for s in data.outline.sections.values()]
    assert headings == ["一、情况", "（一）执法", "1.行政检查", "（1）日常检查", "2.行政处罚"]
    assert data.outline.section_number("d") == "一（一）1（1）"
    qmd = compose(data, metrics(data))
    assert "#### 1.行政检查 {#sec-c}" in qmd and "##### （1）日常检查 {#sec-d}" in qmd
