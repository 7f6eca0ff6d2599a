"""Times the preview's save-to-reloaded-page for a prose edit and for a data edit, in a real browser.

Started by bench/run.py: ``python bench/preview.py DATA_DIR WORK OFFICE YEAR CHANGED`` prints one JSON line.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def main(data: Path, work: Path, office: str, year: int, changed: str) -> None:
    from playwright.sync_api import sync_playwright

    process = subprocess.Popen(
        [str(BIN / "annual-report"), "preview", "--office", office, "--year", str(year), "--data-dir", str(data), "--port", "0"],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = None
        for line in process.stdout:
            match = re.search(r"预览：(http://127\.0\.0\.1:\d+/)", line)
            if match:
                url = match.group(1)
                break
        assert url, "the preview did not start"
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        times = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(url, wait_until="load")
            prose = data / office / str(year) / "narrative" / "s4-1.md"
            times["preview: prose edit to reloaded page"] = save_and_wait(
                page, lambda: prose.write_text(prose.read_text(encoding="utf-8").replace("成效。", "成效，", 1), encoding="utf-8"), "成效，"
            )
            values = data / office / str(year) / "values.csv"
            text = values.read_text(encoding="utf-8")
            line = next(row for row in text.splitlines() if row.startswith(f"{changed},"))
            cells = line.split(",")
            new = str(int(cells[1]) + 100)
            times["preview: value edit to reloaded page"] = save_and_wait(
                page, lambda: values.write_text(text.replace(line, ",".join([cells[0], new, *cells[2:]])), encoding="utf-8"), new
            )
            browser.close()
        print(json.dumps(times))
    finally:
        process.terminate()
        process.wait(timeout=60)


def save_and_wait(page, edit, expected: str) -> float:
    """Seconds from the save to the reloaded page showing ``expected``."""
    page.evaluate("window.__before = true")
    start = time.perf_counter()
    edit()
    page.wait_for_function("window.__before === undefined", timeout=120_000)
    page.wait_for_load_state("load")
    page.wait_for_function(f"document.body.innerText.includes({json.dumps(expected)})", timeout=120_000)
    return time.perf_counter() - start


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5])
