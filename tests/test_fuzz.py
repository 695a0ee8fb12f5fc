"""A seeded, bounded fuzz of a real filled return: ~200 mutants collected in one go. No crash and no
traceback (a reader that dies is contained; a Python exception met while checking would show as
「想定外のエラー」), every must-reject mutant has an error (never 受理), and no original is changed."""
from __future__ import annotations

import hashlib
import random
import re
import zipfile
from pathlib import Path

from dxdesk import jobs
from dxdesk.demo import fill_return
from dxdesk.store.findings_repo import submission_findings

SEED, COUNT = 20261202, 200
INPUT_ROWS = range(5, 24)


def _parts(good: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(good) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def _write(path: Path, parts: list[tuple[str, bytes]]) -> Path:
    import warnings
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        warnings.simplefilter("ignore")  # duplicate names are one of the mutations
        for name, data in parts:
            z.writestr(name, data)
    return path


def _cells(xml: bytes) -> list[re.Match]:
    return list(re.finditer(rb'<c r="([A-Z]+)([0-9]+)"[^>]*?(?:/>|>.*?</c>)', xml, re.S))


# must-reject mutations: the file is ambiguous or corrupt, so it must get an error, whatever else happens
def _entered(xml: bytes) -> list[int]:
    """Input rows a section types in: a re-listed (再掲) row mirrors its home by formula, is locked and not read."""
    mirrored = {int(m.group(1)) for m in re.finditer(rb'<c r="O([0-9]+)"[^>]*>(?:(?!</c>).)*<f>', xml, re.S)}
    return [row for row in INPUT_ROWS if row not in mirrored]


def same_cell_twice(rng, xml):
    cell = rng.choice([c for c in _cells(xml) if int(c.group(2)) in INPUT_ROWS])
    twin = b'<c r="%s%s"><v>%d</v></c>' % (cell.group(1), cell.group(2), rng.randint(0, 10**6))
    return xml[:cell.end()] + twin + xml[cell.end():]


def same_row_twice(rng, xml):
    row = rng.choice(list(re.finditer(rb'<row r="([0-9]+)"[^>]*>.*?</row>', xml, re.S)))
    return xml[:row.end()] + row.group(0) + xml[row.end():]


def control_character(rng, xml):
    cell = rng.choice([c for c in _cells(xml) if c.group(1) in (b"R", b"S") and int(c.group(2)) in _entered(xml)])
    char = rng.choice([b"\x01", b"\x07", b"\x1b", b"_x0000_", b"_x0008_"])
    body = b'<c r="%s%s" t="inlineStr"><is><t>a%sb</t></is></c>' % (cell.group(1), cell.group(2), char)
    return xml[:cell.start()] + body + xml[cell.end():]


def address_outside_the_grid(rng, xml):
    ref = rng.choice([b"ZZZZ5", b"AAAA1", b"XFE5", b"zzz7", b"A1048577", b"B0", b"A-1", b"5A"])
    cell = rng.choice(_cells(xml))
    return xml[:cell.start()] + cell.group(0).replace(b'r="' + cell.group(1) + cell.group(2), b'r="' + ref, 1) \
        + xml[cell.end():]


def actual_too_long_to_be_a_number(rng, xml):
    row = rng.choice(_entered(xml))
    return re.sub(rb'<c r="O%d"[^>]*?(?:/>|>.*?</c>)' % row,
                  b'<c r="O%d" t="inlineStr"><is><t>%s</t></is></c>' % (row, b"9" * rng.randint(309, 400)), xml,
                  count=1, flags=re.S)


MUST_REJECT_XML = [same_cell_twice, same_row_twice, control_character, address_outside_the_grid,
                   actual_too_long_to_be_a_number]


# anything-goes mutations: no crash, no traceback, no requirement on the outcome
def flip_bytes(rng, xml):
    data = bytearray(xml)
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def drop_element(rng, xml):
    cell = rng.choice(_cells(xml))
    return xml[:cell.start()] + xml[cell.end():]


def odd_attribute(rng, xml):
    cell = rng.choice(_cells(xml))
    odd = rng.choice([b' t="e"', b' t="s"', b' t="b"', b' t="d"', b' s="9999"', b' t="str"', b' t="zz"'])
    return xml[:cell.start()] + re.sub(rb"^<c ", b"<c" + odd + b" ", re.sub(rb'\s(t|s)="[^"]*"', b"", cell.group(0)))\
        + xml[cell.end():]


def odd_value(rng, xml):
    cell = rng.choice([c for c in _cells(xml) if int(c.group(2)) in INPUT_ROWS])
    value = rng.choice([b"NaN", b"inf", b"-inf", b"1e309", b"1e-400", b"", b"0x10", b"1,000", b"\xe2\x88\x925"])
    return xml[:cell.start()] + b'<c r="%s%s"><v>%s</v></c>' % (cell.group(1), cell.group(2), value) + xml[cell.end():]


def far_value(rng, xml):
    col, row = rng.choice([(b"XFD", 1048576), (b"ZZ", 60000), (b"A", 1048576), (b"XFD", 1)])
    return xml.replace(b"</sheetData>", b'<row r="%d"><c r="%s%d"><v>1</v></c></row></sheetData>' % (row, col, row))


def without_addresses(rng, xml):
    return re.sub(rb'\sr="[A-Z]+[0-9]+"', b"", xml, count=rng.randint(1, 50))


def namespace_prefix(rng, xml):
    xml = xml.replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x=", 1)
    return re.sub(rb"<(/?)(?!x:)([A-Za-z]+)(?=[\s>/])", rb"<\1x:\2", xml)


ANYTHING_XML = [flip_bytes, drop_element, odd_attribute, odd_value, far_value, without_addresses, namespace_prefix]


def mutants(good: Path, out: Path) -> dict[Path, bool]:
    """COUNT mutants of `good` in `out`: path → must it be rejected?"""
    rng, parts, result = random.Random(SEED), _parts(good), {}
    sheet = next(n for n, data in parts.items() if n.startswith("xl/worksheets/") and b">K027<" in data)  # 進捗報告
    out.mkdir()
    for n in range(COUNT):
        kind = rng.random()
        items = list(parts.items())
        if kind < 0.45:
            op = rng.choice(MUST_REJECT_XML)
            items = [(k, op(rng, v) if k == sheet else v) for k, v in items]
            reject = True
        elif kind < 0.55:
            victim = rng.choice(sorted(parts))
            items.append((victim, parts[victim]))  # the same entry twice in the zip
            op, reject = "duplicate_entry", True
        elif kind < 0.85:
            op = rng.choice(ANYTHING_XML)
            target = sheet if rng.random() < 0.7 else rng.choice(sorted(parts))
            if target != sheet:  # the other parts have no cells: bytes or prefixes only
                op = rng.choice([flip_bytes, namespace_prefix])
            items = [(k, op(rng, v) if k == target and v else v) for k, v in items]
            reject = False
        else:
            op, reject = "broken_bytes", True
        path = _write(out / f"m{n:03d}_{getattr(op, '__name__', op)}.xlsx", items)
        if op == "broken_bytes":  # a byte of the compressed data changed, or the file cut short
            data = bytearray(path.read_bytes())
            if rng.random() < 0.5:
                with zipfile.ZipFile(path) as z:
                    info = rng.choice(z.infolist())
                start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
                data[start + rng.randrange(max(1, info.compress_size))] ^= 1 << rng.randrange(8)
            else:
                data = data[:rng.randrange(30, len(data) - 22)]
            path.write_bytes(bytes(data))
        result[path] = reject
    return result


def test_two_hundred_mutants_of_a_real_return(sample_round, tmp_path, sample_actuals):
    ws, round_, forms = sample_round
    good = tmp_path / "good.xlsx"
    fill_return(forms[0], good, jobs.require_plan(ws), sample_actuals, 2023)
    cases = mutants(good, tmp_path / "inbox")
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in cases}
    result = jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [tmp_path / "inbox"]))
    assert len(result.outcomes) + len(result.skipped) == COUNT
    by_file: dict[str, list] = {}
    for sub in jobs.rr.all_submissions(ws.conn, round_.round_id):
        by_file.setdefault(sub.file_name, []).extend(submission_findings(ws.conn, sub.submission_id))
    unexpected = [f.message for found in by_file.values() for f in found if "想定外" in f.message]
    assert unexpected == []
    accepted = sorted(p.name for p, reject in cases.items() if reject and p.name in by_file
                      and not any(f.severity == "ERR" for f in by_file[p.name]))
    duplicates = {o.path.name for o in result.outcomes if o.outcome == "取込済み"}  # same bytes as an earlier one
    assert [name for name in accepted if name not in duplicates] == []
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in cases} == before
