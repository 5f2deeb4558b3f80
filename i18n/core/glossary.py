"""The workspace glossary: preferred translations of terms, and terms that are never translated.

A TOML file (``glossary.toml`` at the workspace root, or the path in ``[glossary] file``) with one
``[[term]]`` table per term::

    [[term]]
    source = "BIoD"                        # the English term
    keep = true                            # do not translate: the translation keeps it as it is
    note = "The site's name."

    [[term]]
    source = "T cell"
    ca = "limfòcit T"                      # the preferred translation in Catalan
    es = ["linfocito T", "célula T"]       # several accepted translations

    [[term]]
    source = "Biomedical Image of the Day"
    keep = true                            # may stay in English...
    ca = "Imatge Biomèdica del Dia"        # ...or be translated so

A term with ``keep = true`` and no translation for a language is a *do-not-translate* term there. A term
with translations for a language is a *preferred* term there; with ``keep = true`` as well, keeping the
source term also counts as using it. Language keys are codes as in ``i18n.toml`` (``ca``, ``ca-valencia``).

Matching is on whole words; a space in a term also matches a hyphen or a non-breaking space
(``T cell`` finds ``T-cell``), and each word may take a plural ending: ``-s``, ``-es``; a final ``-a`` may
become ``-es`` (Catalan), a final ``-z`` ``-ces`` (Spanish). So ``T cell`` finds ``T cells``, ``limfòcit T``
finds ``limfòcits T`` and ``cèl·lula mare`` finds ``cèl·lules mare``. A term written all in lowercase
matches in any case; otherwise it matches as written, except for its first letter (a term may start a
sentence). Other inflections (gender, moving accents: ``imagen``/``imágenes``) are listed as further
accepted translations.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from i18n.core.config import Settings, TableReader, non_empty, relative_path
from i18n.core.errors import ConfigError, GlossaryError, LanguageError
from i18n.core.languages import Language, parse_language

DEFAULT_FILE = "glossary.toml"
_TERM_KEYS = ("source", "keep", "note")


@dataclass(frozen=True, slots=True)
class Term:
    """One glossary term: its source text, whether it may stay untranslated, and its translations."""

    source: str
    keep: bool = False
    translations: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """``(language code, accepted translations)`` pairs, in file order."""
    note: str = ""

    def translations_for(self, language: Language) -> tuple[str, ...]:
        """The accepted translations in ``language`` (none: the term is not preferred there)."""
        for code, values in self.translations:
            if code in (language.code, language.gettext):
                return values
        return ()

    def do_not_translate(self, language: Language) -> bool:
        """Whether the translation in ``language`` must keep the term exactly as it is."""
        return self.keep and not self.translations_for(language)

    def in_source(self, text: str) -> bool:
        """Whether the term occurs in a source text (plural endings allowed)."""
        return _pattern(self.source, inflect=True).search(text) is not None

    def kept_in(self, text: str) -> bool:
        """Whether a translation keeps the term as written in the source (no plural ending)."""
        return _pattern(self.source, inflect=False).search(text) is not None

    def translated_in(self, text: str, language: Language) -> bool:
        """Whether a translation uses one of the term's accepted translations (or keeps it, if allowed)."""
        if self.keep and self.kept_in(text):
            return True
        return any(_pattern(value, inflect=True).search(text) for value in self.translations_for(language))


@dataclass(frozen=True, slots=True)
class Glossary:
    """The workspace's terms; empty when the workspace has no glossary file."""

    terms: tuple[Term, ...] = ()
    path: Path | None = None

    def kept_terms(self) -> tuple[str, ...]:
        """Source terms that may stay untranslated (``keep = true``) in any language."""
        return tuple(t.source for t in self.terms if t.keep)


def load_glossary(settings: Settings) -> Glossary:
    """The glossary ``[glossary] file`` names (default ``glossary.toml`` if it exists), validated.

    A glossary named in ``i18n.toml`` that does not exist, or a malformed one, is a :class:`GlossaryError`
    naming the file, the term and the key.
    """
    table = settings.section("glossary")
    reader = TableReader(settings.path)
    name = reader.take(table, "glossary.", "file", str, "", relative_path)
    reader.no_leftovers(table, "glossary.", ("file",))
    path = settings.root / (name or DEFAULT_FILE)
    if not path.is_file():
        if name:
            raise GlossaryError(
                f"the glossary file '{name}' does not exist", path=settings.path,
                hint=f"create {name} or fix the key 'glossary.file'",
            )
        return Glossary()
    return parse_glossary(_read(path), path)


def parse_glossary(data: dict[str, Any], path: Path) -> Glossary:
    """The :class:`Glossary` of a parsed glossary file; ``path`` is named in error messages."""
    reader = TableReader(path)
    data = dict(data)
    raw_terms = data.pop("term", [])
    if data:
        raise GlossaryError(f"unknown key '{next(iter(data))}'", path=path,
                            hint="the file holds only [[term]] tables")
    if not isinstance(raw_terms, list) or not all(isinstance(t, dict) for t in raw_terms):
        raise GlossaryError("'term' must be an array of tables", path=path, hint="write each term as [[term]]")
    terms: list[Term] = []
    seen: set[str] = set()
    for number, raw in enumerate(raw_terms, start=1):
        table = dict(raw)
        prefix = f"term[{number}]."
        try:
            source = reader.take(table, prefix, "source", str, "", non_empty)
            keep = reader.take(table, prefix, "keep", bool, False)
            note = reader.take(table, prefix, "note", str, "")
            translations: list[tuple[str, tuple[str, ...]]] = []
            for code in list(table):
                _language(reader, prefix, code)
                values = tuple(v.strip() for v in reader.strings(table, prefix, code, []))
                if not values or not all(values):
                    raise reader.fail(f"{prefix}{code}", "expected a non-empty translation or list of them")
                translations.append((code, values))
        except ConfigError as exc:
            raise GlossaryError(exc.message, path=path, hint=exc.hint) from None
        if not source:
            raise GlossaryError(f"term {number} has no 'source'", path=path,
                                hint='write source = "the English term"')
        if not keep and not translations:
            raise GlossaryError(f"term '{source}' has neither 'keep = true' nor a translation", path=path,
                                hint='add keep = true (do not translate) or a translation such as ca = "..."')
        if source in seen:
            raise GlossaryError(f"term '{source}' is listed twice", path=path, hint="merge the two entries")
        seen.add(source)
        terms.append(Term(source, keep, tuple(translations), note))
    return Glossary(tuple(terms), path)


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise GlossaryError(f"not valid UTF-8 ({exc.reason})", path=path, hint="save the file as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        raise GlossaryError(f"invalid TOML: {exc}", path=path, line=int(match.group(1)) if match else None,
                            hint="see https://toml.io for the syntax") from None


def _language(reader: TableReader, prefix: str, code: str) -> Language:
    try:
        return parse_language(code)
    except LanguageError as exc:
        raise reader.fail(f"{prefix}{code}", f"unknown key or language: {exc.message}",
                          hint=f"allowed: {', '.join(_TERM_KEYS)} and language codes such as ca, es") from None


def _inflected(word: str) -> tuple[str, str]:
    """``(stem, ending pattern)`` letting ``word`` take a plural ending: ``cell(s)``, ``limfòcit(s)``,
    ``cèl·lul(a|es)`` (Catalan -a → -es), ``lu(z|ces)`` (Spanish -z → -ces).
    """
    lowered = word.lower()
    if lowered.endswith("a"):
        return word[:-1], "(?:a|as|es)"
    if lowered.endswith("z"):
        return word[:-1], "(?:z|ces)"
    return word, "(?:s|es)?"


@cache
def _pattern(term: str, inflect: bool) -> re.Pattern[str]:
    """A regular expression finding ``term`` as whole words (see the module docstring)."""
    words = term.split()
    case_sensitive = term != term.lower()
    parts: list[str] = []
    for index, word in enumerate(words):
        stem, ending = word, ""
        if inflect and word[-1:].isalpha():
            stem, ending = _inflected(word)
        if case_sensitive and index == 0 and stem[:1].isalpha():
            first = stem[0]
            text = f"[{re.escape(first.upper())}{re.escape(first.lower())}]" + re.escape(stem[1:])
        else:
            text = re.escape(stem)
        parts.append(text + ending)
    body = r"[\s\u00a0\u202f-]+".join(parts)
    return re.compile(rf"(?<![\w·]){body}(?![\w·])", 0 if case_sensitive else re.IGNORECASE)
