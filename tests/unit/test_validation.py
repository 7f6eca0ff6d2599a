"""Bad input is reported with file, row, column and what is wrong: every problem at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.data.dataset import load_dataset
from helpers.errors import InputError

from ..conftest import replace_in


def problems(data: Path, office: str = "taoyuan", year: int = 2024) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_dataset(data, office, year)
    return [str(p) for p in caught.value.problems]


def values(data: Path) -> Path:
    return data / "taoyuan" / "2024" / "values.csv"


def test_the_shipped_data_is_valid():
    from ..conftest import DATA

    data = load_dataset(DATA, "taoyuan", 2024)
    assert data.figures["mediation.success_rate"].text == "97.6%"
    assert data.figures["decision.legal_opinions"].text == "1000余份"


def test_an_unknown_indicator_is_located(data_copy):
    replace_in(values(data_copy), "safety.drills,", "safety.drils,")
    found = problems(data_copy)
    assert any(p.endswith(":indicator: 未知指标“safety.drils”：不在 indicators.csv 中") and ":19:" in p for p in found), found


def test_a_figure_given_twice_names_both_rows(data_copy):
    path = values(data_copy)
    path.write_text(path.read_text(encoding="utf-8") + "safety.drills,23,,,x,\n", encoding="utf-8")
    assert any(":40:indicator: 应急演练活动（safety.drills）重复：第19行已填写" in p for p in problems(data_copy))


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("mediation.cases,502,", "mediation.cases,五百,", "“五百”不是数字"),
        ("safety.drills,22,", "safety.drills,-2,", "“-2”为负数"),
        ("safety.drills,22,", "safety.drills,22.5,", "“22.5”不是整数"),
        ("petitions.timely_acceptance_rate,100,", "petitions.timely_acceptance_rate,120,", "“120”超出0–100"),
        ("mediation.resolved,490,", "mediation.resolved,520,", "调解成功案件（520宗）大于其总数人民调解案件（502宗"),
        ("mediation.success_rate,97.6,", "mediation.success_rate,96.1,", "调解成功率填写为96.1%，但按490宗÷502宗计算为97.61%"),
        ("mediation.cases,502,,2024-10-31", "mediation.cases,502,,2023-10-31", "“2023-10-31”不在2024年内"),
        ("mediation.cases,502,,2024-10-31", "mediation.cases,502,,10月底", "“10月底”不是日期"),
    ],
)
def test_a_bad_value_is_refused_with_the_rule_it_breaks(data_copy, old, new, message):
    replace_in(values(data_copy), old, new)
    found = problems(data_copy)
    assert any("values.csv:" in p and message in p for p in found), found


def test_every_problem_is_reported_at_once(data_copy):
    replace_in(values(data_copy), "safety.drills,22,", "safety.drills,-2,")
    replace_in(values(data_copy), "mediation.cases,502,", "mediation.cases,x,")
    replace_in(data_copy / "taoyuan" / "2024" / "narrative" / "s1.md", "study.exam_participation_rate", "study.nothing")
    found = problems(data_copy)
    assert len(found) == 3, found


def test_a_missing_column_is_named(data_copy):
    path = values(data_copy)
    path.write_text(path.read_text(encoding="utf-8").replace(",source,", ",origin,", 1), encoding="utf-8")
    assert any(p.endswith("values.csv:1:source: 缺少必需的列") for p in problems(data_copy))


def test_an_empty_file_is_refused(data_copy):
    values(data_copy).write_text("", encoding="utf-8")
    assert any("values.csv:1:*: 文件为空" in p for p in problems(data_copy))


def test_prose_that_binds_a_missing_figure_is_located(data_copy):
    replace_in(data_copy / "taoyuan" / "2024" / "narrative" / "s3-2.md", "decision.legal_opinions", "decision.opinions")
    found = problems(data_copy)
    assert any("narrative/s3-2.md:3:" in p and "引用的数据“decision.opinions”不存在" in p for p in found), found


def test_prose_with_raw_html_is_refused(data_copy):
    path = data_copy / "taoyuan" / "2024" / "narrative" / "s2.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n", encoding="utf-8")
    assert any("s2.md:" in p and "正文含原始 HTML“<script>”" in p for p in problems(data_copy))


def test_an_unknown_office_or_year_lists_what_exists(data_copy):
    assert any("单位“nowhere”不在 offices.csv 中，已有：taoyuan" in p for p in problems(data_copy, "nowhere"))
    assert any("没有taoyuan的1999年数据，已有年份：2022、2023、2024" in p for p in problems(data_copy, "taoyuan", 1999))


def test_a_catalog_rate_must_name_indicators_that_exist(data_copy):
    replace_in(data_copy / "indicators.csv", "mediation.resolved,mediation.cases,", "mediation.won,mediation.cases,")
    found = problems(data_copy)
    assert any("indicators.csv:25:numerator: 引用的指标“mediation.won”不在目录中" in p for p in found), found


def test_a_catalog_kind_outside_the_contract_is_refused(data_copy):
    replace_in(data_copy / "indicators.csv", "safety.drills,s3-4,应急演练活动,场,count,", "safety.drills,s3-4,应急演练活动,场,tally,")
    assert any("indicators.csv:19:kind: kind 须为" in p for p in problems(data_copy))


def test_gb18030_and_bom_files_are_read(data_copy):
    path = values(data_copy)
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    assert load_dataset(data_copy, "taoyuan", 2024).figures["safety.drills"].text == "22场"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_dataset(data_copy, "taoyuan", 2024).figures["safety.drills"].text == "22场"


def test_validation_runs_without_pandera_importing_hypothesis_and_hypothesis_stays_importable(tmp_path):
    """pandera's first check would import hypothesis for its data-synthesis strategies; the checks are
    registered with it marked absent, so validation needs no hypothesis and a test may still import it."""
    import subprocess
    import sys

    from ..conftest import DATA

    script = (
        "import sys\n"
        "from helpers.data.catalog import read_frame\n"
        "from helpers.data import schemas\n"
        "from pathlib import Path\n"
        "problems = []\n"
        f"read_frame(Path({str(DATA / 'indicators.csv')!r}), schemas.indicators(), problems)\n"
        "bad = Path(sys.argv[1]) / 'indicators.csv'\n"
        f"text = Path({str(DATA / 'indicators.csv')!r}).read_text(encoding='utf-8')\n"
        "bad.write_text(text.replace('mediation.cases', 'Mediation Cases', 1), encoding='utf-8')\n"
        "read_frame(bad, schemas.indicators(), problems)\n"
        "print('hypothesis' in sys.modules, len(problems) == 1 and '编号' in str(problems[0]))\n"
        "import hypothesis\n"
        "print(hypothesis.__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["False", "True", "hypothesis"]


def test_a_module_marked_absent_for_a_block_is_importable_after_it():
    import importlib
    import sys

    from helpers.imports import absent

    sys.modules.pop("tabnanny", None)
    with absent("tabnanny"), pytest.raises(ImportError):
        importlib.import_module("tabnanny")
    assert importlib.import_module("tabnanny").__name__ == "tabnanny"
    with absent("tabnanny"):  # already imported: left as it is
        assert importlib.import_module("tabnanny").__name__ == "tabnanny"
