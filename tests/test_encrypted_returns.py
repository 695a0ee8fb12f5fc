"""Encrypted returns (a password to open, as sections send them by mail) are opened with the office's collection
passwords, in memory; the archive keeps the encrypted original; a missing or wrong password is a finding naming
the file; passwords are never printed or logged."""
from __future__ import annotations

import hashlib
import io
import logging
from contextlib import redirect_stdout

import msoffcrypto

from dxdesk import jobs
from dxdesk.cli import main
from dxdesk.demo import fill_return
from dxdesk.intake.saved import workbook_saved_at
from dxdesk.store import rounds_repo as rr

PASSWORD = "返送用-2025!"


def encrypt(plain, target, password: str = PASSWORD):
    """What Excel's 「ファイル → 情報 → ブックの保護 → パスワードを使用して暗号化」 writes (ECMA-376 agile)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(plain, "rb") as source, open(target, "wb") as out:
        msoffcrypto.OfficeFile(source).encrypt(password, out)
    return target


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["-q", *args])
    return code, out.getvalue()


def _values(ws, round_id, section):
    sub = rr.latest_submission(ws.conn, round_id, section)
    rows = rr.load_values(ws.conn, sub.submission_id)
    return {(sheet, key, field): (v.num, v.text) for sheet, r in rows.items() for key, f in r.items()
            for field, v in f.items()}


def test_an_encrypted_return_is_read_like_the_plain_one(sample_round, tmp_path, sample_actuals, caplog):
    ws, round_, forms = sample_round
    plan = jobs.require_plan(ws)
    s01, s02 = (next(f for f in forms if f"_{code}_" in f.name) for code in ("S01", "S02"))
    fill_return(s01, tmp_path / "plain" / s01.name, plan, sample_actuals, 2023)
    fill_return(s02, tmp_path / "plain" / s02.name, plan, sample_actuals, 2023)
    locked = encrypt(tmp_path / "plain" / s02.name, tmp_path / "inbox" / s02.name.replace(".xlsx", "_暗号化.xlsx"))
    encrypt(tmp_path / "plain" / s01.name, tmp_path / "inbox" / s01.name)
    root = ws.root
    ws.set_setting("collection_passwords", "違うパスワード")
    ws.close()
    assert cli("-w", str(root), "settings", "collection_passwords", PASSWORD, "--add")[0] == 0
    caplog.set_level(logging.DEBUG)
    code, out = cli("-w", str(root), "collect", str(tmp_path / "inbox"), str(tmp_path / "plain" / s01.name))
    assert code == 0
    shown = out + cli("-w", str(root), "findings")[1] + cli("-w", str(root), "status")[1] + caplog.text
    assert PASSWORD not in shown and "違うパスワード" not in shown
    from dxdesk.store.workspace import open_workspace
    with open_workspace(root) as ws:
        status = {s.section.code: s for s in jobs.statuses(ws, round_)}
        assert status["S02"].file_name == locked.name and status["S02"].status != "未提出"
        found = [f for f in jobs.round_findings(ws, round_) if f.file == locked.name]
        assert not [f for f in found if f.code in ("R3", "S1")]
        # the same values as from the plain file: S01 came both encrypted and plain (same saved time: one wins)
        encrypted_sub = rr.find_submission(ws.conn, round_.round_id, hashlib.sha256(
            (tmp_path / "inbox" / s01.name).read_bytes()).hexdigest())
        plain_sub = rr.find_submission(ws.conn, round_.round_id, hashlib.sha256(
            (tmp_path / "plain" / s01.name).read_bytes()).hexdigest())
        values = [rr.load_values(ws.conn, s.submission_id) for s in (encrypted_sub, plain_sub)]
        assert values[0] and values[0] == values[1]
        # "latest" reads the saved time inside the encrypted file too (not only its file time)
        assert encrypted_sub.saved_at == plain_sub.saved_at == workbook_saved_at(tmp_path / "plain" / s01.name)
        # the archive keeps the encrypted original, under the encrypted file's hash; nothing decrypted on disk
        sha = hashlib.sha256(locked.read_bytes()).hexdigest()
        row = ws.conn.execute("SELECT archived_path FROM files WHERE sha256 = ?", (sha,)).fetchone()
        assert (root / row[0]).read_bytes() == locked.read_bytes()
        assert all(not p.read_bytes().startswith(b"PK") for p in (root / "archive").rglob("*.xlsx")
                   if hashlib.sha256(p.read_bytes()).hexdigest() != plain_sub.sha256)
        before = _values(ws, round_.round_id, "S02")
    assert cli("-w", str(root), "check")[0] == 0  # a re-check reads the archived original: decrypted again
    with open_workspace(root) as ws:
        assert _values(ws, round_.round_id, "S02") == before


def test_a_missing_or_wrong_password_is_a_finding_naming_the_file(sample_round, tmp_path, sample_actuals):
    ws, round_, forms = sample_round
    s03 = next(f for f in forms if "_S03_" in f.name)
    fill_return(s03, tmp_path / "plain.xlsx", jobs.require_plan(ws), sample_actuals, 2023)
    locked = encrypt(tmp_path / "plain.xlsx", tmp_path / "パスワード付き.xlsx")
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [locked]))
    (missing,) = [f for f in jobs.round_findings(ws, round_) if f.file == locked.name]
    assert (missing.code, missing.severity) == ("R3", "ERR")
    assert missing.message.startswith("パスワード付き.xlsx: ") and "パスワードが設定されていない" in missing.message
    assert "collection_passwords" in missing.hint
    ws.set_setting("collection_passwords", "one\ntwo")
    again = encrypt(tmp_path / "plain.xlsx", tmp_path / "パスワード付き(2).xlsx")  # new salt: a new file
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [again]))
    (wrong,) = [f for f in jobs.round_findings(ws, round_) if f.file == again.name]
    assert wrong.code == "R3" and "2 件" in wrong.message and "どれでも開けません" in wrong.message
    assert "one" not in wrong.message + wrong.hint
