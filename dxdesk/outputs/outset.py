"""A round's outputs as one set (out/<round>/集約/): the consolidated workbook and its CSVs, the packs and the
send-back workbooks. A writer writes its own files into a temporary folder; the new set is that folder plus
the previous set's other files, swapped in as a whole — a reader sees the previous set or the new one, never
a new workbook beside old CSVs, and a writer that fails half-way leaves the previous set as it was. What a
killed dxdesk leaves behind is put right at the next start (store/leftovers.py).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Callable, Iterator

from dxdesk.errors import OutputLockedError
from dxdesk.store.leftovers import OLD_PREFIX, SET_FOLDER, TEMP_PREFIX, writer_prefix
from dxdesk.xlsx import unwritable_folder


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


Owns = Callable[[str], bool]  # a writer's files in the set, by path relative to it ("hq.pdf", "差戻し/….xlsx")
_ASSEMBLING = threading.Lock()  # two writers of one dxdesk (window workers) never swap at once


@contextlib.contextmanager
def output_set(folder: Path, owns: Owns | None = None) -> Iterator[Path]:
    """Yield an empty temporary folder beside folder/集約 for a writer's files. When the block ends without
    error, the previous set's files the writer does not own (all of them when owns is None) are linked (or
    copied) in beside them, and the folder replaces folder/集約 in two renames (the old set moved aside, the
    new one moved in); else it is removed and the previous set stays as it was."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        new = Path(tempfile.mkdtemp(prefix=writer_prefix(TEMP_PREFIX), dir=folder))
    except PermissionError as exc:
        raise OutputLockedError(unwritable_folder(folder)) from exc
    try:
        os.chmod(new, 0o777 & ~_umask())  # mkdtemp makes 0700; the outputs are ordinary shared files
        yield new
        with _ASSEMBLING:
            if owns is not None:
                _keep_others(folder / SET_FOLDER, new, owns)
            _swap(new, folder / SET_FOLDER)
    finally:
        shutil.rmtree(new, ignore_errors=True)


def _keep_others(current: Path, new: Path, owns: Owns) -> None:
    """The previous set's files that another writer wrote, into the new set (hard links where the disk has
    them: no copy of a large PDF; a copy elsewhere)."""
    if not current.is_dir():
        return
    for path in sorted(current.rglob("*")):
        relative = path.relative_to(current)
        if not path.is_file() or owns(relative.as_posix()) or (new / relative).exists() \
                or any(part.startswith(TEMP_PREFIX) for part in relative.parts):
            continue
        target = new / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)


def _swap(new: Path, target: Path) -> None:
    old = target.with_name(f"{writer_prefix(OLD_PREFIX)}{uuid.uuid4().hex[:8]}") if target.exists() else None
    if old is not None:
        try:
            os.replace(target, old)
        except PermissionError as exc:
            raise OutputLockedError(
                f"{target} のファイルを置き換えられません。Excel などで開いている場合は閉じてから、"
                "もう一度実行してください（前回の出力はそのまま残っています）。") from exc
    try:
        os.replace(new, target)
    except OSError:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
