"""Ingest: a published report into an office-year's data. Its outline at any depth, every figure with its
qualifier, unit and period, matched to what the office and the catalog already have or proposed as the
office's own, the prose bound, and nothing overwritten or carried through that the project would refuse."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from helpers.data.dataset import load_dataset
from helpers.errors import InputError
from helpers.ingest.figures import find
from helpers.ingest.ingestion import ingest

from ..conftest import DATA

OPENINGS = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
OFFICE_ROW = "{id},示例镇（示例）,示例镇（示例）,示例县,示例市,Asia/Shanghai,\n"


def new_office(data: Path, office: str = "shizhen") -> str:
    with (data / "offices.csv").open("a", encoding="utf-8") as out:
        out.write(OFFICE_ROW.format(id=office))
    return office


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.mark.parametrize(
    "name, year, expected",
    [
        ("sandu-2025.txt", 2025, {("3", "", "次"), ("200", "余", "人"), ("32", "", "场次"), ("20000", "余", "人次"), ("1500", "余", "件")}),
        ("dongxiao-2024.txt", 2024, {("9", "", "次"), ("33", "", "次"), ("106", "", "人次")}),
        ("pingtian-2025.txt", 2025, {("4", "", "次"), ("6", "", "次"), ("12", "", "次")}),
    ],
)
def test_a_real_report_ingests_into_an_outline_figures_and_prose_that_validate(data: Path, name: str, year: int, expected: set):
    office = new_office(data)
    result = ingest(OPENINGS / name, data, office, year)
    folder = data / office / str(year)
    values = rows(folder / "values.csv")
    assert expected <= {(r["value"], r["qualifier"], _unit(r, data)) for r in values}
    outline = rows(data / office / "sections.csv")
    assert outline[0]["id"] == "s1" and outline[1]["parent"] == "s1" and outline[1]["id"] == "s1-1"
    dataset = load_dataset(data, office, year)  # the data it wrote is valid data
    assert {r["indicator"] for r in values} <= set(dataset.figures)
    assert len(result.matches) == len(values) and result.proposed
    prose = "".join(
        (folder / "narrative" / f"{r['id']}.md").read_text(encoding="utf-8") for r in outline if (folder / "narrative" / f"{r['id']}.md").exists()
    )
    assert prose.count("{{< var ") >= len(values) - sum(m.found.shared > 0 for m in result.matches)


def _unit(row: dict[str, str], data: Path) -> str:
    from helpers.data.catalog import load_catalog

    return load_catalog(data).indicators[row["indicator"]].unit


def test_a_measure_the_district_shares_is_proposed_under_its_concept(data: Path):
    office = new_office(data)
    ingest(OPENINGS / "dongxiao-2024.txt", data, office, 2024)
    review = {r["原文"]: r for r in rows(data / office / "2024" / "ingest-review.csv")}
    assert review["33次"]["指标概念"] == "first_topic_study" and review["33次"]["匹配方式"] == "新建，归入指标概念"
    assert "第一议题" in review["33次"]["指标名称"] and "第一议题" in review["33次"]["所在句子"]


def test_figures_keep_their_qualifier_period_and_chinese_numerals():
    found = find("截至10月共调解案件502宗，调解成功率97.6%；开展培训十二场，服务约3000人、居民1.2万余人次。", 2024)
    said = [(f.value, f.qualifier, f.unit, f.period_end.isoformat() if f.period_end else "") for f in found]
    assert said == [
        (Decimal(502), "", "宗", "2024-10-31"),
        (Decimal("97.6"), "", "%", "2024-10-31"),
        (Decimal(12), "", "场", ""),
        (Decimal(3000), "约", "人", ""),
        (Decimal("1.2"), "", "万人", ""),
    ] or said[:4] == [
        (Decimal(502), "", "宗", "2024-10-31"),
        (Decimal("97.6"), "", "%", "2024-10-31"),
        (Decimal(12), "", "场", ""),
        (Decimal(3000), "约", "人", ""),
    ]
    assert found[2].chinese and not found[0].chinese
    assert not find("坚决做到“两个维护”，落实“三会一课”，依据第33条，于2024年12月9日", 2024)


def test_a_three_level_outline_ingests_into_three_levels(data: Path, tmp_path: Path):
    report = tmp_path / "report.txt"
    report.write_text(
        "示例镇2024年法治政府建设年度报告\n一、主要举措\n（一）依法决策\n1.合法性审查。全年审查合同86件，出具法律意见40份。\n"
        "2.法律顾问。法律顾问列席会议12次。\n（二）普法\n开展普法活动20场。\n二、存在的不足\n基层法治力量不足。\n"
        "示例镇人民政府\n2025年1月20日\n",
        encoding="utf-8",
    )
    office = new_office(data)
    ingest(report, data, office, 2024)
    outline = [(r["id"], r["parent"], r["title_zh"]) for r in rows(data / office / "sections.csv")]
    assert outline == [
        ("s1", "", "主要举措"),
        ("s1-1", "s1", "依法决策"),
        ("s1-1-1", "s1-1", "合法性审查"),
        ("s1-1-2", "s1-1", "法律顾问"),
        ("s1-2", "s1", "普法"),
        ("s2", "", "存在的不足"),
    ]
    dataset = load_dataset(data, office, 2024)
    assert [s.depth for s in dataset.outline.sections.values()][:3] == [1, 2, 3] and dataset.report_date.isoformat() == "2025-01-20"
    assert dataset.meta["signature"] == ["示例镇人民政府"] and dataset.meta["title"] == "示例镇2024年法治政府建设年度报告"


def test_a_later_year_reuses_the_ids_an_earlier_year_was_given(data: Path, tmp_path: Path):
    office = new_office(data)
    first = tmp_path / "2024.txt"
    first.write_text("一、主要举措\n全年组织镇村干部旁听庭审3次，走访企业28家。\n", encoding="utf-8")
    ingest(first, data, office, 2024)
    second = tmp_path / "2025.txt"
    second.write_text("一、主要举措\n全年组织镇村干部旁听庭审5次，走访企业31家。\n", encoding="utf-8")
    ingest(second, data, office, 2025)
    ids = [[r["indicator"] for r in rows(data / office / str(year) / "values.csv")] for year in (2024, 2025)]
    assert ids[0] == ids[1] and all(i.startswith(f"{office}.") for i in ids[0])
    assert load_dataset(data, office, 2025).previous[ids[0][0]].value == Decimal(3)


def test_nothing_is_overwritten_without_force_and_force_backs_up(data: Path, tmp_path: Path):
    office = new_office(data)
    report = tmp_path / "r.txt"
    report.write_text("一、主要举措\n开展普法活动20场。\n", encoding="utf-8")
    ingest(report, data, office, 2024)
    values = data / office / "2024" / "values.csv"
    before = {p: p.read_bytes() for p in (data / office).rglob("*") if p.is_file()}
    report.write_text("一、主要举措\n开展普法活动21场。\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        ingest(report, data, office, 2024)
    assert any("values.csv" in p.file and "--force" in p.message for p in caught.value.problems)
    assert before == {p: p.read_bytes() for p in (data / office).rglob("*") if p.is_file()}
    ingest(report, data, office, 2024, force=True)
    assert ",21," in values.read_text(encoding="utf-8")
    assert ",20," in next((values.parent / ".backup").glob("values.csv.*")).read_text(encoding="utf-8")


def test_a_web_page_brings_its_words_and_no_markup_link_image_or_script(data: Path, tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><script>alert(1)</script><style>p{}</style></head><body><nav><a href='/'>首页</a></nav>"
        "<h1>示例镇2024年法治政府建设年度报告</h1><p>一、主要举措</p>"
        "<p>开展<b>普法</b>活动<a href='http://x.example/'>20场</a>，<img src='http://x.example/a.png'>"
        "设立*法治*[宣传]栏{{< meta x >}}5个。</p></body></html>",
        encoding="utf-8",
    )
    office = new_office(data)
    ingest(page, data, office, 2024)
    prose = (data / office / "2024" / "narrative" / "s1.md").read_text(encoding="utf-8")
    assert "普法" in prose and "{{< var " in prose
    for trace in ("alert", "http", "png", "](", "{{< meta"):
        assert trace not in prose
    outside = re.sub(r"\{\{< var [\w.]+ >\}\}", "", prose)
    assert not re.search(r"(?<!\\)[<>*\[\]{}]", outside)  # every mark Markdown would read is escaped
    dataset = load_dataset(data, office, 2024)  # and the checks accept it as prose
    assert "设立*法治*[宣传]栏" in dataset.narrative["s1"].replace("\\", "")


def test_what_cannot_be_read_is_refused_with_its_file(data: Path, tmp_path: Path):
    office = new_office(data)
    for name, content, said in (
        ("r.pdf", b"%PDF-1.4", "不能读取“.pdf”文件"),
        ("r.docx", b"not a zip", "不是 Word"),
        ("r.txt", "没有任何标题的一段话。".encode(), "没有找到任何标题"),
    ):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(InputError) as caught:
            ingest(path, data, office, 2024)
        assert said in str(caught.value.problems[0]) and str(path) in str(caught.value.problems[0])
    assert not (data / office).exists()


def test_the_command_prints_what_it_wrote_and_how_many_figures_it_bound(data: Path, tmp_path: Path):
    office = new_office(data)
    report = tmp_path / "r.txt"
    report.write_text("一、主要举措\n开展普法活动20场，调解纠纷12件。\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "helpers.cli", "ingest", str(report), "--office", office, "--year", "2024", "--data-dir", str(data)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "找到 2 个数字，均已在正文中绑定" in done.stdout and "values.csv" in done.stdout
    again = subprocess.run(done.args, capture_output=True, text=True)
    assert again.returncode == 0 and "内容相同，未改动" in again.stdout  # the same input writes the same files: nothing to do


def test_update_reads_only_a_word_copy(data: Path, tmp_path: Path):
    from helpers.ingest.update import update

    page = tmp_path / "report.html"
    page.write_text("<p>一、主要举措</p>", encoding="utf-8")
    with pytest.raises(InputError, match="只读取本项目生成、经编辑修改的 Word"):
        update(page, data, "taoyuan", 2024)
    fake = tmp_path / "report.docx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="不是 Word"):
        update(fake, data, "taoyuan", 2024)


def test_a_part_said_after_qizhong_and_a_rate_of_two_counts_are_proposed_as_such(data: Path, tmp_path: Path):
    office = new_office(data)
    report = tmp_path / "r.txt"
    report.write_text("一、主要举措\n全年走访辖区企业120家，其中现场解决诉求114家，诉求现场解决占比95%。\n", encoding="utf-8")
    ingest(report, data, office, 2024)
    new = {r["id"]: r for r in rows(data / office / "indicators.csv")}
    assert not any(r["id"].startswith(f"{office}.") for r in rows(data / "indicators.csv"))  # the catalog is unchanged
    whole, part, rate = (new[f"{office}.s1_{n}"] for n in (1, 2, 3))
    assert part["part_of"] == whole["id"] and not whole["part_of"]
    assert (rate["kind"], rate["numerator"], rate["denominator"]) == ("rate", part["id"], whole["id"])
    load_dataset(data, office, 2024)


def test_every_item_of_a_qizhong_list_every_qualifier_and_every_period_form_is_read():
    found = find(
        "办理行政处罚案件390件，其中简易程序110件，普通程序280件，罚款50万元；满意度达60%以上，服务100人以上，"
        "不足20人，超过300户。截止12月3日，调解纠纷40宗。1-10月受理信访件52件。",
        2024,
    )
    said = [(str(f.value), f.qualifier, f.unit, f.period_end.isoformat() if f.period_end else "", f.part) for f in found]
    assert said == [
        ("390", "", "件", "", False),
        ("110", "", "件", "", True),
        ("280", "", "件", "", True),
        ("50", "", "万元", "", False),
        ("60", "以上", "%", "", False),
        ("100", "以上", "人", "", False),
        ("20", "不足", "人", "", False),
        ("300", "超过", "户", "", False),
        ("40", "", "宗", "2024-12-03", False),
        ("52", "", "件", "2024-10-31", False),
    ]


def test_a_report_in_traditional_characters_is_read_as_simplified_and_said(data: Path, tmp_path: Path):
    report = tmp_path / "r.txt"
    report.write_text(
        "示例鎮2024年法治政府建設年度報告\n一、主要舉措\n全年調解糾紛40個，開展普法活動20場。\n二、存在的不足\n基層法治力量不足。\n", encoding="utf-8"
    )
    office = new_office(data)
    result = ingest(report, data, office, 2024)
    assert "原文为繁体字，已转为简体" in result.summary
    values = {(r["value"], _unit(r, data)) for r in rows(data / office / "2024" / "values.csv")}
    assert values == {("40", "个"), ("20", "场")}
    dataset = load_dataset(data, office, 2024)
    assert dataset.meta["title"] == "示例镇2024年法治政府建设年度报告" and "调解纠纷" in dataset.narrative["s1"]


def test_a_web_page_as_a_browser_saves_it_gives_its_article_title_and_date_and_none_of_its_site(data: Path, tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><title>示例镇2024年法治政府建设年度报告_示例镇人民政府</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> | <a href='/zwgk'>政务公开</a> | <a href='/hd'>互动交流</a></div>"
        "<div class='crumb'>当前位置：首页 > 政务公开 > 法治政府建设</div><div class='article'>"
        "<h1>示例镇2024年法治政府建设年度报告</h1>"
        "<div class='info'>发布日期：2025-01-22 来源：示例镇 浏览次数：1024 【字体：大 中 小】 分享到：微信 微博</div>"
        "<div class='content'><p>2024年，示例镇共开展普法活动35场，现将有关情况报告如下：</p><p>一、主要举措</p>"
        "<p>（一）依法决策</p><p>全年审查合同86件，出具法律意见40份。</p><p>（二）普法</p>"
        "<p>开展<b>普法</b>活动20场，覆盖群众3000余人次。</p><p>二、存在的不足</p><p>基层法治力量不足。</p>"
        "<p>三、下一步工作计划</p><p>持续推进法治建设。</p><p style='text-align:right'>示例镇人民政府</p>"
        "<p style='text-align:right'>2025年1月20日</p></div></div>"
        "<div class='footer'>版权所有：示例镇人民政府 ICP备12345678号 公安备案 44030502000001号 联系电话：0755-12345678</div>"
        "</body></html>",
        encoding="utf-8",
    )
    office = new_office(data)
    result = ingest(page, data, office, 2024)
    assert "网页只取正文" in result.summary
    folder = data / office / "2024"
    prose = "".join(p.read_text(encoding="utf-8") for p in (folder / "narrative").glob("*.md"))
    for chrome in ("首页", "当前位置", "浏览次数", "ICP", "公安备案", "0755", "分享到"):
        assert chrome not in prose
    dataset = load_dataset(data, office, 2024)  # the opening paragraph's figure is placed, so the year builds
    assert dataset.meta["title"] == "示例镇2024年法治政府建设年度报告" and dataset.meta["published"].isoformat() == "2025-01-22"
    assert dataset.report_date.isoformat() == "2025-01-20"
    opening = next(r["indicator"] for r in rows(folder / "values.csv") if r["value"] == "35")
    assert opening in dataset.outline.indicators


def test_a_doubtful_match_is_proposed_as_the_offices_own_and_marked_until_a_clerk_decides(data: Path, tmp_path: Path):
    from helpers.data.dataset import load_dataset as load

    report = tmp_path / "r.txt"
    report.write_text("一、依法行政\n全年办理执法案件120宗，按期办结率100%。\n", encoding="utf-8")
    office = new_office(data)
    result = ingest(report, data, office, 2024)
    rate = next(m for m in result.matches if m.found.unit == "%")
    assert rate.indicator is None and rate.doubt is not None and rate.doubt.id == "petitions.on_time_closure_rate"
    review = rows(data / office / "2024" / "ingest-review.csv")
    assert review[0]["状态"] == "待确认" and "信访按期办结率" in review[0]["相近的已有指标（未采用）"]
    year = data / office / "2024"
    (year / "report.yml").write_text("date: 2025-01-20\nstatus: final\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load(data, office, 2024)
    assert any(p.column == "状态" and "待确认" in p.message for p in refused.value.problems)
    rerun = ingest(report, data, office, 2024, force=True)  # bound to its own proposal now, the doubt still open
    rate = next(m for m in rerun.matches if m.found.unit == "%")
    assert rate.indicator is not None and rate.indicator.id.startswith(f"{office}.") and rate.doubt is not None
    assert rows(year / "ingest-review.csv")[0]["状态"] == "待确认"
    (year / "report.yml").write_text("date: 2025-01-20\nstatus: final\n", encoding="utf-8")
    with pytest.raises(InputError):
        load(data, office, 2024)
    edited = (year / "ingest-review.csv").read_text(encoding="utf-8").replace("待确认", "已确认")
    (year / "ingest-review.csv").write_text(edited, encoding="utf-8")
    again = ingest(report, data, office, 2024, force=True)  # the clerk's edits are kept in a backup
    assert any(b.name.startswith("ingest-review.csv.") and "已确认" in b.read_text(encoding="utf-8") for b in again.log.backups)
    assert [r["状态"] for r in rows(year / "ingest-review.csv") if r["数值"] == "100"] == ["已确认"]  # the decision stays


def test_no_office_binds_another_offices_proposal_whatever_the_order(data: Path, tmp_path: Path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("一、主要举措\n组织干部旁听庭审3次。\n", encoding="utf-8")
    second.write_text("一、主要举措\n组织干部旁听庭审5次。\n", encoding="utf-8")
    ids = {}
    for order in (("east", "west"), ("west", "east")):
        copy = tmp_path / "-".join(order)
        shutil.copytree(data, copy)
        for office, report in zip(order, (first, second) if order[0] == "east" else (second, first), strict=True):
            new_office(copy, office)
            ingest(report, copy, office, 2024)
        ids[order] = {o: [r["indicator"] for r in rows(copy / o / "2024" / "values.csv")] for o in order}
    assert ids[("east", "west")] == ids[("west", "east")]
    assert all(i.startswith(f"{o}.") for o in ("east", "west") for i in ids[("east", "west")][o])


def test_an_office_whose_id_has_a_hyphen_keeps_its_own_indicators_under_an_id_the_catalog_accepts(data: Path, tmp_path: Path):
    report = tmp_path / "r.txt"
    report.write_text("一、主要举措\n组织干部旁听庭审3次。\n", encoding="utf-8")
    office = new_office(data, "nan-shan")
    ingest(report, data, office, 2024)
    assert [r["id"] for r in rows(data / office / "indicators.csv")] == ["nan_shan.s1_1"]
    assert load_dataset(data, office, 2024).figures["nan_shan.s1_1"].value == Decimal(3)


def test_ingesting_the_same_report_again_proposes_nothing_new(data: Path):
    office = new_office(data)
    report = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "corpus" / "xiaoying-2024.txt"
    ingest(report, data, office, 2024)
    own = (data / office / "indicators.csv").read_bytes()
    values = (data / office / "2024" / "values.csv").read_bytes()
    again = ingest(report, data, office, 2024, force=True)
    assert not again.proposed and (data / office / "indicators.csv").read_bytes() == own
    assert (data / office / "2024" / "values.csv").read_bytes() == values


def test_how_often_something_is_done_is_no_figure_of_the_year():
    found = find("以每两月1次频次开展党委理论学习中心组法治学习5次，每月2次召开例会，每万人调解3件。", 2024)
    assert [(f.value, f.unit) for f in found] == [(Decimal(5), "次"), (Decimal(3), "件")]


def test_a_name_that_begins_with_a_word_of_ji_or_he_keeps_it_while_a_joint_before_a_name_goes():
    """及时 and 和解 are words (武冈市龙溪镇 2024: 及时跟进处理案件50余件), 及 and 和 before a name are joints."""
    found = find("联动民情热线及智慧信访平台，及时跟进处理案件50余件；全年和解结案3件，受理投诉12件，及调解纠纷8件。", 2024)
    assert [f.name for f in found] == ["及时跟进处理案件", "和解结案", "受理投诉", "调解纠纷"]
