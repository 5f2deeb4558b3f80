"""People: one person, one name, however it is typed.

``--reviewer "jordi  vidal"``, ``--reviewer "Jordi Vidal"`` and a PO header's ``Last-Translator: Jordi Vidal
<jordi@example.org>`` are the same person. A person is identified by a normalised key (:func:`person_key`:
Unicode NFC, case-folded, whitespace collapsed; the e-mail address when one is given) and shown by one
display name: the one the settings give (``[people]`` aliases, ``[review]`` lists), else the first one seen.

``[people]`` in ``i18n.toml`` maps other spellings to a person's display name::

    [people]
    "Jordi V." = "Jordi Vidal"
    "jordi@example.org" = "Jordi Vidal"
"""

from __future__ import annotations

import getpass
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from i18n.core.config import Settings, TableReader

_EMAIL = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>\s]+@[^<>\s]+)>\s*$")
_BARE_EMAIL = re.compile(r"^[^<>\s@]+@[^<>\s@]+$")


def split_identity(text: str) -> tuple[str, str]:
    """``("Jordi Vidal", "jordi@example.org")`` from ``"Jordi Vidal <jordi@example.org>"`` (e-mail ``""`` if none).

    The name has its whitespace collapsed; a bare address is an e-mail with no name.
    """
    text = unicodedata.normalize("NFC", text).strip()
    match = _EMAIL.match(text)
    if match:
        return " ".join(match.group("name").split()), match.group("email")
    if _BARE_EMAIL.match(text):
        return "", text
    return " ".join(text.split()), ""


def name_key(name: str) -> str:
    """The key of a name: NFC, case-folded, whitespace collapsed (``"Jordi  VIDAL"`` → ``"jordi vidal"``)."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def person_key(text: str) -> str:
    """The key identifying whoever ``text`` names: their e-mail address when it holds one, else their name's."""
    name, email = split_identity(text)
    return f"<{email.casefold()}>" if email else name_key(name)


def same_person(a: str | None, b: str | None) -> bool:
    """Whether two identities are the same person (case, spacing and Unicode normal form aside)."""
    if a is None or b is None:
        return False
    name_a, email_a = split_identity(a)
    name_b, email_b = split_identity(b)
    if email_a and email_b:
        return email_a.casefold() == email_b.casefold()
    return bool(name_a) and name_key(name_a) == name_key(name_b)


@dataclass(frozen=True, slots=True)
class People:
    """Who is known, by key, with each person's display name."""

    names: tuple[tuple[str, str], ...] = ()
    """``(key, display name)`` pairs: the first pair of a key wins."""
    configured: frozenset[str] = frozenset()
    """The keys the settings name (``[people]`` and the ``[review]`` lists)."""

    def display(self, text: str) -> str:
        """The display name of whoever ``text`` names: the configured or first-seen spelling, else ``text``
        tidied (whitespace collapsed, e-mail dropped)."""
        name, email = split_identity(text)
        for key in (f"<{email.casefold()}>" if email else "", name_key(name) if name else ""):
            if key:
                for known, shown in self.names:
                    if known == key:
                        return shown
        return name or email

    def knows(self, text: str) -> bool:
        """Whether ``text`` names someone configured or already seen."""
        name, email = split_identity(text)
        keys = {k for k in (f"<{email.casefold()}>" if email else "", name_key(name) if name else "") if k}
        return any(known in keys for known, _ in self.names)

    def with_seen(self, seen: Iterable[str]) -> People:
        """These people, plus those in ``seen`` (oldest first), each new one under the first spelling seen."""
        names = list(self.names)
        keys = {key for key, _ in names}
        for text in seen:
            name, email = split_identity(text)
            shown = self.display(text) if self.knows(text) else (name or email)
            for key in (f"<{email.casefold()}>" if email else "", name_key(name) if name else ""):
                if key and key not in keys:
                    keys.add(key)
                    names.append((key, shown))
        return People(tuple(names), self.configured)


_PEOPLE_KEYS = "any spelling (a name or an e-mail address) = the person's display name"


def load_people(settings: Settings, listed: Iterable[str] = ()) -> People:
    """The people the settings name: ``[people]`` aliases (validated), then ``listed`` (e.g. ``[review]`` names).

    A display name maps to itself; an alias to its display name. An alias naming two people, or an empty
    name, is a :class:`~i18n.core.errors.ConfigError` at its line.
    """
    reader = TableReader(settings.path)
    table = settings.section("people")
    names: list[tuple[str, str]] = []

    def add(key: str, shown: str, where: str) -> None:
        for known, other in names:
            if known == key and other != shown:
                raise reader.fail(where, f"names two people: '{other}' and '{shown}'",
                                  hint="give each spelling one display name in [people]")
        names.append((key, shown))

    for alias, value in table.items():
        where = f'people."{alias}"'
        if not isinstance(value, str) or not value.strip():
            raise reader.fail(where, "expected the person's display name (a non-empty string)", hint=_PEOPLE_KEYS)
        if not alias.strip():
            raise reader.fail(where, "an empty spelling", hint=_PEOPLE_KEYS)
        shown, _ = split_identity(value)
        shown = shown or value.strip()
        add(person_key(value), shown, where)
        add(person_key(alias), shown, where)
    people = People(tuple(dict.fromkeys(names)), frozenset(k for k, _ in names))
    extra = [n for n in listed if not people.knows(n)]
    people = people.with_seen(extra)
    return People(people.names, frozenset(k for k, _ in people.names))


def default_user(user: str | None = None) -> str:
    """Who is running i18n: ``user``, else ``I18N_USER``, else git's ``user.name``, else the login name."""
    if user:
        return user
    if os.environ.get("I18N_USER"):
        return os.environ["I18N_USER"]
    if name := git_user_name():
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def git_user_name() -> str | None:
    """git's ``user.name`` (``None`` without git, or when it is not set)."""
    import subprocess  # lazy: subprocess stays off the fast status path

    try:
        result = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=5,
                                check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    name = result.stdout.strip() if result.returncode == 0 else ""
    return name or None
