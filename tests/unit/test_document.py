"""The report's source: the seed's sections in order, prose or a generated sentence, embeds per section."""

from __future__ import annotations

import re

import pandas as pd

from helpers.data.dataset import load_dataset
from helpers.document.document import compose
from helpers.model.sectionview import SectionView
from helpers.model.variables import all_metrics, build_variables, lookup

from ..conftest import DATA, SEED


def metrics(data) -> pd.DataFrame:
    return all_metrics(data)


def test_headings_follow_the_seed_in_order():
    data = load_dataset(DATA, "taoyuan", 2024)
    qmd = compose(data, metrics(data))
    headings = re.findall(r"^#{2,3} (\S+?)(?:\s|$)", qmd, re.M)
    seed = SEED.read_text(encoding="utf-8")
    expected = [line.split("方面")[0][:8] for line in seed.splitlines() if re.match(r"^[一二三四五]、|^\([一二三四五]\)", line)]
    produced = [h.replace("（", "(").replace("）", ")")[:8] for h in headings if not h.startswith("附件")]
    seed_top = [e for e in expected if not e.startswith("(")]
    assert [p for p in produced if not p.startswith("(")] == seed_top
    assert len(produced) == len(expected), (produced, expected)


def test_a_section_without_prose_gets_a_generated_sentence(data_copy):
    (data_copy / "taoyuan" / "2024" / "narrative" / "s3-4.md").unlink()
    data = load_dataset(data_copy, "taoyuan", 2024)
    qmd = compose(data, metrics(data))
    block = qmd.split("（四）强化落实安全生产")[1].split("（五）")[0]
    assert "截至10月，人民调解案件502宗" in block
    assert "历年变化：应急演练活动2022年为15场（示例），2024年为22场" in block
    assert "{{< embed notebooks/section-s3-4.ipynb#fig-s3-4 >}}" in block


def test_each_section_with_figures_embeds_its_chart_and_table():
    data = load_dataset(DATA, "taoyuan", 2024)
    qmd = compose(data, metrics(data))
    for section in data.outline.sections.values():
        has_figures = bool(SectionView(data, section.id).figures)
        assert (f"#fig-{section.id} >}}}}" in qmd) == has_figures, section.id
        assert (f"#tbl-{section.id} >}}}}" in qmd) == has_figures, section.id


def test_the_appendix_traces_every_figure_to_its_row():
    data = load_dataset(DATA, "taoyuan", 2024)
    qmd = compose(data, metrics(data))
    appendix = qmd.split("## 附件2")[1]
    assert "| 调解成功率 | — | 97.6% | 截至10月 |" in appendix and "| 第24行 |" in appendix
    assert len(re.findall(r"\| 第\d+行 \|", appendix)) == len(data.figures)


def test_variables_are_nested_by_id_for_the_var_shortcode():
    data = load_dataset(DATA, "taoyuan", 2024)
    tree = build_variables(metrics(data))
    assert lookup(tree, "mediation.cases") == "502宗"
    assert lookup(tree, "period.mediation.cases") == "截至10月"
    assert lookup(tree, "mediation") is None
    assert lookup(tree, "nothing.here") is None


def test_the_colophon_says_modified_only_when_code_changed(tmp_path):
    import subprocess

    from helpers.publish.version import code_version

    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    for folder in ("src", "data"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "f.txt").write_text("1", encoding="utf-8")
    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    assert "+改动" not in code_version(tmp_path)
    (tmp_path / "data" / "f.txt").write_text("2", encoding="utf-8")  # a catalog row for another office
    code_version.cache_clear()  # worked out once per process: a new process sees the change
    assert "+改动" not in code_version(tmp_path)
    (tmp_path / "src" / "f.txt").write_text("2", encoding="utf-8")
    assert "+改动" not in code_version(tmp_path)  # the same process: the version it worked out
    code_version.cache_clear()
    assert "+改动" in code_version(tmp_path)
