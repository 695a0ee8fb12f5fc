"""Returns protected with a password to open (sections often encrypt workbooks sent by mail): opened with the
office's collection passwords (`dxdesk settings collection_passwords PW --add`), in memory only.

The decrypted workbook never touches the disk: the archive keeps the encrypted original (and its hash), and
every later reading (a re-check) decrypts it again. Passwords are never printed or logged.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import msoffcrypto

SETTING = "collection_passwords"


@dataclass(frozen=True)
class Unlocked:
    data: bytes | None   # the decrypted workbook, or None when no password opened it
    reason: str = ""     # why not (Japanese), for the R3 finding
    hint: str = ""


def passwords_of(setting: str) -> tuple[str, ...]:
    """The collection passwords, one per line of the setting."""
    return tuple(line for line in setting.splitlines() if line)


def unlock(path: Path, passwords: Sequence[str]) -> Unlocked:
    """Decrypt an encrypted workbook (OOXML agile/standard, or .xls RC4) with the first password that opens it."""
    if not passwords:
        return Unlocked(None, "パスワードで保護されています（読み取りパスワード付き）。回収用のパスワードが設定されていないため開けません。",
                        "担当課にパスワードを確認し、`dxdesk settings collection_passwords パスワード --add`"
                        "（画面では「設定」）で登録してから、もう一度取り込んでください。")
    try:
        encrypted = path.read_bytes()
    except OSError as exc:
        return Unlocked(None, f"ファイルを開けません（{exc.__class__.__name__}）。",
                        "ほかのプログラムで開いていないか確認して、もう一度取り込んでください。")
    for password in passwords:
        data = _try(encrypted, password)
        if data is not None:
            return Unlocked(data)
    return Unlocked(None, f"パスワードで保護されていて、登録されている回収用のパスワード（{len(passwords)} 件）の"
                          "どれでも開けません。",
                    "担当課にパスワードを確認して `dxdesk settings collection_passwords パスワード --add` で"
                    "登録するか、パスワードを解除したファイルを提出するよう依頼してください。")


def _try(encrypted: bytes, password: str) -> bytes | None:
    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(encrypted))
        office.load_key(password=password, verify_password=True)
        out = io.BytesIO()
        office.decrypt(out)
    except Exception:  # a wrong password (InvalidKeyError) or a container msoffcrypto cannot decrypt
        return None
    return out.getvalue()
