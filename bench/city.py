"""A city, measured: a generated district of N offices × 3 years, built and published as a whole.

Usage: python bench/city.py [--offices 30] [--small 10] [--repeat 1] [--load]

Times, in one run, with the built-in engine (HTML and PDF): one cold office-year build (the baseline);
`build --all` cold, unchanged, and after one office's value changed, each followed by `site`; and the peak
memory of any one process. Reports the cost per office-year at ``--small`` offices and at ``--offices``,
and checks the targets, as ratios to the baseline: cold batch ≤ 0.45 × the sum of single builds; one
office changed (`build --all` then `site`) ≤ 1.5 ×; nothing changed (`build --all` then `site`) ≤ 0.3 ×;
peak memory ≤ 1 GB. ``--repeat N`` takes the median of N single builds (each cold) and of N rounds of
nothing changed and of one office changed (a different value each round). ``--load`` runs every step, the
baseline too, beside a second process that keeps every core busy (bench/load.py). Exits non-zero when a
target is missed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import loaded  # a second process keeping every core busy (bench/load.py)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "data"
BIN = Path(sys.executable).parent
MODEL = "xinhe"  # the fixture office each generated office is made from: its own outline, prose and image
YEARS = (2022, 2023, 2024)
#: Counts that differ from office to office (a rate and its counts are left as they are, so they agree).
VARIED = ("training.law_sessions", "enforcement.inspections", "review.cases", "disputes.litigation_cases")
TARGETS = {"cold batch / sum of single builds": 0.45, "one office changed / single": 1.5, "nothing changed / single": 0.3}
PEAK_MB = 1024
#: Runs a command and prints its largest descendant's peak resident memory (KiB), as the last line.
MEASURE = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r.returncode)"
)


def office_id(n: int) -> str:
    return f"city{n:02d}"


def make_city(target: Path, offices: int) -> list[str]:
    """A data folder of ``offices`` offices, each three years, all figures illustrative (示例)."""
    target.mkdir(parents=True)
    for name in ("indicators.csv", "sections.csv", "concepts.csv"):
        shutil.copy2(FIXTURES / name, target / name)
    ids = [office_id(n) for n in range(1, offices + 1)]
    rows = ["id,name_zh,short_name_zh,district_zh,city_zh,timezone"]
    rows += [f"{i},示例市示例区第{n:02d}街道办事处（示例）,第{n:02d}街道（示例）,示例区,示例市,Asia/Shanghai" for n, i in enumerate(ids, start=1)]
    (target / "offices.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    model = FIXTURES / MODEL
    for n, office in enumerate(ids, start=1):
        folder = target / office
        folder.mkdir()
        for name in ("sections.csv", "definitions.csv", "verdicts.csv"):
            shutil.copy2(model / name, folder / name)
        for year in YEARS:
            source = model / str(max(year, 2023))
            (folder / str(year)).mkdir()
            if (source / "narrative").is_dir() and year == 2024:
                shutil.copytree(source / "narrative", folder / str(year) / "narrative")
            (folder / str(year) / "report.yml").write_text(f"date: {year}-12-20  # 示例\nstatus: draft\n", encoding="utf-8")
            lines = (source / "values.csv").read_text(encoding="utf-8").splitlines()
            (folder / str(year) / "values.csv").write_text("\n".join(_varied(line, n, year) for line in lines) + "\n", encoding="utf-8")
    return ids


def _varied(line: str, n: int, year: int) -> str:
    cells = line.split(",")
    if cells[0] in VARIED and cells[1].isdigit():
        cells[1] = str(int(cells[1]) + n + (year - 2022))
    return ",".join(cells)


def change_one_value(data: Path, office: str, indicator: str = "enforcement.inspections") -> None:
    """One count of the office's latest year, one higher."""
    values = data / office / "2024" / "values.csv"
    lines = values.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith(f"{indicator},"))
    cells = lines[row].split(",")
    cells[1] = str(int(cells[1]) + 1)
    lines[row] = ",".join(cells)
    values.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(command: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds, and the peak resident memory (MB) of the largest process the command started."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-3000:]}")
    return seconds, int(done.stderr.strip().splitlines()[-1]) / 1024


def measure(offices: int, work: Path, repeat: int = 1) -> dict:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ids = make_city(work / "data", offices)
    cli = str(BIN / "annual-report")
    common = ["--data-dir", "data", "--out", "out", "--engine", "builtin", "--formats", "html,pdf"]
    rounds: dict[str, list[float]] = {}
    peak = 0.0

    def step(name: str, command: list[str]) -> float:
        nonlocal peak
        seconds, mb = run(command, work)
        rounds.setdefault(name, []).append(seconds)
        peak = max(peak, mb)
        return seconds

    single = [cli, "build", "--office", ids[0], "--year", "2024", "--data-dir", "data", "--engine", "builtin", "--formats", "html,pdf"]
    for n in range(repeat):  # each cold: its own output folder, no build folder
        step("single cold office-year", [*single, "--out", f"single-out-{n}"])
        shutil.rmtree(work / "_build")
    step("build --all, cold", [cli, "build", "--all", *common])
    step("site, cold", [cli, "site", *common])
    for _ in range(repeat):
        step("build --all, nothing changed", [cli, "build", "--all", *common])
        step("site, nothing changed", [cli, "site", *common])
    for _ in range(repeat):
        change_one_value(work / "data", ids[len(ids) // 2])
        step("build --all, one office changed", [cli, "build", "--all", *common])
        step("site, one office changed", [cli, "site", *common])
    results = {name: statistics.median(times) for name, times in rounds.items()}
    count = offices * len(YEARS)
    single_s = results["single cold office-year"]
    both = {
        kind: statistics.median(a + b for a, b in zip(rounds[f"build --all, {kind}"], rounds[f"site, {kind}"], strict=True))
        for kind in ("nothing changed", "one office changed")
    }
    return {
        "offices": offices,
        "office-years": count,
        "repeat": repeat,
        "seconds": results,
        "rounds": rounds,
        "peak MB": round(peak),
        "cold per office-year": results["build --all, cold"] / count,
        "ratios": {
            "cold batch / sum of single builds": results["build --all, cold"] / (count * single_s),
            "one office changed / single": both["one office changed"] / single_s,
            "nothing changed / single": both["nothing changed"] / single_s,
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offices", type=int, default=30)
    parser.add_argument("--small", type=int, default=10, help="a smaller city, to see how the cost grows")
    parser.add_argument("--repeat", type=int, default=1, help="the median of N single builds and of N rounds of each change")
    parser.add_argument("--load", action="store_true", help="every step beside a second process keeping every core busy")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="city-") as scratch, loaded(args.load):
        small = measure(args.small, Path(scratch) / "small", args.repeat) if args.small else None
        large = measure(args.offices, Path(scratch) / "large", args.repeat)
    missed = []
    for report in filter(None, (small, large)):
        median = f" (median of {report['repeat']})" if report["repeat"] > 1 else ""
        print(f"\n{report['offices']} offices × {len(YEARS)} years = {report['office-years']} office-years{median}")
        for name, seconds in report["seconds"].items():
            print(f"  {name:<36} {seconds:8.2f} s")
        print(f"  {'cold batch per office-year':<36} {report['cold per office-year']:8.2f} s")
        print(f"  {'peak memory of one process':<36} {report['peak MB']:8d} MB")
        for name, ratio in report["ratios"].items():
            ok = ratio <= TARGETS[name]
            print(f"  {name:<36} {ratio:8.2f} ×  (target ≤ {TARGETS[name]}) {'ok' if ok else 'MISSED'}")
            missed += [] if ok or report is small else [name]
        if report is large and report["peak MB"] > PEAK_MB:
            missed.append("peak memory")
    if small:
        growth = large["cold per office-year"] / small["cold per office-year"]
        print(f"\ncost per office-year at {large['offices']} offices / at {small['offices']}: {growth:.2f} ×")
    print(json.dumps({"small": small, "large": large}, ensure_ascii=False), file=sys.stderr)
    if missed:
        print("targets missed: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
