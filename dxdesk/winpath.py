"""Windows path rules that bite only on the office PC, written once and tested on any OS.

- Reserved device names: a file called CON.xlsx, nul.txt or COM1 cannot be created on Windows (the name,
  with any extension, means the device). A name built from office data gets a "_" instead.
- Long paths: past MAX_PATH (260, and 248 for a folder) Windows refuses the path unless it is written in its
  extended form (\\\\?\\C:\\… or, for a UNC share or a mapped network folder resolved to one,
  \\\\?\\UNC\\server\\share\\…). Outputs and distributed forms are written through `extended`.
"""
from __future__ import annotations

import os
from pathlib import Path, PureWindowsPath

RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
                     | {f"{kind}{n}" for kind in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")})
MAX_FOLDER = 248   # CreateDirectory's limit; a file path keeps under 260 when its folder keeps under 248


def is_reserved(name: str) -> bool:
    """CON.xlsx, con, NUL.tar.gz, 'COM1 ' — Windows reads these as devices."""
    stem = name.split(".", 1)[0].rstrip(" ")
    return stem.upper() in RESERVED


def unreserved(name: str) -> str:
    """The name with '_' after a reserved stem (CON.xlsx → CON_.xlsx); other names unchanged."""
    if not is_reserved(name):
        return name
    stem, dot, rest = name.partition(".")
    return f"{stem.rstrip(' ')}_{dot}{rest}"


def extended(path: str | os.PathLike, windows: bool | None = None) -> str:
    """The path as Windows can open it whatever its length: long absolute paths get the \\\\?\\ prefix
    (\\\\?\\UNC\\ for shares); short ones, and every path on other systems, are returned as they are."""
    windows = os.name == "nt" if windows is None else windows
    text = os.fspath(path)
    if not windows:
        return text
    win = PureWindowsPath(text)
    text = str(win)
    if text.startswith("\\\\?\\") or len(text) < MAX_FOLDER or not win.is_absolute():
        return text
    if text.startswith("\\\\"):                      # \\server\share\… (a UNC path, or a mapped drive resolved)
        return "\\\\?\\UNC\\" + text[2:]
    return "\\\\?\\" + text


def extended_path(path: Path) -> Path:
    return Path(extended(path))
