"""The office's settings, kept in the workspace: one definition for the CLI (`dxdesk settings`) and the window.

A secret (the sheet password, the collection passwords) is stored in the workspace and never printed or
logged: `show` masks it. Collection passwords are a list, one per line.
"""
from __future__ import annotations

from dataclasses import dataclass

from dxdesk.errors import DxdeskError


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    default: str
    secret: bool = False
    choices: tuple[str, ...] = ()
    many: bool = False  # a list, one item per line


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("office_name", "担当課名", "DX推進課"),
    SettingSpec("office_person", "担当者名", ""),
    SettingSpec("office_extension", "内線番号", "0000"),
    SettingSpec("office_mail", "メールアドレス", "dx@example.lg.jp"),
    SettingSpec("sheet_password", "シート保護のパスワード", "dxdesk", secret=True),
    SettingSpec("collection_passwords", "暗号化された返送ブックのパスワード", "", secret=True, many=True),
    SettingSpec("negative_style", "負の数の表示", "△", choices=("△", "-")),
)
BY_KEY = {s.key: s for s in SETTINGS}


class SettingError(DxdeskError):
    """An unknown setting or a value outside its choices."""


def spec(key: str) -> SettingSpec:
    try:
        return BY_KEY[key]
    except KeyError:
        known = "、".join(s.key for s in SETTINGS)
        raise SettingError(f"設定「{key}」はありません。設定できるのは {known} です。") from None


def check_value(key: str, value: str) -> str:
    s = spec(key)
    value = value.strip() if not s.many else "\n".join(v.strip() for v in value.splitlines() if v.strip())
    if s.choices and value not in s.choices:
        raise SettingError(f"設定「{s.label}」は {' / '.join(s.choices)} のどれかを指定してください（指定: {value}）。")
    return value


def shown(key: str, value: str) -> str:
    """What may be printed: a secret shows only whether it is set."""
    s = spec(key)
    if s.secret:
        count = len(value.splitlines()) if s.many else (1 if value else 0)
        return f"（設定済み {count} 件）" if s.many and count else ("（設定済み）" if count else "（未設定）")
    return value


def contact_line(get) -> str:
    """「内線 1234 / dx@city.lg.jp」 from the settings (get: key -> value)."""
    parts = [f"内線 {get('office_extension')}" if get("office_extension") else "", get("office_mail")]
    person = get("office_person")
    return (f"{person} " if person else "") + " / ".join(p for p in parts if p)
