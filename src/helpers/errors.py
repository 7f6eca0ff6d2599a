"""The project's exception family: every failure a person can act on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in an input file, printed as ``FILE:ROW:COLUMN: message``."""

    file: str
    row: int
    column: str
    message: str
    warning: bool = False  # worth a look, but the report can still be built (``--strict`` refuses it)

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {'警告：' if self.warning else ''}{self.message}"

    def as_error(self) -> Problem:
        return Problem(self.file, self.row, self.column, self.message)

    def sort_key(self) -> tuple:
        """File, then row, then column as a reader scans it (column 9 before column 10)."""
        column = int(self.column) if self.column.isdigit() else 0
        return (self.file, self.row, column, self.column, self.message)


class ReportError(Exception):
    """Base of every error the pipeline raises on purpose."""

    exit_code = 1

    def _render_traceback_(self) -> list[str]:
        """In a notebook (IPython, papermill), the message a person can act on instead of a traceback."""
        return [str(self)]


class InputError(ReportError):
    """The input data is invalid; carries every problem found, not just the first."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=Problem.sort_key)
        self.read: list = []  # the files read before the problems were found (helpers.data.record), to watch for a fix
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(ReportError):
    """The command was called with options that do not go together."""

    exit_code = 2


class OutputError(UsageError):
    """The output folder would overlap the data or the sources, or holds files this tool did not make."""


class SetupError(ReportError):
    """Something the machine needs is missing (a CJK font, pandoc, a kernel)."""


class ExecutionError(ReportError):
    """A section notebook failed while papermill ran it."""

    def __init__(self, notebook: Path, detail: str, cell: int | None = None, parameters: dict | None = None):
        self.notebook, self.detail, self.cell = notebook, detail, cell
        self.evidence: Path | None = None  # the executed copy kept to open (papermill's annotated notebook)
        self.parameters = parameters or {}
        super().__init__(self._text())

    def _text(self) -> str:
        where = f"单元格 In [{self.cell}]" if self.cell is not None else "启动时"
        given = "，".join(f"{k}={v}" for k, v in self.parameters.items() if k != "data_dir")
        kept = f"\n执行到出错处的笔记本已保存为 {self.evidence}，可在 JupyterLab 中打开查看" if self.evidence else ""
        return f"执行笔记本 {self.notebook.name} 失败（{where}{'；参数 ' + given if given else ''}）：{self.detail}{kept}"

    def keep_evidence(self, path: Path) -> None:
        self.evidence = path
        self.args = (self._text(),)

    def __str__(self) -> str:
        return self._text()


class RenderError(ReportError):
    """pandoc, Typst or Quarto could not turn the staged sources into a document."""


@dataclass(frozen=True, order=True)
class Finding:
    """One layout problem of a built document, printed as ``report.pdf:第23页: what is wrong``."""

    file: str
    page: int  # 0 where the problem is the document's, not a page's
    message: str

    def __str__(self) -> str:
        where = f"第{self.page}页" if self.page else "全文"
        return f"{self.file}:{where}: {self.message}"


class PreflightError(ReportError):
    """A built PDF or Word copy fails the layout checks (helpers.document.preflight); carries every finding."""

    exit_code = 2

    def __init__(self, findings: list[Finding]):
        self.findings = sorted(findings)
        super().__init__("\n".join(str(f) for f in self.findings))
