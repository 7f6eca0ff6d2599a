"""A district as a whole: after one office's change, only what shows that office is made again."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from helpers.model import district
from helpers.publish.batch import build_all, plan_all, said
from helpers.publish.build import BuildRequest, build_comparison

from .conftest import ENGINES
from .test_report import pdf_text

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def _city():
    """bench/city.py, whose generated district the benchmark measures."""
    spec = importlib.util.spec_from_file_location("city", ROOT / "bench" / "city.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_one_offices_change_rebuilds_only_its_report_and_the_comparison_that_shows_it(tmp_path: Path):
    city = _city()
    offices = city.make_city(tmp_path / "data", 3)
    template = BuildRequest("", 0, tmp_path / "data", tmp_path / "out", tmp_path / "_build", ("html",), "builtin")

    def comparisons() -> dict[int, object]:
        return {
            year: build_comparison(
                BuildRequest("", year, **{k: getattr(template, k) for k in ("data_dir", "out_dir", "build_dir", "formats", "engine")}), tuple(offices)
            )
            for year in city.YEARS
        }

    assert {o.status for o in build_all(template, progress=False)} == {"built"}
    comparisons()
    manifests = {year: tmp_path / "out" / "compare" / str(year) / "manifest.json" for year in city.YEARS}
    published = {year: path.stat().st_mtime_ns for year, path in manifests.items()}
    said_changed: list[str] = []  # the batch's warm parent starts as soon as a figure is known to have changed
    assert all(plan.up_to_date for _, plan in plan_all(template, changed=lambda: said_changed.append("all"))) and not said_changed
    changed = offices[1]
    city.change_one_value(tmp_path / "data", changed)
    steps = plan_all(template, changed=lambda: said_changed.append("all"))  # the batch's plan, before anything is built: one report to make
    assert said_changed == ["all"]
    assert [(r.office, r.year) for r, plan in steps if not plan.up_to_date] == [(changed, 2024)]
    assert said(steps) == "计划：9 份报告，1 份需生成，8 份已是最新"
    outcomes = {(o.office, o.year): o.status for o in build_all(template, progress=False)}
    assert [key for key, status in outcomes.items() if status != "reused"] == [(changed, 2024)]
    again = comparisons()
    assert again[2024].executed == ["compare.ipynb"] and again[2024].rendered == ["html"]
    assert all(not again[year].executed and not again[year].rendered for year in (2022, 2023))
    # the years that do not show the change are answered from their manifests: nothing loaded, nothing published
    assert [year for year in city.YEARS if manifests[year].stat().st_mtime_ns != published[year]] == [2024]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_coverage_table_sets_as_many_offices_side_by_side_as_fit_the_type_area_and_counts_beyond(tmp_path: Path, engine: str):
    """Thirty offices set a column each overflowed the 156 mm line: marks and numbers past the right margin."""
    city = _city()
    fitting = city.make_city(tmp_path / "fit" / "data", district.COVERAGE_COLUMNS)
    request = BuildRequest("", 2024, tmp_path / "fit" / "data", tmp_path / "fit" / "out", tmp_path / "fit" / "_build", ("pdf",), engine)
    made = build_comparison(request, tuple(fitting))
    assert made.preflight == []  # nothing past the type area, on any page
    text = pdf_text(made.files["report.pdf"])
    assert "表中符号" in text and f"{len(fitting)}第{len(fitting):02d}街道" in text  # a numbered column per office
    more = city.make_city(tmp_path / "more" / "data", district.COVERAGE_COLUMNS + 1)
    comparison = district.load_comparison(2024, tuple(more), tmp_path / "more" / "data")
    assert comparison.coverage_counted and not comparison.large
    header = comparison.coverage_markdown().splitlines()[0]
    assert [cell.strip() for cell in header.strip("|").split("|")] == ["概念", *(s.words for s in district.Standing)]


def _executed_compare(build_dir: Path) -> dict:
    """The comparison notebook the last run executed (the newest in the cache)."""
    newest = max((build_dir / "cache" / "notebooks").glob("*/compare.ipynb"), key=lambda p: p.stat().st_mtime_ns)
    return json.loads(newest.read_text(encoding="utf-8"))


def _chart_svg(notebook: dict) -> str:
    (svg,) = ["".join(o["data"]["image/svg+xml"]) for c in notebook["cells"] for o in c.get("outputs", []) if "image/svg+xml" in o.get("data", {})]
    return svg


def test_a_comparison_takes_its_chart_from_the_store_while_what_it_draws_is_unchanged(tmp_path: Path):
    """One office's figure that the chart does not show re-runs the comparison, not its chart; one it shows
    draws the chart again, as a cold build draws it."""
    city = _city()
    offices = city.make_city(tmp_path / "data", 3)

    def compare(build_dir: Path) -> None:
        request = BuildRequest("", 2024, tmp_path / "data", build_dir / "out", build_dir, ("html",), "builtin")
        assert build_comparison(request, tuple(offices)).executed == ["compare.ipynb"]

    build_dir = tmp_path / "_build"
    compare(build_dir)
    kept = list((build_dir / "cache" / "charts").glob("*/*.svg"))
    assert [path.read_text(encoding="utf-8") for path in kept] == [_chart_svg(_executed_compare(build_dir))]
    drawn = district.load_comparison(2024, tuple(offices), tmp_path / "data").chart_panels()[0]
    assert "合同" not in "".join(p.title for p in drawn)  # contracts reviewed: in the table, past the chart's page
    kept[0].write_text(kept[0].read_text(encoding="utf-8") + "<!-- kept -->", encoding="utf-8")
    city.change_one_value(tmp_path / "data", offices[1], "review.legality_contracts")
    compare(build_dir)
    assert _chart_svg(_executed_compare(build_dir)).endswith("<!-- kept -->")  # taken in the kernel, not drawn
    city.change_one_value(tmp_path / "data", offices[1])  # drawn: 执法检查（次）
    compare(build_dir)
    again = _chart_svg(_executed_compare(build_dir))
    compare(tmp_path / "cold")
    assert again == _chart_svg(_executed_compare(tmp_path / "cold")) and "<!-- kept -->" not in again
