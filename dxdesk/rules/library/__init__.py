"""The rule library: one module per rule. Every Rule subclass defined here is registered by itself,
so adding a rule is one file here and one entry in the catalogue."""
from __future__ import annotations

import importlib
import pkgutil

from dxdesk.rules.engine import Rule


def _load() -> list[Rule]:
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    found = {cls.code: cls() for cls in _subclasses(Rule) if cls.code}
    return [found[code] for code in sorted(found, key=lambda c: (c[0], int(c[1:])))]


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


RULES: list[Rule] = _load()
UNCHANGED = next(r for r in RULES if r.code == "S8")
SUBMISSION_RULES = [r for r in RULES if r.code != "S8"]
