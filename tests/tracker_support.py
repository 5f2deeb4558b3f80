"""Helpers for the status-tracker tests: a synced workspace, PO edits, and a PostgreSQL schema per test."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from i18n.catalogs.catalog import Catalog, Entry
from i18n.catalogs.pofile import read_catalog
from i18n.catalogs.poformat import format_catalog
from i18n.core.workspace import Workspace
from i18n.workflow.sync import sync
from tests.programs import in_ci

GUT = "2026-11-14-gut-feelings"
GUT_SOURCE = "content/2026/2026-11-14-gut-feelings.md"


def synced(root: Path) -> Workspace:
    """The workspace at ``root`` after ``i18n sync``."""
    workspace = Workspace.open(config=root / "i18n.toml")
    report = sync(workspace)
    assert report.ok, report.errors
    return workspace


def catalog_path(workspace: Workspace, article: str = GUT, language: str = "ca") -> Path:
    lang = workspace.settings.language(language)
    return workspace.catalog_path(lang, article, int(article[:4]))


def edit_catalog(path: Path, change: Callable[[Entry], Entry], *, translator: str | None = None,
                 bump_mtime: bool = True) -> Catalog:
    """Rewrite the catalog at ``path`` with ``change`` applied to every active entry (as an editor would)."""
    catalog = read_catalog(path)
    entries = tuple(e if e.obsolete else change(e) for e in catalog.entries)
    catalog = replace(catalog, entries=entries)
    if translator is not None:
        catalog = catalog.with_header("Last-Translator", translator)
    write_bytes(path, format_catalog(catalog).encode("utf-8"), bump_mtime=bump_mtime)
    return catalog


def write_bytes(path: Path, data: bytes, *, bump_mtime: bool = True) -> None:
    """Write ``data`` and move the mtime forward, so that even a same-size edit within a tick is seen.

    The write is a rename of a finished temporary file, as PO editors save (Poedit, Lokalize), so a
    process reading the catalog at the same moment (the concurrency tests) sees the old or the new file,
    never half of one.
    """
    before = path.stat().st_mtime_ns if path.exists() else 0
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    if bump_mtime:
        stamp = max(path.stat().st_mtime_ns, before + 1_000_000)
        os.utime(path, ns=(stamp, stamp))


def translate_all(entry: Entry, text: str = "Traducció") -> Entry:
    """``entry`` translated (every form), not fuzzy."""
    if entry.msgid_plural is not None:
        return replace(entry.with_flag("fuzzy", False), msgstr_plural=tuple(f"{text} {i}" for i in range(2)))
    return replace(entry.with_flag("fuzzy", False), msgstr=f"{text}: {entry.msgid[:20]}")


def sqlite_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sure the embedded tracker is used (CI sets I18N_DATABASE_URL for PostgreSQL tests)."""
    monkeypatch.delenv("I18N_DATABASE_URL", raising=False)
    monkeypatch.delenv("I18N_USER", raising=False)


def postgres_server_url() -> str | None:
    """``I18N_TEST_DATABASE_URL``; skips (or fails under CI) when it is not set."""
    url = os.environ.get("I18N_TEST_DATABASE_URL")
    if not url:
        if in_ci():
            pytest.fail("I18N_TEST_DATABASE_URL is not set; .ci/run must set it", pytrace=False)
        pytest.skip("I18N_TEST_DATABASE_URL is not set: no PostgreSQL tests")
    return url


def postgres_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema on the test server, dropped afterwards; yields a URL that uses it."""
    import sqlalchemy as sa

    url = postgres_server_url()
    assert url is not None
    schema = f"i18n_test_{secrets.token_hex(6)}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    except sa.exc.OperationalError as exc:
        engine.dispose()
        message = f"PostgreSQL at {url} is not reachable: {str(exc).splitlines()[0]}"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with engine.connect() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


def msgfmt_counts(output: str) -> tuple[int, int, int]:
    """``(translated, fuzzy, untranslated)`` from ``msgfmt --statistics`` output."""
    def number(word: str) -> int:
        match = re.search(rf"(\d+) {word}", output)
        return int(match.group(1)) if match else 0

    return number("translated"), number("fuzzy"), number("untranslated")
