"""A comparison of a whole city, measured: `compare` of N offices against one of N/10, in one run.

Usage: python bench/compare.py [--offices 1000] [--base 100]

Builds the generated city of bench/city.py (every figure illustrative), then times `compare --year 2024` of
the first ``--base`` offices (the baseline) and of all ``--offices``, built-in engine, HTML and PDF, and the
peak resident memory of the largest process each started. Targets: time linear in offices (the cost per
office at N is at most 1.5 × the cost per office at the baseline) and peak memory ≤ 1 GB. Exits non-zero
when a target is missed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from city import BIN, make_city, run  # the generated city and the measuring run of bench/city.py

PEAK_MB = 1024
PER_OFFICE_RATIO = 1.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offices", type=int, default=1000)
    parser.add_argument("--base", type=int, default=100)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="compare-bench-"))
    try:
        ids = make_city(work / "data", args.offices)
        cli = str(BIN / "annual-report")
        common = ["compare", "--year", "2024", "--data-dir", "data", "--engine", "builtin", "--formats", "html,pdf"]
        base_s, base_mb = run([cli, *common, "--offices", ",".join(ids[: args.base]), "--out", "out-base"], work)
        all_s, all_mb = run([cli, *common, "--out", "out-all"], work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratio = (all_s / args.offices) / (base_s / args.base)
    print(f"compare {args.base} offices: {base_s:.1f} s, peak {base_mb:.0f} MB")
    print(f"compare {args.offices} offices: {all_s:.1f} s, peak {all_mb:.0f} MB")
    print(f"cost per office at {args.offices} / at {args.base}: {ratio:.2f} × (target ≤ {PER_OFFICE_RATIO})")
    missed = [f"per office {ratio:.2f} ×"] if ratio > PER_OFFICE_RATIO else []
    missed += [f"peak {max(base_mb, all_mb):.0f} MB"] if max(base_mb, all_mb) > PEAK_MB else []
    print("all targets met" if not missed else "missed: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
