"""What a returned file really is, from its first bytes — before any parser touches it.

Each kind that is not a readable .xlsx gets its own Japanese explanation and what to do about it."""
from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import msoffcrypto
from defusedxml import DefusedXmlException, ElementTree

MAX_UNCOMPRESSED = 200 * 1024 * 1024   # a real return is a few MB; more is a zip bomb or pasted video
MAX_RATIO = 200                        # xlsx XML compresses ~10–30×; bombs compress 1000×


@dataclass(frozen=True)
class Sniffed:
    ok: bool
    code: str = ""     # finding code when not ok (S1 not our kind of file / R3 cannot be read)
    reason: str = ""
    hint: str = ""
    kind: str = "xlsx"  # what a readable file is: xlsx (also .xlsm), xls or ods
    encrypted: bool = False  # a password to open (Office encryption): intake/decrypt.py may open it


OK = Sniffed(True)


def sniff(path: Path | bytes) -> Sniffed:
    """`path` may also be a workbook in memory (a decrypted return)."""
    try:
        if isinstance(path, bytes):
            size, head, path = len(path), path[:512], io.BytesIO(path)
        else:
            size = path.stat().st_size
            with open(path, "rb") as handle:
                head = handle.read(512)
    except OSError as exc:
        return Sniffed(False, "R3", f"ファイルを開けません（{exc.__class__.__name__}）。",
                       "ほかのプログラムで開いていないか確認して、もう一度取り込んでください。")
    if size == 0:
        return Sniffed(False, "R3", "0 バイトのファイルです（保存に失敗した可能性があります）。",
                       "担当課にファイルを送り直すよう依頼してください。")
    if head.startswith(b"PK\x03\x04"):
        return _zip(path, size)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _ole(path)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
        return Sniffed(False, "S1", "Excel ブックではなく、HTML（Web ページ）を .xlsx と名付けたファイルです。",
                       "Excel で開いて「Excel ブック（.xlsx）」として保存し直すよう、担当課に依頼してください。")
    if _looks_like_text(head):
        return Sniffed(False, "S1", "Excel ブックではなく、CSV などのテキストを .xlsx と名付けたファイルです。",
                       "配布した様式に記入して、そのまま保存したファイルを提出するよう依頼してください。")
    return Sniffed(False, "S1", "Excel ブックとして読めない形式のファイルです。",
                   "配布した様式に記入したファイルかどうか、担当課に確認してください。")


RESEND = "担当課に、元のファイルをもう一度送るよう依頼してください。"


def _zip(path: Path | io.BytesIO, size: int) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            encrypted = _encrypted_ods(archive, names)
            bomb = _bomb(infos, size)
            broken = None if bomb or encrypted or len(names) < len(infos) else _broken_part(archive)
            package = None if bomb or broken or "xl/workbook.xml" not in names else _package_problem(archive, names)
    except (zipfile.BadZipFile, OSError, EOFError):
        return Sniffed(False, "R3", "ファイルが途中で切れています（壊れた zip）。送信やコピーが途中で止まった可能性があります。",
                       RESEND)
    except UnicodeDecodeError:  # an entry flagged UTF-8 whose name is not
        return Sniffed(False, "R3", "ファイルの中の部品名が壊れています（文字コードが不正な zip）。", RESEND)
    if bomb:
        return bomb
    if encrypted:
        return Sniffed(False, "R3", "パスワードで保護された OpenDocument 形式（.ods）のファイルで、開けません。",
                       "パスワードを解除して .xlsx で保存し直したファイルを提出するよう、担当課に依頼してください。")
    if len(names) < len(infos):
        twice = sorted({i.filename for i in infos if sum(j.filename == i.filename for j in infos) > 1})
        return Sniffed(False, "R3", f"ファイルの中に同じ名前の部品が2つあります（{'、'.join(twice[:3])}）。"
                       "どちらが正しい内容か判断できません（壊れたか、細工されたファイルです）。", RESEND)
    if broken:
        return Sniffed(False, "R3", f"ファイルの中の部品（{broken}）が壊れています（チェックサムの不一致）。"
                       "送信やコピーの途中で壊れた可能性があります。", RESEND)
    if package:
        return Sniffed(False, "R3", f"Excel ブックの構成が壊れています（{package}）。Excel や LibreOffice でも開けない"
                       "ファイルです。", RESEND)
    if "content.xml" in names and "mimetype" in names:
        return Sniffed(True, kind="ods")  # saved as OpenDocument: read it, and say so
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        kind = "Word 文書" if "word/document.xml" in names else "zip 圧縮ファイル"
        return Sniffed(False, "S1", f"Excel ブックではなく、{kind}です。",
                       "配布した様式（.xlsx）に記入して提出するよう、担当課に依頼してください。")
    if "xl/workbook.bin" in names:
        return Sniffed(False, "S1", "Excel バイナリ ブック（.xlsb）です。",
                       "Excel で開いて「Excel ブック（.xlsx）」として保存し直すよう、担当課に依頼してください。")
    return OK


def _encrypted_ods(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """An .ods saved with a password: its manifest lists encryption data for the parts."""
    if "mimetype" not in names or "META-INF/manifest.xml" not in names:
        return False
    info = archive.getinfo("META-INF/manifest.xml")
    return info.file_size < 10_000_000 and b"encryption-data" in archive.read(info)


CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
WORKBOOK_TYPES = {f"application/vnd.{t}.main+xml" for t in (
    "openxmlformats-officedocument.spreadsheetml.sheet", "openxmlformats-officedocument.spreadsheetml.template",
    "ms-excel.sheet.macroEnabled", "ms-excel.template.macroEnabled")}
PACKAGE_PARTS = ("[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/workbook.xml")


def _package_problem(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """What Excel and LibreOffice check before anything else and python-calamine does not: the package's
    own parts are well-formed XML, and the content types declare the workbook as a workbook."""
    roots = {}
    for part in PACKAGE_PARTS:
        if part not in names:
            return f"{part} がありません"
        try:
            roots[part] = ElementTree.fromstring(archive.read(part))
        except DefusedXmlException:  # an entity bomb: not expanded here, and calamine does not expand it either
            continue
        except ElementTree.ParseError:
            return f"{part} が XML として読めません"
    types = roots.get("[Content_Types].xml")
    if types is None:
        return None
    if types.tag != f"{CONTENT_TYPES_NS}Types":
        return "[Content_Types].xml の形式が違います"
    declared = {o.get("PartName", "").lower(): o.get("ContentType", "") for o in types.iter(f"{CONTENT_TYPES_NS}Override")}
    if declared.get("/xl/workbook.xml") not in WORKBOOK_TYPES:
        return "[Content_Types].xml に xl/workbook.xml が Excel ブックとして登録されていません"
    return None


def _bomb(infos: list[zipfile.ZipInfo], size: int) -> Sniffed | None:
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED or (size and total / size > MAX_RATIO and total > 20 * 1024 * 1024):
        return Sniffed(False, "R3", f"展開すると {total // 1_000_000:,} MB になる異常なファイルです（zip 爆弾の疑い）。",
                       "開かずに、担当課に確認してください。")
    return None


def _broken_part(archive: zipfile.ZipFile) -> str | None:
    """The first entry whose data does not inflate or fails its CRC (read in full: sizes are capped above)."""
    for info in archive.infolist():
        try:
            with archive.open(info) as stream:
                while stream.read(1 << 20):
                    pass
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError):
            return info.filename
    return None


def _ole(path: Path | io.BytesIO) -> Sniffed:
    try:
        if isinstance(path, io.BytesIO):
            data = path.getvalue()
        else:
            with open(path, "rb") as handle:
                data = handle.read()
        encrypted = msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted()
    except Exception:  # msoffcrypto raises its own errors on files it does not know
        encrypted = False
    if encrypted:
        return Sniffed(False, "R3", "パスワードで保護されていて開けません（読み取りパスワード付き）。",
                       "パスワードを解除して保存し直したファイルを提出するよう、担当課に依頼してください。",
                       encrypted=True)
    return Sniffed(True, kind="xls")  # old binary format (a sanitiser may have converted it): read it, and say so


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "cp932"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(ch.isprintable() or ch in "\r\n\t" for ch in text[:200])
    return False
