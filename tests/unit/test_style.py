"""The code stays as ruff (configured in pyproject.toml) wants it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "tests", "bench"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_would_change_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "format", "--check", "src", "tests", "bench"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_error_in_the_package():
    """The package ships ``py.typed``: what it promises to type checkers holds (pyproject.toml [tool.mypy])."""
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


#: The layers of ``src/helpers``, from input to published file; each imports only the ones below it …
LAYERS = ("base", "data", "model", "notebooks", "document", "publish", "ingest", "serve", "cli")
#: … with no exception: a new upward import fails here until it is untied or added with its reason. The faces,
#: the standard's numbers, pipe tables and the verdicts' vocabulary sit below what needs them (helpers.fonts,
#: helpers.standard, helpers.data.markdown, helpers.data.verdict).
KNOTS: set[tuple[str, str]] = set()


def test_each_layer_of_the_package_imports_only_the_layers_below_it():
    import ast

    package = Path(__file__).resolve().parents[2] / "src" / "helpers"
    modules = {
        "helpers." + ".".join(p.relative_to(package).with_suffix("").parts).removesuffix(".__init__").rstrip("."): p for p in package.rglob("*.py")
    }
    modules = {name.removesuffix(".__init__"): path for name, path in modules.items()}

    def layer(path: Path) -> int:
        if path.parent == package:
            return LAYERS.index("cli" if path.stem == "cli" else "base")
        return LAYERS.index(path.parent.name)

    upward = set()
    for name, path in modules.items():
        here = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
                for target in [stem] if node.module else [f"{stem}.{a.name}" for a in node.names]:
                    if target in modules and layer(modules[target]) > layer(path):
                        upward.add((name, target))
    assert upward == KNOTS


def test_no_module_of_the_package_keeps_state_of_its_own():
    """What a command owns (its kernels, its warm parent, what it has worked out) lives in objects it holds,
    not in module globals: no ``global`` statement, and no module-level instance of the package's classes."""
    import ast

    package = ROOT / "src" / "helpers"
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in package.rglob("*.py")}
    classes = {node.name for tree in trees.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    found = []
    for path, tree in trees.items():
        where = path.relative_to(package)
        found += [f"{where}:{node.lineno} global" for node in ast.walk(tree) if isinstance(node, ast.Global)]
        for node in tree.body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in classes:
                found.append(f"{where}:{node.lineno} {value.func.id}()")
    assert not found, found
