"""Who has published: every office and year final, draft or missing, with the date under its signature and
whether it is past the publication deadline (by default before 1 April of the next year)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from helpers.errors import InputError
from helpers.model.publication import publications
from helpers.serve.listing import Site
from helpers.serve.pages import index_page

from ..conftest import DATA, replace_in

ROOT = Path(__file__).resolve().parents[2]


def states(found, kind: str = "rule-of-law") -> dict[tuple[str, int], tuple[str, bool]]:
    """Each office-year's state and lateness for one kind of report (the 法治政府建设 report by default; a 镇's
    own kind, its principal's duty report, stands in its place)."""
    return {(p.office.id, p.year): (p.state, p.late) for p in found if p.kind in (kind, "principal-duty")}


def test_each_office_year_is_final_draft_or_missing_against_its_deadline():
    found = publications(DATA, (2022, 2024), as_of=date(2025, 3, 1))
    assert states(found) == {
        ("taoyuan", 2022): ("draft", True),
        ("taoyuan", 2024): ("final", False),
        ("xinhe", 2022): ("missing", True),
        ("xinhe", 2024): ("draft", False),
        ("qingshi", 2022): ("missing", True),
        ("qingshi", 2024): ("draft", False),
    }
    taoyuan = next(p for p in found if p.office.id == "taoyuan" and p.year == 2024)
    assert taoyuan.signed == date(2024, 12, 9) and taoyuan.deadline == date(2025, 4, 1) and taoyuan.deadline_zh == "按期"
    xinhe = next(p for p in found if p.office.id == "xinhe" and p.year == 2024)
    assert xinhe.deadline_zh == "未到期（2025年4月1日前）"


def test_the_deadline_day_itself_is_late_and_an_office_may_set_its_own(data_copy: Path):
    on_the_day = publications(DATA, (2024,), ("xinhe",), as_of=date(2025, 4, 1))[0]
    assert on_the_day.kind == "rule-of-law"
    assert on_the_day.late and on_the_day.deadline_zh == "已过公开期限（2025年4月1日前）"
    replace_in(data_copy / "offices.csv", "timezone,population", "timezone,population,deadline")
    replace_in(data_copy / "offices.csv", "Asia/Shanghai,86000", "Asia/Shanghai,86000,03-01")
    own = publications(data_copy, (2024,), ("xinhe",), as_of=date(2025, 3, 15))[0]
    assert own.deadline == date(2025, 3, 1) and own.late


def test_a_final_report_signed_after_the_deadline_is_said_to_be_late(data_copy: Path):
    replace_in(data_copy / "taoyuan" / "2024" / "report.yml", "2024-12-09", "2025-04-10")
    late = publications(data_copy, (2024,), ("taoyuan",), as_of=date(2025, 5, 1))[0]
    assert late.state == "final" and late.late and late.deadline_zh == "落款晚于期限（2025年4月1日前）"


def test_an_impossible_deadline_is_refused_located(data_copy: Path):
    replace_in(data_copy / "offices.csv", "timezone,population", "timezone,population,deadline")
    replace_in(data_copy / "offices.csv", "Asia/Shanghai,86000", "Asia/Shanghai,86000,02-30")
    with pytest.raises(InputError) as caught:
        publications(data_copy, (2024,))
    assert [str(p) for p in caught.value.problems] == [
        f"{data_copy / 'offices.csv'}:3:deadline: 公开期限“02-30”不是一年中的日期，请写作 月-日，如 04-01"
    ]


def test_status_prints_every_office_of_the_year_with_its_state(data_copy: Path):
    result = subprocess.run(
        [sys.executable, "-m", "helpers.cli", "status", "--year", "2022", "--data-dir", str(data_copy), "--as-of", "2026-12-01"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["单位", "报告", "年度", "状态", "落款日期", "公开期限"]
    assert lines[3].split() == ["新河街道办（示例）", "法治政府建设", "2022年", "未提交", "—", "已过公开期限（2023年4月1日前）"]
    assert lines[4].split() == ["新河街道办（示例）", "政府信息公开", "2022年", "未提交", "—", "已过公开期限（2023年1月31日前）"]
    assert lines[-1] == "2022年：定稿 0 份，共 6 份报告（3 个单位）；已过公开期限仍未定稿 6 份"


def test_the_sites_index_shows_who_has_published_and_who_is_missing():
    page = index_page(Site([], published=publications(DATA, (2022, 2024), as_of=date(2025, 3, 1))))
    table = page[page.index("## 公开情况") :]
    assert "按2025年3月1日判断" in table and '<th class="year">2022年</th>' in table
    assert '<span class="status missing">未提交</span><br><span class="late">已过公开期限（2023年4月1日前）</span>' in table
    assert '<span class="status final">定稿</span><br>2024年12月9日<br><span>按期</span>' in table
