"""Lazy imports (issue 12): an import inside a function is there only for start-up time, and says so.

Every import statement inside a function of ``i18n/`` carries a ``# lazy: <why>`` comment on its line (on
the first line of a parenthesised one); any other import belongs at the top of its module. The paths the
lazy imports protect are checked here too: ``i18n --help`` and every command's ``--help`` load none of the
slow libraries (the no-op ``i18n status`` path is checked in tests/test_reconcile.py).
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "i18n"
MARKER = "# lazy:"

#: Files whose lazy imports may go unannotated for a while (e.g. while another change rewrites them): none.
PENDING: set[str] = set()

#: What `--help` must not load: the slow libraries, each behind the one module that wraps it.
SLOW = ("sqlalchemy", "alembic", "babel", "jinja2", "polib", "markdown_it", "deep_translator", "deepl")


def function_imports(source: str) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement inside a function (at any depth, nested blocks and classes included)."""

    def walk(node: ast.AST, in_function: bool) -> Iterator[ast.Import | ast.ImportFrom]:
        for child in ast.iter_child_nodes(node):
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                yield child
            yield from walk(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    yield from walk(ast.parse(source), False)


def unannotated(source: str) -> list[int]:
    """The line numbers of the function-level imports whose (first) line lacks a ``# lazy:`` comment."""
    lines = source.splitlines()
    return [node.lineno for node in function_imports(source) if MARKER not in lines[node.lineno - 1]]


def test_the_walk_finds_imports_in_functions_only() -> None:
    source = textwrap.dedent("""\
        import os
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            import json


        def f() -> None:
            import csv  # lazy: a reason
            if True:
                from io import (  # lazy: another reason
                    StringIO,
                )
            import shutil


        class C:
            import array

            def g(self) -> None:
                def h() -> None:
                    import uuid
                from zoneinfo import (
                    ZoneInfo,  # lazy: not on the first line, so it does not count
                )
        """)
    assert [node.lineno for node in function_imports(source)] == [8, 10, 13, 21, 22]
    assert unannotated(source) == [13, 21, 22]


def test_every_import_inside_a_function_says_why_it_is_lazy() -> None:
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(REPO).as_posix()
        if name not in PENDING:
            missing += [f"{name}:{line}" for line in unannotated(path.read_text(encoding="utf-8"))]
    assert not missing, ("imports inside functions without a '# lazy: <why>' comment (hoist them to the "
                         "module's top unless start-up time needs them there):\n" + "\n".join(missing))


def test_the_pending_files_exist() -> None:
    """The allow-list names real files (a renamed one would silently escape the check)."""
    assert all((REPO / name).is_file() for name in PENDING)


def test_help_loads_no_slow_library() -> None:
    """``i18n --help`` and every command's ``--help`` import none of the slow libraries."""
    script = textwrap.dedent(f"""
        import sys
        import click
        from click.testing import CliRunner
        from i18n.cli.commands import cli

        def paths(group, prefix):
            for name, command in group.commands.items():
                yield [*prefix, name]
                if isinstance(command, click.Group):
                    yield from paths(command, [*prefix, name])

        runner = CliRunner()
        helped = 0
        for args in [[], *paths(cli, [])]:
            result = runner.invoke(cli, [*args, "--help"])
            assert result.exit_code == 0 and "Usage:" in result.output, (args, result.output)
            helped += 1
        print(helped, sorted(m for m in {SLOW!r} if m in sys.modules))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    helped, loaded = done.stdout.strip().split(" ", 1)
    assert int(helped) > 20  # the group, every command and the db subcommands
    assert loaded == "[]"
