"""Grade scales are configuration: the computed A–D grade (two-track, DOMAIN §4) mapped onto the
scale a city uses. The mapping says which grade of that scale means the same thing.

Four scales are built in; an office defines its own in the rule book (sheet 評価尺度定義: letters, meanings,
the computed grades each letter stands for, which need a cause). `scale(key)` finds either kind."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scale:
    key: str
    title: str
    grades: tuple[str, ...]                     # what sections may choose, best first
    shown: dict[str, str]                       # computed A–D → the grade shown on this scale
    accepts: dict[str, tuple[str, ...]]         # shown grade → self-grades consistent with it
    special: tuple[str, ...] = ("評価未実施",)    # choices the numbers never decide (中止, 評価困難 …)
    bad: tuple[str, ...] = ("C", "D")           # self-grades that need a cause (K4)
    meanings: dict[str, str] = field(default_factory=dict)  # grade → what it means (評価の意味)

    @property
    def choices(self) -> tuple[str, ...]:
        return self.grades + tuple(g for g in self.special if g not in self.grades)

    def consistent(self, self_grade: str, computed_ad: str) -> bool:
        shown = self.shown.get(computed_ad)
        return shown is None or self_grade in self.accepts.get(shown, (shown,))


def _same(*grades: str) -> dict[str, tuple[str, ...]]:
    return {g: (g,) for g in grades}


SCALES: dict[str, Scale] = {s.key: s for s in (
    Scale("AD2", "A〜D 二軌道（KPI管理・スケジュール管理）", ("A", "B", "C", "D"),
          {"A": "A", "B": "B", "C": "C", "D": "D"}, _same("A", "B", "C", "D")),
    Scale("MARU", "◎○△×", ("◎", "○", "△", "×"), {"A": "◎", "B": "○", "C": "△", "D": "×"},
          _same("◎", "○", "△", "×"), bad=("△", "×")),
    # S (目標を大きく上回る) cannot be told from A by the numbers alone: both are consistent with A
    Scale("SABC", "S/A/B/C", ("S", "A", "B", "C"), {"A": "A", "B": "B", "C": "C", "D": "C"},
          {"A": ("S", "A"), "B": ("B",), "C": ("C",)}, bad=("C",)),
    # F 完了 / S 目標以上 / A 目標どおり / B 要改善 / C 要大幅改善; X 未着手, Y 中止, Z 評価困難 are set by hand
    Scale("FSABCXYZ", "F/S/A/B/C/X/Y/Z", ("F", "S", "A", "B", "C"), {"A": "A", "B": "B", "C": "B", "D": "C"},
          {"A": ("F", "S", "A"), "B": ("B",), "C": ("C",)}, special=("X", "Y", "Z"), bad=("B", "C", "X")),
)}
GRADE_MEANINGS = {
    "AD2": {"A": "目標達成・構築完了", "B": "基準値より改善・予定どおり", "C": "基準値と同じ・遅れ",
            "D": "基準値より悪化・未着手", "評価未実施": "評価していない（理由が必要）"},
    "MARU": {"◎": "目標達成", "○": "改善・予定どおり", "△": "横ばい・遅れ", "×": "悪化・未着手"},
    "SABC": {"S": "目標を大きく上回る", "A": "目標達成", "B": "改善したが未達成", "C": "改善していない"},
    "FSABCXYZ": {"F": "完了", "S": "目標以上", "A": "目標どおり", "B": "要改善", "C": "要大幅改善",
                 "X": "未着手", "Y": "中止", "Z": "評価困難"},
}
for _key, _meanings in GRADE_MEANINGS.items():
    SCALES[_key] = Scale(**{**SCALES[_key].__dict__, "meanings": _meanings})
COMPUTED = ("A", "B", "C", "D")
_custom: dict[str, Scale] = {}
_generation = [0]


def register(scales: tuple[Scale, ...] | list[Scale]) -> None:
    """Make the office's own scales (from the current rule book) known to scale() and the forms."""
    new = {s.key: s for s in scales}
    if new != _custom:
        _custom.clear()
        _custom.update(new)
        _generation[0] += 1


def generation() -> int:
    """Changes whenever the registered scales change (forms built for a scale are cached by it)."""
    return _generation[0]


def known(key: str) -> Scale | None:
    return SCALES.get(key) or _custom.get(key)


def scale(key: str) -> Scale:
    return known(key) or SCALES["AD2"]


def all_scales() -> dict[str, Scale]:
    return {**SCALES, **_custom}


def find_scale(text: str) -> str | None:
    """The key of the scale a plan master names: its key, its title, or its grades (「◎○△×」, 「A〜D」)."""
    wanted = _plain(text)
    for key, s in all_scales().items():
        names = {key, s.title, "".join(s.grades), "".join(s.choices)}
        if len(s.grades) > 1:
            names |= {f"{s.grades[0]}〜{s.grades[-1]}", f"{s.grades[0]}~{s.grades[-1]}"}
        if wanted in {_plain(n) for n in names}:
            return key
    return None


def definition_rows(s: Scale) -> list[tuple[str, str, tuple[str, ...], bool]]:
    """(letter, meaning, computed grades it stands for, cause required) — the rows define_scale reads."""
    rows = []
    for letter in s.choices:
        stands = tuple(g for g in COMPUTED if g in s.shown and letter in s.accepts.get(s.shown[g], (s.shown[g],)))
        rows.append((letter, s.meanings.get(letter, ""), stands, letter in s.bad))
    return rows


def _plain(text: str) -> str:
    return re.sub(r"[\s・/／,、]", "", unicodedata.normalize("NFKC", text or "")).upper()


def define_scale(key: str, title: str, letters: list[tuple[str, str, tuple[str, ...], bool]]) -> Scale:
    """A scale from rows of (letter, meaning, computed grades it stands for, cause required), best first.

    A letter standing for no computed grade is chosen by hand (中止, 評価困難 …; 評価未実施 always is). Each computed grade is
    shown as the last letter standing for it (S and A both stand for A: A is shown, S is also consistent)."""
    graded = [(letter, stands) for letter, _, stands, _ in letters if stands]
    shown = {g: letter for letter, stands in graded for g in stands}
    accepts: dict[str, tuple[str, ...]] = {}
    for g in COMPUTED:
        if g in shown:
            accepts.setdefault(shown[g], ())
            accepts[shown[g]] += tuple(l for l, stands in graded if g in stands and l not in accepts[shown[g]])
    special = tuple(letter for letter, _, stands, _ in letters if not stands)
    special += () if "評価未実施" in special else ("評価未実施",)  # K1's way out is on every office scale
    return Scale(key, title, tuple(letter for letter, _ in graded), shown, accepts, special,
                 tuple(letter for letter, _, _, cause in letters if cause),
                 {letter: meaning for letter, meaning, _, _ in letters if meaning})


def normalise_grade(text: str) -> str:
    """Ａ / a / A評価 / Ａ（達成） → A; other text is returned as typed (trimmed), never guessed."""
    import re
    import unicodedata
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    candidate = re.sub(r"[（(].*[)）]$", "", key).removesuffix("評価").upper()
    if candidate in ("A", "B", "C", "D", "S", "F", "X", "Y", "Z"):
        return candidate
    if key in ("◎", "○", "〇", "△", "×", "✕", "x"):
        return {"〇": "○", "✕": "×", "x": "×"}.get(key, key)
    return (text or "").strip()
