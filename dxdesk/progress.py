"""Progress reporting for long jobs: plain functions take one of these, the GUI adapts it to signals."""
from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def status(self, text: str) -> None: ...
    def fraction(self, value: float) -> None: ...
    def cancelled(self) -> bool: ...


class NullProgress:
    """Progress that reports nowhere (tests, scripts)."""

    def status(self, text: str) -> None:
        pass

    def fraction(self, value: float) -> None:
        pass

    def cancelled(self) -> bool:
        return False


class PrintProgress(NullProgress):
    """Progress for the command line: prints each status line."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet

    def status(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)


class Cancelled(Exception):
    """Raised inside a job when its progress object says the user cancelled."""
