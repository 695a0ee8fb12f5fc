"""One source for every label: form headers, reader lookups, finding messages and outputs use these."""
from __future__ import annotations

LABELS: dict[str, str] = {
    # the plan
    "fy": "年度",
    "section_code": "課コード",
    "section_name": "課所室名",
    "dept": "部局",
    "measure_id": "施策ID",
    "measure_name": "施策名",
    "stage": "段階",
    "kpi_id": "指標ID",
    "kpi_name": "指標名",
    "kpi_kind": "区分",
    "unit": "単位",
    "direction": "方向",
    "basis": "集計",
    "baseline": "基準値",
    "baseline_fy": "基準年度",
    "target": "目標値",
    "target_fy": "目標年度",
    "comparator": "目標条件",
    "year_target": "今年度目標",
    "last_actual": "前年度実績",
    "relisted_of": "再掲元",
    # what sections enter
    "actual": "実績値",
    "schedule": "進捗状況",
    "self_grade": "自己評価",
    "result": "取組結果",
    "cause": "未達理由・今後の対応",
    "milestone_date": "完了（予定）日",
    "budget_class": "区分",
    "budget_item": "項目",
    "budget": "予算額（千円）",
    "supplementary": "うち補正額（千円）",
    "settlement": "決算額（千円）",
    "budget_note": "執行率の理由・備考",
    # milestones (工程) and systems (様式②)
    "milestone_id": "マイルストーンID",
    "milestone_content": "内容",
    "planned_fy": "予定年度",
    "planned_period": "予定時期",
    "milestone_due": "期限",
    "milestone_status": "状況",
    "done_month": "実施月",
    "delay_reason": "遅延理由・今後の予定",
    "milestone_note": "備考",
    "milestone_check": "セルフチェック",
    "system_id": "システムID",
    "system_name": "システム名",
    "system_section": "所管課",
    "system_measures": "掲げる施策",
    "system_summary": "概要",
    "system_config": "構成",
    "intro_year": "導入年度",
    "intro_cost": "導入経費（千円）",
    "planned_opex": "運用経費（計画・千円/年）",
    "last_opex": "前年度の運用経費（千円）",
    "opex_actual": "今年度の運用経費（千円）",
    "usage": "今年度の利用実績",
    "usage_unit": "利用実績の単位",
    "opex_reason": "増減理由・備考",
    "effect": "効果",
    "issue": "課題",
    "action": "利益最大化のために何をすべきか",
    "cost_per_use": "利用1件あたりの運用経費（千円）",
    # what dxdesk computes
    "achievement": "達成率",
    "progress_rate": "進捗率（基準値比）",
    "computed_grade": "算定評価",
    "grade_basis": "判定基準",
    "execution_rate": "執行率",
    "self_check": "セルフチェック",
    # where a value came from
    "source_file": "出典ファイル",
    "source_cell": "出典セル",
    "received_at": "受付日時",
}

STATUS_NOT_RETURNED = "未提出"
STATUS_RETURNED = "提出済"
STATUS_NEEDS_FIX = "要修正"
STATUS_ACCEPTED = "受理"
STATUSES = (STATUS_NOT_RETURNED, STATUS_RETURNED, STATUS_NEEDS_FIX, STATUS_ACCEPTED)
STATUS_HISTORY = "過年度実績"  # a past year's actual from the plan master (published as it is)

