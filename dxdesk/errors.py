"""Expected failures: each carries a Japanese message naming the file and what to do."""
from __future__ import annotations


class DxdeskError(Exception):
    """Base of the expected failures (shown as a message, never as a traceback)."""


class WorkspaceError(DxdeskError):
    """The workspace is missing, locked by someone else, or from a newer dxdesk."""


class InputFileError(DxdeskError):
    """An input workbook cannot be opened (missing, encrypted, not a workbook …)."""


class OutputLockedError(DxdeskError):
    """An output file cannot be replaced, usually because it is open in Excel."""
