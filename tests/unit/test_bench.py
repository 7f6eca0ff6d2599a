"""The benchmarks stay runnable: each script under bench/ imports what it uses from the package as it is now
(a module moved inside ``helpers`` must not leave a benchmark that fails only when someone times a build)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = sorted((Path(__file__).resolve().parents[2] / "bench").glob("*.py"))


@pytest.mark.parametrize("script", BENCH, ids=lambda p: p.stem)
def test_a_benchmark_script_imports(script: Path):
    spec = importlib.util.spec_from_file_location(f"bench_{script.stem}", script)
    assert spec is not None and spec.loader is not None
    spec.loader.exec_module(importlib.util.module_from_spec(spec))  # module level only: each runs under __main__
