"""Times, in one run: ten papermill runs of one section notebook (the baseline of the targets), the naive
build, a cold build, an unchanged, a prose-only and a one-value rebuild, a batch, a district's site (cold,
then with nothing changed), and the preview's save-to-reloaded-page for a prose and a value edit.

Usage: python bench/run.py [--office taoyuan] [--year 2024] [--repeat 1] [--load]

``--load`` runs every step beside a second process that keeps every core busy (bench/load.py).
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
BIN = Path(sys.executable).parent
PAPERMILL = "ten papermill runs of one section"
BATCH = "batch, the fixture district (9 reports)"
#: (what it is measured against, the highest ratio allowed); a reference of None is a bound in seconds.
TARGETS = {
    "cold build": (PAPERMILL, 0.10),
    "one value changed": (PAPERMILL, 0.12),
    "unchanged rebuild": (PAPERMILL, 0.015),
    "prose-only rebuild": (PAPERMILL, 0.05),
    "site, nothing changed": ("site, cold", 0.1),
    "preview: prose edit to reloaded page": (None, 2.0),
    "preview: value edit to reloaded page": (None, 5.0),
}


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stderr}")
    return time.perf_counter() - start


def one_round(office: str, year: int, work: Path, changed: str) -> dict[str, float]:
    data, out = work / "data", work / "out"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(ROOT / "data", data)
    build = [str(BIN / "annual-report"), "build", "--office", office, "--year", str(year), "--data-dir", str(data), "--out", str(out)]
    papermill = [
        str(BIN / "papermill"),
        str(ROOT / "notebooks" / "section.ipynb"),
        str(work / "papermill.ipynb"),
        "-p",
        "office",
        office,
        "-p",
        "year",
        str(year),
        "-p",
        "section_id",
        "s1",
        "-p",
        "data_dir",
        str(data),
        "--no-progress-bar",
    ]
    times = {PAPERMILL: sum(timed(papermill, ROOT) for _ in range(10))}
    times["naive baseline"] = timed([sys.executable, str(ROOT / "bench" / "naive.py"), str(data), str(work / "naive"), office, str(year)], ROOT)
    work.joinpath("_build").mkdir(parents=True, exist_ok=True)  # builds run in `work`, so their _build/ is scratch too
    times["cold build"] = timed(build, work)
    times["unchanged rebuild"] = timed(build, work)
    prose = data / office / str(year) / "narrative" / "s4-1.md"
    prose.write_text(prose.read_text(encoding="utf-8").replace("取得了一定成效。", "取得了明显成效。", 1), encoding="utf-8")
    times["prose-only rebuild"] = timed(build, work)
    values = data / office / str(year) / "values.csv"
    lines = values.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith(f"{changed},"))  # a count of one section
    cells = lines[row].split(",")
    cells[1] = str(int(cells[1]) + 1)
    lines[row] = ",".join(cells)
    values.write_text("".join(lines), encoding="utf-8")
    times["one value changed"] = timed(build, work)
    # the batch and the site: the fixture district, which is the shipped office's years and a second office
    # (three offices: nine reports of two kinds, two comparisons)
    district = work / "district"
    shutil.copytree(ROOT / "tests" / "fixtures" / "data", district)
    shutil.rmtree(work / "_build")
    times[BATCH] = timed([str(BIN / "annual-report"), "build", "--all", "--data-dir", str(district), "--out", str(out)], work)
    shutil.rmtree(work / "_build")
    site = [str(BIN / "annual-report"), "site", "--data-dir", str(district), "--out", str(out)]
    times["site, cold"] = timed(site, work)
    times["site, nothing changed"] = timed(site, work)
    # the preview: save to reloaded page, in Chromium, on a fresh copy with the caches of the builds above
    shutil.rmtree(data)
    shutil.copytree(ROOT / "data", data)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "preview.py"), str(data), str(work), office, str(year), changed], capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"preview benchmark failed:\n{done.stderr[-3000:]}")
    times.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--office", default="taoyuan")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--changed", default="safety.drills", help="the count raised by one for 'one value changed'")
    parser.add_argument("--load", action="store_true", help="every step beside a second process keeping every core busy")
    args = parser.parse_args()
    rounds = []
    with tempfile.TemporaryDirectory(prefix="annual-report-bench-") as tmp, loaded(args.load):
        for _ in range(args.repeat):
            rounds.append(one_round(args.office, args.year, Path(tmp) / "work", args.changed))
    times = {name: statistics.median(r[name] for r in rounds) for name in rounds[0]}
    base, cold = times[PAPERMILL], times["cold build"]
    print(f"{'step':<40}{'seconds':>9}{'× papermill':>13}{'× cold':>9}  target")
    missed = 0
    for name, seconds in times.items():
        target = ""
        if name in TARGETS:
            ref, bound = TARGETS[name]
            ratio = seconds / times[ref] if ref else seconds
            ok = ratio <= bound
            missed += not ok
            target = (f"≤ {bound} × {ref}" if ref else f"≤ {bound} s") + f": {'met' if ok else 'MISSED'} ({ratio:.3f})"
        print(f"{name:<40}{seconds:>9.2f}{seconds / base:>13.3f}{seconds / cold:>9.3f}  {target}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
