"""A sheet written with element namespace prefixes (<x:c>, <x:f>) tells the same things as one without: error
cells, formulas and their saved results, merged and hidden cells, % and date styles. The targeted searches of
cellscan looked only for unprefixed elements, so such a sheet hid its #DIV/0! and its formulas."""
from __future__ import annotations

from dxdesk.intake.cellscan import NumberFormats, _scan_xml, unprefixed

PLAIN = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         b'<row r="5" hidden="1"><c r="O5" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="P5"><f>O6</f></c>'
         b'<c r="Q5" s="1"><v>0.5</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="R5:S5"/>'
         b'</mergeCells></worksheet>')
PREFIXED = (PLAIN.replace(b"<", b"<x:").replace(b"<x:/", b"</x:")
            .replace(b'xmlns="', b'xmlns:x="'))


def test_a_prefixed_sheet_is_scanned_like_a_plain_one():
    formats = NumberFormats(percent=frozenset({1}))
    plain, prefixed = _scan_xml(unprefixed(PLAIN), formats), _scan_xml(unprefixed(PREFIXED), formats)
    assert plain.errors == {"O5": "#DIV/0!"} and plain.formulas == {"O5", "P5"}
    assert plain.formulas_without_value == {"P5"} and plain.merged == ("R5:S5",) and plain.hidden_rows == {5}
    assert plain.percent == {"Q5"}
    assert prefixed == plain


def test_a_plain_sheet_is_left_as_it_is():
    assert unprefixed(PLAIN) is PLAIN
