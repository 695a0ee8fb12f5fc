"""docs/rulebook.md, written from the catalogue (one source): `python -m dxdesk.rules.docs docs/rulebook.md`."""
from __future__ import annotations

import sys
from pathlib import Path

from dxdesk.rules.book import DEFAULT_PARAMS
from dxdesk.rules.catalogue import CATALOGUE, SEVERITY_LABELS
from dxdesk.rules.scales import SCALES

HEADER = """# 規則集（点検ルール）

このファイルは `dxdesk/rules/catalogue.py` から生成しています（`python -m dxdesk.rules.docs docs/rulebook.md`）。
重要度・点検の有無・閾値・評価尺度は、プログラムを変えずに変更できます:

```bash
dxdesk rules export 規則集.xlsx   # 編集用に書き出す（シート: 規則・閾値・評価尺度）
dxdesk rules import 規則集.xlsx   # 取り込む（不正な行は B1 の指摘、その行は現在の設定のまま）
dxdesk check                      # 提出済みの分を新しい規則集で点検し直す
dxdesk waive S01 K2 進捗報告!Q11 --why "本部会議で了承"   # エラーを1件免除（誰が・いつ・なぜ を記録）
dxdesk findings --summary          # 規則別・課別の件数
```

エラー（ERR）は修正または免除まで受理しません。警告（WARN）は確認のうえ `dxdesk accept 課コード` で受理。情報（INFO）は表示のみ。
各提出には、点検に使った規則集の版（`dxdesk status` の「規則集」列）が記録されます。

"""


def render() -> str:
    lines = [HEADER, "| コード | 既定の重要度 | 項目 | 文面 | 対応 |", "|---|---|---|---|---|"]
    for code, spec in CATALOGUE.items():
        message = spec.message.replace("|", "｜")
        lines.append(f"| {code} | {SEVERITY_LABELS[spec.severity]} | {spec.title} | {message} | {spec.hint} |")
    lines += ["", "## 閾値", "", "| コード | 設定 | 既定値 |", "|---|---|---|"]
    lines += [f"| {code} | {name} | {value:g} |" for code, params in DEFAULT_PARAMS.items()
              for name, value in params.items()]
    lines += ["", "## 評価尺度", "", "| キー | 尺度 | 選択肢 | 算定評価 A/B/C/D の表示 |", "|---|---|---|---|"]
    lines += [f"| {s.key} | {s.title} | {'・'.join(s.choices)} | {'/'.join(s.shown[g] for g in 'ABCD')} |"
              for s in SCALES.values()]
    for s in SCALES.values():
        lines += ["", f"{s.key} の意味: " + "、".join(f"{g} {m}" for g, m in s.meanings.items())]
    lines += ["", "事務局独自の評価尺度は、規則集ブック（`dxdesk rules export`）の「評価尺度定義」シートに 1 評価 1 行で"
              "定義します（尺度・名称・評価・意味・算定評価・未達理由）。算定評価は、その評価が数値から算定した"
              " A〜D のどれに当たるか（複数は「・」区切り、中止などの手で選ぶ評価は空欄）、未達理由「必須」は"
              "未達理由・今後の対応が必要な評価です。A〜D のどれにも当たる評価がない尺度は取り込みません。"
              "「評価尺度」シートで使う尺度を選びます。計画マスタの評価尺度が組み込みにも定義にもないときは指摘（P3）になります。"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rulebook.md").write_text(render(), encoding="utf-8")
