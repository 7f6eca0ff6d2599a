"""``annual-report``: validate an office-year's data, or build its report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import FORMATS, BuildRequest, build
from .catalog import load_catalog
from .dataset import load_dataset, office_years
from .errors import InputError, ReportError


def _formats(text: str) -> tuple[str, ...]:
    formats = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    return formats


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="annual-report", description="法治政府建设年度报告：由数据生成 HTML、PDF 和 Word 报告。")
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="check the catalog and every (or one) office-year; print every problem")
    v.add_argument("--data-dir", type=Path, default=Path("data"))
    v.add_argument("--office")
    v.add_argument("--year", type=int)

    b = sub.add_parser("build", help="build one office-year's report into <out>/<office>/<year>/")
    b.add_argument("--office", required=True)
    b.add_argument("--year", type=int, required=True)
    b.add_argument("--data-dir", type=Path, default=Path("data"))
    b.add_argument("--out", type=Path, default=Path("_output"))
    b.add_argument("--formats", type=_formats, default=("html", "pdf"), help="comma-separated: html,pdf,docx")
    b.add_argument("--engine", choices=("auto", "quarto", "builtin"), default="auto",
                   help="auto: Quarto where installed, else the built-in pandoc + Typst path")
    return p


def validate(args: argparse.Namespace) -> int:
    load_catalog(args.data_dir)
    targets = [(o, y) for o, y in office_years(args.data_dir)
               if (args.office is None or o == args.office) and (args.year is None or y == args.year)]
    if args.office and args.year and not targets:
        targets = [(args.office, args.year)]  # let load_dataset say what is missing
    problems = []
    for office, year in targets:
        try:
            load_dataset(args.data_dir, office, year)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    print(f"数据有效：{len(targets)} 个单位年度（{'、'.join(f'{o}/{y}' for o, y in targets)}）")
    return 0


def run_build(args: argparse.Namespace) -> int:
    request = BuildRequest(args.office, args.year, args.data_dir, args.out, formats=args.formats, engine=args.engine)
    for name, path in build(request).items():
        print(f"已生成 {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return {"validate": validate, "build": run_build}[args.command](args)
    except InputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"共 {len(exc.problems)} 处问题，未生成报告。", file=sys.stderr)
        return exc.exit_code
    except ReportError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已中断；上一次生成的报告保持不变。", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
