"""The mapping of an office's form: its input areas (single cells next to a label, tables) and their checks.

A mapping is plain data: worked out by analyse.py, written to a workbook the office edits (mapping_io.py),
read back, stored as JSON with the inquiry, and used by distribute, read, check and merge alike."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

SINGLE = "単一"
TABLE = "表"
KINDS = ("文字", "数値", "整数", "日付", "年度", "選択")
PREFILL_NAME, PREFILL_CODE, PREFILL_DEPT = "課名", "課コード", "部局"
PREFILLS = (PREFILL_NAME, PREFILL_CODE, PREFILL_DEPT)
ROWS_FIXED, ROWS_OPEN = "固定", "可変"
NOTHING_TO_REPORT = "該当なし"


@dataclass(frozen=True)
class Field:
    """One input: a single cell (cell = "C4") or a table column (cell = "C", the column letter)."""

    name: str
    cell: str
    kind: str = "文字"
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    prefill: str = ""        # 課名 / 課コード / 部局: written by distribute, not typed by the section
    label_cell: str = ""     # the label next to a single cell (found again when rows were inserted above)
    key: bool = False        # a table column whose pre-printed text names the row (5レス: 指標)

    @property
    def numeric(self) -> bool:
        return self.kind in ("数値", "整数")


@dataclass(frozen=True)
class Area:
    area_id: str             # 単一: the sheet's single cells (S1, S2 …); 表: T1, T2 …
    kind: str                # 単一 / 表
    sheet: str
    fields: tuple[Field, ...]
    header_row: int = 0      # 表: the header row (1-based; the lowest of a two-row header)
    first_row: int = 0       # 表: the first input row
    last_row: int = 0        # 表: the last input row of the template
    rows: str = ROWS_FIXED   # 固定 / 可変 (open-ended: sections add rows)
    total_row: int = 0       # 表: the 合計 row (formulas, never read), 0 if none
    total_label: str = ""    # its label (合計 / 計 / 小計), found again in a return
    title: str = ""          # the table's caption above the header, if any

    @property
    def inputs(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if not f.key and not f.prefill)

    @property
    def key_field(self) -> Field | None:
        return next((f for f in self.fields if f.key), None)

    @property
    def label(self) -> str:
        return self.title or (f"{self.sheet}の入力欄" if self.kind == SINGLE else f"{self.sheet}の表")


@dataclass(frozen=True)
class Mapping:
    areas: tuple[Area, ...]
    sheets: tuple[str, ...] = ()   # the template's sheets, in order

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Mapping":
        data = json.loads(text)
        areas = tuple(Area(**{**a, "fields": tuple(Field(**{**f, "choices": tuple(f["choices"])})
                                                   for f in a["fields"])}) for a in data["areas"])
        return cls(areas, tuple(data.get("sheets", ())))

    @property
    def version(self) -> str:
        """What a distributed copy's stamp carries: a return from another mapping is an older copy."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()[:12]

    def area(self, area_id: str) -> Area:
        return next(a for a in self.areas if a.area_id == area_id)

    @property
    def tables(self) -> tuple[Area, ...]:
        return tuple(a for a in self.areas if a.kind == TABLE)

    @property
    def singles(self) -> tuple[Area, ...]:
        return tuple(a for a in self.areas if a.kind == SINGLE)


@dataclass
class Analysis:
    mapping: Mapping
    notes: list[str] = field(default_factory=list)  # what the office should look at in the mapping sheet
