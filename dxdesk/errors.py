"""Expected failures: each carries a Japanese message naming the file and what to do."""
from __future__ import annotations

import errno
import sqlite3
from pathlib import Path


class DxdeskError(Exception):
    """Base of the expected failures (shown as a message, never as a traceback)."""


class WorkspaceError(DxdeskError):
    """The workspace is missing, locked by someone else, or from a newer dxdesk."""


class InputFileError(DxdeskError):
    """An input workbook cannot be opened (missing, encrypted, not a workbook …)."""


class OutputLockedError(DxdeskError):
    """An output file cannot be replaced, usually because it is open in Excel."""


class DiskFullError(DxdeskError):
    """The disk holding the workspace or the output folder is full; nothing was left half-written."""


def _disk_full_cause(exc: BaseException | None, depth: int = 0) -> BaseException | None:
    """The ENOSPC OSError (Windows' ERROR_DISK_FULL maps to it) or SQLITE_FULL ('database or disk is full')
    behind `exc`, also when a library wrapped it (XlsxWriter's FileCreateError carries the OSError)."""
    if exc is None or depth > 5:
        return None
    if isinstance(exc, OSError) and (exc.errno == errno.ENOSPC or getattr(exc, "winerror", None) in (39, 112)):
        return exc
    if isinstance(exc, sqlite3.OperationalError) and "is full" in str(exc):
        return exc
    inner = [a for a in getattr(exc, "args", ()) if isinstance(a, BaseException)]
    for cause in [exc.__cause__, exc.__context__, *inner]:
        found = _disk_full_cause(cause, depth + 1)
        if found is not None:
            return found
    return None


def is_disk_full(exc: BaseException) -> bool:
    return _disk_full_cause(exc) is not None


def disk_full_message(exc: BaseException) -> str:
    where = getattr(_disk_full_cause(exc), "filename", None)
    folder = f"（{Path(where).parent}）" if where else ""
    return (f"ディスクの空き容量が足りません{folder}。書きかけのファイルや記録は残していません"
            "（前回までの内容はそのままです）。不要なファイルを削除して空きを作ってから、もう一度実行してください。")
