"""Reading generated workbooks part by part (XlsxWriter-style golden tests) and their charts."""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
      "c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
# volatile: document dates, and any date-time written into the sheets (data date, received time)
_VOLATILE = [re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>"),
             re.compile(rb"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?")]


def parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        out = {}
        for name in sorted(archive.namelist()):
            data = archive.read(name)
            for pattern in _VOLATILE:
                data = pattern.sub(b"", data)
            out[name] = data
        return out


def _rels(archive, part: str) -> dict[str, str]:
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in archive.namelist():
        return {}
    root = ElementTree.fromstring(archive.read(rels))
    return {r.get("Id"): posixpath.normpath(posixpath.join(folder, r.get("Target")))
            for r in root.findall("rel:Relationship", NS)}


@dataclass(frozen=True)
class Series:
    name: str
    categories: str
    values: str


@dataclass(frozen=True)
class Chart:
    sheet: str
    types: tuple[str, ...]   # e.g. ("barChart:bar:stacked",) or ("barChart:col:clustered", "lineChart")
    series: tuple[Series, ...]


def _ref(node, tag: str) -> str:
    found = node.find(f"c:{tag}//c:f", NS)
    return found.text if found is not None else ""


def charts(path) -> list[Chart]:
    """Every chart of the workbook: the sheet it is drawn on, its plot types and its series' ranges."""
    result = []
    with zipfile.ZipFile(path) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        targets = _rels(archive, "xl/workbook.xml")
        for sheet in book.findall("m:sheets/m:sheet", NS):
            part = targets[sheet.get(f"{{{NS['r']}}}id")]
            for drawing in _rels(archive, part).values():
                if "drawings/" not in drawing:
                    continue
                for chart_part in _rels(archive, drawing).values():
                    if "charts/" not in chart_part:
                        continue
                    root = ElementTree.fromstring(archive.read(chart_part))
                    types, series = [], []
                    for plot in root.find("c:chart/c:plotArea", NS):
                        tag = plot.tag.split("}")[1]
                        if not tag.endswith("Chart"):
                            continue
                        bits = [tag]
                        for attr in ("barDir", "grouping"):
                            node = plot.find(f"c:{attr}", NS)
                            if node is not None and tag == "barChart":
                                bits.append(node.get("val"))
                        types.append(":".join(bits))
                        for ser in plot.findall("c:ser", NS):
                            series.append(Series(_ref(ser, "tx"), _ref(ser, "cat"), _ref(ser, "val")))
                    result.append(Chart(sheet.get("name"), tuple(types), tuple(series)))
    return result
