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
from dataclasses import dataclass
from pathlib import Path

from i18n.core.atomic import write_atomic
from i18n.core.config import CONFIG_NAME, Settings, default_config_text, find_config, load_settings
from i18n.core.errors import ConfigError, LockTimeout
from i18n.core.ids import is_article_id
from i18n.core.languages import Language
from i18n.core.lock import exclusive
from i18n.core.scaffold import TemplatesReport, install_templates

STATE_DIR = ".i18n"
UI_DOMAIN = "messages"
#: How long a second process waits for the workspace lock before giving up (``I18N_LOCK_TIMEOUT``).
DEFAULT_LOCK_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class Workspace:
    """A workspace folder and its validated settings."""

    settings: Settings

    @classmethod
    def open(cls, folder: Path | None = None, config: Path | None = None) -> Workspace:
        """The workspace whose ``i18n.toml`` is ``config``, or the nearest one at or above ``folder``."""
        path = config if config is not None else find_config(folder or Path.cwd())
        return cls(load_settings(path))

    @property
    def root(self) -> Path:
        return self.settings.root

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
        return f"{self._locales_key}/templates/{UI_DOMAIN}.pot"

    def ui_catalog_key(self, language: Language) -> str:
        """``locales/<lang>/LC_MESSAGES/messages.po``, relative to the workspace."""
        return f"{self._locales_key}/{language.gettext}/LC_MESSAGES/{UI_DOMAIN}.po"

    @property
    def _locales_key(self) -> str:
        return self.settings.locales.as_posix()

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
