"""The ``check`` use case over a copy of the sample workspace with its Catalan and Spanish translations."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest

from i18n.catalogs.catalog import Entry
from i18n.catalogs.pofile import read_catalog, write_catalog
from i18n.content.checks import CODES, Severity, check_entry
from i18n.core.errors import GlossaryError, UsageError
from i18n.core.languages import parse_language
from i18n.core.states import State
from i18n.core.workspace import Workspace
from i18n.workflow.check import CheckReport, check
from tests.conftest import Run
from tests.tracker_support import write_bytes

REPO = Path(__file__).resolve().parent.parent
GUT = "2026-11-14-gut-feelings"
CLOCK = "2025-12-30-clock-work"
CA_GUT = f"locales/ca/articles/2026/{GUT}.po"
CA_CLOCK = f"locales/ca/articles/2025/{CLOCK}.po"
CA_UI = "locales/ca/LC_MESSAGES/messages.po"
JSON_KEYS = {"article", "language", "entry", "code", "severity", "message", "source", "translation", "file",
             "line", "state", "form"}


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the sample workspace: sources, translated catalogs (ca, es), site and glossary."""
    root = tmp_path / "ws"
    root.mkdir()
    for name in ("i18n.toml", "glossary.toml"):
        shutil.copy(REPO / name, root / name)
    for folder in ("content", "site"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "locales", root / "locales",
                    ignore=lambda folder, names: [n for n in names if n not in ("ca", "es", "templates")]
                    if Path(folder) == REPO / "locales" else [])
    return root


def ws(root: Path) -> Workspace:
    return Workspace.open(root)


def edit(root: Path, catalog: str, key: str, **changes: object) -> Entry:
    """Change one entry of a catalog (as a translator's editor would) and return it as written."""
    path = root / catalog
    old = read_catalog(path)
    entries = []
    changed: Entry | None = None
    for entry in old.entries:
        if entry.key == key and not entry.obsolete:
            entry = dataclasses.replace(entry, **changes)  # type: ignore[arg-type]
            changed = entry
        entries.append(entry)
    assert changed is not None, f"no entry {key} in {catalog}"
    write_catalog(dataclasses.replace(old, entries=tuple(entries)), path)
    return next(e for e in read_catalog(path).entries if e.key == key)


def codes(report: CheckReport) -> list[tuple[str | None, str, str]]:
    return [(p.article, p.entry, p.code) for p in report.problems]


def test_the_sample_translations_have_no_errors(sample: Path) -> None:
    report = check(ws(sample))
    assert report.languages == ("ca", "es")
    assert report.catalogs == 18 and report.entries > 100
    assert not report.has_errors and report.file_errors == ()
    # What the sample's translators did differently from the glossary ("cèl·lules T" for "T cells").
    assert {p.code for p in report.problems} <= {"glossary"}
    assert all(p.severity is Severity.WARNING for p in report.problems)


def test_a_changed_link_a_lost_number_and_a_dropped_placeholder_are_errors(sample: Path) -> None:
    paragraph = "67f53db950"
    edit(sample, CA_GUT, paragraph, msgstr="Ara l'equip espera afegir-hi cèl·lules immunitàries i nervis, per "
         "acostar una mica més el model a l'[intestí viu](https://example.org/research/gut-organoid).")
    edit(sample, CA_GUT, "8399fc1331", msgstr="Una sola biòpsia pot donar més de mil organoides")
    written = edit(sample, CA_UI, _key(sample, CA_UI, "Written by %(author)s"), msgstr="Escrit per l'autor")
    report = check(ws(sample), ws(sample).settings.language("ca"))
    errors = [(p.article, p.entry, p.code) for p in report.errors]
    assert (GUT, paragraph, "links") in errors
    assert (GUT, "8399fc1331", "numbers") in errors
    assert ("@ui", written.key, "placeholders") in errors
    assert report.has_errors
    link = next(p for p in report.errors if p.code == "links")
    assert link.file == CA_GUT and link.language == "ca" and link.state is State.TRANSLATED
    assert link.line == next(e.line for e in read_catalog(sample / CA_GUT).entries if e.key == paragraph)
    assert "https://example.org/research/gut-organoids" in link.message
    assert link.source.startswith("The team now hopes") and link.translation.startswith("Ara l'equip")
    number = next(p for p in report.errors if p.code == "numbers")
    assert "missing from the translation: 1,000" in number.message
    assert (None, written.key, "punctuation") not in codes(report)


def _key(root: Path, catalog: str, msgid: str) -> str:
    return next(e.key for e in read_catalog(root / catalog).entries if e.msgid == msgid)


def test_problems_as_json(sample: Path) -> None:
    edit(sample, CA_GUT, "title", msgstr="Sensacions  viscerals ")
    report = check(ws(sample), ws(sample).settings.language("ca"), (GUT,))
    rows = [json.loads(json.dumps(p.as_dict())) for p in report.problems]
    assert [r["code"] for r in rows] == ["whitespace", "double-space"]
    assert rows[:1] == [{
        "article": GUT, "language": "ca", "entry": "title", "code": "whitespace", "severity": "warning",
        "message": rows[0]["message"], "source": "Gut Feelings", "translation": "Sensacions  viscerals ",
        "file": CA_GUT, "line": rows[0]["line"], "state": "translated", "form": None,
    }]
    assert set(rows[0]) == JSON_KEYS
    assert rows[0]["message"].startswith("Trailing white space is ' ', the source has none.")
    assert not report.has_errors


def test_only_the_named_articles_are_checked(sample: Path) -> None:
    edit(sample, CA_GUT, "title", msgstr="Sensacions viscerals.")
    edit(sample, CA_CLOCK, "title", msgstr="Mecanisme de rellotgeria: com marca el temps un embrió.")
    edit(sample, CA_UI, _key(sample, CA_UI, "Credits"), msgstr="Crèdits.")
    ca = ws(sample).settings.language("ca")
    report = check(ws(sample), ca, (CLOCK,))
    assert codes(report) == [(CLOCK, "title", "punctuation")]
    assert report.catalogs == 1
    everything = check(ws(sample), ca)
    assert {(p.article, p.code) for p in everything.problems if p.code == "punctuation"} == {
        (GUT, "punctuation"), (CLOCK, "punctuation"), ("@ui", "punctuation")}


def test_an_unknown_article_is_a_usage_error(sample: Path) -> None:
    with pytest.raises(UsageError, match="no article '2026-01-01-nope'"):
        check(ws(sample), None, ("2026-01-01-nope",))
    with pytest.raises(UsageError):
        check(ws(sample), None, ("../../etc/passwd",))


def test_an_article_without_a_catalog_in_a_language_is_reported(sample: Path) -> None:
    (sample / f"locales/es/articles/2026/{GUT}.po").unlink()
    report = check(ws(sample), ws(sample).settings.language("es"), (GUT,))
    assert [(e.file, e.message) for e in report.file_errors] == [
        (f"locales/es/articles/2026/{GUT}.po", "no catalog for this article")]


def test_an_unreadable_catalog_is_reported_and_the_rest_checked(sample: Path) -> None:
    (sample / CA_GUT).write_text('msgid "x"\nmsgstr "y\n', encoding="utf-8")
    edit(sample, CA_CLOCK, "title", msgstr="Rellotgeria.")
    report = check(ws(sample), ws(sample).settings.language("ca"))
    assert [e.file for e in report.file_errors] == [CA_GUT]
    assert report.file_errors[0].line == 2
    assert (CLOCK, "title", "punctuation") in codes(report)


def test_machine_and_needs_work_entries_are_checked_untranslated_ones_not(sample: Path) -> None:
    edit(sample, CA_GUT, "title", msgstr="Sensacions *viscerals", flags=("fuzzy",),
         translator_comments=("machine: apertium eng-cat 2026-11-21",))
    edit(sample, CA_GUT, "image-alt", msgstr="Un grup (arrodonit", flags=("fuzzy",))
    edit(sample, CA_GUT, "image-caption", msgstr="")
    report = check(ws(sample), ws(sample).settings.language("ca"), (GUT,))
    found = {(p.entry, p.code.value, p.state.value) for p in report.problems}
    assert ("title", "apertium", "machine") in found
    assert ("image-alt", "brackets", "needs-work") in found
    assert not any(p.entry == "image-caption" for p in report.problems)


def test_a_fuzzy_entry_with_an_empty_translation_is_an_empty_error(sample: Path) -> None:
    # Our writer (like msgcat) drops the fuzzy flag of an empty entry; a hand-edited file can keep it.
    edit(sample, CA_GUT, "image-caption", msgstr="")
    path = sample / CA_GUT
    path.write_text(path.read_text(encoding="utf-8").replace('msgctxt "image-caption"',
                                                             '#, fuzzy\nmsgctxt "image-caption"'), encoding="utf-8")
    report = check(ws(sample), ws(sample).settings.language("ca"), (GUT,))
    assert [(p.entry, p.code.value, p.severity, p.state.value) for p in report.problems] == [
        ("image-caption", "empty", Severity.ERROR, "untranslated")]


def test_plural_form_problems_name_the_form(sample: Path) -> None:
    key = _key(sample, CA_UI, "%(num)d image")
    edit(sample, CA_UI, key, msgstr_plural=("%(num)d imatge", "imatges"))
    report = check(ws(sample), ws(sample).settings.language("ca"))
    problem = next(p for p in report.problems if p.entry == key)
    assert (problem.code, problem.form, problem.source, problem.translation) == (
        "placeholders", 1, "%(num)d images", "imatges")
    assert problem.article == "@ui" and problem.file == CA_UI


def test_consistency_across_catalogs_is_reported_on_each_occurrence(sample: Path) -> None:
    # The same credit line in two articles, translated two ways.
    credit = "Originally published under a CC BY 4.0 licence in Journal of Embryo Imaging, October 2025"
    key = _key(sample, CA_CLOCK, credit)
    gut = read_catalog(sample / CA_GUT)
    extra = Entry(credit, "Publicat originalment amb una llicència CC BY 4.0 a Journal of Embryo Imaging, "
                  "octubre de 2025", msgctxt="credit")
    write_catalog(dataclasses.replace(gut, entries=(*gut.entries, extra)), sample / CA_GUT)
    ca = ws(sample).settings.language("ca")
    report = check(ws(sample), ca)
    found = [(p.article, p.entry, p.severity) for p in report.problems if p.code == "consistency"]
    assert found == [(CLOCK, key, Severity.WARNING), (GUT, key, Severity.WARNING)]
    message = next(p.message for p in report.problems if p.code == "consistency" and p.article == CLOCK)
    assert "'Publicat originalment" in message and CA_GUT in message
    # Checking one article still compares it with the others, and reports only on it.
    only = check(ws(sample), ca, (CLOCK,))
    assert [(p.article, p.code) for p in only.problems if p.code == "consistency"] == [(CLOCK, "consistency")]


def test_configuration_disables_and_changes_severity(sample: Path) -> None:
    edit(sample, CA_GUT, "title", msgstr="Sensacions viscerals.")
    config = sample / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + '\n[checks]\ndisable = ["glossary"]\n\n[checks.severity]\npunctuation = "error"\n',
                      encoding="utf-8")
    report = check(ws(sample))
    assert [(p.code, p.severity) for p in report.problems] == [("punctuation", Severity.ERROR)]
    assert report.has_errors


def test_glossary_file_from_the_config(sample: Path) -> None:
    (sample / "glossary.toml").unlink()
    assert check(ws(sample)).problems == ()  # no glossary: no glossary findings
    (sample / "terms.toml").write_text('[[term]]\nsource = "organoid"\nca = "organoide"\n'
                                       '[[term]]\nsource = "Purkinje"\nkeep = true\n', encoding="utf-8")
    config = sample / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[glossary]\nfile = "terms.toml"\n',
                      encoding="utf-8")
    edit(sample, CA_GUT, "b3fa5c0539", msgstr="Per què fer servir miniòrgans?")
    report = check(ws(sample), ws(sample).settings.language("ca"))
    assert codes(report) == [(GUT, "b3fa5c0539", "glossary")]


def test_a_missing_glossary_named_in_the_config_is_an_error(sample: Path) -> None:
    config = sample / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[glossary]\nfile = "nope.toml"\n',
                      encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"the glossary file 'nope\.toml' does not exist"):
        check(ws(sample))


def test_of_article_groups_problems_for_the_review_queue(sample: Path) -> None:
    edit(sample, CA_GUT, "title", msgstr="Sensacions viscerals.")
    report = check(ws(sample))
    assert [p.entry for p in report.of_article("ca", GUT)] == ["title"]
    assert report.of_article("es", GUT) == ()
    assert report.of_article("ca", GUT)[0] in report.warnings
    assert report.errors == ()


# -- the command line: the list of checks, accepted findings ------------------------------------------

def test_check_list_prints_every_check_as_text_and_json(run: Run) -> None:
    data = json.loads(run("check", "--list", "--json").stdout)
    assert len(data) >= 25 and [d["code"] for d in data] == list(CODES)
    assert all(set(d) == {"code", "severity", "description"} and d["description"] for d in data)
    assert {d["code"]: d["severity"] for d in data}["numbers"] == "error"
    assert {d["code"]: d["severity"] for d in data}["middle-dot"] == "warning"
    lines = run("check", "--list").stdout.splitlines()
    assert len(lines) == len(data) and lines[0].split()[:2] == ["markup", "error"]


@pytest.fixture
def translated(run: Run, workspace_dir: Path, tracker_url: str | None, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small workspace, synced, with the sample's Catalan translation of gut-feelings (on SQLite and on
    PostgreSQL)."""
    run("sync", "-q")  # on the tracker of tracker_url (set and upgraded by the backend fixture)
    write_bytes(workspace_dir / CA_GUT, (REPO / CA_GUT).read_bytes())
    return workspace_dir


NUMBER_ENTRY = "8399fc1331"  # "... more than 1,000 organoids ..."
IN_WORDS = "Una sola biòpsia pot donar més de mil organoides"


def test_a_reviewer_accepts_a_number_finding_with_a_reason(run: Run, translated: Path) -> None:
    edit(translated, CA_GUT, NUMBER_ENTRY, msgstr=IN_WORDS)
    before = json.loads(run("check", "ca", "--article", GUT, "--json", exit_code=3).stdout)
    assert [(p["entry"], p["code"]) for p in before["problems"] if p["severity"] == "error"] == [
        (NUMBER_ENTRY, "numbers")]
    result = run("check", "ca", "--article", GUT, "--accept", f"numbers:{NUMBER_ENTRY}",
                 "--reason", "the number is  written in words", "--json")
    assert f"accepted [numbers] {NUMBER_ENTRY} (coordinator: the number is written in words)" in result.stderr
    data = json.loads(result.stdout)
    assert data["counts"]["error"] == 0 and data["counts"]["accepted"] == 1
    assert [(a["entry"], a["code"], a["reason"], a["by"], a["file"]) for a in data["accepted"]] == [
        (NUMBER_ENTRY, "numbers", "the number is written in words", "coordinator", CA_GUT)]
    # In the PO file: the flag, and the comment with who, when and why; the translation is unchanged.
    entry = next(e for e in read_catalog(translated / CA_GUT).entries if e.key == NUMBER_ENTRY)
    assert "ignore-numbers" in entry.flags and entry.msgstr == IN_WORDS
    assert re.fullmatch(r"ignore-numbers by coordinator \d{4}-\d\d-\d\d: the number is written in words",
                        entry.translator_comments[-1])
    # In the tracker's history: an ``accept`` record that leaves the state as it was.
    history = json.loads(run("log", GUT, "--lang", "ca", "--json").stdout)["history"]
    accepts = [h for h in history if h["reason"] == "accept"]
    assert [(h["entry"], h["actor"], h["before"], h["after"]) for h in accepts] == [
        (NUMBER_ENTRY, "coordinator", "translated", "translated")]
    # Review and status show it: a count in the queue and the article list, the reason beside the entry.
    queue = json.loads(run("review", "ca", "--json").stdout)
    assert {a["article"]: a["checks"] for a in queue["articles"]}[GUT] == {"error": 0, "warning": 0, "accepted": 1}
    assert "0 errors, 0 warnings, 1 accepted  ready" in run("review", "ca").stdout
    entries = json.loads(run("review", "ca", GUT, "--json").stdout)["entries"]
    assert {e["entry"]: e["accepted"] for e in entries}[NUMBER_ENTRY] == [
        {"code": "numbers", "reason": "the number is written in words", "by": "coordinator"}]
    assert "accepted [numbers] by coordinator: the number is written in words" in run("review", "ca", GUT).stdout
    articles = json.loads(run("status", "ca", "--by", "article", "--json").stdout)["articles"]
    assert {a["article"]: a["accepted"] for a in articles} == {GUT: 1, "2025-12-30-clock-work": 0,
                                                               "2026-11-18-branching-out": 0}
    assert "1 accepted" in run("status", "ca", "--by", "article").stdout
    # Only the accepted check is silenced: a changed link on the same entry is still an error.
    edit(translated, CA_GUT, NUMBER_ENTRY, msgstr=IN_WORDS + " https://example.org/x")
    after = json.loads(run("check", "ca", "--article", GUT, "--json", exit_code=3).stdout)
    assert [(p["entry"], p["code"]) for p in after["problems"] if p["severity"] == "error"] == [
        (NUMBER_ENTRY, "links")]


@pytest.mark.parametrize(("args", "message"), [
    (("--accept", f"numbers:{NUMBER_ENTRY}"), "needs a LANGUAGE, exactly one --article and a --reason"),
    (("--accept", f"number:{NUMBER_ENTRY}", "--reason", "x"), "expected CODE:KEY"),
    (("--accept", "numbers:0000000000", "--reason", "x"), "no translated entry '0000000000'"),
    (("--accept", f"numbers:{NUMBER_ENTRY}", "--reason", "  "), "--reason must say why"),
])
def test_accept_usage_errors_write_nothing(run: Run, translated: Path, args: tuple[str, ...], message: str) -> None:
    catalog = (translated / CA_GUT).read_bytes()
    result = run("check", "ca", "--article", GUT, *args, exit_code=2)
    assert message in result.stderr
    assert (translated / CA_GUT).read_bytes() == catalog


@pytest.mark.parametrize(("comments", "flags", "codes"), [
    (("ignore-numbers by Jordi Vidal 2026-12-03: in words",), ("ignore-numbers",), set()),
    (("ignore-numbers: written by hand, no name",), (), set()),  # the comment is what counts
    ((), ("ignore-numbers",), set()),  # a flag alone, as Weblate writes it
    (("ignore-number: a typo in the code",), (), {"numbers"}),
    (("ignore-numbers is a check I like",), (), {"numbers"}),  # an ordinary comment
])
def test_accepted_checks_do_not_run(comments: tuple[str, ...], flags: tuple[str, ...], codes: set[str]) -> None:
    ca, en = parse_language("ca"), parse_language("en")
    entry = Entry("more than 1,000 organoids", "més de mil organoides", flags=flags, translator_comments=comments)
    assert {f.code for f in check_entry(entry, ca, en)} == codes
