"""User-facing diagnostics.

Every problem the user can fix is reported as ``path:line:col: error: what is wrong — what to do``.
Code raises :class:`UserError` (or collects several into :class:`UserErrors`); only the CLI prints
them, so library callers get exceptions rather than text on stderr.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, cast


@dataclass
class Diagnostic:
    """One problem, located in a file, with what to do about it."""

    message: str
    hint: str = ""
    path: str | Path | None = None
    line: int | None = None
    col: int | None = None
    severity: str = "error"

    def format(self) -> str:
        where = str(self.path) if self.path is not None else "zhengji-publish"
        if self.path is not None and self.line is not None:
            where += f":{self.line}:{self.col or 1}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text


class UserError(Exception):
    """A problem in the user's input: reported without a traceback, exit status 1 (or 2 for usage)."""

    def __init__(self, diagnostics: Diagnostic | list[Diagnostic], exit_code: int = 1) -> None:
        self.diagnostics = diagnostics if isinstance(diagnostics, list) else [diagnostics]
        self.exit_code = exit_code
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def __reduce__(self):  # raised in a worker process, re-raised whole in the parent
        return (UserError, (self.diagnostics, self.exit_code))


def error(
    message: str,
    hint: str = "",
    path: str | Path | None = None,
    line: int | None = None,
    col: int | None = None,
    exit_code: int = 1,
) -> UserError:
    """Build a single-diagnostic :class:`UserError` (``raise error(...)``)."""
    return UserError(Diagnostic(message, hint, path, line, col), exit_code=exit_code)


@dataclass
class Reporter:
    """Collects warnings during a build; ``strict`` turns each into an error."""

    strict: bool = False
    warnings: list[Diagnostic] = field(default_factory=list)
    stream: object = None
    # Keys of things reported once per build whatever their wording (a character set in a fallback face…).
    once: set[object] = field(default_factory=set)

    def warn(
        self,
        message: str,
        hint: str = "",
        path: str | Path | None = None,
        line: int | None = None,
        col: int | None = None,
    ) -> None:
        diag = Diagnostic(message, hint, path, line, col, severity="warning")
        if self.strict:
            diag.severity = "error"
            raise UserError(diag)
        if any(d.format() == diag.format() for d in self.warnings):
            return
        self.warnings.append(diag)
        print(diag.format(), file=cast(TextIO, self.stream or sys.stderr))
