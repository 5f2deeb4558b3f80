"""Catalogs in other charsets than UTF-8 (issue 15, point 4): read in the charset the header declares, as
msgfmt and msgconv do, written back in UTF-8 with the header saying so; a byte that does not decode in the
declared charset is an error naming the line. The non-UTF-8 files are made by GNU ``msgconv`` from UTF-8 ones.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from i18n.catalogs.pofile import decode_catalog, read_catalog, write_catalog
from i18n.catalogs.poformat import format_catalog
from i18n.core.errors import EncodingError
from tests.conftest import Run
from tests.programs import require_program

HEADER = """# Translation of the sample site.
msgid ""
msgstr ""
"Project-Id-Version: sample\\n"
"Language: {language}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"

"""

#: (charset, language, translations): text every charset can spell.
CASES = [
    ("ISO-8859-1", "ca", ["Cafè amb llet", "Això és força", "Ç·l"]),
    ("ISO-8859-2", "pl", ["Zażółć gęślą jaźń", "Łódź"]),
    ("ISO-8859-15", "fr", ["Cœur de l'œuvre: 10 €", "Ÿ"]),
    ("EUC-KR", "ko", ["한국어 번역", "오늘의 이미지"]),
    ("EUC-JP", "ja", ["今日の画像", "カタカナとひらがな"]),
    ("KOI8-R", "ru", ["Изображение дня", "Ёлка"]),
]


def utf8_catalog(language: str, translations: list[str]) -> str:
    entries = "".join(f'#: content/a.md:{n}\nmsgid "Source {n}"\nmsgstr "{text}"\n\n'
                      for n, text in enumerate(translations, 1))
    return HEADER.format(language=language) + entries.rstrip("\n") + "\n"


def msgconv(data: bytes, charset: str, tmp_path: Path) -> bytes:
    """What ``msgconv --to-code=CHARSET`` makes of the PO file ``data``."""
    program = require_program("msgconv")
    source = tmp_path / "conv-in.po"
    source.write_bytes(data)
    result = subprocess.run([program, f"--to-code={charset}", str(source)], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(("charset", "language", "translations"), CASES)
def test_a_catalog_in_its_declared_charset_reads_and_writes_back_utf8(
        tmp_path: Path, charset: str, language: str, translations: list[str]) -> None:
    text = utf8_catalog(language, translations)
    data = msgconv(text.encode("utf-8"), charset, tmp_path)
    assert f"charset={charset}".encode() in data and data != text.encode("utf-8")  # really another charset
    catalog = decode_catalog(data, tmp_path / "x.po")
    assert catalog.charset == charset
    assert [e.msgstr for e in catalog.entries] == translations
    assert catalog.header("Content-Type") == "text/plain; charset=UTF-8"
    # Written back exactly as msgconv --to-code=UTF-8 (so msgcat) writes it.
    assert format_catalog(catalog).encode("utf-8") == msgconv(data, "UTF-8", tmp_path)
    assert decode_catalog(text.encode("utf-8"), tmp_path / "x.po") == catalog


def test_a_latin1_file_saved_by_an_editor_is_converted_on_write(tmp_path: Path) -> None:
    path = tmp_path / "ca.po"
    path.write_bytes(utf8_catalog("ca", ["Cafè"]).replace("UTF-8", "ISO-8859-1").encode("latin-1"))
    catalog = read_catalog(path)
    assert write_catalog(catalog, path)
    assert path.read_bytes().decode("utf-8").count("Cafè") == 1 and b"charset=UTF-8" in path.read_bytes()
    assert read_catalog(path).charset == "UTF-8"


def test_a_byte_the_declared_charset_does_not_have_is_an_error_with_its_line(tmp_path: Path) -> None:
    data = utf8_catalog("ko", ["한국어"]).replace("UTF-8", "EUC-KR").encode("euc-kr")
    data = data.replace('msgstr "한'.encode("euc-kr"), b'msgstr "\xff\xfe', 1)
    with pytest.raises(EncodingError) as caught:
        decode_catalog(data, tmp_path / "ko.po")
    assert caught.value.line == 12 and "not valid EUC-KR (byte 0xff)" in caught.value.message
    assert caught.value.path == tmp_path / "ko.po"


def test_utf8_declared_and_not_utf8_is_still_an_error(tmp_path: Path) -> None:
    data = utf8_catalog("ca", ["Cafè"]).encode("latin-1")
    with pytest.raises(EncodingError) as caught:
        decode_catalog(data, tmp_path / "ca.po")
    assert caught.value.line == 12 and "not valid UTF-8" in caught.value.message
    assert "msgconv" in (caught.value.hint or "")


def test_sync_converts_a_latin1_catalog_and_says_so_once(run: Run, workspace_dir: Path) -> None:
    import json

    run("sync")
    path = workspace_dir / "locales/ca/articles/2026/2026-11-18-branching-out.po"
    text = path.read_text(encoding="utf-8").replace('msgstr ""\n\n', 'msgstr "Fes-ho amb cafè"\n\n', 1)
    path.write_bytes(text.replace("charset=UTF-8", "charset=ISO-8859-1").encode("latin-1"))
    result = run("sync")
    assert result.stderr.count("not in UTF-8") == 1 and "ISO-8859-1" in result.stderr
    assert "2026-11-18-branching-out.po" in result.stderr
    data = path.read_bytes()
    assert "Fes-ho amb cafè".encode() in data and b"charset=UTF-8" in data
    again = run("sync", "--json")
    assert "not in UTF-8" not in again.stderr
    assert all(not lang["converted"] for lang in json.loads(again.stdout)["languages"])
