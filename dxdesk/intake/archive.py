"""Archive returned originals under their SHA-256 before anything else reads them; never modify them."""
from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def archived_path(archive_dir: Path, sha256: str, suffix: str) -> Path:
    return archive_dir / sha256[:2] / f"{sha256}{suffix.lower()}"


def archive_file(path: Path, archive_dir: Path, sha256: str) -> Path:
    """Copy `path` into the archive (atomically, read-only); an identical copy already there is kept."""
    target = archived_path(archive_dir, sha256, path.suffix)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    shutil.copyfile(path, tmp)
    if sha256_of(tmp) != sha256:
        tmp.unlink()
        raise OSError(f"{path.name}: 読み込み中にファイルが変わりました（保存中の可能性があります）。")
    os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    os.replace(tmp, target)
    return target
