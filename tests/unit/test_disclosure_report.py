"""The 政府信息公开工作年度报告 as a report kind: where its files live, its tables checked when it is loaded
(every broken identity located, all at once, exit 2, nothing lost), its published pages ingested for a new
office over two years (merged HTML table cells read back cell by cell), and ``status`` listing each kind
against its own deadline."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from helpers.data.disclosure import TABLE3_ROWS, load_disclosure
from helpers.data.disclosure_report import load_disclosure_report
from helpers.data.reports import locate, places
from helpers.document.disclosure import compose_disclosure
from helpers.errors import InputError
from helpers.ingest.ingestion import ingest
from helpers.model.publication import publications

from ..conftest import DATA, replace_in
from ..disclosure_pages import NAME, SIGNED, YEARS, page

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def fingerprint(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_second_kind_lives_in_its_own_folder_beside_the_year_folders():
    found = {(p.office, p.kind, p.year): p for p in places(DATA)}
    disclosure = found[("xinhe", "gov-info-disclosure", 2024)]
    assert disclosure.own_folder and disclosure.output == Path("xinhe", "gov-info-disclosure", "2024")
    assert found[("xinhe", "rule-of-law", 2024)].output == Path("xinhe", "2024")
    assert locate(DATA, "xinhe", 2024, "政府信息公开工作年度报告") == disclosure  # by its Chinese name too
    assert locate(DATA, "xinhe", 2024).kind == "rule-of-law"  # the year folder's own
    report = load_disclosure_report(DATA, "xinhe", 2024)
    assert report.previous is not None and report.illustrative and report.warnings == []


def test_every_broken_identity_is_refused_located_and_nothing_is_lost(data_copy: Path):
    csv = data_copy / "xinhe" / "gov-info-disclosure" / "2024" / "disclosure.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    at = {tuple(line.split(",")[:3]): n + 1 for n, line in enumerate(lines)}  # the file's line numbers
    new_natural = at[("3", "new", "natural")]
    lines[new_natural - 1] = lines[new_natural - 1].replace(",14,", ",15,")  # now 新收 + 结转 ≠ 总计 + 结转下年度, and 总计列 ≠ 之和
    review_total = at[("4", "review", "total")]
    lines[review_total - 1] = lines[review_total - 1].replace(",2,", ",3,")  # 维持 + 纠正 + 其他 + 尚未审结 ≠ 总计
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = fingerprint(data_copy)
    result = cli("validate", "--data-dir", str(data_copy), "--office", "xinhe", "--year", "2024", "--kind", "gov-info-disclosure")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    said = result.stderr.splitlines()
    new_total = at[("3", "new", "total")]  # a broken sum is located at the cell that states the total
    assert (
        f"{csv}:{new_total}:value: 表三（收到和处理政府信息公开申请情况） “一、本年新收政府信息公开申请数量”·总计：总计列为18，但六类申请人之和为19"
        in said
    )
    assert any(line.startswith(f"{csv}:") and "“（七）总计”·自然人：新收15 + 上年结转2 = 17，但总计15 + 结转下年度1 = 16" in line for line in said)
    assert f"{csv}:{review_total}:value: 表四（行政复议、行政诉讼情况） 行政复议·总计：总计为3，但维持、纠正、其他、尚未审结之和为2" in said
    assert fingerprint(data_copy) == before


def test_last_years_carry_out_is_this_years_carry_in_an_error_once_final(data_copy: Path):
    folder = data_copy / "xinhe" / "gov-info-disclosure" / "2024"
    replace_in(folder / "disclosure.csv", "3,carried_in,natural,2,", "3,carried_in,natural,3,")
    replace_in(folder / "disclosure.csv", "3,carried_in,total,2,", "3,carried_in,total,3,")
    replace_in(folder / "disclosure.csv", "3,new,natural,14,", "3,new,natural,13,")  # the year still adds up
    replace_in(folder / "disclosure.csv", "3,new,total,18,", "3,new,total,17,")
    draft = load_disclosure_report(data_copy, "xinhe", 2024)
    assert [p.message for p in draft.warnings] == [
        f"表三（收到和处理政府信息公开申请情况） “二、上年结转政府信息公开申请数量”·{column}：上年结转为3，但上年报告的结转下年度为2"
        for column in ("自然人", "总计")
    ]
    notice = compose_disclosure(draft)  # the draft's notice says where each one is, as the data folder names it
    rows = [draft.warnings[0].row, draft.warnings[1].row]
    assert rows[0] > 0 and all(f"xinhe/gov-info-disclosure/2024/disclosure.csv 第{row}行" in notice for row in rows)
    assert str(data_copy) not in notice
    replace_in(folder / "report.yml", "status: draft", "status: final")
    with pytest.raises(InputError) as caught:
        load_disclosure_report(data_copy, "xinhe", 2024)
    assert any("上年结转为3，但上年报告的结转下年度为2" in p.message and not p.warning for p in caught.value.problems)


def test_the_document_prints_every_row_label_and_tells_not_applicable_from_zero():
    report = load_disclosure_report(DATA, "xinhe", 2024)
    source = compose_disclosure(report)
    for label in TABLE3_ROWS.values():
        assert label.replace("（", "")[:6] in source.replace("\n", "").replace("|", "").replace(" ", "").replace("（", ""), label
    parts = [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    at = [source.index(f"## {part}") for part in parts]
    assert at == sorted(at)
    assert "统计期限为2024年1月1日至2024年12月31日。" in source
    assert "本年新收政府信息公开申请18件，上年结转2件；办结19件，结转下年度继续办理1件。" in source
    assert "予以公开8件，占42.1%" in source and "（占比为占办结总数的比例）" in source
    assert "| 规章 " in source and "| /" in source  # 规章 does not apply to a 街道: /, not 0
    assert "较上年增加6件、增长50%" in source  # 新收 12 → 18, in the project's phrasing


def _office(data: Path) -> None:
    replace_in(data / "offices.csv", "\ntaoyuan,", f"\nnanhu,{NAME},南湖街道办（示例）,示例区,示例市,Asia/Shanghai,\ntaoyuan,")


def test_published_pages_of_two_years_become_a_new_offices_data(data_copy: Path, tmp_path: Path):
    _office(data_copy)
    for year in (2024, 2025):
        source = tmp_path / f"nanhu-{year}.html"
        source.write_text(page(year, YEARS[year], SIGNED[year]), encoding="utf-8")
        result = ingest(source, data_copy, "nanhu", year)
        assert result.place.folder == data_copy / "nanhu" / str(year) and result.notes == [], result.notes
        read, problems = load_disclosure(data_copy / "nanhu" / str(year) / "disclosure.csv")
        assert problems == []
        expected = {key: (None if text == "/" else Decimal(text)) for key, text in YEARS[year].items()}
        assert {k: v for k, v in read.values.items() if v != 0} == {k: v for k, v in expected.items() if v != 0}
    report = load_disclosure_report(data_copy, "nanhu", 2025)
    assert report.previous is not None and report.warnings == []
    assert report.report_date == date(2026, 1, 19) and report.signature == [NAME]
    assert "本街道坚持以公开为常态" in report.narrative["overview"] and "信息处理费" in report.narrative["other"]
    assert "网站标识码" not in "".join(report.narrative.values())  # the site's footer is no part of the report


def test_a_published_table_that_does_not_add_up_is_refused_with_its_table_row_and_column(data_copy: Path, tmp_path: Path):
    _office(data_copy)
    broken = dict(YEARS[2024]) | {("3", "disclosed", "natural"): "3", ("4", "review", "total"): "2"}
    source = tmp_path / "nanhu-2024.html"
    source.write_text(page(2024, broken, SIGNED[2024]), encoding="utf-8")
    before = fingerprint(data_copy)
    result = cli("ingest", str(source), "--office", "nanhu", "--year", "2024", "--data-dir", str(data_copy))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    said = result.stderr
    assert "表三（收到和处理政府信息公开申请情况） “（七）总计”·自然人：总计为5，但各项办理结果之和为6" in said
    assert "表三（收到和处理政府信息公开申请情况） “（一）予以公开”·总计：总计列为2，但六类申请人之和为3" in said
    assert "表四（行政复议、行政诉讼情况） 行政复议·总计：总计为2，但维持、纠正、其他、尚未审结之和为1" in said
    assert "未写入任何文件" in said
    assert fingerprint(data_copy) == before


def test_status_lists_each_office_for_each_kind_with_its_own_deadline(data_copy: Path):
    found = publications(DATA, (2024,), ("xinhe",), as_of=date(2025, 2, 10))
    kinds = {p.kind: p for p in found}
    assert set(kinds) == {"rule-of-law", "gov-info-disclosure"}
    assert kinds["gov-info-disclosure"].deadline == date(2025, 1, 31) and kinds["gov-info-disclosure"].late
    assert kinds["rule-of-law"].deadline == date(2025, 4, 1) and not kinds["rule-of-law"].late
    replace_in(data_copy / "offices.csv", "timezone,population", "timezone,population,disclosure_deadline")
    replace_in(data_copy / "offices.csv", "Asia/Shanghai,86000", "Asia/Shanghai,86000,02-20")
    own = next(p for p in publications(data_copy, (2024,), ("xinhe",), as_of=date(2025, 2, 10)) if p.kind == "gov-info-disclosure")
    assert own.deadline == date(2025, 2, 20) and not own.late
    result = cli("status", "--year", "2024", "--data-dir", str(DATA), "--as-of", "2025-02-10")
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows[0] == ["单位", "报告", "年度", "状态", "落款日期", "公开期限"]
    assert ["新河街道办（示例）", "政府信息公开", "2024年", "草稿", "2025年1月22日", "已过公开期限（2025年1月31日前）"] in rows


def test_a_new_year_starts_from_last_years_tables_with_the_carry_over_in_place(data_copy: Path):
    result = cli("new-year", "--office", "xinhe", "--year", "2025", "--kind", "政府信息公开工作年度报告", "--data-dir", str(data_copy))
    assert result.returncode == 0, result.stderr
    folder = data_copy / "xinhe" / "gov-info-disclosure" / "2025"
    tables, problems = load_disclosure(folder / "disclosure.csv")
    assert problems == []
    assert tables.get("3", "carried_in", "natural") == 1 and tables.get("3", "carried_in", "total") == 1  # 2024's 结转下年度
    assert tables.values[("2", "rules", "issued")] is None  # 规章 still does not apply: /, not 0
    assert tables.get("2", "normative", "in_force") == 7 and tables.get("3", "new", "total") == 0
    assert (folder / "narrative" / "drafts" / "overview.md").is_file() and "政府信息公开工作年度报告" in (folder / "report.yml").read_text(
        encoding="utf-8"
    )
    replace_in(folder / "disclosure.csv", "3,new,natural,0,", "3,new,natural,5,")  # the clerk has begun
    filled = (folder / "disclosure.csv").read_bytes()
    again = cli("new-year", "--office", "xinhe", "--year", "2025", "--kind", "gov-info-disclosure", "--data-dir", str(data_copy))
    assert again.returncode == 0 and (folder / "disclosure.csv").read_bytes() == filled  # kept without --force
    assert "已存在，未改动" in again.stdout


def test_a_folder_named_like_a_prose_file_is_refused_located(data_copy: Path):
    folder = data_copy / "xinhe" / "gov-info-disclosure" / "2024" / "narrative"
    (folder / "overview.md").unlink()
    (folder / "overview.md").mkdir()
    with pytest.raises(InputError) as caught:
        load_disclosure_report(data_copy, "xinhe", 2024)
    assert [p.message for p in caught.value.problems if not p.warning] == ["是文件夹，不是正文文件：正文须是 UTF-8 的 .md 文件，请改名或移走"]
