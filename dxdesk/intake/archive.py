"""Archive returned originals under their SHA-256 before anything else reads them; never modify them."""
from __future__ import annotations

import hashlib
import os
import tempfile
import stat
from pathlib import Path

from dxdesk.store.leftovers import ARCHIVE_PART, writer_prefix

CHUNK = 1 << 20


def archived_path(archive_dir: Path, sha256: str, suffix: str) -> Path:
    return archive_dir / sha256[:2] / f"{sha256}{suffix.lower()}"


_made: set[Path] = set()


def _ensure_dir(folder: Path) -> None:
    if folder not in _made:
        folder.mkdir(parents=True, exist_ok=True)
        _made.add(folder)


def archive_file(path: Path, archive_dir: Path) -> tuple[str, Path, int]:
    """Copy `path` into the archive under its SHA-256 (see _archive); folders deleted meanwhile are remade."""
    try:
        return _archive(path, archive_dir)
    except FileNotFoundError:
        if not path.exists():
            raise
        _made.clear()
        return _archive(path, archive_dir)


def _archive(path: Path, archive_dir: Path) -> tuple[str, Path, int]:
    """Copy `path` into the archive under its SHA-256, hashing while copying (one read of the original);
    the copy is made read-only and moved into place in one rename. An identical copy already there is kept."""
    _ensure_dir(archive_dir)
    digest, size = hashlib.sha256(), 0
    fd, tmp_name = tempfile.mkstemp(prefix=writer_prefix(ARCHIVE_PART), dir=archive_dir)
    tmp = Path(tmp_name)
    try:
        with open(path, "rb") as source, os.fdopen(fd, "wb") as copy:
            for block in iter(lambda: source.read(CHUNK), b""):
                digest.update(block)
                copy.write(block)
                size += len(block)
        sha = digest.hexdigest()
        target = archived_path(archive_dir, sha, path.suffix)
        if target.exists():
            return sha, target, size
        _ensure_dir(target.parent)
        os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        os.replace(tmp, target)
        return sha, target, size
    finally:
        tmp.unlink(missing_ok=True)
