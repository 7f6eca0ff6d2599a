"""``annual-report``: validate an office-year's data, or build its report."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from .batch import build_all, exit_code, summary
from .build import FORMATS, BuildRequest, build, build_comparison
from .catalog import load_catalog
from .csvfile import display_path
from .dataset import load_dataset, office_years
from .errors import InputError, ReportError, UsageError
from .scaffold import WriteLog, keep_published, new_year


def _formats(text: str) -> tuple[str, ...]:
    formats = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    return formats


def _ids(text: str) -> tuple[str, ...]:
    return tuple(i.strip() for i in text.split(",") if i.strip())


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="annual-report", description="法治政府建设年度报告：由数据生成 HTML、PDF 和 Word 报告。")
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="check the catalog and every (or one) office-year; print every problem")
    v.add_argument("--data-dir", type=Path, default=Path("data"))
    v.add_argument("--office")
    v.add_argument("--year", type=int)
    v.add_argument("--strict", action="store_true", help="treat warnings as errors (for publishing)")

    b = sub.add_parser("build", help="build one office-year's report into <out>/<office>/<year>/")
    b.add_argument("--office")
    b.add_argument("--year", type=int)
    b.add_argument("--all", action="store_true", help="build every office-year of the data directory")
    b.add_argument("--offices", type=_ids, default=(), help="with --all: only these offices (comma-separated ids)")
    b.add_argument("--data-dir", type=Path, default=Path("data"))
    b.add_argument("--out", type=Path, default=Path("_output"))
    b.add_argument("--formats", type=_formats, default=("html", "pdf"), help="comma-separated: html,pdf,docx")
    b.add_argument("--engine", choices=("auto", "quarto", "builtin"), default="auto",
                   help="auto: Quarto where installed, else the built-in pandoc + Typst path")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors (for publishing)")

    c = sub.add_parser("compare", help="compare offices' shared indicators for one year into <out>/compare/<year>/")
    c.add_argument("--year", type=int, required=True)
    c.add_argument("--offices", type=_ids, default=(), help="comma-separated office ids (default: every office of the year)")
    c.add_argument("--data-dir", type=Path, default=Path("data"))
    c.add_argument("--out", type=Path, default=Path("_output"))
    c.add_argument("--formats", type=_formats, default=("html", "pdf"), help="comma-separated: html,pdf,docx")
    c.add_argument("--engine", choices=("auto", "quarto", "builtin"), default="auto")

    n = sub.add_parser("new-year", help="scaffold data/<office>/<year>/ from the latest earlier year")
    _office_year(n)
    n.add_argument("--force", action="store_true", help="overwrite existing files (each is backed up first)")

    t = sub.add_parser("template", help="write an Excel workbook for entering an office-year's figures")
    _office_year(t)
    t.add_argument("--output", type=Path, required=True, help="the .xlsx file to write")

    i = sub.add_parser("import", help="check an Excel workbook and write its figures to values.csv")
    i.add_argument("workbook", type=Path)
    _office_year(i)
    i.add_argument("--force", action="store_true", help="replace an existing values.csv (backed up first)")

    k = sub.add_parser("keep-published", help="record a published year's figures (published.csv) for the backtest")
    _office_year(k)
    k.add_argument("--force", action="store_true", help="replace an existing published.csv (backed up first)")
    return p


def _office_year(p: argparse.ArgumentParser) -> None:
    p.add_argument("--office", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--data-dir", type=Path, default=Path("data"))


def validate(args: argparse.Namespace) -> int:
    load_catalog(args.data_dir)
    targets = [(o, y) for o, y in office_years(args.data_dir)
               if (args.office is None or o == args.office) and (args.year is None or y == args.year)]
    if args.office and args.year and not targets:
        targets = [(args.office, args.year)]  # let load_dataset say what is missing
    problems, warnings = [], []
    for office, year in targets:
        try:
            warnings += load_dataset(args.data_dir, office, year, strict=args.strict).warnings
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    for warning in warnings:
        print(warning, file=sys.stderr)
    noted = f"，{len(warnings)} 处警告（见上，--strict 时视为错误）" if warnings else ""
    print(f"数据有效：{len(targets)} 个单位年度（{'、'.join(f'{o}/{y}' for o, y in targets)}）{noted}")
    return 0


def run_build(args: argparse.Namespace) -> int:
    if args.all == bool(args.office or args.year):
        raise UsageError("build 需要 --office 和 --year，或者 --all（二者选一）")
    if not args.all and not (args.office and args.year):
        raise UsageError("build 需要同时给出 --office 和 --year")
    request = BuildRequest(args.office or "", args.year or 0, args.data_dir, args.out, formats=args.formats,
                           engine=args.engine, strict=args.strict)
    if args.all:
        outcomes = build_all(request, progress=sys.stderr.isatty(), offices=args.offices)
        print(summary(outcomes, args.out))
        return exit_code(outcomes)
    result = build(request)
    print(f"渲染引擎：{engine_name(result.engine)}")
    for path in result.files.values():
        print(f"已生成 {display_path(path)}")
    for name in result.removed:
        print(f"已移除旧的 {name}：本次未生成该格式，留下它会与新报告不一致")
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    return 0


def engine_name(engine: str) -> str:
    from .render import quarto_version

    if engine == "quarto":
        return "Quarto " + ".".join(str(n) for n in quarto_version() or ())
    return "内置（pandoc + Typst）"


def run_compare(args: argparse.Namespace) -> int:
    request = BuildRequest("", args.year, args.data_dir, args.out, formats=args.formats, engine=args.engine)
    result = build_comparison(request, args.offices)
    print(f"渲染引擎：{engine_name(result.engine)}")
    for path in result.files.values():
        print(f"已生成 {display_path(path)}")
    for name in result.removed:
        print(f"已移除旧的 {name}：本次未生成该格式，留下它会与新对比不一致")
    return 0


def _report(log: WriteLog) -> None:
    for path in log.written:
        print(f"已写入 {display_path(path)}")
    for path in log.backups:
        print(f"原文件已备份为 {display_path(path)}")
    for path in log.kept:
        print(f"已存在，未改动 {display_path(path)}（如需覆盖，加 --force，原文件会先备份）")


def run_new_year(args: argparse.Namespace) -> int:
    log = new_year(args.data_dir, args.office, args.year, args.force)
    _report(log)
    if log.written:
        print(f"下一步：在 values.csv 填写数值和来源；参照 narrative/drafts/ 中上年的文字改写，放到 narrative/ 下；"
              f"在 followup.csv 填写上年各事项的落实状态。然后运行 annual-report build --office {args.office} --year {args.year}")
    return 0


def run_template(args: argparse.Namespace) -> int:
    from .excel import write_template

    if args.output.exists():
        raise UsageError(f"{args.output} 已存在：请换一个文件名，或先删除它")
    print(f"已写入 {display_path(write_template(args.data_dir, args.office, args.year, args.output))}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from .excel import import_workbook

    log = import_workbook(args.workbook, args.data_dir, args.office, args.year, args.force)
    _report(log)
    return 0 if log.written else 1


def run_keep_published(args: argparse.Namespace) -> int:
    _report(keep_published(load_dataset(args.data_dir, args.office, args.year), args.data_dir, args.force))
    return 0


#: What an invalid input means for each command, said at the end of its problems.
CLOSING = {"validate": "，数据未通过校验", "build": "，未生成报告", "compare": "，未生成对比", "import": "，未写入 values.csv", "new-year": "，未创建新年度",
           "template": "，未生成工作簿", "keep-published": "，未记录已发布数据"}


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _interrupt)  # a TERM stops kernels and keeps the last report, as Ctrl-C does
    args = parser().parse_args(argv)
    commands = {"validate": validate, "build": run_build, "compare": run_compare, "new-year": run_new_year, "template": run_template,
                "import": run_import, "keep-published": run_keep_published}
    try:
        return commands[args.command](args)
    except InputError as exc:
        errors = [p for p in exc.problems if not p.warning]
        for problem in errors + [p for p in exc.problems if p.warning]:
            print(problem, file=sys.stderr)
        print(f"共 {len(errors)} 处问题{CLOSING.get(args.command, '')}。", file=sys.stderr)
        return exc.exit_code
    except ReportError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # a full disk, a folder without write permission …
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a fault of this program: one line here, the details in a file
        import tempfile
        import traceback

        log = Path(tempfile.gettempdir()) / "annual-report-error.txt"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        print(f"内部错误（{type(exc).__name__}：{exc}）。这是本程序的缺陷，不是数据的问题；详细信息已写入 {log}，"
              "报告问题时请附上。上一次生成的报告保持不变。", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        from .execute import kill_kernels

        kill_kernels()
        print("已中断；上一次生成的报告保持不变。", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
