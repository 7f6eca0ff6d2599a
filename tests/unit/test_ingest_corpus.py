"""Ingest measured on thirteen published reports nobody here wrote (tests/fixtures/ingest/corpus/), against
labels written by hand before ingest ran on them: figures with value, qualifier, unit and period, the items of
其中 lists, and no figure bound to an indicator that counts something else."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from helpers.data.catalog import load_catalog
from helpers.ingest.ingestion import ingest

from ..conftest import DATA
from .test_ingest import new_office

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "corpus"
#: The targets: figures with value, unit, qualifier and period right; items of 其中 lists found as parts.
FIGURES, PARTS = 0.95, 0.85


def _labels() -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for row in csv.DictReader((CORPUS / "labels.csv").open(encoding="utf-8")):
        found.setdefault(row["file"], []).append(row)
    return found


#: Of the figures read from the simplified text, at least this share is read the same from its traditional form.
TRADITIONAL = 0.90


def _key(value: Decimal | str, qualifier: str, unit: str, period: str) -> tuple:
    return (Decimal(str(value)).normalize(), qualifier, unit, period)


def _ingested(tmp_path_factory, name: str, source: Path | None = None):
    data = tmp_path_factory.mktemp(name.split(".")[0]) / "data"
    shutil.copytree(DATA, data)
    office = new_office(data, name.split("-")[0])
    year = int(name.split("-")[1].split(".")[0])
    return data, office, ingest(source or CORPUS / name, data, office, year)


def _figures(result) -> Counter:
    return Counter(
        _key(m.found.value, m.found.qualifier, m.found.unit, m.found.period_end.isoformat() if m.found.period_end else "") for m in result.matches
    )


@pytest.fixture(scope="module")
def measured(tmp_path_factory) -> dict[str, int]:
    totals: Counter = Counter()
    for name, labels in sorted(_labels().items()):
        data, office, result = _ingested(tmp_path_factory, name)
        catalog = load_catalog(data)
        got = _figures(result)
        wanted = Counter(_key(r["value"], r["qualifier"], r["unit"], r["period_end"]) for r in labels)
        totals["labels"] += sum(wanted.values())
        totals["right"] += sum((wanted & got).values())
        totals["extra"] += sum((got - wanted).values())
        parts = Counter(Decimal(r["value"]).normalize() for r in labels if r["part"] == "yes")
        found_parts = Counter(m.found.value.normalize() for m in result.matches if m.found.part)
        totals["parts"] += sum(parts.values())
        totals["parts_right"] += sum((parts & found_parts).values())
        totals["parts_extra"] += sum((found_parts - parts).values())
        allowed = {(Decimal(r["value"]).normalize(), r["unit"]): set(r["may_bind"].split()) for r in labels}
        for m in result.matches:
            if m.indicator is not None and m.indicator.id in catalog.indicators and not m.indicator.id.startswith(f"{office}."):
                totals["bound"] += 1
                if m.indicator.id not in allowed.get((m.found.value.normalize(), m.found.unit), set()):
                    totals["wrong"] += 1
                    print(f"{name}: {m.found.value}{m.found.unit}（{m.found.name}）bound to {m.indicator.id}")
    print(dict(totals))
    return totals


def test_figures_are_read_with_value_unit_qualifier_and_period_on_reports_nobody_here_wrote(measured):
    assert measured["labels"] >= 70
    assert measured["right"] >= FIGURES * measured["labels"]
    assert measured["extra"] <= (1 - FIGURES) * measured["labels"]


def test_no_figure_is_bound_to_an_indicator_that_counts_something_else(measured):
    assert measured["wrong"] == 0


def test_the_items_of_qizhong_lists_are_parts_and_nothing_else_is(measured):
    assert measured["parts_right"] >= PARTS * measured["parts"] and measured["parts_extra"] == 0


def test_a_report_in_traditional_characters_is_converted_and_read_as_its_simplified_text(tmp_path_factory):
    """Each corpus report written out in traditional characters (OpenCC's s2t, the other direction of the
    converter ingest uses) is said to be converted, and gives the figures of the simplified text."""
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    same = total = 0
    for name in sorted(_labels()):
        _, _, simplified = _ingested(tmp_path_factory, name)
        written = tmp_path_factory.mktemp("traditional") / name
        written.write_text(to_traditional.convert((CORPUS / name).read_text(encoding="utf-8")), encoding="utf-8")
        _, _, traditional = _ingested(tmp_path_factory, name, written)
        assert any("繁体" in note for note in traditional.notes), name
        wanted = _figures(simplified)
        total += sum(wanted.values())
        same += sum((wanted & _figures(traditional)).values())
    print(f"traditional: {same} of {total} figures")
    assert same >= TRADITIONAL * total
