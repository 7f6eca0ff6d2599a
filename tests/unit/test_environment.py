"""A conda user's environment.yml asks for what pyproject.toml asks for: the same packages, the same bounds."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _requirements(lines: list[str]) -> dict[str, str]:
    found = {}
    for line in lines:
        match = re.match(r"^\s*([A-Za-z0-9_.-]+)\s*(.*)$", line.split("#")[0])
        if match and match.group(1).lower() not in ("python", "pip"):
            found[match.group(1).lower().replace("_", "-")] = match.group(2).replace(" ", "")
    return found


def test_environment_yml_lists_every_dependency_of_pyproject_with_its_bounds():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = _requirements(project["dependencies"] + project["optional-dependencies"]["test"])
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))["dependencies"]
    listed = [d for d in environment if isinstance(d, str)] + [p for d in environment if isinstance(d, dict) for p in d["pip"]]
    assert _requirements(listed) == wanted
