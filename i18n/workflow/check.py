"""The ``check`` use case: run the quality checks over a workspace's translations.

Every entry that has a translation (``machine``, ``needs-work``, ``translated``; ``approved`` entries
are ``translated`` in their PO file), and every fuzzy entry (whose empty translation the ``empty`` check
reports), of the article catalogs and the UI catalog of each language is checked with
:func:`i18n.content.checks.check_entry`; then the ``consistency`` check compares each language's entries across
all its catalogs. The report lists each problem with its article (``@ui`` for the UI catalog), language,
entry key, code, severity, message, source, translation, file and line, and the findings a reviewer
accepted (``ignore-<code>``, see :mod:`i18n.content.checks.accept`), which are not run. It only reads: no
lock, no writes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from i18n.catalogs.catalog import Entry
from i18n.catalogs.pofile import read_catalog
from i18n.content.articles import check_sources
from i18n.content.checks import (
    CHECKS,
    CONSISTENCY,
    Code,
    Config,
    Occurrence,
    Severity,
    check_entry,
    inconsistencies,
    load_config,
    message,
)
from i18n.content.checks.accept import acceptances_of, accepted_codes
from i18n.core.errors import FileError, I18nError, UsageError
from i18n.core.glossary import Glossary, load_glossary
from i18n.core.ids import UI, UI_ARTICLE, display_id, resolve_article
from i18n.core.languages import Language
from i18n.core.states import State
from i18n.core.workspace import Workspace

_ORDER: dict[str, int] = {check.code: index for index, check in enumerate(CHECKS)}


@dataclass(frozen=True, slots=True)
class Problem:
    """One failed check on one entry (one plural form) of one catalog."""

    article: str
    """The article id; ``@ui`` for the UI catalog (``LC_MESSAGES/messages.po``)."""
    language: str
    entry: str
    """The entry's stable key (see :func:`i18n.catalogs.catalog.entry_key`)."""
    code: Code
    severity: Severity
    message: str
    source: str
    translation: str
    file: str
    """The catalog, relative to the workspace root."""
    line: int
    state: State
    """The entry's state in its PO file: ``machine``, ``needs-work``, ``translated`` (or ``untranslated``
    for a fuzzy entry with an empty translation)."""
    form: int | None = None
    """The plural form (``msgstr[form]``) the problem is in; ``None`` for a singular entry."""

    @property
    def location(self) -> str:
        """``file:line``."""
        return f"{self.file}:{self.line}"

    def as_dict(self) -> dict[str, Any]:
        """The problem as ``i18n check --json`` lists it."""
        return {
            "article": self.article, "language": self.language, "entry": self.entry, "code": self.code.value,
            "severity": self.severity.value, "message": self.message, "source": self.source,
            "translation": self.translation, "file": self.file, "line": self.line, "state": self.state.value,
            "form": self.form,
        }


@dataclass(frozen=True, slots=True)
class Accepted:
    """A check a reviewer accepted on one entry: it does not run there (``# ignore-<code>`` in the PO file)."""

    article: str
    language: str
    entry: str
    code: Code
    reason: str
    by: str | None
    file: str
    line: int

    def as_dict(self) -> dict[str, Any]:
        """The acceptance as ``i18n check --json`` lists it."""
        return {"article": self.article, "language": self.language, "entry": self.entry, "code": self.code.value,
                "reason": self.reason, "by": self.by, "file": self.file, "line": self.line}


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What ``check`` found: the problems, and the files it could not read (left out of the checks)."""

    languages: tuple[str, ...]
    catalogs: int
    """How many catalogs were checked."""
    entries: int
    """How many entries were checked."""
    problems: tuple[Problem, ...]
    file_errors: tuple[FileError, ...] = ()
    accepted: tuple[Accepted, ...] = ()
    """The accepted findings of the checked entries."""

    @property
    def has_errors(self) -> bool:
        """Whether any problem is an error (``i18n check`` then exits 3)."""
        return any(p.severity is Severity.ERROR for p in self.problems)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems of severity ``error``."""
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems of severity ``warning``."""
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    def of_article(self, language: str, article: str) -> tuple[Problem, ...]:
        """The problems of one article (``@ui``: the UI catalog) in one language."""
        return tuple(p for p in self.problems if p.language == language and p.article == article)

    def accepted_of(self, language: str, article: str) -> tuple[Accepted, ...]:
        """The accepted findings of one article (``@ui``: the UI catalog) in one language."""
        return tuple(a for a in self.accepted if a.language == language and a.article == article)


@dataclass(frozen=True, slots=True)
class _CatalogRef:
    article: str
    """The tracker's id: an article id, or :data:`~i18n.core.ids.UI_ARTICLE` for the UI catalog."""
    path: Path


def check(workspace: Workspace, language: Language | None = None, articles: Sequence[str] = ()) -> CheckReport:
    """Check the translations of ``language`` (default: every configured language).

    With ``articles`` (ids as the user wrote them, see :func:`i18n.core.ids.resolve_article`), only those
    catalogs are checked (``@ui`` selects the UI catalog, which is otherwise left out), but the consistency
    check still compares them with every catalog of the language. An article id that names no article (no
    template, no catalog) is a :class:`UsageError`; a catalog that cannot be read is reported in
    ``file_errors`` and left out, as is a source article that cannot be loaded (it has no catalog to check).
    """
    settings = workspace.settings
    selected = tuple(dict.fromkeys(resolve_article(article) for article in articles))
    for article in selected:
        if article != UI_ARTICLE:
            _require_article(workspace, article)
    config = load_config(settings)
    glossary = load_glossary(settings)
    languages = (language,) if language is not None else settings.languages
    problems: list[Problem] = []
    file_errors: list[FileError] = list(check_sources(workspace))
    accepted: list[Accepted] = []
    catalogs = entries = 0
    for lang in languages:
        result = _check_language(workspace, lang, selected, config, glossary)
        problems.extend(result.problems)
        file_errors.extend(result.file_errors)
        accepted.extend(result.accepted)
        catalogs += result.catalogs
        entries += result.entries
    return CheckReport(tuple(lang.code for lang in languages), catalogs, entries, tuple(problems),
                       tuple(file_errors), tuple(accepted))


@dataclass(frozen=True, slots=True)
class _Checked:
    """An entry that was checked: where it is, for problems and the consistency check."""

    ref: _CatalogRef
    entry: Entry
    selected: bool


def _check_language(workspace: Workspace, language: Language, articles: tuple[str, ...], config: Config,
                    glossary: Glossary) -> CheckReport:
    source_language = workspace.settings.source_language
    wanted = set(articles)
    problems: list[Problem] = []
    file_errors: list[FileError] = []
    checked: list[_Checked] = []
    accepted: list[Accepted] = []
    catalogs = entries = 0
    consistency = config.enabled(CONSISTENCY.code)
    for ref in _catalogs(workspace, language):
        selected = not wanted or ref.article in wanted
        if not selected and not consistency:
            continue
        try:
            catalog = read_catalog(ref.path)
        except I18nError as error:
            if selected:
                file_errors.append(_relative_error(workspace, error))
            continue
        if selected:
            catalogs += 1
        # Plural forms are checked against the catalog's own Plural-Forms header, as msgfmt does.
        declared = language.for_catalog(catalog.header("Plural-Forms"))
        for entry in catalog.active_entries:
            if not (entry.translated or entry.fuzzy):
                continue
            checked.append(_Checked(ref, entry, selected))
            if not selected:
                continue
            entries += 1
            accepted += [Accepted(display_id(ref.article), language.code, entry.key, a.code, a.reason, a.by,
                                  workspace.relative(ref.path), entry.line) for a in acceptances_of(entry)]
            for finding in check_entry(entry, declared, source_language, config, glossary):
                problems.append(_problem(workspace, language, ref, entry, finding.code, finding.severity,
                                         finding.message, finding.form))
    for ref in _missing_catalogs(workspace, language, articles):
        what = "no UI catalog in this language" if ref.article == UI_ARTICLE else "no catalog for this article"
        file_errors.append(FileError(workspace.relative(ref.path), None, what, "run 'i18n sync' to create it"))
    if consistency:
        translated = [c for c in checked if c.entry.translated]
        occurrences = [_occurrence(workspace, c) for c in translated]
        severity = config.severity(CONSISTENCY)
        for index, detail in inconsistencies(occurrences):
            item = translated[index]
            if item.selected and CONSISTENCY.code not in accepted_codes(item.entry):
                problems.append(_problem(workspace, language, item.ref, item.entry, CONSISTENCY.code, severity,
                                         message(CONSISTENCY, detail), None))
    problems.sort(key=lambda p: (p.file, p.line, p.form or 0, _ORDER.get(p.code, len(_ORDER))))
    return CheckReport((language.code,), catalogs, entries, tuple(problems), tuple(file_errors), tuple(accepted))


def _problem(workspace: Workspace, language: Language, ref: _CatalogRef, entry: Entry, code: Code,
             severity: Severity, text: str, form: int | None) -> Problem:
    if entry.msgid_plural is None:
        source, translation = entry.msgid, entry.msgstr
    elif form is None:  # a problem of the whole plural entry (consistency)
        source, translation = entry.source_text, entry.translation_text
    else:
        source = entry.msgid if form == 0 else entry.msgid_plural
        translation = entry.msgstrs[form] if form < len(entry.msgstrs) else ""
    return Problem(
        article=display_id(ref.article), language=language.code, entry=entry.key, code=code, severity=severity,
        message=text, source=source, translation=translation, file=workspace.relative(ref.path),
        line=entry.line, state=entry.state, form=form,
    )


def _occurrence(workspace: Workspace, checked: _Checked) -> Occurrence:
    entry = checked.entry
    source, translation = entry.source_text, entry.translation_text
    # Article entries' msgctxt names the field (title, credit): the same text in two fields is the same
    # source. The UI catalog's msgctxt exists to tell two meanings apart, so it must match too.
    context = entry.msgctxt if checked.ref.article == UI_ARTICLE else None
    return Occurrence(source, translation, f"{workspace.relative(checked.ref.path)}:{entry.line}", context)


def _catalogs(workspace: Workspace, language: Language) -> Iterator[_CatalogRef]:
    """The UI catalog, then every article catalog of ``language`` (by year, then id)."""
    ui = workspace.ui_catalog_path(language)
    if ui.is_file():
        yield _CatalogRef(UI_ARTICLE, workspace.confined(ui))
    folder = workspace.locales / language.gettext / "articles"
    for year in sorted(folder.iterdir()) if folder.is_dir() else []:
        if year.is_dir() and year.name.isdigit():
            for path in sorted(year.glob("*.po")):
                yield _CatalogRef(path.stem, workspace.confined(path))


def _missing_catalogs(workspace: Workspace, language: Language, articles: tuple[str, ...]
                      ) -> Iterator[_CatalogRef]:
    """The requested articles (and UI catalog) that have a template but no catalog in ``language``."""
    for article in articles:
        if article == UI_ARTICLE:
            if workspace.ui_template_path.is_file() and not workspace.ui_catalog_path(language).is_file():
                yield _CatalogRef(UI_ARTICLE, workspace.ui_catalog_path(language))
            continue
        if not workspace.catalog_years(language, article):
            for year in workspace.template_years(article):
                yield _CatalogRef(article, workspace.catalog_path(language, article, year))


def _require_article(workspace: Workspace, article: str) -> None:
    if workspace.template_years(article) or any(workspace.catalog_years(lang, article)
                                                 for lang in workspace.settings.languages):
        return
    raise UsageError(f"no article '{article}' in this workspace",
                     hint="give an article id, the source file name without .md, e.g. 2026-11-18-branching-out, "
                          f"or {UI} for the UI catalog")


def _relative_error(workspace: Workspace, error: I18nError) -> FileError:
    found = FileError.of(error)
    file = workspace.relative(error.path) if error.path is not None else found.file
    return FileError(file, found.line, found.message, found.hint)
