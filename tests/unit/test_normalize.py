import pytest
from hypothesis import given, strategies as st

from dxdesk.normalize import (Number, clean_text, format_number, normalise_key, parse_number, placeholder_meaning,
                              split_count_unit, unit_names)
import datetime as dt


@pytest.mark.parametrize("text, value, unit", [
    ("１２３", 123, None), ("1,234", 1234, None), ("\u00a0100", 100, None), ("\u3000100", 100, None),
    ("１２３．４", 123.4, None), ("△19,077", -19077, None), ("▲500", -500, None), ("(500)", -500, None),
    ("－5", -5, None), ("−5", -5, None), ("12,345千円", 12345, "千円"), ("¥1,000", 1000, "円"),
    ("50%", 50, "%"), ("５０％", 50, "%"), ("5割", 50, "%"),
])
def test_numbers_typed_the_japanese_way(text, value, unit):
    number = parse_number(text)
    assert (number.value, number.unit, number.changed, number.error) == (value, unit, True, None)


@pytest.mark.parametrize("text", ["abc", "-", "新規", "1.2.3", "①60%"])
def test_text_that_is_not_a_number_is_an_error_not_a_guess(text):
    assert parse_number(text).value is None and parse_number(text).error


def test_real_numbers_pass_unchanged():
    assert parse_number(82.5).value == 82.5 and not parse_number(82.5).changed
    assert parse_number(None).value is None and parse_number("  ").error is None


@given(st.one_of(st.text(), st.floats(), st.integers(), st.none(), st.booleans()))
def test_parse_number_never_raises(value):
    parse_number(value)


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).map(lambda v: round(v, 3)))
def test_formatted_numbers_read_back(value):
    assert parse_number(format_number(value, 3)).value == pytest.approx(value, abs=1e-9)


def _japanese(value: float, style: int) -> str:
    """A number typed the ways returns really type it."""
    import jaconv
    text = f"{abs(value):,.2f}".rstrip("0").rstrip(".")
    sign = value < 0
    if style == 0:
        return ("△" if sign else "") + text
    if style == 1:
        return jaconv.h2z(("－" if sign else "") + text, digit=True, ascii=True)
    if style == 2:
        return f"({text})" if sign else f"\u3000{text}\u00a0"
    return ("▲" if sign else "") + text + "千円"


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda v: round(v, 2)),
       st.integers(min_value=0, max_value=3))
def test_japanese_spellings_round_trip(value, style):
    number = parse_number(_japanese(value, style))
    assert number.error is None and number.changed
    assert number.value == pytest.approx(value, abs=1e-6)
    assert number.unit == ("千円" if style == 3 else None)


@given(st.text(alphabet="①②③④⑤⑥⑦⑧⑨⑩⑪⑫／%時間60０", min_size=1, max_size=12))
def test_circled_numbers_are_never_read_as_digits(text):
    """NFKC would turn ① into 1 ("①60%/②12時間" → "160%/212時間"): such text is an error, not a number."""
    if any(ch in text for ch in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫"):
        assert parse_number(text).value is None


@pytest.mark.parametrize("text, own, expected", [
    ("90手続", "手続", ("90", "手続")), ("1,020人", "人", ("1,020", "人")), ("１，０２０人", "人", ("1,020", "人")),
    ("20本", "件（本）", ("20", "本")), ("20 件", "件（本）", ("20", "件")), ("963枚", "枚", ("963", "枚")),
    ("160116PV", "PV", ("160116", "PV")), ("3セッション", "件", ("3", "セッション")),
    ("12.5t-CO2", "t-CO2", ("12.5", "t-CO2")), ("90", "手続", None), ("約90手続", "手続", ("約90", "手続")),
    ("手続", "手続", None), ("82.5%", "%", None),
])
def test_a_count_unit_after_the_number(text, own, expected):
    assert split_count_unit(text, own) == expected


def test_unit_names_of_the_cities_units():
    assert unit_names("件（ダッシュボード数）") == {"件（ダッシュボード数）", "件", "ダッシュボード数", "件数"}
    assert "名" in unit_names("人") and "か所" in unit_names("箇所")


@pytest.mark.parametrize("text, value, unit", [
    ("1.2百万円", 1_200_000, "円"), ("3万円", 30_000, "円"), ("500円", 500, "円"), ("12,345千円", 12345, "千円"),
    ("¥1,000", 1000, "円"), ("-5", -5, None), ("－", None, None),
])
def test_money_units_and_a_lone_minus(text, value, unit):
    number = parse_number(text)
    assert (number.value, number.unit if number.value is not None else None) == (value, unit)
    assert number.changed is (value is not None)


@pytest.mark.parametrize("value", [True, float("nan"), float("inf"), dt.date(2024, 3, 4)])
def test_what_is_never_a_number(value):
    number = parse_number(value)
    assert number.value is None and number.error


def test_a_cell_number_is_read_unchanged():
    assert parse_number(82.5) == Number(82.5) and parse_number(" ") == Number(None)


@pytest.mark.parametrize("value, text", [(None, ""), (3.0, "3"), (2.5, "2.5"), (" a\u00a0b ", "a b"), (7, "7")])
def test_clean_text(value, text):
    assert clean_text(value) == text


@pytest.mark.parametrize("value, key", [("", ""), (None, ""), ("Ａ Ｂ\n", "AB"), (12.0, "12"), ("①", "1")])
def test_normalise_key(value, key):
    assert normalise_key(value) == key


@pytest.mark.parametrize("text, meaning", [("〃", "記号"), ("同上。", "語"), ("（同左）", "語"), ("", None),
                                           ("。", None), ("同上のとおり実施した", None), ("実施した", None)])
def test_placeholder_meaning(text, meaning):
    found = placeholder_meaning(text)
    assert (found is None) if meaning is None else (meaning in found)


def test_too_many_digits_is_an_error_not_infinity():
    number = parse_number("9" * 309)
    assert number.value is None and "桁が多すぎて" in number.error
    assert parse_number("9" * 300).value == pytest.approx(1e300)


@pytest.mark.parametrize("text, value, unit", [
    ("(5)", -5, None), ("▲1,234", -1234, None), ("△0.6%", -0.6, "%"), ("5割", 50, "%"), ("0.5割", 5, "%"),
    ("－12千円", -12, "千円"), (".5", 0.5, None),
])
def test_negatives_and_rates_as_typed(text, value, unit):
    number = parse_number(text)
    assert (number.value, number.unit, number.changed) == (pytest.approx(value), unit, True)


@pytest.mark.parametrize("value", [float("-inf"), "1e3", "12,34", "千円", "%", "5,00.0"])
def test_more_that_is_never_a_number(value):
    assert parse_number(value).value is None and parse_number(value).error


def test_a_number_is_immutable_and_a_long_error_quotes_40_characters():
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_number("5").value = 6
    number = parse_number("1234567890" * 31)  # 310 digits
    assert number.error == f"桁が多すぎて数値として読めません: 「{'1234567890' * 4}…」"


def test_format_number_gives_one_decimal_unless_asked():
    assert (format_number(12.34), format_number(12.0), format_number(12.3456, 3)) == ("12.3", "12", "12.346")
