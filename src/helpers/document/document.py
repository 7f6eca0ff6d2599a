"""The Quarto source of one office-year's report: headings in the seed's order, prose, embedded outputs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import yaml

from ..data.catalog import Office, Section
from ..data.dataset import Dataset
from ..data.markdown import pipe_table
from ..data.markup import inert_prose, literal
from ..errors import Problem
from ..model.district import OfficeComparison
from ..model.sectionview import SectionView
from ..notebooks.labels import COMPARE_NOTEBOOK, SCORECARD_NOTEBOOK, executed_name, label
from ..phrasing import chinese_ordinal, date_zh, format_number
from ..project import PROVENANCE
from . import downloads
from .titles import title_lines

SCORECARD = f"notebooks/{SCORECARD_NOTEBOOK}.ipynb"
COMPARE_FILE = f"notebooks/{COMPARE_NOTEBOOK}.ipynb"


def notebook_file(section: Section) -> str:
    return f"notebooks/{executed_name(section.id)}"


def embed(notebook: str, label: str) -> str:
    return f"{{{{< embed {notebook}#{label} >}}}}"


def notice(text: str) -> str:
    """A boxed notice (missing figures, illustrative data, a draft's warnings). Not a Quarto callout:
    those are titled 警告 and import a Typst package from the network."""
    return f'::: {{.notice role="note"}}\n{text}\n:::'


def screen_only(block: str) -> str:
    """A block the HTML shows and the printed and Word copies leave out (report/filters/blocks.lua): what a
    final report says about how it was made is no text of the office's, so it is not printed."""
    return f"::: {{.screen-only}}\n{block}\n:::" if block else ""


def front_matter(title: str, office: Office, year: int, digest: str = "", code: str = "") -> str:
    """A report's metadata; its provenance (office, year, data fingerprint, code version) goes into the
    PDF's and the Word copy's document properties, where no page shows it."""
    meta = {
        "title": literal(title),
        "title-lines": [literal(line) for line in title_lines(title)],
        "office": literal(office.name_zh),
        "year": year,
        "lang": "zh-CN",
        "timezone": office.timezone,
        **dict(zip(PROVENANCE, (office.id, str(year), digest), strict=True)),
        **({"report-code": code} if code else {}),
    }
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"


def signature_block(lines: list[str], day: date | None) -> str:
    """The lines under the text, the date last (GB/T 9704 7.3.5): set flush right in print and Word."""
    signed = [literal(line) for line in lines] + ([date_zh(day)] if day else [])
    return "::: {.signature}\n" + "\\\n".join(signed) + "\n:::"


def section_block(data: Dataset, view: SectionView) -> str:
    """Heading, the office's prose (or a generated sentence), then the section's chart, table and trends."""
    section = view.section
    marks = "#" * (section.level + 1)
    parts = [f"{marks} {literal(section.heading(data.year))} {{#sec-{section.id}}}"]
    prose = data.narrative.get(section.id, "")
    if prose:
        parts.append(inert_prose(prose))
    elif view.figures:
        parts.append(literal(view.sentence()))
    nb = notebook_file(section)
    if section.role == "followup" and data.followups:
        parts += [embed(nb, label("followup", section.id)), downloads.link(f"{data.year - 1}年存在问题和工作计划的落实情况", followup_frame(data))]
    if view.figures:
        parts += ([embed(nb, label("chart", section.id))] if view.chartable else []) + [embed(nb, label("table", section.id))]
        parts.append(downloads.link(f"{section.caption(data.year)}主要数据", view.data()))
        if view.has_trend:
            if not prose:
                parts.append(literal(view.trend_sentence()))
            parts.append(embed(nb, label("trend", section.id)))
    if view.missing:
        parts.append(notice(literal("本节以下指标本年尚无数据：" + "、".join(view.missing) + "。")))
    if view.not_applicable:
        parts.append(literal("本节以下指标本年不适用：" + "、".join(view.not_applicable) + "。"))
    if not prose and not view.figures and not view.missing and not data.outline.children(section.id):
        parts.append(notice(f"本节正文待撰写（narrative/{section.id}.md）。"))
    return "\n\n".join(parts)


def missing_summary(views: list[SectionView]) -> str:
    """For a year still being filled in: which figures are missing, before anything else."""
    missing = [name for view in views for name in view.missing]
    if not missing:
        return ""
    return notice(f"本报告尚有{len(missing)}项数据待补（各节末尾列出），以下仅呈现已有数据，未作任何推算。")


def illustrative_summary(data: Dataset) -> str:
    """Any illustrative (示例) figure, this year's or an earlier year's that a comparison uses, is said once,
    before anything else: not after each section."""
    made_up = [f for f in data.figures.values() if f.has_value and f.is_illustrative]
    earlier = sorted({year for year, figures in data.history.items() if any(f.has_value and f.is_illustrative for f in figures.values())})
    if not made_up and not earlier:
        return ""
    said = []
    if made_up:
        share = "全部" if len(made_up) == sum(f.has_value for f in data.figures.values()) else f"其中{len(made_up)}项"
        said.append(f"本报告的数据{share}为示例数据")
    if earlier:
        said.append(f"同比比较和趋势用到了{'、'.join(f'{y}年' for y in earlier)}的示例数据")
    return notice("注意：" + "，".join(said) + "（非真实数据，表中标注“示例”，图中以斜线条表示），仅用于演示，不能作为工作成效的依据。")


def first_year_summary(data: Dataset) -> str:
    """A report with no earlier year of data compares nothing, and says so once."""
    if data.has_history or not data.figures:
        return ""
    return notice(f"本单位{data.year}年以前的年度没有数据，本报告只列本年数值，不作同比比较。")


def warnings_summary(data: Dataset) -> str:
    """A draft lists what still wants a look (implausible figures, placeholders, no date); a final year has none."""
    return draft_notice(data.warnings, data.office.id)


def draft_notice(warnings: list[Problem], office: str) -> str:
    """What a draft of either kind still wants a look at, each with its file and row as the data folder
    names them; nothing where there is nothing."""
    if not warnings:
        return ""
    items = "\n".join(f"- {literal(p.message)}（{literal(_where(p, office))}）" for p in warnings)
    return notice(f"本稿为草稿，以下{len(warnings)}处需核对：\n\n{items}")


def _where(problem: Problem, office: str) -> str:
    """A problem's file as the data folder names it (``taoyuan/2024/report.yml``: never the build machine's
    path), and its row where it has one."""
    parts = Path(problem.file).parts
    shown = "/".join(parts[len(parts) - 1 - parts[::-1].index(office) :]) if office in parts else Path(problem.file).name
    return f"{shown} 第{problem.row}行" if problem.row > 0 else shown


def appendix_heading(number: int, ident: str, title: str) -> str:
    """附件N　title: a new page under its 3号黑体 label in print (report/filters/blocks.lua)."""
    return f'## 附件{number}　{title} {{#{ident} .appendix label="附件{number}"}}'


def attachments(titles: list[str]) -> str:
    """The list of appendices under the text, before the signature (GB/T 9704 7.3.4): 附件：1. … 2. …"""
    items = [f"{n}．{title}" for n, title in enumerate(titles, 1)]
    return "::: {.attachments}\n附件：" + "\\\n".join(items) + "\n:::"


def scorecard_block(data: Dataset, number: int) -> str:
    return "\n\n".join(
        [
            appendix_heading(number, "sec-scorecard", "年度指标对比"),
            embed(SCORECARD, "scorecard-summary"),
            embed(SCORECARD, "tbl-scorecard"),
            downloads.link("各项指标与上年比较", tidy(data, (data.year - 1, data.year))),
        ]
    )


def tidy(data: Dataset, years: tuple[int, ...]) -> pd.DataFrame:
    """Every figure of the outline in ``years``, one row each, in the outline's order (helpers.document.downloads.TIDY)."""
    frames = [SectionView(data, s).data() for s in data.outline.sections]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=downloads.TIDY)
    return frame[frame["year"].isin(years)].reset_index(drop=True)


def followup_frame(data: Dataset) -> pd.DataFrame:
    """Last year's commitments as this year reports them, one row each."""
    return pd.DataFrame(
        [
            {
                "commitment": f.commitment.id,
                "title": f.commitment.title_zh,
                "kind": f.commitment.kind,
                "status": f.status,
                "indicators": " ".join(f.commitment.indicators),
                "note": f.note,
            }
            for f in data.followups
        ]
    )


def appendix(data: Dataset, metrics: pd.DataFrame, number: int) -> str:
    """Where every figure comes from: the figure, its source, and the data row that holds it."""
    lines = [
        appendix_heading(number, "sec-sources", "数据来源"),
        "",
        "本报告中的每个数字均取自下表所列数据行（本年度 values.csv 的行号），可逐项核对。",
        "",
    ]
    # a source said once: under the table where every figure shares it, else by a mark ①② in its own column
    every = list(dict.fromkeys(str(source).strip() for source in metrics["source"]))
    sources = [source for source in every if source]
    marks = {source: SOURCE_MARKS[n] if n < len(SOURCE_MARKS) else f"({n + 1})" for n, source in enumerate(sources)}
    marks[""] = "—"
    columns = [("指标", "l", 34), ("数值", "r", 18), ("统计期", "l", 16), ("数据行", "l", 12)]
    rows = [[r.name_zh, r.text, r.period_text or "全年", f"第{r.row}行"] for r in metrics.itertuples(index=False)]
    marked = len(every) > 1
    if marked:
        columns.insert(3, ("来源", "l", 8))
        for row, r in zip(rows, metrics.itertuples(index=False), strict=True):
            row.insert(3, marks[str(r.source).strip()])
    if any(metrics["definition"]):  # what exactly is counted, where the catalog or the office says
        columns.insert(1, ("统计口径", "l", 26))
        for row, r in zip(rows, metrics.itertuples(index=False), strict=True):
            row.insert(1, r.definition or "—")
    lines.append(pipe_table(columns, rows))
    said = [f"{marks[source]}{literal(source)}" if marked else literal(source) for source in sources]
    lines += ["", ": 各项数据的来源 {#tbl-sources}"]  # the caption right under the table, as pandoc reads it
    if said:
        lines += ["", "来源：" + "；".join(said) + "。"]
    lines += ["", downloads.link("各项数据的来源", tidy(data, (data.year,)))]
    return "\n".join(lines)


#: The marks the sources table names its sources by, each said once under it.
SOURCE_MARKS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def colophon(
    code: str,
    digest: str,
    what: str = "本报告",
    scope: str = "（本报告读取的每个数据文件及其内容的 SHA-256 前12位，文件清单在 manifest.json 的 record 中）",
) -> str:
    """When, from which data and by which code: ``built`` is given at render time, so an unchanged
    report is not re-rendered just to change its clock."""
    return (
        "## 版本信息 {#sec-colophon}\n\n::: {.colophon}\n"
        f"{what}由 annual-report {code} 生成；数据指纹 {digest}{scope}；生成时间 {{{{< meta built >}}}}。\n:::"
    )


def compose(data: Dataset, metrics: pd.DataFrame, code: str = "", digest: str = "") -> str:
    """The whole ``report.qmd``."""
    views = [SectionView(data, s) for s in data.outline.sections]
    printed = screen_only if data.final else (lambda block: block)  # a final report prints the office's text only
    blocks = [
        front_matter(data.title, data.office, data.year, digest, code),
        illustrative_summary(data),
        printed(first_year_summary(data)),
        missing_summary(views),
        warnings_summary(data),
    ]
    if data.narrative.get("preamble"):
        blocks.append(inert_prose(data.narrative["preamble"]))
    blocks += [section_block(data, view) for view in views]
    titles = (["年度指标对比"] if data.has_history else []) + ["数据来源"]  # a first year has nothing to compare
    blocks.append(attachments(titles))
    blocks.append(signature_block(data.signature, data.report_date))
    if data.has_history:
        blocks.append(scorecard_block(data, 1))
    blocks.append(appendix(data, metrics, len(titles)))
    if code and digest:
        blocks.append(printed(colophon(code, digest)))
    return "\n\n".join(b for b in blocks if b) + "\n"


def compose_comparison(comparison: OfficeComparison, code: str = "", digest: str = "") -> str:
    """The ``report.qmd`` of a comparison of offices: the chart of what may be compared (only with enough
    in common), the table of every shared measure with each office's own name and change and what keeps it
    from comparison, who reports which concept, and the rest. Nothing empty gets a heading or a caption."""
    meta = {"title": literal(comparison.title), "lang": "zh-CN", "timezone": comparison.offices[0].timezone}
    names = "、".join(o.name_zh for o in comparison.offices)
    blocks = ["---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"]
    if comparison.illustrative:
        blocks.append(notice("注意：下列数值中标注“示例”的为示例数据（非真实数据），仅用于演示比较方法。"))
    if comparison.drafts:
        blocks.append(notice(literal(f"草稿：{'、'.join(o.name_zh for o in comparison.drafts)}{comparison.year}年的数据尚未定稿，可能还会改动。")))
    blocks.append(
        literal(
            f"本对比列出{names}{comparison.year}年共同填报的指标：各单位的数值、各自的指标名称，以及较本单位上年的变化。"
            "各单位的指标按共同的指标概念对齐；只有统计期、统计口径相同且为确数的数值才在图中并列，"
            "其余列在表中，并写明不作比较的原因。"
        )
    )
    context = _context(comparison)
    if context:
        blocks.append(literal(context))
    numbers = iter(range(1, 10))

    def heading(title: str, anchor: str) -> str:
        return f"## {chinese_ordinal(next(numbers))}、{title} {{#{anchor}}}"

    # each heading is followed by a sentence saying what comes, so it never ends a page above its table
    if comparison.charted:
        rest = f"另有{comparison.left_out}项可比指标因篇幅未入图，数值见表。" if comparison.left_out else ""
        blocks += [
            heading("可比指标", "sec-compare-chart"),
            literal("下图并列各单位统计期、统计口径相同的确数。" + rest),
            embed(COMPARE_FILE, "fig-compare"),
        ]
    else:
        blocks.append(literal(comparison.nothing_drawn()))
    if comparison.shared:
        per = "有常住人口数据的单位，计数类指标另列每万人数值。" if comparison.per_capita else ""
        blocks += [
            heading("共同指标一览", "sec-compare-table"),
            literal(
                f"单位较多（{len(comparison.offices)}个），下表按指标列出填报和可比的单位数及可比数值的范围；"
                "各单位的数值、每万人数值和较上年的变化见所附数据文件。"
                if comparison.large
                else "下表列出各单位共同填报的指标、各单位的数值和较本单位上年的变化。" + per
            ),
            embed(COMPARE_FILE, "tbl-compare"),
            downloads.link("各单位共同指标", comparison.tidy(shared=True)),
        ]
    else:
        blocks.append(literal("所选单位本年没有共同填报的指标，不列对比表。"))
    if comparison.concepts:
        blocks += [
            heading("填报情况", "sec-compare-coverage"),
            literal("下表列出各单位是否填报了每个共同指标概念，以及能否与其他单位直接比较。" + comparison.coverage_key()),
            embed(COMPARE_FILE, "tbl-coverage"),
            downloads.link("各单位填报情况", comparison.coverage_tidy()),
        ]
    if comparison.single:
        blocks += [
            heading("仅一个单位填报的指标", "sec-compare-single"),
            literal("下表列出只有一个单位填报的指标，不作单位间比较。"),
            embed(COMPARE_FILE, "tbl-compare-single"),
            downloads.link("仅一个单位填报的指标", comparison.tidy(shared=False)),
        ]
    if code and digest:
        blocks.append(colophon(code, digest, "本对比", "（各单位读取的每个数据文件及其内容的 SHA-256 前12位）"))
    return "\n\n".join(blocks) + "\n"


def _context(comparison: OfficeComparison) -> str:
    """Each office's size, where offices.csv gives it: what a per-capita figure is divided by."""
    parts = []
    for office in comparison.offices:
        said = [
            f"常住人口{format_number(Decimal(office.population))}人" if office.population is not None else "",
            f"社区{office.communities}个" if office.communities is not None else "",
            f"村{office.villages}个" if office.villages is not None else "",
        ]
        if any(said):
            parts.append(f"{office.short_name_zh}{'、'.join(w for w in said if w)}")
    return ("各单位概况：" + "；".join(parts) + "。") if parts else ""


def open_items(data: Dataset) -> list[str]:
    """What the office still has to do for this report, in a few lines for the end of a build."""
    views = [SectionView(data, s) for s in data.outline.sections]
    lines = []
    missing = [name for view in views for name in view.missing]
    if missing:
        lines.append(f"数据待补 {len(missing)} 项：" + "、".join(missing[:8]) + ("等" if len(missing) > 8 else ""))
    unwritten = [
        f"narrative/{v.section.id}.md"
        for v in views
        if v.section.id not in data.narrative and (v.indicators or not data.outline.children(v.section.id))
    ]
    if unwritten:
        lines.append(f"正文待撰写 {len(unwritten)} 节（现以自动生成的句子代替）：" + "、".join(unwritten))
    if data.report_date is None:
        lines.append("落款没有成文日期：请在 report.yml 中写 date: YYYY-MM-DD")
    now = sum(f.has_value and f.is_illustrative for f in data.figures.values())
    before = sum(f.has_value and f.is_illustrative for year in data.history.values() for f in year.values())
    if now:
        lines.append(f"本年有 {now} 项示例数据（来源标有“示例”，报告中已注明）")
    if before:
        lines.append(f"同比和趋势用到往年示例数据 {before} 项（报告中已注明）")
    return lines
