"""A round's outputs as one set: the consolidated workbook and its CSVs are written into a temporary folder
and swapped in as a whole (out/<round>/集約/), so a reader sees the previous set or the new one, never a new
workbook beside old CSVs. What a killed dxdesk leaves behind is put right at the next start
(store/leftovers.py)."""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Iterator

from dxdesk.errors import OutputLockedError
from dxdesk.store.leftovers import OLD_PREFIX, SET_FOLDER, TEMP_PREFIX
from dxdesk.xlsx import unwritable_folder



def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def output_set(folder: Path) -> Iterator[Path]:
    """Yield an empty temporary folder beside folder/集約; when the block ends without error it replaces
    folder/集約 in two renames (the old set moved aside, the new one moved in), else it is removed."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        new = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=folder))
    except PermissionError as exc:
        raise OutputLockedError(unwritable_folder(folder)) from exc
    try:
        os.chmod(new, 0o777 & ~_umask())  # mkdtemp makes 0700; the outputs are ordinary shared files
        yield new
        _swap(new, folder / SET_FOLDER)
    finally:
        shutil.rmtree(new, ignore_errors=True)


def _swap(new: Path, target: Path) -> None:
    old = target.with_name(f"{OLD_PREFIX}{uuid.uuid4().hex[:8]}") if target.exists() else None
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
