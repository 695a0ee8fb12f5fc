"""Every step of the round is scriptable: the command line, as an office script would call it."""
import csv
import shutil

from dxdesk.cli import main
from dxdesk.outputs.csv_export import COLUMNS

STABLE_COLUMNS = ["年度", "施策ID", "施策名", "指標ID", "指標名", "単位", "基準値", "目標値", "実績値", "達成率",
                  "算定評価", "自己評価"]


def test_round_from_the_command_line(tmp_path, sample_plan_path, capsys, init_args):
    ws = str(tmp_path / "ws")
    assert main(init_args(ws)) == 0
    assert main(["-w", ws, "plan", "import", str(sample_plan_path)]) == 0
    assert main(["-w", ws, "round", "new", "--fy", "R5", "--deadline", "2024-05-17"]) == 0
    assert main(["-w", ws, "distribute"]) == 0
    forms = sorted((tmp_path / "ws" / "out" / "FY2023-1" / "配布").glob("*.xlsx"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(forms[0], inbox)  # returned unchanged
    assert main(["-w", ws, "collect", str(inbox)]) == 0
    assert main(["-w", ws, "status"]) == 0
    assert main(["-w", ws, "findings", "--severity", "ERR"]) == 0
    out = capsys.readouterr().out
    assert "S8 " in out and "入力欄が1つも記入されていません" in out and "V1 " not in out
    assert "未提出" in out and "要修正" in out
    assert "指摘の集計（規則別）:" in out and "S8   未記入のまま返送" in out
    assert main(["-w", ws, "consolidate"]) == 0
    assert (tmp_path / "ws" / "out" / "FY2023-1" / "集約" / "集約_FY2023-1.xlsx").exists()


def test_workspace_in_the_current_folder_and_export_csv_has_stable_columns(tmp_path, sample_plan_path,
                                                                           monkeypatch, capsys, init_args):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DXDESK_WORKSPACE", raising=False)
    assert main(init_args(".")) == 0
    assert main(["plan", "import", str(sample_plan_path)]) == 0
    assert main(["export", "--csv", "--out", "all.csv"]) == 0
    raw = (tmp_path / "all.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader((tmp_path / "all.csv").open(encoding="utf-8-sig")))
    assert list(rows[0])[:12] == STABLE_COLUMNS and list(COLUMNS[:12]) == STABLE_COLUMNS
    assert {r["年度"] for r in rows} == {"2021", "2022"}  # the imported history
    paperless = next(r for r in rows if r["指標名"].startswith("ペーパーレス度") and r["年度"] == "2022")
    # 令和4年度 target 100% (lower is better): 95.1% meets it
    assert (paperless["実績値"], paperless["目標値"], paperless["算定評価"]) == ("95.1", "100", "A")
    assert paperless["判定基準"] == "令和4年度目標"


def test_expected_failures_are_messages_not_tracebacks(tmp_path, capsys, init_args):
    assert main(["-w", str(tmp_path), "status"]) == 1
    assert "ワークスペースがありません" in capsys.readouterr().err
    assert main(init_args(str(tmp_path / "ws"))) == 0
    assert main(["-w", str(tmp_path / "ws"), "plan", "import", str(tmp_path / "nai.xlsx")]) == 1
    assert "ファイルがありません" in capsys.readouterr().err


def test_demo_runs_offline_and_says_where_the_outputs_are(tmp_path, capsys):
    assert main(["-q", "demo", "--out", str(tmp_path / "demo")]) == 0
    out = capsys.readouterr().out
    assert "集約ブック" in out and "未提出" in out and "要修正" in out
    assert list((tmp_path / "demo").rglob("集約_FY2023-1.xlsx"))
    round_dir = tmp_path / "demo" / "workspace" / "out" / "FY2023-1"
    the_set = round_dir / "集約"  # the round's output set
    for pack in ("hq", "public", "audit"):  # the three packs, each as workbook and PDF, and where they are
        assert (the_set / f"{pack}.xlsx").is_file() and (the_set / f"{pack}.pdf").is_file()
        assert str(the_set / f"{pack}.pdf") in out
    assert list((the_set / "差戻し").glob("差戻し_*.xlsx")) and "差戻しブック" in out
    assert list((round_dir / "催促メール").glob("*.eml")) and "催促メール" in out
    assert (round_dir / "回収状況.pdf").is_file()
    assert list((tmp_path / "demo").rglob("opendata_all.json")) and list((tmp_path / "demo").rglob("README.txt"))


def test_collecting_a_folder_with_no_workbook_says_so_and_fails(tmp_path, sample_plan_path, capsys, init_args):
    ws = str(tmp_path / "ws")
    assert main(init_args(ws)) == 0
    assert main(["-w", ws, "plan", "import", str(sample_plan_path)]) == 0
    assert main(["-w", ws, "round", "new", "--fy", "R5", "--deadline", "2024-05-17"]) == 0
    inbox = tmp_path / "回収フォルダ"
    inbox.mkdir()
    capsys.readouterr()
    assert main(["-w", ws, "collect", str(inbox)]) == 1
    out, err = capsys.readouterr()
    assert f"{inbox} に取り込める様式" in err and "0 件を処理しました" not in out
    (inbox / "回答.csv").write_text("課コード,実績値\nS01,12\n", encoding="utf-8")
    assert main(["-w", ws, "collect", str(inbox)]) == 1
    out, err = capsys.readouterr()
    assert "読み飛ばし: 回答.csv" in out and "取り込める様式" in err
