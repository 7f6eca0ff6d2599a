"""``annual-report``: validate an office-year's data, or build its report."""

from __future__ import annotations

import argparse
import signal
import sys
from datetime import date
from pathlib import Path

from .data.csvfile import display_path
from .errors import InputError, PreflightError, ReportError, UsageError
from .project import BUILD_DIR, CACHE, FORMATS
from .wording import speak_chinese

# The commands import what they use when they run: an up-to-date `build` answers without pandas.


def _formats(text: str) -> tuple[str, ...]:
    formats = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    return formats


def _progress(text: str) -> None:
    """A build's steps, as they happen, on stderr (stdout carries the results)."""
    print(f"· {text}", file=sys.stderr, flush=True)


def _ids(text: str) -> tuple[str, ...]:
    ids = tuple(i.strip() for i in text.split(",") if i.strip())
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:  # an office compared with itself would look like two offices agreeing
        raise argparse.ArgumentTypeError(f"单位编号重复：{'、'.join(twice)}（每个单位只写一次）")
    return ids


#: The years an annual report can be of: four digits, from the first reports to well after today.
YEARS = range(2000, 2100)


def _year(text: str) -> int:
    """A four-digit year in :data:`YEARS`: ``25``, ``-1`` or ``99999`` would name a folder no report is of."""
    value = text.strip()
    if not (len(value) == 4 and value.isascii() and value.isdigit()) or int(value) not in YEARS:
        raise argparse.ArgumentTypeError(f"“{text}”不是年份：请写四位数的年份，{YEARS.start}–{YEARS.stop - 1}，如 2024")
    return int(value)


def _years(text: str) -> tuple[int, ...]:
    return tuple(_year(y) for y in text.split(",") if y.strip())


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期：请写作 YYYY-MM-DD，如 2025-04-01") from None


def _kind(text: str) -> str:
    from .data.kinds import KINDS, kind_of

    if not text.strip():
        return ""  # the office-year's own kind
    found = kind_of(text.strip())
    if found is None:
        raise argparse.ArgumentTypeError(f"报告类型“{text}”不认识，可用：" + "、".join(f"{k.id}（{k.name_zh}）" for k in KINDS.values()))
    return found


def parser() -> argparse.ArgumentParser:
    speak_chinese()
    p = argparse.ArgumentParser(prog="annual-report", description="法治政府建设年度报告：由数据生成 HTML、PDF 和 Word 报告。")
    sub = p.add_subparsers(dest="command", required=True, title="命令", metavar="命令")

    v = sub.add_parser("validate", help="检查指标目录和每个（或指定的）单位年度的数据，列出全部问题")
    v.add_argument("--data-dir", type=Path, default=Path("data"), help="数据目录（默认 data）")
    v.add_argument("--office", help="只检查这个单位")
    v.add_argument("--year", type=_year, help="只检查这一年")
    v.add_argument("--strict", action="store_true", help="把警告也当作错误（发布前用）")
    v.add_argument("--kind", type=_kind, default="", help="只检查这一类报告（编号或中文名）")

    b = sub.add_parser("build", help="生成一个单位年度的报告，写入 <out>/<单位>/<年份>/")
    b.add_argument("--office", help="单位编号（data/offices.csv 的 id）")
    b.add_argument("--year", type=_year, help="年份，如 2024")
    b.add_argument("--all", action="store_true", help="生成数据目录中每个单位年度的报告")
    b.add_argument("--offices", type=_ids, default=(), help="与 --all 同用：只生成这些单位（编号以逗号分隔）")
    b.add_argument("--data-dir", type=Path, default=Path("data"), help="数据目录（默认 data）")
    b.add_argument("--out", type=Path, default=Path("_output"), help="输出目录（默认 _output）")
    b.add_argument("--formats", type=_formats, default=("html", "pdf"), help="格式，以逗号分隔：html,pdf,docx")
    b.add_argument(
        "--engine",
        choices=("auto", "quarto", "builtin"),
        default="auto",
        help="渲染引擎：auto（装有 Quarto 时用 Quarto，否则用内置的 pandoc + Typst）、quarto、builtin",
    )
    b.add_argument("--strict", action="store_true", help="把警告也当作错误（发布前用）")
    b.add_argument("--kind", type=_kind, default="", help="报告类型（编号或中文名，如 政府信息公开工作年度报告；默认：该年度目录的报告）")

    c = sub.add_parser("compare", help="对比各单位同一年的共同指标，写入 <out>/compare/<年份>/")
    c.add_argument("--year", type=_year, required=True, help="年份，如 2024")
    c.add_argument("--offices", type=_ids, default=(), help="单位编号，以逗号分隔（默认：该年有数据的全部单位）")
    c.add_argument("--district", default="", help="只对比 offices.csv 中 district_zh 为此的单位，标题写明该区")
    c.add_argument("--data-dir", type=Path, default=Path("data"), help="数据目录（默认 data）")
    c.add_argument("--out", type=Path, default=Path("_output"), help="输出目录（默认 _output）")
    c.add_argument("--formats", type=_formats, default=("html", "pdf"), help="格式，以逗号分隔：html,pdf,docx")
    c.add_argument("--engine", choices=("auto", "quarto", "builtin"), default="auto", help="渲染引擎，同 build")

    s = sub.add_parser("site", help="把各单位的报告、趋势和对比汇成一个静态网站，写入 <out>/site/")
    s.add_argument("--data-dir", type=Path, default=Path("data"), help="数据目录（默认 data）")
    s.add_argument("--out", type=Path, default=Path("_output"), help="输出目录（默认 _output）")
    s.add_argument("--offices", type=_ids, default=(), help="只收录这些单位（编号以逗号分隔；默认全部）")
    s.add_argument("--years", type=_years, default=(), help="只收录这些年份（以逗号分隔；默认全部）")
    s.add_argument("--final-only", action="store_true", help="只收录定稿（report.yml 中 status: final），不收录草稿")
    s.add_argument("--as-of", type=_day, default=None, help="按这一天判断是否已过公开期限（YYYY-MM-DD；默认今天）")
    s.add_argument("--formats", type=_formats, default=("html", "pdf", "docx"), help="报告格式（默认 html,pdf,docx）")
    s.add_argument("--engine", choices=("auto", "quarto", "builtin"), default="auto", help="渲染引擎，同 build")

    u = sub.add_parser("status", help="列出每个单位某年报告的状态：定稿、草稿或未提交，落款日期，是否已过公开期限")
    u.add_argument("--year", type=_year, required=True, help="年份，如 2024")
    u.add_argument("--data-dir", type=Path, default=Path("data"), help="数据目录（默认 data）")
    u.add_argument("--as-of", type=_day, default=None, help="按这一天判断是否已过公开期限（YYYY-MM-DD；默认今天）")

    w = sub.add_parser("preview", help="在浏览器中预览报告：保存数据或正文后自动重新生成并刷新页面")
    w.add_argument("--office", required=True, help="单位编号（data/offices.csv 的 id）")
    w.add_argument("--year", type=_year, required=True, help="年份，如 2024")
    w.add_argument("--data-dir", type=Path, default=Path("data"), help="数据目录（默认 data）")
    w.add_argument("--kind", type=_kind, default="", help="报告类型（编号或中文名；默认：该年度目录的报告）")
    w.add_argument("--port", type=int, default=8765, help="端口（默认 8765；0 为任选空闲端口），只监听 127.0.0.1")
    w.add_argument(
        "--engine", choices=("auto", "quarto", "builtin"), default="builtin", help="渲染引擎（默认 builtin：最快；quarto 可预览 Quarto 的效果）"
    )

    n = sub.add_parser("new-year", help="以最近一年为起点，建立 data/<单位>/<年份>/")
    _office_year(n)
    n.add_argument("--kind", type=_kind, default="", help="报告类型：政府信息公开工作年度报告 以上年的表格和正文为起点")
    n.add_argument("--force", action="store_true", help="覆盖已有文件（先备份到 .backup/）")

    t = sub.add_parser("template", help="生成填报数据用的 Excel 工作簿")
    _office_year(t)
    t.add_argument("--output", type=Path, required=True, help="要写入的 .xlsx 文件")
    t.add_argument("--kind", type=_kind, default="", help="报告类型：政府信息公开工作年度报告 生成按国家格式排列的三张表")

    i = sub.add_parser("import", help="检查 Excel 工作簿，并把数据写入 values.csv（政府信息公开工作年度报告的表格写入 disclosure.csv）")
    i.add_argument("workbook", type=Path, help="填好的 .xlsx 工作簿")
    _office_year(i)
    i.add_argument("--force", action="store_true", help="替换已有的 values.csv（先备份到 .backup/）")

    g = sub.add_parser("ingest", help="把已发布的报告（.docx、.html、.txt）导入为某单位某年的数据，供核对")
    g.add_argument("file", type=Path, metavar="FILE", help="报告文件：.docx、.html 或 .txt")
    _office_year(g)
    g.add_argument("--force", action="store_true", help="覆盖已有文件（先备份到 .backup/）")
    g.add_argument("--update", action="store_true", help="读取经编辑修改的本项目 Word 文件：把改过的段落写回正文，数字不改")

    f = sub.add_parser("preflight", help="按 GB/T 9704 检查已生成的 PDF 或 Word 文件的版面，列出全部问题")
    f.add_argument("files", type=Path, nargs="+", metavar="FILE", help="report.pdf 或 report.docx")

    k = sub.add_parser("keep-published", help="记录已发布年度的数字（published.csv），供回归检查")
    _office_year(k)
    k.add_argument("--force", action="store_true", help="替换已有的 published.csv（先备份到 .backup/）")
    return p


def _office_year(p: argparse.ArgumentParser) -> None:
    p.add_argument("--office", required=True, help="单位编号（data/offices.csv 的 id）")
    p.add_argument("--year", type=_year, required=True, help="年份，如 2025")
    p.add_argument("--data-dir", type=Path, default=Path("data"), help="数据目录（默认 data）")


def validate(args: argparse.Namespace) -> int:
    from .data.catalog import load_catalog
    from .data.dataset import load_dataset
    from .data.disclosure_report import load_disclosure_report
    from .data.kinds import DISCLOSURE_KIND
    from .data.reports import locate, places

    load_catalog(args.data_dir)
    targets = [
        p
        for p in places(args.data_dir)
        if (args.office is None or p.office == args.office) and (args.year is None or p.year == args.year) and (not args.kind or p.kind == args.kind)
    ]
    if args.office and args.year and not targets:
        targets = [locate(args.data_dir, args.office, args.year, args.kind or None)]  # let the loader say what is missing
    problems, warnings = [], []
    for place in targets:
        load = load_disclosure_report if place.kind == DISCLOSURE_KIND else load_dataset
        try:
            warnings += load(args.data_dir, place.office, place.year, strict=args.strict).warnings
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    for warning in warnings:
        print(warning, file=sys.stderr)
    noted = f"，{len(warnings)} 处警告（见上，--strict 时视为错误）" if warnings else ""
    named = "、".join(f"{p.office}/{p.year}" + (f"（{p.kind}）" if p.own_folder else "") for p in targets)
    print(f"数据有效：{len(targets)} 个单位年度（{named}）{noted}")
    return 0


def run_build(args: argparse.Namespace) -> int:
    if args.all == bool(args.office or args.year):
        raise UsageError("build 需要 --office 和 --year，或者 --all（二者选一）")
    if not args.all and not (args.office and args.year):
        raise UsageError("build 需要同时给出 --office 和 --year")
    from .notebooks.kernels import Kernels
    from .publish.request import BuildRequest, plan_of

    with Kernels() as kernels:  # every kernel and the warm parent stop when the command ends, however it ends
        request = BuildRequest(
            args.office or "",
            args.year or 0,
            args.data_dir,
            args.out,
            formats=args.formats,
            engine=args.engine,
            strict=args.strict,
            kind=getattr(args, "kind", ""),
            say=(lambda text: None) if args.all else _progress,
            kernels=kernels,
        )
        # The plan, made once and before pandas or a kernel is imported; without a data folder the build says what is wrong.
        todo = None if args.all or not args.data_dir.is_dir() else plan_of(request)
        if todo is not None and said_up_to_date(request, todo.manifest):
            return 0
        if args.all:
            from .publish.batch import build_all, exit_code, plan_all, raise_faults, said, summary

            steps = plan_all(request, args.offices, changed=kernels.warm_up)  # every report's plan, before any is built
            _progress(said(steps))
            if any(plan.kernels and not plan.up_to_date for _, plan in steps):
                kernels.warm_up()  # the warm kernels' parent imports while this process does
            outcomes = build_all(request, progress=sys.stderr.isatty(), steps=steps)
            print(summary(outcomes, args.out))
            raise_faults(outcomes)  # every other report was built; the log keeps each fault's traceback
            return exit_code(outcomes)
        if todo is None or todo.kernels:
            kernels.warm_up()  # the warm kernels' parent imports while this process does
        from .publish.build import build

        result = build(request, todo)
    print(f"渲染引擎：{engine_name(result.engine)}")
    for path in result.files.values():
        print(f"已生成 {display_path(path)}")
    for name in result.removed:
        print(f"已移除旧的 {name}：本次未生成该格式，留下它会与新报告不一致")
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    for finding in result.preflight:
        print(f"版面警告：{finding}", file=sys.stderr)
    if result.open_items:
        print("尚待完成：\n" + "\n".join(f"  - {line}" for line in result.open_items))
    else:
        print("报告完整：没有待补的数据、待写的正文，也没有用到示例数据。")
    return 0


def said_up_to_date(request, manifest: dict | None) -> bool:
    """Say so and stop where the published report was made from exactly these inputs."""
    if manifest is None:
        return False
    print("报告已是最新：数据、正文、代码和设置都与上次生成时相同，未重新生成。")
    for name in manifest["files"]:
        print(f"已生成 {display_path(request.target / name)}")
    notes = manifest.get("notes") or {}
    for warning in notes.get("warnings", []):
        print(warning, file=sys.stderr)
    if notes.get("open_items"):
        print("尚待完成：\n" + "\n".join(f"  - {line}" for line in notes["open_items"]))
    return True


def engine_name(engine: str) -> str:
    from .document.engine import quarto_version

    if engine == "quarto":
        return "Quarto " + ".".join(str(n) for n in quarto_version() or ())
    return "内置（pandoc + Typst）"


def run_compare(args: argparse.Namespace) -> int:
    from .publish.build import BuildRequest, build_comparison

    request = BuildRequest("", args.year, args.data_dir, args.out, formats=args.formats, engine=args.engine)
    result = build_comparison(request, args.offices, args.district)
    print(f"渲染引擎：{engine_name(result.engine)}")
    for path in result.files.values():
        print(f"已生成 {display_path(path)}")
    for name in result.removed:
        print(f"已移除旧的 {name}：本次未生成该格式，留下它会与新对比不一致")
    return 0


def run_site(args: argparse.Namespace) -> int:
    from .notebooks.kernels import Kernels
    from .serve.request import SiteRequest, plan_site

    with Kernels() as kernels:  # a comparison runs a notebook: the warm parent imports while the site's machinery does
        planned = plan_site(
            SiteRequest(
                args.data_dir,
                args.out,
                offices=args.offices,
                years=args.years,
                final_only=args.final_only,
                formats=args.formats,
                engine=args.engine,
                as_of=args.as_of,
                say=_progress,
            ),
            changed=kernels.warm_up,  # the data changed: the parent starts while the plan works out the code key
        )
        result = planned.answer
        if result is None:  # something changed: only now is the site's machinery imported
            kernels.warm_up()
            from .serve.site import build_site

            result = build_site(planned.request, planned, kernels)
    drafts = result.drafts
    print(f"渲染引擎：{engine_name(result.engine)}；页面{'沿用缓存' if result.reused_pages else '已重新生成'}")
    print(
        f"已发布网站 {display_path(result.folder)}/index.html：{len(result.listed)} 份报告"
        + (f"（草稿 {len(drafts)} 份：{'、'.join(drafts)}）" if drafts else "")
        + (f"，{len(result.comparisons)} 份年度对比" if result.comparisons else "")
    )
    return 0


def run_status(args: argparse.Namespace) -> int:
    from .model.publication import publications, table_lines

    found = publications(args.data_dir, (args.year,), as_of=args.as_of)
    for line in table_lines(found):
        print(line)
    late = [p for p in found if p.late and p.state != "final"]
    done = sum(p.state == "final" for p in found)
    offices = len({p.office.id for p in found})
    print(f"{args.year}年：定稿 {done} 份，共 {len(found)} 份报告（{offices} 个单位）" + (f"；已过公开期限仍未定稿 {len(late)} 份" if late else ""))
    return 0


def run_ingest(args: argparse.Namespace) -> int:
    from .ingest.ingestion import ingest

    if args.update:
        from .ingest.update import update

        updated = update(args.file, args.data_dir, args.office, args.year)
        for line in [*map(str, updated.conflicts), *(f"{m}：在 Word 文件中找不到，正文保持不变" for m in updated.missing)]:
            print(line, file=sys.stderr)
        _report(updated.log)
        print(updated.summary)
        return 0
    result = ingest(args.file, args.data_dir, args.office, args.year, args.force, say=_progress)
    _report(result.log)
    print(result.summary)
    return 0


def run_preview(args: argparse.Namespace) -> int:
    from .publish.build import BuildRequest
    from .serve.preview import Preview

    request = BuildRequest(
        args.office,
        args.year,
        args.data_dir.resolve(),
        (BUILD_DIR / "preview").resolve(),
        formats=("html",),
        engine=args.engine,
        keep_warm=True,
        kind=args.kind,
    )
    try:
        Preview(request, args.port).serve()
    except KeyboardInterrupt:
        print("预览已结束。")
    return 0


def _report(log) -> None:
    for path in log.written:
        print(f"已写入 {display_path(path)}")
    for path in log.backups:
        print(f"原文件已备份为 {display_path(path)}")
    for path in log.unchanged:
        print(f"内容相同，未改动 {display_path(path)}")
    for path in log.kept:
        print(f"已存在，未改动 {display_path(path)}（如需覆盖，加 --force，原文件会先备份）")


def run_new_year(args: argparse.Namespace) -> int:
    from .data.kinds import DISCLOSURE_KIND
    from .data.scaffold import new_disclosure_year, new_year

    if args.kind == DISCLOSURE_KIND:
        log = new_disclosure_year(args.data_dir, args.office, args.year, args.force)
        _report(log)
        if log.written:
            print(
                "下一步：在 disclosure.csv（或 annual-report template --kind 政府信息公开工作年度报告 生成的工作簿）填写本年的表格；"
                "上年结转已按上年的结转下年度填好。参照 narrative/drafts/ 改写正文后放到 narrative/ 下。"
            )
        return 0
    log = new_year(args.data_dir, args.office, args.year, args.force)
    _report(log)
    if log.written:
        print(
            f"下一步：在 values.csv 填写数值和来源；参照 narrative/drafts/ 中上年的文字改写，放到 narrative/ 下；"
            f"在 followup.csv 填写上年各事项的落实状态。然后运行 annual-report build --office {args.office} --year {args.year}"
        )
    return 0


def run_template(args: argparse.Namespace) -> int:
    from .data.excel import write_template
    from .data.kinds import DISCLOSURE_KIND

    if args.output.exists():
        raise UsageError(f"{args.output} 已存在：请换一个文件名，或先删除它")
    if args.kind == DISCLOSURE_KIND:
        from .data.disclosure_workbook import write_disclosure_template as write_template
    print(f"已写入 {display_path(write_template(args.data_dir, args.office, args.year, args.output))}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from .data.disclosure_workbook import import_disclosure_workbook, is_disclosure_workbook
    from .data.excel import import_workbook

    chosen = import_disclosure_workbook if args.workbook.is_file() and is_disclosure_workbook(args.workbook) else import_workbook
    log = chosen(args.workbook, args.data_dir, args.office, args.year, args.force)
    _report(log)
    return 0 if log.written else 1


def run_preflight(args: argparse.Namespace) -> int:
    from .document.preflight import PreflightError, check

    findings = check(args.files)
    if findings:
        raise PreflightError(findings)
    print(f"版面检查通过：{'、'.join(display_path(f) for f in args.files)}")
    return 0


def run_keep_published(args: argparse.Namespace) -> int:
    from .data.dataset import load_dataset
    from .model.published import keep_published

    _report(keep_published(load_dataset(args.data_dir, args.office, args.year), args.data_dir, args.force))
    return 0


#: What an invalid input means for each command, said at the end of its problems.
CLOSING = {
    "validate": "，数据未通过校验",
    "build": "，未生成报告",
    "compare": "，未生成对比",
    "site": "，网站未发布",
    "status": "，未列出状态",
    "ingest": "，未导入",
    "import": "，未写入数据文件",
    "new-year": "，未创建新年度",
    "template": "，未生成工作簿",
    "keep-published": "，未记录已发布数据",
    "preflight": "",
}


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


#: The commands that fill the caches under the build folder: once one succeeds, what is long unused goes.
CACHING = ("build", "compare", "site", "preview")


def _prune_caches() -> None:
    from .publish.retention import tidy

    pruned = tidy(BUILD_DIR / CACHE)
    if pruned.items:
        _progress(f"缓存：移除了 {pruned.items} 项久未使用的内容（{pruned.freed / 1024**2:.1f} MB），需要时会重新生成")


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _interrupt)  # a TERM stops kernels and keeps the last report, as Ctrl-C does
    args = parser().parse_args(argv)
    commands = {
        "validate": validate,
        "build": run_build,
        "compare": run_compare,
        "site": run_site,
        "status": run_status,
        "preview": run_preview,
        "ingest": run_ingest,
        "new-year": run_new_year,
        "template": run_template,
        "import": run_import,
        "keep-published": run_keep_published,
        "preflight": run_preflight,
    }
    try:
        code = commands[args.command](args)
        if code == 0 and args.command in CACHING:
            _prune_caches()
        return code
    except InputError as exc:
        errors = [p for p in exc.problems if not p.warning]
        for problem in errors + [p for p in exc.problems if p.warning]:
            print(problem, file=sys.stderr)
        print(f"共 {len(errors)} 处问题{CLOSING.get(args.command, '')}。", file=sys.stderr)
        return exc.exit_code
    except PreflightError as exc:
        for finding in exc.findings:
            print(finding, file=sys.stderr)
        print(f"共 {len(exc.findings)} 处版面问题{CLOSING.get(args.command, '')}。", file=sys.stderr)
        return exc.exit_code
    except ReportError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # a full disk, a folder without write permission …
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        import tempfile
        import traceback

        log = Path(tempfile.gettempdir()) / "annual-report-error.txt"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        named = exc.exceptions if isinstance(exc, ExceptionGroup) else (exc,)  # the faults of a batch's or a site's steps
        print(
            f"内部错误（{'；'.join(f'{type(e).__name__}：{e}' for e in named)}）。这是本程序的缺陷，不是数据的问题；详细信息已写入 {log}，"
            "报告问题时请附上。上一次生成的报告保持不变。",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:  # the command's kernels were stopped on the way out (helpers.notebooks.kernels.Kernels)
        print("已中断；上一次生成的报告保持不变。", file=sys.stderr)
        return 1


def run() -> None:
    """The ``annual-report`` command: :func:`main`, then exit. Everything the command made is kept out of the
    garbage collector's last pass (``gc.freeze``): tearing down pandas, matplotlib and papermill's objects one
    by one took about half a second after the work was done, and nothing of them needs finalising."""
    import gc

    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
