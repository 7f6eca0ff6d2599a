"""One office-year's figures (``values.csv``), parsed and checked against the catalog."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..errors import Problem
from ..phrasing import format_number, format_value, period_phrase
from . import schemas
from .catalog import Catalog, Indicator
from .csvfile import display_path, read_csv
from .numbers import decimal_places, parse_number

NOT_APPLICABLE = "不适用"
QUALIFIERS = ("", "余", "约", "以上", "多", "近", "逾", "超", "超过", "不足", NOT_APPLICABLE)
PREFIX_QUALIFIERS = ("约", "近", "逾", "超", "超过", "不足")  # written before the number: 约300人


@dataclass(frozen=True)
class Figure:
    """A figure of the report and the row of data it comes from."""

    indicator: Indicator
    value: Decimal | None
    qualifier: str
    period_end: date | None
    source: str
    note: str
    file: str
    row: int
    stated: str = ""  # the value cell as typed, kept so a bad value is reported once, not again in the prose
    words: str = ""  # an honour's text (入选…, 获评…): its value, stated and compared as words

    @property
    def has_value(self) -> bool:
        """A number, or an honour's words: something the report states."""
        return self.value is not None or bool(self.words)

    @property
    def number(self) -> Decimal:
        """The value of a figure known to have one (``is_exact``, or its value checked): for arithmetic."""
        if self.value is None:
            raise ValueError(f"{self.indicator.id} has no value")
        return self.value

    @property
    def text(self) -> str:
        """502宗, 97.6%, 1000余份: the figure as the report writes it; '' when the value is missing."""
        if self.indicator.is_honour:
            return self.words
        if self.value is None:
            return ""
        if self.indicator.is_rank:  # 第5名
            return f"第{format_value(self.value, self.indicator.unit or '名', self.qualifier)}"
        return format_value(self.value, self.indicator.unit, self.qualifier)

    def period_text(self, year: int) -> str:
        return period_phrase(self.period_end, year)

    @property
    def not_applicable(self) -> bool:
        """Marked 不适用 for this year: shown as such, never as missing."""
        return self.qualifier == NOT_APPLICABLE

    @property
    def reported(self) -> bool:
        return self.has_value or self.not_applicable

    @property
    def is_exact(self) -> bool:
        return self.has_value and not self.qualifier

    @property
    def is_illustrative(self) -> bool:
        """Rows marked 示例 in their source are made-up figures, flagged wherever they are used."""
        return "示例" in self.source


def load_values(path: Path, catalog: Catalog, year: int) -> tuple[dict[str, Figure], list[Problem]]:
    """Parse ``values.csv``; return the figures by indicator id and every problem found."""
    frame, problems = read_csv(path)
    if frame is None:
        return {}, problems
    figures, found = check_values(frame, display_path(path), catalog, year)
    return figures, problems + found


def check_values(frame, file: str, catalog: Catalog, year: int) -> tuple[dict[str, Figure], list[Problem]]:
    """Check a table of figures (from a CSV or a workbook), indexed by the row numbers a person sees."""
    problems: list[Problem] = []
    failures = schemas.check(schemas.values(), frame, file)
    problems += failures
    if any(p.row == 1 for p in failures):
        return {}, problems

    figures: dict[str, Figure] = {}
    for row, r in frame.iterrows():
        ind = catalog.indicators.get(r["indicator"])
        if ind is None:
            if r["indicator"]:
                problems.append(Problem(file, row, "indicator", f"未知指标“{r['indicator']}”：不在 indicators.csv 中"))
            continue
        if ind.id in figures:
            problems.append(Problem(file, row, "indicator", f"{ind.name_zh}（{ind.id}）重复：第{figures[ind.id].row}行已填写"))
            continue
        if ind.is_honour:
            value, (words, qualifier) = None, _honour(r["value"], r["qualifier"], ind, file, row, problems)
        else:
            words, (text, qualifier) = "", split_qualifier(r["value"], r["qualifier"], file, row, problems)
            value = _value(text, ind, file, row, problems)
        if r["value"] and not r["source"]:
            problems.append(Problem(file, row, "source", f"{ind.name_zh}有数值但未注明来源：每个数字都要能追溯"))
        if qualifier not in QUALIFIERS:
            problems.append(Problem(file, row, "qualifier", f"限定词“{qualifier}”无法识别，可用：{'、'.join(q for q in QUALIFIERS if q)}"))
        if qualifier == NOT_APPLICABLE and value is not None:
            problems.append(Problem(file, row, "value", f"{ind.name_zh}标为“不适用”，数值应留空"))
        period_end = _period_end(r["period_end"], year, file, row, problems)
        figures[ind.id] = Figure(ind, value, qualifier, period_end, r["source"], r.get("note", ""), file, row, r["value"], words)
    problems += _cross_checks(figures, catalog)
    return figures, problems


def split_qualifier(value: str, qualifier: str, file: str, row: int, problems: list[Problem]) -> tuple[str, str]:
    """``1000余`` in the value cell means 1000 with qualifier 余 (约300 likewise), as a clerk writes it."""
    stripped = unicodedata.normalize("NFKC", value).strip()
    if stripped == NOT_APPLICABLE:
        return "", NOT_APPLICABLE
    for word in sorted((q for q in QUALIFIERS if q), key=len, reverse=True):
        if word in PREFIX_QUALIFIERS:
            number = stripped.removeprefix(word) if stripped.startswith(word) else None
        else:
            before, found, after = stripped.partition(word)
            number = before + after if found else None
        if number is not None and number[:1].isdigit():
            if qualifier and qualifier != word:
                problems.append(Problem(file, row, "qualifier", f"数值写了“{word}”，限定词却是“{qualifier}”：请只留一处"))
            return number, word
    return value, qualifier


#: The longest honour a table cell takes (入选第三批全国民主法治示范社区 is 16).
MAX_HONOUR = 60


def _honour(value: str, qualifier: str, ind: Indicator, file: str, row: int, problems: list[Problem]) -> tuple[str, str]:
    """An honour is its words (入选…, 获评…): one line of plain text, no number to parse and no 约 or 余."""
    words = " ".join(value.split())  # as typed: NFKC would turn （社区） into (社区)
    if words == NOT_APPLICABLE:
        return "", NOT_APPLICABLE
    if qualifier and qualifier != NOT_APPLICABLE:
        problems.append(Problem(file, row, "qualifier", f"{ind.name_zh}是荣誉（文字），不能加限定词“{qualifier}”"))
    if len(words) > MAX_HONOUR:
        problems.append(Problem(file, row, "value", f"{ind.name_zh}的文字有{len(words)}字，荣誉最多{MAX_HONOUR}字：详情请写入正文"))
    return words, qualifier


def _value(text: str, ind: Indicator, file: str, row: int, problems: list[Problem]) -> Decimal | None:
    if text == "":
        return None
    try:
        value = parse_number(text, ind.unit)
    except ValueError as exc:
        problems.append(Problem(file, row, "value", f"{exc}（{ind.name_zh}（{ind.id}），单位 {ind.unit}）"))
        return None
    if value < 0 or value.is_signed():  # -0 too: it would print as 应急演练活动-0场
        problems.append(Problem(file, row, "value", f"“{text}”为负数：{ind.name_zh}不能小于0"))
    elif ind.is_whole_number and value != value.to_integral_value():
        what = "名次" if ind.is_rank else f"计数（{ind.unit}）"
        problems.append(Problem(file, row, "value", f"“{text}”不是整数：{ind.name_zh}是{what}"))
    elif ind.is_rank and value < 1:
        problems.append(Problem(file, row, "value", f"“{text}”不是名次：{ind.name_zh}须为正整数（第1名起）"))
    elif ind.max_value is not None and value > ind.max_value:
        problems.append(Problem(file, row, "value", f"“{text}”超过满分{format_number(ind.max_value)}{ind.unit}：{ind.name_zh}"))
    elif ind.is_rate and value > 100:
        problems.append(Problem(file, row, "value", f"“{text}”超出0–100：{ind.name_zh}是百分比"))
    return value


def _period_end(text: str, year: int, file: str, row: int, problems: list[Problem]) -> date | None:
    if text == "":
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        problems.append(Problem(file, row, "period_end", f"“{text}”不是日期，请写作 YYYY-MM-DD，如 {year}-10-31"))
        return None
    if day.year != year:
        problems.append(Problem(file, row, "period_end", f"“{text}”不在{year}年内"))
        return None
    return day


def _cross_checks(figures: dict[str, Figure], catalog: Catalog) -> list[Problem]:
    """A part larger than its whole, a stated rate that disagrees with its counts."""
    problems = []
    for fig in figures.values():
        ind = fig.indicator
        whole = figures.get(ind.part_of) if ind.part_of else None
        if whole and fig.is_exact and whole.is_exact and fig.number > whole.number:
            problems.append(
                Problem(
                    fig.file, fig.row, "value", f"{ind.name_zh}（{fig.text}）大于其总数{whole.indicator.name_zh}（{whole.text}，第{whole.row}行）"
                )
            )
        if ind.is_rate and ind.numerator and fig.is_exact:
            num, den = figures.get(ind.numerator), figures.get(ind.denominator)
            if num and den and num.is_exact and den.is_exact and den.number > 0:
                computed = num.number / den.number * 100
                tolerance = Decimal(5) / Decimal(10) ** (decimal_places(fig.number) + 1)
                if abs(computed - fig.number) > tolerance:
                    problems.append(
                        Problem(
                            fig.file,
                            fig.row,
                            "value",
                            f"{ind.name_zh}填写为{fig.text}，但按{num.text}÷{den.text}计算为{computed:.2f}%（第{num.row}、{den.row}行）",
                        )
                    )
    return problems + _parts_add_up(figures, catalog)


def _parts_add_up(figures: dict[str, Figure], catalog: Catalog) -> list[Problem]:
    """The parts of a whole (其中…) add up to no more than it, and to exactly it where the catalog says they
    cover it (``parts_complete``). More than the whole is a warning in a draft (an error in a final year)."""
    problems = []
    for whole in figures.values():
        parts = [f for f in figures.values() if f.indicator.part_of == whole.indicator.id and f.value is not None]
        if (
            len(parts) < 2 or not whole.is_exact or not all(p.is_exact for p in parts) or any(p.number > whole.number for p in parts)
        ):  # one part over its whole is said above, row by row
            continue
        total = sum((p.number for p in parts), Decimal(0))
        rows = "、".join(f"第{p.row}行" for p in parts)
        listed = "+".join(p.text for p in parts)
        if total > whole.number:
            problems.append(
                Problem(
                    whole.file,
                    whole.row,
                    "value",
                    f"{whole.indicator.name_zh}为{whole.text}，但其中各项之和"
                    f"{listed}={format_value(total, whole.indicator.unit, '')}，大于总数（{rows}）",
                    warning=True,
                )
            )
        elif whole.indicator.parts_complete and total != whole.value:
            expected = [i.name_zh for i in catalog.indicators.values() if i.part_of == whole.indicator.id]
            problems.append(
                Problem(
                    whole.file,
                    whole.row,
                    "value",
                    f"{whole.indicator.name_zh}为{whole.text}，其中各项"
                    f"（{'、'.join(expected)}）应合计等于总数，现为{listed}="
                    f"{format_value(total, whole.indicator.unit, '')}（{rows}）",
                )
            )
    return problems
