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
    RuleSpec("B1", "ERR", "規則集の値が不正",
             "{file} シート「{sheet}」{cell}: 「{value}」は使えません。{reason}",
             "直してから、もう一度 dxdesk rules import してください。この行は取り込んでいません（現在の設定のまま）。"),
    # S: structure
    RuleSpec("S1", "ERR", "dxdesk の様式ではない",
             "{file}: dxdesk の配布様式ではありません（{reason}）",
             "{expected_hint}"),
    RuleSpec("S2", "ERR", "別の照会・古い様式",
             "{file}: {reason}（ファイル: {value} / 今回: {expected}）。",
             "今回配布した様式に転記して提出し直すよう、担当課に依頼してください。"),
    RuleSpec("S3", "ERR", "課の取り違え・重複",
             "{file}: {reason}",
             "どのファイルが正しいか担当課に確認し、不要なファイルは回収フォルダから除いてください。"),
    RuleSpec("S4", "ERR", "変更できないセルの変更",
             "{file} シート「{sheet}」セル {cell}（{field_label}・{row_label}）: 配布時の「{expected}」が「{value}」に変わっています。",
             "配布時の値に戻してください。計画の値に誤りがある場合は、提出先に連絡してください。"),
    RuleSpec("S5", "WARN", "シート・行・列の変更",
             "{file} シート「{sheet}」: {reason}。",
             "次回からは様式の構成を変えずに入力してください。読み取った値が正しいか確認してください。"),
    RuleSpec("S6", "ERR", "入力欄が Excel のエラー",
             "{file} シート「{sheet}」セル {cell}（{field_label}・{row_label}）: Excel のエラー「{value}」になっています。",
             "エラーの原因（0 での割り算、削除した参照など）を直し、値を入力してください。"),
    RuleSpec("S9", "ERR", "数式の計算結果がない",
             "{file} シート「{sheet}」セル {cell}（{field_label}・{row_label}）: 数式が入っていますが、計算結果が保存されていません（Excel 以外のプログラムで保存された可能性があります）。",
             "Excel で開いて保存し直すか、数式ではなく値を入力してください。"),
    RuleSpec("S7", "WARN", "様式外のシート・データ",
             "{file} {sheet}{cell}: {reason}。",
             "必要な内容は様式の入力欄（取組結果など）に記入してください。"),
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
    RuleSpec("K3", "WARN", "年度目標と最終目標で評価が分かれる",
             "{file} シート「{sheet}」セル {cell}（{row_label}）: 今年度目標（{year_target}）では「{value}」、最終目標（{target}）では「{expected}」です。評価は今年度目標で判定しています。",
             "どちらの目標で評価したかを取組結果に明記してください。"),
    RuleSpec("K4", "ERR", "未達理由・今後の対応がない",
             "{file} シート「{sheet}」セル {cell}（{row_label}）: 未達理由・今後の対応が記入されていません（{reason}）。",
             "目標に届かなかった理由と、今後の対応を記入してください。"),
    RuleSpec("K5", "WARN", "累計値の減少",
             "{file} シート「{sheet}」セル {cell}（{row_label}）: 累計の指標なのに前年度（{expected}）より減っています（{value}）。",
             "累計値（計画期間の合計）を入力しているか確認してください。"),
    RuleSpec("K6", "WARN", "2年続けて0または横ばい",
             "{file} シート「{sheet}」セル {cell}（{row_label}）: 実績値が{reason}（{value}）。",
             "施策や指標の見直しを検討してください。"),
    RuleSpec("K7", "WARN", "アウトカム指標がない",
             "{file}（{row_label}）: KPI で評価する施策ですが、指標がアウトプット（活動量）だけです。",
             "市民にとっての成果を表すアウトカム指標の設定を検討してください（計画マスタの修正）。"),
    RuleSpec("K8", "WARN", "拡大期の維持目標",
             "{file}（{row_label}）: 拡大期（段階2）の施策ですが、目標値が基準値と同じ（{value}）です。",
             "拡大期にふさわしい目標か、段階の設定が正しいか確認してください。"),
    RuleSpec("K9", "WARN", "実証・検討段階の施策",
             "{file}（{row_label}）: 施策名・概要に「{value}」とありますが、段階が2（拡大期）です。",
             "実証・検討・試行の段階なら、段階1（構築期）でスケジュール管理することを検討してください。"),
    RuleSpec("K11", "INFO", "再掲の指標",
             "{file} シート「{sheet}」（{row_label}）: 再掲の指標です（元: {expected}）。集計では元の指標として1回だけ数えます。",
             ""),
    RuleSpec("L1", "ERR", "進捗状況がない",
             "{file} シート「{sheet}」セル {cell}（{row_label}）: スケジュールで管理する施策（段階{stage}）の進捗状況がありません。",
             "完了・予定どおり・遅れ・未着手 から選んでください。"),
    RuleSpec("L3", "WARN", "安定期で目標を下回る",
             "{file} シート「{sheet}」セル {cell}（{row_label}）: 安定期（段階3）の施策ですが、実績値 {value} が目標値 {expected} を下回っています。",
             "環境変化対応期（段階4）への移行を検討してください。"),
    RuleSpec("V6", "WARN", "ありえない・大きすぎる値",
             "{file} シート「{sheet}」セル {cell}（{field_label}・{row_label}）: {reason}（{value}）。",
             "入力した値と単位を確認してください。正しければ取組結果に理由を記入してください。"),
    # M: money (千円)
    RuleSpec("M2", "WARN", "執行率が低い",
             "{file} シート「{sheet}」セル {cell}（{row_label}）: 執行率が {value}（予算 {budget} 千円・決算 {settlement} 千円）で、基準の {expected} を下回っていますが、理由がありません。",
             "執行率が低い理由を「執行率の理由・備考」に記入してください。"),
    RuleSpec("M3", "WARN", "予算を超える決算",
             "{file} シート「{sheet}」セル {cell}（{row_label}）: 決算額 {value} 千円が予算額 {expected} 千円を超えていますが、補正予算の記入がありません。",
             "補正予算の額を「うち補正額」に記入するか、理由を備考に記入してください。"),
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
