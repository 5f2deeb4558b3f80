"""The rules of review (``[review]`` in ``i18n.toml``): who may approve and reject a language, four eyes,
and who a reviewer is (one person, one name: :mod:`i18n.core.people`).

Apart from :mod:`i18n.workflow.review` so that reading the rules (every command checks ``[review]`` when
``i18n.toml`` changed, :mod:`i18n.workflow.configuration`) does not load the review use cases.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from i18n.core import people
from i18n.core.config import Settings, TableReader
from i18n.core.errors import ConfigError, ReviewError, ReviewRefused
from i18n.core.languages import Language
from i18n.core.workspace import Workspace
from i18n.tracker.engine import open_tracker
from i18n.tracker.queries.dashboard import people_seen
from i18n.tracker.snapshot import database_url

_REVIEW_KEYS = ("four_eyes", "allow_anyone", "reviewers", "translators")


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """``[review]`` of ``i18n.toml``: the four-eyes rule and who may review each language."""

    four_eyes: bool = False
    """A reviewer cannot approve entries whose last change by a person is their own."""
    allow_anyone: bool = False
    """Anyone may approve and reject, even when reviewers are listed."""
    reviewers: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Per language code, the people who may review it."""
    translators: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Per language code, its translators (informative)."""

    def reviewers_of(self, language: str) -> tuple[str, ...]:
        """The reviewers listed for ``language`` (a code)."""
        return next((names for code, names in self.reviewers if code == language), ())

    def may_review(self, language: str, person: str) -> bool:
        """Whether ``person`` may approve or reject ``language``: listed, or nobody is listed, or anyone may."""
        if self.allow_anyone or not any(names for _, names in self.reviewers):
            return True
        return any(same_person(person, name) for name in self.reviewers_of(language))


def review_settings(settings: Settings) -> ReviewSettings:
    """Read and validate ``[review]``: unknown keys, wrong types and unconfigured languages name the key."""
    reader = TableReader(settings.path)
    table = settings.section("review")
    four_eyes = reader.take(table, "review.", "four_eyes", bool, False)
    allow_anyone = reader.take(table, "review.", "allow_anyone", bool, False)
    reviewers = _people(reader, settings, table, "reviewers")
    translators = _people(reader, settings, table, "translators")
    reader.no_leftovers(table, "review.", _REVIEW_KEYS)
    return ReviewSettings(four_eyes, allow_anyone, reviewers, translators)


def _people(reader: TableReader, settings: Settings, table: dict[str, Any], key: str
            ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``{ca = ["Name", ...], ...}``: names per configured language."""
    value = reader.take(table, "review.", key, dict, {})
    result: list[tuple[str, tuple[str, ...]]] = []
    people = dict(value)
    for code in list(people):
        name = f"review.{key}.{code}"
        try:
            language = settings.language(code)
        except ConfigError:
            configured = ", ".join(lang.code for lang in settings.languages)
            raise reader.fail(name, "not a configured language", hint=f"configured languages: {configured}") from None
        names = reader.strings(people, f"review.{key}.", code, [])
        if any(not n.strip() for n in names):
            raise reader.fail(name, "a name is empty")
        result.append((language.code, tuple(n.strip() for n in names)))
    return tuple(result)


def same_person(a: str | None, b: str | None) -> bool:
    """Whether two names are the same person (see :func:`i18n.core.people.same_person`)."""
    return people.same_person(a, b)


def identify(workspace: Workspace, rules: ReviewSettings, who: str) -> tuple[str, tuple[str, ...]]:
    """The display name of reviewer ``who`` (one person, one name: :mod:`i18n.core.people`), and a warning
    when nobody of that name is configured or was seen before (a typo makes a new person)."""
    listed = [name for _, names in (*rules.reviewers, *rules.translators) for name in names]
    known = people.load_people(workspace.settings, listed)
    opened = open_tracker(database_url(workspace))
    try:
        with opened.transaction() as session:
            known = known.with_seen(people_seen(session))
    finally:
        opened.close()
    if known.knows(who):
        return known.display(who), ()
    name = known.display(who)
    return name, (f"'{name}' is a new name in this workspace: if it is someone already known under another "
                  "spelling, map it to that name in [people] of i18n.toml (\"Jordi V.\" = \"Jordi Vidal\")",)


def reviewer_identity(name: str | None = None) -> str:
    """Who is reviewing: ``name`` (``--reviewer``), else ``I18N_USER``, else git's ``user.name``."""
    for candidate in (name, os.environ.get("I18N_USER")):
        if candidate and candidate.strip():
            return candidate.strip()
    if found := people.git_user_name():
        return found
    raise ReviewError("who is reviewing? No --reviewer, no I18N_USER and no git user.name",
                      hint="pass --reviewer NAME, or set I18N_USER")


def _require_role(rules: ReviewSettings, settings: Settings, language: Language, person: str, action: str) -> None:
    if not rules.may_review(language.code, person):
        listed = ", ".join(rules.reviewers_of(language.code)) or "nobody"
        raise ReviewRefused(
            f"{person} is not a reviewer of '{language.code}' and may not {action} its translations "
            f"(reviewers: {listed})", path=settings.path,
            hint=f"add the name to [review] reviewers.{language.code} in i18n.toml, or set allow_anyone = true")
