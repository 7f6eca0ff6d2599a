"""A notebook of an office's own is keyed on everything the office-year read, so one that shows the
signature date or a line of prose runs again when they change; the project's own notebooks stay keyed on what
they display."""

from __future__ import annotations

from pathlib import Path

from helpers.data.dataset import load_dataset
from helpers.publish.build import BuildRequest, notebook_jobs


def _inputs(data: Path) -> dict[str, str]:
    request = BuildRequest("xinhe", 2024, data, project_root=Path(__file__).resolve().parents[2])
    return {job.section: job.inputs for job in notebook_jobs(request, load_dataset(data, "xinhe", 2024)) if job.section}


def test_an_offices_own_notebook_runs_again_when_the_date_or_the_prose_changes(data_copy: Path):
    outline = data_copy / "xinhe" / "sections.csv"
    rows = outline.read_text(encoding="utf-8").splitlines()
    rows[0] += ",notebook"
    rows = [rows[0], *(row + (",mychart" if row.startswith("a1,") else ",") for row in rows[1:])]
    outline.write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = _inputs(data_copy)
    year = data_copy / "xinhe" / "2024"
    (year / "report.yml").write_text((year / "report.yml").read_text(encoding="utf-8").replace("2024-12-20", "2024-12-30"), encoding="utf-8")
    dated = _inputs(data_copy)
    assert dated["a1"] != before["a1"]  # its own notebook: the date may be what it shows
    assert {k: v for k, v in dated.items() if k != "a1"} == {k: v for k, v in before.items() if k != "a1"}
    prose = year / "narrative" / "a2.md"
    prose.write_text(prose.read_text(encoding="utf-8") + "\n另有一句。\n", encoding="utf-8")
    worded = _inputs(data_copy)
    assert worded["a1"] != dated["a1"]
    assert {k: v for k, v in worded.items() if k != "a1"} == {k: v for k, v in dated.items() if k != "a1"}
