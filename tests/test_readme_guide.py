"""The README (issue 8 item 10): the Quick start's two commands stay at the top, and the Japanese operating guide
shows only commands the command line really accepts."""
import re
import shlex
from pathlib import Path

from dxdesk.cli import build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_quick_start_is_first():
    block = README.split("```bash\n", 1)[1].split("```", 1)[0]
    assert block == "./scripts/setup.sh && .venv/bin/dxdesk demo\n./scripts/setup.sh && .venv/bin/python -m pytest\n"
    assert README.index("## Quick start") < README.index("## 運用ガイド")


def test_every_command_of_the_guide_parses():
    guide = README.split("## 運用ガイド", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for block in re.findall(r"```bash\n(.*?)```", guide, re.S)
                for line in block.splitlines() if line.strip().startswith("dxdesk ")]
    assert len(commands) >= 15
    parser = build_parser()
    for command in commands:
        args = parser.parse_args(shlex.split(command)[1:])  # exits (SystemExit) on anything it does not accept
        assert callable(args.func), command
