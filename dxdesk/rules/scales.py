"""Grade scales are configuration: the computed A–D grade (two-track, DOMAIN §4) mapped onto the
scale a city uses. The mapping says which grade of that scale means the same thing."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    key: str
    title: str
    grades: tuple[str, ...]                     # what sections may choose, best first
    shown: dict[str, str]                       # computed A–D → the grade shown on this scale
    accepts: dict[str, tuple[str, ...]]         # shown grade → self-grades consistent with it
    special: tuple[str, ...] = ("評価未実施",)    # choices the numbers never decide (中止, 評価困難 …)
    bad: tuple[str, ...] = ("C", "D")           # self-grades that need a cause (K4)

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
    "FSABCXYZ": {"F": "完了", "S": "目標以上", "A": "目標どおり", "B": "要改善", "C": "要大幅改善",
                 "X": "未着手", "Y": "中止", "Z": "評価困難"},
}


def scale(key: str) -> Scale:
    return SCALES.get(key, SCALES["AD2"])


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
