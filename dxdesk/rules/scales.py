"""Grade scales are configuration: the computed A–D grade (two-track, DOMAIN §4) mapped onto the
scale a city uses. The mapping says which grade of that scale means the same thing."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    key: str
    title: str
    grades: tuple[str, ...]          # what sections may choose, best first
    from_ad: dict[str, str]          # computed A–D → this scale
    special: tuple[str, ...] = ()    # choices not computed from numbers (評価未実施, 中止 …)


SCALES: dict[str, Scale] = {s.key: s for s in (
    Scale("AD2", "A〜D 二軌道（KPI管理・スケジュール管理）", ("A", "B", "C", "D"),
          {"A": "A", "B": "B", "C": "C", "D": "D"}, ("評価未実施",)),
    Scale("MARU", "◎○△×", ("◎", "○", "△", "×"), {"A": "◎", "B": "○", "C": "△", "D": "×"}, ("評価未実施",)),
    Scale("SABC", "S/A/B/C", ("S", "A", "B", "C"), {"A": "A", "B": "B", "C": "C", "D": "C"}, ("評価未実施",)),
    Scale("FSABCXYZ", "F/S/A/B/C/X/Y/Z", ("F", "S", "A", "B", "C", "X", "Y", "Z"),
          {"A": "A", "B": "B", "C": "B", "D": "C"}, ("F", "X", "Y", "Z")),
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
    return (text or "").strip()
