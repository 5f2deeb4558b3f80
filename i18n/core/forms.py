"""A translation's forms (its msgstr, or one text per plural form) as the tracker stores and hashes them.

The one place that turns forms into one text and back. A translation is stored as:

- its text, when it has one form that does not start with ``[`` (nearly every translation: readable as is
  in the database and in ``i18n db export``);
- else a JSON array of its forms: ``["%(num)d imatge", "%(num)d imatges"]``. A single form that starts
  with ``[`` is stored as a one-element array, so that every stored text decodes one way only (and so is
  one holding a NUL, which no PO file does).

JSON is legal text on every backend (a NUL inside a form is escaped as ``\\u0000``); schema 0003 and older
joined plural forms with NUL, which PostgreSQL's ``text`` cannot hold (migration 0004 converts them,
and :func:`from_legacy` converts the texts of an older backup on import).

The hash that binds states and approvals to a translation is not taken of the stored text but of the
forms joined by NUL (:func:`forms_hash`), as it always was: it is never stored as text, and keeping it
means the hashes already recorded in states, history and approvals stay valid.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

#: What separates plural forms in the hash input (and in the stored text of schema 0003 and older).
_LEGACY_SEPARATOR = "\x00"


def text_hash(text: str) -> str:
    """SHA-1 of ``text`` (hex): what binds states and approvals to exact texts."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def forms_hash(forms: Sequence[str]) -> str:
    """The hash of a translation's forms (of its text, for a singular translation)."""
    return text_hash(_LEGACY_SEPARATOR.join(forms))


def encode_forms(forms: Sequence[str]) -> str:
    """A translation's forms as the one text the tracker stores (see the module)."""
    if len(forms) == 1 and not forms[0].startswith("[") and _LEGACY_SEPARATOR not in forms[0]:
        return forms[0]
    return json.dumps(list(forms), ensure_ascii=False)


def decode_forms(text: str) -> tuple[str, ...]:
    """The forms of a translation stored by :func:`encode_forms`."""
    if not text.startswith("["):
        return (text,)
    forms = json.loads(text)
    if not isinstance(forms, list) or not forms or not all(isinstance(form, str) for form in forms):
        raise ValueError(f"not a stored translation: {text[:60]!r}")
    return tuple(forms)


def from_legacy(text: str) -> str:
    """A translation as schema 0003 and older stored it (plural forms joined by NUL), stored as now."""
    return encode_forms(text.split(_LEGACY_SEPARATOR))


def to_legacy(text: str) -> str:
    """A stored translation as schema 0003 and older stored it (the downgrade of migration 0004)."""
    return _LEGACY_SEPARATOR.join(decode_forms(text))
