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

    def __reduce__(self):
        # Pickled by its fields: a worker process sends it back to the parent, and the default
        # (`cls(*args)`) cannot call this __init__ (a dead result thread, a pool that hangs).
        return _rebuild, (type(self), self.path, self.message, self.line, self.field)

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command (shown inline on the PR diff)."""
        line = f",line={self.line}" if self.line else ""
        title = f",title={self.field}" if self.field else ""
        return f"::error file={self.path}{line}{title}::{self.message}"


def _rebuild(cls, path, message, line, field):
    return cls(path, message, line=line, field=field)


class BuilderBug(BuildError):
    """A bug of the builder met while building one file: that file fails, the run goes on, and
    the message says plainly that the input is not to blame (the traceback is in `trace`)."""

    def __init__(self, path, error: BaseException | None = None, *, trace: str = "", message: str | None = None):
        if message is None:
            assert error is not None
            message = (f"internal error while building this file ({type(error).__name__}: {error}); "
                       "this is a bug of the builder, not of the file: please report it with the file")
        self.trace = trace
        super().__init__(path, message)

    def __reduce__(self):
        return _rebuild_bug, (type(self), self.path, self.message, self.trace)


def _rebuild_bug(cls, path, message, trace):
    return cls(path, trace=trace, message=message)
