"""Large input: the PO reader is linear (a long field is read as one run of lines), and files above the size
limit are refused before anything is read or written (issue 15, point 1). The timing itself is
``benchmarks/parse.py``; these tests check what is read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n.catalogs.catalog import Entry
from i18n.catalogs.pofile import decode_catalog, parse_catalog, read_catalog
from i18n.catalogs.popolib import polib_catalog
from i18n.catalogs.povalidate import Parser
from i18n.core.errors import CatalogSyntaxError, FileTooLarge
from i18n.core.limits import MAX_FILE_BYTES
from tests.conftest import Run

PATH = Path("big.po")
WORDS = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "


def long_field(lines: int, odd: str = "") -> tuple[str, str]:
    """A field of ``lines`` continuation lines (``odd`` every 1,000th line instead): its PO lines, its value."""
    po: list[str] = []
    value: list[str] = []
    for number in range(lines):
        if odd and number % 1000 == 999:
            po.append(odd)
            value.append(parse_catalog(f'msgid {odd}\nmsgstr ""\n', PATH).entries[0].msgid)
        else:
            po.append(f'"{WORDS}{number} "')
            value.append(f"{WORDS}{number} ")
    return "\n".join(po) + "\n", "".join(value)


@pytest.mark.parametrize("odd", ["", '"an escape\\n"', '"a \\"quote\\""', '"two" " literals"', '  "indented"',
                                 '"trailing blank" '])
def test_a_long_entry_reads_exactly(odd: str) -> None:
    lines, value = long_field(3000, odd)
    text = f'# a comment\nmsgid ""\n{lines}msgstr ""\n{lines}\nmsgid "next"\nmsgstr "següent"\n'
    catalog = parse_catalog(text, PATH)
    assert catalog.entries == (Entry(msgid=value, msgstr=value, translator_comments=("a comment",)),
                               Entry(msgid="next", msgstr="següent"))
    assert catalog == polib_catalog(text, PATH)  # polib, line by line, reads the same


def test_a_long_field_read_as_one_run_still_checks_every_line() -> None:
    lines, _ = long_field(2000)
    broken = lines.replace(f'"{WORDS}1500 "', f'"{WORDS}1500 ', 1)  # unterminated, line 1502 of the file
    with pytest.raises(CatalogSyntaxError) as caught:
        parse_catalog(f'msgid ""\n{broken}msgstr "x"\n', PATH)
    assert caught.value.line == 1502 and "unterminated" in caught.value.message
    stray = lines.replace(f'"{WORDS}1500 "', "stray text", 1)
    with pytest.raises(CatalogSyntaxError) as caught:
        parse_catalog(f'msgid ""\n{stray}msgstr "x"\n', PATH)
    assert caught.value.line == 1502


def test_obsolete_previous_and_plural_fields_are_read_whole() -> None:
    lines, value = long_field(1500)
    obsolete = "".join("#~ " + line + "\n" for line in lines.splitlines())
    previous = "".join("#| " + line + "\n" for line in lines.splitlines())
    text = (f'#, fuzzy\n#| msgid ""\n{previous}msgid "a"\nmsgid_plural ""\n{lines}msgstr[0] ""\n{lines}'
            f'msgstr[1] "b"\n\n#~ msgid ""\n{obsolete}#~ msgstr "old"\n')
    catalog = parse_catalog(text, PATH)
    plural, old = catalog.entries
    assert plural.previous_msgid == value and plural.msgid_plural == value and plural.msgstr_plural == (value, "b")
    assert old.obsolete and old.msgid == value and old.msgstr == "old"
    assert catalog == polib_catalog(text, PATH)


def test_fields_grow_by_joining_not_by_concatenation() -> None:
    """Each continuation string is kept in a list and joined once: no field is rebuilt per line."""
    lines, value = long_field(200)
    parser = Parser(f'msgid "x"\nmsgstr ""\n"a\\n"\n{lines}', PATH)
    parser.validate()
    assert parser.build().entries[0].msgstr == "a\n" + value


def test_a_catalog_over_the_limit_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.po"
    line = f'"{WORDS}"\n'.encode()
    path.write_bytes(b'msgid "x"\nmsgstr ""\n' + line * (MAX_FILE_BYTES // len(line) + 1))
    with pytest.raises(FileTooLarge) as caught:
        read_catalog(path)
    assert caught.value.path == path and "limit is 20 MiB" in caught.value.message
    assert decode_catalog(path.read_bytes()[:MAX_FILE_BYTES - 100].rsplit(b"\n", 1)[0] + b"\n", path).entries


def test_sync_refuses_a_huge_source_and_writes_nothing_for_it(run: Run, workspace_dir: Path) -> None:
    run("sync")
    article = workspace_dir / "content/2026/2026-11-21-huge.md"
    paragraph = (WORDS * 200 + "\n\n").encode()
    article.write_bytes(b"---\ntitle: Huge\ndate: 2026-11-21\n---\n\n"
                        + paragraph * (MAX_FILE_BYTES // len(paragraph) + 1))
    result = run("sync", exit_code=1)
    assert "content/2026/2026-11-21-huge.md" in result.stderr and "too large" in result.stderr
    assert not list((workspace_dir / "locales").rglob("*huge*"))


def test_sync_refuses_a_huge_catalog_and_leaves_it_alone(run: Run, workspace_dir: Path) -> None:
    run("sync")
    catalog = workspace_dir / "locales/ca/articles/2026/2026-11-18-branching-out.po"
    huge = catalog.read_bytes() + b"\n# " + b"x" * MAX_FILE_BYTES + b"\n"
    catalog.write_bytes(huge)
    article = workspace_dir / "content/2026/2026-11-18-branching-out.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    result = run("sync", exit_code=1)
    assert "2026-11-18-branching-out.po" in result.stderr and "too large" in result.stderr
    assert catalog.read_bytes() == huge
