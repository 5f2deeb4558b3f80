"""The no-op ``sync``: when every source, template and catalog is as the content index recorded it, the
report is known without looking at any article one by one.

On 50,000 articles in two languages a daily ``sync`` looks at 200,000 files. Checking each against its
stamp costs tens of microseconds of Python per file; here each folder is compared once with the digest the
index keeps of it (:meth:`i18n.core.index.ContentIndex.trusted`: one ``scandir``, and the ``stat`` of
each entry), and the articles are counted from the index. The answer is the one the full run would give
(nothing written, every template and catalog unchanged); when anything differs (a file edited, added or
removed, a racy stamp, an article id used twice, the UI files changed, a catalog merged with another
template), :func:`unchanged_run` says ``None`` and the full run decides, file by file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from i18n import __version__
from i18n.core.config import Settings
from i18n.core.index import ContentIndex
from i18n.core.languages import Language
from i18n.core.workspace import Workspace
from i18n.workflow.sync_reports import ExtractReport, LanguageReport

#: Bump when the code changes what templates or catalogs look like, so indexes made before are dropped.
FORMAT_REVISION = 2


def index_fingerprint(settings: Settings) -> str:
    """What, besides the files, shapes templates and catalogs (the content index's fingerprint): a change
    here re-checks every file."""
    parts = [__version__, str(FORMAT_REVISION), settings.project, settings.copyright_holder, settings.bugs_address,
             settings.content.as_posix(), settings.locales.as_posix(), *(f.as_posix() for f in settings.feeds),
             *(f"{u.root}:{u.pattern}:{u.method}" for u in settings.ui)]
    return hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()


def unchanged_run(ws: Workspace, index: ContentIndex, sources: Sequence[tuple[str, bool]], ignored: Sequence[str],
                  languages: Sequence[Language], ui_token: str | None
                  ) -> tuple[ExtractReport, tuple[LanguageReport, ...]] | None:
    """The reports of a ``sync`` that would change nothing, or ``None`` if it might change something.

    ``sources``: every source file found (``(key, is_feed)``); ``ignored``: the other files of the content
    folder; ``ui_token``: the UI template's recorded digest when the UI files and template are as recorded
    (``None`` when the workspace has no UI files; the caller does not ask when they changed).
    """
    recorded = index.articles
    if len(recorded) != len(sources):
        return None  # a source added or removed
    # Every folder the answer relies on must be as recorded: told first (a folder edited, say, ends it here,
    # before the index is consulted for every article). Keys are built from their parts below (that loop
    # runs for every article in every language): ``locales/templates/articles/`` + ``yyyy/id`` + ``.pot``.
    templates = ws.template_key("-", 0).rpartition("/")[0].rpartition("/")[0] + "/"
    catalogs = [ws.catalog_key(lang, "-", 0).rpartition("/")[0].rpartition("/")[0] + "/" for lang in languages]
    years = {f"{int(year):04d}" for known in recorded.values() for _, year in known}
    folders = {rel.rpartition("/")[0] for rel, _ in sources}
    folders.update(f"{prefix}{year}" for prefix in [templates, *catalogs] for year in years)
    if ui_token is not None:
        folders.update(ws.ui_catalog_key(lang).rpartition("/")[0] for lang in languages)
    root = str(ws.root)
    index.preload(root, folders)
    if not all(index.trusted_folder(root, folder) for folder in folders):
        return None
    articles = _as_recorded(ws, index, sources, languages, ui_token, templates, catalogs)
    if articles is None:
        return None
    count = articles + (ui_token is not None)
    return (ExtractReport(templates_unchanged=articles, ignored=tuple(ignored)),
            tuple(LanguageReport(language.code, unchanged=count) for language in languages))


def _as_recorded(ws: Workspace, index: ContentIndex, sources: Sequence[tuple[str, bool]],
                 languages: Sequence[Language], ui_token: str | None, templates: str, catalogs: Sequence[str]
                 ) -> int | None:
    """How many articles, if the index says each source's articles are extracted, and each catalog merged
    with its article's template as it is now; else ``None``. ``templates`` and ``catalogs`` (one per
    language): the folders of the article templates and catalogs, ending in ``/``."""
    stamps, recorded = index.stamps, index.articles
    tails: list[tuple[str, str]] = []  # (``yyyy/id``, its template's token), per article
    seen: set[str] = set()
    for rel, _ in sources:
        known = recorded.get(rel)
        if known is None or rel not in stamps:
            return None
        for article_id, year in known:
            tail = f"{int(year):04d}/{article_id}"
            stamp = stamps.get(f"{templates}{tail}.pot")
            if article_id in seen or stamp is None:
                return None  # an id used twice is reported by the full run
            seen.add(article_id)
            tails.append((tail, stamp[2]))
    for language, prefix in zip(languages, catalogs, strict=True):
        for tail, token in tails:
            stamp = stamps.get(f"{prefix}{tail}.po")
            if stamp is None or stamp[2] != token:
                return None
        if ui_token is not None:
            stamp = stamps.get(ws.ui_catalog_key(language))
            if not ui_token or stamp is None or stamp[2] != ui_token:
                return None
    return len(tails)
