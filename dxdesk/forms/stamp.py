"""The stamp: what identifies a distributed workbook (round, template version, section, row keys).

It is kept twice: as custom document properties and in a veryHidden sheet, so either survives
what sections and sanitisers do to a file.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree

PROP_PREFIX = "dxdesk_"
_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


@dataclass(frozen=True)
class Stamp:
    round_id: str
    fy: int
    form_kind: str
    template_version: str
    section_code: str
    section_name: str
    created_at: str
    # sheet key → row keys in distributed order (their rows follow from the sheet's header row)
    row_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def properties(self) -> dict[str, str]:
        return {f"{PROP_PREFIX}{k}": str(v) for k, v in self.header().items()}

    def header(self) -> dict[str, object]:
        return {"round_id": self.round_id, "fy": self.fy, "form_kind": self.form_kind,
                "template_version": self.template_version, "section_code": self.section_code,
                "section_name": self.section_name, "created_at": self.created_at}

    def sheet_rows(self) -> list[list[str]]:
        """The veryHidden sheet's content: key/value pairs, then one row per row key."""
        rows = [["dxdesk_stamp", "1"]] + [[k, str(v)] for k, v in self.header().items()]
        for sheet_key, keys in self.row_keys.items():
            rows += [["row", sheet_key, key] for key in keys]
        return rows


def from_mapping(values: dict[str, str], row_keys: dict[str, tuple[str, ...]] | None = None) -> Stamp | None:
    try:
        return Stamp(values["round_id"], int(float(values["fy"])), values["form_kind"],
                     values["template_version"], values["section_code"], values.get("section_name", ""),
                     values.get("created_at", ""), row_keys or {})
    except (KeyError, ValueError):
        return None


def from_sheet_rows(rows: list[list[object]]) -> Stamp | None:
    values: dict[str, str] = {}
    keys: dict[str, list[str]] = {}
    for row in rows:
        cells = [("" if c is None else str(c)).strip() for c in row]
        if len(cells) >= 3 and cells[0] == "row":
            keys.setdefault(cells[1], []).append(cells[2])
        elif len(cells) >= 2 and cells[0]:
            values[cells[0]] = cells[1]
    if values.get("dxdesk_stamp") is None:
        return None
    return from_mapping(values, {k: tuple(v) for k, v in keys.items()})


def read_custom_properties(path: Path) -> dict[str, str]:
    """docProps/custom.xml of an xlsx, parsed with defusedxml; {} when absent."""
    try:
        with zipfile.ZipFile(path) as archive:
            if "docProps/custom.xml" not in archive.namelist():
                return {}
            info = archive.getinfo("docProps/custom.xml")
            if info.file_size > 1_000_000:
                return {}
            root = ElementTree.fromstring(archive.read(info))
    except (zipfile.BadZipFile, OSError, ElementTree.ParseError):
        return {}
    except Exception:  # defusedxml refuses entity bombs with its own exceptions
        return {}
    props = {}
    for prop in root.iter(f"{_CUSTOM_NS}property"):
        name = prop.get("name", "")
        if name.startswith(PROP_PREFIX) and len(prop):
            props[name[len(PROP_PREFIX):]] = (prop[0].text or "").strip()
    return props
