"""Where the window keeps its own few preferences (recent workspaces, last folders) and its logs.

Portable mode: a `dxdesk.ini` beside the executable (build/rthook_portable.py sets DXDESK_HOME to that
folder) keeps preferences in that file and logs in `logs/` beside it. Otherwise both live in the user's
folders (platformdirs), and nothing is ever written beside the executable.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

RECENT_KEY = "recent_workspaces"
RECENT_MAX = 8


def portable_home() -> Path | None:
    home = os.environ.get("DXDESK_HOME")
    return Path(home) if home else None


def settings_path() -> Path:
    home = portable_home()
    if home:
        return home / "dxdesk.ini"
    from platformdirs import user_config_dir
    return Path(user_config_dir("dxdesk", appauthor=False)) / "dxdesk.ini"


def log_dir() -> Path:
    home = portable_home()
    if home:
        return home / "logs"
    from platformdirs import user_log_dir
    return Path(user_log_dir("dxdesk", appauthor=False))


def store() -> QSettings:
    """An INI file (never the registry): the same format in portable and installed use."""
    qs = QSettings(str(settings_path()), QSettings.Format.IniFormat)
    return qs


def recent_workspaces() -> list[str]:
    value = store().value(RECENT_KEY, [])
    items = [value] if isinstance(value, str) else list(value or [])
    return [p for p in items if p][:RECENT_MAX]


def remember_workspace(path: str | Path) -> list[str]:
    text = str(Path(path))
    items = [text] + [p for p in recent_workspaces() if p != text]
    qs = store()
    qs.setValue(RECENT_KEY, items[:RECENT_MAX])
    qs.sync()
    return items[:RECENT_MAX]


def forget_workspace(path: str | Path) -> None:
    qs = store()
    qs.setValue(RECENT_KEY, [p for p in recent_workspaces() if p != str(Path(path))])
    qs.sync()


def value(key: str, default: str = "") -> str:
    result = store().value(key, default)
    return str(result) if result is not None else default


def set_value(key: str, text: str) -> None:
    qs = store()
    qs.setValue(key, text)
    qs.sync()
