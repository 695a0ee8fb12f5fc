"""What a killed dxdesk can leave in a workspace, put right when its next writer opens it."""
from __future__ import annotations

import os
import re
import shutil
import socket
import time
from pathlib import Path

from dxdesk.store.lock import pid_alive

SET_FOLDER = "集約"            # a round's outputs as one set (outputs/outset.py)
TEMP_PREFIX = ".~dxdesk-"      # temporary outputs (xlsx.atomic_path) and sets being written
OLD_PREFIX = ".~dxdesk-old-"   # the previous set while the new one is swapped in
ARCHIVE_PART = ".part-"        # an original being copied into the archive (intake/archive.py)
_WRITER = re.compile(r"@([A-Za-z0-9]*)@(\d+)@")


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:40]


def writer_prefix(prefix: str) -> str:
    """`prefix` followed by who writes (this PC and this process: @HOST@PID@), so that the next start can tell
    a leftover of a killed dxdesk from a file another dxdesk on this PC is still writing."""
    return f"{prefix}@{_host()}@{os.getpid()}@"


def _writer_gone(name: str) -> bool:
    """Whether the name says it was written by a process of this PC that no longer runs."""
    found = _WRITER.search(name)
    return bool(found) and found.group(1) == _host() and not pid_alive(int(found.group(2)))


def tidy(root: Path, min_age: float = 0) -> list[Path]:
    """At the start of the workspace's writer: a previous set moved aside by a killed swap goes back in place,
    and leftover temporary outputs (.~dxdesk-*) and archive copies (archive/.part-*) are removed.
    Returns what was put back or removed. A shared workspace has no single writer: there only what a process of
    this PC that has ended was writing (its name says which: writer_prefix), or what is older than `min_age`
    seconds (no output or copy takes that long, so another dxdesk is not using it), is touched."""
    done: list[Path] = []
    out, archive = root / "out", root / "archive"
    cutoff = time.time() - min_age

    def old_enough(path: Path) -> bool:
        try:
            return not min_age or _writer_gone(path.name) or path.lstat().st_mtime < cutoff
        except OSError:
            return False

    for old in sorted(out.rglob(f"{OLD_PREFIX}*")) if out.is_dir() else []:
        target = old.parent / SET_FOLDER
        if old.is_dir() and not target.exists() and old_enough(old):
            os.replace(old, target)
            done.append(target)
    leftovers = [*(out.rglob(f"{TEMP_PREFIX}*") if out.is_dir() else []),
                 *(archive.rglob(f"{ARCHIVE_PART}*") if archive.is_dir() else [])]
    for path in sorted(leftovers, key=lambda p: len(p.parts)):
        if not path.exists() and not path.is_symlink():
            continue  # inside a folder removed just before
        if not old_enough(path):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        done.append(path)
    return done
