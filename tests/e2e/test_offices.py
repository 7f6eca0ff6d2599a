"""A second office, with its own outline, builds from data alone; a district compares its offices."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ..conftest import DATA
from ..district import DISTRICT, make_district
from .conftest import ENGINES, annual_report, build_args
from .test_report import docx_text, html_text, pdf_blocks, pdf_text

pytestmark = pytest.mark.e2e
TAOYUAN_ONLY = ("鹏辰驿站", "物联感知", "中小企业服务站", "巡回普法")
ANGLE = "《中共示例市示例区委全面依法治区委员会<2024年工作要点>》"


def _built(office: str, engine: str, tmp_path_factory) -> Path:
    """The office's 2024 report in every format, built from a scratch copy of the fixtures."""
    work = tmp_path_factory.mktemp(f"{office}-{engine}")
    shutil.copytree(DATA, work / "data")
    result = annual_report(*build_args(office, engine=engine), cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "out" / office / "2024"


@pytest.fixture(scope="module", params=ENGINES)
def xinhe(request, tmp_path_factory) -> Path:
    return _built("xinhe", request.param, tmp_path_factory)


@pytest.fixture(scope="module", params=ENGINES)
def qingshi(request, tmp_path_factory) -> Path:
    """A principal's duty report of a 镇, signed by a person, with a score, a rank and an honour over two years."""
    return _built("qingshi", request.param, tmp_path_factory)


def _formats(folder: Path) -> dict[str, str]:
    """Each format's text; the PDF's as a page reads (prose whole across lines) and block by block
    (a table cell's words whole), so a phrase is found in either."""
    pdf = folder / "report.pdf"
    return {"html": html_text(folder / "report.html"), "pdf": pdf_text(pdf) + "\0" + pdf_blocks(pdf), "docx": docx_text(folder / "report.docx")}


def test_a_duty_report_has_its_kinds_title_and_a_persons_signature_in_every_format(qingshi: Path):
    title = "示例县青石镇人民政府（示例）党政主要负责人2024年度履行推进法治建设第一责任人职责情况报告"
    for name, text in _formats(qingshi).items():
        assert title in text, name
        signed = text.rfind("青石镇党委书记（示例）")
        assert 0 <= signed < text.rfind("王某某（示例）") < text.rfind("2024年12月27日"), name


def test_a_score_rises_in_points_a_rank_moves_in_places_and_an_honour_is_compared_as_words(qingshi: Path):
    for name, text in _formats(qingshi).items():
        assert "提高1.5分" in text and "下降1.5%" not in text and "增长" not in text.split("法治建设考核得分")[1][:40], name
        assert "第3名" in text and "前进2位" in text, name
        assert "入选省级民主法治示范村（社区）创建单位" in text, name
        assert "上年为“获评市级法治宣传教育先进单位”" in text, name


def test_an_offices_own_unit_and_a_whole_with_its_parts_in_every_format(xinhe: Path):
    """The catalog counts 人民调解案件 in 宗; this office says 件 (definitions.csv). 合法性审查 lists its parts under it."""
    for name, text in _formats(xinhe).items():
        assert "410件" in text and "410宗" not in text, name
        assert "其中：规范性文件合法性审查" in text.replace("|", ""), name
        assert text.index("合法性审查1090件") < text.index("其中：规范性文件"), name


def test_its_own_headings_in_its_order_with_its_figures_under_them(xinhe: Path):
    text = html_text(xinhe / "report.html")
    headings = [
        "一、2024年度法治政府建设情况",
        "（一）提高依法行政的意识和能力",
        "（二）坚持严格规范公正文明执法",
        "（三）化解矛盾纠纷",
        "二、存在的不足和原因",
        "三、下一年度工作计划",
    ]
    positions = [text.rfind(h) for h in headings]  # the body headings, after the table of contents
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert text.index("执法检查310次") > positions[2] and text.index("调解成功率96.6%") > positions[3]


def test_a_three_level_outline_numbers_its_items_with_each_table_after_its_own_heading(xinhe: Path):
    """一、 （一） 1. 2. in HTML, PDF and Word; the item's table follows its own heading, not its parent's."""
    for text in (html_text(xinhe / "report.html"), pdf_text(xinhe / "report.pdf"), docx_text(xinhe / "report.docx")):
        flat = text.replace(" ", "").replace("\u3000", "")
        order = [flat.rfind(h) for h in ("（三）化解矛盾纠纷", "1.人民调解", "2.信访工作", "二、存在的不足和原因")]
        assert all(p >= 0 for p in order) and order == sorted(order), order
        mediation, petitions = order[1], order[2]
        assert mediation < flat.index("调解成功率", mediation) < petitions  # the mediation table under 1.
        assert flat.find("依法处理信访案件", petitions) > petitions  # the petitions figure under 2.


def test_no_other_offices_indicator_and_no_banner_for_what_it_does_not_report(xinhe: Path):
    for text in (html_text(xinhe / "report.html"), pdf_text(xinhe / "report.pdf"), docx_text(xinhe / "report.docx")):
        assert not any(word in text for word in TAOYUAN_ONLY)
        assert "待补" not in text


def test_angle_brackets_and_an_at_sign_survive_into_every_format(xinhe: Path):
    for text in (html_text(xinhe / "report.html"), pdf_text(xinhe / "report.pdf"), docx_text(xinhe / "report.docx")):
        assert ANGLE in text
        assert "据@执法中队统计" in text


def test_an_image_inside_the_narrative_folder_is_shown(xinhe: Path):
    page = (xinhe / "report.html").read_text(encoding="utf-8")
    assert 'alt="执法检查现场（示例图片）"' in page or "执法检查现场（示例图片）" in page
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', page)) == 1  # the photo; the charts are vector
    assert len(re.findall(r'<img [^>]*src="data:image/svg\+xml;base64,', page)) >= 4


@pytest.mark.parametrize("engine", ENGINES)
def test_compare_lines_four_offices_up_by_concept_with_coverage_and_per_capita_figures(tmp_path: Path, engine: str):
    shutil.copytree(DATA, tmp_path / "data")
    make_district(tmp_path / "data")
    result = annual_report("compare", "--year", "2024", "--district", DISTRICT, "--out", "out", "--engine", engine, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "out" / "compare" / "2024"
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "report.html", "report.pdf"]
    page = (folder / "report.html").read_text(encoding="utf-8")
    for text in (html_text(folder / "report.html"), pdf_text(folder / "report.pdf")):
        flat = re.sub(r"\s+", "", text)
        assert f"2024年{DISTRICT}各单位法治政府建设指标对比" in flat
        assert "专题党委会" in flat and "行政复议" in flat and "合同审查" in flat  # each office's own name
        assert "图1" in flat and "各单位填报情况" in flat and "每万人" in flat and "0.23" in flat
        assert "截至10月" in flat and "约60件" in flat
    assert "不作比较：统计期不同（截至10月）" in page and "不作比较：含约数（约60件）" in page
    assert "依法治镇委员会专题会议" in page and "依法治街委员会会议" in page and "配合办理行政复议" in page
    assert "条形图，每个可比指标一组" in page and "依法治街（镇）委员会会议（次）：北山镇（示例）2次" in page


@pytest.mark.parametrize("engine", ENGINES)
def test_a_comparison_with_nothing_in_common_says_so_with_no_empty_figure_or_table(tmp_path: Path, engine: str):
    shutil.copytree(DATA, tmp_path / "data")
    result = annual_report("compare", "--year", "2024", "--offices", "taoyuan,qingshi", "--out", "out", "--engine", engine, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "out" / "compare" / "2024"
    for text in (html_text(folder / "report.html"), pdf_text(folder / "report.pdf")):
        flat = re.sub(r"\s+", "", text)
        assert "没有统计口径、统计期相同的共同指标，不作对比图" in flat and "没有共同填报的指标，不列对比表" in flat
        assert "图1" not in flat and "各单位共同指标及其较本单位上年的变化" not in flat
        assert "表1" in flat and "各单位填报情况" in flat  # who reports what: a table with rows


def test_level_three_headings_are_thickened_fangsong_and_figures_are_centred_in_the_pdf(xinhe: Path):
    """1. headings in 仿宋 drawn bold (the face has none: its strokes are thickened, a stroke over the fill,
    as the Word copy's bold style shows it); body text is not; each chart vector and centred, and the photo."""
    import pymupdf

    from helpers.document.preflight import _vector_charts
    from helpers.standard import MARGINS_MM, MM, TYPE_AREA_MM

    stroked, body_stroked, photos, charts = set(), 0, [], []
    for page in pymupdf.open(xinhe / "report.pdf"):
        for trace in page.get_texttrace():
            text = "".join(chr(c[0]) for c in trace["chars"])
            if trace["type"] == 1 and re.match(r"^\d+[.．]", text):
                stroked.add(text)
            elif trace["type"] == 1:
                body_stroked += 1
        photos += [(info["bbox"][0] + info["bbox"][2]) / 2 for info in page.get_image_info()]
        charts += [(box[0] + box[2]) / 2 for box in _vector_charts(page)]
    assert {"1.合法性审查", "1.人民调解"} <= stroked and body_stroked == 0, (stroked, body_stroked)
    middle = (MARGINS_MM["left"] + TYPE_AREA_MM[0] / 2) * MM
    assert photos and all(abs(c - middle) < 2 for c in photos), photos  # the office's photo: a raster image
    # the charts are vector (no raster chart): their bars and labels centre near the middle; flush left they
    # would centre some 75 pt left of it
    assert len(charts) >= 6 and all(abs(c - middle) < 40 for c in charts), charts
