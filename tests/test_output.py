"""``cli/output``: JSON text written in pieces is the same text, and the same value, as written at once."""

from __future__ import annotations

import json
from typing import Any

import pytest

from i18n.cli import output


def _rows(n: int) -> list[dict[str, Any]]:
    return [{"article": f"2026-11-{i:02d}-a", "name": 'quote " backslash \\ é\n', "n": i, "none": None}
            for i in range(n)]


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5])
def test_objects_are_written_like_a_list_of_dicts(monkeypatch: pytest.MonkeyPatch, n: int) -> None:
    """An :class:`output.Objects` list, in batches of two, gives the text of the same list of dicts."""
    monkeypatch.setattr(output, "_BATCH", 2)
    monkeypatch.setattr(output, "_PIECE", 1)  # each piece handed on as it is made
    rows = _rows(n)
    plain = output.to_json({"rows": rows, "nested": {"rows": rows, "empty": []}, "last": 1})
    lazy = {"rows": output.Objects(iter(rows), output._compact),
            "nested": {"rows": output.Objects(rows, output._compact), "empty": []}, "last": 1}
    pieces = [p for p in output.json_pieces(lazy) if isinstance(p, str)]  # no encoded text here: all str
    assert "".join(pieces) == plain
    assert json.loads(plain) == {"rows": rows, "nested": {"rows": rows, "empty": []}, "last": 1}
    if n:
        assert plain.count("\n    {") == n  # one object a line
    assert len(pieces) > n // 2  # written a batch at a time, never as one string


def test_one_object_a_line() -> None:
    text = output.to_json({"rows": _rows(2)})
    assert text.splitlines()[1:3] == ['  "rows": [', '    {"article": "2026-11-00-a", '
                                      '"name": "quote \\" backslash \\\\ é\\n", "n": 0, "none": null},']
