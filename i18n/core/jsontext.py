"""JSON text kept encoded: a value that was written as JSON once and is handed on without being decoded.

A report answered from a cache can hold a long list (the 45,000 blocked articles of a no-op ``i18n
publish``, 92 MB with their English texts) that the cache stores already encoded the way ``--json``
writes it. Decoding it into values only for the CLI to encode it again cost seconds and half a gigabyte;
an :class:`EncodedJSON` carries the text instead, and :func:`i18n.cli.output.json_pieces` hands it to the
CLI as it is. :data:`COMPACT` is the one encoder whose text may be handed on so: the one ``--json`` writes
compact values with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["COMPACT", "EncodedJSON"]

#: How ``--json`` writes a compact value (UTF-8 characters kept, ``", "`` and ``": "`` between items), so that
#: text it made can be written through unchanged (:func:`i18n.cli.output.json_pieces`).
COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


@dataclass(frozen=True, slots=True)
class EncodedJSON:
    """One JSON value as its UTF-8 text, written by :data:`COMPACT` (one line: JSON text holds no raw newline)."""

    text: bytes

    def value(self) -> Any:
        """The value itself (decoded: for a caller that needs plain data, not for rendering)."""
        return json.loads(self.text)
