"""The no-op ``i18n publish`` answered from ``.i18n/publish/<mirror>.json``: the same ``--json`` value and the
same text as a full run, blocked texts with any characters, and any damaged or older cache file read as none
(a full run, never an error)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from i18n.cli import output
from i18n.core.jsontext import COMPACT, EncodedJSON
from i18n.core.workspace import Workspace
from i18n.mirrors.outputs import mirror_named
from i18n.workflow import publish_cache
from i18n.workflow.publish_cache import CachedBlocked
from tests.test_publish import CLOCK, NOON, approve, cli_run, run, translate, with_mirrors
from tests.tracker_support import GUT, GUT_SOURCE, sqlite_only, synced

#: A paragraph of the blocked article: quotes, a backslash, accents, a character outside the BMP, CJK.
ODD = 'Café “curly” and "straight" quotes, a back\\slash and 🧫 organoids in 日本語.'
PUBLISH = ("publish", "--as-of", "2026-11-21")


@pytest.fixture
def ws(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_USER", "coordinator")
    source = workspace_dir / GUT_SOURCE
    source.write_text(source.read_text(encoding="utf-8") + f"\n{ODD}\n", encoding="utf-8")
    synced(workspace_dir)
    workspace = with_mirrors(workspace_dir)
    translate(workspace, CLOCK)
    approve(workspace, CLOCK)
    return workspace


def cache_files(ws: Workspace) -> list[Path]:
    return sorted((ws.state_dir / "publish").glob("*.json"))


def without_counts(data: dict[str, Any]) -> dict[str, Any]:
    """The ``--json`` object less ``gated``/``cached`` (a full run gates what a cache hit answers)."""
    return {**data, "mirrors": [{k: v for k, v in m.items() if k not in ("gated", "cached")} for m in data["mirrors"]]}


def test_a_cache_hit_prints_what_the_run_that_made_the_cache_printed(ws: Workspace,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    cli_run(ws, capsys, *PUBLISH, "--json")  # the first publication
    for path in cache_files(ws):
        path.unlink()  # the next run gates everything again and makes the cache anew
    code, full, err = cli_run(ws, capsys, *PUBLISH, "--json")
    assert code == 3 and "2 due articles are blocked" in err
    code, hit, err_hit = cli_run(ws, capsys, *PUBLISH, "--json")
    assert (code, err_hit) == (3, err)
    first, again = json.loads(full), json.loads(hit)
    assert [(m["gated"], m["cached"]) for m in first["mirrors"]] == [(3, 0), (3, 0)]
    assert [(m["gated"], m["cached"]) for m in again["mirrors"]] == [(0, 3), (0, 3)]
    assert without_counts(again) == without_counts(first)
    assert [m["unchanged"] for m in again["mirrors"]] == [[CLOCK], [CLOCK]]
    # The text output, from the full run and from the cache.
    for path in cache_files(ws):
        path.unlink()
    _, full_text, _ = cli_run(ws, capsys, *PUBLISH)
    _, hit_text, _ = cli_run(ws, capsys, *PUBLISH)
    assert hit_text == full_text and f"blocked    {GUT}  not-approved: " in hit_text


def test_blocked_texts_with_quotes_and_any_characters_survive_the_cache(ws: Workspace,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    full = run(ws)
    hit = run(ws)
    for made, answered in zip(full.mirrors, hit.mirrors, strict=True):
        assert isinstance(answered.blocked, CachedBlocked) and not isinstance(made.blocked, CachedBlocked)
        assert len(answered.blocked) == len(made.blocked) == 2
        assert tuple(answered.blocked) == made.blocked and answered.blocked[-1] == made.blocked[-1]
        assert answered.to_json()["blocked"] == made.to_json()["blocked"]
        assert answered.blocked[0:1] == made.blocked[0:1] and hash(answered.blocked) == hash(made.blocked)
    assert hit.held == full.held == 2 and hit.waiting == full.waiting and not hit.source_errors
    _, out, _ = cli_run(ws, capsys, *PUBLISH, "--json")
    blocked = next(b for b in json.loads(out)["mirrors"][0]["blocked"] if b["article"] == GUT)
    assert ODD in [e["msgid"] for e in blocked["entries"]]
    assert json.dumps(ODD, ensure_ascii=False) in out and "\\u" not in out  # UTF-8 kept as it is


@pytest.mark.parametrize("damage", ["old format", "truncated", "garbage", "empty", "ends off", "unknown reason"])
def test_a_damaged_or_older_cache_means_a_full_run(ws: Workspace, capsys: pytest.CaptureFixture[str],
                                                     damage: str) -> None:
    cli_run(ws, capsys, *PUBLISH, "--json")
    _, expected, _ = cli_run(ws, capsys, *PUBLISH, "--json")  # a cache hit
    path = ws.state_dir / "publish" / "keep.json"
    data = path.read_bytes()
    header, _, text = data.partition(b"\n")
    fields = json.loads(header)
    if damage == "old format":  # what version 0.x wrote: one JSON object, the stamp still the right one
        report = {**fields["report"], "blocked": json.loads(text)}
        data = json.dumps({"stamp": fields["stamp"], "report": report}).encode()
    elif damage == "truncated":
        data = data[:len(header) + len(text) // 2]
    elif damage == "garbage":
        data = b"\x00\xff not json"
    elif damage == "empty":
        data = b""
    elif damage == "ends off":
        fields["blocked"]["ends"][-1] -= 1
        data = json.dumps(fields).encode() + b"\n" + text
    else:
        fields["blocked"]["reasons"][0] = "eaten-by-a-grue"
        data = json.dumps(fields).encode() + b"\n" + text
    path.write_bytes(data)
    code, out, err = cli_run(ws, capsys, *PUBLISH, "--json")
    assert code == 3 and "Traceback" not in err
    mirrors = json.loads(out)["mirrors"]
    assert mirrors[0]["cached"] == 3 and mirrors[1]["cached"] == 3  # keep gated afresh from the per-article cache
    assert json.loads(out) == json.loads(expected)
    assert path.read_bytes().startswith(b'{"version": 2,')  # written anew


def test_the_cache_file_holds_the_list_as_json_writes_it(ws: Workspace) -> None:
    made = run(ws, "keep").mirrors[0]
    header, _, text = (ws.state_dir / "publish" / "keep.json").read_bytes().partition(b"\n")
    assert json.loads(text) == made.to_json()["blocked"]
    assert text.decode("utf-8") == COMPACT.encode(made.to_json()["blocked"])
    assert json.loads(header)["blocked"]["articles"] == [b.article for b in made.blocked]
    found = publish_cache.cached_report(ws, mirror_named(ws.settings, "keep"), json.loads(header)["stamp"])
    assert found is not None and found.blocked.encoded() == EncodedJSON(text)


def test_encoded_json_is_written_as_it_is_where_a_compact_value_goes() -> None:
    items = [{"article": "a", "msgid": ODD}, {"article": "b", "msgid": "\\"}]
    mirror: dict[str, Any] = {"mirror": "keep", "blocked": items, "kept": []}
    plain = {"as_of": None, "mirrors": [mirror], "n": [1, 2]}
    encoded = {**plain, "mirrors": [{**mirror, "blocked": EncodedJSON(COMPACT.encode(items).encode())}]}
    assert output.to_json(encoded) == output.to_json(plain)
    pieces = list(output.json_pieces(encoded))
    assert b"".join(p.encode() if isinstance(p, str) else p for p in pieces).decode() == output.to_json(plain)
    assert len(pieces) == 3 and isinstance(pieces[1], bytes)  # the text around it, joined; the list as it is
    assert EncodedJSON(COMPACT.encode(items).encode()).value() == items


def test_the_stamp_sees_a_source_edited_touched_or_gone(ws: Workspace) -> None:
    keep = mirror_named(ws.settings, "keep")
    today = NOON.date()
    before = publish_cache.stamp(ws, keep, today)
    assert publish_cache.stamp(ws, keep, today) == before
    source = ws.root / GUT_SOURCE
    info = source.stat()
    os.utime(source, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    touched = publish_cache.stamp(ws, keep, today)
    assert touched != before
    moved = source.with_name("elsewhere.md")
    source.rename(moved)
    gone = publish_cache.stamp(ws, keep, today)
    assert gone not in (before, touched)
    source.symlink_to(moved)  # a link is followed: its target's edits count
    linked = publish_cache.stamp(ws, keep, today)
    os.utime(moved, ns=(info.st_atime_ns, info.st_mtime_ns + 2_000_000))
    assert publish_cache.stamp(ws, keep, today) != linked


def test_a_no_op_stamp_stands_on_the_source_check_and_sees_a_source_edited(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the run's source check finds every source as recorded, the stamp digests its token instead of
    stat'ing every source again; a source edited since is seen all the same (the check reads it, no token)."""
    run(ws)
    run(ws)  # settles the source record (its first runs found racy stamps)
    source_stats: list[str] = []
    stat = os.stat

    def spy(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if str(path).endswith(GUT_SOURCE):
            source_stats.append(str(path))
        return stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", spy)
    hit = run(ws)
    assert hit.reconciled is not None and hit.reconciled.sources is not None
    assert [(m.gated, m.cached) for m in hit.mirrors] == [(0, 3), (0, 3)]
    assert source_stats == []  # the stamp did not stat the sources one by one
    source = ws.root / GUT_SOURCE
    source.write_text(source.read_text(encoding="utf-8").replace(ODD, ODD + " Edited."), encoding="utf-8")
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns - 5 * 10**9))
    edited = run(ws)
    assert edited.reconciled is not None
    assert edited.reconciled.sources is None  # the source check read the edited source
    assert all(m.gated > 0 for m in edited.mirrors)  # not answered from the cache
