"""Content problems: one message, tied to a file and (where known) a line.

Loaders collect problems instead of raising, so a tutor sees every mistake in one pass
(``python -m course check``) and one broken file never takes the rest of the course down.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course.errors import MesoError
from course.paths import ROOT


@dataclass(frozen=True)
class Problem:
    """A problem found in a content file.

    >>> str(Problem(Path("lessons/03-skin.md"), 7, "objectives: expected a list"))
    'lessons/03-skin.md:7: objectives: expected a list'
    """

    path: Path
    line: int | None
    message: str
    severity: str = "error"  # "error" or "warning"

    @property
    def display_path(self) -> str:
        try:
            return str(self.path.resolve().relative_to(ROOT))
        except ValueError:
            return str(self.path)

    def __str__(self) -> str:
        where = self.display_path if self.line is None else f"{self.display_path}:{self.line}"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"


class ContentError(MesoError):
    """Raised when a content file cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
