"""Each quality check's pass/fail table, then the registry, entry-level running and ``[checks]`` config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from i18n.catalogs.catalog import Entry
from i18n.content.checks import (
    CHECKS,
    CODES,
    CheckFailed,
    Config,
    Occurrence,
    Options,
    Severity,
    Unit,
    check_by_code,
    check_entry,
    final_punctuation,
    inconsistencies,
    link_targets,
    load_config,
    placeholders_of,
)
from i18n.core.config import load_settings
from i18n.core.errors import ConfigError, GlossaryError
from i18n.core.glossary import Glossary, Term, load_glossary, parse_glossary
from i18n.core.languages import parse_language

EN = parse_language("en")
GLOSSARY = Glossary((
    Term("BIoD", keep=True),
    Term("T cell", translations=(("ca", ("limfòcit T",)), ("es", ("linfocito T",)))),
    Term("stem cell", translations=(("ca", ("cèl·lula mare",)),)),
    Term("Biomedical Image of the Day", keep=True, translations=(("ca", ("Imatge Biomèdica del Dia",)),)),
))


def run(code: str, source: str, translation: str, language: str = "ca", **fields: object) -> str | None:
    """The detail of check ``code``'s failure, or ``None`` when the translation passes."""
    function = check_by_code(code).function
    assert function is not None
    unit = Unit(source, translation, parse_language(language), EN, glossary=GLOSSARY, **fields)  # type: ignore[arg-type]
    try:
        function(unit)
    except CheckFailed as failure:
        return failure.detail
    return None


# Each row: (code, source, translation[, language]). PASSES must pass, FAILS must fail.
PASSES = [
    # markup: emphasis pairs, inline code, tags, links, hard line breaks
    ("markup", "called *dendrites*", "anomenades *dendrites*"),
    ("markup", "fewer but **larger** segments", "menys segments, però **més grans**"),
    ("markup", "a _word_ and *another*", "una *paraula* i _una altra_"),
    ("markup", "a `Krt15-GFP` reporter", "un marcador `Krt15-GFP`"),
    ("markup", 'In <abbr title="chimeric antigen receptor">CAR</abbr> therapy',
     'En la teràpia <abbr title="receptor d\'antigen quimèric">CAR</abbr>'),
    ("markup", "a [link](https://x.org/a) here", "un [enllaç](https://x.org/a) aquí"),
    ("markup", "line one\\\nline two", "línia u\\\nlínia dos"),
    ("markup", "snake_case_name stays", "snake_case_name es queda"),
    ("markup", "5 * 3 is 15", "5 * 3 és 15"),
    ("markup", "a<br>b", "a<br>b"),
    ("markup", "called *dendrites*", "anomenades **dendrites*"),  # Apertium's mark: the apertium check says so
    # links
    ("links", "the [test](https://example.org/research/dendrites).", "la [prova](https://example.org/research/dendrites)."),
    ("links", "see https://example.org/a.", "vegeu https://example.org/a."),
    ("links", "write to translations@example.org.", "escriviu a translations@example.org."),
    ("links", '<a href="https://x.org">here</a>', '<a href="https://x.org">aquí</a>'),
    ("links", "see <https://x.org/(a)>", "vegeu <https://x.org/(a)>"),
    ("links", "no links at all", "cap enllaç"),
    # numbers, Catalan and Spanish formatting
    ("numbers", "more than 1,000 organoids", "més de 1.000 organoides"),
    ("numbers", "10,000 partners", "10.000 companyes"),
    ("numbers", "at 28.5 degrees", "a 28,5 graus"),
    ("numbers", "3.5 by 4 centimetres", "3,5 per 4 centímetres"),
    ("numbers", "40% fewer", "un 40 % menys"),
    ("numbers", "40% fewer", "un 40% menys"),
    ("numbers", "planned for 2027", "previst per al 2027"),
    ("numbers", "1,000 organoids", "1000 organoides", "es"),
    ("numbers", "10,000 partners", "10\u00a0000 socios", "es"),
    ("numbers", "a CC BY 4.0 licence", "una llicència CC BY 4.0"),
    ("numbers", "in 12 pigs, 3 months", "durant 3 mesos, en 12 porcs"),
    ("numbers", "see [x](https://x.org/2024/5)", "vegeu [x](https://x.org/2024/5)"),
    ("numbers", "reporter `Krt15-GFP`", "marcador `Krt15-GFP`"),
    ("numbers", "Krt15 cells", "cèl·lules Krt15"),
    ("numbers", "%(num)d images", "%(num)d imatges"),
    # number-format: a version after a name or the word for version, a section number, a year
    ("number-format", "at 28.5 degrees", "a 28,5 graus"),
    ("number-format", "a CC BY 4.0 licence", "una llicència CC BY 4.0"),
    ("number-format", "needs Python 3.12", "cal Python 3.12"),
    ("number-format", "version 2.5 is out", "ja ha sortit la versió 2.5"),
    ("number-format", "see section 2.3.1", "vegeu la secció 2.3.1"),
    ("number-format", "more than 1,000 organoids", "més de 1.000 organoides", "es"),
    ("number-format", "at 28.5 degrees", "at 28.5 degrees", "en"),
    # numbers: centuries, decades and ordinals written the language's way
    ("numbers", "in the 1800s", "al segle XIX"),
    ("numbers", "in the 1800s", "en el siglo XIX", "es"),
    ("numbers", "in the 1800s", "al segle 19"),
    ("numbers", "in the 1800s", "als anys 1800"),
    ("numbers", "in the 1990s", "als anys 90"),
    ("numbers", "the 19th century", "el segle XIX"),
    ("numbers", "the 19th century", "el segle 19è"),
    ("numbers", "the 19th century", "el siglo 19.º", "es"),
    ("numbers", "the 3rd day, in 2026", "el 3r dia, el 2026"),
    ("numbers", "Louis XIV lived 77 years", "Lluís XIV va viure 77 anys"),
    # double-space: a Markdown hard line break, a source that spaces so too
    ("double-space", "line one  \nline two", "línia u  \nlínia dos"),
    ("double-space", "a  b", "a  b"),
    ("double-space", "Hello", "Hola"),
    # zero-width-space: a zero-width joiner inside an emoji, a no-break space
    ("zero-width-space", "a scientist \U0001f469\u200d\U0001f52c", "una científica \U0001f469\u200d\U0001f52c"),
    ("zero-width-space", "40 km", "40\u00a0km"),
    ("zero-width-space", "a\u200bb", "a\u200bb"),
    # quotes: an inch mark, “ ” inside « », quotes in an HTML attribute, English
    ("quotes", 'a 27" screen', 'una pantalla de 27"'),
    ("quotes", 'He said "the word “cell”".', "Va dir «la paraula “cèl·lula”»."),
    ("quotes", '<a href="/x">x</a>', '<a href="/x">x</a>'),
    ("quotes", 'He said "hi".', 'He said "hi".', "en"),
    ("quotes", 'He said "hi".', "Dijo «hola».", "es"),
    # apostrophe: straight ' only, typographic ’ only, ’ apostrophes with ' single quotes around a word
    ("apostrophe", "the team", "l'equip"),
    ("apostrophe", "the team and the sponge", "l’equip i l’esponja"),
    ("apostrophe", "the 'team' of the sponge", "l’equip 'gran' d’esponges"),
    ("apostrophe", "it’s ‘here’", "és ‘aquí’"),
    ("apostrophe", "the team of O'Brien", "l’equip d’O'Brien"),  # a name as the source writes it
    # middle-dot: l·l written right, in a URL or inline code, in Spanish
    ("middle-dot", "cells", "cèl·lules"),
    ("middle-dot", "Apollo", "Apol·lo"),
    ("middle-dot", "see https://x.org/col.lecció", "vegeu https://x.org/col.lecció"),
    ("middle-dot", "the `col.lection` field", "el camp `col.lection`"),
    ("middle-dot", "collection", "col.lección", "es"),
    # inverted-marks: mid-sentence, Catalan, a question mark in a URL
    ("inverted-marks", "If you come, what do you bring?", "Si vienes, ¿qué traes?", "es"),
    ("inverted-marks", "Hello! What time is it?", "¡Hola! ¿Qué hora es?", "es"),
    ("inverted-marks", "What time is it?", "Quina hora és?"),
    ("inverted-marks", "see https://x.org/?a=1", "véase https://x.org/?a=1", "es"),
    # ellipsis: the source writes three dots, inline code, the ellipsis character
    ("ellipsis", "Wait...", "Espera..."),
    ("ellipsis", "Loading…", "S’està carregant…"),
    ("ellipsis", "use `a...b`", "feu servir `a...b`"),
    # start-capital: after ¿, a source starting with a small letter or a digit
    ("start-capital", "What time is it?", "¿Qué hora es?", "es"),
    ("start-capital", "iPhone sales rose", "les vendes de l’iPhone van pujar"),
    ("start-capital", "3 cells", "tres cèl·lules"),
    ("start-capital", '"Hello"', "«Hola»"),
    # max-length: counted in characters, not bytes; no flag, no limit
    ("max-length", "Settings", "Configuració", "ca", {"flags": ("max-length:12",)}),
    ("max-length", "Settings", "Configuració del lloc web"),
    # acronyms: the language's own acronym, a heading in capitals, Roman numerals, a glossary term
    ("acronyms", "the DNA of the cell", "l’ADN de la cèl·lula"),
    ("acronyms", "the UN says", "l’ONU diu"),
    ("acronyms", "BREAKING NEWS", "ÚLTIMA HORA"),
    ("acronyms", "World War II", "Segona Guerra Mundial"),
    ("acronyms", "What is BIoD?", "Què és BIoD?"),
    ("acronyms", "CAR T cells", "limfòcits T amb CAR"),
    # names: a possessive, a name in a URL
    ("names", "GitHub's servers", "els servidors de GitHub"),
    ("names", "see https://x.org/GitHub", "vegeu https://x.org/"),
    ("names", "on an iPhone", "en un iPhone"),
    ("names", "mRNA vaccines", "vacunes d’ARNm"),
    ("names", "a PhD student", "un estudiant de doctorat"),
    ("acronyms", "COVID-19 cases", "casos de covid-19"),
    # placeholders
    ("placeholders", "Written by %(author)s", "Escrit per %(author)s"),
    ("placeholders", "%(count)s of %(total)s", "%(total)s: %(count)s"),
    ("placeholders", "Hello {name}", "Hola {name}"),
    ("placeholders", "Hello {{ user.name }}", "Hola {{user.name}}"),
    ("placeholders", "%s files", "%s fitxers"),
    ("placeholders", "40% fewer", "40% menys"),
    ("placeholders", "a {set, of} braces", "unes {claus, de} conjunt"),
    # whitespace
    ("whitespace", "Hello", "Hola"),
    ("whitespace", "Hello\n", "Hola\n"),
    ("whitespace", " Hello", " Hola"),
    ("whitespace", "one\\\ntwo", "u\\\ndos"),
    # punctuation
    ("punctuation", "It works.", "Funciona."),
    ("punctuation", "What is BIoD?", "¿Qué es BIoD?", "es"),
    ("punctuation", '"Working again," says Dr Vukovic.', "«Tornar a funcionar», afirma la doctora Vukovic."),
    ("punctuation", '"It ends here."', "«Acaba aquí.»"),
    ("punctuation", '"It ends here."', "«Acaba aquí»."),
    ("punctuation", "Clock Work: How an Embryo Keeps Time", "Mecanisme de rellotgeria: com marca el temps"),
    ("punctuation", "Wait...", "Espera…"),
    ("punctuation", "Read the [story](https://x.org/a).", "Llegiu la [història](https://x.org/a)."),
    ("punctuation", "cells (green)", "cèl·lules (verd)"),
    ("punctuation", "a *word*.", "una *paraula*."),
    # brackets and quotes
    ("brackets", "cells (green) and [notes]", "cèl·lules (verd) i [notes]"),
    ("brackets", 'He said "hi".', "Va dir «hola»."),
    ("brackets", 'He said "hi".', "Va dir “hola”."),
    ("brackets", 'He said "hi".', 'Va dir "hola".'),
    ("brackets", 'He said "hi".', "Er sagte „hallo“."),
    ("brackets", "they don’t breathe", "no respiren pas, l’aire"),
    ("brackets", '"A quote that goes on', "«Una cita que continua"),
    ("brackets", "the [test](https://x.org/a_(b))", "la [prova](https://x.org/a_(b))"),
    ("brackets", "a test (see https://x.org/a)", "una prova (vegeu https://x.org/a)"),
    ("punctuation", "(see https://x.org/a).", "(vegeu https://x.org/a)."),
    # doubled words
    ("doubled-word", "the cells grow", "les cèl·lules creixen"),
    ("doubled-word", "he had had enough", "ja en tenia prou"),
    ("doubled-word", "nous nous sommes vus", "nous nous sommes vus"),  # doubled in the source too
    ("doubled-word", "Bora Bora is far", "Bora Bora és lluny"),
    ("doubled-word", "10 10 times", "10 10 vegades"),
    ("doubled-word", "the cell. Cell walls", "la cèl·lula. Cèl·lula nova"),
    # unchanged
    ("unchanged", "The cells grow.", "Les cèl·lules creixen."),
    ("unchanged", "Instagram", "Instagram"),
    ("unchanged", "%(count)s article", "%(count)s article"),
    ("unchanged", "2026", "2026"),
    ("unchanged", "BIoD", "BIoD"),
    ("unchanged", "Biomedical Image of the Day", "Biomedical Image of the Day"),
    # empty
    ("empty", "Hello", "Hola"),
    ("empty", "", ""),
    # length
    ("length", "A single biopsy can yield more than 1,000 organoids",
     "Una sola biòpsia pot donar més de 1.000 organoides"),
    ("length", "Short", "Una traducció bastant més llarga"),
    ("length", "See [the full story](https://example.org/a/very/long/url/indeed) now.", "Vegeu la [història](https://example.org/a/very/long/url/indeed)."),
    # glossary: preferred terms (with plural endings)
    ("glossary", "CAR T cells attack", "els limfòcits T CAR ataquen"),
    ("glossary", "a T-cell therapy", "una teràpia de limfòcits T"),
    ("glossary", "stem cells in a drop", "cèl·lules mare en una gota"),
    ("glossary", "stem-cell-rich buds", "brots rics en cèl·lules mare"),
    ("glossary", "T cells", "linfocitos T", "es"),
    ("glossary", "stem cells", "células madre", "es"),  # no Spanish entry for the term: not checked
    ("glossary", "a mirror of Biomedical Image of the Day", "una rèplica de Biomedical Image of the Day"),
    ("glossary", "Biomedical Image of the Day", "Imatge Biomèdica del Dia"),
    ("glossary", "cell walls", "parets cel·lulars"),
    # do-not-translate
    ("do-not-translate", "What is BIoD?", "Què és BIoD?"),
    ("do-not-translate", "no term here", "cap terme"),
    ("do-not-translate", "BIoD stands for", "BIoD vol dir"),
    ("do-not-translate", "Biomedical Image of the Day", "Imatge Biomèdica del Dia"),  # translation allowed
    # Apertium marks
    ("apertium", "called *dendrites*", "anomenades *dendrites*"),
    ("apertium", "e-mail me@example.org", "correu me@example.org"),
    ("apertium", "follow #SciArt", "seguiu #SciArt"),
    ("apertium", "the C# language", "el llenguatge C#"),
    ("apertium", "a **bold** word", "una paraula **grossa**"),
    ("apertium", "called *dendrites*", "anomenades *dendrites"),  # broken emphasis: markup reports it
]

FAILS = [
    ("markup", "called *dendrites*", "anomenades dendrites", "*emphasis* pair missing"),
    ("markup", "called *dendrites*", "anomenades *dendrites", "*emphasis* pair missing"),
    ("markup", "fewer but **larger**", "menys però *més grans*", "**bold** pair missing"),
    ("markup", "a `Krt15-GFP` reporter", "un marcador `Krt15-gfp`", "inline code missing"),
    ("markup", "a `code` here", "un codi aquí", "inline code missing"),
    ("markup", "In <abbr>CAR</abbr> therapy", "En la teràpia CAR", "tags missing"),
    ("markup", "In <abbr>CAR</abbr> therapy", "En la teràpia <abbr>CAR</b>", "tags missing"),
    ("markup", "<b>x</b> <i>y</i>", "<b>x <i></b> y</i>", "</b> closes <i>"),
    ("markup", "a [link](https://x.org/a)", "un enllaç https://x.org/a", "1 Markdown link"),
    ("markup", "one\\\ntwo", "u dos", "hard line break"),
    ("links", "the [test](https://example.org/research/dendrites)", "la [prova](https://example.org/research/dendrite)",
     "missing from the translation: https://example.org/research/dendrites"),
    ("links", "the [test](https://x.org/a)", "la prova", "missing from the translation"),
    ("links", "see https://x.org/a.", "vegeu https://x.org/b.", "https://x.org/b"),
    ("links", "write to a@example.org", "escriviu a b@example.org", "a@example.org"),
    ("links", '<a href="https://x.org">here</a>', '<a href="https://x.cat">aquí</a>', "https://x.cat"),
    ("links", "the text", "el text https://x.org", "not in the source"),
    ("numbers", "more than 1,000 organoids", "més de 100 organoides", "missing from the translation: 1,000"),
    ("numbers", "2,400 compounds", "2,400 compostos", "reads as 2.4 in Catalan"),
    ("numbers", "at 28.5 degrees", "a 28,6 graus", "28.5"),
    ("numbers", "in 3 days", "en tres dies", "missing from the translation: 3"),
    ("numbers", "in 3 days", "en 3 dies i 4 nits", "not in the source: 4"),
    ("numbers", "planned for 2027", "previst per al 2.027", "year 2027"),
    ("numbers", "10,000 partners", "10 000 socis", "missing"),
    ("numbers", "40% fewer", "un 45 % menys", "40"),
    ("number-format", "at 2.5 degrees", "a 2.5 graus", "2.5 (write 2,5)"),
    ("number-format", "at 2.5 degrees", "a 2.5 grados", "2.5 (write 2,5)", "es"),
    ("number-format", "1,234.5 tonnes", "1,234.5 tones", "write 1.234,5"),
    ("numbers", "1,000 organoids", "1,000 organoides", "reads as 1 in Catalan"),
    ("numbers", "in the 1800s", "al segle XVIII", "missing from the translation: 1800"),
    ("numbers", "the 19th century", "el segle XX", "missing from the translation: 19"),
    ("numbers", "in the 1990s", "als anys 80", "1990"),
    ("double-space", "a cell", "una  cèl·lula", "1 double space"),
    ("zero-width-space", "a cell", "una\u200bcèl·lula", "zero-width space"),
    ("quotes", 'He said "hi".', 'Va dir "hola".', 'straight quotes'),
    ("quotes", 'He said "hi".', "Dijo “hola”.", "“...” outside « »", "es"),
    ("apostrophe", "the team", "l´equip", "an acute accent"),
    ("apostrophe", "the team and the sponge", "l'equip i l’esponja", "mixed"),
    ("middle-dot", "the collection", "la col.lecció", "col.lecció"),
    ("middle-dot", "cells", "cèl•lules", "cèl•lules"),
    ("inverted-marks", "What time is it?", "Qué hora es?", "¿", "es"),
    ("inverted-marks", "Hello! What?", "Hola! ¿Qué?", "¡", "es"),
    ("ellipsis", "Loading…", "Carregant...", "'...'"),
    ("start-capital", "The cells", "les cèl·lules", "'l'"),
    ("max-length", "Settings", "Configuració del lloc", "more than the 12", "ca", {"flags": ("max-length:12",)}),
    ("acronyms", "the WHO says", "l’Organització diu", "WHO"),
    ("names", "on GitHub", "a Github", "GitHub"),
    ("placeholders", "Written by %(author)s", "Escrit per %(autor)s", "missing from the translation: %(author)s"),
    ("placeholders", "Written by %(author)s", "Escrit per l'autor", "%(author)s"),
    ("placeholders", "%s files", "fitxers", "%s"),
    ("placeholders", "Hello {name}", "Hola {nom}", "{nom}"),
    ("placeholders", "Hello {{ name }}", "Hola", "{{ name }}"),
    ("placeholders", "Hi %(a)s", "Hola %(a)s %(a)s", "not in the source: %(a)s"),
    ("whitespace", "Hello", "Hola ", "trailing white space"),
    ("whitespace", "Hello\n", "Hola", "trailing white space"),
    ("whitespace", " Hello", "Hola", "leading white space"),
    ("whitespace", "one\ntwo", "u dos", "line break"),
    ("punctuation", "It works.", "Funciona", "the source ends with a full stop, the translation with no punctuation"),
    ("punctuation", "It works", "Funciona.", "with a full stop"),
    ("punctuation", "Why use organoids?", "Per què fer servir organoides.", "question mark"),
    ("punctuation", "Note:", "Nota.", "a colon"),
    ("brackets", "cells (green)", "cèl·lules (verd", "'(' is never closed"),
    ("brackets", "cells (green)", "cèl·lules verd)", "')' closes nothing"),
    ("brackets", "a [b] (c)", "a [b (c])", "']' closes '('"),
    ("brackets", "(see https://x.org/a)", "vegeu https://x.org/a)", "')' closes nothing"),
    ("brackets", 'He said "hi".', "Va dir «hola.", "'«' is never closed"),
    ("brackets", 'He said "hi".', 'Va dir "hola.', "odd number"),
    ("brackets", 'He said "hi".', "Va dir “hola.", "'“' is never closed"),
    ("doubled-word", "the cells grow", "les les cèl·lules creixen", "'les les'"),
    ("doubled-word", "the cells grow", "les cèl·lules cèl·lules creixen", "cèl·lules"),
    ("doubled-word", "in the lab", "en el El laboratori", "doubled word"),
    ("unchanged", "The cells grow quickly.", "The cells grow quickly.", "same as the source"),
    ("unchanged", "Read More", "Read more", "same as the source"),
    ("unchanged", "Follow us on Instagram", "Follow us on Instagram", "same as the source"),
    ("empty", "Hello", "", "empty"),
    ("empty", "Hello", "   ", "empty"),
    ("length", "The cells grow fast in a lab dish every day of the week.", "Creixen.", "expected at least 50%"),
    ("length", "A single biopsy can yield organoids",
     "Una sola biòpsia pot donar organoides i moltes altres coses que no hi eren, afegides sense cap motiu",
     "at most 200%"),
    ("glossary", "CAR T cells attack", "les cèl·lules T CAR ataquen", "'T cell' should be translated as 'limfòcit T'"),
    ("glossary", "a T-cell therapy", "una teràpia de cèl·lules T", "limfòcit T"),
    ("glossary", "T cells", "células T", "linfocito T", "es"),
    ("glossary", "a mirror of Biomedical Image of the Day", "una rèplica d'Imatge Biomèdica",
     "'Imatge Biomèdica del Dia' or"),
    ("do-not-translate", "What is BIoD?", "Què és la IBdD?", "'BIoD'"),
    ("do-not-translate", "BIoD stands for", "Biod vol dir", "'BIoD'"),
    ("apertium", "called dendrites", "anomenades *dendrites", "*dendrites"),
    ("apertium", "the unknown word", "la *paraula desconeguda", "*paraula"),
    ("apertium", "could not inflect", "no va poder #flexionar", "#flexionar"),
    ("apertium", "could not transfer", "no va poder @transferir", "@transferir"),
    ("apertium", "a *word* here", "una *paraula* i *desconeguda", "*desconeguda"),
    ("apertium", "called *dendrites*", "anomenades **dendrites*", "*dendrites"),  # a mark inside emphasis
]


def _row(row: tuple[Any, ...]) -> tuple[str, str, str, str, dict[str, Any]]:
    code, source, translation, *rest = row
    return code, source, translation, rest[0] if rest else "ca", rest[1] if len(rest) > 1 else {}


@pytest.mark.parametrize("row", PASSES, ids=lambda r: f"{r[0]}:{r[2][:30]}")
def test_passes(row: tuple[Any, ...]) -> None:
    code, source, translation, language, fields = _row(row)
    assert run(code, source, translation, language, **fields) is None


@pytest.mark.parametrize("row", FAILS, ids=lambda r: f"{r[0]}:{r[2][:30]}")
def test_fails(row: tuple[Any, ...]) -> None:
    code, source, translation, expected, *rest = row
    detail = run(code, source, translation, rest[0] if rest else "ca", **(rest[1] if len(rest) > 1 else {}))
    assert detail is not None, f"{code} should fail"
    assert expected in detail


def test_every_check_has_passing_and_failing_rows() -> None:
    per_unit = {c.code for c in CHECKS if c.function is not None}
    assert per_unit == {r[0] for r in PASSES} == {r[0] for r in FAILS}
    assert "consistency" in CODES  # tested below: it compares entries, not one unit


def test_codes_are_unique_and_every_check_says_how_to_fix() -> None:
    assert len(set(CODES)) == len(CODES)
    for check in CHECKS:
        assert check.advice.endswith("."), check.code
        assert check.catches
        assert "``" not in check.advice


@pytest.mark.parametrize(("code", "severity"), [
    ("markup", Severity.ERROR), ("links", Severity.ERROR), ("numbers", Severity.ERROR),
    ("placeholders", Severity.ERROR), ("empty", Severity.ERROR), ("apertium", Severity.ERROR),
    ("do-not-translate", Severity.ERROR), ("whitespace", Severity.WARNING), ("punctuation", Severity.WARNING),
    ("brackets", Severity.WARNING), ("doubled-word", Severity.WARNING), ("unchanged", Severity.WARNING),
    ("length", Severity.WARNING), ("glossary", Severity.WARNING), ("consistency", Severity.WARNING),
    ("max-length", Severity.ERROR), ("number-format", Severity.WARNING), ("double-space", Severity.WARNING),
    ("zero-width-space", Severity.WARNING), ("quotes", Severity.WARNING), ("apostrophe", Severity.WARNING),
    ("middle-dot", Severity.WARNING), ("inverted-marks", Severity.WARNING), ("ellipsis", Severity.WARNING),
    ("start-capital", Severity.WARNING), ("acronyms", Severity.WARNING), ("names", Severity.WARNING),
])
def test_default_severities(code: str, severity: Severity) -> None:
    assert check_by_code(code).severity is severity


# -- helpers with their own tables ----------------------------------------------------------------

@pytest.mark.parametrize(("text", "flags", "expected"), [
    ("Written by %(author)s", (), ["%(author)s"]),
    ("%d of %s", (), ["%d", "%s"]),
    ("40% fewer, 40% de", (), []),
    ("40% fewer", ("python-format",), ["% f"]),
    ("100%% sure %(n)d", ("python-format",), ["%(n)d"]),
    ("{name} and {0} and {}", (), ["{name}", "{0}", "{}"]),
    ("{{ user.name }} {%  if x %}", (), ["{{ user.name }}", "{% if x %}"]),
])
def test_placeholders_of(text: str, flags: tuple[str, ...], expected: list[str]) -> None:
    assert placeholders_of(text, flags) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("the [test](https://x.org/a).", ["https://x.org/a"]),
    ("see https://x.org/a, then", ["https://x.org/a"]),
    ("(see https://x.org/a)", ["https://x.org/a"]),
    ("<https://x.org> or <me@x.org>", ["https://x.org", "me@x.org"]),
    ('<a href="/local">x</a>', ["/local"]),
    ("write to me@x.org.", ["me@x.org"]),
    ("a `https://code.example` span", []),
])
def test_link_targets(text: str, expected: list[str]) -> None:
    assert link_targets(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("End.", "."), ("End", ""), ("End?", "?"), ("End...", "…"), ("End…", "…"), ("«End.»", "."),
    ("“End”.", "."), ("(end).", "."), ("*end*.", "."), ("<b>End.</b>", "."), ("End. ", "."),
])
def test_final_punctuation(text: str, expected: str) -> None:
    assert final_punctuation(text) == expected


# -- consistency ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("pairs", "flagged"), [
    ([("Archive", "Arxiu", None), ("Archive", "Arxiu", None)], []),
    ([("Archive", "Arxiu", None), ("Archive", "Arxiu", "navigation")], []),
    ([("Archive", "Arxiu", None), ("Archive", "Arxiu ", None)], []),  # typography only
    ([("Archive", "Arxiu", None), ("Archive", "Fons", None)], [0, 1]),
    ([("Archive", "Arxiu", None), ("Archive", "Fons", None), ("Archive", "Arxiu", None)], [0, 1, 2]),
    ([("Archive", "Arxiu", "nav"), ("Archive", "Fons", "nav"), ("Next", "Següent", "nav")], [0, 1]),
    ([("It’s here", "Hi és", None), ("It's here", "Aquí és", None)], [0, 1]),  # same source, typography folded
])
def test_consistency(pairs: list[tuple[str, str, str | None]], flagged: list[int]) -> None:
    occurrences = [Occurrence(s, t, f"x.po:{i}", c) for i, (s, t, c) in enumerate(pairs)]
    found = dict(inconsistencies(occurrences))
    assert sorted(found) == flagged
    for index in flagged:
        assert "translated differently elsewhere" in found[index]
        assert f"x.po:{index}" not in found[index]  # names the others, not itself


# -- running on entries ----------------------------------------------------------------------------

CA = parse_language("ca")


def test_check_entry_reports_code_severity_and_a_message_with_the_fix() -> None:
    entry = Entry("See [it](https://x.org/a) in 2,400 ways.", "Vegeu-ho [aquí](https://x.org/b) de 2.400 maneres.")
    findings = check_entry(entry, CA, EN)
    assert [f.code for f in findings] == ["links"]
    assert findings[0].severity is Severity.ERROR
    assert findings[0].message.startswith("Link targets missing from the translation: https://x.org/a")
    assert "Copy every link target" in findings[0].message


def test_plural_forms_are_checked_each_against_its_source() -> None:
    entry = Entry("The latest %(num)d image", msgid_plural="The latest %(num)d images",
                  msgstr_plural=("La darrera imatge", "Les darreres imatges"), flags=("python-format",))
    findings = check_entry(entry, CA, EN)
    # msgstr[0] is used only for n == 1 in Catalan: it may say "one" instead of %(num)d; msgstr[1] may not.
    assert [(f.code, f.form) for f in findings] == [("placeholders", 1)]
    assert findings[0].message.startswith("Plural form 1: placeholders differ")


def test_an_empty_plural_form_gets_only_the_empty_check() -> None:
    entry = Entry("%(n)d image", msgid_plural="%(n)d images", msgstr_plural=("%(n)d imatge", ""),
                  flags=("python-format",))
    assert [(f.code, f.form) for f in check_entry(entry, CA, EN)] == [("empty", 1)]


def test_missing_plural_forms_are_empty() -> None:
    entry = Entry("%(n)d image", msgid_plural="%(n)d images", msgstr_plural=("%(n)d imatge",))
    assert [(f.code, f.form) for f in check_entry(entry, CA, EN)] == [("empty", 1)]


def test_fuzzy_entry_with_empty_msgstr_is_empty() -> None:
    entry = Entry("Hello", "", flags=("fuzzy",))
    assert [f.code for f in check_entry(entry, CA, EN)] == ["empty"]


def test_config_disables_and_overrides_severity() -> None:
    entry = Entry("The cells grow quickly.", "The cells grow quickly")
    assert {f.code for f in check_entry(entry, CA, EN)} == {"unchanged", "punctuation"}
    config = Config(disabled=frozenset({"punctuation"}), severities=(("unchanged", Severity.ERROR),))
    findings = check_entry(entry, CA, EN, config)
    assert [(f.code, f.severity) for f in findings] == [("unchanged", Severity.ERROR)]


def test_max_length_from_a_flag_or_a_template_comment() -> None:
    flagged = Entry("Settings", "Configuració del lloc", flags=("max-length:12",))
    noted = Entry("Settings", "Configuració del lloc", extracted_comments=("Translators: a button, max-length:12",))
    for entry in (flagged, noted):
        assert [(f.code, f.severity) for f in check_entry(entry, CA, EN)] == [("max-length", Severity.ERROR)]
    assert check_entry(Entry("Settings", "Configuració", extracted_comments=("max-length:12",)), CA, EN) == ()


def test_unchanged_allowed_terms() -> None:
    entry = Entry("Follow on Tumblr", "Follow on Tumblr")
    assert [f.code for f in check_entry(entry, CA, EN)] == ["unchanged"]
    config = Config(options=Options(unchanged_allowed=("Follow on",)))
    assert check_entry(entry, CA, EN, config) == ()


# -- [checks] configuration -------------------------------------------------------------------------

def _settings(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "i18n.toml"
    path.write_text('languages = ["ca", "es"]\n' + extra, encoding="utf-8")
    return path


def test_load_config(tmp_path: Path) -> None:
    settings = load_settings(_settings(tmp_path, '''
[checks]
disable = ["length", "doubled-word"]
unchanged_allowed = ["Tumblr"]
min_length_ratio = 0.4
max_length_ratio = 3
length_min_chars = 10

[checks.severity]
unchanged = "error"
markup = "warning"
'''))
    config = load_config(settings)
    assert config.disabled == {"length", "doubled-word"}
    assert not config.enabled("length") and config.enabled("markup")
    assert config.severity(check_by_code("unchanged")) is Severity.ERROR
    assert config.severity(check_by_code("markup")) is Severity.WARNING
    assert config.severity(check_by_code("links")) is Severity.ERROR
    assert config.options == Options(0.4, 3.0, 10, ("Tumblr",))


def test_no_checks_table_means_defaults(tmp_path: Path) -> None:
    assert load_config(load_settings(_settings(tmp_path, ""))) == Config()


@pytest.mark.parametrize(("table", "message"), [
    ('disable = ["lenght"]', "key 'checks.disable': unknown check 'lenght'"),
    ('disable = "length"\nbogus = 1', "key 'checks.bogus': unknown key"),
    ("min_length_ratio = 3\nmax_length_ratio = 2", "must be smaller"),
    ("min_length_ratio = -1", "must be greater than 0"),
    ('length_min_chars = "ten"', "expected an integer"),
    ('[checks.severity]\nmarkup = "fatal"', "key 'checks.severity.markup': expected \"error\" or \"warning\""),
    ('[checks.severity]\nmarkups = "error"', "key 'checks.severity.markups': unknown check"),
    ('severity = "error"', "key 'checks.severity': expected a table"),
])
def test_bad_config_names_the_key(tmp_path: Path, table: str, message: str) -> None:
    settings = load_settings(_settings(tmp_path, "[checks]\n" + table + "\n"))
    with pytest.raises(ConfigError) as caught:
        load_config(settings)
    assert message in str(caught.value)
    assert str(settings.path) in str(caught.value)


# -- the glossary file -------------------------------------------------------------------------------

def test_parse_glossary() -> None:
    glossary = parse_glossary({"term": [
        {"source": "BIoD", "keep": True, "note": "name"},
        {"source": "T cell", "ca": "limfòcit T", "es": ["linfocito T", "célula T"]},
    ]}, Path("glossary.toml"))
    assert glossary.kept_terms() == ("BIoD",)
    term = glossary.terms[1]
    assert term.translations_for(parse_language("es")) == ("linfocito T", "célula T")
    assert term.translations_for(parse_language("eu")) == ()
    assert term.translated_in("dos células T", parse_language("es"))
    assert glossary.terms[0].do_not_translate(CA)
    assert not term.do_not_translate(CA)


@pytest.mark.parametrize(("data", "message"), [
    ({"terms": []}, "unknown key 'terms'"),
    ({"term": {"source": "x"}}, "array of tables"),
    ({"term": [{"keep": True}]}, "term 1 has no 'source'"),
    ({"term": [{"source": "x"}]}, "neither 'keep = true' nor a translation"),
    ({"term": [{"source": "x", "ca": ""}]}, "key 'term[1].ca': expected a non-empty translation"),
    ({"term": [{"source": "x", "ca": 3}]}, "key 'term[1].ca': expected a list of strings"),
    ({"term": [{"source": "x", "keep": "yes"}]}, "key 'term[1].keep': expected true or false"),
    ({"term": [{"source": "x", "notes": "y", "keep": True}]}, "key 'term[1].notes': unknown key or language"),
    ({"term": [{"source": "x", "keep": True}, {"source": "x", "keep": True}]}, "listed twice"),
])
def test_bad_glossary_names_file_term_and_key(data: dict[str, object], message: str) -> None:
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(data, Path("glossary.toml"))
    assert message in str(caught.value)
    assert str(caught.value).startswith("glossary.toml: ")


def test_a_glossary_with_a_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "glossary.toml").write_text('[[term]]\nsource = "BIoD"\nkeep = tru\n', encoding="utf-8")
    with pytest.raises(GlossaryError, match="invalid TOML") as caught:
        load_glossary(load_settings(_settings(tmp_path, "")))
    assert caught.value.line == 3 and str(caught.value).startswith(f"{tmp_path / 'glossary.toml'}:3: ")


def test_workflow_md_lists_every_check_with_its_severity() -> None:
    workflow = (Path(__file__).resolve().parent.parent / "workflow.md").read_text(encoding="utf-8")
    for check in CHECKS:
        assert f"| `{check.code}` | {check.severity.value} | {check.catches} |" in workflow, check.code
    assert len(CHECKS) >= 25
