"""Tests for :mod:`i18n.catalogs.pofile`: strict reading, msgcat-identical writing, atomic idempotent saving.

GNU msgcat is the ground truth for the layout: every formatting test writes our bytes to a file, runs plain
``msgcat FILE -o OUT`` (page width 79) and asserts that OUT holds the same bytes.
"""

from __future__ import annotations

import difflib
import os
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from i18n.catalogs.catalog import Catalog, Entry
from i18n.catalogs.pofile import format_catalog, parse_catalog, read_catalog, write_catalog
from i18n.core.errors import CatalogNotFound, CatalogSyntaxError, EncodingError
from tests.programs import require_program

MAX_EXAMPLES = int(os.environ.get("PO_MAX_EXAMPLES", "150"))

HEADERS = (
    ("Project-Id-Version", "site 1.0"),
    ("Report-Msgid-Bugs-To", ""),
    ("POT-Creation-Date", "2026-01-02 10:00+0000"),
    ("PO-Revision-Date", "2026-01-03 11:00+0100"),
    ("Last-Translator", "Jordi <jordi@example.org>"),
    ("Language-Team", "Catalan <ca@example.org>"),
    ("Language", "ca"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=UTF-8"),
    ("Content-Transfer-Encoding", "8bit"),
    ("Plural-Forms", "nplurals=2; plural=(n != 1);"),
)

LONG_CA = (
    "La Generalitat ha publicat avui l'informe anual sobre l'estat de la llengua, que podeu consultar "
    "a [la pàgina de l'informe](https://example.org/informe-2026/llengua?lang=ca&format=pdf#resum); "
    "segons les dades —que són provisionals— el 42,5 % de la població fa servir el català a la feina, "
    "i «gairebé» un 60% ho fa a casa."
)

#: Hand-written strings covering what msgcat's wrapping is sensitive to.
CASES = (
    "Hola",
    LONG_CA,
    "Visiteu https://example.org/a-b/c?d=1&e=f_g/h.html per a més informació sobre el projecte i les seves "
    "activitats.",
    "Un enllaç: [text de l'enllaç](https://example.org/a-b/c?d=1) i un altre [aquí](http://example.com/x).",
    "paraules-amb-guionets-molt-llargues i mots com ara a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z "
    "que continuen",
    "Guions — llargs – mitjans ‐ i el signe menys − entre paraules—sense espais—i amb espais — així.",
    "Cometes \"dobles\", 'simples', «angulars», “tipogràfiques” i ‘simples tipogràfiques’ dins d'un text "
    "prou llarg per a partir-se.",
    "Xifres: 1.234.567,89 €, $1,234.56, 100 %, 3½, 10:30h, +34 93 123 45 67, (2026) i [1] i {clau} fins al "
    "final de la línia.",
    "中文文本没有空格但是可以在任何两个汉字之间换行这是一个很长的句子用来测试换行算法是否与msgcat一致的情况。",
    "日本語の文章、句読点。「かぎかっこ」も含めて、長い文を書いてみます。これは折り返しのテストです。カタカナもあります。",
    "한국어 문장은 띄어쓰기를 사용합니다. 이것은 줄 바꿈을 시험하기 위한 아주 긴 문장이며 msgcat과 같아야 합니다.",
    "Emoji 😀 👍🏽 🇪🇸🇫🇷 👨‍👩‍👧 and ❤️ mixed with words that are long enough to require wrapping at some point.",
    "Line one\nLine two\nLine three that is quite a bit longer than the others so it needs wrapping too.\n",
    "ends with newline\n",
    "\n",
    "two\n\nblank lines\n\n",
    "Tabs\tinside\ttext\tand a backslash \\ and a quote \" and more \\\\ double backslashes \\n literal.",
    "Unbreakable"
    "wordthatislongerthantheentirelinewidthsothatitcannotbebrokenanywhereatallbymsgcatwhatsoever",
    "Short then " + "x" * 90,
    "C:\\Program Files\\App\\bin\\app.exe --option=\"value with spaces\" --other-option=42 --flag",
    "Ellipsis… and non-breaking\u00a0spaces\u00a0everywhere\u00a0in\u00a0this\u00a0text\u00a0that\u00a0"
    "goes\u00a0on\u00a0and\u00a0on\u00a0and\u00a0on.",
    "Combining accents: e\u0301 a\u0300 o\u0308 in a long sentence that will need to wrap somewhere "
    "near the end.",
    "Zero\u200bwidth\u200bspaces\u200bbetween\u200bwords\u200bthat\u200bform\u200ba\u200bvery\u200blong"
    "\u200bline\u200bof\u200btext.",
    "Percent: 50%, %s, %d, %(name)s, %-5d, % d and {0} {name} placeholders in a long enough string ok.",
    "<p>Some sentence.</p><p>Another sentence in HTML markup that goes on.</p><br/><a href=\"x\">link</a>",
    "Abbreviations e.g. i.e. etc. U.S.A. and numbers like 3.14159 or 2,718 in a sentence long enough.",
    "(parenthesised text) [bracketed text] {braced text} ¿preguntes? ¡exclamacions! and more words here.",
    "  leading and trailing spaces   with   multiple   internal   spaces   that   go   on   and   on  ",
    "x" * 70 + " " + "y" * 5,
    "a" * 69 + " b",
)


def msgcat(data: bytes, tmp_path: Path, name: str = "in.po") -> bytes:
    """What ``msgcat FILE -o OUT`` writes for the PO file ``data``.

    ``--force-po`` only makes msgcat write a catalog that holds nothing but a header (it writes no file
    otherwise); it does not change the layout.
    """
    program = require_program("msgcat")
    source = tmp_path / name
    target = tmp_path / f"{name}.out"
    source.write_bytes(data)
    result = subprocess.run([program, "--force-po", str(source), "-o", str(target)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    return target.read_bytes()


def assert_same_as_msgcat(catalog: Catalog, tmp_path: Path) -> bytes:
    """Check that msgcat rewrites our text of ``catalog`` byte for byte, and that we read it back."""
    ours = format_catalog(catalog).encode("utf-8")
    theirs = msgcat(ours, tmp_path)
    assert theirs == ours, diff(theirs, ours)
    assert parse_catalog(ours.decode("utf-8"), tmp_path / "in.po") == as_msgcat_keeps_it(catalog)
    return ours


def diff(theirs: bytes, ours: bytes) -> str:
    """A unified diff from msgcat's bytes to ours, for assertion messages."""
    lines = difflib.unified_diff(theirs.decode("utf-8").splitlines(True), ours.decode("utf-8").splitlines(True),
                                 "msgcat", "ours")
    return "".join(lines)


def as_msgcat_keeps_it(catalog: Catalog) -> Catalog:
    """``catalog`` as msgcat keeps it: obsolete entries last, untranslated ones dropped, fuzzy only if translated."""
    kept = [e for e in (normalised(e) for e in catalog.entries) if e is not None]
    return replace(catalog, entries=tuple(sorted(kept, key=lambda e: e.obsolete)))


def entries_for(texts: tuple[str, ...]) -> tuple[Entry, ...]:
    """Varied entries (plain, msgctxt, plural, fuzzy with previous, comments, obsolete) around ``texts``."""
    entries: list[Entry] = []
    for number, text in enumerate(texts):
        other = texts[(number + 1) % len(texts)]
        references = tuple(f"content/articles/{number}/section-{k}/very-long-file-name-{k}.md:{k * 7}"
                           for k in range(number % 5))
        kind = number % 6
        if kind == 0:
            entries.append(Entry(msgid=text, msgstr=other, references=references))
        elif kind == 1:
            entries.append(Entry(msgid=text, msgstr=text, msgctxt=f"ctx {number} {other[:60]}",
                                 extracted_comments=(f"article: {number}", " ".join(other[:120].split())),
                                 translator_comments=("machine: apertium eng-cat 2026-11-21", "", " two")))
        elif kind == 2:
            entries.append(Entry(msgid=text, msgid_plural=other, msgstr_plural=(other, text),
                                 flags=("fuzzy",), references=references))
        elif kind == 3:
            entries.append(Entry(msgid=text, msgstr=other, flags=("fuzzy",), previous_msgid=other,
                                 previous_msgctxt="old", previous_msgid_plural=text[:30] or None))
        elif kind == 4:
            entries.append(Entry(msgid=text, msgstr="", references=references,
                                 extracted_comments=(" ".join(other.split()),)))
        else:
            entries.append(Entry(msgid=f"obsolete {text}", msgstr=other, obsolete=True, flags=("fuzzy",),
                                 previous_msgid=f"older {other}", translator_comments=("gone",)))
    return tuple(entries)


def catalog_of(entries: tuple[Entry, ...]) -> Catalog:
    """A catalog with the usual header, its comments and ``entries``."""
    return Catalog(headers=HEADERS, header_comments=("Catalan translation of the site.", "",
                                                     "Jordi <jordi@example.org>, 2026."),
                   entries=entries)


# ---------------------------------------------------------------------------------------------------------
# Byte identity with msgcat
# ---------------------------------------------------------------------------------------------------------


def test_hand_written_cases_match_msgcat(tmp_path: Path) -> None:
    assert_same_as_msgcat(catalog_of(entries_for(CASES)), tmp_path)


def test_empty_and_headerless_catalogs_match_msgcat(tmp_path: Path) -> None:
    assert format_catalog(Catalog()) == ""
    assert_same_as_msgcat(Catalog(headers=HEADERS), tmp_path)
    assert_same_as_msgcat(Catalog(headers=HEADERS, header_flags=("fuzzy",)), tmp_path)


def test_long_reference_lists_and_comments_match_msgcat(tmp_path: Path) -> None:
    references = tuple(f"content/{'deeply/' * (k % 4)}article-{k}.md:{k}" for k in range(40))
    entry = Entry(msgid="Referenced", msgstr="Referenciat", references=(*references, "./leading/dot.md:3",
                                                                        "no-line-number.md"),
                  extracted_comments=(LONG_CA, ""), translator_comments=(LONG_CA,))
    ours = format_catalog(catalog_of((entry,))).encode("utf-8")
    assert msgcat(ours, tmp_path) == ours


def test_flags_are_written_in_gettext_order(tmp_path: Path) -> None:
    entries = (
        Entry(msgid="a %s", msgstr="b %s", flags=("python-format", "fuzzy", "c-format")),
        Entry(msgid="untranslated %d", flags=("fuzzy", "c-format")),
        Entry(msgid="range", msgstr="rang", flags=("range: 1..5", "no-c-format")),
        Entry(msgid=LONG_CA, msgstr=LONG_CA, flags=("no-wrap",)),
    )
    ours = format_catalog(catalog_of(entries))
    assert "#, fuzzy, c-format, python-format\n" in ours
    assert "#, c-format\nmsgid \"untranslated %d\"" in ours  # msgcat drops fuzzy without a translation
    assert msgcat(ours.encode("utf-8"), tmp_path).decode("utf-8") == ours


def test_format_directives_are_not_broken(tmp_path: Path) -> None:
    text = "x" * 60 + " value % d and %(name)s more text " + "%" * 30 + " %% %s tail words here"
    entries = tuple(Entry(msgid=f"{flag}: {text}", msgstr=text, flags=(flag,))
                    for flag in ("c-format", "python-format"))
    assert_same_as_msgcat(catalog_of(entries), tmp_path)


def test_round_trip_of_msgcat_output_is_identical(tmp_path: Path) -> None:
    # A file in a layout msgcat does not write (one long line per string), normalised by msgcat...
    raw = format_catalog(catalog_of(entries_for(CASES)), width=10_000).encode("utf-8")
    written = msgcat(raw, tmp_path)
    # ...reads and formats back to exactly msgcat's bytes.
    catalog = parse_catalog(written.decode("utf-8"), tmp_path / "x.po")
    assert format_catalog(catalog).encode("utf-8") == written
    assert catalog == parse_catalog(raw.decode("utf-8"), tmp_path / "y.po")


# Hypothesis: strings built from the pieces msgcat's line breaking is sensitive to.
WORD_LIST = [
    "el", "català", "és", "una", "llengua", "romànica", "parlada", "per", "milions", "d'habitants",
    "l'àvia", "col·lecció", "pingüí", "Niño", "naïve", "straße", "hello", "world", "x", "aaaaaaaaaaaaaaaaaaaa",
    "internationalization-and-localization", "co-operate", "e-mail", "re-", "-", "—", "–", "…", "...",
    ",", ".", ";", ":", "!", "?", "¿", "¡", "(", ")", "[", "]", "{", "}", "«", "»", "“", "”", "'", "\"",
    "\\", "/", "%", "%s", "%(name)s", "%d", "50%", "$", "€", "#", "&", "*", "+", "=", "<b>", "</b>",
    "https://example.org/a-b/c?d=1", "http://example.com/path/to/page.html#anchor",
    "[link](https://example.org/x-y)", "user@example.org", "1.234,56", "2026", "10:30", "3.14",
    "中文", "汉字测试", "日本語", "テスト", "한국어", "。", "、", "「", "」", "（", "）",
    "😀", "👍🏽", "🇪🇸", "❤️", "e\u0301", "\u00a0", "\u200b", "\u2010", "\t", "\n",
]
WORDS = st.sampled_from(WORD_LIST)
SEPARATORS = st.sampled_from([" ", " ", " ", "", "  ", "\n", "-", "/", " — "])


def texts(max_words: int = 30) -> st.SearchStrategy[str]:
    """Strings of words and separators, sometimes long enough to wrap several times."""
    return st.lists(st.tuples(WORDS, SEPARATORS), min_size=1, max_size=max_words).map(
        lambda pairs: "".join(word + separator for word, separator in pairs))


FLAG_SETS = st.sampled_from([(), ("fuzzy",), ("python-format",), ("fuzzy", "c-format"), ("no-wrap",)])
PATH_PARTS = st.sampled_from(["content", "articles", "a", "x-y", "long_directory-name", "2026", "ca"])
REFERENCES = st.lists(st.builds("{}/{}.md:{}".format, PATH_PARTS, PATH_PARTS, st.integers(1, 99999)),
                      max_size=8, unique=True)
COMMENT_WORDS = st.sampled_from([w for w in WORD_LIST if w.strip() not in {"", "\\"}])
COMMENTS = st.lists(st.lists(COMMENT_WORDS, max_size=12).map(" ".join), max_size=2)


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    """A random entry: any mix of context, plural, flags, comments, references, previous fields, obsolete."""
    msgid = draw(texts())
    plural = draw(st.booleans())
    obsolete = draw(st.integers(0, 9)) == 0
    previous = draw(st.one_of(st.none(), texts()))
    return Entry(
        msgid=msgid,
        msgstr="" if plural else draw(st.one_of(st.just(""), texts())),
        msgctxt=draw(st.one_of(st.none(), texts(max_words=6))),
        msgid_plural=draw(texts()) if plural else None,
        msgstr_plural=(draw(texts()), draw(texts())) if plural else (),
        flags=draw(FLAG_SETS),
        translator_comments=tuple(draw(COMMENTS)),
        extracted_comments=tuple(draw(COMMENTS)),
        references=tuple(draw(REFERENCES)),
        previous_msgid=previous,
        previous_msgctxt=draw(st.one_of(st.none(), texts(max_words=4))) if previous is not None else None,
        previous_msgid_plural=draw(st.one_of(st.none(), texts())) if previous is not None else None,
        obsolete=obsolete,
    )


def normalised(entry: Entry) -> Entry | None:
    """The entry as msgcat keeps it: fuzzy only when translated, untranslated obsolete entries dropped."""
    if not entry.msgstrs[0]:
        if entry.obsolete:
            return None
        entry = entry.with_flag("fuzzy", False)
    return entry


# Shrinking re-runs msgcat thousands of times; the assertion's diff shows the problem without it.
PROPERTY_SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None,
                             phases=(Phase.explicit, Phase.reuse, Phase.generate),
                             suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(st.lists(entries(), min_size=1, max_size=6, unique_by=lambda e: (e.msgctxt, e.msgid)))
def test_random_catalogs_match_msgcat(tmp_path: Path, generated: list[Entry]) -> None:
    assert_same_as_msgcat(catalog_of(tuple(e for e in generated if e.msgid)), tmp_path)


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(st.lists(texts(max_words=60), min_size=1, max_size=15, unique=True))
def test_random_strings_match_msgcat(tmp_path: Path, strings: list[str]) -> None:
    catalog = catalog_of(tuple(Entry(msgid=s, msgstr=s[::-1]) for s in strings if s))
    ours = format_catalog(catalog).encode("utf-8")
    theirs = msgcat(ours, tmp_path)
    assert theirs == ours, diff(theirs, ours)


def test_msgfmt_accepts_what_we_write(tmp_path: Path) -> None:
    msgfmt = require_program("msgfmt")
    entries = (
        Entry(msgid="Hello", msgstr="Hola", references=("a.md:1",)),
        Entry(msgid=LONG_CA, msgstr=LONG_CA, msgctxt="body"),
        Entry(msgid="One file\n", msgid_plural="%d files\n", msgstr_plural=("Un fitxer\n", "%d fitxers\n"),
              flags=("c-format",)),
        Entry(msgid="Draft", msgstr="Esborrany", flags=("fuzzy",), previous_msgid="Drafts"),
        Entry(msgid="Old", msgstr="Vell", obsolete=True),
    )
    path = tmp_path / "ca.po"
    assert write_catalog(catalog_of(entries), path)
    result = subprocess.run([msgfmt, "-c", "-o", os.devnull, str(path)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------------

SAMPLE = """\
# Catalan translation.
#
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: site\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"X-Twice: 1\\n"
"X-Twice: 2\\n"

# machine: apertium
#.  extracted with two spaces
#: a.md:1 b.md:2
#: c.md:3
#, fuzzy, python-format
#| msgctxt "old"
#| msgid "Old "
#| "text"
msgctxt "body"
msgid ""
"Hello "
"world"
msgstr "Hola \\"m\\303\\263n\\" \\x41\\t\\\\"

msgid "One"
msgid_plural "Many"
msgstr[0] "U"
msgstr[1] "Molts"

#~| msgid "Older"
#~ msgid "Gone"
#~ msgstr "Anat"
"""


def test_parse_reads_every_part() -> None:
    catalog = parse_catalog(SAMPLE, Path("ca.po"))
    assert catalog.headers == (("Project-Id-Version", "site"), ("Content-Type", "text/plain; charset=UTF-8"),
                               ("X-Twice", "1"), ("X-Twice", "2"))
    assert catalog.header_comments == ("Catalan translation.", "")
    assert catalog.header_flags == ("fuzzy",)
    body, plural, gone = catalog.entries
    assert body == Entry(msgid="Hello world", msgstr='Hola "món" A\t\\', msgctxt="body",
                         flags=("fuzzy", "python-format"), translator_comments=("machine: apertium",),
                         extracted_comments=(" extracted with two spaces",),
                         references=("a.md:1", "b.md:2", "c.md:3"), previous_msgctxt="old",
                         previous_msgid="Old text")
    assert (body.line, plural.line, gone.line) == (11, 25, 30)
    assert plural.msgid_plural == "Many" and plural.msgstr_plural == ("U", "Molts")
    assert gone == Entry(msgid="Gone", msgstr="Anat", previous_msgid="Older", obsolete=True)


def test_read_catalog_reads_files(tmp_path: Path) -> None:
    path = tmp_path / "ca.po"
    path.write_text(SAMPLE, encoding="utf-8")
    assert read_catalog(path) == parse_catalog(SAMPLE, path)


def test_crlf_and_bom_are_accepted() -> None:
    text = "\ufeff" + SAMPLE.replace("\n", "\r\n")
    assert parse_catalog(text, Path("x.po")) == parse_catalog(SAMPLE, Path("x.po"))


SYNTAX_ERRORS = [
    ('msgid "a"\n\nmsgid "b"\nmsgstr ""\n', 1, "msgid without msgstr"),
    ('msgid "a"\nmsgstr "b"\n\nmsgid "c"\n', 4, "msgid without msgstr"),
    ('msgid "a"\nmsgstr "b\n', 2, "unterminated string"),
    ('msgid "a"\nmsgstr "b" x\n', 2, "unexpected text"),
    ('msgid "a"\nmsgstr "b"\n"c\n', 3, "unterminated string"),
    ('msgid "a"\nmsgstring "b"\n', 2, "unknown keyword"),
    ('msgid "a"\nmsgstr "b"\nfoo\n', 3, "unknown keyword"),
    ('msgid "a"\nmsgstr "b\\q"\n', 2, "invalid escape"),
    ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 4, "duplicate entry"),
    ('msgctxt "x"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "x"\nmsgid "a"\nmsgstr "c"\n', 6, "duplicate entry"),
    ('msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n', 4, "duplicate entry"),
    ('msgid ""\nmsgstr ""\n\nmsgid ""\nmsgstr ""\n', 4, "duplicate header"),
    ('msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', 3, "plain msgstr"),
    ('msgid "a"\nmsgstr[0] "b"\n', 2, "without msgid_plural"),
    ('msgid "a"\nmsgid_plural "as"\nmsgstr[1] "b"\n', 3, "out of order"),
    ('msgid "a"\nmsgid_plural "as"\n', 1, "msgid_plural without msgstr"),
    ('"a"\nmsgid "a"\nmsgstr ""\n', 1, "no keyword"),
    ('msgstr "a"\n', 1, "without a msgid"),
    ('msgid "a"\n# comment\nmsgstr "b"\n', 2, "comment inside an entry"),
    ('#~ msgid "a"\nmsgstr "b"\n', 2, "mixes obsolete"),
    ('#~| msgid "x"\nmsgid "a"\nmsgstr "b"\n', 2, "mixes obsolete"),
    ('msgid "a"\nmsgstr\n', 2, "without a string"),
    ('msgid a\nmsgstr ""\n', 1, "expected a quoted string"),
    ('msgid "a"\nmsgstr "b"\n\n# dangling comment\n', 4, "end of the file"),
    ('#| msgid "x"\n', 1, "previous fields"),
    ('#| msgstr "x"\nmsgid "a"\nmsgstr ""\n', 1, "after #|"),
    ('#| msgctxt "x"\nmsgid "a"\nmsgstr ""\n', 1, "without #| msgid"),
    ('#| msgid "x"\n#| msgctxt "x"\nmsgid "a"\nmsgstr ""\n', 2, "out of order"),
    ('#| msgid_plural "x"\nmsgid "a"\nmsgstr ""\n', 1, "out of order"),
]


@pytest.mark.parametrize(("text", "line", "detail"), SYNTAX_ERRORS)
def test_syntax_errors_name_the_line(tmp_path: Path, text: str, line: int, detail: str) -> None:
    path = tmp_path / "ca.po"
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(CatalogSyntaxError) as caught:
        read_catalog(path)
    assert caught.value.line == line, caught.value
    assert detail in caught.value.message
    assert caught.value.path == path and caught.value.hint
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert path.read_bytes() == before


def test_msgcat_also_rejects_our_syntax_errors(tmp_path: Path) -> None:
    program = require_program("msgcat")
    for number, (text, _line, detail) in enumerate(SYNTAX_ERRORS):
        if detail in {"comment inside an entry", "end of the file", "previous fields", "no keyword"}:
            continue  # stricter than gettext on purpose: these almost always mean a botched edit
        path = tmp_path / f"{number}.po"
        path.write_text(text, encoding="utf-8")
        result = subprocess.run([program, str(path)], capture_output=True, text=True, check=False)
        assert result.returncode != 0, (text, result.stdout)


def test_not_utf8_is_an_encoding_error(tmp_path: Path) -> None:
    path = tmp_path / "ca.po"
    path.write_bytes(b'msgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "caf\xe9"\n')
    with pytest.raises(EncodingError) as caught:
        read_catalog(path)
    assert caught.value.line == 5 and caught.value.path == path


def test_missing_file_is_catalog_not_found(tmp_path: Path) -> None:
    with pytest.raises(CatalogNotFound) as caught:
        read_catalog(tmp_path / "nope.po")
    assert caught.value.path == tmp_path / "nope.po"


# ---------------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------------


def test_write_is_idempotent_and_keeps_mtime(tmp_path: Path) -> None:
    path = tmp_path / "locale" / "ca" / "site.po"
    catalog = catalog_of(entries_for(CASES[:6]))
    assert write_catalog(catalog, path) is True
    first = path.read_bytes()
    past = 1_000_000_000
    os.utime(path, (past, past))
    assert write_catalog(catalog, path) is False
    assert path.stat().st_mtime == past
    assert path.read_bytes() == first
    assert write_catalog(read_catalog(path), path) is False
    assert sorted(p.name for p in path.parent.iterdir()) == ["site.po"]


def test_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ca.po"
    write_catalog(catalog_of(entries_for(CASES[:2])), path)
    before = path.read_bytes()

    def broken_replace(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_catalog(catalog_of(entries_for(CASES[:4])), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["ca.po"]


def test_backslash_newline_joins_lines_like_gettext(tmp_path: Path) -> None:
    text = '# first \\\n# second\nmsgid "ab\\\ncd"\nmsgstr "x"\n\nmsgid "e"\nmsgstr "f"\n'
    catalog = parse_catalog(text, tmp_path / "x.po")
    first, second = catalog.entries
    assert first.translator_comments == ("first # second",)
    assert first.msgid == "abcd" and first.line == 1
    assert second.line == 7
    assert catalog.entries == parse_catalog(msgcat(text.encode("utf-8"), tmp_path).decode("utf-8"),
                                            tmp_path / "y.po").entries


def test_comment_ending_in_backslash_does_not_swallow_the_next_line(tmp_path: Path) -> None:
    entry = Entry(msgid="Path", msgstr="Camí", translator_comments=("C:\\dir\\",), extracted_comments=("\\",))
    ours = format_catalog(catalog_of((entry,)))
    assert "# C:\\dir\\ \n#. \\ \nmsgid" in ours
    assert msgcat(ours.encode("utf-8"), tmp_path).decode("utf-8") == ours
    (back,) = parse_catalog(ours, tmp_path / "x.po").entries
    assert back.msgid == "Path" and back.translator_comments == ("C:\\dir\\ ",)


def test_octal_and_hex_escapes_spell_utf8_bytes() -> None:
    (entry,) = parse_catalog('msgid "caf\\303\\251 \\x41"\nmsgstr ""\n', Path("x.po")).entries
    assert entry.msgid == "café A"
    with pytest.raises(EncodingError):
        parse_catalog('msgid "\\351"\nmsgstr ""\n', Path("x.po"))
