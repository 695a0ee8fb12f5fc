"""A small mutation run (not in CI): change one operator or constant at a time in a module, run the tests
that cover it, and list the mutants the tests did not kill.

    .venv/bin/python tools/mutate.py dxdesk/rules/kpi.py tests/unit/test_kpi.py tests/unit/test_kpi_numbers.py
    .venv/bin/python tools/mutate.py --list dxdesk/normalize.py          # only show the mutants
    .venv/bin/python tools/mutate.py --lines 18,31 dxdesk/intake/parse.py tests/unit/test_parse.py  # re-check some

Each mutant is written into a copy of the repository (the working tree is never touched), the copy put
first on PYTHONPATH, and the given tests run with -x. Mutations: comparison operators (< <= > >= == !=
swapped with their neighbours), arithmetic (+ − × ÷ swapped), and/or swapped, `not` dropped, numbers
changed (n → n+1, 0 ↔ 1), string constants in comparisons and returns replaced, `return x` → `return None`.
"""
from __future__ import annotations

import argparse
import ast
import copy
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMPARE_SWAPS = {ast.Lt: (ast.LtE, ast.Gt), ast.LtE: (ast.Lt, ast.GtE), ast.Gt: (ast.GtE, ast.Lt),
                 ast.GtE: (ast.Gt, ast.LtE), ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,),
                 ast.In: (ast.NotIn,), ast.NotIn: (ast.In,), ast.Is: (ast.IsNot,), ast.IsNot: (ast.Is,)}
BINOP_SWAPS = {ast.Add: (ast.Sub,), ast.Sub: (ast.Add,), ast.Mult: (ast.Div,), ast.Div: (ast.Mult,),
               ast.FloorDiv: (ast.Mult,), ast.Mod: (ast.Mult,)}


def mutants(tree: ast.Module):
    """Yield (line, description, mutated tree) for every single-point mutation."""
    nodes = [n for n in ast.walk(tree) if hasattr(n, "lineno")]
    for index, node in enumerate(nodes):
        for description, change in _changes(node):
            mutated = copy.deepcopy(tree)
            target = [n for n in ast.walk(mutated) if hasattr(n, "lineno")][index]
            change(target)
            yield node.lineno, description, mutated


def _changes(node):
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for new in COMPARE_SWAPS.get(type(op), ()):
                yield f"{type(op).__name__} → {new.__name__}", _set_op(i, new)
    elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:
        for new in BINOP_SWAPS[type(node.op)]:
            yield f"{type(node.op).__name__} → {new.__name__}", lambda n, new=new: setattr(n, "op", new())
    elif isinstance(node, ast.BoolOp):
        new = ast.Or if isinstance(node.op, ast.And) else ast.And
        yield f"{type(node.op).__name__} → {new.__name__}", lambda n, new=new: setattr(n, "op", new())
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
        yield f"drop {type(node.op).__name__}", _drop_unary
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float) and not isinstance(node.value, bool):
        new = 1 if node.value == 0 else (0 if node.value == 1 else node.value + 1)
        yield f"{node.value!r} → {new!r}", lambda n, new=new: setattr(n, "value", new)
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        yield f"{node.value} → {not node.value}", lambda n: setattr(n, "value", not n.value)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str) and 0 < len(node.value) <= 12 \
            and getattr(node, "_in_logic", False):
        yield f"{node.value!r} → 'XX'", lambda n: setattr(n, "value", "XX")
    elif isinstance(node, ast.Return) and node.value is not None \
            and not (isinstance(node.value, ast.Constant) and node.value.value is None):
        yield "return None", lambda n: setattr(n, "value", ast.Constant(None))


def _set_op(i, new):
    def change(node):
        node.ops[i] = new()
    return change


def _drop_unary(node):
    # replace the UnaryOp's content in place: turn `not x` into `x` by making it a double negation-free copy
    node.op = ast.UAdd() if isinstance(node.op, ast.USub) else ast.Not()
    if isinstance(node.op, ast.Not):
        node.operand = ast.UnaryOp(op=ast.Not(), operand=node.operand)


def mark_logic_strings(tree: ast.Module) -> None:
    """Strings worth mutating: those compared, tested for membership, or returned — not messages."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for part in [node.left, *node.comparators]:
                for sub in ast.walk(part):
                    if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                        sub._in_logic = True


def run(module: Path, tests: list[str], list_only: bool, timeout: int, lines: set[int] | None = None) -> int:
    source = (REPO / module).read_text(encoding="utf-8")
    tree = ast.parse(source)
    mark_logic_strings(tree)
    found = [x for x in mutants(tree) if not lines or x[0] in lines]
    print(f"{module}: {len(found)} mutants", flush=True)
    if list_only:
        for line, description, _ in found:
            print(f"  line {line}: {description}")
        return 0
    with tempfile.TemporaryDirectory(prefix="dxdesk-mutate-") as tmp:
        copy_root = Path(tmp) / "repo"
        shutil.copytree(REPO, copy_root, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "out",
                                                                        "*.pyc", ".hypothesis"))
        env = {**os.environ, "PYTHONPATH": str(copy_root), "PYTHONDONTWRITEBYTECODE": "1"}
        cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *tests]
        baseline = subprocess.run(cmd, cwd=copy_root, env=env, capture_output=True, timeout=timeout)
        if baseline.returncode != 0:
            print("the tests fail without a mutant:\n" + baseline.stdout.decode()[-2000:])
            return 2
        survivors = []
        for number, (line, description, mutated) in enumerate(found, 1):
            (copy_root / module).write_text(ast.unparse(mutated), encoding="utf-8")
            try:
                result = subprocess.run(cmd, cwd=copy_root, env=env, capture_output=True, timeout=timeout)
                killed = result.returncode != 0
            except subprocess.TimeoutExpired:
                killed = True  # an endless loop is caught by any test run
            if not killed:
                survivors.append((line, description))
            print(f"  [{number}/{len(found)}] line {line}: {description} — {'killed' if killed else 'SURVIVED'}",
                  flush=True)
        (copy_root / module).write_text(source, encoding="utf-8")
    print(f"{module}: {len(found) - len(survivors)} of {len(found)} killed; survivors:")
    for line, description in survivors:
        print(f"  line {line}: {description}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("module", type=Path, help="module to mutate, relative to the repository root")
    ap.add_argument("tests", nargs="*", help="test files to run against each mutant")
    ap.add_argument("--list", action="store_true", help="list the mutants without running the tests")
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--lines", default="", help="only the mutants on these lines (comma-separated): to re-check "
                                                "the survivors of a run after adding tests")
    args = ap.parse_args(argv)
    lines = {int(n) for n in args.lines.split(",") if n.strip()}
    return run(args.module, args.tests, args.list, args.timeout, lines)


if __name__ == "__main__":
    raise SystemExit(main())
