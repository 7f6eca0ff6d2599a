"""Year over year in the report: bound phrases, notices for illustrative data, scaffolding, the backtest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data.dataset import load_dataset
from helpers.data.scaffold import new_year
from helpers.document.document import compose
from helpers.document.shortcodes import Resolver
from helpers.model.published import backtest, keep_published
from helpers.model.scorecard import scorecard_markdown, summary
from helpers.model.sectionview import SectionView
from helpers.model.variables import all_metrics, build_variables

from ..conftest import DATA, LIVE_DATA, replace_in


def metrics(data) -> pd.DataFrame:
    return all_metrics(data)


def test_prose_can_bind_last_years_figure_and_the_change(data_copy: Path):
    s34 = data_copy / "taoyuan" / "2024" / "narrative" / "s3-4.md"
    replace_in(
        s34,
        "共调解案件{{< var mediation.cases >}}",
        "共调解案件{{< var mediation.cases >}}（上年{{< var prev.mediation.cases >}}，{{< var yoy.mediation.cases >}}）",
    )
    data = load_dataset(data_copy, "taoyuan", 2024)
    text = Resolver(data_copy, build_variables(metrics(data)), {}, number_captions=False).expand(s34.read_text(encoding="utf-8"))
    assert "共调解案件502宗（上年480宗（截至10月，示例），较上年增加22宗、增长4.6%）" in text


def test_every_indicator_with_last_years_data_is_compared():
    data = load_dataset(DATA, "taoyuan", 2024)
    table = scorecard_markdown(data)
    compared = [c for s in data.outline.sections for c in SectionView(data, s).comparisons() if c.change is not None]
    with_2023 = [i for i, f in data.figures.items() if i in data.previous]
    assert len(table.splitlines()) == 2 + len(data.figures)
    qualified_or_other_period = {"decision.legal_opinions", "publicity.key_sites", "disclosure.proactive_items", "disclosure.requests"}
    assert {c.current.indicator.id for c in compared} == set(with_2023) - qualified_or_other_period
    assert "改善" in summary(data) and "未比较" in summary(data)


def test_the_illustrative_notice_is_gone_with_real_data(data_copy: Path):
    data = load_dataset(data_copy, "taoyuan", 2024)
    assert "示例数据（非真实数据" in compose(data, metrics(data))
    for year in ("2022", "2023"):
        path = data_copy / "taoyuan" / year / "values.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("示例数据（非真实，用于演示同比）", "街道统计台账"), encoding="utf-8")
    (data_copy / "taoyuan" / "2023" / "commitments.csv").write_text(
        (data_copy / "taoyuan" / "2023" / "commitments.csv")
        .read_text(encoding="utf-8")
        .replace("示例数据（非真实，用于演示承诺跟踪）", "2023年度报告"),
        encoding="utf-8",
    )
    data = load_dataset(data_copy, "taoyuan", 2024)
    qmd = compose(data, metrics(data))
    assert "示例" not in qmd


def test_illustrative_years_are_said_once_at_the_top_not_after_each_section():
    data = load_dataset(DATA, "taoyuan", 2024)
    qmd = compose(data, metrics(data))
    assert qmd.count("示例数据（非真实数据") == 1
    assert qmd.index("同比比较和趋势用到了2022年、2023年的示例数据") < qmd.index("## 一、")


def test_a_first_year_has_no_comparison_columns_no_scorecard_and_says_so_once(data_copy: Path):
    import shutil

    for year in ("2022", "2023"):
        shutil.rmtree(data_copy / "taoyuan" / year)
    (data_copy / "taoyuan" / "2024" / "followup.csv").unlink()
    data = load_dataset(data_copy, "taoyuan", 2024)
    qmd = compose(data, metrics(data))
    assert qmd.count("年以前的年度没有数据") == 1 and "无上年数据" not in qmd
    assert "年度指标对比" not in qmd and "## 附件1　数据来源" in qmd
    view = SectionView(data, "s3-4")
    assert view.table_markdown().splitlines()[0].count("|") == 3  # 指标 and 2024年 only
    assert all(b.previous is None for p in view.panels() for b in p.bars)
    assert "并列" not in view.chart_alt() and "2023" not in view.chart_alt()


def test_a_year_of_illustrative_figures_says_so_first_and_labels_its_bars():
    data = load_dataset(DATA, "taoyuan", 2022)
    qmd = compose(data, metrics(data))
    assert qmd.index("本报告的数据全部为示例数据") < qmd.index("## 一、")
    bars = [b.label for p in SectionView(data, "s3-4").panels() for b in p.bars]
    assert "应急演练活动（示例）" in bars
    assert "本报告的数据" not in compose(load_dataset(DATA, "taoyuan", 2024), metrics(load_dataset(DATA, "taoyuan", 2024)))


def test_last_years_commitments_are_followed_up_with_their_figures():
    view = SectionView(load_dataset(DATA, "taoyuan", 2024), "s4-1")
    table = view.followup_markdown()
    assert "打造固定的法治宣传阵地（示例） | 计划 | ✓ 已完成 | 鹏辰驿站新增创新分区5个" in table
    assert "行政执法案卷质量有待提高（示例） | 不足 | … 推进中 | 重大执法决定法制审核14宗，较上年增加3宗、增长27.3%" in table


def test_new_year_scaffolds_from_the_latest_year_and_never_overwrites(data_copy: Path):
    log = new_year(data_copy, "taoyuan", 2025)
    folder = data_copy / "taoyuan" / "2025"
    values = pd.read_csv(folder / "values.csv", dtype=str, keep_default_na=False)
    assert len(values) == 38 and (values["value"] == "").all()
    assert (folder / "narrative" / "drafts" / "s3-4.md").is_file()
    followup = pd.read_csv(folder / "followup.csv", dtype=str, keep_default_na=False)
    assert list(followup["commitment"]) == [
        "law-based-thinking",
        "online-publicity",
        "publicity-targeting",
        "governance-coordination",
        "party-leadership",
        "enforcement-capacity",
        "routine-publicity",
    ]
    assert len(log.written) == 14

    (folder / "values.csv").write_text("edited", encoding="utf-8")
    again = new_year(data_copy, "taoyuan", 2025)
    assert again.written == [] and (folder / "values.csv").read_text(encoding="utf-8") == "edited"

    forced = new_year(data_copy, "taoyuan", 2025, force=True)
    assert any(p.read_text(encoding="utf-8") == "edited" for p in forced.backups)


def test_a_scaffolded_year_lists_its_missing_figures_and_invents_nothing(data_copy: Path):
    new_year(data_copy, "taoyuan", 2025)
    data = load_dataset(data_copy, "taoyuan", 2025)
    qmd = compose(data, metrics(data))
    assert "本报告尚有38项数据待补" in qmd
    assert "本节以下指标本年尚无数据：人民调解案件" in qmd or "人民调解案件、" in qmd
    assert "502宗" not in qmd and "{{< embed notebooks/s3-4" not in qmd


def test_the_backtest_passes_on_kept_years_and_catches_a_changed_figure(data_copy: Path):
    kept = sorted(LIVE_DATA.glob("*/*/published.csv"))
    assert kept, "no published year is kept"
    for path in kept:
        office, year = path.parent.parent.name, int(path.parent.name)
        assert backtest(load_dataset(LIVE_DATA, office, year), LIVE_DATA) == [], path

    replace_in(data_copy / "taoyuan" / "2024" / "values.csv", "safety.drills,22,", "safety.drills,23,")
    changes = backtest(load_dataset(data_copy, "taoyuan", 2024), data_copy)
    assert changes == ["应急演练活动（safety.drills）：数值已发布为“22场”，现为“23场”"]


def test_keeping_a_published_year_does_not_overwrite_without_force(data_copy: Path):
    data = load_dataset(data_copy, "taoyuan", 2024)
    kept = data_copy / "taoyuan" / "2024" / "published.csv"
    kept.write_text("indicator,text,period_text\nsafety.drills,21场,\n", encoding="utf-8")
    assert keep_published(data, data_copy).kept == [kept] and "21场" in kept.read_text(encoding="utf-8")
    backups = keep_published(data, data_copy, force=True).backups
    assert [b.read_text(encoding="utf-8") for b in backups] == ["indicator,text,period_text\nsafety.drills,21场,\n"]


def test_a_published_year_of_the_live_data_states_no_illustrative_figure():
    """True by default: a year whose figures were published (``published.csv``) compares with no made-up year."""
    for path in sorted(LIVE_DATA.glob("*/*/published.csv")):
        office, year = path.parent.parent.name, int(path.parent.name)
        data = load_dataset(LIVE_DATA, office, year)
        made_up = [
            f"{y}:{i}"
            for y, figures in {**data.history, year: data.figures}.items()
            for i, f in figures.items()
            if f.value is not None and f.is_illustrative
        ]
        assert made_up == [], (path, made_up[:5])
        qmd = compose(data, metrics(data))
        assert "示例" not in qmd, path
