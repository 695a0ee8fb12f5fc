"""argparse in Japanese: usage, option groups, help and error frames of the command line.

argparse takes every frame through gettext (`argparse._`); this parser swaps in a Japanese table while it
builds, formats and parses, and puts the standard function back after — nothing else in the process sees it.
"""
from __future__ import annotations

import argparse
import contextlib
import gettext

MESSAGES = {
    "usage: ": "使い方: ",
    "positional arguments": "引数",
    "options": "オプション",
    "optional arguments": "オプション",
    "show this help message and exit": "このヘルプを表示して終了",
    "show program's version number and exit": "版を表示して終了",
    "%(prog)s: error: %(message)s\n": "%(prog)s: エラー: %(message)s\n",
    "the following arguments are required: %s": "次の引数が必要です: %s",
    "unrecognized arguments: %s": "解釈できない引数があります: %s",
    "argument %(argument_name)s: %(message)s": "引数 %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "選べない値です: %(value)r（%(choices)s から選んでください）",
    "expected one argument": "値を1つ指定してください",
    "expected at least one argument": "値を1つ以上指定してください",
    "expected at most one argument": "値は1つまでです",
    "ignored explicit argument %r": "余分な値 %r は使えません",
    "invalid %(type)s value: %(value)r": "%(type)s として読めない値です: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "あいまいなオプションです: %(option)s（%(matches)s のどれか）",
    "one of the arguments %s is required": "%s のどれかが必要です",
    "not allowed with argument %s": "%s と同時には指定できません",
    "unexpected option string: %s": "想定外のオプションです: %s",
    "%(prog)s: error: %(message)s": "%(prog)s: エラー: %(message)s",
}


# Placeholders shown in usage and help for options that take a value (instead of FY, DEADLINE, ROUND …).
METAVARS = {"workspace": "フォルダ", "fy": "年度", "deadline": "期限", "round": "照会ID", "out": "出力先",
            "by": "氏名", "why": "理由", "section": "課コード", "severity": "重要度"}


def _ja(text: str) -> str:
    return MESSAGES.get(text, gettext.gettext(text))


def _ja_n(singular: str, plural: str, n: int) -> str:
    return _ja(singular if n == 1 else plural)


@contextlib.contextmanager
def japanese():
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _ja, _ja_n
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class JaParser(argparse.ArgumentParser):
    """An ArgumentParser whose frames (使い方, オプション, エラー) are Japanese; sub-parsers inherit it."""

    def __init__(self, *args, **kwargs) -> None:
        with japanese():
            super().__init__(*args, **kwargs)

    def add_argument(self, *args, **kwargs):
        if args and args[0].startswith("-") and "metavar" not in kwargs and "choices" not in kwargs \
                and kwargs.get("action") in (None, "store"):
            dest = kwargs.get("dest") or next((a for a in args if a.startswith("--")), args[0]).lstrip("-")
            if dest.replace("-", "_") in METAVARS:
                kwargs["metavar"] = METAVARS[dest.replace("-", "_")]
        with japanese():
            return super().add_argument(*args, **kwargs)

    def add_subparsers(self, **kwargs):
        with japanese():
            return super().add_subparsers(**kwargs)

    def parse_args(self, args=None, namespace=None):  # says 「解釈できない引数」 itself, outside parse_known_args
        with japanese():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with japanese():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with japanese():
            return super().format_usage()

    def format_help(self) -> str:
        with japanese():
            return super().format_help()

    def error(self, message: str):
        with japanese():
            super().error(message)
