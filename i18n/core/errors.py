"""The one error hierarchy of i18n.

Every failure a user can cause or meet is an :class:`I18nError`. Messages say what went wrong, where
(``file:line`` when there is a file), and how to fix it. The CLI maps the classes to exit codes in one
place (:func:`i18n.cli.commands.main`): ``UsageError`` → 2, every other ``I18nError`` → 1. A traceback is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class I18nError(Exception):
    """Base class: a failure explained to the user. ``exit_code`` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None,
                 hint: str | None = None) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint
        super().__init__(str(self))

    @property
    def location(self) -> str | None:
        """``file:line`` (or just ``file``) where the problem is, if it is in a file."""
        if self.path is None:
            return None
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be processed, and why; it was left untouched."""

    file: str
    line: int | None
    message: str
    hint: str | None = None

    @classmethod
    def of(cls, error: I18nError, root: Path | None = None) -> FileError:
        """``error`` as a report line; its file relative to ``root`` (the workspace) when it is inside it,
        so that every command names a file the same way (``locales/ca/articles/...``)."""
        return cls(relative_to(error.path, root) if error.path is not None else "", error.line, error.message,
                   error.hint)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}" + (f" ({self.hint})" if self.hint else "")


def relative_to(path: Path, root: Path | None) -> str:
    """``path`` relative to ``root`` with forward slashes, or as it is when it is elsewhere (or no root)."""
    if root is not None and path.is_absolute():
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()


class UsageError(I18nError):
    """The command line itself is wrong (exit code 2)."""

    exit_code = 2


class ConfigError(I18nError):
    """``i18n.toml`` is missing, malformed, or holds an unknown key, a wrong type or an unknown language."""


class WorkspaceNotFound(ConfigError):
    """No ``i18n.toml`` in the given folder or any of its parents."""


class LanguageError(ConfigError):
    """A language code that Babel (CLDR) does not know, or that we cannot map to gettext."""


class OutsideWorkspace(I18nError):
    """A path of the workspace resolves (through a symbolic link) to a place outside it: not read, not written."""


class Unreadable(I18nError):
    """A folder or file of the workspace that exists but cannot be read (permissions, an I/O error): the
    command stops rather than take it for one that is gone (which would forget, and unpublish, its articles)."""

    @classmethod
    def of(cls, path: Path | str, error: OSError) -> Unreadable:
        return cls(f"cannot be read: {error.strerror or error}", path=path,
                   hint="give the user who runs i18n read access to it (for a folder, also the right to list it)")


class SourceError(I18nError):
    """A source article is malformed: bad front matter, a missing or invalid field, a duplicate id."""


class CatalogNotFound(I18nError):
    """A PO/POT file that should exist does not."""


class CatalogSyntaxError(I18nError):
    """A PO/POT file is not valid gettext syntax; the file is left untouched."""


class EncodingError(I18nError):
    """A file is not valid UTF-8."""


class LockTimeout(I18nError):
    """Another i18n process holds the workspace lock and did not release it in time."""


class TrackerError(I18nError):
    """The status tracker's database is unreachable or busy, or its schema does not fit this version."""


class MachineTranslationError(I18nError):
    """A machine-translation engine failed, or its draft could not be used; nothing was stored for it."""


class EngineAuthError(MachineTranslationError):
    """An engine refused the credentials (or none were set): the run stops; the message names the variable."""


class EngineQuotaError(MachineTranslationError):
    """An engine's quota or budget is used up: the run stops; drafts received so far are kept."""


class GlossaryError(ConfigError):
    """The workspace glossary file is missing, malformed, or holds an unknown key or language."""


class MirrorError(I18nError):
    """A mirror cannot be written: its output folder is not ours, a path escapes it, a template is missing or fails."""


class ReviewError(I18nError):
    """A review command cannot run: no reviewer identity, or an unknown entry of the article."""


class ReviewRefused(ReviewError):
    """The reviewer may not approve or reject here (roles in ``[review]``): the command exits 3."""

    exit_code = 3


class FileTooLarge(I18nError):
    """A source or catalog is larger than :data:`i18n.core.limits.MAX_FILE_BYTES`; it is not read."""
