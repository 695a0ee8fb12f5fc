"""Whether a folder is on a network file system (a 共有フォルダ), where SQLite's WAL mode does not work:
WAL shares an index through memory-mapped files, which the PCs on either side of a share cannot see.

Windows: a UNC path (\\\\server\\share\\…) or a drive letter mapped to a share (GetDriveTypeW = DRIVE_REMOTE).
Linux: the file system type of the mount holding the folder (/proc/mounts: nfs, cifs, smb3 …).
"""
from __future__ import annotations

import sys
from pathlib import Path, PureWindowsPath

DRIVE_REMOTE = 4
NETWORK_FS_TYPES = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "coda", "9p",
                    "sshfs", "fuse.sshfs", "davfs", "fuse.davfs2", "glusterfs", "fuse.glusterfs", "ceph",
                    "fuse.ceph", "lustre", "gpfs", "beegfs", "fuse.rclone", "vboxsf", "vmhgfs", "fuse.vmhgfs-fuse"}
MOUNTS = Path("/proc/mounts")


def network_share(path: Path) -> str:
    """A description of the share when `path` is on a network file system (for the message), else ''."""
    if sys.platform == "win32":
        return _windows_share(str(path))
    return _posix_share(Path(path))


def is_unc(text: str) -> bool:
    """\\\\server\\share\\… or //server/share/…; \\\\?\\C:\\… and \\\\.\\… are local, \\\\?\\UNC\\… is not."""
    text = text.replace("/", "\\")
    if text.upper().startswith("\\\\?\\UNC\\"):
        return True
    return text.startswith("\\\\") and not text.startswith(("\\\\?\\", "\\\\.\\"))


def _windows_share(text: str, get_drive_type=None) -> str:
    if is_unc(text):
        return f"ネットワーク上の共有フォルダ（{PureWindowsPath(text).anchor.rstrip(chr(92))}）"
    drive = PureWindowsPath(text).drive
    if len(drive) == 2 and drive[1] == ":":
        get_drive_type = get_drive_type or _get_drive_type
        if get_drive_type(drive + "\\") == DRIVE_REMOTE:
            return f"ネットワークドライブ（{drive}）"
    return ""


def _get_drive_type(root: str) -> int:
    import ctypes

    return ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))


def _posix_share(path: Path, mounts: Path | None = None) -> str:
    try:
        lines = (mounts or MOUNTS).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    target = str(path.resolve())
    best, best_type, best_source = "", "", ""
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        source, point, fstype = (_unescape(f) for f in fields[:3])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type, best_source = point, fstype, source
    if best_type.lower() in NETWORK_FS_TYPES:
        return f"ネットワーク上の共有フォルダ（{best_source}、{best_type}）"
    return ""


def _unescape(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash as octal escapes (\\040 …)."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field
