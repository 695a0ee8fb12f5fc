"""The findings catalogue: one entry per rule — code, default severity, title, message, fix hint.

Messages are str.format templates over the finding's context (file, sheet, cell, value, expected,
and any extra names the rule passes). This is the only place the Japanese wording of a finding lives.
"""
from __future__ import annotations

from dataclasses import dataclass

SEVERITY_LABELS = {"ERR": "エラー", "WARN": "警告", "INFO": "情報"}


@dataclass(frozen=True)
class RuleSpec:
    code: str
    severity: str
    title: str
    message: str
    hint: str = ""


_SPECS = [
    # P: the plan master workbook
    RuleSpec("P1", "ERR", "計画マスタのシートがない",
             "{file}: 必須のシート「{sheet}」がありません。",
             "計画マスタの記入例（templates_xlsx/計画マスタ_記入例.xlsx）と同じシート名にしてください。"),
    RuleSpec("P2", "ERR", "計画マスタの列がない",
             "{file} シート「{sheet}」: 必須の列「{expected}」が見出し行にありません。",
             "見出し行（先頭10行以内）に「{expected}」の列を追加してください。"),
    RuleSpec("P3", "ERR", "計画マスタの値が不正",
             "{file} シート「{sheet}」{cell}（{column}）: 「{value}」は使えません。{reason}",
             "{expected_hint}"),
    RuleSpec("P4", "ERR", "計画マスタのIDが重複",
             "{file} シート「{sheet}」{cell}: ID「{value}」が重複しています（最初の行: {first}）。",
             "ID は一意にしてください。この行は取り込んでいません。"),
    RuleSpec("P5", "ERR", "計画マスタの参照先がない",
             "{file} シート「{sheet}」{cell}（{column}）: 「{value}」が{target}にありません。",
             "{target}に追加するか、正しいIDにしてください。この行は取り込んでいません。"),
    RuleSpec("P6", "WARN", "計画マスタの値を読み替え",
             "{file} シート「{sheet}」{cell}（{column}）: 「{value}」を「{expected}」として取り込みました。",
             "意図どおりか確認してください。"),
    RuleSpec("P7", "WARN", "取り込めなかった行に関連する行",
             "{file}: シート「{sheet}」の「{value}」を取り込めなかったため、それを参照する {count} 行も取り込んでいません。",
             "「{value}」の行の指摘を直して、もう一度取り込んでください。"),
    # S: structure
    RuleSpec("S1", "ERR", "dxdesk の様式ではない",
             "{file}: dxdesk の配布様式ではありません（{reason}）。",
             "配布した様式（{expected}）に記入して提出し直すよう、担当課に依頼してください。"),
    RuleSpec("S2", "ERR", "別の照会・古い様式",
             "{file}: {reason}（ファイル: {value} / 今回: {expected}）。",
             "今回配布した様式に転記して提出し直すよう、担当課に依頼してください。"),
    RuleSpec("S3", "ERR", "課の取り違え・重複",
             "{file}: {reason}",
             "どのファイルが正しいか担当課に確認し、不要なファイルは回収フォルダから除いてください。"),
    RuleSpec("S8", "ERR", "未記入のまま返送",
             "{file}: 入力欄が1つも記入されていません（配布したままの状態です）。",
             "記入してから提出し直すよう、担当課に依頼してください。"),
    # V: values
    RuleSpec("V1", "ERR", "必須項目が空欄",
             "{file} シート「{sheet}」セル {cell}（{field_label}・{row_label}）: 入力されていません。",
             "{field_label}を入力してください。{extra_hint}"),
    RuleSpec("V2", "ERR", "数値でない",
             "{file} シート「{sheet}」セル {cell}（{field_label}・{row_label}）: 「{value}」は数値として読めません。",
             "数値だけを半角で入力してください（単位や注記は備考欄へ）。"),
    RuleSpec("V3", "ERR", "単位が違う",
             "{file} シート「{sheet}」セル {cell}（{field_label}・{row_label}）: 単位「{value}」が指標の単位「{expected}」と違います。",
             "「{expected}」の値に換算して、数値だけを入力してください（自動換算はしません）。"),
    RuleSpec("V4", "ERR", "百分率のあいまいさ",
             "{file} シート「{sheet}」セル {cell}（{field_label}・{row_label}）: 「{value}」が {value_pct}% の意味か {value}% の意味か判断できません（基準値 {baseline}・目標値 {target}）。",
             "百分率は「82.5」のように % の数値で入力してください。"),
    RuleSpec("V5", "ERR", "選択肢にない値",
             "{file} シート「{sheet}」セル {cell}（{field_label}・{row_label}）: 「{value}」は選択肢（{expected}）にありません。",
             "一覧から選んでください。"),
    RuleSpec("N1", "INFO", "表記を読み替え",
             "{file} シート「{sheet}」セル {cell}（{field_label}・{row_label}）: 「{value}」を「{expected}」として読みました。",
             "意図と違う場合は担当課に確認してください。"),
    # K: KPI logic
    RuleSpec("K1", "ERR", "実績値がない",
             "{file} シート「{sheet}」セル {cell}（{row_label}）: {reason}。",
             "実績値を入力してください。把握できない場合は、自己評価を「評価未実施」にして理由を未達理由欄に記入してください。"),
    RuleSpec("K2", "ERR", "自己評価と算定評価の不一致",
             "{file} シート「{sheet}」セル {cell}（{row_label}）: 自己評価「{value}」ですが、数値から算定すると「{expected}」です（{basis}）。",
             "評価を「{expected}」に直すか、評価の根拠を「取組結果」に記入してください（{numbers}）。"),
    RuleSpec("K4", "ERR", "未達理由・今後の対応がない",
             "{file} シート「{sheet}」セル {cell}（{row_label}）: 未達理由・今後の対応が記入されていません（{reason}）。",
             "目標に届かなかった理由と、今後の対応を記入してください。"),
    RuleSpec("L1", "ERR", "進捗状況がない",
             "{file} シート「{sheet}」セル {cell}（{row_label}）: スケジュールで管理する施策（段階{stage}）の進捗状況がありません。",
             "完了・予定どおり・遅れ・未着手 から選んでください。"),
    # R: round and collection
    RuleSpec("R1", "INFO", "再提出",
             "{file}: {section_name}の再提出です（前回 {value} を置き換えました。前回分は履歴に残ります）。",
             ""),
    RuleSpec("R2", "WARN", "未提出",
             "{section_name}（{section}）: 締切 {expected} を過ぎても未提出です。担当: {person} {email}",
             "担当者に連絡し、提出を依頼してください。"),
    RuleSpec("R3", "ERR", "読めないファイル",
             "{file}: {reason}",
             "{expected_hint}"),
]

CATALOGUE: dict[str, RuleSpec] = {spec.code: spec for spec in _SPECS}
