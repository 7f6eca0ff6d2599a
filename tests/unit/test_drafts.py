"""A year still being filled in builds, says what is missing and what looks wrong; a final one must be clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.data.dataset import load_dataset
from helpers.data.scaffold import new_year
from helpers.document.document import compose
from helpers.errors import InputError
from helpers.model.variables import build_variables

from ..conftest import replace_in
from .test_year_over_year import metrics


def scaffold_2025_with_last_years_prose(data: Path) -> Path:
    new_year(data, "taoyuan", 2025)
    year = data / "taoyuan" / "2025"
    for draft in (year / "narrative" / "drafts").glob("*.md"):
        (year / "narrative" / draft.name).write_text(draft.read_text(encoding="utf-8"), encoding="utf-8")
    return year


def test_last_years_prose_copied_into_a_new_year_builds_with_placeholders(data_copy: Path):
    scaffold_2025_with_last_years_prose(data_copy)
    data = load_dataset(data_copy, "taoyuan", 2025)
    assert data.pending and all(w.warning for w in data.warnings)
    assert any("【待填：人民调解案件】" in w.message for w in data.warnings)
    pending = {i: data.catalog.indicators[i].name_zh for i in data.pending}
    assert build_variables(metrics(data), pending)["mediation"]["cases"] == "【待填：人民调解案件】"
    qmd = compose(data, metrics(data))
    assert "本稿为草稿" in qmd and "{{< var mediation.cases >}}" in qmd


@pytest.mark.parametrize("how", ["strict", "final"])
def test_the_same_prose_is_refused_under_strict_or_in_a_final_year(data_copy: Path, how: str):
    year = scaffold_2025_with_last_years_prose(data_copy)
    if how == "final":
        replace_in(year / "report.yml", "status: draft", "status: final")
    with pytest.raises(InputError) as refused:
        load_dataset(data_copy, "taoyuan", 2025, strict=how == "strict")
    assert any("mediation.cases" in str(p) and not p.warning for p in refused.value.problems)


def test_new_year_writes_no_date_for_the_owner_to_forget(data_copy: Path):
    new_year(data_copy, "taoyuan", 2025)
    data = load_dataset(data_copy, "taoyuan", 2025)
    assert data.report_date is None and data.status == "draft"
    assert any(w.column == "date" and w.file.endswith("2025/report.yml") for w in data.warnings)
    replace_in(data_copy / "taoyuan" / "2025" / "report.yml", "status: draft", "status: final")
    with pytest.raises(InputError) as refused:
        load_dataset(data_copy, "taoyuan", 2025)
    assert any(p.column == "date" and not p.warning for p in refused.value.problems)


def test_a_missing_signature_date_is_a_warning(data_copy: Path):
    (data_copy / "taoyuan" / "2024" / "report.yml").write_text("status: draft\n", encoding="utf-8")
    data = load_dataset(data_copy, "taoyuan", 2024)
    assert [w.column for w in data.warnings] == ["date"]


def test_a_drafts_notes_name_files_as_the_data_folder_does_never_by_the_machines_path(data_copy: Path):
    scaffold_2025_with_last_years_prose(data_copy)
    data = load_dataset(data_copy.resolve(), "taoyuan", 2025)
    qmd = compose(data, metrics(data))
    assert data.warnings and str(data_copy.resolve()) not in qmd and "/tmp" not in qmd
    assert "taoyuan/2025/report.yml" in qmd and "第0行" not in qmd


def test_a_new_year_goes_on_from_the_latest_years_own_outline(data_copy: Path):
    office = data_copy / "taoyuan"
    latest = office / "2024" / "sections.csv"
    latest.write_text(
        "id,parent,title_zh,role,caption_zh,indicators\ns1,,{year}年主要工作,,,mediation.cases mediation.success_rate\n", encoding="utf-8"
    )
    log = new_year(data_copy, "taoyuan", 2025)
    assert (office / "2025" / "sections.csv").read_bytes() == latest.read_bytes()
    values = (office / "2025" / "values.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert [line.split(",")[0] for line in values] == ["mediation.cases", "mediation.success_rate"]
    assert office / "2025" / "sections.csv" in log.written
