"""The mirror site's default templates: shipped inside the package, copied into a workspace by ``i18n init``.

An html mirror renders the workspace's own Jinja2 templates (``site/templates/``: ``article.html``,
``index.html``, ``archive.html``, ``atom.xml``, the ``base.html`` they extend, and ``style.css``, copied into
the mirror as it is). The defaults live in
``i18n/default_templates/`` (package data) and are *copied*, never used behind the workspace's back: the
copies are the site's to edit, their UI strings are extracted into ``messages.pot`` like any others, and
the mirror's fingerprint (so its incremental rebuild) follows what is on disk. The one exception is
``atom.xml``, which :mod:`i18n.mirrors.outputs` falls back to when a workspace has none (sites made before the
feed existed keep working), and ``style.css`` (likewise). A missing page template is an error that says to
run ``i18n init --templates``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from i18n.core.atomic import write_atomic

#: Every default template, in the order they are written (``base.html`` is extended by the pages).
DEFAULT_TEMPLATES = ("base.html", "article.html", "index.html", "archive.html", "atom.xml", "style.css")
#: The templates an html mirror renders directly (``base.html`` is only reached through them).
RENDERED_TEMPLATES = ("article.html", "index.html", "archive.html", "atom.xml")


@dataclass(frozen=True, slots=True)
class TemplatesReport:
    """What :func:`install_templates` did in ``folder``: templates written, and templates already there."""

    folder: Path
    written: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    """Templates the folder already had: left exactly as they were (never overwritten)."""


def default_template(name: str) -> str:
    """The text of the default template ``name`` (one of :data:`DEFAULT_TEMPLATES`)."""
    assert name in DEFAULT_TEMPLATES, name
    return (resources.files("i18n") / "default_templates" / name).read_text(encoding="utf-8")


def install_templates(folder: Path) -> TemplatesReport:
    """Write every default template that ``folder`` lacks (atomically); keep those it has as they are."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    kept: list[str] = []
    for name in DEFAULT_TEMPLATES:
        target = folder / name
        if target.exists():
            kept.append(name)
            continue
        write_atomic(target, default_template(name).encode("utf-8"))
        written.append(name)
    return TemplatesReport(folder, tuple(written), tuple(kept))
