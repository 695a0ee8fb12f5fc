"""Forms as data: one definition drives the builder, the reader, the checks' messages and the outputs.

A form has sheets; a sheet has a row key (the plan id each row stands for) and fields. Field kinds:
`key` (the row key, locked), `plan` (pre-filled, locked), `input` (what the section enters, unlocked),
`formula` (the live self-check; never read back — dxdesk recomputes everything itself).
Formula templates name other fields of the same row in braces: {actual} → N5.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from dxdesk.labels import LABELS
from dxdesk.rules.cause import LOWER_FORMULA, cause_formula
from dxdesk.rules.kpi import SCHEDULE_STATUSES
from dxdesk.rules import scales
from dxdesk.rules.scales import Scale, scale


@dataclass(frozen=True)
class FieldDef:
    key: str
    kind: str                 # key / plan / input / formula
    value_type: str = "text"  # text / number / choice / grade
    width: float = 10
    required: bool = False
    choices: tuple[str, ...] = ()
    number_format: str = ""
    formula: str = ""
    help: str = ""
    prefilled: bool = False  # an input dxdesk fills in from the plan (the section checks it)
    group: str = ""          # a card's block heading (PLAN/DO, CHECK, ACT)

    @property
    def label(self) -> str:
        return LABELS[self.key]


def plan_fields(*columns: str | tuple[str, float], group: str = "") -> tuple[FieldDef, ...]:
    """Locked text columns the plan fills in, in order: a key, or (key, width)."""
    pairs = [(c, 10) if isinstance(c, str) else c for c in columns]
    return tuple(FieldDef(key, "plan", width=width, group=group) for key, width in pairs)


@dataclass(frozen=True)
class SheetDef:
    key: str
    name: str
    row_key: str
    fields: tuple[FieldDef, ...]
    header_row: int = 4  # 1-based; data starts on the next row
    key_fields: tuple[str, ...] = ()  # several columns make the row key (joined with KEY_SEP)
    repeat: str = ""      # a field key: one worksheet per value of it, named "<name>_<value>"
    layout: str = "table"  # "table": a header row, one row per row key; "card": one record, labels down a column
    caption: str = ""     # lines under the title of each worksheet, formatted with its first row's values

    def instance_name(self, group: str) -> str:
        """The worksheet name of one repeated sheet (31 characters at most, no []:*?/\\)."""
        return re.sub(r"[\[\]:*?/\\]", "_", f"{self.name}_{group}")[:31]

    @property
    def keys(self) -> tuple[str, ...]:
        return self.key_fields or (self.row_key,)

    def key_of(self, values: dict) -> str:
        return KEY_SEP.join(str(values.get(k) or "") for k in self.keys)

    def field(self, key: str) -> FieldDef:
        return next(f for f in self.fields if f.key == key)

    def column(self, key: str) -> int:
        """0-based column of a field in the distributed layout."""
        return [f.key for f in self.fields].index(key)

    @property
    def inputs(self) -> tuple[FieldDef, ...]:
        return tuple(f for f in self.fields if f.kind == "input")


@dataclass(frozen=True)
class FormDef:
    kind: str
    version: str
    title: str
    file_label: str  # what the distributed file names say
    sheets: tuple[SheetDef, ...]
    scale: str = "AD2"

    def sheet(self, key: str) -> SheetDef:
        return next(s for s in self.sheets if s.key == key)


# The target this year: the interim target if there is one, otherwise the end-of-plan target.
_T = 'IF(ISNUMBER({year_target}),{year_target},IF(ISNUMBER({target}),{target},""))'
# Lower is better: a 以下 ceiling, or 減少 without a floor (the comparator wins over the direction).
_LOWER = LOWER_FORMULA
_ACHIEVED = 'IF(LOWER,{actual}<=T,{actual}>=T)'
ACHIEVEMENT = ('=IF(OR(NOT(ISNUMBER({actual})),T=""),"",IF(LOWER,'
               'IF({actual}=0,"",T/{actual}),IF(T=0,"",{actual}/T)))')
COMPUTED_GRADE_AD = (
    'IF(OR({stage}="3",{stage}="5"),"対象外",'
    'IF(OR({stage}="1",{stage}="3・4"),'
    'IF({schedule}="完了","A",IF(OR({schedule}="予定どおり",LEFT({schedule})="○"),"B",'
    'IF(OR({schedule}="遅れ",LEFT({schedule})="△"),"C",IF({schedule}="未着手","D","")))),'
    'IF(NOT(ISNUMBER({actual})),"",IF(T="","",IF(ACHIEVED,"A",IF(NOT(ISNUMBER({baseline})),"",'
    'IF({actual}={baseline},"C",IF(IF(LOWER,-1,1)*({actual}-{baseline})>0,"B","D"))))))))'
)
SELF_CHECK = (
    '=TRIM(IF(AND(OR({stage}="2",{stage}="4"),{actual}="",{self_grade}<>"評価未実施"),"実績値が未入力 ","")'
    '&IF(AND({actual}<>"",NOT(ISNUMBER({actual}))),"実績値が数値でない ","")'
    '&IF(AND(OR({stage}="1",{stage}="3・4"),{schedule}=""),"進捗状況が未入力 ","")'
    '&IF(AND({stage}<>"3",{stage}<>"5",{self_grade}=""),"自己評価が未入力 ","")'
    '&IF(AND({self_grade}<>"",{computed_grade}<>"",{computed_grade}<>"対象外",SPECIAL_NOT,'
    'ISERROR(SEARCH("|"&{self_grade}&"|",ACCEPTED))),"自己評価と算定評価が異なる ","")'
    '&IF(AND(NEEDS_CAUSE,{cause}=""),"未達理由が未入力 ",""))'
)
# The live check of a measure's 事業費計 row: its 科目 and its 財源 add up to it, for the budget and the settlement
# ({subjects_budget} … are the cell ranges of the measure's 科目 / 財源 rows, filled in by the builder).
BUDGET_CHECK = (
    '=IF({budget_item}<>"事業費計","",TRIM('
    'IF(ROUND(SUM({subjects_budget})-N({budget}),3)<>0,"科目の合計が予算額と違う ","")'
    '&IF(ROUND(SUM({sources_budget})-N({budget}),3)<>0,"財源の合計が予算額と違う ","")'
    '&IF(ROUND(SUM({subjects_settlement})-N({settlement}),3)<>0,"科目の合計が決算額と違う ","")'
    '&IF(ROUND(SUM({sources_settlement})-N({settlement}),3)<>0,"財源の合計が決算額と違う ","")))'
)
EXECUTION_RATE = '=IF(OR(NOT(ISNUMBER({budget})),NOT(ISNUMBER({settlement})),{budget}=0),"",{settlement}/{budget})'


def _formula(template: str) -> str:
    """Expand the named sub-expressions; "T" only ever stands alone in these templates."""
    text = template.replace("ACHIEVED", _ACHIEVED).replace("LOWER", _LOWER)
    return re.sub(r"(?<![A-Za-z{])T(?![A-Za-z}(])", _T, text)


def _quoted(values) -> str:
    return ",".join(f'"{v}"' for v in values)


def computed_grade_formula(scale: Scale) -> str:
    """The live A–D grade, shown on the city's scale (◎○△× …); Excel 2016 functions only."""
    ad = _formula(COMPUTED_GRADE_AD)
    if scale.key == "AD2":
        return "=" + ad
    shown = _quoted(scale.shown[g] for g in "ABCD")
    return f'=IFERROR(CHOOSE(MATCH({ad},{{{{"A","B","C","D"}}}},0),{shown}),{ad})'


def self_check_formula(scale: Scale) -> str:
    accepted = '""'
    for shown in reversed(list(dict.fromkeys(scale.shown.values()))):
        ok = "|" + "|".join(scale.accepts.get(shown, (shown,))) + "|"
        accepted = f'IF({{computed_grade}}="{shown}","{ok}",{accepted})'
    specials = f"ISERROR(MATCH({{self_grade}},{{{{{_quoted(scale.special)}}}}},0))" if scale.special else "TRUE"
    needs_cause = cause_formula(scale)  # the same definition K4 reads
    return (SELF_CHECK.replace("ACCEPTED", accepted).replace("SPECIAL_NOT", specials)
            .replace("NEEDS_CAUSE", needs_cause))


def _progress_sheet(scale: Scale) -> SheetDef:
    return SheetDef(
        key="progress", name="進捗報告", row_key="kpi_id", fields=(
            FieldDef("kpi_id", "key", width=8),
            *plan_fields(("measure_id", 8), ("measure_name", 24), ("stage", 10), ("kpi_name", 26), ("kpi_kind", 10),
                         ("unit", 7), ("direction", 5)),
            FieldDef("baseline", "plan", "number", width=10, number_format="#,##0.0##"),
            FieldDef("target", "plan", "number", width=10, number_format="#,##0.0##"),
            *plan_fields(("comparator", 6), ("target_fy", 7)),
            FieldDef("year_target", "plan", "number", width=10, number_format="#,##0.0##"),
            FieldDef("last_actual", "plan", "number", width=10, number_format="#,##0.0##"),
            FieldDef("actual", "input", "number", width=11, number_format="#,##0.0##",
                     help="今年度の実績値を数値で（単位は「単位」列のとおり。% は 82.5 のように）"),
            FieldDef("schedule", "input", "choice", width=10, choices=SCHEDULE_STATUSES,
                     help="段階 1・3・4 の施策は進捗状況を選択（○ は予定どおり、△ は遅れとして読みます。△・遅れは未達理由が必須）"),
            FieldDef("self_grade", "input", "grade", width=8, choices=scale.choices,
                     help=f"{'・'.join(scale.grades)} から選択（数値で判断できないときは {'・'.join(scale.special)}）"),
            FieldDef("result", "input", width=30, help="今年度に取り組んだ内容と結果"),
            FieldDef("cause", "input", width=30,
                     help=f"評価 {'・'.join(scale.bad)}、または基準値を下回ったときは必須"),
            FieldDef("milestone_date", "input", "date", width=11, number_format="yyyy/m/d",
                     help="スケジュール管理の施策（段階1・3・4）: 完了した日、または完了予定日（例 2025/3/31、R7.3.31）"),
            FieldDef("achievement", "formula", width=8, number_format="0.0%", formula=_formula(ACHIEVEMENT)),
            FieldDef("computed_grade", "formula", width=8, formula=computed_grade_formula(scale)),
            FieldDef("self_check", "formula", width=26, formula=self_check_formula(scale)),
            # the plan's 工程 marks (○ 実施 / ⇒ 継続 / … 検討・準備), this year and the next; last, so that the
            # columns sections already know keep their places
            FieldDef("schedule_mark", "plan", width=14),
        ))

KEY_SEP = "|"
# 予算・決算: per measure, one row per 科目, the total, and one row per 財源 (M1 checks they add up).
BUDGET_SUBJECTS = ("委託料", "使用料及び賃借料", "備品購入費", "その他")
BUDGET_TOTAL = "事業費計"
BUDGET_SOURCES = ("特定財源", "一般財源")
BUDGET_LINES = ([("科目", s) for s in BUDGET_SUBJECTS] + [("計", BUDGET_TOTAL)]
                + [("財源", s) for s in BUDGET_SOURCES])

BUDGET_SHEET = SheetDef(
    key="budget", name="予算・決算", row_key="measure_id", key_fields=("measure_id", "budget_item"), fields=(
        FieldDef("measure_id", "key", width=8),
        *plan_fields(("measure_name", 30), ("budget_class", 6)),
        FieldDef("budget_item", "key", width=16),
        FieldDef("budget", "input", "number", width=14, number_format="#,##0", prefilled=True,
                 help="今年度の予算額（千円）。事業費計は計画の予算額を記入済み。科目・財源の内訳も記入"),
        FieldDef("supplementary", "input", "number", width=14, number_format="#,##0",
                 help="予算額のうち補正予算の額（千円）"),
        FieldDef("settlement", "input", "number", width=14, number_format="#,##0", help="決算額（千円）"),
        FieldDef("execution_rate", "formula", width=9, number_format="0.0%", formula=EXECUTION_RATE),
        FieldDef("budget_note", "input", width=36, help="執行率が低い・予算を超えた場合はその理由"),
        FieldDef("budget_check", "formula", width=24, formula=BUDGET_CHECK),
    ))

def form_for(kind: str, scale_key: str = "AD2") -> FormDef:
    """The form of a kind, with the self-grade list and live check of the round's grade scale."""
    return _form_for(kind, scale_key, scales.generation())


@functools.lru_cache(maxsize=None)
def _form_for(kind: str, scale_key: str, _generation: int) -> FormDef:
    if kind != "progress":
        raise KeyError(kind)
    from dxdesk.forms.schedule import MILESTONE_SHEET, SYSTEM_SHEET
    return FormDef(kind="progress", version="progress-2", title="進捗状況報告", file_label="DX進捗報告",
                   sheets=(_progress_sheet(scale(scale_key)), BUDGET_SHEET, MILESTONE_SHEET, SYSTEM_SHEET),
                   scale=scale(scale_key).key)


PROGRESS_FORM = form_for("progress")
PROGRESS_SHEET = PROGRESS_FORM.sheets[0]  # the layout is the same on every scale
FORMS = {PROGRESS_FORM.kind: PROGRESS_FORM}
COVER_SHEET_NAME = "表紙"
STAMP_SHEET_NAME = "_dxdesk"
SENDBACK_SHEET_NAME = "エラー一覧"  # first sheet of a send-back workbook (差戻し); read as part of the form
