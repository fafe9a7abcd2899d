"""One error type for everything a user can get wrong, printed as `path:line: field: message`."""

from __future__ import annotations


class BuildError(Exception):
    """Bad input: names the file, and the line and field where there is one."""

    def __init__(self, path, message: str, *, line: int | None = None, field: str | None = None):
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command (shown inline on the PR diff)."""
        line = f",line={self.line}" if self.line else ""
        title = f",title={self.field}" if self.field else ""
        return f"::error file={self.path}{line}{title}::{self.message}"
