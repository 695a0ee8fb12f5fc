"""When a returned workbook was saved: the one meaning of "latest" for a section's files.

The workbook's own saved time (xlsx: docProps/core.xml dcterms:modified; ods: meta.xml dc:date) travels
with the file through mail and copies; the file's modification time does not, so it only breaks ties and
stands in when the workbook says nothing (.xls, or a writer that leaves the property out).
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree

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
    def of(cls, archived: Path, source: Path) -> "SavedTime":
        mtime = _mtime(source) or _mtime(archived)
        return cls(workbook_saved_at(archived) or mtime, mtime)


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"


def _mtime(path: Path) -> str:
    try:
        return _iso(dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc))
    except (OSError, ValueError, OverflowError):
        return ""


def workbook_saved_at(path: Path) -> str:
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
