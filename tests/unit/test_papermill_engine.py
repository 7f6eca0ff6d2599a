"""The papermill the build imports: without jsonschema's string format checkers, and validating notebooks as before."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from helpers.notebooks.engine import STRING_FORMATS, import_papermill, registered
import_papermill()
registered()
import nbformat
from nbformat.validator import get_validator
good = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
bad = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
bad.cells[0]["execution_count"] = "one"
for name in ("fastjsonschema", "jsonschema"):
    validator = get_validator(version=4, version_minor=5, name=name)
    validator.validate(good)
    try:
        validator.validate(bad)
        print(name, "took a bad notebook")
    except Exception:
        print(name, "ok")
print(sorted(m for m in STRING_FORMATS if sys.modules.get(m) is not None))
"""


def test_notebooks_are_validated_as_before_without_the_string_format_checkers():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == ["fastjsonschema ok", "jsonschema ok", "[]"]
