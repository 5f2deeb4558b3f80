"""The workspace: its settings, the pinned file layout, its private state folder and its lock.

Layout (pinned: translators, build scripts and later steps rely on it)::

    i18n.toml
    content/<yyyy>/<yyyy-mm-dd>-<slug>.md              source articles
    locales/templates/articles/<yyyy>/<id>.pot         one template per article
    locales/templates/messages.pot                     UI strings
    locales/<lang>/articles/<yyyy>/<id>.po             one catalog per article per language
    locales/<lang>/LC_MESSAGES/messages.po             UI catalog (loads in Babel, Flask-Babel, Jinja2)
    site/templates/                                    the html mirrors' Jinja2 templates (init writes defaults)
    .i18n/                                             i18n's own state (index, lock); not for editing
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from i18n.core.atomic import write_atomic
from i18n.core.config import CONFIG_NAME, Settings, default_config_text, find_config, load_settings
from i18n.core.errors import ConfigError, LockTimeout, OutsideWorkspace, Unreadable
from i18n.core.ids import UI_ARTICLE, is_article_id
from i18n.core.languages import Language
from i18n.core.lock import exclusive
from i18n.core.scaffold import TemplatesReport, install_templates

STATE_DIR = ".i18n"
#: How long a second process waits for the workspace lock before giving up (``I18N_LOCK_TIMEOUT``).
DEFAULT_LOCK_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class Workspace:
    """A workspace folder and its validated settings."""

    settings: Settings
    _resolved: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Folders already resolved by :meth:`confined` (a daily sync asks about thousands of files in a few)."""
    _locales_key: str = field(init=False, default="", compare=False, repr=False)
    """``settings.locales`` as a POSIX string, once: every key of a template or catalog starts with it."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_locales_key", self.settings.locales.as_posix())

    @classmethod
    def open(cls, folder: Path | None = None, config: Path | None = None) -> Workspace:
        """The workspace whose ``i18n.toml`` is ``config``, or the nearest one at or above ``folder``.

        Its folders are checked (:meth:`check_folders`): none may lead outside the workspace. The root is
        made absolute (``-C build/demo`` gives a relative ``config``), so that every path the workspace
        hands out is absolute and :meth:`confined` can tell it from one relative to the workspace.
        """
        path = config.absolute() if config is not None else find_config(folder or Path.cwd())
        workspace = cls(load_settings(path))
        workspace.check_folders()
        return workspace

    # -- confinement: nothing is read or written outside the workspace ---------------------------------

    @property
    def real_root(self) -> str:
        """The workspace folder with every symbolic link resolved."""
        return self._real_folder(str(self.root))

    def _real_folder(self, folder: str) -> str:
        real = self._resolved.get(folder)
        if real is None:
            real = self._resolved[folder] = os.path.realpath(folder)
        return real

    def confined(self, path: Path | str, *, allow_outside: bool = False, what: str = "",
                 setting: str = "") -> Path:
        """``path`` (absolute, or relative to the workspace) once it is known to stay inside the workspace.

        The path is resolved (symbolic links followed, the file itself included; it need not exist): if it
        leads outside the workspace folder, :class:`OutsideWorkspace` names the file, where it leads, and
        how to fix it. ``allow_outside``: the settings name this place explicitly (an absolute mirror
        output); it is returned as it is. The one check used wherever sources are listed, catalogs and
        templates written and mirrors published.
        """
        full = path if isinstance(path, Path) and path.is_absolute() else self.root / path
        if allow_outside:
            return full
        text = str(full)
        folder, name = os.path.split(text)
        real = self._real_folder(folder)
        if os.path.islink(text):
            real = os.path.realpath(text)
        elif name:
            real = os.path.join(real, name)
        root = self.real_root
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            return full
        raise OutsideWorkspace(
            f"{what + ' ' if what else ''}leads outside the workspace, to {real}: i18n neither reads nor "
            "writes there", path=self.relative(full),
            hint=(f"set '{setting}' to an absolute path to publish there on purpose, or " if setting else "")
            + "replace the symbolic link with the file or folder itself, or move what it points to into "
              "the workspace",
        )

    def check_folders(self) -> None:
        """Check that the workspace's own folders stay inside it (:meth:`confined`), down to the year folders.

        Cheap (a few dozen folders), so every command runs it at :meth:`open`: a ``locales/es`` that is a
        link to a folder elsewhere stops the command before anything is read or written there.
        """
        folders = [self.state_dir, self.root / self.settings.content, self.locales, self.locales / "templates",
                   self.locales / "templates" / "articles", *(self.root / rule.root for rule in self.settings.ui),
                   *(self.root / feed for feed in self.settings.feeds)]
        for language in self.settings.languages:
            base = self.locales / language.gettext
            folders += [base, base / "articles", base / "LC_MESSAGES"]
        for folder in [*folders]:
            if folder != self.root and folder.name in ("articles", self.settings.content.name) and folder.is_dir():
                folders += [child for child in folder.iterdir() if child.is_dir()]
        for folder in folders:
            self.confined(folder)

    @property
    def root(self) -> Path:
        return self.settings.root

    def source_files(self, ignored: list[str] | None = None) -> list[tuple[str, bool]]:
        """Every source file's key: ``(key, is_feed)``, Markdown articles first, in a stable order.

        Hidden files and folders are skipped; links to folders are not followed. A source that is a symbolic
        link to a file outside the workspace stops the command (:meth:`confined`): it is never read. The
        other files found in the content folder (not ``.md``: nobody's articles) are appended to ``ignored``.
        """
        return [(key, is_feed) for key, is_feed, _ in self._sources(with_stats=False, ignored=ignored)]

    def source_stats(self) -> list[tuple[str, bool, os.stat_result | None]]:
        """:meth:`source_files` with each file's ``stat`` (``None`` for a feed that does not exist)."""
        return self._sources(with_stats=True)

    def _sources(self, with_stats: bool, ignored: list[str] | None = None
                 ) -> list[tuple[str, bool, os.stat_result | None]]:
        # os.scandir, not os.walk: a directory entry tells a link apart for free (no lstat per file).
        found: list[tuple[str, bool, os.stat_result | None]] = []
        content = self.settings.content.as_posix()
        pending = [(f"{self.root}/{content}", content)]
        while pending:
            folder, prefix = pending.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError as error:  # there, but not to be read: never taken for a folder without articles
                raise Unreadable.of(folder, error) from None
            subfolders = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                key = f"{prefix}/{entry.name}"
                if entry.is_symlink():
                    self.confined(key)  # inside: a file is read, a folder is not followed (as before)
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append((entry.path, key))
                elif entry.name.endswith(".md") and entry.is_file():
                    found.append((key, False, entry.stat() if with_stats else None))
                elif ignored is not None:
                    ignored.append(key)
            pending.extend(reversed(subfolders))
        for feed in self.settings.feeds:
            self.confined(feed)
            stat = None
            if with_stats:
                with contextlib.suppress(OSError):
                    stat = os.stat(self.root / feed)
            found.append((feed.as_posix(), True, stat))
        return found

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def locales(self) -> Path:
        return self.root / self.settings.locales

    @property
    def site_templates(self) -> Path:
        """The html mirrors' Jinja2 templates: ``<root>/templates`` of the first ``paths.ui`` root
        (``site/templates``)."""
        roots = [rule.root for rule in self.settings.ui]
        return self.root / (roots[0] if roots else Path("site")) / "templates"

    # The layout as workspace-relative POSIX strings ("keys"): the daily sync handles tens of thousands of
    # them, and building Path objects for each dominated its run time. The *_path methods wrap them.

    def template_key(self, article_id: str, year: int) -> str:
        """``locales/templates/articles/<yyyy>/<id>.pot``, relative to the workspace."""
        return f"{self._locales_key}/templates/articles/{year:04d}/{article_id}.pot"

    def catalog_key(self, language: Language, article_id: str, year: int) -> str:
        """``locales/<lang>/articles/<yyyy>/<id>.po``, relative to the workspace."""
        return f"{self._locales_key}/{language.gettext}/articles/{year:04d}/{article_id}.po"

    @property
    def ui_template_key(self) -> str:
        """``locales/templates/messages.pot``, relative to the workspace."""
        return f"{self._locales_key}/templates/{UI_ARTICLE}.pot"

    def ui_catalog_key(self, language: Language) -> str:
        """``locales/<lang>/LC_MESSAGES/messages.po``, relative to the workspace."""
        return f"{self._locales_key}/{language.gettext}/LC_MESSAGES/{UI_ARTICLE}.po"

    def path(self, key: str) -> Path:
        """The absolute path of a workspace-relative key."""
        return self.root / key

    def template_path(self, article_id: str, year: int) -> Path:
        """``locales/templates/articles/<yyyy>/<id>.pot``."""
        return self.root / self.template_key(article_id, year)

    def catalog_path(self, language: Language, article_id: str, year: int) -> Path:
        """``locales/<lang>/articles/<yyyy>/<id>.po``."""
        return self.root / self.catalog_key(language, article_id, year)

    def template_years(self, article_id: str) -> list[int]:
        """The year folders holding a template of ``article_id``, oldest first (none for an unknown or
        invalid id: an id is never used as a path unless it is a valid article id)."""
        return self._years(self.locales / "templates" / "articles", article_id, ".pot")

    def catalog_years(self, language: Language, article_id: str) -> list[int]:
        """The year folders holding a catalog of ``article_id`` in ``language``, oldest first."""
        return self._years(self.locales / language.gettext / "articles", article_id, ".po")

    @staticmethod
    def _years(folder: Path, article_id: str, suffix: str) -> list[int]:
        if not is_article_id(article_id):
            return []
        return sorted(int(p.parent.name) for p in folder.glob(f"*/{article_id}{suffix}") if p.parent.name.isdigit())

    @property
    def ui_template_path(self) -> Path:
        """``locales/templates/messages.pot``."""
        return self.root / self.ui_template_key

    def ui_catalog_path(self, language: Language) -> Path:
        """``locales/<lang>/LC_MESSAGES/messages.po``."""
        return self.root / self.ui_catalog_key(language)

    def relative(self, path: Path) -> str:
        """``path`` relative to the workspace root, with forward slashes (for references and reports)."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    @contextlib.contextmanager
    def lock(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the workspace's exclusive lock: one writing i18n process at a time.

        A second process waits up to ``timeout`` seconds (default ``I18N_LOCK_TIMEOUT`` or 10), then
        fails with :class:`LockTimeout`. The lock is an OS file lock, released even if the holder dies.
        """
        if timeout is None:
            timeout = lock_timeout()
        self.state_dir.mkdir(exist_ok=True)
        path = self.state_dir / "lock"

        def busy(holder: str) -> LockTimeout:
            return LockTimeout(f"the workspace is busy: {holder} has held its lock for over {timeout:g} s",
                               path=path, hint="wait for that command to finish and run this one again "
                                               "(I18N_LOCK_TIMEOUT sets how long to wait)")

        with exclusive(path, timeout, busy):
            yield


def lock_timeout() -> float:
    """How long to wait for the workspace lock: ``I18N_LOCK_TIMEOUT`` seconds, or the default."""
    value = os.environ.get("I18N_LOCK_TIMEOUT", "").strip()
    if not value:
        return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise ConfigError(f"I18N_LOCK_TIMEOUT is '{value}', not a number of seconds",
                          hint=f"set it to a number such as 30, or unset it for the default {DEFAULT_LOCK_TIMEOUT:g}")
    return seconds


@dataclass(frozen=True, slots=True)
class InitReport:
    """What ``i18n init`` made: the workspace, and the default templates written into ``site/templates``."""

    workspace: Workspace
    templates: TemplatesReport


def create_workspace(folder: Path, languages: tuple[Language, ...], project: str) -> InitReport:
    """Write a working ``i18n.toml``, the folders of the layout and the default site templates in ``folder``.

    Never overwrites: an existing ``i18n.toml`` is an error, and templates already in ``site/templates``
    are kept as they are.
    """
    path = folder / CONFIG_NAME
    if path.exists():
        raise ConfigError(f"{CONFIG_NAME} already exists", path=path,
                          hint="this folder is already a workspace: edit the file instead of re-creating it, or "
                               "run 'i18n init --templates' to add the default site templates it lacks")
    folder.mkdir(parents=True, exist_ok=True)
    for sub in ("content", "locales/templates", STATE_DIR):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    write_atomic(path, default_config_text(languages, project).encode("utf-8"))
    workspace = Workspace(load_settings(path))
    return InitReport(workspace, add_default_templates(workspace))


def add_default_templates(workspace: Workspace) -> TemplatesReport:
    """Copy the default site templates that the workspace lacks into its ``site/templates``; keep the rest."""
    return install_templates(workspace.site_templates)
