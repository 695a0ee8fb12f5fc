"""Small Excel helpers shared by readers and writers: safe opening and atomic writing."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

import openpyxl

from dxdesk.errors import InputFileError, OutputLockedError
from dxdesk.intake.sniff import sniff
from dxdesk.store.leftovers import TEMP_PREFIX, writer_prefix
from dxdesk.winpath import extended_path

# openpyxl parses XML with defusedxml when it is installed (it is a dependency): entity bombs fail.


@contextlib.contextmanager
def reading_workbook(path: Path):
    """open_workbook_safely, for a `with` block that reads it: openpyxl read-only parses each sheet only when
    it is read, so a sheet broken half-way fails there — as a Japanese message, not a traceback."""
    workbook = open_workbook_safely(path)
    try:
        yield workbook
    except InputFileError:
        raise
    except Exception as exc:  # ParseError, ExpatError, zip errors … from the lazily parsed sheets
        raise InputFileError(f"{path.name}: 壊れたシートがあり、読み取れません（{type(exc).__name__}）。") from exc
    finally:
        workbook.close()


def open_workbook_safely(path: Path):
    """openpyxl read-only, values only, with a Japanese error instead of a traceback."""
    if not path.exists():
        raise InputFileError(f"{path}: ファイルがありません。")
    sniffed = sniff(path)  # the same first look as for returns: zip bombs, encryption, renamed CSV …
    if not sniffed.ok or sniffed.kind != "xlsx":
        reason = sniffed.reason or "Excel ブック（.xlsx）ではありません（.xls や .ods は .xlsx で保存し直してください）。"
        raise InputFileError(f"{path.name}: {reason}")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on broken files
        raise InputFileError(f"{path.name}: Excel ブックとして開けません（{type(exc).__name__}）。") from exc


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def unwritable_folder(folder: Path) -> str:
    return (f"フォルダ {folder} に書き込めません（書き込み権限がありません）。"
            "書き込めるフォルダのワークスペースで実行するか、フォルダの管理者に書き込み権限を依頼してください。")


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` in one rename. On Windows a
    path past MAX_PATH is used in its extended form (dxdesk/winpath.py), so deep workspaces still write."""
    shown = target
    target = extended_path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=writer_prefix(TEMP_PREFIX), suffix=target.suffix, dir=target.parent)
    except PermissionError as exc:
        raise OutputLockedError(unwritable_folder(shown.parent)) from exc
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        try:
            os.replace(tmp_path, target)
        except PermissionError as exc:
            raise OutputLockedError(
                f"{shown.name} を上書きできません。Excel などで開いている場合は閉じてから、もう一度実行してください。"
            ) from exc
    finally:
        if tmp_path.exists():
            tmp_path.unlink()
