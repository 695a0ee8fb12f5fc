"""The rule book as configuration: per rule on/off, severity and thresholds, plus the grade scale.

The DX office edits it as a workbook (`dxdesk rules export` / `dxdesk rules import`); the workspace keeps
every version used, and each check records the version it ran with.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace

from dxdesk.rules.catalogue import CATALOGUE
from dxdesk.rules.scales import Scale, define_scale, definition_rows, register

# Thresholds a rule reads with ctx.param(code, name); the office may change them.
DEFAULT_PARAMS: dict[str, dict[str, float]] = {
    "M2": {"執行率の下限": 0.5},
    "V6": {"前年度比の上限倍率": 10.0, "目標値比の上限倍率": 10.0},
    "M10": {"計画の予算額との比の上限": 20.0},
    "K6": {"連続年数": 2},
    "M7": {"前年度比の上限倍率": 1.5},
}


@dataclass(frozen=True)
class RuleSetting:
    code: str
    enabled: bool
    severity: str
    params: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleBook:
    settings: dict[str, RuleSetting]
    grade_scale: str = "AD2"
    scales: tuple[Scale, ...] = ()  # the office's own scales (評価尺度定義), beside the built-in ones

    def setting(self, code: str) -> RuleSetting:
        return self.settings.get(code) or default_setting(code)

    def param(self, code: str, name: str) -> float:
        return self.setting(code).params.get(name, DEFAULT_PARAMS.get(code, {}).get(name))

    def as_json(self) -> str:
        data = {"grade_scale": self.grade_scale,
                "rules": {c: {"enabled": s.enabled, "severity": s.severity, "params": s.params}
                          for c, s in sorted(self.settings.items())}}
        if self.scales:
            data["scales"] = [{"key": sc.key, "title": sc.title, "letters": [list(r) for r in definition_rows(sc)]}
                              for sc in self.scales]
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @property
    def version(self) -> str:
        return hashlib.sha256(self.as_json().encode("utf-8")).hexdigest()[:12]

    def with_setting(self, setting: RuleSetting) -> "RuleBook":
        return replace(self, settings={**self.settings, setting.code: setting})


def default_setting(code: str) -> RuleSetting:
    return RuleSetting(code, True, CATALOGUE[code].severity,
                       {k: float(v) for k, v in DEFAULT_PARAMS.get(code, {}).items()})


def default_rulebook(grade_scale: str = "AD2") -> RuleBook:
    return RuleBook({code: default_setting(code) for code in CATALOGUE}, grade_scale)


def from_json(text: str) -> RuleBook:
    """The stored rule book; its own scales are registered, so every form, rule and output finds them."""
    data = json.loads(text)
    scales = tuple(define_scale(item["key"], item["title"],
                                [(l, m, tuple(stands), bool(cause)) for l, m, stands, cause in item["letters"]])
                   for item in data.get("scales", []))
    register(scales)
    book = replace(default_rulebook(data.get("grade_scale", "AD2")), scales=scales)
    for code, item in data.get("rules", {}).items():
        if code in CATALOGUE:
            book = book.with_setting(RuleSetting(code, bool(item["enabled"]), item["severity"],
                                                 {k: float(v) for k, v in item.get("params", {}).items()}))
    return book
