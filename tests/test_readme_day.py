"""The README's day, run for real: every command of its "A day with i18n" section, in order, on a fresh
``i18n init`` workspace (no config edit), to a published HTML, Markdown and JSON mirror.

The commands are read from the README itself (the ``console`` blocks between ``<!-- day:start -->`` and
``<!-- day:end -->``), so the README cannot drift from what the tool does: a command that fails, exits with
another code than the README says (``# exits 3``), or no longer prints a line the README shows, fails here.
``poedit FILE`` stands for the translator's editor: :func:`translate_in_editor` saves the sample's human
translations into FILE as a translator would (text typed, fuzzy cleared, the file replaced at once).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from i18n.catalogs.pofile import read_catalog, write_catalog
from i18n.cli.commands import main
from tests.conftest import REPO
from tests.tracker_support import sqlite_only

README = REPO / "README.md"
#: Commands whose output depends on what is installed here (Apertium or not): their shown lines are examples.
VARIABLE_OUTPUT = ("pretranslate", "engines")


@dataclass(frozen=True)
class Step:
    """One ``$ command`` of the README's day, what it shows after it, and the exit code it says it ends with."""

    argv: tuple[str, ...]
    shown: tuple[str, ...]
    exit_code: int


def readme_day(text: str) -> list[Step]:
    """The README's day: each ``$ ...`` line of its console blocks, with the output lines shown under it."""
    section = text.split("<!-- day:start -->", 1)[1].split("<!-- day:end -->", 1)[0]
    steps: list[Step] = []
    for block in re.findall(r"```console\n(.*?)```", section, flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                command, _, comment = line[2:].partition("  #")
                exits = re.search(r"exits (\d)", comment)
                steps.append(Step(tuple(shlex.split(command)), (), int(exits.group(1)) if exits else 0))
            elif line.strip() and steps:
                steps[-1] = replace(steps[-1], shown=(*steps[-1].shown, line.strip()))
    return steps


def translate_in_editor(path: Path, translator: str = "Marta Puig <marta.puig@example.org>") -> None:
    """What a translator does in Poedit: type a translation into every entry (here: the sample's human one),
    clear ``fuzzy``, save (Poedit sets Last-Translator). Entries the sample has not translated stay as they are."""
    at = path.parts.index("locales")
    sample = REPO.joinpath("locales", *path.parts[at + 1:])  # locales/<lang>/articles/<yyyy>/<id>.po
    human = {e.identity: e for e in read_catalog(sample).entries if e.translated and not e.fuzzy}
    catalog = read_catalog(path)
    entries = []
    for entry in catalog.entries:
        done = human.get(entry.identity)
        if done is not None and not entry.obsolete:
            entry = replace(entry, msgstr=done.msgstr, msgstr_plural=done.msgstr_plural).with_flag("fuzzy", False)
        entries.append(entry)
    write_catalog(replace(catalog, entries=tuple(entries)).with_header("Last-Translator", translator), path)


def test_translate_in_editor_clears_fuzzy_and_types_the_sample_text(tmp_path: Path) -> None:
    folder = tmp_path / "locales" / "ca" / "articles" / "2026"
    folder.mkdir(parents=True)
    path = folder / "2026-11-14-gut-feelings.po"
    sample = read_catalog(REPO / "locales/ca/articles/2026/2026-11-14-gut-feelings.po")
    emptied = [replace(e, msgstr="draft", flags=("fuzzy",)) for e in sample.entries]
    write_catalog(replace(sample, entries=tuple(emptied)), path)
    translate_in_editor(path)
    assert [e.msgstr for e in read_catalog(path).entries] == [e.msgstr for e in sample.entries]
    assert not any(e.fuzzy for e in read_catalog(path).entries)


def test_the_readme_day_has_every_step() -> None:
    steps = readme_day(README.read_text(encoding="utf-8"))
    commands = [s.argv[1] if s.argv[0] == "i18n" else s.argv[0] for s in steps]
    for step in ("init", "sync", "pretranslate", "poedit", "check", "review", "approve", "reject", "publish",
                 "export", "report", "daily"):
        assert step in commands, f"the README's day lacks '{step}'"
    assert commands.index("sync") < commands.index("pretranslate") < commands.index("poedit") \
        < commands.index("check") < commands.index("approve") < commands.index("publish") < commands.index("report")


def test_the_readme_day_runs_on_an_init_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    sqlite_only(monkeypatch)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1794639600")  # 2026-11-14 07:00 UTC, the README's morning
    monkeypatch.setenv("I18N_USER", "Jordi Vidal")
    workspace = tmp_path / "site"
    workspace.mkdir()
    for step in readme_day(README.read_text(encoding="utf-8")):
        if step.argv[0] == "poedit":
            translate_in_editor(workspace / step.argv[1])
            continue
        if step.argv[0] == "cp":  # the team's own article: here, one of the sample's
            *sources, folder = step.argv[1:]
            target = workspace / folder
            target.mkdir(parents=True, exist_ok=True)
            for name in (Path(source).name for source in sources):
                (target / name).write_bytes(next((REPO / "content").rglob(name)).read_bytes())
            continue
        assert step.argv[0] == "i18n", step
        with pytest.raises(SystemExit) as exited:
            main(["-C", str(workspace), *step.argv[1:]])
        out, err = capsys.readouterr()
        printed = (out + err).replace(f"{workspace}/", "").replace(str(workspace), ".")
        assert int(exited.value.code or 0) == step.exit_code, (step.argv, printed)
        if step.argv[1] in VARIABLE_OUTPUT:
            continue
        lines = {line.strip() for line in printed.splitlines()}
        for shown in step.shown:
            if "..." not in shown and "…" not in shown:
                assert shown in lines, f"'{' '.join(step.argv)}' no longer prints {shown!r}; it printed:\n{printed}"

    article = "2026/2026-11-14-gut-feelings"
    for mirror, page in (("ca-html", f"{article}.html"), ("ca-markdown", f"{article}.md"),
                         ("ca-json", f"{article}.json")):
        text = (workspace / "build/mirrors" / mirror / page).read_text(encoding="utf-8")
        assert "Sensacions viscerals" in text, (mirror, text[:300])  # the translator's title, approved
    assert not list((workspace / "build/mirrors/es-html").rglob("*.html"))  # Spanish: nothing approved
    assert (workspace / "build/report/index.html").is_file()
    assert "not-ready" in (workspace / ".i18n/daily.log").read_text(encoding="utf-8")
