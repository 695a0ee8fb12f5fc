"""When a returned workbook was saved: the one meaning of "latest" for a section's files.

The workbook's own saved time (xlsx: docProps/core.xml dcterms:modified; ods: meta.xml dc:date) travels
with the file through mail and copies; the file's modification time does not, so it only breaks ties and
stands in when the workbook says nothing (.xls, or a writer that leaves the property out). An encrypted
return's saved time is read inside it, decrypted in memory with the collection passwords.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from defusedxml import ElementTree

from dxdesk.intake.decrypt import unlock

_PARTS = (("docProps/core.xml", "{http://purl.org/dc/terms/}modified"),
          ("meta.xml", "{http://purl.org/dc/elements/1.1/}date"))
_MAX_PART = 1_000_000
_STAMP = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)?$")


@dataclass(frozen=True, order=True)
class SavedTime:
    """Orders a section's files: saved time, then file modification time (both UTC ISO, seconds)."""

    saved_at: str
    mtime: str

    @classmethod
    def of(cls, archived: Path, source: Path, passwords: Sequence[str] = (), saved: str | None = None) -> "SavedTime":
        """`saved`: the workbook's own saved time as the reader process found it ('' when it has none); None to read
        it here — `passwords`, the collection passwords, to read it inside an encrypted return."""
        mtime = _mtime(source) or _mtime(archived)
        if saved is None:
            saved = workbook_saved_at(archived)
            if not saved and passwords and _ole(archived):
                data = unlock(archived, passwords).data
                saved = workbook_saved_at(io.BytesIO(data)) if data else ""
        return cls(saved or mtime, mtime)


def _ole(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    except OSError:
        return False


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"


def _mtime(path: Path) -> str:
    try:
        return _iso(dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc))
    except (OSError, ValueError, OverflowError):
        return ""


def workbook_saved_at(path: Path | io.BytesIO) -> str:
    """The saved time the workbook itself records (UTC ISO 8601, seconds), or '' when it has none."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for part, tag in _PARTS:
                if part in names and archive.getinfo(part).file_size <= _MAX_PART:
                    element = ElementTree.fromstring(archive.read(part)).find(f".//{tag}")
                    if element is not None and element.text:
                        return _parse(element.text.strip())
    except Exception:  # not a zip, a broken zip, bad XML, an entity bomb: the file says nothing
        return ""
    return ""


def _parse(text: str) -> str:
    match = _STAMP.match(text)
    if not match:
        return ""
    zone = (match[2] or "").replace("Z", "+00:00")
    try:
        moment = dt.datetime.fromisoformat(match[1] + zone)  # fractions (LibreOffice writes nine digits) dropped
    except ValueError:
        return ""
    return _iso(moment) if 1980 <= moment.year <= 2200 else ""
