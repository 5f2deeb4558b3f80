"""MO files: equivalent to GNU msgfmt's (byte-identical, in fact), and fast."""

from __future__ import annotations

import gettext
import io
import random
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n.catalogs.catalog import Catalog, Entry
from i18n.catalogs.mofile import _hashes, format_mo, write_mo
from i18n.catalogs.pofile import format_catalog, read_catalog
from tests.conftest import REPO
from tests.programs import require_program

HEADERS = (
    ("Project-Id-Version", "test"), ("POT-Creation-Date", "2026-11-21 08:00+0000"), ("Language", "ca"),
    ("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=UTF-8"),
    ("Content-Transfer-Encoding", "8bit"), ("Plural-Forms", "nplurals=2; plural=(n != 1);"),
)


def msgfmt(po: Path, *options: str) -> bytes:
    result = subprocess.run([require_program("msgfmt"), *options, "-o", "-", str(po)], capture_output=True,
                            check=True)
    return result.stdout


def random_catalog(seed: int, size: int) -> Catalog:
    """Plain, plural, contextual, fuzzy, untranslated and obsolete entries, with non-ASCII text."""
    rng = random.Random(seed)
    words = ["cèl·lula", "neurona", "«arxiu»", "🙂", "%(num)d", "l'imatge", "ça", "data", "x"]
    entries: list[Entry] = []
    seen: set[tuple[str | None, str]] = set()
    while len(entries) < size:
        msgid = " ".join(rng.choice(words) for _ in range(rng.randint(1, 6))) + f" {rng.randint(0, size)}"
        context = rng.choice([None, None, "navigation", "title"])
        if (context, msgid) in seen:
            continue
        seen.add((context, msgid))
        flags = ("fuzzy",) if rng.random() < 0.1 else ()
        if rng.random() < 0.2:
            entries.append(Entry(msgid=msgid, msgctxt=context, msgid_plural=msgid + " (plural)",
                                 msgstr_plural=(rng.choice(["", "u " + msgid]), "molts " + msgid), flags=flags))
        else:
            entries.append(Entry(msgid=msgid, msgctxt=context, msgstr=rng.choice(["", "tr " + msgid]),
                                 flags=flags, obsolete=rng.random() < 0.05))
    return Catalog(headers=HEADERS, entries=tuple(entries))


def sample_catalogs() -> list[Path]:
    return sorted((REPO / "locales").glob("*/**/*.po"))


@pytest.mark.parametrize("path", sample_catalogs(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_sample_catalogs_compile_byte_identical_to_msgfmt(path: Path) -> None:
    assert format_mo(read_catalog(path)) == msgfmt(path)


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4, 5, 9, 10, 11, 57, 400, 3000])
def test_random_catalogs_compile_byte_identical_to_msgfmt(tmp_path: Path, size: int) -> None:
    po = tmp_path / "random.po"
    po.write_text(format_catalog(random_catalog(size, size)), encoding="utf-8")
    catalog = read_catalog(po)
    assert format_mo(catalog) == msgfmt(po)
    assert format_mo(catalog, hash_table=False) == msgfmt(po, "--no-hash")


def test_every_lookup_matches_msgfmt(tmp_path: Path) -> None:
    """Loaded by Python's gettext, both files answer every lookup the same (plurals and contexts too)."""
    po = tmp_path / "lookups.po"
    po.write_text(format_catalog(random_catalog(7, 500)), encoding="utf-8")
    catalog = read_catalog(po)
    ours = gettext.GNUTranslations(io.BytesIO(format_mo(catalog)))
    theirs = gettext.GNUTranslations(io.BytesIO(msgfmt(po)))
    assert ours.info() == theirs.info()
    compared = 0
    for entry in catalog.entries:
        if entry.msgid_plural is None:
            if entry.msgctxt is None:
                assert ours.gettext(entry.msgid) == theirs.gettext(entry.msgid)
            else:
                assert ours.pgettext(entry.msgctxt, entry.msgid) == theirs.pgettext(entry.msgctxt, entry.msgid)
        else:
            for n in range(0, 6):
                if entry.msgctxt is None:
                    assert (ours.ngettext(entry.msgid, entry.msgid_plural, n)
                            == theirs.ngettext(entry.msgid, entry.msgid_plural, n))
                else:
                    assert (ours.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                            == theirs.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n))
        compared += 1
    assert compared == len(catalog.entries) > 400
    translated = [e for e in catalog.entries if e.translated and not e.fuzzy and not e.obsolete]
    assert any(ours.gettext(e.msgid) != e.msgid for e in translated if e.msgctxt is None and not e.msgid_plural)


def test_fuzzy_untranslated_and_obsolete_entries_are_left_out() -> None:
    catalog = Catalog(headers=HEADERS, entries=(
        Entry("kept", "guardat"), Entry("fuzzy", "difús", flags=("fuzzy",)), Entry("empty", ""),
        Entry("gone", "desaparegut", obsolete=True),
    ))
    translations = gettext.GNUTranslations(io.BytesIO(format_mo(catalog)))
    assert [translations.gettext(m) for m in ("kept", "fuzzy", "empty", "gone")] == [
        "guardat", "fuzzy", "empty", "gone"]
    assert "POT-Creation-Date" not in translations.info()  # msgfmt leaves it out too


def scalar_hash(data: bytes) -> int:
    """gettext's hash_string, transcribed literally."""
    value = 0
    for byte in data:
        value = ((value << 4) + byte) & 0xFFFFFFFF
        top = value & 0xF0000000
        if top:
            value ^= top >> 24
            value ^= top
    return value


@settings(max_examples=50, deadline=None)
@given(st.lists(st.binary(min_size=0, max_size=300).map(lambda b: b.replace(b"\0", b"")), max_size=60))
def test_lane_parallel_hash_is_gettexts_hash(strings: list[bytes]) -> None:
    assert _hashes(strings) == [scalar_hash(s) for s in strings]


def test_write_mo_is_atomic_and_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "ca" / "LC_MESSAGES" / "messages.mo"
    catalog = random_catalog(3, 50)
    assert write_mo(catalog, path) is True
    stamp = path.stat().st_mtime_ns
    assert write_mo(catalog, path) is False
    assert path.stat().st_mtime_ns == stamp
    assert list(path.parent.iterdir()) == [path]


@pytest.mark.slow
def test_hundred_thousand_entries_compile_quickly() -> None:
    """polib needs ~35 s for this; we take a fraction of a second (the bound leaves room for a busy CI)."""
    rng = random.Random(1)
    words = ["cells", "neurons", "the heart", "a long paragraph of text that goes on and on", "image"]
    catalog = Catalog(headers=HEADERS, entries=tuple(
        Entry(f"Message {i} about " + " ".join(rng.choice(words) for _ in range(rng.randint(1, 12))),
              f"Missatge {i}")
        for i in range(100_000)
    ))
    timings = []
    for _ in range(2):  # the better of two runs: a loaded machine should not fail the test
        # CPU time, not wall time: under parallel tests (and other jobs) waiting for a core is not our cost.
        start = time.process_time()
        data = format_mo(catalog)
        timings.append(time.process_time() - start)
    assert len(data) > 100_000 * 16
    assert min(timings) < 3.0, f"compiling 100,000 entries took {min(timings):.2f} s of CPU"
