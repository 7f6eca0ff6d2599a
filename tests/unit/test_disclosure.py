"""The 政府信息公开工作年度报告's tables in the national format: the cells declared once, read from a tidy CSV
with every bad cell located, and every identity between the cells checked, each failure naming its table,
printed row label and column."""

from __future__ import annotations

import csv
from pathlib import Path

from helpers.data import disclosure
from helpers.data.disclosure import TABLE3_ROWS, check, load_disclosure, template_rows

#: 南山区政府办公室's 2025 figures as its report states them: 27 new and 1 carried in; 26 answered (4 disclosed,
#: 3 withheld, 13 unable, 6 other), 2 carried out. The applicants' split is not said: all are put as persons.
NANSHAN = {
    ("3", "new"): 27,
    ("3", "carried_in"): 1,
    ("3", "disclosed"): 4,
    ("3", "withheld_internal"): 3,
    ("3", "unable_not_held"): 13,
    ("3", "other_rest"): 6,
    ("3", "answered"): 26,
    ("3", "carried_out"): 2,
}


def write(folder: Path, values: dict[tuple[str, str], int], extra: list[list[str]] = (), name: str = "disclosure.csv") -> Path:
    rows = template_rows()
    for row in rows[1:]:
        key = (row[0], row[1])
        if key in values and row[2] in ("natural", "total"):
            row[3] = str(values[key])
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([*rows, *extra])
    return path


def set_cell(path: Path, table: str, row: str, column: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith(f"{table},{row},{column},"))
    path.write_text(text.replace(old, f"{table},{row},{column},{value}"), encoding="utf-8")


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


def test_the_format_is_the_national_one():
    assert len(TABLE3_ROWS) == 25 and next(iter(TABLE3_ROWS.values())) == "一、本年新收政府信息公开申请数量"
    assert TABLE3_ROWS["answered"] == "（七）总计" and TABLE3_ROWS["carried_out"] == "四、结转下年度继续办理"
    assert len(disclosure.cells_of("3")) == 25 * 7 and len(disclosure.cells_of("4")) == 15
    assert len(disclosure.RESULTS) == 21  # the rows that add up to （七）总计


def test_a_published_reports_figures_add_up_and_a_table_of_zeros_is_complete(tmp_path: Path):
    data, problems = load_disclosure(write(tmp_path, NANSHAN))
    assert problems == [] and check(data) == []
    zeros, problems = load_disclosure(write(tmp_path, {}, name="zeros.csv"))
    assert problems == [] and check(zeros) == []


def test_every_broken_identity_is_named_by_table_row_label_and_column_all_at_once(tmp_path: Path):
    broken = {**NANSHAN, ("3", "carried_out"): 3, ("3", "disclosed"): 5}
    path = write(tmp_path, broken)
    set_cell(path, "4", "review", "upheld", "1")
    data, problems = load_disclosure(path)
    assert problems == []
    found = messages(check(data))
    assert any("表三" in m and "“（七）总计”·自然人" in m and "新收27 + 上年结转1 = 28，但总计26 + 结转下年度3 = 29" in m for m in found), found
    assert any("“（七）总计”·自然人" in m and "各项办理结果之和为27" in m for m in found), found
    assert any("表四" in m and "行政复议·总计" in m and "之和为1" in m for m in found), found
    rows = {p.row for p in check(data)}
    assert all(r > 0 for r in rows)  # each at the CSV row of the cell that states the total


def test_the_total_column_is_the_sum_of_the_six_applicant_columns(tmp_path: Path):
    path = write(tmp_path, NANSHAN)
    set_cell(path, "3", "new", "business", "2")
    data, _ = load_disclosure(path)
    found = messages(check(data))
    assert any("“一、本年新收政府信息公开申请数量”·总计" in m and "六类申请人之和为29" in m for m in found), found


def test_last_years_carry_over_must_match_an_error_when_final_a_warning_in_a_draft(tmp_path: Path):
    last, _ = load_disclosure(write(tmp_path, {**NANSHAN, ("3", "carried_out"): 2}, name="last.csv"))
    this, _ = load_disclosure(write(tmp_path, {("3", "new"): 5, ("3", "carried_in"): 0, ("3", "answered"): 5, ("3", "disclosed"): 5}))
    draft = [p for p in check(this, last) if "上年结转" in p.message]
    assert draft and all(p.warning for p in draft) and "上年报告的结转下年度为2" in draft[0].message
    assert [p for p in check(this, last, final=True) if "上年结转" in p.message and not p.warning]


def test_documents_in_force_are_compared_with_last_years_as_a_warning(tmp_path: Path):
    last_path = write(tmp_path, {}, name="last.csv")
    last_path.write_text(last_path.read_text(encoding="utf-8").replace("2,normative,in_force,0", "2,normative,in_force,21"), encoding="utf-8")
    this_path = write(tmp_path, {})
    text = this_path.read_text(encoding="utf-8")
    for old, new in (
        ("2,normative,issued,0", "2,normative,issued,5"),
        ("2,normative,repealed,0", "2,normative,repealed,1"),
        ("2,normative,in_force,0", "2,normative,in_force,24"),
    ):
        text = text.replace(old, new)
    this_path.write_text(text, encoding="utf-8")
    (last, _), (this, _) = load_disclosure(last_path), load_disclosure(this_path)
    found = [p for p in check(this, last) if "现行有效" in p.message]
    assert len(found) == 1 and found[0].warning and "应为25" in found[0].message


def test_bad_cells_are_each_located_and_slash_is_not_zero(tmp_path: Path):
    extra = [
        ["3", "nope", "natural", "1"],
        ["5", "new", "natural", "1"],
        ["4", "review", "pending", "两"],
        ["4", "suit_direct", "upheld", "-1"],
        ["4", "suit_after_review", "upheld", "1.5"],
        ["3", "new", "natural", "9"],
        ["2", "fees", "amount", "/"],
    ]
    path = write(tmp_path, NANSHAN)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [
        line for line in lines if not line.startswith(("2,fees,amount", "4,review,pending", "4,suit_direct,upheld", "4,suit_after_review,upheld"))
    ]
    path.write_text("\n".join(lines + [",".join(row) for row in extra]) + "\n", encoding="utf-8")
    data, problems = load_disclosure(path)
    found = messages(problems)
    assert len(found) == 6, found
    assert any(":row:" in m and "nope" in m for m in found) and any(":table:" in m and "没有表“5”" in m for m in found)
    assert any("“两”不是数字" in m for m in found) and any("不能为负数" in m for m in found)
    assert any("件数须为整数" in m for m in found) and any("已在第" in m and "行填写" in m for m in found)
    assert data.values[("2", "fees", "amount")] is None and data.get("2", "fees", "amount") == 0


#: 南山区政府办公室's own sentence of its 2025 report, as published.
NANSHAN_SAID = (
    "收到政府信息公开申请27件，答复26件（含上一年度结转1件），结转下年度继续办理2件。其中，予以公开4件，占15.4%；"
    "不予公开3件，占11.5%；无法提供13件，占50%；其他处理6件，占23.1%。"
)


def test_the_sentence_is_written_from_the_table_with_shares_of_the_answered(tmp_path: Path):
    from helpers.model.disclosure import summary

    data, _ = load_disclosure(write(tmp_path, NANSHAN))
    said = summary(data)
    assert "本年新收政府信息公开申请27件，上年结转1件；办结26件，结转下年度继续办理2件。" in said
    # the shares the office printed, each of the 26 answered
    for part in ("予以公开4件，占15.4%", "不予公开3件，占11.5%", "无法提供13件，占50%", "其他处理6件，占23.1%"):
        assert part in said, said
    assert "占办结总数的比例" in said and "部分公开" not in said  # a result of none is not listed


def test_an_offices_own_sentence_is_checked_against_its_table(tmp_path: Path):
    from helpers.model.disclosure import narrative_problems

    data, _ = load_disclosure(write(tmp_path, NANSHAN))
    assert narrative_problems(NANSHAN_SAID, data, "narrative/s3.md") == []
    wrong = NANSHAN_SAID.replace("结转下年度继续办理2件", "结转下年度继续办理3件")
    found = [str(p) for p in narrative_problems("第一行\n" + wrong, data, "narrative/s3.md")]
    assert found == ["narrative/s3.md:2:*: 正文说“结转下年度继续办理3件”，但表中结转下年度为2件"]
